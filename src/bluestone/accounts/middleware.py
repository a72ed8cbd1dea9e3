"""Session limits for staff (an absolute lifetime, "sign out of all sessions") and the second factor.

Inactivity expiry needs no code: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST slides the
expiry forward on every request, so a session idle for longer than that is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from bluestone.accounts.models import User
from bluestone.accounts.otp import totp_device_confirmed
from bluestone.accounts.sso import session_is_single_sign_on
from bluestone.accounts.templatetags.account_time import in_words
from bluestone.core import clock

SESSION_STARTED = "bluestone.session_started"
SESSION_GENERATION = "bluestone.session_generation"


# Whether the user had a confirmed authenticator app when this session signed in, so that the
# two-factor check costs no query on each request. Changed here when the app is set up or removed.
SESSION_HAS_DEVICE = "bluestone.two_factor_device"


def session_limits_start(sender: object, *, request: HttpRequest, user: User, **kwargs: object) -> None:
    """At sign-in (every call of `login`), stamp the session with its start, the user's current
    session generation, and whether the user has an authenticator app to ask a code from."""
    request.session[SESSION_STARTED] = clock.now().timestamp()
    request.session[SESSION_GENERATION] = getattr(user, "session_generation", 0)
    request.session[SESSION_HAS_DEVICE] = totp_device_confirmed(user=user) is not None


def session_has_device_set(*, request: HttpRequest, has_device: bool) -> None:
    request.session[SESSION_HAS_DEVICE] = has_device


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.setdefault(SESSION_STARTED, now)
            generation = request.session.setdefault(SESSION_GENERATION, user.session_generation)
            if now - float(started) > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                limit = in_words(settings.SESSION_ABSOLUTE_LIMIT_SECONDS)
                return self._end(request, f"You have been signed out because you were signed in for {limit}.")
            if generation != user.session_generation:
                return self._end(request, "You were signed out because you chose to sign out of all sessions.")
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, f"{message} Sign in again to carry on.")
        return redirect(settings.LOGIN_URL)


class TwoFactorMiddleware:
    """Hold a signed-in user at the second step of sign-in until their security code is right.

    A user who has set up an authenticator app reaches no page but the code page and sign-out until
    `request.user.is_verified()`; where BLUESTONE_REQUIRE_TOTP is on, a user who has not set one
    up reaches only the set-up page and sign-out. Static files are served before this runs
    (WhiteNoise), and are let through here too for a server that does not use it.

    A session signed in through the force's identity provider is not asked: the provider's own
    multi-factor authentication stands for it (BLUESTONE_OIDC_REQUIRED_AMR can insist on it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if user.is_verified() or session_is_single_sign_on(request):
            return self.get_response(request)
        if SESSION_HAS_DEVICE not in request.session:  # a session from before this check existed
            session_has_device_set(request=request, has_device=totp_device_confirmed(user=user) is not None)
        if request.session[SESSION_HAS_DEVICE]:
            allowed = {"accounts:two-factor", "accounts:sign-out"}
            destination = "accounts:two-factor"
        elif settings.BLUESTONE_REQUIRE_TOTP:
            allowed = {"accounts:two-factor-set-up", "accounts:sign-out"}
            destination = "accounts:two-factor-set-up"
        else:
            return self.get_response(request)
        if request.path in {reverse(name) for name in allowed}:
            return self.get_response(request)
        return redirect(_with_next(reverse(destination), request))


def _with_next(url: str, request: HttpRequest) -> str:
    """Come back to the page asked for once the code is right (only for a page read with GET)."""
    if request.method != "GET" or request.path_info == "/":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"
