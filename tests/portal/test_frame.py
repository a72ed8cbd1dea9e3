"""What every portal page shares: quick exit, support, no caching or indexing, essential cookies only,
and no staff session or staff route."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import cast

import pytest
from django.test import Client

from bluestone.accounts.models import Role
from tests.factories import CaseFactory, OfficerFactory, TeamFactory, UserFactory
from tests.portal.conftest import MYSELF_ANSWERS

pytestmark = pytest.mark.django_db

PORTAL_PAGES = [
    "/portal/",
    "/portal/support/",
    "/portal/cookies/",
    "/portal/staying-safe-online/",
    "/portal/report/who/",
]
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@pytest.mark.parametrize("url", PORTAL_PAGES)
def test_every_page_has_quick_exit_support_and_is_never_stored_or_indexed(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # Quick exit: an ordinary link, so it works without JavaScript.
    exit_link = re.search(r'<a href="([^"]+)"[^>]*govuk-exit-this-page__button', page)
    assert exit_link
    # It goes through the exit address, which signs out and forgets, then on to the neutral site.
    assert exit_link.group(1) == "/portal/exit/"
    assert client.get(exit_link.group(1))["Location"] == NEUTRAL_SITE
    assert 'src="/static/portal/portal.js"' in page
    assert 'href="/portal/support/"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    # GOV.UK Frontend only: nothing from the staff side's MOJ Frontend, nothing naming police systems.
    assert "moj-" not in page
    assert "Bluestone" not in page


def test_the_portal_sets_only_essential_cookies(client: Client, answer):
    seen: set[str] = set()
    for url in PORTAL_PAGES:
        seen |= set(client.get(url).cookies)
    for step, data in MYSELF_ANSWERS:
        seen |= set(client.post(f"/portal/report/{step}/", data).cookies)
    seen |= set(client.post("/portal/report/check/").cookies)
    seen |= set(client.get("/portal/report/sent/").cookies)
    assert seen <= {"csrftoken", "portal_report"}, seen
    assert "sessionid" not in client.cookies


def test_a_staff_session_gives_nothing_on_portal_pages(client: Client):
    team = TeamFactory.create(code="ST")
    staff = UserFactory.create(
        username="inv.portal", first_name="Ingrid", last_name="Vasquez", role=Role.INVESTIGATOR, team=team
    )
    CaseFactory.create(team=team, officer=OfficerFactory.create(team=team, user=staff), crime_reference="BS/26/777777")
    client.force_login(staff)
    assert client.get("/cases/mine/").status_code == 200  # the staff session works on the staff side

    for url in PORTAL_PAGES:
        response = client.get(url)
        assert response.status_code == 200
        assert response.wsgi_request.user.is_anonymous, url
        page = response.content.decode()
        for staff_data in ("Ingrid", "Vasquez", "inv.portal", "BS/26/777777", "My cases", "Sign out"):
            assert staff_data not in page, (url, staff_data)
        assert "sessionid" not in response.cookies  # the staff session is neither renewed nor ended here

    # Visiting the portal did not end the staff session either.
    assert client.get("/cases/mine/").status_code == 200


def test_a_portal_only_deployment_answers_no_staff_route():
    """With BLUESTONE_SURFACES=portal the URL configuration has no staff route at all (a fresh process,
    since the URL configuration is read once at start-up)."""
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.urls import Resolver404, resolve
        for path in ("/triage/", "/cases/mine/", "/account/sign-in/", "/audit/access-log/", "/"):
            try:
                resolve(path)
            except Resolver404:
                continue
            raise SystemExit(f"staff route served: {path}")
        assert resolve("/portal/").view_name == "portal:start"
        assert resolve("/portal/report/who/").view_name == "portal:report-question"
        print("portal only")
        """
    )
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"BLUESTONE_SURFACES": "portal", "DJANGO_SETTINGS_MODULE": "bluestone.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "portal only" in result.stdout


def test_the_staff_deployment_serves_triage_and_the_portal_serves_no_triage_page(client: Client):
    # In the combined (demo) deployment, triage lives on the staff side, never under /portal/.
    assert client.get("/portal/triage/").status_code == 404
    assert client.get("/triage/").status_code == 302  # to the staff sign-in


def test_a_portal_page_has_its_own_session_apart_from_the_staff_one(client: Client, rf):
    from django.contrib.sessions.middleware import SessionMiddleware  # noqa: PLC0415
    from django.http import HttpRequest, HttpResponse  # noqa: PLC0415

    from bluestone.portal.pages import portal_page  # noqa: PLC0415

    def remembers(request):
        request.session["visits"] = request.session.get("visits", 0) + 1
        return HttpResponse(str(request.session["visits"]))

    view = portal_page(remembers)
    session_middleware = SessionMiddleware(view)

    def middleware(request: HttpRequest) -> HttpResponse:
        return cast("HttpResponse", session_middleware(request))

    request = rf.get("/portal/somewhere/")
    request.COOKIES["sessionid"] = "a-staff-session-key"
    first = middleware(request)
    assert first.content == b"1"
    portal_cookie = first.cookies["portal_session"]
    assert portal_cookie["path"] == "/portal/"
    assert portal_cookie["samesite"] == "Strict"
    assert portal_cookie["httponly"]
    # The staff session cookie is neither renewed nor deleted.
    assert "sessionid" not in first.cookies

    again = rf.get("/portal/somewhere/")
    again.COOKIES["portal_session"] = portal_cookie.value
    assert middleware(again).content == b"2"


def test_a_portal_404_does_not_end_the_staff_session(client: Client):
    staff = UserFactory.create(username="tri.404", role=Role.TRIAGE)
    client.force_login(staff)
    response = client.get("/portal/report/no-such-page/")
    assert response.status_code == 404
    assert "govuk-exit-this-page" in response.content.decode()  # the portal's own layout
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert client.get("/triage/").status_code == 200
