"""The Measures page and its download: who may see them, what they show, what they hide, what is logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.loading import extract_load
from bluestone.core import clock
from bluestone.insights.dashboard import default_period
from bluestone.insights.selectors import measure_rows
from bluestone.measures import Period
from tests.factories import TeamFactory, UserFactory
from tests.insights.seed import seed_duties_and_feedback

PERIOD = "start=2025-01-01&end=2025-12-31"


@pytest.fixture
def loaded(db: None, force_dir: Path) -> None:
    extract_load(directory=force_dir)
    seed_duties_and_feedback()


@pytest.fixture
def analyst(db: None) -> User:
    return UserFactory.create(role=Role.ANALYST, team=None)


def page(client: Client, user: User, query: str = PERIOD) -> str:
    client.force_login(user)
    response = client.get(f"/measures/?{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ANALYST])
def test_supervisors_and_analysts_see_every_chart_with_its_table(client: Client, loaded: None, role: str) -> None:
    html = page(client, UserFactory.create(role=role, team=TeamFactory.create()))
    for slug in (
        "recorded-by-month",
        "recorded-by-offence-group",
        "funnel",
        "outcomes",
        "timeliness",
        "code-compliance",
        "feedback",
    ):
        assert f'data-testid="chart-{slug}"' in html
        assert 'src="data:image/svg+xml;base64,' in html
        assert f'data-testid="table-{slug}"' in html
    assert "1 January 2025 to 31 December 2025" in html
    assert "Compared with 1 January 2024 to 31 December 2024" in html
    assert "Nothing to draw" not in html
    assert '<strong class="govuk-service-navigation__active-fallback">Measures</strong>' in html


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.TRIAGE, Role.AUDITOR, Role.ADMINISTRATOR, Role.SARC_LIAISON])
def test_other_roles_are_refused(client: Client, db: None, role: str) -> None:
    client.force_login(UserFactory.create(role=role, team=TeamFactory.create()))
    assert client.get("/measures/").status_code == 403
    assert client.post("/measures/download/", {"recipient": "me"}).status_code == 403


def test_the_headlines_show_the_commands_figures_with_small_numbers_hidden(
    client: Client, loaded: None, analyst: User
) -> None:
    html = page(client, analyst)
    rows = {
        (r.measure, r.breakdown): r
        for r in measure_rows(period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), as_of=clock.today())
    }
    recorded = rows["recorded", ""].numerator
    assert recorded
    assert f"{recorded:,}" in html
    charged = rows["charge_rate_period", ""]
    assert charged.numerator
    assert charged.numerator < 5
    assert "fewer than 5" in html


def test_a_bad_date_gets_a_specific_error_and_no_figures(client: Client, db: None, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get("/measures/?start=2025-02-30&end=2025-01-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the first day as a date written year-month-day" in html
    assert 'data-testid="headlines"' not in html
    reversed_period = client.get("/measures/?start=2025-06-01&end=2025-01-01")
    assert "The last day must be the same as or after the first day" in reversed_period.content.decode()


def test_with_no_dates_the_page_shows_the_last_twelve_whole_months(client: Client, db: None, analyst: User) -> None:
    assert default_period(dt.date(2026, 3, 15)) == Period(dt.date(2025, 3, 1), dt.date(2026, 2, 28))
    assert default_period(dt.date(2026, 1, 1)) == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    html = page(client, analyst, query="")
    assert 'data-testid="headlines"' in html


def test_the_download_is_suppressed_and_logged_as_a_disclosure(client: Client, loaded: None, analyst: User) -> None:
    client.force_login(analyst)
    response = client.post(
        "/measures/download/", {"start": "2025-01-01", "end": "2025-12-31", "recipient": "Performance board"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    charged = next(r for r in rows if r["measure"] == "charge_rate_period")
    assert charged["numerator"] == "<5"
    assert charged["value"] == ""
    for row in rows:
        for column in ("numerator", "denominator"):
            assert row[column] in {"", "<5"} or row[column] == "0" or float(row[column]) >= 5, row
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE)
    assert event.actor == analyst
    assert event.recipient == "Performance board"
    assert event.details["filters"] == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "team": "",
        "offence_group": "",
        "relationship": "",
        "victim_age_band": "",
    }
    assert event.details["chart"] == ""


def test_a_download_without_a_recipient_is_refused_and_not_logged(client: Client, loaded: None, analyst: User) -> None:
    client.force_login(analyst)
    response = client.post("/measures/download/", {"start": "2025-01-01", "end": "2025-12-31", "recipient": " "})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Enter who the download is for and why" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).exists()


def test_a_team_filter_measures_that_team_only(client: Client, loaded: None, analyst: User) -> None:
    empty = TeamFactory.create(code="EMPTY", name="Empty team")
    html = page(client, analyst, f"{PERIOD}&team={empty.code}&offence_group=rape")
    assert "Empty team, rape." in html
    assert 'data-testid="chart-funnel-empty"' in html  # nothing recorded: no chart, the table still
    assert 'data-testid="table-funnel"' in html
