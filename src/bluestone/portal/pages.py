"""What every portal page shares, whichever half of the portal serves it.

`portal/urls.py` wraps every view it includes with `portal_page`, so that no portal page can forget:
the staff session is never used (a staff member signed in on the same browser is anonymous here),
no response is stored by the browser or any cache (so Back after a quick exit, or a shared computer,
shows nothing), and search engines are told not to index the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.cache import add_never_cache_headers

View = Callable[..., HttpResponseBase]


def portal_page(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Whatever AuthenticationMiddleware found in the staff session, this page sees nobody.
        request.user = AnonymousUser()
        response = view(request, *args, **kwargs)
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
