"""The rows of each table, built from the checked extract column by column, and handed to a writer.

Tables are written parents first; each parent's database ids, read back by the extract's keys,
resolve the foreign keys of its children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from django.db import models

from bluestone.accounts.models import Officer, Team
from bluestone.cases.loading.sql import Progress, Upsert
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
        columns: Sequence[Sequence[Any]],
        keep: Sequence[str] = (),
    ) -> None:
        upsert = Upsert(model, conflict=conflict, columns=names, keep=keep)
        if self.progress:
            self.progress(label, 0, len(columns[0]) if columns else 0)
        self.summary.rows[label] = self.write(upsert, columns, label=label, progress=self.progress)


def _stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_ID_NAMESPACE, f"{kind}:{key}")


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _text(values: list[Any]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


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
        columns=[codes, _text(_column(table, "name")), [now] * n, [now] * n],
    )
    return _id_map(Team, "code", codes)


def write_officers(table: pa.Table, *, team_ids: dict[str, int], now: dt.datetime, sink: Sink) -> dict[str, int]:
    collars = _column(table, "officer_id")
    n = len(collars)
    sink.upsert(
        "officers",
        Officer,
        conflict="collar_number",
        names=["collar_number", "first_name", "last_name", "rank", "team", "created_at", "updated_at"],
        columns=[
            collars,
            _text(_column(table, "first_name")),
            _text(_column(table, "last_name")),
            _column(table, "rank"),
            [team_ids[t] for t in _column(table, "team_id")],
            [now] * n,
            [now] * n,
        ],
    )
    return _id_map(Officer, "collar_number", collars)


def write_cases(
    table: pa.Table, *, team_ids: dict[str, int], officer_ids: dict[str, int], now: dt.datetime, sink: Sink
) -> dict[str, uuid.UUID]:
    refs = _column(table, "case_id")
    n = len(refs)
    names = [
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
    columns = [
        [_stable_id("case", r) for r in refs],
        refs,
        _column(table, "reported_at"),
        _column(table, "recorded_at"),
        _column(table, "offence_from"),
        _column(table, "offence_to"),
        _column(table, "non_recent"),
        _column(table, "how_reported"),
        _text(_column(table, "location_description")),
        _text(_column(table, "location_postcode")),
        _column(table, "offence_code"),
        [team_ids[t] for t in _column(table, "team_id")],
        [None if o is None else officer_ids[o] for o in _column(table, "officer_id")],
        _column(table, "status"),
        [""] * n,
        [now] * n,
        [now] * n,
    ]
    # A summary written in the application is not part of the extract: keep it on re-load.
    sink.upsert("cases", Case, conflict="crime_reference", names=names, columns=columns, keep=["summary"])
    return _id_map(Case, "crime_reference", refs)


def write_persons(table: pa.Table, *, now: dt.datetime, sink: Sink) -> dict[str, uuid.UUID]:
    keys = _column(table, "person_record_id")
    n = len(keys)
    names = [
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
    columns = [
        [_stable_id("person", k) for k in keys],
        keys,
        _text(_column(table, "first_name")),
        _text(_column(table, "middle_names")),
        _text(_column(table, "last_name")),
        [[a.strip() for a in v.split(";") if a.strip()] if v else [] for v in _column(table, "aliases")],
        _column(table, "date_of_birth"),
        [g or Gender.UNKNOWN.value for g in _column(table, "gender")],
        _text(_column(table, "ethnicity")),
        [now] * n,
        [now] * n,
    ]
    sink.upsert("persons", PersonRecord, conflict="source_id", names=names, columns=columns)
    ids = _id_map(PersonRecord, "source_id", keys)
    _write_person_details(table, keys=keys, ids=ids, now=now, sink=sink)
    return ids


def _write_person_details(
    table: pa.Table, *, keys: list[str], ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink
) -> None:
    addresses = _text(_column(table, "address"))
    postcodes = _text(_column(table, "postcode"))
    address_rows = [
        (k, ids[k], a, p, True, now, now) for k, a, p in zip(keys, addresses, postcodes, strict=True) if a or p
    ]
    address_names = ["source_id", "person", "address", "postcode", "is_current", "created_at", "updated_at"]
    sink.upsert(
        "addresses",
        PersonAddress,
        conflict="source_id",
        names=address_names,
        columns=_transpose(address_rows, len(address_names)),
    )

    details: list[tuple[type[models.Model], str, str, list[str]]] = [
        (PersonPhone, "phones", "number", _text(_column(table, "phone"))),
        (PersonEmail, "emails", "address", _text(_column(table, "email"))),
    ]
    for model, label, value_field, values in details:
        detail_rows = [(k, ids[k], v, now, now) for k, v in zip(keys, values, strict=True) if v]
        detail_names = ["source_id", "person", value_field, "created_at", "updated_at"]
        sink.upsert(
            label, model, conflict="source_id", names=detail_names, columns=_transpose(detail_rows, len(detail_names))
        )

    pnc = _text(_column(table, "pnc_id"))
    identifier_rows = [
        (k, ids[k], IdentifierKind.PNC_ID.value, v, now, now) for k, v in zip(keys, pnc, strict=True) if v
    ]
    identifier_names = ["source_id", "person", "kind", "value", "created_at", "updated_at"]
    sink.upsert(
        "identifiers",
        PersonIdentifier,
        conflict="source_id",
        names=identifier_names,
        columns=_transpose(identifier_rows, len(identifier_names)),
    )


def write_involvements(
    table: pa.Table,
    *,
    case_ids: dict[str, uuid.UUID],
    person_ids: dict[str, uuid.UUID],
    now: dt.datetime,
    sink: Sink,
) -> None:
    n = table.num_rows
    sink.upsert(
        "involvements",
        Involvement,
        conflict="source_id",
        names=["source_id", "case", "person", "role", "relationship_to_victim", "created_at", "updated_at"],
        columns=[
            _column(table, "involvement_id"),
            [case_ids[c] for c in _column(table, "case_id")],
            [person_ids[p] for p in _column(table, "person_record_id")],
            _column(table, "role"),
            _text(_column(table, "relationship_to_victim")),
            [now] * n,
            [now] * n,
        ],
    )


def write_outcomes(table: pa.Table, *, case_ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink) -> None:
    n = table.num_rows
    decided = _column(table, "decided_on")
    informed = _column(table, "victim_informed")
    sink.upsert(
        "outcomes",
        Outcome,
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
        columns=[
            [case_ids[c] for c in _column(table, "case_id")],
            _column(table, "outcome_code"),
            decided,
            _text(_column(table, "rationale")),
            informed,
            [d if i else None for d, i in zip(decided, informed, strict=True)],
            [now] * n,
            [now] * n,
        ],
    )


def write_events(table: pa.Table, *, case_ids: dict[str, uuid.UUID], now: dt.datetime, sink: Sink) -> None:
    n = table.num_rows
    sink.upsert(
        "events",
        CaseEvent,
        conflict="source_id",
        names=["source_id", "case", "occurred_at", "kind", "summary", "created_at", "updated_at"],
        columns=[
            _column(table, "event_id"),
            [case_ids[c] for c in _column(table, "case_id")],
            _column(table, "occurred_at"),
            _column(table, "kind"),
            _text(_column(table, "summary")),
            [now] * n,
            [now] * n,
        ],
    )
