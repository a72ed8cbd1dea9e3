"""The Victims' Code engine: duties opened by events on the case with their deadlines, met by a
contact, or marked not applicable.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.extensions import ClosureItem
from bluestone.core.locking import relock
from bluestone.core.workdays import add_working_days
from bluestone.victims.models import Obligation, ObligationStatus, Right
from bluestone.victims.services._common import _audit, _follows_online, _update_post
from bluestone.victims.services.profiles import victim_profiles_ensure
from bluestone.victims.updates import event_update_text


def obligation_due_on(*, right: Right, occurred_at: dt.datetime, enhanced: bool) -> dt.date:
    """The Code's deadline: so many working days (England and Wales) after the day of the event,
    the day being counted in Europe/London (an arrest at 11pm UTC on a summer Sunday is on Monday)."""
    start = timezone.localdate(occurred_at)
    return add_working_days(start, right.enhanced_days if enhanced else right.standard_days)


def obligations_open(
    *,
    case_id: uuid.UUID,
    trigger_kind: str,
    occurred_at: dt.datetime,
    event_id: int | None = None,
    actor: User | None = None,
) -> list[Obligation]:
    """Open the duties that `trigger_kind` starts, for every victim on the case, once each.

    Posts one automatic portal update for the event to each victim who follows their case online: the
    event named plainly (`victims.updates`), or the duty's own wording for an event without one.
    """
    rights = [r for r in Right.objects.filter(active=True) if trigger_kind in r.trigger_list]
    if not rights:
        return []
    opened = []
    profiles = victim_profiles_ensure(case_id=case_id, actor=actor)
    plain = event_update_text(case_id=case_id, trigger_kind=trigger_kind)
    for profile in profiles:
        posted = False
        for right in rights:
            already = Obligation.objects.filter(profile=profile, right=right, trigger_kind=trigger_kind)
            already = already.filter(trigger_event_id=event_id) if event_id is not None else already
            if already.exists():
                continue
            obligation = Obligation.objects.create(
                profile=profile,
                case_id=case_id,
                right=right,
                trigger_kind=trigger_kind,
                trigger_event_id=event_id,
                triggered_at=occurred_at,
                due_on=obligation_due_on(right=right, occurred_at=occurred_at, enhanced=profile.enhanced_rights),
                enhanced=profile.enhanced_rights,
            )
            opened.append(obligation)
            if right.portal_update and not posted and _follows_online(profile):
                _update_post(profile=profile, text=plain or right.portal_update, automatic=True, actor=None)
                posted = True
        if any(o.profile_id == profile.pk for o in opened):
            _audit(
                actor=actor,
                action=AuditAction.COLLECTION,
                profile=profile,
                object_type="victims.Obligation",
                object_id=profile.pk,
                details={
                    "what": "victims' code duties",
                    "rights": [o.right_id for o in opened if o.profile_id == profile.pk],
                },
            )
    return opened


def _check_duty_open(obligation: Obligation) -> None:
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(
            {"reason": f"This duty is already closed ({obligation.get_status_display().lower()}). Nothing was changed."}
        )


def obligation_not_applicable(
    *, actor: User, obligation: Obligation, reason: str, request: HttpRequest | None = None
) -> Obligation:
    """Close a duty that does not apply (the victim asked not to be told of bail, say), with the reason."""
    if len(reason.strip()) < 10:  # noqa: PLR2004
        raise ValidationError({"reason": "Say why this does not apply, in at least 10 characters."})
    _check_duty_open(obligation)
    with transaction.atomic():
        relock(obligation)
        _check_duty_open(obligation)
        obligation.status = ObligationStatus.NOT_APPLICABLE
        obligation.not_applicable_reason = reason.strip()
        obligation.updated_by = actor
        obligation.save(update_fields=["status", "not_applicable_reason", "updated_by", "updated_at"])
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=obligation.profile,
            object_type="victims.Obligation",
            object_id=obligation.pk,
            details={"status": "not_applicable", "right": obligation.right_id},
            request=request,
        )
    return obligation


# The Code duty that a signed-off outcome opens: to tell the victim of it and of the right to review.
OUTCOME_DUTY = "outcome_review"


def outcome_duties_meet(*, case_id: uuid.UUID, told_at: dt.datetime, actor: User | None = None) -> list[Obligation]:
    """The officer recorded that the victim was told of the outcome: the open duties to tell them are met."""
    met = []
    for obligation in Obligation.objects.filter(case_id=case_id, right_id=OUTCOME_DUTY, status=ObligationStatus.OPEN):
        obligation.status = ObligationStatus.MET
        obligation.met_at = told_at
        obligation.updated_by = actor
        obligation.save(update_fields=["status", "met_at", "updated_by", "updated_at"])
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=obligation.profile,
            object_type="victims.Obligation",
            object_id=obligation.pk,
            details={"status": "met", "right": obligation.right_id, "by": "outcome told"},
            request=None,
        )
        met.append(obligation)
    return met


def victim_closure_items(case: Any) -> list[ClosureItem]:
    """Victims' Code duties still open on the case: each must be met, or closed with why it does not apply."""
    url = reverse("victims:case-victim", kwargs={"pk": case.pk})
    return [
        ClosureItem(
            area="Victims' Code",
            description=f"{obligation.right.name}: due {obligation.due_on:%-d %B %Y}, not yet met",
            url=url + "#obligations",
            resolved=False,
            action="Meet the duty or record why it does not apply",
        )
        for obligation in Obligation.objects.filter(case=case, status=ObligationStatus.OPEN).select_related("right")
    ]
