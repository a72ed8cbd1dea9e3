"""The victim's side of the portal: access codes issued and asked for, messages, feedback."""

from __future__ import annotations

import datetime as dt
import secrets

import rules
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, EventKind
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.victims import conf
from bluestone.victims.models import Feedback, PortalAccess, PortalMessage, PortalSession, VictimProfile
from bluestone.victims.notifications import outbox_code_queue
from bluestone.victims.services._common import _audit

# No 0/O, 1/I/L: a code read out or copied by hand is typed right first time.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


CODE_LENGTH = 8


def access_code_new() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def access_code_normalise(typed: str) -> str:
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def portal_access_issue(
    *, actor: User, profile: VictimProfile, send: bool = False, request: HttpRequest | None = None
) -> tuple[PortalAccess, str]:
    """The officer gives the victim a new one-time code. Returns it once, to be given through the
    victim's safe channel (or sent through the outbox with `send`); only its hash is kept.

    Only the case's own team may (`victims.issue_portal_access`: never break glass, never a person
    named from elsewhere). A new code cancels every earlier code, resets the secret word (the victim
    chooses a new one when they sign in with this code) and ends every portal session: whoever used
    an earlier code, or set a secret word with it, is shut out, and the victim cannot be locked out.
    """
    if not rules.test_rule("victims.issue_portal_access", actor, profile.case):
        raise PermissionDenied("Only the case's own team can give the victim access to follow the case online.")
    if send and not (profile.safe_email or profile.safe_phone):
        raise ValidationError({"send": "There is no safe email address or phone number to send the code to."})
    code = access_code_new()
    now = clock.now()
    with transaction.atomic():
        access = profile.portal_accesses.select_for_update().filter(revoked_at__isnull=True).first()
        if access is None:
            access = PortalAccess(profile=profile, issued_at=now, issued_by=actor)
        access.issued_at = now
        access.issued_by = actor
        access.code_hash = make_password(code)
        access.code_expires_at = now + dt.timedelta(hours=conf.portal_code_hours())
        access.code_used_at = None
        access.requested_code_hash = ""
        access.requested_code_expires_at = None
        had_check = bool(access.check_hash)
        access.check_hash = ""
        access.save()
        ended = PortalSession.objects.filter(access=access, ended_at__isnull=True).update(ended_at=now)
        if send:
            outbox_code_queue(profile=profile, code=code)
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.PortalAccess",
            object_id=access.pk,
            details={
                "what": "portal access code issued",
                "sent": send,
                "secret_word_reset": had_check,
                "sessions_ended": ended,
            },
            request=request,
        )
    return access, code


def portal_code_request(*, reference: str, request: HttpRequest | None = None) -> int:
    """A visitor asked for a new code for `reference` (run in the background, so that the page answers
    as fast for a made-up reference as for a real one). Each victim with online access on a real
    reference, and a safe email or number, gets a new code there, at most one every
    BLUESTONE_PORTAL_NEW_CODE_MINUTES. Earlier codes keep working until the new one is used; the
    secret word stays. Returns how many codes were sent."""
    reference = "".join(reference.split()).upper()
    case = Case.objects.filter(crime_reference__iexact=reference).first() if reference else None
    now = clock.now()
    sent = 0
    skipped = 0
    with transaction.atomic():
        accesses = (
            list(
                PortalAccess.objects.select_for_update()
                .filter(profile__case=case, revoked_at__isnull=True)
                .select_related("profile")
            )
            if case is not None
            else []
        )
        recent = now - dt.timedelta(minutes=conf.portal_new_code_minutes())
        for access in accesses:
            profile = access.profile
            if not (profile.safe_email or profile.safe_phone):
                continue
            if access.code_requested_at is not None and access.code_requested_at > recent:
                skipped += 1
                continue
            code = access_code_new()
            access.requested_code_hash = make_password(code)
            access.requested_code_expires_at = now + dt.timedelta(hours=conf.portal_code_hours())
            access.code_requested_at = now
            access.save(
                update_fields=["requested_code_hash", "requested_code_expires_at", "code_requested_at", "updated_at"]
            )
            outbox_code_queue(profile=profile, code=code)
            sent += 1
        audit_record(
            actor=None,
            action=AuditAction.ALTERATION if accesses else AuditAction.SIGN_IN_FAILED,
            request=request,
            case=case.pk if case is not None and accesses else None,
            object_type="victims.PortalAccess",
            details={"surface": "portal", "what": "new code asked for", "sent": sent, "too_soon": skipped},
        )
    return sent


def portal_message_send(*, profile: VictimProfile, body: str, request: HttpRequest | None = None) -> PortalMessage:
    """The victim writes to the officer: kept on the case, on its timeline, and in the officer's queue."""
    if not body.strip():
        raise ValidationError({"body": "Write your message."})
    if len(body) > 5000:  # noqa: PLR2004
        raise ValidationError({"body": "Your message is too long. Make it shorter than 5,000 characters."})
    with transaction.atomic():
        event = case_event_record(
            actor=None,
            case=profile.case_id,
            kind=EventKind.VICTIM_MESSAGE,
            summary="Message from the victim (read it on the Victim tab)",
            request=request,
        )
        message = PortalMessage.objects.create(
            profile=profile, case_id=profile.case_id, body=body.strip(), sent_at=clock.now(), case_event=event
        )
        _audit(
            actor=None,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.PortalMessage",
            object_id=message.pk,
            details={"surface": "portal", "what": "message to the officer"},
            request=request,
        )
    return message


def portal_message_mark_read(
    *, actor: User, message: PortalMessage, request: HttpRequest | None = None
) -> PortalMessage:
    with transaction.atomic():
        relock(message)  # marked read once, with one entry, however many open it at once
        if message.read_at is None:
            message.read_at = clock.now()
            message.read_by = actor
            message.save(update_fields=["read_at", "read_by", "updated_at"])
            _audit(
                actor=actor,
                action=AuditAction.CONSULTATION,
                profile=message.profile,
                object_type="victims.PortalMessage",
                object_id=message.pk,
                details={"what": "message from the victim marked read"},
                request=request,
            )
    return message


SURVEY_FIELDS = ("voice", "respect", "neutrality", "trustworthiness", "overall")


def feedback_record(
    *, profile: VictimProfile, answers: dict[str, int], comments: str = "", request: HttpRequest | None = None
) -> Feedback:
    errors = {name: "Choose an answer." for name in SURVEY_FIELDS if answers.get(name) not in {1, 2, 3, 4, 5}}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback = Feedback.objects.create(
            profile=profile,
            case_id=profile.case_id,
            submitted_at=clock.now(),
            comments=comments.strip(),
            **{name: answers[name] for name in SURVEY_FIELDS},
        )
        _audit(
            actor=None,
            action=AuditAction.COLLECTION,
            profile=profile,
            object_type="victims.Feedback",
            object_id=feedback.pk,
            details={"surface": "portal", "what": "feedback"},
            request=request,
        )
    return feedback
