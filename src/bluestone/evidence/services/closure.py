"""Evidence at the close of a case: an exhibit kept with a reason, a request withdrawn, and what the
closure checklist (cases.extensions.ClosureCheck) lists for the case's exhibits and requests.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.extensions import ClosureItem
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.evidence.models import DigitalRequest, Exhibit, ExhibitStatus, RequestStatus
from bluestone.evidence.services._common import _blank, _require

# Requests still in play: the case cannot close with one of them unless it is completed or withdrawn.
OPEN_REQUEST_STATUSES = (RequestStatus.AWAITING_AUTHORISATION, RequestStatus.AUTHORISED)


def _still_held(exhibit: Exhibit) -> dict[str, str]:
    if exhibit.status != ExhibitStatus.HELD:
        return {
            "reason": f"Exhibit {exhibit.reference} is no longer held: it is {exhibit.get_status_display().lower()}."
        }
    return {}


def exhibit_retain(*, actor: User, exhibit: Exhibit, reason: str, request: HttpRequest | None = None) -> Exhibit:
    """Record why a held exhibit is kept once the case closes (a prosecution, an appeal, a review)."""
    _require("evidence.record_evidence", actor, exhibit.case, "You cannot record evidence on this case.")
    errors = _still_held(exhibit)
    if not errors and _blank(reason):
        errors["reason"] = "Enter why the exhibit is kept, for example for the trial or a possible review."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(exhibit)
        if problem := _still_held(exhibit):
            raise ValidationError(problem)
        exhibit.retention_reason = reason.strip()
        exhibit.retained_at = clock.now()
        exhibit.retained_by = actor
        exhibit.updated_by = actor
        exhibit.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=exhibit.case_id,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "exhibit kept with a reason"},
        )
    return exhibit


def _still_open(entry: DigitalRequest) -> dict[str, str]:
    if entry.status not in OPEN_REQUEST_STATUSES:
        return {"note": f"This request is already {entry.get_status_display().lower()}: it cannot be withdrawn."}
    return {}


def digital_request_withdraw(
    *, actor: User, digital_request: DigitalRequest, note: str, request: HttpRequest | None = None
) -> DigitalRequest:
    """Withdraw a request that is waiting for authorisation or authorised but not done."""
    entry = digital_request
    _require("evidence.record_evidence", actor, entry.case, "You cannot record evidence on this case.")
    errors = _still_open(entry)
    if not errors and _blank(note):
        errors["note"] = "Enter why the request is withdrawn."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(entry)
        if problem := _still_open(entry):
            raise ValidationError(problem)
        entry.status = RequestStatus.WITHDRAWN
        entry.withdrawn_at = clock.now()
        entry.withdrawal_note = note.strip()
        entry.updated_by = actor
        entry.save(update_fields=["status", "withdrawn_at", "withdrawal_note", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=entry.case_id,
            object_type="evidence.DigitalRequest",
            object_id=entry.pk,
            details={"what": "request withdrawn"},
        )
    return entry


def evidence_closure_items(case: Case) -> list[ClosureItem]:
    """Held exhibits (resolved once kept with a reason) and requests still open."""
    items = []
    for exhibit in Exhibit.objects.filter(case=case, status=ExhibitStatus.HELD).order_by("reference"):
        url = reverse("evidence:exhibit", kwargs={"pk": case.pk, "exhibit_id": exhibit.pk})
        if exhibit.retention_reason:
            items.append(
                ClosureItem(
                    area="Exhibits",
                    description=f"Exhibit {exhibit.reference} ({exhibit.get_item_kind_display().lower()}) is kept: "
                    f"{exhibit.retention_reason}",
                    url=url,
                    resolved=True,
                )
            )
        else:
            items.append(
                ClosureItem(
                    area="Exhibits",
                    description=f"Exhibit {exhibit.reference} ({exhibit.get_item_kind_display().lower()}) is still "
                    "held: return it, or record why it is kept",
                    url=url,
                    resolved=False,
                    action=f"Return or keep exhibit {exhibit.reference}",
                )
            )
    for entry in DigitalRequest.objects.filter(case=case, status__in=OPEN_REQUEST_STATUSES).order_by("created_at"):
        items.append(
            ClosureItem(
                area="Requests",
                description=f"{entry.get_kind_display()} is {entry.get_status_display().lower()}: complete it or "
                "withdraw it",
                url=reverse("evidence:request", kwargs={"pk": case.pk, "request_id": entry.pk}),
                resolved=False,
                action="Complete or withdraw the request",
            )
        )
    return items
