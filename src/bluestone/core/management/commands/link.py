"""`bluestone link --input FILE --output FILE`: resolve a file of person records into identities.

Thin by design: read, call `bluestone.linkage`, write, report. Nothing is written unless the whole input
is valid (a `record_id` column with unique ids).
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bluestone.linkage import ENGINES, LinkageModel, LinkageResult, link_records

FORMATS = {".csv": "csv", ".parquet": "parquet"}
STAGES = ("reading", "standardising", "training", "predicting", "clustering", "writing")


def explanation_path(output: Path) -> Path:
    """Where the match explanations go: beside the output, same format (`people.csv` -> `people.explanations.csv`)."""
    return output.with_name(f"{output.stem}.explanations{output.suffix}")


def _format(path: Path, option: str) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CommandError(f"{option} {path}: use a .csv or .parquet file (the extension chooses the format).")
    return kind


def read_table(path: Path) -> pa.Table:
    if not path.is_file():
        raise CommandError(f"--input {path}: no such file.")
    try:
        if _format(path, "--input") == "csv":
            # Every column as text: record ids like 007 and dates stay exactly as written.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
            options = pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True)
            return pa_csv.read_csv(path, convert_options=options)
        return pq.read_table(path)
    except pa.ArrowInvalid as error:
        raise CommandError(f"--input {path}: could not be read ({error}).") from error


def write_table(table: pa.Table, path: Path) -> None:
    if FORMATS[path.suffix.lower()] == "csv":
        pa_csv.write_csv(table, path)
    else:
        pq.write_table(table, path)


class Command(BaseCommand):
    help = (
        "Link a CSV or Parquet file of person records into identities (record_id, identity_id, identity_size), "
        "with a match-explanation file beside the output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="person records, .csv or .parquet")
        parser.add_argument("--output", required=True, type=Path, help="identities, .csv or .parquet")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="SQL engine (default duckdb)")
        parser.add_argument("--threshold", type=float, default=None, help="match probability to link at")
        parser.add_argument("--model", type=Path, default=None, help="a saved model to use instead of training")
        parser.add_argument("--save-model", type=Path, default=None, help="write the model used to this JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        output: Path = options["output"]
        _format(source, "--input")
        _format(output, "--output")
        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold < 1:
            raise CommandError(f"--threshold {threshold}: give a match probability between 0 and 1, e.g. 0.9.")
        model = None
        if options["model"] is not None:
            try:
                model = LinkageModel.load(options["model"])
            except (OSError, ValueError) as error:
                raise CommandError(f"--model {options['model']}: {error}") from error
        logging.getLogger("splink").setLevel(logging.ERROR)
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("reading", total=None)

            def stage(name: str) -> None:
                progress.update(task, description=name)
                console.log(f"{name} ...")

            stage("reading")
            records = read_table(source)
            try:
                result = link_records(
                    records, engine=options["engine"], threshold=threshold, model=model, progress=stage
                )
            except ValueError as error:
                raise CommandError(f"--input {source}: {error}") from error
            stage("writing")
            write_table(result.identities, output)
            write_table(result.predictions, explanation_path(output))
            if options["save_model"] is not None:
                result.model.save(options["save_model"])
        self._report(result, output)

    def _report(self, result: LinkageResult, output: Path) -> None:
        summary = result.summary
        self.stdout.write(
            f"Linked {summary.records:,} records into {summary.identities:,} identities "
            f"({summary.records_in_shared_identities:,} records share an identity) at match probability "
            f"{summary.threshold:g} on {summary.engine}."
        )
        self.stdout.write(f"Identities: {output}")
        self.stdout.write(f"Match explanations ({summary.pairs_kept:,} pairs): {explanation_path(output)}")
        issues = summary.parse_issues
        if issues:
            self.stdout.write(f"{issues.total:,} values could not be parsed and were treated as missing:")
            for column in issues.columns:
                rows = ", ".join(str(row) for row in column.example_rows)
                self.stdout.write(f"  {column.column}: {column.count:,} (e.g. records {rows}; record 1 is the first)")
        else:
            self.stdout.write("Every value parsed.")
