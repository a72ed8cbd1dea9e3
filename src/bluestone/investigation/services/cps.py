"""The Crown Prosecution Service: early advice asked for, a file sent, a charging decision."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseStatus, EventKind
from bluestone.core import clock
from bluestone.investigation.models import CpsDecision, CpsStep, CpsStepKind
from bluestone.investigation.services._common import _audit, _check_date_not_future, moment_of

CPS_EVENT_KINDS = {
    CpsStepKind.ADVICE_REQUESTED: EventKind.CPS_ADVICE_REQUESTED,
    CpsStepKind.FILE_SUBMITTED: EventKind.FILE_TO_CPS,
    CpsStepKind.DECISION: EventKind.CPS_DECISION,
}


def cps_step_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    occurred_on: dt.date | None,
    decision: str = "",
    reference: str = "",
    details: str = "",
    request: HttpRequest | None = None,
) -> CpsStep:
    """Early advice asked for, a file sent, or a charging decision received, with its date (for the
    timeliness measures)."""
    errors: dict[str, str] = {}
    if kind not in CpsStepKind.values:
        errors["kind"] = "Choose what happened with the CPS."
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date."
    _check_date_not_future(errors, "occurred_on", occurred_on, "of the CPS step")
    if kind == CpsStepKind.DECISION and decision not in CpsDecision.values:
        errors["decision"] = "Choose the CPS's decision."
    if kind != CpsStepKind.DECISION and decision:
        errors["decision"] = "Only a charging decision has a decision."
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None  # noqa: S101 (checked above)
    step_kind = CpsStepKind(kind)
    summary = str(step_kind.label)
    if decision:
        summary += f": {CpsDecision(decision).label}"
    with transaction.atomic():
        event = case_event_record(
            actor=actor,
            case=case,
            kind=CPS_EVENT_KINDS[step_kind],
            occurred_at=moment_of(occurred_on),
            summary=summary,
            request=request,
        )
        step = CpsStep.objects.create(
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            decision=decision,
            reference=reference.strip(),
            details=details.strip(),
            case_event=event,
            created_by=actor,
        )
        if kind == CpsStepKind.FILE_SUBMITTED and case.status in (CaseStatus.REPORTED, CaseStatus.UNDER_INVESTIGATION):
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.WITH_CPS, updated_at=clock.now())
            case.status = CaseStatus.WITH_CPS
        _audit(actor=actor, action=AuditAction.COLLECTION, case=case, obj=step, request=request, kind=kind)
    return step
