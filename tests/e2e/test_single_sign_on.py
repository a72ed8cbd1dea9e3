"""Single sign-on in a real browser, through a real OpenID provider (tests/accounts/oidc): an
investigator whose role comes from a claim, a supervisor whose role comes from a group, a person
Bluestone does not know, and signing out at the provider too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.oidc.provider import ACCOUNTS, TEAM_CODE, OidcProvider
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def force(django_db_serialized_rollback: None, transactional_db: None, oidc_settings: Any) -> Any:
    """Nadia and Sam as Bluestone users (committed: the live server reads from another thread), both
    still investigators with no team: their provider's claims place them."""
    from bluestone.accounts.models import Role, Team, User  # noqa: PLC0415

    team = Team.objects.create(code=TEAM_CODE, name="RASSO East")
    for login, username in (("nadia", "nadia.ahmed"), ("sam", "sam.okafor")):
        account = ACCOUNTS[login]
        User.objects.create_user(
            username=username,
            email=account.email,
            first_name=account.claims["given_name"],
            last_name=account.claims["family_name"],
            role=Role.INVESTIGATOR,
        )
    return team


def _sign_in_at_provider(page: Page, provider: OidcProvider, login: str) -> None:
    page.goto(f"{provider.live_server_url}/account/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with your force account").click()
    page.wait_for_url(re.compile(re.escape(f"{provider.issuer}/interaction/")))
    page.get_by_label("Login").fill(ACCOUNTS[login].login)
    page.get_by_label("Password").fill(ACCOUNTS[login].password)
    page.get_by_role("button", name="Sign in").click()


def _account_page(page: Page, provider: OidcProvider) -> None:
    page.goto(f"{provider.live_server_url}/account/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def test_an_investigator_signs_in_through_the_provider_and_out_again(
    page: Page, oidc_provider: OidcProvider, force: Any, console_errors: list[str]
):
    _sign_in_at_provider(page, oidc_provider, "nadia")

    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    _account_page(page, oidc_provider)
    expect(page.locator("#main-content").get_by_text("Investigator", exact=True)).to_be_visible()
    expect(page.locator("#main-content").get_by_text("RASSO East", exact=True)).to_be_visible()
    expect(page.get_by_test_id("signed-in-with")).to_contain_text("With your force account")

    page.get_by_role("button", name="Sign out", exact=True).click()
    # The provider asks whether to end its session too; yes brings the browser back to Bluestone.
    page.wait_for_url(re.compile(re.escape(f"{oidc_provider.issuer}/session/end")))
    page.get_by_role("button", name="Yes, sign me out").click()

    expect(page.get_by_role("heading", name="Sign in to Bluestone")).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.get_by_role("button", name="Sign in with your force account").click()
    # Signed out at the provider as well: it asks for the login again.
    expect(page.get_by_label("Login")).to_be_visible()
    assert console_errors == []


def test_a_supervisor_mapped_from_a_group_signs_in(
    page: Page, oidc_provider: OidcProvider, force: Any, console_errors: list[str]
):
    _sign_in_at_provider(page, oidc_provider, "sam")

    expect(page.get_by_role("heading", name="Team work")).to_be_visible()
    _account_page(page, oidc_provider)
    expect(page.locator("#main-content").get_by_text("Supervisor", exact=True)).to_be_visible()
    expect(page.locator("#main-content").get_by_text("RASSO East", exact=True)).to_be_visible()
    assert console_errors == []


def test_a_person_bluestone_does_not_know_sees_why_and_what_to_do(
    page: Page, oidc_provider: OidcProvider, force: Any, console_errors: list[str]
):
    _sign_in_at_provider(page, oidc_provider, "newstarter")

    expect(page.get_by_role("heading", name="You do not have a Bluestone account")).to_be_visible()
    expect(page.get_by_text("Ask your force's Bluestone administrator to add you")).to_be_visible()
    assert_accessible(page)
    # The refusal answers 403, which the browser reports as a failed load of the page itself.
    assert [error for error in console_errors if "status of 403" not in error] == []
