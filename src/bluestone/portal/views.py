"""The pages of the whole public portal: start, support, cookies, staying safe online, and the quick
exit, which ends both halves' sessions. Anonymous: see portal/pages.py."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.portal.follow import views as follow_views
from bluestone.portal.follow.services import SessionEnded, follow_session_get, follow_sign_out
from bluestone.portal.models import SupportService, WhenHappened
from bluestone.portal.pages import PORTAL_COOKIE_PATH, PORTAL_SESSION_COOKIE
from bluestone.portal.report.services import DRAFT_HOURS, callback_hours, callback_hours_for, report_draft_discard
from bluestone.portal.report.views import DRAFT_COOKIE, draft_get


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/start.html",
        {
            "callback_hours": callback_hours(),
            "urgent_callback_hours": callback_hours_for(WhenHappened.LAST_WEEK),
        },
    )


@require_GET
def support(request: HttpRequest) -> HttpResponse:
    services = SupportService.objects.filter(shown=True).order_by("position", "name")
    return render(request, "portal/support.html", {"services": services})


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/cookies.html", {"draft_hours": DRAFT_HOURS})


@require_GET
def safety(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/safety.html")


def neutral_site() -> str:
    """Where the quick exit lands: a neutral site (a setting, so a force can choose its own)."""
    return str(getattr(settings, "BLUESTONE_PORTAL_EXIT_URL", "") or "https://www.bbc.co.uk/weather")


# No CSRF token: the page may be left by a link with no form, and by a script as it leaves. Nobody can
# use it against a victim: the portal's cookies are SameSite=Strict, so a request from another site
# carries none and ends nothing, and all it can ever do is sign out and forget.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def exit_this_page(request: HttpRequest) -> HttpResponse:
    """The quick exit ("Exit this page", the Escape key): ends the follow-my-case session and throws
    away a report in progress, on the server, then sends the browser to a neutral site. Nothing is
    left that Back, or opening a portal address again, could show."""
    try:
        visitor = follow_session_get(token=follow_views.token(request))
    except SessionEnded:
        visitor = None
    if visitor is not None:
        follow_sign_out(visitor=visitor, request=request, quick_exit=True)
    draft = draft_get(request)
    if draft is not None:
        report_draft_discard(draft=draft)
    request.session.flush()
    response = HttpResponseRedirect(neutral_site())
    for cookie in (follow_views.COOKIE, DRAFT_COOKIE, PORTAL_SESSION_COOKIE):
        response.delete_cookie(cookie, path=PORTAL_COOKIE_PATH, samesite="Strict")
    # Ask the browser to drop anything it kept of this site's pages (its cache, and with it pages held
    # for Back); no-store (portal_page) already asks it not to keep them.
    response["Clear-Site-Data"] = '"cache"'
    return response
