"""Signing in to "Follow my case", and the portal session that follows. No staff account, no Django
session: a victim signs in with the crime reference, a one-time code and (after the first time) a
second check they set themselves; the browser then holds only a random token in a signed cookie.

Safety rules kept here:
- codes and second checks are stored as password hashes; a code works once and runs out;
- a wrong answer reads the same whether the reference exists or not, and takes about as long;
- failures are counted by a keyed hash of the reference typed and of the address, whether or not the
  reference exists, and lock both for a while (PortalThrottle), so the lockout reveals nothing either;
- every sign-in, failure, lockout, page and change is in the s.62 log with no user and
  `"surface": "portal"` in its details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.victims import conf
from bluestone.victims.models import PortalAccess, PortalSession, PortalThrottle, VictimProfile
from bluestone.victims.services import access_code_normalise, portal_access_issue

SURFACE = {"surface": "portal"}
CHECK_MIN_LENGTH = 6


class TooManyTries(Exception):  # noqa: N818 (a state, not an error in the code)
    """Sign-in is locked for this reference or this address for now."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__("Too many tries")
        self.until = until


def reference_normalise(typed: str) -> str:
    return "".join(typed.split()).upper()


def _key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"portal-throttle:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _address(request: HttpRequest | None) -> str:
    raw = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return "unknown"


def _throttle_keys(reference: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    return [
        (_key("reference", reference), conf.portal_attempts()),
        (_key("address", _address(request)), conf.portal_address_attempts()),
    ]


def _locked_until(keys: list[tuple[str, int]]) -> dt.datetime | None:
    now = clock.now()
    until = (
        PortalThrottle.objects.filter(key__in=[key for key, _ in keys], locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return until


def _count_failure(keys: list[tuple[str, int]]) -> dt.datetime | None:
    """Count one failure against each key; return when the lock ends if this failure set one."""
    now = clock.now()
    window = dt.timedelta(minutes=conf.portal_lockout_minutes())
    locked = None
    for key, limit in keys:
        throttle, _ = PortalThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"window_started_at": now}
        )
        if now - throttle.window_started_at > window:
            throttle.failures, throttle.window_started_at = 0, now
        throttle.failures += 1
        if throttle.failures >= limit:
            throttle.locked_until = now + window
            throttle.failures, throttle.window_started_at = 0, now
            locked = throttle.locked_until
        throttle.save()
    return locked


@cache
def _dummy_hash() -> str:
    # Checked against when the reference does not exist, so that a wrong reference costs as much time
    # as a wrong code.
    return make_password(secrets.token_hex(16))


def _candidates(reference: str) -> list[PortalAccess]:
    case = Case.objects.filter(crime_reference__iexact=reference).first()
    if case is None:
        return []
    return list(
        PortalAccess.objects.filter(profile__case=case, revoked_at__isnull=True).select_related(
            "profile__involvement", "profile__case"
        )
    )


def _code_fits(access: PortalAccess, code: str) -> bool:
    if not access.code_hash or access.code_used_at is not None:
        check_password(code, _dummy_hash())
        return False
    fits = check_password(code, access.code_hash)
    return fits and access.code_expires_at is not None and access.code_expires_at > clock.now()


def _check_fits(access: PortalAccess, check: str) -> bool:
    if not access.check_hash:
        # First sign-in: they have not set a second check yet, so none may be given.
        return check == ""
    return bool(check) and check_password(check, access.check_hash)


@dataclass(frozen=True)
class SignedIn:
    token: str  # for the cookie; only its hash is kept
    session: PortalSession
    needs_check: bool


def follow_sign_in(*, reference: str, code: str, check: str, request: HttpRequest | None = None) -> SignedIn | None:
    """Sign in, or None for any wrong detail (never which one). Raises TooManyTries when locked."""
    reference = reference_normalise(reference)
    code = access_code_normalise(code)
    keys = _throttle_keys(reference, request)
    until = _locked_until(keys)
    if until is not None:
        raise TooManyTries(until)
    candidates = _candidates(reference)
    matched = None
    for access in candidates:
        if _code_fits(access, code) and _check_fits(access, check):
            matched = access
            break
    if not candidates:
        check_password(code, _dummy_hash())
    locked: dt.datetime | None = None
    with transaction.atomic():
        if matched is None:
            locked = _count_failure(keys)
            case_id = candidates[0].profile.case_id if candidates else None
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_FAILED,
                request=request,
                case=case_id,
                object_type="victims.PortalAccess",
                details=SURFACE,
            )
            if locked is not None:
                audit_record(actor=None, action=AuditAction.LOCKOUT, request=request, case=case_id, details=SURFACE)
        else:
            now = clock.now()
            matched.code_hash = ""  # single use: the code can never be checked again
            matched.code_used_at = now
            matched.last_sign_in_at = now
            matched.save(update_fields=["code_hash", "code_used_at", "last_sign_in_at", "updated_at"])
            PortalThrottle.objects.filter(key=keys[0][0]).delete()
            token = secrets.token_urlsafe(32)
            session = PortalSession.objects.create(
                token_hash=_token_hash(token),
                access=matched,
                started_at=now,
                last_seen_at=now,
                needs_check=not matched.check_hash,
            )
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN,
                request=request,
                case=matched.profile.case_id,
                person=matched.profile.involvement.person_id,
                object_type="victims.PortalAccess",
                object_id=matched.pk,
                details=SURFACE,
            )
    if matched is None:
        if locked is not None:
            raise TooManyTries(locked)
        return None
    return SignedIn(token=token, session=session, needs_check=session.needs_check)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Visitor:
    """The victim signed in to the portal: their session, access, profile and case."""

    session: PortalSession
    access: PortalAccess
    profile: VictimProfile


class SessionEnded(Exception):  # noqa: N818 (a state, not an error in the code)
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def follow_session_get(*, token: str | None) -> Visitor | None:
    """The visitor behind a cookie's token, moving their idle time on; None if there is no live
    session. Raises SessionEnded("idle") when it has just timed out."""
    if not token:
        return None
    session = (
        PortalSession.objects.select_related("access__profile__involvement", "access__profile__case__officer")
        .filter(token_hash=_token_hash(token), ended_at__isnull=True)
        .first()
    )
    if session is None or session.access.revoked_at is not None:
        return None
    now = clock.now()
    if now - session.last_seen_at > dt.timedelta(minutes=conf.portal_idle_minutes()):
        session.ended_at = now
        session.save(update_fields=["ended_at"])
        raise SessionEnded("idle")
    session.last_seen_at = now
    session.save(update_fields=["last_seen_at"])
    return Visitor(session=session, access=session.access, profile=session.access.profile)


def follow_sign_out(*, visitor: Visitor, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        visitor.session.ended_at = clock.now()
        visitor.session.save(update_fields=["ended_at"])
        audit_record(
            actor=None,
            action=AuditAction.SIGN_OUT,
            request=request,
            case=visitor.profile.case_id,
            person=visitor.profile.involvement.person_id,
            details=SURFACE,
        )


def follow_check_set(*, visitor: Visitor, check: str, confirm: str, request: HttpRequest | None = None) -> None:
    """The victim sets the second check they will give at every later sign-in."""
    errors = {}
    if len(check.strip()) < CHECK_MIN_LENGTH:
        errors["check"] = f"Your secret word must be at least {CHECK_MIN_LENGTH} letters or numbers long."
    elif check != confirm:
        errors["confirm"] = "The two secret words are not the same. Type the same word in both boxes."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visitor.access.check_hash = make_password(check)
        visitor.access.save(update_fields=["check_hash", "updated_at"])
        visitor.session.needs_check = False
        visitor.session.save(update_fields=["needs_check"])
        audit_record(
            actor=None,
            action=AuditAction.ALTERATION,
            request=request,
            case=visitor.profile.case_id,
            person=visitor.profile.involvement.person_id,
            object_type="victims.PortalAccess",
            object_id=visitor.access.pk,
            details={**SURFACE, "what": "second check set"},
        )


def follow_page_view_record(*, visitor: Visitor, page: str, request: HttpRequest | None = None) -> None:
    """Log that the victim read a portal page about their case (a consultation, with no user)."""
    audit_record(
        actor=None,
        action=AuditAction.CONSULTATION,
        request=request,
        case=visitor.profile.case_id,
        person=visitor.profile.involvement.person_id,
        object_type="victims.VictimProfile",
        object_id=visitor.profile.pk,
        details={**SURFACE, "page": page},
    )


def follow_new_code_request(*, reference: str, request: HttpRequest | None = None) -> None:
    """Send a new one-time code to the safe email or number on file, if the reference is real and
    has online access. Says nothing either way (the page's answer is always the same), and counts
    as a try against the reference and the address, so it cannot be used to flood a phone."""
    reference = reference_normalise(reference)
    keys = _throttle_keys(reference, request)
    if _locked_until(keys) is not None:
        raise TooManyTries(_locked_until(keys) or clock.now())
    candidates = _candidates(reference)
    with transaction.atomic():
        _count_failure(keys)
        for access in candidates:
            profile = access.profile
            if profile.safe_email or profile.safe_phone:
                portal_access_issue(actor=None, profile=profile, send=True, request=request)
        audit_record(
            actor=None,
            action=AuditAction.ALTERATION if candidates else AuditAction.SIGN_IN_FAILED,
            request=request,
            case=candidates[0].profile.case_id if candidates else None,
            details={**SURFACE, "what": "new code asked for"},
        )


def visitor_details(visitor: Visitor) -> dict[str, Any]:
    """The officer's name for the portal's pages (the victim's own officer, nothing else)."""
    officer = visitor.profile.case.officer
    return {"officer": f"{officer.get_rank_display()} {officer.first_name} {officer.last_name}" if officer else ""}
