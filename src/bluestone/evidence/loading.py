"""Loading the evidence register's optional extract tables: digital and third-party requests, and
exhibits, with a victim's phone on its return clock.

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
from bluestone.cases.loading.tables import Sink, column_values, stable_id, text_values
from bluestone.cases.models import Case, PersonRecord
from bluestone.evidence.models import (
    DigitalRequest,
    Exhibit,
    ExhibitStatus,
    HolderKind,
    HowObtained,
    ItemKind,
    Owner,
    RequestKind,
    RequestStatus,
)
from bluestone.investigation.models import LineOfEnquiry

# Fields the extract does not carry: empty on a new exhibit, left as they are on a re-load.
_APP_ONLY = {"disposal_authority": "", "returned_to": "", "retention_reason": ""}


# Request fields the extract does not carry: empty on a new request, left as they are on a re-load.
_REQUEST_APP_ONLY = {
    "less_intrusive_options": "",
    "selective_extraction": False,
    "selective_extraction_detail": "",
    "holder": "",
    "material": "",
    "relevance": "",
    "substantial_probative_value": "",
    "notice_exception": "",
    "notice_exception_reason": "",
    "legal_basis": "",
    "decision_note": "",
    "refusal_note": "",
    "completion_note": "",
    "withdrawal_note": "",
}


def _check_requests(tables: dict[str, pa.Table], problems: Problems) -> None:
    spec = extract.DIGITAL_REQUESTS
    choices = [
        ("kind", set(RequestKind.values), "a kind of request"),
        ("status", set(RequestStatus.values), "a request status"),
        ("holder_kind", set(HolderKind.values), "a kind of holder"),
    ]
    for column, allowed, what in choices:
        check_choices(tables, problems, spec=spec, column=column, allowed=allowed, what=what)
    for column in ("request_id", "line_of_enquiry", "purpose", "necessity_rationale"):
        check_text(tables, problems, spec=spec, column=column, model_field=None)
    if "digital_requests" not in tables:
        return
    table = tables["digital_requests"]
    for status, column in (("completed", "completed_at"), ("withdrawn", "withdrawn_at")):
        problems.add_rows(
            spec,
            pc.and_(pc.equal(table.column("status"), status), pc.is_null(table.column(column))),
            column,
            f"a {status} request needs the moment it was {status}.",
        )


def evidence_checks(tables: dict[str, pa.Table], problems: Problems) -> None:
    _check_requests(tables, problems)
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
    if "digital_requests" in tables:
        _write_requests(tables["digital_requests"], now=now, sink=sink)
    if "exhibits" in tables:
        _write_exhibits(tables["exhibits"], now=now, sink=sink)


def _write_requests(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    case_ids = _lookup(Case, "crime_reference", sorted(set(column_values(table, "case_id"))))
    person_ids = _lookup(PersonRecord, "source_id", sorted({p for p in column_values(table, "person_record_id") if p}))
    lines = sorted({line for line in column_values(table, "line_id") if line})
    line_ids = {line: stable_id("plan_line", line) for line in lines}
    present = set(LineOfEnquiry.objects.filter(pk__in=list(line_ids.values())).values_list("pk", flat=True))

    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        return [
            [stable_id("digital_request", k) for k in column_values(part, "request_id")],
            [case_ids[c] for c in column_values(part, "case_id")],
            column_values(part, "kind"),
            [None if p is None else person_ids[p] for p in column_values(part, "person_record_id")],
            column_values(part, "status"),
            [line_ids[x] if x and line_ids[x] in present else None for x in column_values(part, "line_id")],
            text_values(column_values(part, "line_of_enquiry")),
            text_values(column_values(part, "purpose")),
            text_values(column_values(part, "necessity_rationale")),
            column_values(part, "victim_agreed"),
            text_values(column_values(part, "holder_kind")),
            column_values(part, "decided_at"),
            column_values(part, "completed_at"),
            column_values(part, "withdrawn_at"),
            *([value] * n for value in _REQUEST_APP_ONLY.values()),
            [now] * n,
            [now] * n,
        ]

    names = [
        "id",
        "case",
        "kind",
        "person",
        "status",
        "plan_line",
        "line_of_enquiry",
        "purpose",
        "necessity_rationale",
        "victim_agreed",
        "holder_kind",
        "decided_at",
        "completed_at",
        "withdrawn_at",
        *_REQUEST_APP_ONLY,
        "created_at",
        "updated_at",
    ]
    sink.upsert_table(
        "digital requests",
        DigitalRequest,
        table,
        columns,
        conflict="id",
        names=names,
        keep=list(_REQUEST_APP_ONLY),
    )


def _write_exhibits(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
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
    sink.upsert_table(
        "exhibits",
        Exhibit,
        table,
        columns,
        conflict="id",
        names=names,
        keep=list(_APP_ONLY),
    )


EVIDENCE_TABLES = OptionalTables(
    name="evidence",
    tables=(extract.DIGITAL_REQUESTS, extract.EXHIBITS),
    checks=evidence_checks,
    write=evidence_write,
    order=30,
)
