"""What every portal page shares, whichever half of the portal serves it.

`portal/urls.py` wraps every view it includes with `portal_page`, so that no portal page can forget:

- the staff session is never used: whoever is signed in to the staff side on the same browser,
  `request.user` is anonymous here, and `request.session` is the portal's own session (cookie
  `portal_session`, for /portal/ only), never the staff one. The staff session cookie is neither
  read, renewed nor ended by a portal page;
- no response is stored by the browser or any cache (so Back after a quick exit, or a shared
  computer, shows nothing), and search engines are told not to index the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.cache import add_never_cache_headers, patch_vary_headers

View = Callable[..., HttpResponseBase]

PORTAL_SESSION_COOKIE = "portal_session"
PORTAL_COOKIE_PATH = "/portal/"


class _StaffSessionLeftAlone:
    """Put in place of request.session once a portal view has run. Django's SessionMiddleware reads
    `accessed` from the session to decide whether to save it and renew its cookie; finding none, it
    leaves the staff session and its cookie exactly as they were."""


def _portal_session(request: HttpRequest) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(request.COOKIES.get(PORTAL_SESSION_COOKIE))
    return store


def _portal_session_save(request: HttpRequest, session: SessionBase, response: HttpResponseBase) -> None:
    """Save the portal session and set or clear its cookie, as SessionMiddleware does for the staff one."""
    if session.accessed:
        patch_vary_headers(response, ("Cookie",))
    if PORTAL_SESSION_COOKIE in request.COOKIES and session.is_empty():
        response.delete_cookie(PORTAL_SESSION_COOKIE, path=PORTAL_COOKIE_PATH, samesite="Strict")
        return
    if session.modified and not session.is_empty() and response.status_code < 500:  # noqa: PLR2004
        session.save()
        # No max_age: the cookie goes when the browser closes; the server ends the session sooner
        # (SESSION_COOKIE_AGE of inactivity) whatever the browser does.
        response.set_cookie(
            PORTAL_SESSION_COOKIE,
            session.session_key or "",
            path=PORTAL_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            httponly=True,
            samesite="Strict",
        )


def portal_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Whatever AuthenticationMiddleware found in the staff session, this page sees nobody.
        request.user = AnonymousUser()
        session = _portal_session(request)
        request.session = session
        try:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                # The portal's own "page not found", in the portal's layout with its quick exit.
                response = render(request, "portal/404.html", status=404)
            _portal_session_save(request, session, response)
        finally:
            # Also when the view raises (a 404, say): the staff session must not be ended by seeing
            # the portal's empty one in its place.
            request.session = _StaffSessionLeftAlone()  # type: ignore[assignment]
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    wrapped.portal_page = True  # type: ignore[attr-defined]
    return wrapped


def portal_patterns(patterns: Iterable[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The patterns with every view wrapped by `portal_page`, however deeply they are included."""
    result = list(patterns)
    for pattern in result:
        if isinstance(pattern, URLResolver):
            portal_patterns(pattern.url_patterns)
        elif not getattr(pattern.callback, "portal_page", False):
            pattern.callback = portal_page(pattern.callback)
    return result
