"""Signing in to "Follow my case", and the portal session that follows. No staff account, no Django
session: a victim signs in with the crime reference, a one-time code and (after the first time) a
second check they set themselves; the browser then holds only a random token in a signed cookie.

Safety rules kept here:
- codes and second checks are stored as password hashes; a code works once and runs out;
- a wrong answer reads the same whether the reference exists or not, and takes about as long;
- wrong tries are limited per client, never so that one client can lock the victim out
  (victims.portal_throttle explains how);
- asking for a new code does its work in the background, so the page answers alike for real and
  made-up references, and never cancels a code that still works;
- every sign-in, failure, lockout, page and change is in the s.62 log with no user and
  `"surface": "portal"` in its details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Case
from bluestone.core import clock
from bluestone.victims import conf
from bluestone.victims.models import PortalAccess, PortalSession, VictimProfile
from bluestone.victims.portal_throttle import (
    Keys,
    client_address,
    failure_count,
    held,
    reference_normalise,
    success_clear,
)
from bluestone.victims.services import access_code_normalise

SURFACE = {"surface": "portal"}
CHECK_MIN_LENGTH = 6
USER_AGENT_MAX = 512


class TooManyTries(Exception):  # noqa: N818 (a state, not an error in the code)
    """This client may not try now: locked out ("locked"), or the reference is slowed down ("slowed")."""

    def __init__(self, until: dt.datetime, why: Literal["locked", "slowed"] = "locked") -> None:
        super().__init__("Too many tries")
        self.until = until
        self.why = why


@cache
def _dummy_hash() -> str:
    # Checked against when there is no code to check, so that every try costs the same hashing.
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


def _fits(code_hash: str, expires_at: dt.datetime | None, code: str) -> bool:
    if not code_hash:
        check_password(code, _dummy_hash())
        return False
    return check_password(code, code_hash) and expires_at is not None and expires_at > clock.now()


def _code_fits(access: PortalAccess, code: str) -> Literal["issued", "requested"] | None:
    """Which of the access's two codes `code` is: the officer's, or one the victim asked for. Both
    are always checked, so the time taken does not say which exist."""
    issued = _fits(access.code_hash if access.code_used_at is None else "", access.code_expires_at, code)
    requested = _fits(access.requested_code_hash, access.requested_code_expires_at, code)
    if requested:
        return "requested"
    return "issued" if issued else None


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
    """Sign in, or None for any wrong detail (never which one). Raises TooManyTries when this client
    is locked out, or the reference is slowed down, for now (the try is then neither checked nor counted)."""
    reference = reference_normalise(reference)
    code = access_code_normalise(code)
    keys = Keys.of(reference, request)
    holding = held(keys)
    if holding is not None:
        raise TooManyTries(holding.until, holding.why)
    candidates = _candidates(reference)
    matched = None
    which = None
    for access in candidates:
        fitting = _code_fits(access, code)
        if fitting and _check_fits(access, check):
            matched, which = access, fitting
            break
    if not candidates:
        _fits("", None, code)
        _fits("", None, code)
    locked: dt.datetime | None = None
    with transaction.atomic():
        if matched is None:
            locked = failure_count(keys)
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
            # Single use: the code can never be checked again. A code the victim asked for spends the
            # officer's earlier one too (it was kept working only until the new one was used).
            if which == "requested" or matched.code_used_at is None:
                matched.code_hash = ""
                matched.code_used_at = now
            if which == "requested":
                matched.requested_code_hash = ""
                matched.requested_code_expires_at = None
            matched.last_sign_in_at = now
            matched.save(
                update_fields=[
                    "code_hash",
                    "code_used_at",
                    "requested_code_hash",
                    "requested_code_expires_at",
                    "last_sign_in_at",
                    "updated_at",
                ]
            )
            success_clear(keys)
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
                details={**SURFACE, "code": which},
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


def follow_sign_out(*, visitor: Visitor, request: HttpRequest | None = None, quick_exit: bool = False) -> None:
    with transaction.atomic():
        visitor.session.ended_at = clock.now()
        visitor.session.save(update_fields=["ended_at"])
        audit_record(
            actor=None,
            action=AuditAction.SIGN_OUT,
            request=request,
            case=visitor.profile.case_id,
            person=visitor.profile.involvement.person_id,
            details={**SURFACE, "quick_exit": True} if quick_exit else SURFACE,
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
    """Ask for a new one-time code for `reference`. The work (finding the case, making the code,
    sending it to the safe email or number on file) is a background task, so that this answers in the
    same time, with the same queries, whether or not the reference exists or a code is sent. Counts
    against this client's own limit only (never against the reference: nobody can use it to lock the
    victim out), and the task sends at most one code per victim every BLUESTONE_PORTAL_NEW_CODE_MINUTES,
    so it cannot flood a phone either."""
    from bluestone.victims.tasks import portal_code_requested  # noqa: PLC0415 (tasks import services)

    keys = Keys.of(reference, request)
    holding = held(keys)
    if holding is not None and holding.why == "locked":
        raise TooManyTries(holding.until)
    with transaction.atomic():
        locked = failure_count(keys, reference=False)
        user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX] if request is not None else ""
        portal_code_requested.enqueue(
            reference=reference_normalise(reference)[:64], address=client_address(request), user_agent=user_agent
        )
    if locked is not None:
        raise TooManyTries(locked)


def visitor_details(visitor: Visitor) -> dict[str, Any]:
    """The officer's name for the portal's pages (the victim's own officer, nothing else)."""
    officer = visitor.profile.case.officer
    return {"officer": f"{officer.get_rank_display()} {officer.first_name} {officer.last_name}" if officer else ""}
