"""Contacts with the victim (meeting duties) and the updates posted to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import EventKind
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.victims.models import (
    MessageReply,
    Obligation,
    ObligationStatus,
    PortalMessage,
    VictimContact,
    VictimProfile,
    VictimUpdate,
)
from bluestone.victims.notifications import outbox_update_queue
from bluestone.victims.services._common import _audit, _follows_online, _obligation_meet, _update_post


def _check_obligations(profile: VictimProfile, obligations: Iterable[Obligation]) -> list[Obligation]:
    """The duties a contact meets, each still open. Inside a transaction they are read again under a
    lock, so that a duty closed meanwhile (met by a colleague's contact, or marked not applicable) is
    not met twice."""
    chosen = list(obligations)
    for obligation in chosen:
        if transaction.get_connection().in_atomic_block:
            relock(obligation)
        if obligation.profile_id != profile.pk or obligation.status != ObligationStatus.OPEN:
            raise ValidationError({"obligations": "Choose only duties that are still due for this victim."})
    return chosen


def victim_contact_record(
    *,
    actor: User,
    profile: VictimProfile,
    occurred_at: dt.datetime,
    channel: str,
    summary: str,
    obligations: Sequence[Obligation] = (),
    request: HttpRequest | None = None,
) -> VictimContact:
    """Log a contact with the victim, mark the duties it met, and put it on the case's timeline."""
    errors = {}
    if occurred_at > clock.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = "The date of the contact must be today or in the past."
    if not summary.strip():
        errors["summary"] = "Enter a short summary of the contact."
    if errors:
        raise ValidationError(errors)
    chosen = _check_obligations(profile, obligations)
    with transaction.atomic():
        chosen = _check_obligations(profile, chosen)
        contact = VictimContact.objects.create(
            profile=profile,
            case_id=profile.case_id,
            occurred_at=occurred_at,
            channel=channel,
            made_by=actor,
            summary=summary.strip(),
            created_by=actor,
        )
        for obligation in chosen:
            _obligation_meet(obligation=obligation, when=occurred_at, contact=contact)
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.VictimContact",
            object_id=contact.pk,
            details={"channel": channel, "obligations_met": [str(o.pk) for o in chosen]},
            request=request,
        )
        case_event_record(
            actor=actor,
            case=profile.case_id,
            kind=EventKind.VICTIM_CONTACTED,
            occurred_at=occurred_at,
            summary=f"Contact: {contact.get_channel_display().lower()}",
            request=request,
        )
    return contact


def victim_update_post(
    *,
    actor: User,
    profile: VictimProfile,
    text: str,
    obligations: Sequence[Obligation] = (),
    request: HttpRequest | None = None,
) -> VictimUpdate:
    """An update in plain English for the victim to read in "Follow my case". It counts as a contact
    (channel: online), so it can meet the duties it answers."""
    if len(text.strip()) < 20:  # noqa: PLR2004
        raise ValidationError({"text": "Write the update in a sentence or two (at least 20 characters)."})
    if not _follows_online(profile):
        raise ValidationError(
            {"text": "The victim does not follow their case online yet: give them an access code first."}
        )
    chosen = _check_obligations(profile, obligations)
    with transaction.atomic():
        chosen = _check_obligations(profile, chosen)
        update = _update_post(profile=profile, text=text.strip(), automatic=False, actor=actor)
        contact = VictimContact.objects.create(
            profile=profile,
            case_id=profile.case_id,
            occurred_at=update.posted_at,
            channel="portal",
            made_by=actor,
            summary="Update written for the victim (see updates)",
            created_by=actor,
        )
        for obligation in chosen:
            _obligation_meet(obligation=obligation, when=update.posted_at, contact=contact)
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.VictimUpdate",
            object_id=update.pk,
            details={"obligations_met": [str(o.pk) for o in chosen]},
            request=request,
        )
        case_event_record(
            actor=actor,
            case=profile.case_id,
            kind=EventKind.VICTIM_UPDATED,
            occurred_at=update.posted_at,
            summary="Update written for the victim online",
            request=request,
        )
    return update


REPLY_MAX = 5000


def portal_message_reply(
    *, actor: User, message: PortalMessage, body: str, request: HttpRequest | None = None
) -> MessageReply:
    """The officer answers a victim's message: the reply sits under it on the Victim tab and in the
    victim's portal, the message counts as read, the victim is told "you have an update" by their safe
    channel, and the reply counts as a contact (channel: online) on the case's timeline."""
    text = body.strip()
    if not text:
        raise ValidationError({"body": "Write your reply."})
    if len(text) > REPLY_MAX:
        raise ValidationError({"body": f"The reply must be {REPLY_MAX:,} characters or fewer."})
    profile = message.profile
    if not _follows_online(profile):
        raise ValidationError(
            {"body": "The victim no longer follows their case online: reply in the way their contact plan says."}
        )
    with transaction.atomic():
        now = clock.now()
        reply = MessageReply.objects.create(
            message=message,
            profile=profile,
            case_id=message.case_id,
            body=text,
            sent_at=now,
            written_by=actor,
            created_by=actor,
        )
        relock(message)
        if message.read_at is None:
            message.read_at = now
            message.read_by = actor
            message.save(update_fields=["read_at", "read_by", "updated_at"])
        VictimContact.objects.create(
            profile=profile,
            case_id=profile.case_id,
            occurred_at=now,
            channel="portal",
            made_by=actor,
            summary="Reply to the victim's message (see messages)",
            created_by=actor,
        )
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.MessageReply",
            object_id=reply.pk,
            details={"what": "reply to the victim's message", "message": str(message.pk)},
            request=request,
        )
        case_event_record(
            actor=actor,
            case=profile.case_id,
            kind=EventKind.VICTIM_UPDATED,
            occurred_at=now,
            summary="Reply to the victim's message written online",
            request=request,
        )
        outbox_update_queue(profile=profile)
    return reply
