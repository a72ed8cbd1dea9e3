"""The victim's support for the investigation: withdrawn and re-engaged, with reasons."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import EventKind
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.victims.models import ReengagementReason, SupportStatusChange, VictimProfile, WithdrawalReason
from bluestone.victims.services._common import _audit, _noon


def _support_unchanged(profile: VictimProfile, *, supports: bool) -> dict[str, str]:
    if supports != profile.supports_investigation:
        return {}
    if supports:
        return {"reason": "The victim already supports the investigation."}
    return {"reason": "The victim has already withdrawn support."}


def victim_support_change(
    *,
    actor: User,
    profile: VictimProfile,
    supports: bool,
    reason: str,
    occurred_on: dt.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> SupportStatusChange:
    """The victim withdrew support (supports=False) or took it up again (True), with a structured reason.

    Kept as history on the profile and as VICTIM_WITHDREW / VICTIM_REENGAGED on the timeline, which
    the outcome rules read (outcome 16 needs the withdrawal on record).
    """
    allowed = ReengagementReason.values if supports else WithdrawalReason.values
    errors = _support_unchanged(profile, supports=supports)
    if not errors and reason not in allowed:
        errors["reason"] = "Choose the reason the victim gave."
    if reason == "other" and not notes.strip():
        errors["notes"] = "Say what the other reason is."
    if occurred_on > clock.today():
        errors["occurred_on"] = "The date must be today or in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Two officers recording the same withdrawal at once: the second waits, then finds it recorded.
        relock(profile)
        if problem := _support_unchanged(profile, supports=supports):
            raise ValidationError(problem)
        kind = EventKind.VICTIM_REENGAGED if supports else EventKind.VICTIM_WITHDREW
        event = case_event_record(
            actor=actor,
            case=profile.case_id,
            kind=kind,
            occurred_at=_noon(occurred_on) if occurred_on < clock.today() else clock.now(),
            summary=str(dict(ReengagementReason.choices if supports else WithdrawalReason.choices)[reason]),
            request=request,
        )
        change = SupportStatusChange.objects.create(
            profile=profile,
            supports=supports,
            reason=reason,
            notes=notes.strip(),
            occurred_on=occurred_on,
            case_event=event,
            created_by=actor,
        )
        profile.supports_investigation = supports
        profile.updated_by = actor
        profile.save(update_fields=["supports_investigation", "updated_by", "updated_at"])
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=profile,
            object_type="victims.SupportStatusChange",
            object_id=change.pk,
            details={"supports": supports, "reason": reason},
            request=request,
        )
    return change
