"""What several of the investigation's services share: permission checks, the s.62 log entry, dates,
and the suspect's timeline entry (which ends their bail when it is a charge, RUI or NFA).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseEvent, EventKind, Involvement, Role
from bluestone.core import clock
from bluestone.investigation.models import Bail, BailStatus, SuspectEvent

# Events that end a suspect's pre-charge bail.
ENDS_BAIL = {EventKind.SUSPECT_RUI, EventKind.NO_FURTHER_ACTION, EventKind.CHARGED}


def _require(user: User, rule: str, case: Case | None, message: str) -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied(message)


def _audit(
    *, actor: User | None, action: str, case: Case, obj: Any, request: HttpRequest | None, **details: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        request=request,
        case=case,
        object_type=f"investigation.{type(obj).__name__}",
        object_id=obj.pk,
        details=details,
    )


def moment_of(day: dt.date) -> dt.datetime:
    """A date as a moment for the timeline: midday of that day, or now for today before midday. A day
    after today stays in the future, so that the service checking it refuses it (it is never quietly
    recorded as today)."""
    moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    if day <= clock.today():
        return min(moment, clock.now())
    return moment


def _check_date_not_future(errors: dict[str, str], field: str, day: dt.date | None, what: str) -> None:
    if day is not None and day > clock.today():
        errors[field] = f"The date {what} must be today or in the past."


def _suspect_check(case: Case, suspect: Involvement | None, *, required: bool = True) -> dict[str, str]:
    if suspect is None:
        return {"suspect": "Choose the suspect."} if required else {}
    if suspect.case_id != case.pk or suspect.role != Role.SUSPECT:
        return {"suspect": "Choose a suspect on this case."}
    return {}


def _suspect_event_write(
    *,
    actor: User,
    case: Case,
    kind: str,
    suspect: Involvement | None,
    occurred_at: dt.datetime,
    details: str,
    summary: str,
    request: HttpRequest | None,
) -> SuspectEvent:
    event: CaseEvent = case_event_record(
        actor=actor, case=case, kind=kind, occurred_at=occurred_at, summary=summary[:500], request=request
    )
    row = SuspectEvent.objects.create(
        case=case,
        suspect=suspect,
        kind=kind,
        occurred_at=occurred_at,
        details=details.strip(),
        case_event=event,
        created_by=actor,
    )
    _audit(
        actor=actor,
        action=AuditAction.COLLECTION,
        case=case,
        obj=row,
        request=request,
        kind=kind,
        suspect_person_id=str(suspect.person_id) if suspect else None,
    )
    if kind in ENDS_BAIL and suspect is not None:
        Bail.objects.filter(case=case, suspect=suspect, status=BailStatus.ACTIVE).update(
            status=BailStatus.ENDED, extension_requested_until=None, updated_by=actor
        )
    return row


def _suspect_label(suspect: Involvement | None) -> str:
    if suspect is None:
        return ""
    return suspect.person.full_name or "the unnamed suspect"
