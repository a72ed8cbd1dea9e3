"""A supervisor draws a sample of finalised cases, reviews one case against the template and sees the
results by pillar and team, then adds an action: every page axe-clean, no JavaScript needed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-test-password-not-secret"


@pytest.fixture
def reviewer(django_db_serialized_rollback: None, transactional_db: None) -> str:
    from tests.filereviews.world import review_world  # noqa: PLC0415

    world = review_world()
    world.other_supervisor.set_password(PASSWORD)
    world.other_supervisor.save()
    return world.other_supervisor.username


def _date(page: Page, name: str, day: dt.date) -> None:
    page.fill(f"input[name={name}_day]", str(day.day))
    page.fill(f"input[name={name}_month]", str(day.month))
    page.fill(f"input[name={name}_year]", str(day.year))


def _sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def _add_action(page: Page) -> None:
    from bluestone.core import clock  # noqa: PLC0415 (Django is set up by then)

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Pillar").select_option("suspect_focus")
    page.get_by_label("What is to be done").fill("Arrest planning briefing for RASSO North")
    page.get_by_label("Owner").select_option(index=1)
    _date(page, "due_on", clock.today() + dt.timedelta(days=30))
    assert_accessible(page)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Arrest planning briefing for RASSO North")


def test_a_supervisor_draws_a_sample_reviews_a_case_and_sees_the_aggregate(
    live_server, page: Page, console_errors: list[str], reviewer: str
) -> None:
    _sign_in(page, live_server.url, reviewer)
    page.get_by_role("link", name="Case-file reviews", exact=True).click()
    expect(page.locator("h1")).to_have_text("Case-file reviews")
    assert_accessible(page)
    page.get_by_role("link", name="Draw a sample").click()
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the sample")
    assert_accessible(page)

    page.get_by_label("Name of the sample").fill("February dip sample")
    _date(page, "decided_from", dt.date(2026, 1, 1))
    _date(page, "decided_to", dt.date(2026, 3, 31))
    page.get_by_label("Number of cases").fill("8")
    page.get_by_label("Seed (optional)").fill("2026")
    page.get_by_role("button", name="Draw the sample").click()

    expect(page.locator("h1")).to_have_text("February dip sample")
    expect(page.get_by_test_id("seed")).to_have_text("2026")
    expect(page.get_by_test_id("progress")).to_have_text("0 of 8")
    expect(page.get_by_test_id("cases").locator("tbody tr")).to_have_count(8)
    expect(page.get_by_test_id("no-results")).to_be_visible()
    assert_accessible(page)

    # A case of the other team: pseudonymised, by its case key.
    row = page.get_by_test_id("cases").locator("tbody tr", has_text="RASSO North").first
    key = row.locator("a").inner_text()
    assert key.startswith("Case ")
    row.locator("a").click()
    expect(page.get_by_test_id("case-label")).to_have_text(f"Review {key}")
    expect(page.get_by_test_id("pseudonymised")).to_be_visible()
    assert_accessible(page)
    radios = page.locator("input[type=radio][value='2']")
    assert radios.count() >= 10
    for index in range(radios.count()):
        radios.nth(index).check()
    page.locator("input[type=radio][value='1']").first.check()
    page.get_by_label("Overall comment (optional)").fill("A suspect-focused file.")
    page.get_by_role("button", name="Save the review").click()

    expect(page.get_by_test_id("progress")).to_have_text("1 of 8")
    by_pillar = page.get_by_test_id("by-pillar")
    expect(by_pillar.locator("tbody tr")).to_have_count(6)
    # One question of the first pillar partly met: 5 of 6 points; the others all met.
    expect(by_pillar.locator("tr", has_text="Suspect-focused investigation")).to_contain_text("83%")
    expect(by_pillar.locator("tr", has_text="Victim engagement")).to_contain_text("100%")
    expect(page.get_by_test_id("by-team").locator("tbody tr")).to_have_text(["RASSO North 97% 15"])
    team_and_pillar = page.get_by_test_id("by-team-and-pillar").locator("tbody tr")
    expect(team_and_pillar).to_have_count(1)
    expect(team_and_pillar.locator("td").first).to_have_text("83%")
    assert_accessible(page)

    _add_action(page)
    assert not console_errors, console_errors
