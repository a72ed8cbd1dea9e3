"""`bluestone synth --cases N --seed S --out DIR`: write a synthetic force as Parquet, with its ground truth."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bluestone.synth import DEFAULT_END_DATE, MAX_CASES, TABLE_NAMES, generate_force, write_force

GENERATION_STAGES = ("cases", "people", "tables", "victims", "plans")


def _whole_number(value: object, *, option: str, low: int, high: int, example: str) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit():
        raise CommandError(f"{option} must be a whole number, but got {text!r}. Try for example {option} {example}.")
    number = int(text)
    if not low <= number <= high:
        raise CommandError(
            f"{option} must be between {low:,} and {high:,}, but got {number:,}. Try for example {option} {example}."
        )
    return number


def _day(value: object, *, option: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} must be a day written YYYY-MM-DD, but got {text!r}. Try for example {option} 2026-09-30."
        ) from None


class Command(BaseCommand):
    help = (
        "Generate a synthetic force (teams, officers, cases, people, outcomes, events and the ground truth) "
        "as Parquet files in DIR. The same seed always gives the same force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Taken as text and checked here, so that every bad value gets the same plain-English error.
        parser.add_argument("--cases", required=True, help=f"how many cases (reports), 1 to {MAX_CASES:,}")
        parser.add_argument("--seed", default="1", help="random seed, a non-negative whole number (default 1)")
        parser.add_argument("--out", required=True, type=Path, help="folder to write the Parquet files into")
        parser.add_argument(
            "--end-date",
            default=DEFAULT_END_DATE.isoformat(),
            help=f"the force's last day, YYYY-MM-DD; nothing happens after it (default {DEFAULT_END_DATE})",
        )
        parser.add_argument("--force", action="store_true", help="replace DIR even if it already holds files")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = _whole_number(options["cases"], option="--cases", low=1, high=MAX_CASES, example="7200")
        seed = _whole_number(options["seed"], option="--seed", low=0, high=2**63 - 1, example="2026")
        end_date = _day(options["end_date"], option="--end-date")
        out = Path(options["out"])
        self._check_destination(out, replace=options["force"])
        started = time.perf_counter()
        quiet = options["verbosity"] == 0
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        # Written beside DIR and renamed into place, so an interrupted or failed run leaves DIR untouched.
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; the extract is an ordinary folder
        try:
            with Progress(*columns, transient=True, disable=quiet) as bar:
                task = bar.add_task("Generating", total=len(GENERATION_STAGES) + len(TABLE_NAMES))

                def advance(label: str) -> None:
                    bar.update(task, description=label, advance=1)

                tables = generate_force(
                    cases=cases, seed=seed, end_date=end_date, progress=lambda s: advance(f"Generating {s}")
                )
                write_force(tables, staging, progress=lambda name: advance(f"Writing {name}"))
            self._move_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        elapsed = time.perf_counter() - started
        if not quiet:
            counts = ", ".join(f"{tables[name].num_rows:,} {name}" for name in TABLE_NAMES)
            self.stdout.write(f"Wrote {counts} to {out} in {elapsed:.1f}s (seed {seed}, ending {end_date}).")

    @staticmethod
    def _check_destination(out: Path, *, replace: bool) -> None:
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file, not a folder. Choose a folder for --out.")
        if out.is_dir() and any(out.iterdir()) and not replace:
            raise CommandError(
                f"{out} already holds files. Choose an empty or new folder, or add --force to replace it."
            )

    @staticmethod
    def _move_into_place(staging: Path, out: Path) -> None:
        if not out.exists():
            staging.rename(out)
            return
        # Swap the old folder out before the new one in, then remove the old: DIR is never half-written.
        retired = out.with_name(f".{out.name}.{staging.name}.old")
        out.rename(retired)
        try:
            staging.rename(out)
        except BaseException:
            retired.rename(out)
            raise
        shutil.rmtree(retired, ignore_errors=True)
