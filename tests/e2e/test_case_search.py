"""An investigator searches from the header box: by a misspelt name, a nickname and a postcode, then
opens the case; the page is accessible and works without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import InvestigatorWithCase

pytestmark = [pytest.mark.browser]


def _index_people() -> None:
    from bluestone.cases.models import PersonAddress, PersonRecord  # noqa: PLC0415
    from bluestone.cases.search_index import search_index_refresh  # noqa: PLC0415

    PersonAddress.objects.create(person=PersonRecord.objects.get(last_name="Marsh"), postcode="LS6 2AB")
    search_index_refresh()


def _sign_in(page: Page, base_url: str, seed: InvestigatorWithCase) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", seed.username)
    page.fill("#id_password", seed.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/my-work/"))


def test_an_investigator_finds_a_case_from_the_header(
    live_server, page: Page, console_errors: list[str], investigator_with_case: InvestigatorWithCase
) -> None:
    seed = investigator_with_case
    _index_people()
    _sign_in(page, live_server.url, seed)

    search = page.get_by_role("search", name="Search cases")
    search.get_by_role("searchbox").fill("Dail Marsh")
    search.get_by_role("button", name="Search").click()

    expect(page.locator("h1")).to_have_text("Search cases")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"1 case found"))
    expect(page.locator("main table")).to_contain_text(seed.crime_reference)
    expect(page.locator("main table")).to_contain_text("Dale Marsh (suspect)")
    assert_accessible(page)

    page.fill("#search-term", "ls62ab")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.locator("main table")).to_contain_text(seed.crime_reference)

    page.fill("#search-term", "Nobody Known")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"No cases found"))
    assert_accessible(page)

    page.fill("#search-term", "x" * 101)
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Search term must be 100 characters or fewer")
    assert_accessible(page)

    page.fill("#search-term", "Dale Marsh")
    page.locator("main").get_by_role("button", name="Search").click()
    page.get_by_role("link", name=seed.crime_reference).click()
    expect(page).to_have_url(re.compile(rf"/cases/{seed.case_id}/"))
    assert console_errors == []


def test_search_works_without_javascript(
    live_server, browser: Browser, investigator_with_case: InvestigatorWithCase
) -> None:
    seed = investigator_with_case
    _index_people()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        _sign_in(page, live_server.url, seed)
        page.get_by_role("search", name="Search cases").get_by_role("searchbox").fill("Rowan Teale")
        page.get_by_role("search", name="Search cases").get_by_role("button", name="Search").click()
        expect(page.locator("main table")).to_contain_text("Rowan Teale (victim)")
    finally:
        context.close()
