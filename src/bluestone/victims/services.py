"""Writes for victims: profiles, the Victims' Code obligations, contacts, support for the
investigation, updates, portal access and messages. Each runs in one transaction and records its
s.62 entry there; each that belongs on the case's timeline goes through `case_event_record`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import rules
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, EventKind, Involvement, Role
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.core.workdays import add_working_days
from bluestone.victims import conf
from bluestone.victims.models import (
    Feedback,
    Obligation,
    ObligationStatus,
    PortalAccess,
    PortalMessage,
    PortalSession,
    ReengagementReason,
    Right,
    SupportStatusChange,
    VictimContact,
    VictimProfile,
    VictimUpdate,
    WithdrawalReason,
)
from bluestone.victims.notifications import outbox_code_queue, outbox_update_queue

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


# --- Profiles -----------------------------------------------------------------------------------


def _enhanced_by_default(involvement: Involvement) -> bool:
    """Sexual offences (every offence class Bluestone holds) give enhanced rights unless a force says
    not; a child victim always has them."""
    case = involvement.case
    if case.offence_class.child_victim:
        return True
    birth = involvement.person.date_of_birth
    if birth is not None:
        on = case.offence_from
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if age < 18:  # noqa: PLR2004
            return True
    return conf.enhanced_rights_for_sexual_offences()


def victim_profiles_ensure(*, case_id: uuid.UUID, actor: User | None = None) -> list[VictimProfile]:
    """Every victim on the case has a profile (created with the defaults where missing); returns them all."""
    involvements = Involvement.objects.filter(case_id=case_id, role=Role.VICTIM).select_related(
        "case__offence_class", "person"
    )
    profiles = []
    with transaction.atomic():
        for involvement in involvements:
            profile = VictimProfile.objects.filter(involvement=involvement).first()
            if profile is None:
                profile = VictimProfile.objects.create(
                    involvement=involvement,
                    case_id=case_id,
                    enhanced_rights=_enhanced_by_default(involvement),
                    created_by=actor,
                    updated_by=actor,
                )
                _audit(
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    profile=profile,
                    object_type="victims.VictimProfile",
                    object_id=profile.pk,
                    details={"what": "victim profile", "enhanced_rights": profile.enhanced_rights},
                )
            profiles.append(profile)
    return profiles


PROFILE_FIELDS = (
    "preferred_name",
    "channel",
    "safe_phone",
    "safe_email",
    "safe_address",
    "safe_times",
    "may_leave_message",
    "interpreter_language",
    "accessibility_needs",
    "notify_by",
    "needs_assessment",
    "needs_assessed_on",
    "special_measures",
    "enhanced_rights",
    "isva_status",
    "isva_provider",
    "isva_date",
    "is_child",
    "guardian_role",
    "guardian_name",
    "guardian_contact",
)


def victim_profile_update(
    *,
    actor: User | None,
    profile: VictimProfile,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
    surface: str = "staff",
) -> VictimProfile:
    """Change the profile's fields named in `changes` (PROFILE_FIELDS only); logs which changed, not to
    what. `surface` is "portal" when the victim changes their own contact preferences."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    merged = {name: changes.get(name, getattr(profile, name)) for name in PROFILE_FIELDS}
    if merged["channel"] == "phone" and not merged["safe_phone"] and "channel" in changes:
        errors["safe_phone"] = "Enter a safe phone number, or choose another way to contact the victim."
    if merged["channel"] == "email" and not merged["safe_email"] and "channel" in changes:
        errors["safe_email"] = "Enter a safe email address, or choose another way to contact the victim."
    if merged["notify_by"] == "email" and not merged["safe_email"]:
        errors["notify_by"] = "To tell the victim of updates by email, enter a safe email address first."
    if merged["notify_by"] == "sms" and not merged["safe_phone"]:
        errors["notify_by"] = "To tell the victim of updates by text message, enter a safe phone number first."
    if merged["is_child"] and not merged["guardian_name"] and "is_child" in changes:
        errors["guardian_name"] = "Enter the name of the parent, guardian or appropriate adult."
    if merged["isva_status"] in {"accepted", "declined", "offered"} and not merged["isva_date"]:
        errors["isva_date"] = "Enter the date the ISVA referral was offered or answered."
    if merged["needs_assessed_on"] and merged["needs_assessed_on"] > clock.today():
        errors["needs_assessed_on"] = "The date of the needs assessment must be today or in the past."
    if errors:
        raise ValidationError(errors)
    changed = [name for name in PROFILE_FIELDS if name in changes and getattr(profile, name) != changes[name]]
    with transaction.atomic():
        for name in changed:
            setattr(profile, name, changes[name])
        profile.updated_by = actor
        profile.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=profile,
            object_type="victims.VictimProfile",
            object_id=profile.pk,
            details={"fields": changed, "surface": surface},
            request=request,
        )
    return profile


def contact_plan_set(
    *,
    actor: User,
    profile: VictimProfile,
    cadence_days: int,
    agreed_on: dt.date,
    notes: str = "",
    request: HttpRequest | None = None,
) -> VictimProfile:
    """Record the contact plan the victim agreed: every `cadence_days` days, from `agreed_on`."""
    errors = {}
    if not 1 <= cadence_days <= 365:  # noqa: PLR2004
        errors["cadence_days"] = "Enter how often to contact the victim, from 1 to 365 days."
    if agreed_on > clock.today():
        errors["agreed_on"] = "The date the plan was agreed must be today or in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile.plan_cadence_days = cadence_days
        profile.plan_agreed_on = agreed_on
        profile.plan_notes = notes.strip()
        profile.updated_by = actor
        profile.save(update_fields=["plan_cadence_days", "plan_agreed_on", "plan_notes", "updated_by", "updated_at"])
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            profile=profile,
            object_type="victims.VictimProfile",
            object_id=profile.pk,
            details={"fields": ["contact_plan"], "cadence_days": cadence_days},
            request=request,
        )
        # Agreeing a plan meets the duty to agree one.
        for obligation in profile.obligations.filter(right__code="contact_plan", status=ObligationStatus.OPEN):
            _obligation_meet(obligation=obligation, when=_noon(agreed_on), contact=None)
    return profile


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# --- The Victims' Code engine --------------------------------------------------------------------


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

    Posts the automatic portal update for the event to victims who follow their case online.
    """
    rights = [r for r in Right.objects.filter(active=True) if trigger_kind in r.trigger_list]
    if not rights:
        return []
    opened = []
    profiles = victim_profiles_ensure(case_id=case_id, actor=actor)
    for profile in profiles:
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
            if right.portal_update and _follows_online(profile):
                _update_post(profile=profile, text=right.portal_update, automatic=True, actor=None)
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


def _follows_online(profile: VictimProfile) -> bool:
    return profile.portal_accesses.filter(revoked_at__isnull=True).exists()


def _obligation_meet(*, obligation: Obligation, when: dt.datetime, contact: VictimContact | None) -> None:
    obligation.status = ObligationStatus.MET
    obligation.met_at = when
    obligation.met_by_contact = contact
    obligation.save(update_fields=["status", "met_at", "met_by_contact", "updated_at"])


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


# --- Contact ---------------------------------------------------------------------------------------


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


# --- Support for the investigation ----------------------------------------------------------------


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


# --- Portal access, messages, feedback -------------------------------------------------------------

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
