"""A check-in's words are private to the officer, the supervisor who held it and occupational health.

Everyone else who may see the officer (another supervisor of the team) sees only that it happened and
when; a supervisor of another team, an analyst or an auditor does not see the officer at all. Every page
the workforce app serves, Team work and the access log are fetched as each of them: the words never appear.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditEvent
from bluestone.core import clock
from bluestone.workforce.models import CheckIn
from tests.factories import UserFactory
from tests.workforce.factories import PRIVATE_WORDS, check_in

pytestmark = pytest.mark.django_db

SUPPORT_WORDS = "Offered a session with the force's trauma support service"


@pytest.fixture
def entry(supervisor, officer) -> CheckIn:
    return check_in(supervisor=supervisor, officer=officer, held_on=clock.today() - dt.timedelta(days=3), referred=True)


def _pages(entry: CheckIn) -> list[str]:
    officer = entry.officer
    return [
        reverse("workforce:team"),
        reverse("workforce:mine"),
        reverse("workforce:officer", kwargs={"pk": officer.pk}),
        reverse("workforce:check-in", kwargs={"pk": entry.pk}),
        reverse("workforce:occupational-health"),
        reverse("workforce:courses"),
        reverse("investigation:team-work"),
        reverse("audit:access-log"),
        reverse("audit:access-log") + f"?username={entry.held_by.username}",
    ]


def _seen_by(user, entry: CheckIn) -> dict[str, tuple[int, str]]:
    client = Client()
    client.force_login(user)
    seen = {}
    for url in _pages(entry):
        response = client.get(url)
        seen[url] = (response.status_code, response.content.decode())
    return seen


@pytest.mark.parametrize("who", ["same-team supervisor", "other-team supervisor", "analyst", "auditor"])
def test_the_words_never_reach_anyone_else(who, entry, team, other_team):
    user = {
        "same-team supervisor": lambda: UserFactory.create(role=Role.SUPERVISOR, team=team),
        "other-team supervisor": lambda: UserFactory.create(role=Role.SUPERVISOR, team=other_team),
        "analyst": lambda: UserFactory.create(role=Role.ANALYST, team=None),
        "auditor": lambda: UserFactory.create(role=Role.AUDITOR, team=None),
    }[who]()
    seen = _seen_by(user, entry)
    for url, (_status, text) in seen.items():
        assert PRIVATE_WORDS not in text, f"{who} read the check-in at {url}"
        assert SUPPORT_WORDS not in text, f"{who} read the support offered at {url}"
    check_in_url = reverse("workforce:check-in", kwargs={"pk": entry.pk})
    if who == "same-team supervisor":
        status, text = seen[check_in_url]
        assert status == 200
        assert "private to the officer, the supervisor who held the check-in and occupational health" in text
        officer_page = seen[reverse("workforce:officer", kwargs={"pk": entry.officer_id})][1]
        assert entry.held_on.strftime("%-d %B %Y") in officer_page  # that it happened, and when
    else:
        assert seen[check_in_url][0] == 404
    if who == "auditor":
        # The auditor sees that the check-in was recorded, in the access log, without its words.
        log = seen[reverse("audit:access-log") + f"?username={entry.held_by.username}"][1]
        assert "Wellbeing check-in" in log


@pytest.mark.parametrize("who", ["officer", "holder", "occupational health"])
def test_the_officer_the_holder_and_occupational_health_read_it(who, entry, investigator, supervisor):
    user = {
        "officer": lambda: investigator,
        "holder": lambda: supervisor,
        "occupational health": lambda: UserFactory.create(role=Role.OCCUPATIONAL_HEALTH, team=None),
    }[who]()
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workforce:check-in", kwargs={"pk": entry.pk}))
    assert response.status_code == 200
    assert PRIVATE_WORDS in response.content.decode()
    logged = AuditEvent.objects.filter(object_type="workforce.CheckIn", object_id=str(entry.pk), actor=user).last()
    assert logged is not None
    assert logged.details == {"officer_id": entry.officer_id, "content_shown": True}


def test_no_audit_entry_holds_the_words(entry, investigator):
    client = Client()
    client.force_login(investigator)
    client.get(reverse("workforce:check-in", kwargs={"pk": entry.pk}))
    for details in AuditEvent.objects.values_list("details", flat=True):
        assert PRIVATE_WORDS not in str(details)


def test_occupational_health_lists_the_referral(entry):
    client = Client()
    client.force_login(UserFactory.create(role=Role.OCCUPATIONAL_HEALTH, team=None))
    page = client.get(reverse("workforce:occupational-health")).content.decode()
    assert str(entry.officer) in page
    assert client.get("/").headers["Location"] == reverse("workforce:occupational-health")


def test_a_supervisor_records_a_check_in_through_the_form(signed_in, supervisor, officer):
    client = signed_in(supervisor)
    held = clock.today() - dt.timedelta(days=1)
    response = client.post(
        reverse("workforce:check-in-new", kwargs={"pk": officer.pk}),
        {
            "held_on_day": held.day,
            "held_on_month": held.month,
            "held_on_year": held.year,
            "notes": "Talked about the court date",
            "support_offered": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    saved = CheckIn.objects.get(officer=officer)
    assert (saved.held_by, saved.held_on, saved.next_due_on) == (supervisor, held, held + dt.timedelta(days=90))
