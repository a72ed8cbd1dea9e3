"""The victim's side of the story in a browser: the officer gives online access, an arrest opens the
duty to tell the victim by the next working day, the officer writes an update, the victim signs in to
"Follow my case", reads the updates, sends a message and gives feedback, and the officer reads the
message. axe-core checks the Victim tab and every follow-my-case page on the way."""

from __future__ import annotations

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, InvestigatorWithCase

pytestmark = [pytest.mark.browser]

FIRST_LOAD_TIMEOUT_MS = 90_000
NEUTRAL_PAGE = "<!DOCTYPE html><html lang='en'><head><title>Weather</title></head><body><h1>Weather</h1></body></html>"


def _neutral_site(context: BrowserContext) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("https://www.bbc.co.uk/**", fulfil)


def _officer_signs_in(page: Page, base: str, seed: InvestigatorWithCase) -> None:
    page.goto(f"{base}/account/sign-in/", timeout=FIRST_LOAD_TIMEOUT_MS)
    page.fill("#id_username", seed.username)
    page.fill("#id_password", seed.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def test_arrest_update_and_the_victim_follows_their_case(  # noqa: PLR0915 (one story, page by page)
    live_server, page: Page, browser: Browser, console_errors: list[str], investigator_with_case: InvestigatorWithCase
) -> None:
    from bluestone.accounts.models import User  # noqa: PLC0415
    from bluestone.cases.entry import case_event_record  # noqa: PLC0415
    from bluestone.cases.models import CaseEvent, EventKind  # noqa: PLC0415
    from bluestone.core.workdays import add_working_days  # noqa: PLC0415
    from bluestone.victims.models import Feedback, Obligation, ObligationStatus, PortalMessage, Right  # noqa: PLC0415
    from bluestone.victims.reference import rights_upsert  # noqa: PLC0415

    rights_upsert(right=Right)  # reference data, in case a flush before this test emptied it
    seed = investigator_with_case
    base = live_server.url
    tab = f"{base}/cases/{seed.case_id}/victim/"

    # The officer starts the victim's profile and gives them a one-time code to follow the case.
    _officer_signs_in(page, base, seed)
    page.goto(tab)
    page.get_by_role("button", name="Start the victim profile").click()
    expect(page.get_by_role("heading", name="Profile and safe contact")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Give access to follow the case online").click()
    page.get_by_role("button", name="Create a code").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how the victim will get the code")
    assert_accessible(page)
    page.get_by_label("Show me the code").check()
    page.get_by_role("button", name="Create a code").click()
    code = page.get_by_test_id("portal-code").inner_text().strip()
    reference = page.get_by_test_id("portal-reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert reference == seed.crime_reference
    assert_accessible(page)

    # The investigation records an arrest (standing in for the investigation page).
    officer = User.objects.get(username=seed.username)
    case_event_record(
        actor=officer, case=uuid.UUID(str(seed.case_id)), kind=EventKind.SUSPECT_ARRESTED, summary="Arrested at home"
    )
    duty = Obligation.objects.get(case_id=seed.case_id, right__code="update_arrest")
    today = timezone.localdate()
    assert duty.due_on == add_working_days(today, 1)  # enhanced rights: the next working day
    assert duty.status == ObligationStatus.OPEN

    page.goto(tab)
    obligations = page.get_by_test_id("obligations")
    expect(obligations).to_contain_text("Told of an arrest")
    expect(obligations).to_contain_text(f"{duty.due_on.day} {duty.due_on:%B %Y}")
    assert_accessible(page)

    # The officer writes an update in plain English, meeting the duty.
    page.get_by_role("link", name="Write an update for the victim").click()
    page.get_by_label("Update for the victim").fill(
        "We arrested the man you told us about today. "
        "I will phone you after 6pm on a weekday to explain what happens next."
    )
    page.get_by_label(re.compile("Told of an arrest")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Post the update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Update posted")
    duty.refresh_from_db()
    assert duty.status == ObligationStatus.MET

    # The victim, in their own browser, signs in to follow the case.
    victim_context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    victim_context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    _neutral_site(victim_context)
    victim = victim_context.new_page()
    victim.on("console", lambda m: console_errors.append(f"victim console: {m.text}") if m.type == "error" else None)
    victim.goto(f"{base}/portal/follow/", timeout=FIRST_LOAD_TIMEOUT_MS)
    expect(victim.locator("h1")).to_have_text("Follow your case")
    assert_accessible(victim)
    victim.get_by_label("Crime reference").fill(reference)
    victim.get_by_label("Access code").fill("AAAA-BBBB")
    victim.get_by_role("button", name="Sign in").click()
    expect(victim.locator(".govuk-error-summary")).to_contain_text("The details you entered do not match")
    assert victim.title().startswith("Error: ")
    assert_accessible(victim)
    victim.get_by_label("Access code").fill(code.lower())  # typed any old way
    victim.get_by_role("button", name="Sign in").click()
    expect(victim.locator("h1")).to_have_text("Choose a secret word")
    assert_accessible(victim)
    victim.get_by_label("Choose a secret word").fill("lantern-river-9")
    victim.get_by_label("Type your secret word again").fill("lantern-river-9")
    victim.get_by_role("button", name="Save and continue").click()

    expect(victim.locator("h1")).to_have_text("Updates about your case")
    updates = victim.get_by_test_id("update")
    expect(updates).to_have_count(2)
    expect(updates.first).to_contain_text("I will phone you after 6pm")
    expect(updates.nth(1)).to_contain_text("Someone has been arrested in connection with your case")
    for text in (reference, seed.victim_name, seed.suspect_name):
        assert text not in victim.title()
        assert text not in victim.url
    assert_accessible(victim)

    victim.get_by_role("link", name="Messages", exact=True).click()
    expect(victim.locator("h1")).to_have_text("Send a message to your officer")
    assert_accessible(victim)
    victim.get_by_role("button", name="Send message").click()
    expect(victim.locator(".govuk-error-summary")).to_contain_text("Write your message.")
    assert_accessible(victim)
    victim.get_by_label("Your message").fill("Thank you. Please only call after 6pm, my partner is home before then.")
    victim.get_by_role("button", name="Send message").click()
    expect(victim.locator(".govuk-notification-banner")).to_contain_text("Your message has been sent")
    message = PortalMessage.objects.get(case_id=seed.case_id)
    assert message.case_event is not None
    assert CaseEvent.objects.filter(case_id=seed.case_id, kind=EventKind.VICTIM_MESSAGE).count() == 1

    victim.get_by_role("link", name="Contact preferences").click()
    expect(victim.locator("h1")).to_have_text("How we contact you")
    assert_accessible(victim)

    victim.get_by_role("link", name="Feedback").click()
    expect(victim.locator("h1")).to_have_text("Tell us how we are doing")
    assert_accessible(victim)
    for question, answer in (
        ("The police listened to me", "Agree"),
        ("The police treated me with respect", "Strongly agree"),
        ("The police were fair", "Neither agree nor disagree"),
        ("I trust the police", "Agree"),
        ("Overall, I am happy", "Agree"),
    ):
        victim.get_by_role("group", name=re.compile(question)).get_by_label(answer, exact=True).check()
    victim.get_by_role("button", name="Send your answers").click()
    expect(victim.locator("h1")).to_have_text("Thank you")
    feedback = Feedback.objects.get(case_id=seed.case_id)
    assert (feedback.voice, feedback.respect, feedback.neutrality, feedback.trustworthiness, feedback.overall) == (
        4,
        5,
        3,
        4,
        4,
    )

    # Quick exit from a signed-in page: Escape leaves at once, and Back does not return to the case.
    victim.get_by_role("link", name="Updates", exact=True).click()
    expect(victim.locator("h1")).to_have_text("Updates about your case")
    # The portal's script has run (and listens for Escape) once the body carries this class.
    expect(victim.locator("body.govuk-frontend-supported")).to_have_count(1)
    victim.keyboard.press("Escape")
    expect(victim).to_have_title("Weather")
    victim.go_back()
    assert "Updates about your case" not in victim.content()
    victim_context.close()

    # The officer sees the message on the Victim tab.
    page.goto(tab)
    expect(page.get_by_test_id("victim-message")).to_contain_text("only call after 6pm")
    expect(page.get_by_test_id("feedback")).to_be_visible()
    assert_accessible(page)

    assert console_errors == []
