"""The rows of each table, built from the checked extract column by column, and handed to a writer.

Tables are written parents first; each parent's database ids, read back by the extract's keys,
resolve the foreign keys of its children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import models

from bluestone.accounts.models import Officer, Team
from bluestone.cases.loading.sql import Columns, Progress, Upsert
from bluestone.cases.models import (
    Case,
    CaseEvent,
    Gender,
    IdentifierKind,
    Involvement,
    Outcome,
    PersonAddress,
    PersonEmail,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
)

# Deterministic ids: the same extract row always gets the same UUID, so re-loads keep URLs stable.
_ID_NAMESPACE = uuid.UUID("5f0c1d1e-7a43-4c55-9d6b-4d0a2b1f6e21")
# Rows turned into Python values at a time: bounds the memory a force of millions of rows needs.
SLICE = 100_000

Write = Callable[..., int]


@dataclass
class LoadSummary:
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Sink:
    """Where the rows go: the database's writer, the counts per table, and the progress callback."""

    write: Write
    progress: Progress | None
    summary: LoadSummary = field(default_factory=LoadSummary)

    def upsert(
        self,
        label: str,
        model: type[models.Model],
        *,
        conflict: str,
        names: Sequence[str],
        batches: Iterable[Columns],
        total: int,
        keep: Sequence[str] = (),
    ) -> None:
        upsert = Upsert(model, conflict=conflict, columns=names, keep=keep)
        if self.progress:
            self.progress(label, 0, total)
        self.summary.rows[label] = self.write(upsert, batches, total=total, label=label, progress=self.progress)

    def upsert_table(
        self,
        label: str,
        model: type[models.Model],
        table: pa.Table,
        columns: Callable[[pa.Table], Columns],
        *,
        conflict: str,
        names: Sequence[str],
        keep: Sequence[str] = (),
    ) -> None:
        """`upsert` of an extract table, slice by slice: `columns` turns a slice into the rows' columns."""
        self.upsert(
            label,
            model,
            conflict=conflict,
            names=names,
            batches=(columns(part) for part in _slices(table)),
            total=table.num_rows,
            keep=keep,
        )


def _stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_ID_NAMESPACE, f"{kind}:{key}")


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _text(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


def _slices(table: pa.Table) -> Iterator[pa.Table]:
    for start in range(0, table.num_rows, SLICE):
        yield table.slice(start, SLICE)


def _filled(values: pa.ChunkedArray) -> int:
    """How many values hold more than white space (the rows a detail table gets; for progress only)."""
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(values))
    return int(pc.sum(pc.fill_null(pc.greater(trimmed, 0), False)).as_py() or 0)


def _transpose(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows to columns (a table with no rows still has its `width` columns)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _id_map(model: type[models.Model], key: str, values: list[str]) -> dict[str, Any]:
    """Ids of existing rows by key, read in slices that stay under SQLite's parameter limit."""
    found: dict[str, Any] = {}
    for start in range(0, len(values), 900):
        found.update(
            model._default_manager.filter(**{f"{key}__in": values[start : start + 900]}).values_list(key, "pk")
        )
    return found


def write_teams(table: pa.Table, *, now: dt.datetime, sink: Sink) -> dict[str, int]:
    codes = _column(table, "team_id")
    n = len(codes)
    sink.upsert(
        "teams",
        Team,
        conflict="code",
        names=["code", "name", "created_at", "updated_at"],
        batches=[[codes, _text(_column(table, "name")), [now] * n, [now] * n]],
        total=n,
    )
    return _id_map(Team, "code", codes)


def write_officers(table: pa.Table, *, team_ids: dict[str, int], now: dt.datetime, sink: Sink) -> dict[str, int]:
    collars = _column(table, "officer_id")
    n = len(collars)
    columns = [
        collars,
        _text(_column(table, "first_name")),
        _text(_column(table, "last_name")),
        _column(table, "rank"),
        [team_ids[t] for t in _column(table, "team_id")],
        [now] * n,
        [now] * n,
    ]
    sink.upsert(
        "officers",
        Officer,
        conflict="collar_number",
        names=["collar_number", "first_name", "last_name", "rank", "team", "created_at", "updated_at"],
        batches=[columns],
        total=n,
    )
    return _id_map(Officer, "collar_number", collars)


_CASE_COLUMNS = [
    "id",
    "crime_reference",
    "reported_at",
    "recorded_at",
    "offence_from",
    "offence_to",
    "non_recent",
    "how_reported",
    "location_description",
    "location_postcode",
    "offence_class",
    "team",
    "officer",
    "status",
    "summary",
    "created_at",
    "updated_at",
]


def write_cases(
    table: pa.Table, *, team_ids: dict[str, int], officer_ids: dict[str, int], now: dt.datetime, sink: Sink
) -> dict[str, uuid.UUID]:
    def columns(part: pa.Table) -> Columns:
        refs = _column(part, "case_id")
        n = len(refs)
        return [
            [_stable_id("case", r) for r in refs],
            refs,
            _column(part, "reported_at"),
            _column(part, "recorded_at"),
            _column(part, "offence_from"),
            _column(part, "offence_to"),
            _column(part, "non_recent"),
            _column(part, "how_reported"),
            _text(_column(part, "location_description")),
            _text(_column(part, "location_postcode")),
            _column(part, "offence_code"),
            [team_ids[t] for t in _column(part, "team_id")],
            [None if o is None else officer_ids[o] for o in _column(part, "officer_id")],
            _column(part, "status"),
            [""] * n,
            [now] * n,
            [now] * n,
        ]

    # A summary written in the application is not part of the extract: keep it on re-load.
    sink.upsert_table(
        "cases",
        Case,
        table,
        columns,
        conflict="crime_reference",
        names=_CASE_COLUMNS,
        keep=["summary"],
    )
    return _id_map(Case, "crime_reference", _column(table, "case_id"))


_PERSON_COLUMNS = [
    "id",
    "source_id",
    "first_name",
    "middle_names",
    "last_name",
    "aliases",
    "date_of_birth",
    "gender",
    "ethnicity",
    "created_at",
    "updated_at",
]


def write_persons(table: pa.Table, *, now: dt.datetime, sink: Sink) -> dict[str, uuid.UUID]:
    def columns(part: pa.Table) -> Columns:
        keys = _column(part, "person_record_id")
        n = len(keys)
        return [
            [_stable_id("person", k) for k in keys],
            keys,
            _text(_column(part, "first_name")),
            _text(_column(part, "middle_names")),
            _text(_column(part, "last_name")),
            [[a.strip() for a in v.split(";") if a.strip()] if v else [] for v in _column(part, "aliases")],
            _column(part, "date_of_birth"),
            [g or Gender.UNKNOWN.value for g in _column(part, "gender")],
            _text(_column(part, "ethnicity")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "persons",
        PersonRecord,
        table,
        columns,
        conflict="source_id",
        names=_PERSON_COLUMNS,
    )
    ids = _id_map(PersonRecord, "source_id", _column(table, "person_record_id"))
    _write_person_details(table, ids=ids, now=now, sink=sink)
    return ids


def _write_person_details(table: pa.Table, *, ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink) -> None:
    """Addresses, phones, e-mail addresses and PNC ids: a row for each person with a value, keyed by the person's."""

    def addresses(part: pa.Table) -> Columns:
        keys = _column(part, "person_record_id")
        values = zip(keys, _text(_column(part, "address")), _text(_column(part, "postcode")), strict=True)
        return _transpose([(k, ids[k], a, p, True, now, now) for k, a, p in values if a or p], 7)

    address_total = _filled(
        pc.binary_join_element_wise(
            table.column("address"), table.column("postcode"), "", null_handling="replace", null_replacement=""
        )
    )
    sink.upsert(
        "addresses",
        PersonAddress,
        conflict="source_id",
        names=["source_id", "person", "address", "postcode", "is_current", "created_at", "updated_at"],
        batches=(addresses(part) for part in _slices(table)),
        total=address_total,
    )

    def details(part: pa.Table, column: str, *extra: str) -> Columns:
        keys = _column(part, "person_record_id")
        values = zip(keys, _text(_column(part, column)), strict=True)
        return _transpose([(k, ids[k], *extra, v, now, now) for k, v in values if v], 5 + len(extra))

    kinds: list[tuple[type[models.Model], str, str, list[str], dict[str, str]]] = [
        (PersonPhone, "phones", "phone", ["number"], {}),
        (PersonEmail, "emails", "email", ["address"], {}),
        (PersonIdentifier, "identifiers", "pnc_id", ["kind", "value"], {"kind": IdentifierKind.PNC_ID.value}),
    ]
    for model, label, column, value_fields, fixed in kinds:
        sink.upsert(
            label,
            model,
            conflict="source_id",
            names=["source_id", "person", *value_fields, "created_at", "updated_at"],
            batches=(details(part, column, *fixed.values()) for part in _slices(table)),
            total=_filled(table.column(column)),
        )


def write_involvements(
    table: pa.Table,
    *,
    case_ids: dict[str, uuid.UUID],
    person_ids: dict[str, uuid.UUID],
    now: dt.datetime,
    sink: Sink,
) -> None:
    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        return [
            _column(part, "involvement_id"),
            [case_ids[c] for c in _column(part, "case_id")],
            [person_ids[p] for p in _column(part, "person_record_id")],
            _column(part, "role"),
            _text(_column(part, "relationship_to_victim")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "involvements",
        Involvement,
        table,
        columns,
        conflict="source_id",
        names=["source_id", "case", "person", "role", "relationship_to_victim", "created_at", "updated_at"],
    )


def write_outcomes(table: pa.Table, *, case_ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink) -> None:
    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        decided = _column(part, "decided_on")
        informed = _column(part, "victim_informed")
        return [
            [case_ids[c] for c in _column(part, "case_id")],
            _column(part, "outcome_code"),
            decided,
            _text(_column(part, "rationale")),
            informed,
            [d if i else None for d, i in zip(decided, informed, strict=True)],
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "outcomes",
        Outcome,
        table,
        columns,
        conflict="case",
        names=[
            "case",
            "outcome_type",
            "decided_on",
            "rationale",
            "victim_informed",
            "victim_informed_on",
            "created_at",
            "updated_at",
        ],
    )


def write_events(table: pa.Table, *, case_ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink) -> None:
    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        return [
            _column(part, "event_id"),
            [case_ids[c] for c in _column(part, "case_id")],
            _column(part, "occurred_at"),
            _column(part, "kind"),
            _text(_column(part, "summary")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "events",
        CaseEvent,
        table,
        columns,
        conflict="source_id",
        names=["source_id", "case", "occurred_at", "kind", "summary", "created_at", "updated_at"],
    )


# For the apps that load their own optional tables (`bluestone.cases.loading.optional`).
stable_id = _stable_id
column_values = _column
text_values = _text
