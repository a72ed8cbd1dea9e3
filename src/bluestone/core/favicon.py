"""/favicon.ico, on every surface.

Pages link their icons, but a browser still asks the site's root for /favicon.ico (Chromium does on a
portal page's first visit), and a 404 there is an error in the browser's console and in the logs. It
is GOV.UK's icon, the one the portal's pages link, and says nothing about the service.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

ICON = "vendor/govuk/assets/images/favicon.ico"
A_DAY = 24 * 60 * 60


@functools.cache
def _icon() -> bytes | None:
    found = finders.find(ICON)
    return Path(str(found)).read_bytes() if found else None


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    icon = _icon()
    if icon is None:  # the front-end files are not installed (make install copies them)
        raise Http404
    return HttpResponse(icon, content_type="image/x-icon", headers={"Cache-Control": f"public, max-age={A_DAY}"})
