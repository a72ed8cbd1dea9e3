"""Reading an extract and checking it: types, values, references between tables, dates, text, outcome rules.

Nothing here writes. Every problem is located by file, row (1-based) and column where it can be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.db import models

from bluestone import extract
from bluestone.accounts.models import Officer, Rank, Team
from bluestone.cases.loading.optional import optional_tables_registered
from bluestone.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Gender,
    HowReported,
    Involvement,
    Outcome,
    PersonAddress,
    PersonEmail,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
    Relationship,
    Role,
)
from bluestone.cases.outcome_rules import OutcomeFacts, outcome_problems
from bluestone.core import clock
from bluestone.core.models import OffenceClass, OutcomeType
from bluestone.core.text import BIDI_PATTERN, CONTROL_PATTERN, CONTROL_PATTERN_MULTILINE, EARLIEST_DATE_OF_BIRTH

_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class LoadProblem:
    """One thing wrong with the extract, located as precisely as it can be."""

    file: str
    message: str
    row: int | None = None  # 1-based: the first record of the file is row 1
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ExtractError(Exception):
    """The extract cannot be loaded; nothing was written."""

    def __init__(self, problems: Sequence[LoadProblem], *, more: int = 0) -> None:
        self.problems = list(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problems of the same kinds.")
        super().__init__("\n".join(lines))


class Problems:
    def __init__(self) -> None:
        self.items: list[LoadProblem] = []
        self.more = 0

    def add(self, problem: LoadProblem) -> None:
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1

    def add_rows(self, table: extract.Table, mask: pa.ChunkedArray | pa.Array, column: str, message: str) -> None:
        """Report each row where `mask` is true (nulls in the mask count as false)."""
        rows = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
        for index in rows[: _MAX_PROBLEMS - len(self.items) + 1]:
            self.add(LoadProblem(table.filename, message, row=index + 1, column=column))
        self.more += max(0, len(rows) - (_MAX_PROBLEMS - len(self.items) + 1))

    def raise_if_any(self) -> None:
        if self.items:
            raise ExtractError(self.items, more=self.more)


# --- Reading -----------------------------------------------------------------------------------


def extract_read(directory: Path) -> dict[str, pa.Table]:
    """Read and type-check every table of the extract in `directory`.

    Raises ExtractError naming the file, row and column of each problem found.
    """
    problems = Problems()
    tables: dict[str, pa.Table] = {}
    if not directory.is_dir():
        raise ExtractError([LoadProblem(str(directory), "folder not found. Give the folder that holds the extract.")])
    # The core tables must all be there; an optional one is read when the folder holds it (an extract
    # of the core tables alone loads).
    specs = [(spec, True) for spec in extract.TABLES] + [(spec, False) for spec in extract.OPTIONAL_TABLES]
    for spec, required in specs:
        path = directory / spec.filename
        if not path.is_file():
            if required:
                problems.add(LoadProblem(spec.filename, "file not found in the extract folder."))
            continue
        try:
            raw = pq.read_table(path)
        except (pa.ArrowException, OSError) as exc:
            problems.add(LoadProblem(spec.filename, f"not a readable Parquet file ({_first_line(exc)})."))
            continue
        table = _conform(spec, raw, problems)
        if table is not None:
            tables[spec.name] = table
    problems.raise_if_any()
    return tables


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _conform(spec: extract.Table, raw: pa.Table, problems: Problems) -> pa.Table | None:
    """The table with the spec's columns in the spec's types, or None after reporting why not."""
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.column_names]
    for name in missing:
        problems.add(LoadProblem(spec.filename, "required column is missing.", column=name))
    if missing:
        return None
    arrays: list[pa.ChunkedArray] = []
    ok = True
    for column in spec.columns:
        if column.name not in raw.column_names:
            arrays.append(pa.chunked_array([pa.nulls(raw.num_rows, column.type)]))
            continue
        values = raw.column(column.name)
        if not values.type.equals(column.type):
            converted = _cast(values, column.type)
            if converted is None:
                ok = False
                row = _first_uncastable_row(values, column.type)
                problems.add(
                    LoadProblem(
                        spec.filename,
                        f"value cannot be read as {_type_name(column.type)} (the column holds {values.type}).",
                        row=row,
                        column=column.name,
                    )
                )
                continue
            values = converted
        if column.required and values.null_count:
            ok = False
            problems.add_rows(spec, pc.is_null(values), column.name, "value is missing, and this column needs one.")
        arrays.append(values)
    if not ok:
        return None
    return pa.Table.from_arrays(arrays, schema=spec.schema().with_metadata(None))


def _cast(values: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray | None:
    try:
        return pc.cast(values, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None


def _first_uncastable_row(values: pa.ChunkedArray, target: pa.DataType) -> int | None:
    """Find the first row whose value alone fails to cast (only on the error path, so a loop is fine)."""
    for index, value in enumerate(values):
        if value.is_valid and _cast(pa.chunked_array([pa.array([value.as_py()])]), target) is None:
            return index + 1
    return None


def _type_name(data_type: pa.DataType) -> str:
    if pa.types.is_timestamp(data_type):
        return "a date and time"
    if pa.types.is_date(data_type):
        return "a date (YYYY-MM-DD)"
    if pa.types.is_boolean(data_type):
        return "true or false"
    if pa.types.is_integer(data_type):
        return "a whole number"
    return "text"


# --- Checking values, references and rules ------------------------------------------------------


def extract_validate(tables: dict[str, pa.Table]) -> None:
    """Check values, references between tables, and the outcome rules. Raises ExtractError."""
    problems = Problems()
    for spec in extract.TABLES:
        _check_unique(spec, tables[spec.name], problems)
    _check_choices(tables, problems)
    _check_references(tables, problems)
    _check_dates(tables["cases"], problems)
    _check_text(tables, problems)
    _check_dates_of_birth(tables["persons"], problems)
    _check_optional(tables, problems)
    problems.raise_if_any()
    _check_outcome_rules(tables, problems)
    problems.raise_if_any()


def _check_optional(tables: dict[str, pa.Table], problems: Problems) -> None:
    """The optional tables present: unique keys, references to the tables they name, then the checks
    of the app that loads each."""
    present = [spec for spec in extract.OPTIONAL_TABLES if spec.name in tables]
    if not present:
        return
    loaders = optional_tables_registered()
    for spec in present:
        _check_unique(spec, tables[spec.name], problems)
        if not any(spec in entry.tables for entry in loaders):
            problems.add(LoadProblem(spec.filename, "no part of Bluestone loads this table in this installation."))
        for column in spec.columns:
            if not column.refers_to:
                continue
            parent, parent_key = column.refers_to.split(".")
            if parent not in tables:
                problems.add(
                    LoadProblem(
                        spec.filename,
                        f"refers to {parent}.parquet, which is not in the extract folder; "
                        "add it or leave this table out.",
                        column=column.name,
                    )
                )
                continue
            values = tables[spec.name].column(column.name)
            known = tables[parent].column(parent_key)
            missing = pc.and_(pc.invert(pc.is_in(values, value_set=known)), pc.is_valid(values))
            problems.add_rows(spec, missing, column.name, f"refers to a {parent_key} that is not in {parent}.parquet.")
    if problems.items:
        return
    for entry in loaders:
        if any(spec.name in tables for spec in entry.tables):
            entry.checks(tables, problems)


def check_choices(
    tables: dict[str, pa.Table],
    problems: Problems,
    *,
    spec: extract.Table,
    column: str,
    allowed: set[str],
    what: str,
) -> None:
    """Every value of a column is one of `allowed` (for the optional tables' checks)."""
    if spec.name not in tables:
        return
    values = tables[spec.name].column(column)
    bad = pc.and_(pc.invert(pc.is_in(values, value_set=pa.array(sorted(allowed), pa.string()))), pc.is_valid(values))
    listed = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "see the reference data"  # noqa: PLR2004
    problems.add_rows(spec, bad, column, f"not {what} (expected one of: {listed}).")


def check_text(
    tables: dict[str, pa.Table],
    problems: Problems,
    *,
    spec: extract.Table,
    column: str,
    model_field: models.Field[Any, Any] | None,
) -> None:
    """No control or text-direction characters, and not longer than the field that stores it."""
    if spec.name in tables:
        _check_text_column(spec, column, tables[spec.name].column(column), model_field, problems)


def _check_unique(spec: extract.Table, table: pa.Table, problems: Problems) -> None:
    keys = table.column(spec.key)
    if pc.count_distinct(keys).as_py() == table.num_rows:
        return
    seen: set[Any] = set()
    for index, key in enumerate(keys.to_pylist()):
        if key in seen:
            problems.add(LoadProblem(spec.filename, f"'{key}' appears more than once.", row=index + 1, column=spec.key))
        seen.add(key)


def _choice_columns() -> list[tuple[extract.Table, str, set[str], str]]:
    return [
        (extract.OFFICERS, "rank", set(Rank.values), "a rank"),
        (extract.CASES, "how_reported", set(HowReported.values), "a way of reporting"),
        (extract.CASES, "status", set(CaseStatus.values), "a case status"),
        (
            extract.CASES,
            "offence_code",
            set(OffenceClass.objects.values_list("code", flat=True)),
            "a Home Office offence class code in the reference data",
        ),
        (extract.PERSONS, "gender", set(Gender.values), "a gender"),
        (extract.INVOLVEMENTS, "role", set(Role.values), "a role"),
        (extract.INVOLVEMENTS, "relationship_to_victim", set(Relationship.values), "a relationship"),
        (extract.EVENTS, "kind", set(EventKind.values), "an event kind"),
    ]


def _check_choices(tables: dict[str, pa.Table], problems: Problems) -> None:
    for spec, column, allowed, what in _choice_columns():
        values = tables[spec.name].column(column)
        bad = pc.invert(pc.is_in(values, value_set=pa.array(sorted(allowed), pa.string())))
        listed = ", ".join(sorted(allowed)) if len(allowed) <= 12 else "see the reference data"  # noqa: PLR2004
        problems.add_rows(spec, pc.and_(bad, pc.is_valid(values)), column, f"not {what} (expected one of: {listed}).")
    outcomes = tables["outcomes"].column("outcome_code")
    codes = pa.array(sorted(OutcomeType.objects.values_list("code", flat=True)), pa.int16())
    problems.add_rows(
        extract.OUTCOMES,
        pc.invert(pc.is_in(outcomes, value_set=codes)),
        "outcome_code",
        "not a Home Office outcome type in the reference data.",
    )


def _check_references(tables: dict[str, pa.Table], problems: Problems) -> None:
    references = [
        (extract.OFFICERS, "team_id", "teams", "team_id"),
        (extract.CASES, "team_id", "teams", "team_id"),
        (extract.CASES, "officer_id", "officers", "officer_id"),
        (extract.INVOLVEMENTS, "case_id", "cases", "case_id"),
        (extract.INVOLVEMENTS, "person_record_id", "persons", "person_record_id"),
        (extract.OUTCOMES, "case_id", "cases", "case_id"),
        (extract.EVENTS, "case_id", "cases", "case_id"),
    ]
    for spec, column, parent, parent_key in references:
        values = tables[spec.name].column(column)
        known = tables[parent].column(parent_key)
        missing = pc.and_(pc.invert(pc.is_in(values, value_set=known)), pc.is_valid(values))
        problems.add_rows(spec, missing, column, f"refers to a {parent_key} that is not in {parent}.parquet.")


def _check_dates(cases: pa.Table, problems: Problems) -> None:
    offence_from = cases.column("offence_from")
    offence_to = cases.column("offence_to")
    reported = pc.cast(cases.column("reported_at"), pa.date32())
    problems.add_rows(
        extract.CASES,
        pc.greater(offence_from, offence_to),
        "offence_to",
        "the offence ends before it starts: offence_to must be on or after offence_from.",
    )
    problems.add_rows(
        extract.CASES,
        pc.greater(offence_from, reported),
        "offence_from",
        "the offence starts after it was reported.",
    )
    problems.add_rows(
        extract.CASES,
        pc.less(cases.column("recorded_at"), cases.column("reported_at")),
        "recorded_at",
        "the crime was recorded before it was reported.",
    )


def _text_columns() -> list[tuple[extract.Table, str, models.Field[Any, Any] | None]]:
    """Every text column of the extract and the model field it is stored in (None: no length limit)."""
    fields: list[tuple[extract.Table, str, type[models.Model], str | None]] = [
        (extract.TEAMS, "team_id", Team, "code"),
        (extract.TEAMS, "name", Team, "name"),
        (extract.OFFICERS, "officer_id", Officer, "collar_number"),
        (extract.OFFICERS, "first_name", Officer, "first_name"),
        (extract.OFFICERS, "last_name", Officer, "last_name"),
        (extract.CASES, "case_id", Case, "crime_reference"),
        (extract.CASES, "location_description", Case, "location_description"),
        (extract.CASES, "location_postcode", Case, "location_postcode"),
        (extract.PERSONS, "person_record_id", PersonRecord, "source_id"),
        (extract.PERSONS, "first_name", PersonRecord, "first_name"),
        (extract.PERSONS, "middle_names", PersonRecord, "middle_names"),
        (extract.PERSONS, "last_name", PersonRecord, "last_name"),
        (extract.PERSONS, "aliases", PersonRecord, None),
        (extract.PERSONS, "ethnicity", PersonRecord, "ethnicity"),
        (extract.PERSONS, "address", PersonAddress, "address"),
        (extract.PERSONS, "postcode", PersonAddress, "postcode"),
        (extract.PERSONS, "phone", PersonPhone, "number"),
        (extract.PERSONS, "email", PersonEmail, "address"),
        (extract.PERSONS, "pnc_id", PersonIdentifier, "value"),
        (extract.INVOLVEMENTS, "involvement_id", Involvement, "source_id"),
        (extract.OUTCOMES, "rationale", Outcome, "rationale"),
        (extract.EVENTS, "event_id", CaseEvent, "source_id"),
        (extract.EVENTS, "summary", CaseEvent, "summary"),
    ]
    return [
        (spec, column, None if name is None else cast("models.Field[Any, Any]", model._meta.get_field(name)))
        for spec, column, model, name in fields
    ]


def _check_text(tables: dict[str, pa.Table], problems: Problems) -> None:
    """No control or text-direction characters, and no value longer than the column that stores it.

    SQLite does not enforce a column's length, so without this a 5,000-character name would load
    there and fail only on PostgreSQL; the rule is the same on both.
    """
    for spec, column, model_field in _text_columns():
        _check_text_column(spec, column, tables[spec.name].column(column), model_field, problems)


def _check_text_column(
    spec: extract.Table,
    column: str,
    values: pa.ChunkedArray,
    model_field: models.Field[Any, Any] | None,
    problems: Problems,
) -> None:
    multiline = isinstance(model_field, models.TextField)
    control = CONTROL_PATTERN_MULTILINE if multiline else CONTROL_PATTERN
    problems.add_rows(
        spec,
        pc.match_substring_regex(values, control),
        column,
        "holds a control character (such as NUL), which text never needs; remove it.",
    )
    problems.add_rows(
        spec,
        pc.match_substring_regex(values, BIDI_PATTERN),
        column,
        "holds a text-direction control (U+202A to U+202E, U+2066 to U+2069), which can make it display "
        "as something else; remove it.",
    )
    if model_field is not None and model_field.max_length is not None:
        problems.add_rows(
            spec,
            pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), model_field.max_length),
            column,
            f"longer than {model_field.max_length} characters, the most this column holds.",
        )


def _check_dates_of_birth(persons: pa.Table, problems: Problems) -> None:
    births = persons.column("date_of_birth")
    problems.add_rows(
        extract.PERSONS,
        pc.less(births, pa.scalar(EARLIEST_DATE_OF_BIRTH, pa.date32())),
        "date_of_birth",
        "before 1 January 1900: a date of birth must be on or after it.",
    )
    problems.add_rows(
        extract.PERSONS,
        pc.greater(births, pa.scalar(clock.today(), pa.date32())),
        "date_of_birth",
        "in the future: a date of birth must be today or in the past.",
    )


def _check_outcome_rules(tables: dict[str, pa.Table], problems: Problems) -> None:
    persons = tables["persons"]
    named_mask = pc.or_(
        pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(persons.column("first_name"))), 0), False),
        pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(persons.column("last_name"))), 0), False),
    )
    named_people = pc.filter(persons.column("person_record_id"), named_mask)
    involvements = tables["involvements"]
    named_suspect = pc.and_(
        pc.equal(involvements.column("role"), Role.SUSPECT.value),
        pc.is_in(involvements.column("person_record_id"), value_set=named_people),
    )
    cases_with_named_suspect = set(pc.filter(involvements.column("case_id"), named_suspect).to_pylist())
    events = tables["events"]
    withdrew = pc.equal(events.column("kind"), EventKind.VICTIM_WITHDREW.value)
    cases_with_withdrawal = set(pc.filter(events.column("case_id"), withdrew).to_pylist())

    types = {t.code: t for t in OutcomeType.objects.all()}
    outcomes = tables["outcomes"].select(["case_id", "outcome_code", "rationale", "victim_informed"]).to_pylist()
    for index, row in enumerate(outcomes):
        facts = OutcomeFacts(
            has_named_suspect=row["case_id"] in cases_with_named_suspect,
            victim_withdrawal_on_record=row["case_id"] in cases_with_withdrawal,
            rationale=row["rationale"] or "",
            victim_informed=bool(row["victim_informed"]),
        )
        for message in outcome_problems(outcome_type=types[row["outcome_code"]], facts=facts):
            problems.add(
                LoadProblem(
                    extract.OUTCOMES.filename, f"case {row['case_id']}: {message}", row=index + 1, column="outcome_code"
                )
            )
