"""The quick exit leaves nothing one Back press away (security review, finding 3).

The attack: after Escape or "Exit this page", Back showed the follow-my-case pages still signed in,
and the report journey's "What happened?" answer, which also came back when /portal/report/what/
was opened again. Now the exit ends the portal session and throws the draft away on the server,
and no portal page may be kept by the browser. tests/e2e/test_portal_quick_exit.py does the same
with Back in Chromium.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.portal.models import ReportDraft
from bluestone.victims.models import PortalSession
from tests.portal_follow.conftest import sign_in_and_set_check
from tests.test_access_matrix import project_routes

pytestmark = pytest.mark.django_db

NEUTRAL = "https://www.bbc.co.uk/weather"
WHAT_HAPPENED = "He followed me home from the station and would not leave."


def test_the_exit_ends_the_follow_session_on_the_server(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    assert client.get("/portal/follow/messages/").status_code == 200

    left = client.get("/portal/exit/")

    assert left.status_code == 302
    assert left["Location"] == NEUTRAL
    assert left.cookies["portal_follow"].value == ""
    assert not PortalSession.objects.filter(ended_at__isnull=True).exists()
    # Nothing of the case opens again in that browser.
    for url in ("/portal/follow/updates/", "/portal/follow/messages/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/portal/follow/"
    exit_entry = AuditEvent.objects.get(action=AuditAction.SIGN_OUT, case_id=follower.vc.case.pk)
    assert exit_entry.details == {"surface": "portal", "quick_exit": True}


def test_the_exit_throws_the_report_in_progress_away(db):
    client = Client()
    client.post("/portal/report/who/", {"kind": "myself"})
    client.post("/portal/report/what/", {"what_happened": WHAT_HAPPENED})
    draft = ReportDraft.objects.get()
    assert draft.answers["what"]["what_happened"] == WHAT_HAPPENED
    token = client.cookies["portal_report"].value

    left = client.post("/portal/exit/")

    assert left.status_code == 302
    assert left["Location"] == NEUTRAL
    assert not ReportDraft.objects.exists()
    # Opening the question again (with the old cookie put back, as a browser might) shows it empty.
    client.cookies["portal_report"] = token
    page = client.get("/portal/report/what/", follow=True)
    assert WHAT_HAPPENED not in page.content.decode()
    assert page.redirect_chain[-1][0] == "/portal/report/who/"


def test_a_script_can_leave_without_a_form_token(follower):
    """The exit works from a link or a script (no CSRF token), and can do nothing but sign out."""
    client = Client(enforce_csrf_checks=True)
    sign_in_and_set_check(Client(), follower)  # another browser: this one has no session to end
    response = client.post("/portal/exit/")
    assert response.status_code == 302
    assert PortalSession.objects.filter(ended_at__isnull=True).count() == 1


def test_every_portal_page_tells_the_browser_to_keep_nothing(follower):
    client = Client()
    sign_in_and_set_check(client, follower)
    client.post("/portal/report/who/", {"kind": "myself"})
    portal_pages = sorted(
        route
        for name, route in project_routes().items()
        if name.startswith("portal:") and "<" not in route and name != "portal:exit"
    )
    assert len(portal_pages) > 10
    seen = []
    for route in [*portal_pages, "portal/report/what/"]:
        response = client.get(f"/{route}")
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control, route
        assert "private" in cache_control, route
        seen.append(route)
    assert "portal/follow/updates/" in seen
    assert "no-store" in client.get(reverse("portal:exit"))["Cache-Control"]
