"""The public portal in a browser: reporting online for oneself and anonymously, quick exit with the
Escape key and with the button (and without JavaScript), and axe-core on every page on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _committed(django_db_serialized_rollback: None, transactional_db: None) -> None:
    """The live server reads and writes from its own thread: data is committed, and the reference
    data the migrations loaded is put back after each test (as tests/e2e/conftest.py explains)."""


NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><head><title>Weather</title></head><body><h1>Weather</h1></body></html>"


def _serve_neutral_site(context: BrowserContext) -> None:
    """The quick exit's destination, served locally: these tests use no network."""

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("https://www.bbc.co.uk/**", fulfil)


# The first request to a fresh live server finds every static file (WhiteNoise's finders) before it
# answers; on a loaded machine that alone can take longer than the usual timeout.
FIRST_LOAD_TIMEOUT_MS = 90_000


@pytest.fixture
def portal(live_server, context: BrowserContext, page: Page) -> Page:
    _serve_neutral_site(context)
    page.goto(f"{live_server.url}/portal/cookies/", timeout=FIRST_LOAD_TIMEOUT_MS)
    return page


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_report_for_myself_end_to_end(  # noqa: PLR0915 (one story, page by page)
    live_server, portal: Page, console_errors: list[str]
) -> None:
    page = portal
    page.goto(f"{live_server.url}/portal/")
    expect(page.locator("h1")).to_have_text("Report a sexual offence or follow your case")
    assert_accessible(page)
    for link in ("Cookies", "Staying safe online"):
        page.get_by_role("link", name=link).click()
        expect(page.locator("h1")).to_have_text(link)
        assert_accessible(page)
    page.get_by_role("link", name="Get support").first.click()
    expect(page.locator("h1")).to_have_text("Get support without reporting")
    assert_accessible(page)
    page.get_by_role("link", name="Start").first.click()

    page.get_by_role("button", name="Start now").click()
    expect(page).to_have_title(re.compile(r"^Who are you reporting for\?"))
    assert_accessible(page)

    # An answer left out: the error summary and the message beside the question, also checked by axe.
    _continue(page)
    expect(page).to_have_title(re.compile(r"^Error: Who are you reporting for\?"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who you are reporting for")
    expect(page.locator("#id_kind-error")).to_contain_text("Select who you are reporting for")
    assert_accessible(page)
    page.locator(".govuk-error-summary a").click()
    expect(page.locator("#id_kind")).to_be_focused()

    page.get_by_label("Myself").check()
    _continue(page)
    # GOV.UK Frontend adds the live count when its script starts; typing before then is never counted.
    expect(page.locator(".govuk-character-count__status")).to_be_attached()
    page.get_by_label("What happened?").fill("A man I met at a party would not stop when I told him to.")
    # The GOV.UK character count counts down as the reporter types (5,000 less the 57 characters typed).
    expect(page.locator(".govuk-character-count__status")).to_contain_text("4,943 characters remaining")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("In the last 7 days").check()
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Where did it happen? (optional)").fill("A flat in the town centre")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("First name").fill("Morgan")
    page.get_by_label("Last name").fill("Quillfeather")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Phone call").check()
    page.get_by_label("Phone number").fill("07700 900 321")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Weekday mornings (9am to 12pm)").check()
    page.get_by_label("Weekends").check()
    assert_accessible(page)
    _continue(page)
    page.get_by_label("No").check()
    assert_accessible(page)
    _continue(page)

    expect(page.locator("h1")).to_have_text("Check your answers before sending your report")
    expect(page.locator(".govuk-summary-list")).to_contain_text("07700 900 321")
    assert_accessible(page)
    # Change an answer and come back to the check page.
    page.get_by_role("link", name="Change where").click()
    page.get_by_label("Where did it happen? (optional)").fill("A flat near the station")
    _continue(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text("A flat near the station")
    page.get_by_role("button", name="Send report").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    reference = page.get_by_test_id("report-reference").inner_text()
    # In the last 7 days: the urgent callback clock, and why.
    expect(page.locator("main")).to_contain_text("within 1 hour,")
    expect(page.get_by_test_id("forensic-advice")).to_be_visible()
    assert_accessible(page)
    # No answer in the address or the title of any page the browser visited.
    assert "Morgan" not in page.url
    assert "Morgan" not in page.title()

    from bluestone.portal.models import OnlineReport  # noqa: PLC0415

    report = OnlineReport.objects.get(reference=reference)
    assert (report.first_name, report.phone, report.where_happened) == (
        "Morgan",
        "07700 900 321",
        "A flat near the station",
    )
    assert report.callback_due_at is not None
    assert console_errors == []


def test_report_anonymously(live_server, portal: Page, console_errors: list[str]) -> None:
    page = portal
    page.goto(f"{live_server.url}/portal/report/who/")
    page.get_by_label("I want to tell you without giving my name").check()
    _continue(page)
    page.get_by_label("What happened?").fill("I saw an adult touching a child at the swimming pool.")
    _continue(page)
    page.get_by_label("Not sure").check()
    _continue(page)
    _continue(page)  # where: optional, left blank
    # Straight to checking answers: no name or contact questions.
    expect(page.locator("h1")).to_have_text("Check your answers before sending your report")
    expect(page.locator("main")).to_contain_text("we will not contact you")
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("main")).to_contain_text("We will not contact you")
    assert_accessible(page)

    from bluestone.portal.models import OnlineReport  # noqa: PLC0415

    report = OnlineReport.objects.get()
    assert report.is_anonymous
    assert (report.first_name, report.phone, report.email, report.callback_due_at) == ("", "", "", None)
    assert console_errors == []


def test_not_ready_shows_support(live_server, portal: Page) -> None:
    page = portal
    page.goto(f"{live_server.url}/portal/report/who/")
    page.get_by_label("I'm not ready to report. Show me where to get support").check()
    _continue(page)
    expect(page.locator("h1")).to_have_text("Get support without reporting")


def _open_from_blank(page: Page, url: str) -> None:
    """Open `url` with a page that is not the portal's before it in the tab's history."""
    page.goto("about:blank")
    page.goto(url)
    expect(page.get_by_test_id("exit-this-page")).to_be_visible()
    # The module script has run once the body carries GOV.UK Frontend's class.
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)


def test_quick_exit_with_the_escape_key_leaves_no_way_back(
    live_server, portal: Page, console_errors: list[str]
) -> None:
    page = portal
    _open_from_blank(page, f"{live_server.url}/portal/support/")
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL_SITE)
    # The portal page was replaced in the history: Back goes to what came before it.
    page.go_back()
    assert "/portal/" not in page.url
    assert console_errors == []


def test_quick_exit_with_the_button_leaves_no_way_back(live_server, portal: Page) -> None:
    page = portal
    _open_from_blank(page, f"{live_server.url}/portal/report/who/")
    page.get_by_test_id("exit-this-page").click()
    expect(page).to_have_url(NEUTRAL_SITE)
    page.go_back()
    assert "/portal/" not in page.url


def test_quick_exit_with_shift_pressed_three_times(live_server, portal: Page) -> None:
    page = portal
    _open_from_blank(page, f"{live_server.url}/portal/")
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL_SITE)


@pytest.fixture
def no_script_page(live_server, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    _serve_neutral_site(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/cookies/", timeout=FIRST_LOAD_TIMEOUT_MS)
    yield page
    context.close()


def test_quick_exit_works_without_javascript(live_server, no_script_page: Page) -> None:
    page = no_script_page
    page.goto(f"{live_server.url}/portal/")
    page.get_by_test_id("exit-this-page").click()
    expect(page).to_have_url(NEUTRAL_SITE)
    # Without JavaScript the questions still work: one answer, one page at a time.
    page.goto(f"{live_server.url}/portal/report/who/")
    page.get_by_label("Myself").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/portal/report/what/")
