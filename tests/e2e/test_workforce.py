"""A supervisor allocates a case to an officer over the caseload threshold (warned first, then allocates
anyway), then records a wellbeing check-in for that officer. Every page on the way is accessible."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from bluestone.core import clock
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-test-password-not-secret"


@dataclass(frozen=True)
class Team:
    case_id: str
    busy_officer: str
    busy_officer_id: int


@pytest.fixture
def team(django_db_serialized_rollback: None, transactional_db: None, settings) -> Team:
    from bluestone.accounts.models import Officer, Role, User  # noqa: PLC0415
    from bluestone.cases.models import CaseStatus  # noqa: PLC0415
    from tests.factories import CaseFactory, TeamFactory  # noqa: PLC0415

    settings.BLUESTONE_CASELOAD_THRESHOLD = 3
    team = TeamFactory.create(code="E2EW", name="RASSO West")
    User.objects.create_user(
        username="ds.price", password=PASSWORD, first_name="Dana", last_name="Price", role=Role.SUPERVISOR, team=team
    )
    busy_user = User.objects.create_user(
        username="dc.hale", password=PASSWORD, first_name="Morgan", last_name="Hale", role=Role.INVESTIGATOR, team=team
    )
    busy = Officer.objects.create(
        collar_number="5150", first_name="Morgan", last_name="Hale", team=team, user=busy_user
    )
    quiet_user = User.objects.create_user(
        username="dc.ives", password=PASSWORD, first_name="Sam", last_name="Ives", role=Role.INVESTIGATOR, team=team
    )
    Officer.objects.create(collar_number="5151", first_name="Sam", last_name="Ives", team=team, user=quiet_user)
    CaseFactory.create_batch(4, team=team, officer=busy, non_recent=True)
    waiting = CaseFactory.create(team=team, officer=None, status=CaseStatus.REPORTED)
    return Team(case_id=str(waiting.pk), busy_officer=str(busy), busy_officer_id=busy.pk)


def test_a_supervisor_is_warned_allocates_anyway_and_records_a_check_in(
    live_server, page: Page, console_errors: list[str], team: Team
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", "ds.price")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page

    page.goto(f"{live_server.url}/cases/{team.case_id}/")
    page.get_by_role("link", name="Allocate an officer").click()
    loads = page.get_by_test_id("officer-load")
    expect(loads.first).to_contain_text("Over threshold")
    expect(loads.first).to_contain_text("4 open cases, weighted load 5 (threshold 3)")
    expect(loads.nth(1)).to_contain_text("0 open cases")
    assert_accessible(page)

    page.get_by_label(team.busy_officer).check()
    page.get_by_role("button", name="Allocate the case").click()
    warning = page.get_by_test_id("over-threshold-warning")
    expect(warning).to_contain_text(f"{team.busy_officer} is over the caseload threshold")
    assert_accessible(page)
    page.get_by_role("button", name="Allocate anyway").click()
    expect(page.locator(".govuk-notification-banner, .moj-banner, [role=alert], [role=status]").first).to_contain_text(
        f"{team.busy_officer} is now the officer in the case"
    )

    page.get_by_role("link", name="Workforce", exact=True).click()
    expect(page.locator("h1")).to_have_text("Workforce")
    expect(page.get_by_test_id("count-over-threshold")).to_have_text("1")
    chart = page.get_by_test_id("chart-caseload")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 100 && img.naturalHeight > 50")
    assert_accessible(page)

    page.get_by_role("link", name=team.busy_officer).click()
    page.get_by_role("link", name="Record a check-in").click()
    today = clock.today()
    page.fill("#id_held_on_0", str(today.day))
    page.fill("#id_held_on_1", str(today.month))
    page.fill("#id_held_on_2", str(today.year))
    page.get_by_label("What was discussed").fill("Feels the new case is manageable with Friday admin time.")
    page.get_by_label("Referred to occupational health").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the check-in").click()

    expect(page.get_by_text("The check-in is recorded")).to_be_visible()
    check_ins = page.get_by_test_id("check-ins")
    expect(check_ins.locator("tbody tr")).to_have_count(1)
    check_ins.get_by_role("link", name="Read").click()
    expect(page.get_by_test_id("check-in-notes")).to_have_text(
        "Feels the new case is manageable with Friday admin time."
    )
    assert_accessible(page)
    assert console_errors == []
