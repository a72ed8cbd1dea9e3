"""`bluestone load DIR`: load an extract (synthetic or a force's own) into the database."""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bluestone.accounts.models import User
from bluestone.cases.loading import ExtractError, extract_load


class Command(BaseCommand):
    help = "Load the Parquet extract in DIR: all or nothing, and safe to run again on the same extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder holding teams.parquet, cases.parquet, ...")
        parser.add_argument(
            "--by",
            default="",
            help="who is loading it, for the access log: a Bluestone username, or a name "
            "(default: the operating-system account running the command)",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="no progress bars and no summary (progress bars are shown only on a terminal anyway)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        by: str = options["by"].strip() or getpass.getuser()
        actor = User.objects.filter(username=by).first()
        started = time.perf_counter()
        quiet = options["quiet"] or options["verbosity"] == 0
        # A bar per table, drawn on standard error and only on a terminal: logs and pipes get the summary alone.
        console = Console(stderr=True)
        columns = (TextColumn("{task.description:<13}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True, disable=quiet or not console.is_terminal) as bar:
            tasks: dict[str, Any] = {}

            def progress(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=total)
                bar.update(tasks[label], completed=done)

            try:
                summary = extract_load(directory=directory, progress=progress, by=by, actor=actor)
            except ExtractError as exc:
                raise CommandError(f"Nothing was loaded: the extract in {directory} has problems.\n{exc}") from exc
        elapsed = time.perf_counter() - started
        if not quiet:
            counts = ", ".join(f"{n:,} {label}" for label, n in summary.rows.items())
            self.stdout.write(f"Loaded {counts} from {directory} in {elapsed:.1f}s.")
