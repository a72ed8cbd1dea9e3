"""An administrator adds a user, moves them to a team and makes them a supervisor; that supervisor
then restricts a case of their team and lifts the restriction. Administrators cannot open cases
(need to know), so the restriction is the case team's supervisor's to set and lift: the rules of
`cases.restrict_case`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import InvestigatorWithCase

pytestmark = [pytest.mark.browser]

ADMIN_PASSWORD = "e2e-admin-password-not-secret"
NEW_PASSWORD = "e2e-new-supervisor-pass-phrase"
WHY_LIFTED = "The suspect is no longer a member of police staff in this force"


@pytest.fixture
def administrator(investigator_with_case: InvestigatorWithCase) -> str:
    from bluestone.accounts.models import Role, Team, User  # noqa: PLC0415

    Team.objects.create(code="E2E2", name="RASSO West")
    user = User.objects.create_user(
        username="it.okafor", password=ADMIN_PASSWORD, first_name="Ifeoma", last_name="Okafor", role=Role.ADMINISTRATOR
    )
    return user.username


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def test_an_administrator_adds_a_supervisor_who_restricts_and_lifts(
    live_server, page: Page, console_errors: list[str], investigator_with_case: InvestigatorWithCase, administrator: str
) -> None:
    seed = investigator_with_case
    sign_in(page, live_server.url, administrator, ADMIN_PASSWORD)
    page.get_by_role("link", name="Users and teams").click()
    expect(page.get_by_role("heading", name="Users and teams")).to_be_visible()
    assert_accessible(page)

    # Add the user in the West team as an investigator.
    page.get_by_role("link", name="Add a user").click()
    page.get_by_role("button", name="Add the user").click()  # empty: the errors show
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a username")
    assert_accessible(page)
    page.fill("#id_username", "ds.quinn")
    page.fill("#id_first_name", "Morgan")
    page.fill("#id_last_name", "Quinn")
    page.get_by_label("Investigator", exact=True).check()
    page.select_option("#id_team", label="RASSO West")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="Add the user").click()
    expect(page.get_by_role("heading", name="Morgan Quinn")).to_be_visible()
    assert_accessible(page)

    # Move them to the case's team, and make them a supervisor.
    page.select_option("#id_team-team", label="RASSO East")
    page.get_by_role("button", name="Move to this team").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Morgan Quinn is now in RASSO East")
    page.select_option("#id_role-role", label="Supervisor")
    page.get_by_role("button", name="Change the role").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Morgan Quinn is now supervisor")
    expect(page.get_by_test_id("user-summary")).to_contain_text("RASSO East")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))

    # The new supervisor restricts a case of their team, then lifts the restriction with a reason.
    sign_in(page, live_server.url, "ds.quinn", NEW_PASSWORD)
    page.goto(f"{live_server.url}/cases/{seed.case_id}/")
    page.get_by_role("link", name="Restrict this case").click()
    page.get_by_label("The suspect is a police officer or member of police staff").check()
    page.get_by_role("button", name="Restrict the case").click()
    expect(page.get_by_test_id("restricted-flag")).to_be_visible()
    page.get_by_role("link", name="Take someone off or lift the restriction").click()
    expect(page.get_by_test_id("named-people")).to_contain_text("Nadia Ahmed")
    assert_accessible(page)
    page.get_by_role("button", name="Lift the restriction").click()  # no reason: refused
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the restriction is lifted")
    page.fill("#id_lift-reason", WHY_LIFTED)
    page.get_by_role("button", name="Lift the restriction").click()
    expect(page).to_have_url(re.compile(rf"/cases/{seed.case_id}/$"))
    expect(page.get_by_test_id("restricted-flag")).to_have_count(0)
    history = page.get_by_test_id("restriction-history")
    expect(history).to_contain_text("Restriction lifted")
    expect(history).to_contain_text(WHY_LIFTED)
    assert_accessible(page)
    assert console_errors == []
