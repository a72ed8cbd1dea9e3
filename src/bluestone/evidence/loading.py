"""Loading the evidence register's optional extract table: exhibits, with a victim's phone on its
return clock.

Registered with `bluestone.cases.loading.optional` in the app's ready(). Rows get ids that the
extract's keys decide, so a re-load updates them in place; what the application adds (movements,
disposal, retention) is not in the extract and is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bluestone import extract
from bluestone.cases.loading.checks import LoadProblem, Problems, check_choices, check_text
from bluestone.cases.loading.optional import OptionalTables
from bluestone.cases.loading.sql import Columns
from bluestone.cases.loading.tables import Sink, column_values, slices, stable_id, text_values
from bluestone.cases.models import Case, PersonRecord
from bluestone.evidence.models import Exhibit, ExhibitStatus, HowObtained, ItemKind, Owner

# Fields the extract does not carry: empty on a new exhibit, left as they are on a re-load.
_APP_ONLY = {"disposal_authority": "", "returned_to": "", "retention_reason": ""}


def evidence_checks(tables: dict[str, pa.Table], problems: Problems) -> None:
    spec = extract.EXHIBITS
    choices = [
        ("owner", set(Owner.values), "an owner"),
        ("item_kind", set(ItemKind.values), "a kind of item"),
        ("how_obtained", set(HowObtained.values), "how it was obtained"),
        ("status", set(ExhibitStatus.values), "an exhibit status"),
    ]
    for column, allowed, what in choices:
        check_choices(tables, problems, spec=spec, column=column, allowed=allowed, what=what)
    field = Exhibit._meta.get_field
    texts: list[tuple[str, Any]] = [
        ("exhibit_id", None),
        ("reference", field("reference")),
        ("description", field("description")),
        ("location", field("location")),
    ]
    for column, model_field in texts:
        check_text(tables, problems, spec=spec, column=column, model_field=model_field)
    if "exhibits" not in tables:
        return
    table = tables["exhibits"]
    obtained = table.column("obtained_at")
    for column in ("returned_at", "replacement_provided_at", "return_due_at"):
        problems.add_rows(spec, pc.less(table.column(column), obtained), column, "before the exhibit was obtained.")
    problems.add_rows(
        spec,
        pc.and_(pc.equal(table.column("status"), ExhibitStatus.RETURNED), pc.is_null(table.column("returned_at"))),
        "returned_at",
        "a returned exhibit needs the moment it was returned.",
    )
    keys = pc.binary_join_element_wise(table.column("case_id"), table.column("reference"), "\n")
    if pc.count_distinct(keys).as_py() != table.num_rows:
        seen: set[str] = set()
        for index, key in enumerate(keys.to_pylist()):
            if key in seen:
                problems.add(
                    LoadProblem(
                        spec.filename,
                        "the case already has an exhibit with this reference.",
                        row=index + 1,
                        column="reference",
                    )
                )
            seen.add(key)


def _lookup(model: Any, lookup: str, keys: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 900):
        rows = model.objects.filter(**{f"{lookup}__in": keys[start : start + 900]}).values_list(lookup, "pk")
        found.update({str(k): v for k, v in rows})
    return found


def evidence_write(tables: dict[str, pa.Table], *, now: dt.datetime, sink: Sink) -> None:
    table = tables["exhibits"]
    case_ids = _lookup(Case, "crime_reference", sorted(set(column_values(table, "case_id"))))
    people = sorted({p for p in column_values(table, "person_record_id") if p is not None})
    person_ids = _lookup(PersonRecord, "source_id", people)

    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        obtained = column_values(part, "obtained_at")
        returned = column_values(part, "returned_at")
        return [
            [stable_id("exhibit", k) for k in column_values(part, "exhibit_id")],
            [case_ids[c] for c in column_values(part, "case_id")],
            text_values(column_values(part, "reference")),
            text_values(column_values(part, "description")),
            column_values(part, "owner"),
            [None if p is None else person_ids[p] for p in column_values(part, "person_record_id")],
            column_values(part, "item_kind"),
            column_values(part, "how_obtained"),
            obtained,
            text_values(column_values(part, "location")),
            column_values(part, "status"),
            column_values(part, "return_due_at"),
            column_values(part, "replacement_provided_at"),
            returned,
            [None if r is None else int((r - o).total_seconds()) for o, r in zip(obtained, returned, strict=True)],
            *([value] * n for value in _APP_ONLY.values()),
            [now] * n,
            [now] * n,
        ]

    names = [
        "id",
        "case",
        "reference",
        "description",
        "owner",
        "person",
        "item_kind",
        "how_obtained",
        "obtained_at",
        "location",
        "status",
        "return_due_at",
        "replacement_provided_at",
        "returned_at",
        "seconds_to_return",
        *_APP_ONLY,
        "created_at",
        "updated_at",
    ]
    sink.upsert(
        "exhibits",
        Exhibit,
        conflict="id",
        names=names,
        batches=(columns(part) for part in slices(table)),
        total=table.num_rows,
        keep=list(_APP_ONLY),
    )


EXHIBIT_TABLES = OptionalTables(
    name="evidence", tables=(extract.EXHIBITS,), checks=evidence_checks, write=evidence_write, order=30
)
