"""Loading the victims' optional extract tables: profiles, the contact log, Victims' Code duties and
feedback (the survey's answers).

Registered with `bluestone.cases.loading.optional` in the app's ready(). Rows get ids that the
extract's keys decide, so a re-load updates them in place; what an officer wrote on a profile in the
application (safe contact details, notes, a guardian) is not in the extract and is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bluestone import extract
from bluestone.cases.loading.checks import LoadProblem, Problems, check_choices, check_text
from bluestone.cases.loading.optional import OptionalTables
from bluestone.cases.loading.sql import Columns
from bluestone.cases.loading.tables import Sink, column_values, stable_id, text_values
from bluestone.cases.models import EventKind, Involvement, Role
from bluestone.victims.models import (
    Channel,
    Feedback,
    IsvaStatus,
    Obligation,
    ObligationStatus,
    Right,
    VictimContact,
    VictimProfile,
)

CASE_CREATED = "case_created"
FEEDBACK_QUESTIONS = ("voice", "respect", "neutrality", "trustworthiness", "overall")
NOT_APPLICABLE_REASON = "Recorded as not applicable in the force's own system."
# Profile fields the extract does not carry: empty on a new profile, left as they are on a re-load.
_APP_ONLY = {
    "preferred_name": "",
    "safe_phone": "",
    "safe_email": "",
    "safe_address": "",
    "safe_times": "",
    "may_leave_message": False,
    "interpreter_language": "",
    "accessibility_needs": "",
    "notify_by": "none",
    "needs_assessment": "",
    "special_measures": "",
    "guardian_role": "",
    "guardian_name": "",
    "guardian_contact": "",
    "plan_notes": "",
}


def victims_checks(tables: dict[str, pa.Table], problems: Problems) -> None:
    """Allowed values, lengths, and the rules a profile, a contact and a duty must keep."""
    choices = [
        (extract.VICTIMS, "channel", set(Channel.values), "a contact channel"),
        (extract.VICTIMS, "isva_status", set(IsvaStatus.values), "an ISVA referral status"),
        (extract.VICTIM_CONTACTS, "channel", set(Channel.values), "a contact channel"),
        (
            extract.CODE_DUTIES,
            "right",
            set(Right.objects.values_list("code", flat=True)),
            "a Victims' Code right in the reference data",
        ),
        (extract.CODE_DUTIES, "trigger_kind", {CASE_CREATED, *EventKind.values}, "case_created or an event kind"),
        (extract.CODE_DUTIES, "status", set(ObligationStatus.values), "a duty status"),
    ]
    for spec, column, allowed, what in choices:
        check_choices(tables, problems, spec=spec, column=column, allowed=allowed, what=what)
    texts: list[tuple[extract.Table, str, Any]] = [
        (extract.VICTIMS, "involvement_id", None),
        (extract.VICTIMS, "isva_provider", VictimProfile._meta.get_field("isva_provider")),
        (extract.VICTIM_CONTACTS, "contact_id", None),
        (extract.VICTIM_CONTACTS, "summary", VictimContact._meta.get_field("summary")),
        (extract.CODE_DUTIES, "duty_id", None),
        (extract.FEEDBACK, "feedback_id", None),
        (extract.FEEDBACK, "comments", Feedback._meta.get_field("comments")),
    ]
    for spec, column, model_field in texts:
        check_text(tables, problems, spec=spec, column=column, model_field=model_field)

    if "feedback" in tables:
        for question in FEEDBACK_QUESTIONS:
            scores = tables["feedback"].column(question)
            problems.add_rows(
                extract.FEEDBACK,
                pc.or_(pc.less(scores, 1), pc.greater(scores, 5)),
                question,
                "an answer is a score from 1 (strongly disagree) to 5 (strongly agree).",
            )
    if "victims" in tables:
        profiles = tables["victims"]
        involvements = tables["involvements"]
        victim_rows = pc.filter(
            involvements.column("involvement_id"), pc.equal(involvements.column("role"), Role.VICTIM)
        )
        problems.add_rows(
            extract.VICTIMS,
            pc.invert(pc.is_in(profiles.column("involvement_id"), value_set=victim_rows)),
            "involvement_id",
            "a profile belongs to a victim: this involvement's role is not victim.",
        )
        cadence, agreed = profiles.column("plan_cadence_days"), profiles.column("plan_agreed_on")
        problems.add_rows(
            extract.VICTIMS,
            pc.not_equal(pc.is_valid(cadence), pc.is_valid(agreed)),
            "plan_cadence_days",
            "a contact plan needs both plan_cadence_days and plan_agreed_on, or neither.",
        )
        problems.add_rows(
            extract.VICTIMS, pc.less_equal(cadence, 0), "plan_cadence_days", "must be a number of days above 0."
        )
    if "code_duties" in tables:
        duties = tables["code_duties"]
        status, met_at = duties.column("status"), duties.column("met_at")
        problems.add_rows(
            extract.CODE_DUTIES,
            pc.and_(pc.equal(status, ObligationStatus.MET), pc.is_null(met_at)),
            "met_at",
            "a met duty needs the moment it was met.",
        )
        problems.add_rows(
            extract.CODE_DUTIES,
            pc.and_(pc.not_equal(status, ObligationStatus.MET), pc.is_valid(met_at)),
            "met_at",
            "only a met duty has a moment it was met: leave met_at empty or make the status met.",
        )
        problems.add_rows(
            extract.CODE_DUTIES,
            pc.less(met_at, duties.column("triggered_at")),
            "met_at",
            "the duty was met before the event that opened it.",
        )
        problems.add_rows(
            extract.CODE_DUTIES,
            pc.less(duties.column("due_on"), pc.cast(duties.column("triggered_at"), pa.date32())),
            "due_on",
            "the duty falls due before the event that opened it.",
        )
        if "victim_contacts" in tables:
            _check_met_by_own_victim(tables, problems)


def _check_met_by_own_victim(tables: dict[str, pa.Table], problems: Problems) -> None:
    contacts = tables["victim_contacts"]
    victim_of_contact = dict(
        zip(column_values(contacts, "contact_id"), column_values(contacts, "involvement_id"), strict=True)
    )
    duties = tables["code_duties"].select(["involvement_id", "met_by_contact_id"]).to_pylist()
    for index, row in enumerate(duties):
        contact = row["met_by_contact_id"]
        if contact is not None and victim_of_contact.get(contact) != row["involvement_id"]:
            problems.add(
                LoadProblem(
                    extract.CODE_DUTIES.filename,
                    "the contact that met this duty was with another victim.",
                    row=index + 1,
                    column="met_by_contact_id",
                )
            )


def _involvements(keys: list[str]) -> dict[str, tuple[Any, Any]]:
    """Each victim involvement's id and case id, by its extract key."""
    found: dict[str, tuple[Any, Any]] = {}
    for start in range(0, len(keys), 900):
        rows = Involvement.objects.filter(source_id__in=keys[start : start + 900]).values_list(
            "source_id", "pk", "case_id"
        )
        found.update({str(key): (pk, case) for key, pk, case in rows})
    return found


def _profiles(keys: list[str]) -> dict[str, tuple[uuid.UUID, Any]]:
    """Each profile's id and case id, by its victim involvement's extract key."""
    found: dict[str, tuple[uuid.UUID, Any]] = {}
    for start in range(0, len(keys), 900):
        rows = VictimProfile.objects.filter(involvement__source_id__in=keys[start : start + 900]).values_list(
            "involvement__source_id", "pk", "case_id"
        )
        found.update({str(key): (pk, case) for key, pk, case in rows})
    return found


def victims_write(tables: dict[str, pa.Table], *, now: dt.datetime, sink: Sink) -> None:
    if "victims" in tables:
        _write_profiles(tables["victims"], now=now, sink=sink)
    keys = sorted(
        {
            key
            for name in ("victim_contacts", "code_duties", "feedback")
            if name in tables
            for key in column_values(tables[name], "involvement_id")
        }
    )
    profiles = _profiles(keys)
    if "victim_contacts" in tables:
        _write_contacts(tables["victim_contacts"], profiles=profiles, now=now, sink=sink)
    if "code_duties" in tables:
        _write_duties(tables["code_duties"], profiles=profiles, now=now, sink=sink)
    if "feedback" in tables:
        _write_feedback(tables["feedback"], profiles=profiles, now=now, sink=sink)


def _write_feedback(
    table: pa.Table, *, profiles: dict[str, tuple[uuid.UUID, Any]], now: dt.datetime, sink: Sink
) -> None:
    def columns(part: pa.Table) -> Columns:
        keys = column_values(part, "involvement_id")
        n = len(keys)
        return [
            [stable_id("feedback", f) for f in column_values(part, "feedback_id")],
            [profiles[k][0] for k in keys],
            [profiles[k][1] for k in keys],
            column_values(part, "submitted_at"),
            *(column_values(part, q) for q in FEEDBACK_QUESTIONS),
            text_values(column_values(part, "comments")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "feedback",
        Feedback,
        table,
        columns,
        conflict="id",
        names=["id", "profile", "case", "submitted_at", *FEEDBACK_QUESTIONS, "comments", "created_at", "updated_at"],
    )


def _write_profiles(table: pa.Table, *, now: dt.datetime, sink: Sink) -> None:
    keys = column_values(table, "involvement_id")
    involvements = _involvements(keys)

    def columns(part: pa.Table) -> Columns:
        part_keys = column_values(part, "involvement_id")
        n = len(part_keys)
        return [
            [stable_id("victim", k) for k in part_keys],
            [involvements[k][0] for k in part_keys],
            [involvements[k][1] for k in part_keys],
            column_values(part, "channel"),
            column_values(part, "enhanced_rights"),
            column_values(part, "is_child"),
            column_values(part, "needs_assessed_on"),
            column_values(part, "isva_status"),
            text_values(column_values(part, "isva_provider")),
            column_values(part, "isva_date"),
            column_values(part, "plan_cadence_days"),
            column_values(part, "plan_agreed_on"),
            column_values(part, "supports_investigation"),
            *([value] * n for value in _APP_ONLY.values()),
            [now] * n,
            [now] * n,
        ]

    names = [
        "id",
        "involvement",
        "case",
        "channel",
        "enhanced_rights",
        "is_child",
        "needs_assessed_on",
        "isva_status",
        "isva_provider",
        "isva_date",
        "plan_cadence_days",
        "plan_agreed_on",
        "supports_investigation",
        *_APP_ONLY,
        "created_at",
        "updated_at",
    ]
    sink.upsert_table(
        "victims",
        VictimProfile,
        table,
        columns,
        conflict="involvement",
        names=names,
        keep=list(_APP_ONLY),
    )


def _write_contacts(
    table: pa.Table, *, profiles: dict[str, tuple[uuid.UUID, Any]], now: dt.datetime, sink: Sink
) -> None:
    def columns(part: pa.Table) -> Columns:
        keys = column_values(part, "involvement_id")
        n = len(keys)
        return [
            [stable_id("victim_contact", c) for c in column_values(part, "contact_id")],
            [profiles[k][0] for k in keys],
            [profiles[k][1] for k in keys],
            column_values(part, "occurred_at"),
            column_values(part, "channel"),
            text_values(column_values(part, "summary")),
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "victim contacts",
        VictimContact,
        table,
        columns,
        conflict="id",
        names=["id", "profile", "case", "occurred_at", "channel", "summary", "created_at", "updated_at"],
    )


def _write_duties(table: pa.Table, *, profiles: dict[str, tuple[uuid.UUID, Any]], now: dt.datetime, sink: Sink) -> None:
    def columns(part: pa.Table) -> Columns:
        keys = column_values(part, "involvement_id")
        n = len(keys)
        status = column_values(part, "status")
        return [
            [stable_id("code_duty", d) for d in column_values(part, "duty_id")],
            [profiles[k][0] for k in keys],
            [profiles[k][1] for k in keys],
            column_values(part, "right"),
            column_values(part, "trigger_kind"),
            column_values(part, "triggered_at"),
            column_values(part, "due_on"),
            column_values(part, "enhanced"),
            status,
            column_values(part, "met_at"),
            [None if c is None else stable_id("victim_contact", c) for c in column_values(part, "met_by_contact_id")],
            [NOT_APPLICABLE_REASON if s == ObligationStatus.NOT_APPLICABLE else "" for s in status],
            [now] * n,
            [now] * n,
        ]

    sink.upsert_table(
        "code duties",
        Obligation,
        table,
        columns,
        conflict="id",
        names=[
            "id",
            "profile",
            "case",
            "right",
            "trigger_kind",
            "triggered_at",
            "due_on",
            "enhanced",
            "status",
            "met_at",
            "met_by_contact",
            "not_applicable_reason",
            "created_at",
            "updated_at",
        ],
    )


VICTIM_TABLES = OptionalTables(
    name="victims",
    tables=(extract.VICTIMS, extract.VICTIM_CONTACTS, extract.CODE_DUTIES, extract.FEEDBACK),
    checks=victims_checks,
    write=victims_write,
    order=10,
)
