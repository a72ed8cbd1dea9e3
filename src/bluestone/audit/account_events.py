"""Signing in and out, failed sign-ins and lockouts, in the s.62 log (for integrity and security).

Connected in `AuditConfig.ready()` to Django's auth signals, django-axes' `user_locked_out` and the
`SecurityCodeVerified`, `SingleSignOnRefused` and `SingleSignOnAccountChanged` events of `accounts`
(which sits below `audit` and so never writes the log itself). These receivers only record: the
sign-in itself, the failure count and the lockout belong to Django, django-axes and
`bluestone.accounts.lockout` (and `bluestone.accounts.sso` for single sign-on).

A failure is the one event whose request ends badly, so its entry must not share the fate of the
request: it is written in its own durable transaction, committed before the sign-in page answers.
If some caller ever tried sign-in inside a transaction of its own (which could roll the entry back
with its work), the durable block raises instead of losing the entry quietly.

Nothing secret is recorded: for a failure, only the username that was tried (never the password
or the code, which Django's signal has already masked) and which step failed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts import lockout
from bluestone.accounts.events import SecurityCodeVerified, SingleSignOnAccountChanged, SingleSignOnRefused
from bluestone.accounts.models import User
from bluestone.accounts.otp import totp_device_confirmed
from bluestone.accounts.sso import REFUSAL_WORDS, SSO_BACKEND, Refusal
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record

USERNAME_MAX = User._meta.get_field("username").max_length or 150
ACCOUNT = "accounts.User"


def _attempted_username(credentials: dict[str, Any] | None) -> str:
    value = (credentials or {}).get(get_user_model().USERNAME_FIELD) or ""
    return str(value)[:USERNAME_MAX]


SINGLE_SIGN_ON = "single sign-on"


def sign_in_audit(sender: object, *, request: HttpRequest, user: User, **kwargs: object) -> None:
    """`user_logged_in`: the password was right (whether a security code is still to come is noted),
    or the force's identity provider vouched for the user."""
    if getattr(user, "backend", None) == SSO_BACKEND:
        audit_record(
            actor=user,
            action=AuditAction.SIGN_IN,
            request=request,
            object_type=ACCOUNT,
            object_id=user.pk,
            details={"step": SINGLE_SIGN_ON, "issuer": settings.BLUESTONE_OIDC_ISSUER},
        )
        return
    code_to_come = totp_device_confirmed(user=user) is not None
    audit_record(
        actor=user,
        action=AuditAction.SIGN_IN,
        request=request,
        object_type=ACCOUNT,
        object_id=user.pk,
        details={"step": "password", "security_code_required": code_to_come},
    )


def security_code_audit(event: SecurityCodeVerified) -> None:
    """The second step of sign-in: the password step logged a sign-in, this one completes it."""
    audit_record(
        actor=event.user,
        action=AuditAction.SIGN_IN,
        request=event.request,
        object_type=ACCOUNT,
        object_id=event.user.pk,
        details={"step": "security code"},
    )


def sign_out_audit(sender: object, *, request: HttpRequest, user: User | None, **kwargs: object) -> None:
    """`user_logged_out`: by the user, by "sign out everywhere", or because the session ran out."""
    if not isinstance(user, User):
        return  # nobody was signed in: nothing to record
    audit_record(actor=user, action=AuditAction.SIGN_OUT, request=request, object_type=ACCOUNT, object_id=user.pk)


def sign_in_failed_audit(
    sender: object, *, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    """`user_login_failed`: a wrong password, a refused sign-in to a locked account, or a wrong code."""
    if _single_sign_on_attempt(credentials):
        return  # logged, with its reason, by single_sign_on_refused_audit
    # bluestone.accounts.lockout sends the signal for a wrong security code; Django sends it for a password.
    step = "security_code" if sender == lockout.__name__ else "password"
    with transaction.atomic(durable=True):
        audit_record(
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            request=request,
            object_type=ACCOUNT,
            details={"username": _attempted_username(credentials), "step": step},
        )


def _single_sign_on_attempt(credentials: dict[str, Any] | None) -> bool:
    # The callback of single sign-on authenticates with the nonce and PKCE verifier it kept, never a username.
    keys = set(credentials or {})
    return "nonce" in keys and "code_verifier" in keys and get_user_model().USERNAME_FIELD not in keys


def single_sign_on_refused_audit(event: SingleSignOnRefused) -> None:
    """A sign-in through the provider refused: who the provider said it was, and why."""
    with transaction.atomic(durable=True):
        audit_record(
            actor=None,
            action=AuditAction.SIGN_IN_FAILED,
            request=event.request,
            object_type=ACCOUNT,
            details={
                "username": event.identity[:USERNAME_MAX],
                "step": SINGLE_SIGN_ON,
                "reason": event.reason,
                "reason_words": REFUSAL_WORDS[Refusal(event.reason)],
            },
        )


def single_sign_on_account_audit(event: SingleSignOnAccountChanged) -> None:
    """A user made (just-in-time creation), given a new role or team by the provider's claims, or tied
    to the force account they signed in with (its issuer and `sub`)."""
    details: dict[str, Any] = {
        "by": SINGLE_SIGN_ON,
        "changed": list(event.changed),
        "role": event.user.role,
        "team_id": event.user.team_id,
    }
    if "force_account" in event.changed:
        details["force_account"] = {"issuer": event.user.sso_issuer, "sub": event.user.sso_subject}
    audit_record(
        actor=None,
        action=AuditAction.COLLECTION if event.created else AuditAction.ALTERATION,
        request=event.request,
        object_type=ACCOUNT,
        object_id=event.user.pk,
        details=details,
    )


def lockout_audit(
    sender: object, *, request: HttpRequest | None, username: str | None = None, **kwargs: object
) -> None:
    """django-axes' `user_locked_out`: the attempt that reached the limit, and each attempt while locked."""
    failures = getattr(request, "axes_failures_since_start", None)
    details: dict[str, Any] = {"username": str(username or "")[:USERNAME_MAX]}
    if isinstance(failures, int):
        details["failures"] = failures
    with transaction.atomic(durable=True):
        audit_record(actor=None, action=AuditAction.LOCKOUT, request=request, object_type=ACCOUNT, details=details)
