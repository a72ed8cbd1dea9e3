"""The victim's whole story in a browser, as four people live it.

A person reports online for themselves, telling us how to contact them safely (and first leaves the
portal with the Escape key). Triage calls back and turns the report into a case with the suspect the
caller named. The team's supervisor finds it waiting
on Team work and allocates it. The officer in the case finds the victim's safe
contact already on their profile, sends a one-time code to the victim's safe number through the
outbox, and records the arrest: the duty to tell the victim falls due the next working day. The
victim signs in to "Follow my case" with the crime reference, the code that reached their phone and a
secret word of their own, sees the update the arrest posted, sends a message and gives feedback, then
leaves with the "Exit this page" button. The message is on the officer's My work and the case.
axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-story-password-not-secret"
FIRST_LOAD_TIMEOUT_MS = 90_000
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><head><title>Weather</title></head><body><h1>Weather</h1></body></html>"
SAFE_PHONE = "07700 900 654"


@dataclass(frozen=True)
class Force:
    triage: str
    supervisor: str
    investigator: str
    officer: str
    outbox: Path


@pytest.fixture
def force(django_db_serialized_rollback: None, transactional_db: None, settings, tmp_path: Path) -> Force:
    """One RASSO team (an investigator who is an officer, and their supervisor) and a triage user,
    committed for the live server's thread; the outbox writes to a folder of this test's own."""
    from bluestone.accounts.models import Officer, Role, Team, User  # noqa: PLC0415
    from bluestone.victims.models import Right  # noqa: PLC0415
    from bluestone.victims.reference import rights_upsert  # noqa: PLC0415

    rights_upsert(right=Right)  # reference data, in case a flush before this test emptied it
    settings.BLUESTONE_OUTBOX_DIR = str(tmp_path / "outbox")
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.FileSender"
    team = Team.objects.create(code="E2ES", name="RASSO Central")
    User.objects.create_user(
        username="triage.story", password=PASSWORD, first_name="Tess", last_name="Riley", role=Role.TRIAGE
    )
    User.objects.create_user(
        username="ds.story", password=PASSWORD, first_name="Ciara", last_name="Byrne", role=Role.SUPERVISOR, team=team
    )
    investigator = User.objects.create_user(
        username="dc.story", password=PASSWORD, first_name="Ife", last_name="Okafor", role=Role.INVESTIGATOR, team=team
    )
    officer = Officer.objects.create(
        collar_number="7171", first_name="Ife", last_name="Okafor", team=team, user=investigator
    )
    return Force(
        triage="triage.story",
        supervisor="ds.story",
        investigator="dc.story",
        officer=str(officer),
        outbox=tmp_path / "outbox",
    )


def _victims_browser(browser: Browser, console_errors: list[str]) -> tuple[BrowserContext, Page]:
    """The victim's own browser; the quick exit's neutral site is served locally (no network here)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def neutral(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("https://www.bbc.co.uk/**", neutral)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(f"victim: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(f"victim page error: {error}"))
    return context, page


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def _staff_sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/sign-in/", timeout=FIRST_LOAD_TIMEOUT_MS)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def _staff_sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))


def _success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def _victim_leaves_with_escape_then_reports(victim: Page, base: str) -> str:
    """Someone comes into the room: Escape leaves the portal at once, and Back does not return to it.
    Later the victim reports, answering the safe-contact questions. Returns the report's reference."""
    victim.goto("about:blank")
    victim.goto(f"{base}/portal/", timeout=FIRST_LOAD_TIMEOUT_MS)
    expect(victim.locator("h1")).to_have_text("Report a sexual offence or follow your case")
    # GOV.UK Frontend's scripts (and the Escape key's listener) have run once the body has this class.
    expect(victim.locator("body.govuk-frontend-supported")).to_have_count(1)
    assert_accessible(victim)
    victim.keyboard.press("Escape")
    expect(victim).to_have_url(NEUTRAL_SITE)
    victim.go_back()
    assert "/portal/" not in victim.url

    victim.goto(f"{base}/portal/report/who/")
    victim.get_by_label("Myself").check()
    _continue(victim)
    victim.get_by_label("What happened?").fill("A man I know from work came to my flat and raped me.")
    _continue(victim)
    victim.get_by_label("In the last 7 days").check()
    _continue(victim)
    victim.get_by_label("Where did it happen? (optional)").fill("My flat")
    _continue(victim)
    victim.get_by_label("First name").fill("Morgan")
    victim.get_by_label("Last name").fill("Quillfeather")
    _continue(victim)
    victim.get_by_label("Text message").check()
    victim.get_by_label("Phone number").fill(SAFE_PHONE)
    assert_accessible(victim)
    _continue(victim)
    victim.get_by_label("Weekday evenings (5pm to 9pm)").check()
    _continue(victim)
    victim.get_by_label("No").check()
    _continue(victim)
    expect(victim.locator("h1")).to_have_text("Check your answers before sending your report")
    assert_accessible(victim)
    victim.get_by_role("button", name="Send report").click()
    expect(victim.locator(".govuk-panel__title")).to_have_text("Report sent")
    assert_accessible(victim)
    return victim.get_by_test_id("report-reference").inner_text().strip()


def _triage_makes_the_case(page: Page, base: str, force: Force, report_reference: str) -> str:
    """Triage calls back and creates the case, naming the suspect; returns the crime reference."""
    _staff_sign_in(page, base, force.triage)
    expect(page).to_have_url(f"{base}/triage/")
    page.get_by_role("link", name=report_reference).click()
    expect(page.locator("main")).to_contain_text(SAFE_PHONE)
    page.get_by_label("Spoke to the reporter").check()
    page.get_by_role("button", name="Record callback").click()
    page.get_by_role("link", name="Create a case").click()
    expect(page.get_by_label("Victim's first name")).to_have_value("Morgan")
    page.get_by_label("Team").select_option(label="RASSO Central")
    page.get_by_label("Offence", exact=True).select_option(value="19C")
    from bluestone.core import clock  # noqa: PLC0415

    fill_date(page, "Date of the offence", clock.today())
    page.get_by_label("Victim's gender").select_option(value="female")
    # A relationship with no name is refused, and nothing is written.
    page.get_by_label("The suspect's relationship to the victim (optional)").select_option(
        label="Acquaintance or friend"
    )
    page.get_by_role("button", name="Create the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the suspect's name")
    assert_accessible(page)
    page.get_by_label("Suspect's first name (optional)").fill("Lee")
    page.get_by_label("Suspect's last name (optional)").fill("Oddsworth")
    page.get_by_role("button", name="Create the case").click()
    closed = page.get_by_test_id("report-closed")
    expect(closed).to_contain_text("Case created")
    reference = closed.get_by_role("link").inner_text().strip()
    assert re.fullmatch(r"BS/\d{2}/\d{7}", reference), reference
    _staff_sign_out(page)
    return reference


def _supervisor_allocates(page: Page, base: str, force: Force, crime_reference: str) -> str:
    """The supervisor finds the new case waiting on Team work and allocates it; returns its address."""
    _staff_sign_in(page, base, force.supervisor)
    expect(page.locator("h1")).to_have_text("Team work")
    # Everything due across the team is in pages, undated items last: the case is under its count.
    page.get_by_test_id("queue-counts").get_by_role("link", name="Cases to allocate").click()
    expect(page.get_by_role("heading", name="Cases to allocate", level=2)).to_be_visible()
    row = page.locator("tr", has_text=crime_reference)
    expect(row).to_contain_text("Choose the officer in the case")
    assert_accessible(page)
    row.get_by_role("link", name="Case to allocate").click()
    expect(page.locator("h1")).to_contain_text("Allocate an officer")
    case_url = page.get_by_role("link", name="Back to the case").get_attribute("href") or ""
    page.get_by_role("button", name="Allocate the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the officer in the case")
    assert_accessible(page)
    page.get_by_label(force.officer).check()
    page.get_by_role("button", name="Allocate the case").click()
    _success(page, "is now the officer in the case")
    _staff_sign_out(page)
    return case_url


def _code_from_the_outbox(force: Force) -> str:
    """The text message the victim's phone received (the file sender's copy of it)."""
    messages = sorted(force.outbox.glob("*.txt"))
    assert len(messages) == 1, messages
    text = messages[0].read_text(encoding="utf-8")
    assert f"To: {SAFE_PHONE}" in text
    match = re.search(r"Your code to sign in is ([A-Z0-9]{4}-[A-Z0-9]{4})\.", text)
    assert match, text
    return match.group(1)


def test_report_online_to_feedback(  # noqa: PLR0915 (one story, page by page)
    live_server, page: Page, browser: Browser, console_errors: list[str], force: Force
) -> None:
    from django.utils import timezone  # noqa: PLC0415

    from bluestone.cases.models import Case, CaseEvent, EventKind  # noqa: PLC0415
    from bluestone.core import clock  # noqa: PLC0415
    from bluestone.core.workdays import add_working_days  # noqa: PLC0415
    from bluestone.victims.models import Feedback, Obligation, ObligationStatus, PortalMessage  # noqa: PLC0415

    base = live_server.url
    page.set_default_timeout(60_000)  # a long story on a shared machine
    victim_context, victim = _victims_browser(browser, console_errors)

    report_reference = _victim_leaves_with_escape_then_reports(victim, base)
    crime_reference = _triage_makes_the_case(page, base, force, report_reference)
    case = Case.objects.get(crime_reference=crime_reference)
    case_url = _supervisor_allocates(page, base, force, crime_reference)
    assert case_url == f"/cases/{case.pk}/"

    # The officer in the case: the case is theirs, and the victim's safe contact is already there.
    _staff_sign_in(page, base, force.investigator)
    page.goto(f"{base}/cases/mine/")
    page.get_by_role("link", name=crime_reference).click()
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Victim").click()
    profile = page.get_by_test_id("victim-profile")
    expect(profile).to_contain_text(SAFE_PHONE)
    expect(profile).to_contain_text("Weekday evenings")
    assert_accessible(page)
    page.get_by_role("link", name="Give access to follow the case online").click()
    page.get_by_label("Send it to the victim's safe email address or phone number").check()
    page.get_by_role("button", name="Create a code").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Code sent")
    assert_accessible(page)
    code = _code_from_the_outbox(force)
    sent = next(force.outbox.glob("*.txt")).read_text(encoding="utf-8")
    for private in (crime_reference, "Morgan", "Quillfeather", "Oddsworth", "rape"):
        assert private.lower() not in sent.lower()

    # The arrest, on the investigation's suspect event page.
    today = clock.today()
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Investigation plan").click()
    page.get_by_role("link", name="Record a suspect event").click()
    page.get_by_label("Suspect arrested").check()
    page.get_by_label("Suspect", exact=True).select_option(label="Lee Oddsworth")
    fill_date(page, "Date", today)
    page.get_by_label("Custody record number (arrests)").fill("01/2468/26")
    page.get_by_label("Time the suspect arrived at the police station (arrests)").fill("00:00")
    page.get_by_role("button", name="Record the event").click()
    _success(page, "The victim must be told within the Victims' Code deadline")
    arrest = CaseEvent.objects.get(case=case, kind=EventKind.SUSPECT_ARRESTED)
    duty = Obligation.objects.get(case=case, right__code="update_arrest")
    # Enhanced rights (a sexual offence): the next working day, bank holidays and weekends skipped.
    assert duty.due_on == add_working_days(timezone.localdate(arrest.occurred_at), 1)
    assert duty.status == ObligationStatus.OPEN
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Victim").click()
    obligations = page.get_by_test_id("obligations")
    expect(obligations).to_contain_text("Told of an arrest")
    expect(obligations).to_contain_text(f"{duty.due_on.day} {duty.due_on:%B %Y}")
    assert_accessible(page)

    # The victim signs in with the reference the officer gave them and the code their phone received.
    victim.goto(f"{base}/portal/follow/")
    expect(victim.locator("h1")).to_have_text("Follow your case")
    victim.get_by_label("Crime reference").fill(crime_reference)
    victim.get_by_label("Access code").fill(code)
    victim.get_by_role("button", name="Sign in").click()
    expect(victim.locator("h1")).to_have_text("Choose a secret word")
    victim.get_by_label("Choose a secret word").fill("harbour-kite-42")
    victim.get_by_label("Type your secret word again").fill("harbour-kite-42")
    victim.get_by_role("button", name="Save and continue").click()
    expect(victim.locator("h1")).to_have_text("Updates about your case")
    expect(victim.get_by_test_id("update").first).to_contain_text(
        "Someone has been arrested in connection with your case"
    )
    for private in (crime_reference, "Morgan", "Oddsworth"):
        assert private not in victim.title()
        assert private not in victim.url
    assert_accessible(victim)

    victim.get_by_role("link", name="Messages", exact=True).click()
    victim.get_by_label("Your message").fill("Thank you for telling me. Please text before you call.")
    victim.get_by_role("button", name="Send message").click()
    expect(victim.locator(".govuk-notification-banner")).to_contain_text("Your message has been sent")
    assert_accessible(victim)

    victim.get_by_role("link", name="Feedback").click()
    for question, answer in (
        ("The police listened to me", "Strongly agree"),
        ("The police treated me with respect", "Agree"),
        ("The police were fair", "Agree"),
        ("I trust the police", "Neither agree nor disagree"),
        ("Overall, I am happy", "Agree"),
    ):
        victim.get_by_role("group", name=re.compile(question)).get_by_label(answer, exact=True).check()
    victim.get_by_role("button", name="Send your answers").click()
    expect(victim.locator("h1")).to_have_text("Thank you")
    assert_accessible(victim)
    feedback = Feedback.objects.get(case=case)
    assert (feedback.voice, feedback.respect, feedback.neutrality, feedback.trustworthiness, feedback.overall) == (
        5,
        4,
        4,
        3,
        4,
    )

    # Leaving with the button, from a signed-in page: Back does not return to it.
    victim.get_by_role("link", name="Updates", exact=True).click()
    expect(victim.locator("h1")).to_have_text("Updates about your case")
    victim.get_by_test_id("exit-this-page").click()
    expect(victim).to_have_url(NEUTRAL_SITE)
    victim.go_back()
    assert "Updates about your case" not in victim.content()
    victim_context.close()

    # The message is on the officer's My work and on the case.
    message = PortalMessage.objects.get(case=case)
    assert message.case_event is not None
    page.goto(f"{base}/my-work/")
    expect(page.locator("main")).to_contain_text(f"Read and answer the victim's message ({crime_reference})")
    assert_accessible(page)
    page.goto(f"{base}{case_url}")
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Victim").click()
    expect(page.get_by_test_id("victim-message")).to_contain_text("Please text before you call")
    expect(page.get_by_test_id("feedback")).to_be_visible()

    assert console_errors == []
