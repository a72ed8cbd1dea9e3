"""Loading the investigation's optional extract tables: plans and their lines of enquiry, with the
victim-focused actions and their approvals, pre-charge bail, and supervisory reviews.

Registered with `bluestone.cases.loading.optional` in the app's ready(). Rows get ids that the
extract's keys decide, so a re-load updates them in place; what officers wrote in the application
(a line's result, linked evidence, a supervisor's note) is not in the extract and is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import DateTimeField, ExpressionWrapper, Max, OuterRef, Subquery

from bluestone import extract
from bluestone.accounts.models import Officer
from bluestone.cases.loading.checks import Problems, check_choices, check_text
from bluestone.cases.loading.optional import OptionalTables
from bluestone.cases.loading.sql import Columns
from bluestone.cases.loading.tables import Sink, column_values, stable_id, text_values
from bluestone.cases.models import Case, CaseStatus, Involvement, Role
from bluestone.core import clock
from bluestone.investigation.models import (
    ApprovalState,
    Bail,
    BailStatus,
    Focus,
    IntrusiveKind,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    PlanTemplateLine,
    ReviewKind,
    SupervisoryReview,
)
from bluestone.investigation.services.plans import default_template
from bluestone.investigation.services.reviews import ANSWERS, REVIEW_PROMPTS, review_interval

# Line fields the extract does not carry: empty on a new line, left as they are on a re-load.
_APP_ONLY = {"guidance": "", "result": "", "linked_evidence": "", "less_intrusive_considered": "", "decision_note": ""}
_STARTED = (LineStatus.IN_PROGRESS, LineStatus.DONE)


def investigation_checks(tables: dict[str, pa.Table], problems: Problems) -> None:
    lines = extract.PLAN_LINES
    choices = [
        (lines, "group", set(LineGroup.values), "a plan group"),
        (lines, "focus", set(Focus.values), "a focus"),
        (lines, "status", set(LineStatus.values), "a line status"),
        (lines, "intrusive_kind", set(IntrusiveKind.values), "a victim-focused action"),
        (lines, "approval_state", set(ApprovalState.values), "an approval state"),
    ]
    for spec, column, allowed, what in choices:
        check_choices(tables, problems, spec=spec, column=column, allowed=allowed, what=what)
    field = LineOfEnquiry._meta.get_field
    texts: list[tuple[str, Any]] = [
        ("line_id", None),
        ("code", PlanTemplateLine._meta.get_field("code")),
        ("title", field("title")),
        ("rationale", field("rationale")),
    ]
    for column, model_field in texts:
        check_text(tables, problems, spec=lines, column=column, model_field=model_field)
    if "bail" in tables:
        _check_bail(tables, problems)
    if "supervisory_reviews" in tables:
        _check_reviews(tables, problems)
    if "plan_lines" not in tables:
        return
    table = tables["plan_lines"]
    status, started, completed = table.column("status"), table.column("started_at"), table.column("completed_at")
    started_status = pc.is_in(status, value_set=pa.array([str(s) for s in _STARTED]))
    problems.add_rows(
        lines,
        pc.and_(started_status, pc.is_null(started)),
        "started_at",
        "a line in progress or done needs the moment it started.",
    )
    problems.add_rows(
        lines,
        pc.and_(pc.equal(status, LineStatus.DONE), pc.is_null(completed)),
        "completed_at",
        "a done line needs the moment it was completed.",
    )
    problems.add_rows(lines, pc.less(completed, started), "completed_at", "the line was completed before it started.")
    decided = pc.is_in(
        table.column("approval_state"), value_set=pa.array([ApprovalState.APPROVED, ApprovalState.REFUSED])
    )
    problems.add_rows(
        lines,
        pc.and_(decided, pc.is_null(table.column("decided_at"))),
        "decided_at",
        "an approved or refused action needs the moment it was decided.",
    )
    problems.add_rows(
        lines,
        pc.and_(pc.is_valid(table.column("intrusive_kind")), pc.equal(table.column("approval_state"), "not_needed")),
        "approval_state",
        "a victim-focused action needs a supervisor's approval: its state cannot be not_needed.",
    )


def _check_bail(tables: dict[str, pa.Table], problems: Problems) -> None:
    spec = extract.BAIL
    check_choices(tables, problems, spec=spec, column="status", allowed=set(BailStatus.values), what="a bail status")
    check_text(tables, problems, spec=spec, column="bail_id", model_field=None)
    for column in ("conditions", "end_reason"):
        model_field: Any = Bail._meta.get_field(column)
        check_text(tables, problems, spec=spec, column=column, model_field=model_field)
    bail = tables["bail"]
    involvements = tables["involvements"]
    suspects = pc.filter(involvements, pc.equal(involvements.column("role"), Role.SUSPECT))
    on_case = pc.binary_join_element_wise(suspects.column("involvement_id"), suspects.column("case_id"), "\n")
    pairs = pc.binary_join_element_wise(bail.column("suspect_involvement_id"), bail.column("case_id"), "\n")
    problems.add_rows(
        spec,
        pc.invert(pc.is_in(pairs, value_set=on_case)),
        "suspect_involvement_id",
        "bail is for a suspect on the same case: this involvement is not one.",
    )
    problems.add_rows(
        spec, pc.less(bail.column("expires_on"), bail.column("starts_on")), "expires_on", "before the bail starts."
    )
    problems.add_rows(
        spec, pc.less(bail.column("ended_on"), bail.column("starts_on")), "ended_on", "before the bail starts."
    )
    problems.add_rows(
        spec,
        pc.and_(pc.equal(bail.column("status"), BailStatus.ENDED), pc.is_null(bail.column("ended_on"))),
        "ended_on",
        "ended bail needs the day it ended.",
    )


def _check_reviews(tables: dict[str, pa.Table], problems: Problems) -> None:
    spec = extract.SUPERVISORY_REVIEWS
    check_choices(tables, problems, spec=spec, column="kind", allowed=set(ReviewKind.values), what="a review kind")
    for code in extract.REVIEW_PROMPT_CODES:
        check_choices(tables, problems, spec=spec, column=f"answer_{code}", allowed=set(ANSWERS), what="an answer")
    check_text(tables, problems, spec=spec, column="review_id", model_field=None)
    directions: Any = SupervisoryReview._meta.get_field("directions")
    check_text(tables, problems, spec=spec, column="directions", model_field=directions)
    reviews, cases = tables["supervisory_reviews"], tables["cases"]
    recorded = (
        cases.column("recorded_at")
        .combine_chunks()
        .take(pc.index_in(reviews.column("case_id"), value_set=cases.column("case_id").combine_chunks()))
    )
    completed = reviews.column("completed_at")
    problems.add_rows(
        spec, pc.less(completed, recorded), "completed_at", "before the case was recorded: a review comes after it."
    )
    problems.add_rows(
        spec,
        pc.greater(completed, pa.scalar(clock.now(), extract.TIMESTAMP)),
        "completed_at",
        "in the future: a review is loaded once it is done.",
    )
    problems.add_rows(spec, pc.less(reviews.column("due_at"), recorded), "due_at", "before the case was recorded.")


def investigation_write(tables: dict[str, pa.Table], *, now: dt.datetime, sink: Sink) -> None:
    if "plans" in tables:
        _write_plans(tables["plans"], now=now, sink=sink)
    if "plan_lines" in tables:
        _write_lines(tables["plan_lines"], now=now, sink=sink)
    if "bail" in tables:
        _write_bail(tables["bail"], now=now, sink=sink)
    if "supervisory_reviews" in tables:
        _write_reviews(tables["supervisory_reviews"], now=now, sink=sink)


def _write_reviews(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    references = sorted(set(column_values(table, "case_id")))
    case_ids = _by_reference(Case, "crime_reference", references, "pk")
    officer_ids = _by_reference(
        Officer, "collar_number", sorted(set(column_values(table, "reviewer_officer_id"))), "pk"
    )
    codes = [code for code, _question in REVIEW_PROMPTS]

    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        given = {code: column_values(part, f"answer_{code}") for code in codes if f"answer_{code}" in part.column_names}
        answers = [
            {code: {"answer": values[i], "note": ""} for code, values in given.items() if values[i] is not None}
            for i in range(n)
        ]
        return [
            [stable_id("supervisory_review", k) for k in column_values(part, "review_id")],
            [case_ids[c] for c in column_values(part, "case_id")],
            column_values(part, "kind"),
            column_values(part, "due_at"),
            column_values(part, "completed_at"),
            [officer_ids[o] for o in column_values(part, "reviewer_officer_id")],
            answers,
            text_values(column_values(part, "directions")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "supervisory reviews",
        SupervisoryReview,
        table,
        columns,
        conflict="id",
        names=[
            "id",
            "case",
            "kind",
            "due_at",
            "completed_at",
            "reviewer_officer",
            "answers",
            "directions",
            "created_at",
            "updated_at",
        ],
    )
    _review_due_after_last(list(case_ids.values()))


def _review_due_after_last(case_ids: list[uuid.UUID]) -> None:
    """On the open cases reviewed, the next review falls due 28 days after the last (as the application
    sets it when a review is recorded); the same on every re-load."""
    last = (
        SupervisoryReview.objects.filter(case=OuterRef("case"))
        .order_by()
        .values("case")
        .annotate(last=Max("completed_at"))
        .values("last")
    )
    due = ExpressionWrapper(Subquery(last) + review_interval(), output_field=DateTimeField())
    for start in range(0, len(case_ids), 900):
        InvestigationPlan.objects.filter(case__in=case_ids[start : start + 900]).exclude(
            case__status=CaseStatus.CLOSED
        ).update(next_review_due_at=due)


def _write_bail(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    case_ids = _by_reference(Case, "crime_reference", sorted(set(column_values(table, "case_id"))), "pk")
    suspects = sorted(set(column_values(table, "suspect_involvement_id")))
    suspect_ids = _by_reference(Involvement, "source_id", suspects, "pk")

    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        return [
            [stable_id("bail", k) for k in column_values(part, "bail_id")],
            [case_ids[c] for c in column_values(part, "case_id")],
            [suspect_ids[s] for s in column_values(part, "suspect_involvement_id")],
            column_values(part, "starts_on"),
            column_values(part, "expires_on"),
            text_values(column_values(part, "conditions")),
            column_values(part, "status"),
            column_values(part, "ended_on"),
            text_values(column_values(part, "end_reason")),
            [""] * n,
            [""] * n,
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "bail",
        Bail,
        table,
        columns,
        conflict="id",
        names=[
            "id",
            "case",
            "suspect",
            "starts_on",
            "expires_on",
            "conditions",
            "status",
            "ended_on",
            "end_reason",
            "victim_views",
            "extension_request_reason",
            "created_at",
            "updated_at",
        ],
        keep=["victim_views", "extension_request_reason"],
    )


def _by_reference(model: Any, lookup: str, keys: list[str], value: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 900):
        rows = model.objects.filter(**{f"{lookup}__in": keys[start : start + 900]}).values_list(lookup, value)
        found.update({str(k): v for k, v in rows})
    return found


def _write_plans(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    references = column_values(table, "case_id")
    case_ids = _by_reference(Case, "crime_reference", references, "pk")
    template = default_template()

    def columns(part: pa.Table) -> Columns:
        keys = column_values(part, "case_id")
        n = len(keys)
        return [
            [stable_id("plan", k) for k in keys],
            [case_ids[k] for k in keys],
            [template.pk if template else None] * n,
            column_values(part, "created_at"),
            [now] * n,
        ]

    sink.upsert_table(
        "plans",
        InvestigationPlan,
        table,
        columns,
        conflict="case",
        names=["id", "case", "template", "created_at", "updated_at"],
    )


def _write_lines(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    references = sorted(set(column_values(table, "case_id")))
    plan_ids: dict[str, uuid.UUID] = _by_reference(InvestigationPlan, "case__crime_reference", references, "pk")
    template = default_template()
    template_lines = (
        dict(PlanTemplateLine.objects.filter(template=template).values_list("code", "pk")) if template else {}
    )

    def columns(part: pa.Table) -> Columns:
        n = part.num_rows
        return [
            [stable_id("plan_line", k) for k in column_values(part, "line_id")],
            [plan_ids[c] for c in column_values(part, "case_id")],
            [template_lines.get(c) for c in column_values(part, "code")],
            column_values(part, "group"),
            column_values(part, "focus"),
            column_values(part, "order"),
            text_values(column_values(part, "title")),
            column_values(part, "due_on"),
            column_values(part, "status"),
            column_values(part, "started_at"),
            column_values(part, "completed_at"),
            text_values(column_values(part, "intrusive_kind")),
            text_values(column_values(part, "rationale")),
            column_values(part, "victim_agreed"),
            [False] * n,
            column_values(part, "approval_state"),
            column_values(part, "approval_requested_at"),
            column_values(part, "decided_at"),
            *([value] * n for value in _APP_ONLY.values()),
            [now] * n,
            [now] * n,
        ]

    names = [
        "id",
        "plan",
        "template_line",
        "group",
        "focus",
        "order",
        "title",
        "due_on",
        "status",
        "started_at",
        "completed_at",
        "intrusive_kind",
        "rationale",
        "victim_agreed",
        "victim_notice_given",
        "approval_state",
        "approval_requested_at",
        "decided_at",
        *_APP_ONLY,
        "created_at",
        "updated_at",
    ]
    sink.upsert_table(
        "plan lines",
        LineOfEnquiry,
        table,
        columns,
        conflict="id",
        names=names,
        keep=list(_APP_ONLY),
    )


INVESTIGATION_TABLES = OptionalTables(
    name="investigation",
    tables=(extract.PLANS, extract.PLAN_LINES, extract.BAIL, extract.SUPERVISORY_REVIEWS),
    checks=investigation_checks,
    write=investigation_write,
    order=20,
)
