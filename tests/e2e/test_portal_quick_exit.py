"""The quick exit in Chromium leaves nothing one Back press away (security review, finding 3).

Someone comes into the room: the victim presses Escape. Whoever then presses Back, twice, must find
no page of their case, no answer of a report in progress, and no signed-in session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, InvestigatorWithCase

pytestmark = [pytest.mark.browser]

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><head><title>Weather</title></head><body><h1>Weather</h1></body></html>"
FIRST_LOAD_TIMEOUT_MS = 90_000
UPDATE = "We arrested the man you told us about this morning."
MESSAGE_HEADING = "Send a message to your officer"
WHAT_HAPPENED = "He followed me home from the station and would not leave the doorway."

# Every value in the page's form fields, and its text: what someone pressing Back would see.
SHOWN = (
    "() => document.body.innerText + '\\n' + "
    "Array.from(document.querySelectorAll('input, textarea')).map(e => e.value).join('\\n')"
)


@pytest.fixture(autouse=True)
def _committed(django_db_serialized_rollback: None, transactional_db: None) -> None:
    """The live server reads and writes from its own thread: data is committed (tests/e2e/conftest.py)."""


@pytest.fixture
def victim(browser: Browser) -> Iterator[Page]:
    """The victim's own browser; the neutral site is served locally (no network here)."""
    context: BrowserContext = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("https://www.bbc.co.uk/**", fulfil)
    page = context.new_page()
    yield page
    context.close()


def _escape(page: Page) -> None:
    # The portal's script listens for Escape once GOV.UK Frontend has run (the body carries this class).
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL_SITE)


def _back(page: Page) -> str:
    page.go_back()
    page.wait_for_load_state()
    return str(page.evaluate(SHOWN))


def test_escape_then_back_twice_shows_nothing_of_the_case(
    live_server, victim: Page, investigator_with_case: InvestigatorWithCase
) -> None:
    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.victims.models import PortalSession  # noqa: PLC0415
    from bluestone.victims.services import portal_access_issue, victim_profiles_ensure, victim_update_post  # noqa: PLC0415

    seed = investigator_with_case
    officer = User.objects.get(username=seed.username)
    profile = victim_profiles_ensure(case_id=uuid.UUID(seed.case_id), actor=officer)[0]
    _access, code = portal_access_issue(actor=officer, profile=profile)
    victim_update_post(actor=officer, profile=profile, text=UPDATE)

    base = live_server.url
    victim.goto("about:blank")
    victim.goto(f"{base}/portal/follow/", timeout=FIRST_LOAD_TIMEOUT_MS)
    victim.get_by_label("Crime reference").fill(seed.crime_reference)
    victim.get_by_label("Access code").fill(code)
    victim.get_by_role("button", name="Sign in").click()
    victim.get_by_label("Choose a secret word").fill("lantern-river-9")
    victim.get_by_label("Type your secret word again").fill("lantern-river-9")
    victim.get_by_role("button", name="Save and continue").click()
    expect(victim.locator("h1")).to_have_text("Updates about your case")
    expect(victim.get_by_test_id("update").first).to_contain_text(UPDATE)
    victim.get_by_role("link", name="Messages", exact=True).click()
    expect(victim.locator("h1")).to_contain_text(MESSAGE_HEADING)

    _escape(victim)
    once = _back(victim)
    twice = _back(victim)

    for shown in (once, twice):
        assert UPDATE not in shown
        assert "Updates about your case" not in shown
        assert seed.crime_reference not in shown
    assert "/portal/follow/updates/" not in victim.url
    assert not PortalSession.objects.filter(ended_at__isnull=True).exists()
    # Opening the case's pages again asks for the crime reference and a code.
    victim.goto(f"{base}/portal/follow/updates/")
    expect(victim.locator("h1")).to_have_text("Follow your case")


def test_escape_then_back_twice_shows_no_answer_of_a_report_in_progress(live_server, victim: Page) -> None:
    from bluestone.portal.models import ReportDraft  # noqa: PLC0415

    base = live_server.url
    victim.goto("about:blank")
    victim.goto(f"{base}/portal/report/who/", timeout=FIRST_LOAD_TIMEOUT_MS)
    victim.get_by_label("Myself").check()
    victim.get_by_role("button", name="Continue").click()
    victim.get_by_label("What happened?").fill(WHAT_HAPPENED)
    victim.get_by_role("button", name="Continue").click()
    expect(victim.get_by_label("In the last 7 days")).to_be_visible()

    _escape(victim)
    once = _back(victim)
    twice = _back(victim)

    assert WHAT_HAPPENED not in once
    assert WHAT_HAPPENED not in twice
    assert not ReportDraft.objects.exists()
    victim.goto(f"{base}/portal/report/what/")
    assert WHAT_HAPPENED not in str(victim.evaluate(SHOWN))
    expect(victim).to_have_url(f"{base}/portal/report/who/")


def test_the_exit_button_does_the_same_without_javascript(live_server, browser: Browser) -> None:
    from bluestone.portal.models import ReportDraft  # noqa: PLC0415

    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body=NEUTRAL_PAGE))
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/portal/report/who/", timeout=FIRST_LOAD_TIMEOUT_MS)
    page.get_by_label("Myself").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What happened?").fill(WHAT_HAPPENED)
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(f"{base}/portal/report/what/")  # the answer is saved: the next question is shown
    assert ReportDraft.objects.count() == 1
    page.get_by_test_id("exit-this-page").click()
    expect(page).to_have_url(NEUTRAL_SITE)
    assert not ReportDraft.objects.exists()
    page.goto(f"{base}/portal/report/what/")
    assert WHAT_HAPPENED not in page.content()
    context.close()
