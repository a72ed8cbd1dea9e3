"""The supervisor's Workforce page: caseload distribution, overdue check-ins and screenings, training
gaps and officers over threshold, as server-drawn charts with the tables beside them; the view is logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.core import clock
from bluestone.workforce.services import exposure_log, screening_record
from tests.factories import CaseFactory, OfficerFactory, UserFactory
from tests.workforce.factories import check_in, training

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_data(team, officer, supervisor, investigator, settings):
    settings.BLUESTONE_CASELOAD_THRESHOLD = 2
    busy = OfficerFactory.create(team=team, first_name="Bea", last_name="Busy")
    CaseFactory.create_batch(3, officer=busy, team=team)
    CaseFactory.create(officer=officer, team=team)
    today = clock.today()
    check_in(supervisor=supervisor, officer=officer, held_on=today - dt.timedelta(days=10))
    screening_record(actor=supervisor, officer=officer, held_on=today - dt.timedelta(days=10))
    for name in (
        "Specialist sexual offences investigation",
        "Achieving best evidence interviewing",
        "Trauma-informed practice",
    ):
        training(supervisor=supervisor, officer=officer, achieved_on=today - dt.timedelta(days=20), name=name)
    exposure_log(actor=investigator, on=today, kind="images", hours=Decimal("2.5"))
    OfficerFactory.create(team=UserFactory.create(role=Role.SUPERVISOR).team)  # another team's officer
    return busy


def test_the_page_counts_and_lists_what_needs_attention(signed_in, supervisor, officer, team_data):
    response = signed_in(supervisor).get("/workforce/")
    page = response.content.decode()
    assert response.status_code == 200
    for testid, count in (
        ("count-over-threshold", 1),
        ("count-check-ins", 1),
        ("count-screenings", 1),
        ("count-training", 1),
    ):
        assert f'data-testid="{testid}">{count}<' in page, testid
    assert page.count('data-testid="officer-row"') == 2
    assert "3 open, 3 weighted" in page
    assert "Over threshold" in page
    assert "Not needed" not in page  # both are high-exposure posts by default: the busy one has no screening


def test_the_charts_are_svg_drawn_on_the_server_with_tables(signed_in, supervisor, team_data):
    page = signed_in(supervisor).get("/workforce/").content.decode()
    for slug in ("caseload", "trend", "exposure"):
        assert (
            f'data-testid="chart-{slug}" ' in page or f'data-testid="chart-{slug}">' in page or f"chart-{slug}" in page
        )
        assert f'data-testid="table-{slug}"' in page
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_view_is_logged_with_the_officers_shown(signed_in, supervisor, officer, team_data):
    signed_in(supervisor).get("/workforce/")
    entry = AuditEvent.objects.filter(actor=supervisor, action=AuditAction.LIST).last()
    assert entry is not None
    assert entry.details["list"] == "workforce"
    assert sorted(entry.details["officer_ids"]) == sorted([officer.pk, team_data.pk])
