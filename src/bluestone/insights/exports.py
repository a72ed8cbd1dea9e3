"""Pseudonymised analytic exports: cases, involvements, outcomes, timeline events and measures for a period.

What an export holds (docs/measures.md, "Pseudonymised exports"):

- a case is its case key ("Case 7F3K-92QD-H4MX") and a person record its person pseudonym, both keyed
  with the project's pseudonym key (`bluestone.core.pseudonyms`), so the same case or person has the
  same pseudonym in every export and on the analysts' pages;
- every date is a month, written `YYYY-MM`;
- nothing that identifies a victim or anyone else: no names, dates of birth, addresses, postcodes,
  phones, emails, identifiers, crime references, locations or free text (summaries, rationales);
- the measures as on the Measures page's download, counts from 1 to 4 suppressed;
- no row of a restricted case: as on the analysts' case list, restricted cases are left out (the
  measures still count them, as the Measures page does).

Every export is a disclosure: it is logged with who made it, who it is for and why, the period and
the number of rows in each file, before any file is written or sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case, CaseEvent, Involvement, Outcome, Role
from bluestone.core.pseudonyms import case_key, person_pseudonym
from bluestone.insights.selectors import Scope, day_bounds, measure_rows
from bluestone.measures import Period, Row, write_csv
from bluestone.measures.disclosure import is_small, is_suppressed

FORMATS = ("csv", "parquet")
OBJECT_TYPE = "insights.analyticexport"
# The roles an involvement is exported for: the people an analyst counts.
EXPORTED_ROLES = (Role.VICTIM, Role.SUSPECT)


@dataclass(frozen=True)
class Column:
    name: str
    kind: pa.DataType


@dataclass
class Table:
    name: str
    columns: Sequence[Column]
    rows: list[tuple[Any, ...]]

    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(column.name, column.kind) for column in self.columns])


STRING = pa.string()
BOOL = pa.bool_()
INT = pa.int64()
FLOAT = pa.float64()

CASES = (
    Column("case", STRING),
    Column("recorded_month", STRING),
    Column("reported_month", STRING),
    Column("offence_month", STRING),
    Column("offence_class", STRING),
    Column("offence_group", STRING),
    Column("how_reported", STRING),
    Column("non_recent", BOOL),
    Column("team", STRING),
    Column("status", STRING),
    Column("suspect_identified", BOOL),
)
INVOLVEMENTS = (Column("case", STRING), Column("person", STRING), Column("role", STRING))
OUTCOMES = (
    Column("case", STRING),
    Column("outcome_code", INT),
    Column("decided_month", STRING),
    Column("recorded_month", STRING),
    Column("victim_informed", BOOL),
)
EVENTS = (Column("case", STRING), Column("kind", STRING), Column("occurred_month", STRING))
MEASURES = (
    Column("measure", STRING),
    Column("breakdown", STRING),
    Column("numerator", INT),
    Column("denominator", INT),
    Column("value", FLOAT),
    Column("suppressed", BOOL),
)


def month(value: dt.date | dt.datetime | None) -> str | None:
    """`YYYY-MM`; a time is first taken to its day in Europe/London."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return f"{value:%Y-%m}"


def export_access_check(user: User) -> None:
    if not rules.test_rule("insights.export_analytics", user):
        raise PermissionDenied("Analytic exports are for supervisors and analysts.")


def _cases(period: Period) -> Table:
    start, end = day_bounds(period)
    suspects = set(
        Involvement.objects.filter(
            role=Role.SUSPECT, case__recorded_at__gte=start, case__recorded_at__lt=end, case__restricted=False
        ).values_list("case_id", flat=True)
    )
    fields = (
        "pk",
        "recorded_at",
        "reported_at",
        "offence_from",
        "offence_class_id",
        "offence_class__group",
        "how_reported",
        "non_recent",
        "team__code",
        "status",
    )
    rows = []
    for values in (
        Case.objects.filter(recorded_at__gte=start, recorded_at__lt=end, restricted=False)
        .order_by("recorded_at", "pk")
        .values_list(*fields)
    ):
        pk, recorded_at, reported_at, offence_from, *rest = values
        rows.append((case_key(pk), month(recorded_at), month(reported_at), month(offence_from), *rest, pk in suspects))
    return Table("cases", CASES, rows)


def _involvements(period: Period) -> Table:
    start, end = day_bounds(period)
    rows = [
        (case_key(case_id), person_pseudonym(person_id), role)
        for case_id, person_id, role in Involvement.objects.filter(
            role__in=EXPORTED_ROLES, case__recorded_at__gte=start, case__recorded_at__lt=end, case__restricted=False
        )
        .order_by("case__recorded_at", "case_id", "role", "pk")
        .values_list("case_id", "person_id", "role")
    ]
    return Table("involvements", INVOLVEMENTS, rows)


def _outcomes(period: Period) -> Table:
    rows = [
        (case_key(case_id), code, month(decided_on), month(recorded_at), informed)
        for case_id, code, decided_on, recorded_at, informed in Outcome.objects.filter(
            decided_on__gte=period.start, decided_on__lte=period.end, case__restricted=False
        )
        .order_by("decided_on", "case_id")
        .values_list("case_id", "outcome_type_id", "decided_on", "case__recorded_at", "victim_informed")
    ]
    return Table("outcomes", OUTCOMES, rows)


def _events(period: Period) -> Table:
    start, end = day_bounds(period)
    rows = [
        (case_key(case_id), kind, month(occurred_at))
        for case_id, kind, occurred_at in CaseEvent.objects.filter(
            occurred_at__gte=start, occurred_at__lt=end, case__restricted=False
        )
        .order_by("occurred_at", "pk")
        .values_list("case_id", "kind", "occurred_at")
    ]
    return Table("events", EVENTS, rows)


def _measure_row(row: Row) -> tuple[Any, ...]:
    hidden = is_suppressed(row)
    return (
        row.measure,
        row.breakdown,
        None if is_small(row.numerator) else row.numerator,
        None if is_small(row.denominator) else row.denominator,
        None if hidden else row.value,
        hidden,
    )


@dataclass
class Export:
    period: Period
    as_of: dt.date
    tables: list[Table]
    measure_rows: list[Row]

    def counts(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}

    def files(self, output: str) -> dict[str, bytes]:
        """File name to content: one file per table, in `output` ("csv" or "parquet")."""
        writer: Callable[[Table], bytes] = self._csv if output == "csv" else _parquet
        return {f"{table.name}.{output}": writer(table) for table in self.tables}

    def _csv(self, table: Table) -> bytes:
        out = io.StringIO()
        if table.name == "measures":
            # Exactly the Measures page's download: counts from 1 to 4 written "<5", their value empty.
            write_csv(self.measure_rows, out, suppress_small=True)
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([column.name for column in table.columns])
            writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
        return out.getvalue().encode()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parquet(table: Table) -> bytes:
    columns = list(zip(*table.rows, strict=True)) if table.rows else [() for _ in table.columns]
    arrow = pa.table(
        [pa.array(list(values), type=column.kind) for column, values in zip(table.columns, columns, strict=True)],
        schema=table.schema(),
    )
    out = io.BytesIO()
    pq.write_table(arrow, out)
    return out.getvalue()


def export_build(*, period: Period, as_of: dt.date) -> Export:
    """The period's tables, force-wide (no audit entry: `export_files` logs the disclosure)."""
    rows = measure_rows(period=period, as_of=as_of, scope=Scope())
    tables = [
        _cases(period),
        _involvements(period),
        _outcomes(period),
        _events(period),
        Table("measures", MEASURES, [_measure_row(row) for row in rows]),
    ]
    return Export(period=period, as_of=as_of, tables=tables, measure_rows=rows)


def export_files(
    *,
    actor: User | None,
    period: Period,
    as_of: dt.date,
    output: str,
    recipient: str,
    request: HttpRequest | None = None,
    via: str = "web",
) -> dict[str, bytes]:
    """Build the export and log it as a disclosure; the files are returned only once the entry is written.

    `actor` is None only from the command line, which has no signed-in user; the entry then says so.
    """
    if actor is not None:
        export_access_check(actor)
    if output not in FORMATS:
        raise ValueError(f"An export is csv or parquet, not {output!r}.")
    built = export_build(period=period, as_of=as_of)
    files = built.files(output)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DISCLOSURE,
            request=request,
            object_type=OBJECT_TYPE,
            recipient=recipient,
            details={
                "what": f"pseudonymised cases, involvements, outcomes, events and measures as {output}",
                "format": output,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "as_of": as_of.isoformat(),
                "rows": built.counts(),
                "via": via,
            },
        )
    return files


def zip_files(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def write_files(files: dict[str, bytes], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written
