"""What several of the victims services share: the s.62 entry for a victim, noon of a day, whether a
victim follows their case online, a duty met, and an update posted to the victim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.victims.models import Obligation, ObligationStatus, VictimContact, VictimProfile, VictimUpdate
from bluestone.victims.notifications import outbox_update_queue

CASE_CREATED = "case_created"


def _audit(
    *,
    actor: User | None,
    action: str,
    profile: VictimProfile,
    object_type: str,
    object_id: Any,
    details: dict[str, Any],
    request: HttpRequest | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        request=request,
        case=profile.case_id,
        person=profile.involvement.person_id,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _follows_online(profile: VictimProfile) -> bool:
    return profile.portal_accesses.filter(revoked_at__isnull=True).exists()


def _obligation_meet(*, obligation: Obligation, when: dt.datetime, contact: VictimContact | None) -> None:
    obligation.status = ObligationStatus.MET
    obligation.met_at = when
    obligation.met_by_contact = contact
    obligation.save(update_fields=["status", "met_at", "met_by_contact", "updated_at"])


def _update_post(*, profile: VictimProfile, text: str, automatic: bool, actor: User | None) -> VictimUpdate:
    update = VictimUpdate.objects.create(
        profile=profile,
        case_id=profile.case_id,
        text=text,
        automatic=automatic,
        posted_at=clock.now(),
        written_by=actor,
        created_by=actor,
    )
    outbox_update_queue(profile=profile)
    return update
