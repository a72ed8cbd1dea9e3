"""`bluestone link --input FILE --output FILE`: resolve a file of person records into identities.

Thin by design: read, call `bluestone.linkage`, write, report. Nothing is written unless the whole input
is valid. Every problem with the input is one line naming the file, the line (or row) and the column,
with exit code 2: never a traceback.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bluestone.linkage import (
    ENGINES,
    ClusterPolicy,
    Limits,
    LinkageModel,
    LinkageResult,
    ModelDoesNotFit,
    link_records,
    standardise,
)

FORMATS = {".csv": "csv", ".parquet": "parquet"}
STAGES = ("reading", "standardising", "training", "predicting", "clustering", "writing")
INPUT_ERROR = 2
"""Exit code of every problem with the input or the options (the file, a value in it, a limit)."""


def explanation_path(output: Path) -> Path:
    """Where the match explanations go: beside the output, same format (`people.csv` -> `people.explanations.csv`)."""
    return output.with_name(f"{output.stem}.explanations{output.suffix}")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=INPUT_ERROR)


def _format(path: Path, option: str) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise _fail(f"{option} {path}: use a .csv or .parquet file (the extension chooses the format).")
    return kind


def _check_utf8(path: Path, data: bytes) -> None:
    """Refuse bytes that are not UTF-8, naming the line and the column they are in."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        before = data[line_start : error.start].decode("utf-8", errors="replace")
        header = next(csv.reader(io.StringIO(data[: data.find(b"\n")].decode("utf-8-sig", errors="replace"))), [])
        field = len(next(csv.reader(io.StringIO(before)), [""])) - 1 if before else 0
        column = header[field] if 0 <= field < len(header) else f"number {field + 1}"
        raise _fail(
            f"--input {path}, line {line}, column {column}: byte 0x{data[error.start]:02X} is not UTF-8 text. "
            "Save the file as UTF-8 (CSV UTF-8 in a spreadsheet) and try again."
        ) from error


def _line_of_record(path: Path, record: int) -> int:
    """The line on which a CSV record (1 = the first after the header) starts, quoted line breaks counted."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        start = reader.line_num + 1
        for number, _row in enumerate(reader, start=1):
            if number == record:
                return start
            start = reader.line_num + 1
    return record + 1


def read_table(path: Path) -> pa.Table:
    if not path.is_file():
        raise _fail(f"--input {path}: no such file.")
    try:
        if _format(path, "--input") == "csv":
            data = path.read_bytes()
            _check_utf8(path, data)
            header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))), [])
            if not header:
                raise _fail(f"--input {path}, line 1: the file is empty; it needs a header line and records.")
            if "record_id" not in (name.strip() for name in header):
                raise _fail(
                    f"--input {path}, line 1 (the header), column record_id: there is no such column; it is required "
                    f"(one unique id per record). Columns found: {', '.join(header)}."
                )
            # Every column as text: record ids like 007 and dates stay exactly as written.
            options = pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True)
            table = pa_csv.read_csv(io.BytesIO(data), convert_options=options)
        else:
            table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise _fail(f"--input {path}: could not be read ({error}).") from error
    if table.num_rows == 0:
        where = "has a header (line 1) but no records" if path.suffix.lower() == ".csv" else "has no rows"
        raise _fail(f"--input {path}: the file {where}; there is nothing to link.")
    return table


def _where(path: Path, record: int) -> str:
    if path.suffix.lower() == ".csv":
        return f"line {_line_of_record(path, record)} (record {record})"
    return f"row {record}"


def _check_dates(path: Path, table: pa.Table) -> None:
    """Refuse dates of birth that are not real dates, or written month first, naming the first one."""
    if "date_of_birth" not in table.column_names:
        return
    # The dates alone: the whole record is standardised once, by the linkage itself.
    _, issues = standardise(table.select(["record_id", "date_of_birth"]))
    for column in issues.columns:
        if column.column == "date_of_birth":
            record, value = column.example_rows[0], column.example_values[0]
            more = f" ({column.count - 1:,} more like it)" if column.count > 1 else ""
            raise _fail(
                f"--input {path}, {_where(path, record)}, column date_of_birth: {value!r} is {column.problem}"
                f"{more}. Correct it, leave it blank, or pass --skip-bad-dates to link with it treated as missing."
            )


def write_table(table: pa.Table, path: Path) -> None:
    if FORMATS[path.suffix.lower()] == "csv":
        pa_csv.write_csv(table, path)
    else:
        pq.write_table(table, path)


class Command(BaseCommand):
    help = (
        "Link a CSV or Parquet file of person records into identities (record_id, identity_id, identity_size and "
        "the checks made on each identity), with a match-explanation file beside the output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="person records, .csv or .parquet")
        parser.add_argument("--output", required=True, type=Path, help="identities, .csv or .parquet")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="SQL engine (default duckdb)")
        parser.add_argument("--threshold", type=float, default=None, help="match probability to link at")
        parser.add_argument(
            "--model",
            type=Path,
            default=None,
            help="a model file: used when it fits the input's columns; trained and written there when it does "
            "not exist or the columns changed",
        )
        parser.add_argument("--retrain", action="store_true", help="train a new model even if --model fits")
        parser.add_argument("--save-model", type=Path, default=None, help="also write the model used to this file")
        parser.add_argument(
            "--skip-bad-dates",
            action="store_true",
            help="treat dates of birth that are not real dates (or are month first) as missing instead of stopping",
        )
        parser.add_argument(
            "--max-comparisons",
            type=int,
            default=None,
            help="stop if the blocking rules would score more pairs (default BLUESTONE_LINKAGE_MAX_COMPARISONS)",
        )
        parser.add_argument(
            "--max-identity-size",
            type=int,
            default=None,
            help="hold larger identities for review (default BLUESTONE_LINKAGE_MAX_IDENTITY_SIZE)",
        )

    def _options(self, options: dict[str, Any]) -> tuple[Limits, ClusterPolicy]:
        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold < 1:
            raise _fail(f"--threshold {threshold}: give a match probability between 0 and 1, e.g. 0.9.")
        try:
            limits = Limits(
                max_comparisons=options["max_comparisons"] or settings.BLUESTONE_LINKAGE_MAX_COMPARISONS,
                memory_limit=settings.BLUESTONE_LINKAGE_DUCKDB_MEMORY,
            )
            policy = ClusterPolicy(
                max_size=options["max_identity_size"] or settings.BLUESTONE_LINKAGE_MAX_IDENTITY_SIZE,
                stable_threshold=settings.BLUESTONE_LINKAGE_STABLE_THRESHOLD,
            )
        except ValueError as error:
            raise _fail(str(error)) from error
        return limits, policy

    def _model(self, options: dict[str, Any]) -> LinkageModel | None:
        path: Path | None = options["model"]
        if path is None or options["retrain"] or not path.exists():
            return None
        try:
            return LinkageModel.load(path)
        except (OSError, ValueError) as error:
            raise _fail(f"--model {path}: {error} Pass --retrain to train a new one in its place.") from error

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        output: Path = options["output"]
        _format(source, "--input")
        _format(output, "--output")
        limits, policy = self._options(options)
        model = self._model(options)
        logging.getLogger("splink").setLevel(logging.ERROR)
        # PySpark's bridge to the JVM says goodbye at INFO as the command exits.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        # The run's notes are printed in the report below; the library's log would repeat them.
        logging.getLogger("bluestone.linkage").setLevel(logging.ERROR)
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
            if not options["skip_bad_dates"]:
                try:
                    _check_dates(source, records)
                except ValueError as error:
                    raise _fail(f"--input {source}: {error}") from error
            result, retrained = self._link(
                records, source=source, model=model, options=options, limits=limits, policy=policy, stage=stage
            )
            stage("writing")
            write_table(result.identities, output)
            write_table(result.predictions, explanation_path(output))
            trained_here = model is None or retrained
            if options["model"] is not None and trained_here:
                result.model.save(options["model"])
            if options["save_model"] is not None:
                result.model.save(options["save_model"])
        self._report(result, output, options, trained_here=trained_here, retrained=retrained)

    def _link(
        self,
        records: pa.Table,
        *,
        source: Path,
        model: LinkageModel | None,
        options: dict[str, Any],
        limits: Limits,
        policy: ClusterPolicy,
        stage: Any,
    ) -> tuple[LinkageResult, bool]:
        arguments: dict[str, Any] = {
            "engine": options["engine"],
            "threshold": options["threshold"],
            "progress": stage,
            "limits": limits,
            "policy": policy,
        }
        try:
            try:
                return link_records(records, model=model, **arguments), False
            except ModelDoesNotFit:
                # The data's columns changed since the model was trained: train one that fits them.
                return link_records(records, model=None, **arguments), True
        except ValueError as error:
            raise _fail(f"--input {source}: {error}") from error
        except duckdb.OutOfMemoryException as error:
            raise _fail(
                f"--input {source}: linkage ran out of memory ({error}). Raise BLUESTONE_LINKAGE_DUCKDB_MEMORY or "
                "lower --max-comparisons."
            ) from error

    def _report(
        self, result: LinkageResult, output: Path, options: dict[str, Any], *, trained_here: bool, retrained: bool
    ) -> None:
        summary = result.summary
        self.stdout.write(
            f"Linked {summary.records:,} records into {summary.identities:,} identities "
            f"({summary.records_in_shared_identities:,} records share an identity) at match probability "
            f"{summary.threshold:g} on {summary.engine}."
        )
        model_path = options["model"]
        if retrained:
            self.stdout.write(f"The model at {model_path} was trained on other columns, so a new one was trained.")
        if model_path is not None:
            self.stdout.write(f"Model: {model_path} ({'trained on this file' if trained_here else 'reused'}).")
        if summary.pairs_held:
            self.stdout.write(
                f"{summary.pairs_held:,} likely pairs were not linked (twins, a household or father and son, with no "
                "identifier or email in common): see held_reason in the explanations."
            )
        if summary.identities_for_review:
            self.stdout.write(
                f"{summary.identities_for_review:,} identities are held for review (largest: "
                f"{summary.largest_identity:,} records): see the review column."
            )
        self.stdout.write(f"Identities: {output}")
        self.stdout.write(f"Match explanations ({summary.pairs_kept:,} pairs): {explanation_path(output)}")
        for warning in summary.warnings:
            self.stdout.write(f"Note: {warning}")
        issues = summary.parse_issues
        if issues:
            self.stdout.write(f"{issues.total:,} values could not be used and were treated as missing:")
            for column in issues.columns:
                rows = ", ".join(str(row) for row in column.example_rows)
                self.stdout.write(
                    f"  {column.column}: {column.count:,} {column.problem} (e.g. records {rows}; record 1 is the first)"
                )
        else:
            self.stdout.write("Every value parsed.")
