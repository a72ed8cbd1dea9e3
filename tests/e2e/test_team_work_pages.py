"""Team work in pages: the supervisor moves through a long list by the pagination links below it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-test-password-not-secret"


@pytest.fixture
def waiting(django_db_serialized_rollback: None, transactional_db: None, monkeypatch) -> list[str]:
    """Five cases of the supervisor's team waiting for an officer, oldest report first; pages of two."""
    import datetime as dt  # noqa: PLC0415

    from bluestone.accounts.models import Role, User  # noqa: PLC0415
    from bluestone.investigation.views import queues  # noqa: PLC0415
    from tests.factories import BASE_TIME, CaseFactory, TeamFactory  # noqa: PLC0415

    monkeypatch.setattr(queues, "TEAM_WORK_PAGE_SIZE", 2)
    team = TeamFactory.create(code="E2EP", name="RASSO Pages")
    User.objects.create_user(
        username="ds.page", password=PASSWORD, first_name="Dana", last_name="Page", role=Role.SUPERVISOR, team=team
    )
    cases = [
        CaseFactory.create(team=team, officer=None, reported_at=BASE_TIME - dt.timedelta(days=10 - n)) for n in range(5)
    ]
    return [case.crime_reference for case in cases]


def test_a_supervisor_pages_through_team_work(
    live_server, page: Page, console_errors: list[str], waiting: list[str]
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_username", "ds.page")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Team work")
    expect(page.get_by_test_id("work-items-range")).to_have_text(re.compile(r"Showing 1 to 2 of 5\b"))
    assert_accessible(page)

    page.get_by_role("navigation", name="Pages of team work").get_by_role("link", name="Next").click()
    expect(page.get_by_test_id("work-items-range")).to_have_text(re.compile(r"Showing 3 to 4 of 5\b"))
    rows = page.get_by_test_id("work-items").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(waiting[2])
    expect(rows.nth(1)).to_contain_text(waiting[3])
    expect(page.get_by_test_id("queue-counts").get_by_role("link", name="Cases to allocate")).to_contain_text("5")
    assert_accessible(page)

    page.get_by_role("link", name="Page 3").click()
    expect(page.get_by_test_id("work-items-range")).to_have_text(re.compile(r"Showing 5 to 5 of 5\b"))
    expect(page.get_by_test_id("work-items").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("work-items")).to_contain_text(waiting[4])
    assert console_errors == []
