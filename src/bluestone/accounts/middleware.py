"""Session limits for staff: an absolute lifetime, and "sign out of all sessions".

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

from bluestone.core import clock

SESSION_STARTED = "bluestone.session_started"
SESSION_GENERATION = "bluestone.session_generation"


def session_limits_start(sender: object, *, request: HttpRequest, user: object, **kwargs: object) -> None:
    """At sign-in, stamp the session with its start and the user's current session generation."""
    request.session[SESSION_STARTED] = clock.now().timestamp()
    request.session[SESSION_GENERATION] = getattr(user, "session_generation", 0)


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
                return self._end(request, "Your session has ended because you were signed in for too long.")
            if generation != user.session_generation:
                return self._end(request, "You were signed out because you chose to sign out of all sessions.")
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, f"{message} Sign in again to carry on.")
        return redirect(settings.LOGIN_URL)
