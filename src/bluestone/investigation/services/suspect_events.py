"""What happens to a suspect: arrest, interview, release under investigation, no further action,
charge.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.cases.models import Case, CaseStatus, EventKind, Involvement, Role
from bluestone.core import clock
from bluestone.investigation.custody import rui_review_days
from bluestone.investigation.models import SuspectEvent
from bluestone.investigation.services._common import _suspect_check, _suspect_event_write, _suspect_label

SUSPECT_EVENT_KINDS = {
    EventKind.SUSPECT_ARRESTED,
    EventKind.SUSPECT_VOLUNTARY_INTERVIEW,
    EventKind.SUSPECT_INTERVIEWED,
    EventKind.SUSPECT_RUI,
    EventKind.NO_FURTHER_ACTION,
    EventKind.NOT_INVESTIGATED,
}


def suspect_event_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str = "",
    custody_number: str = "",
    relevant_time: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> SuspectEvent:
    """An arrest, voluntary interview, interview under caution, release under investigation, no further
    action, or a decision not to investigate. Each is a timeline entry, so the victim's duty to be told
    opens with it.

    An arrest records the custody number and the relevant time its PACE detention clock runs from; a
    release under investigation gets its review date (investigation.custody.rui_review_days)."""
    errors: dict[str, str] = {}
    if kind not in SUSPECT_EVENT_KINDS:
        errors["kind"] = "Choose what happened."
    errors |= _suspect_check(case, suspect, required=kind != EventKind.NOT_INVESTIGATED)
    if occurred_at > clock.now():
        errors["occurred_on"] = "The date must be today or in the past."
    if kind in (EventKind.NO_FURTHER_ACTION, EventKind.NOT_INVESTIGATED) and not details.strip():
        errors["details"] = "Give the reasons for the decision."
    if kind == EventKind.SUSPECT_ARRESTED:
        errors |= _custody_problems(occurred_at, custody_number, relevant_time)
    if errors:
        raise ValidationError(errors)
    label = EventKind(kind).label
    who = _suspect_label(suspect)
    summary = f"{label}: {who}" if who else str(label)
    review_due_on = None
    if kind == EventKind.SUSPECT_RUI:
        review_due_on = timezone.localdate(occurred_at) + dt.timedelta(days=rui_review_days())
        summary += f". Review by {review_due_on:%-d %B %Y}"
    with transaction.atomic():
        row = _suspect_event_write(
            actor=actor,
            case=case,
            kind=kind,
            suspect=suspect,
            occurred_at=relevant_time if kind == EventKind.SUSPECT_ARRESTED and relevant_time else occurred_at,
            details=details,
            summary=summary,
            request=request,
        )
        if kind == EventKind.SUSPECT_ARRESTED:
            row.custody_number = custody_number.strip()
            row.relevant_time = relevant_time
            row.save(update_fields=["custody_number", "relevant_time"])
        elif review_due_on is not None:
            row.review_due_on = review_due_on
            row.save(update_fields=["review_due_on"])
        return row


def _custody_problems(
    occurred_at: dt.datetime, custody_number: str, relevant_time: dt.datetime | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not custody_number.strip():
        errors["custody_number"] = "Enter the custody record number."
    if relevant_time is None:
        errors["custody_time"] = "Enter the time the suspect arrived at the police station (the relevant time)."
    elif relevant_time > clock.now():
        errors["custody_time"] = "The time the suspect arrived at the police station must be in the past."
    return errors


def charge_record(
    *,
    actor: User,
    case: Case,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str,
    request: HttpRequest | None = None,
) -> SuspectEvent:
    """A charge (or summons). Only a named suspect can be charged."""
    errors = _suspect_check(case, suspect)
    if not errors and suspect is not None and not suspect.person.is_named:
        errors["suspect"] = (
            "A suspect can be charged only once they are named. Record the suspect's name on the case first."
        )
    if not errors and suspect is None:
        errors["suspect"] = "Choose the suspect who was charged."
    if occurred_at > clock.now():
        errors["occurred_on"] = "The date of the charge must be today or in the past."
    if not details.strip():
        errors["details"] = "Enter the offences charged."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = _suspect_event_write(
            actor=actor,
            case=case,
            kind=EventKind.CHARGED,
            suspect=suspect,
            occurred_at=occurred_at,
            details=details,
            summary=f"Charged: {_suspect_label(suspect)}",
            request=request,
        )
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CHARGED, updated_by=actor, updated_at=clock.now())
        case.status = CaseStatus.CHARGED
    return row


def charge_candidates(case: Case) -> list[Involvement]:
    return list(Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person"))
