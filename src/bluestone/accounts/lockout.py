"""Locking an account after repeated failed sign-ins, through django-axes.

Axes counts failures per username (AXES_LOCKOUT_PARAMETERS), whether or not the username exists,
so the lockout page cannot be used to find out which usernames are real. A wrong password reaches
axes through Django's `user_login_failed` signal, which `authenticate` sends; a wrong security code
is sent down the same signal here, so passwords and codes share one count.

The count is cleared only when a whole sign-in succeeds (the password, then the code if the user
has set one up), not at the password: otherwise someone who has the password could keep trying
codes, a few at a time, for ever. AXES_RESET_ON_SUCCESS is off for that reason.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse

from bluestone.accounts.models import User


def _credentials(user: User) -> dict[str, str]:
    # The key axes reads the username from (AXES_USERNAME_FORM_FIELD, left at its default).
    return {"username": user.get_username()}


def _axes_enabled() -> bool:
    return bool(getattr(settings, "AXES_ENABLED", True))


def sign_in_failure_record(*, request: HttpRequest, user: User) -> bool:
    """Count a failed step of sign-in (such as a wrong code) for the user; True if now locked out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def sign_in_is_locked(*, request: HttpRequest, user: User) -> bool:
    """Whether the user's account is locked now (for instance by wrong passwords tried elsewhere)."""
    if not _axes_enabled():
        return False
    return bool(AxesProxyHandler.is_locked(request, _credentials(user)))


def sign_in_attempts_reset(*, user: User) -> None:
    """Clear the failure count once the whole sign-in has succeeded."""
    if _axes_enabled():
        AxesProxyHandler.reset_attempts(username=user.get_username())


def lockout_response(*, request: HttpRequest, user: User) -> HttpResponse:
    """The "Your account is locked" page, as axes renders it for a refused password."""
    response: HttpResponse = get_lockout_response(request, None, _credentials(user))
    return response
