"""An investigator records a new case and finds its plan suspect-first, records an arrest and bail and
asks for a victim-focused action; a supervisor approves it and does the initial review; the
investigator charges the suspect."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from bluestone.core import clock
from tests.e2e.axe import assert_accessible
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-journey-password-not-secret"


@dataclass(frozen=True)
class Crew:
    investigator: str
    supervisor: str


@pytest.fixture
def crew(django_db_serialized_rollback: None, transactional_db: None) -> Crew:
    """A RASSO team with an investigator (an officer, so the officer in the case) and its supervisor,
    committed for the live server's thread."""
    from bluestone.accounts.models import Officer, Role, Team, User  # noqa: PLC0415

    team = Team.objects.create(code="E2EJ", name="RASSO West")
    investigator = User.objects.create_user(
        username="dc.okafor", password=PASSWORD, first_name="Ife", last_name="Okafor", role=Role.INVESTIGATOR, team=team
    )
    Officer.objects.create(collar_number="5151", first_name="Ife", last_name="Okafor", team=team, user=investigator)
    User.objects.create_user(
        username="ds.byrne", password=PASSWORD, first_name="Ciara", last_name="Byrne", role=Role.SUPERVISOR, team=team
    )
    return Crew(investigator="dc.okafor", supervisor="ds.byrne")


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))


def _success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def _record_new_case(page: Page, base: str, crew: Crew, today: str) -> str:
    """The investigator lands on My work and records a new case from there; returns its address."""
    _sign_in(page, base, crew.investigator)
    expect(page).to_have_url(re.compile(r"/my-work/$"))
    expect(page.locator("h1")).to_have_text("My work")
    page.get_by_role("link", name="Record a new case").click()
    page.get_by_label("Offence", exact=True).select_option("19C")
    fill_date(page, "Date reported", clock.today())
    fill_date(page, "Date of the offence", clock.today())
    page.get_by_label("How was it reported?").select_option("in_person")
    page.get_by_label("Victim's first name").fill("Rowan")
    page.get_by_label("Victim's last name").fill("Teale")
    page.get_by_label("Suspect's first name").fill("Dale")
    page.get_by_label("Suspect's last name").fill("Marsh")
    page.get_by_label("The suspect's relationship to the victim").select_option("acquaintance")
    page.get_by_role("button", name="Record the case").click()
    _success(page, "is recorded")
    return page.url


def _plan_is_suspect_first(page: Page) -> None:
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Investigation plan").click()
    # A retrying check: the click starts a page load that the locator must wait for.
    expect(page.locator("table[data-group] caption")).to_have_text(["Suspect", "Context", "Victim's account"])
    first_line = page.locator('table[data-group="suspect"] tbody tr').first
    expect(first_line).to_contain_text("Check the suspect's history and intelligence")
    expect(page.get_by_test_id("suspect-balance")).to_contain_text("9 suspect-focused actions")


def _arrest_and_bail(page: Page, today: str) -> None:
    page.get_by_role("link", name="Record a suspect event").click()
    page.get_by_label("Suspect arrested").check()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Date", clock.today())
    page.get_by_label("Custody record number (arrests)").fill("01/7731/26")
    page.get_by_label("Time the suspect arrived at the police station (arrests)").fill("00:00")
    page.get_by_role("button", name="Record the event").click()
    _success(page, "The victim must be told within the Victims' Code deadline")

    page.get_by_role("link", name="Record bail").click()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Bail starts on", clock.today())
    page.get_by_label("Bail conditions").fill("Not to contact the victim")
    page.get_by_label("The victim's views on bail and its conditions").fill("The victim asked for no contact.")
    page.get_by_role("button", name="Record bail").click()
    _success(page, "Bail is recorded")
    expect(page.get_by_test_id("bail")).to_contain_text("Not to contact the victim")


def _ask_for_a_victim_focused_action(page: Page) -> None:
    """Written as an ordinary line, it is questioned; classed as a victim-focused action, it is added and
    sent for approval in the same form, and cannot start until a supervisor approves it."""
    page.get_by_role("link", name="Add a line of enquiry").click()
    page.get_by_label("Context").check()
    page.get_by_label("Line of enquiry", exact=True).fill("Download the victim's phone for the night's messages")
    page.get_by_label("What kind of line is this?").select_option("none")
    page.get_by_role("button", name="Add the line of enquiry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This reads as a victim-focused action")
    assert_accessible(page)

    page.get_by_label("What kind of line is this?").select_option("phone_download")
    page.get_by_label("Why is this necessary and proportionate?").fill(
        "The suspect's phone was not recovered; the messages on the night are a reasonable line of enquiry."
    )
    page.get_by_label("What less intrusive ways were considered?").fill("Screenshots the victim offered.")
    page.get_by_label("The victim gave their informed agreement").check()
    page.get_by_role("button", name="Add the line of enquiry").click()
    _success(page, "added to the plan")
    expect(page.locator("main")).to_contain_text("waiting for a supervisor's approval")

    page.get_by_role("link", name="Download the victim's phone for the night's messages").click()
    page.get_by_label("Status", exact=True).select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot start until a supervisor approves it")


def _supervisor_approves_and_reviews(page: Page, base: str, crew: Crew) -> None:
    _sign_in(page, base, crew.supervisor)
    page.get_by_test_id("queue-counts").get_by_role("link", name="Approvals").click()
    page.get_by_role("link", name="Victim-focused action").click()
    expect(page.get_by_test_id("line-summary")).to_contain_text("reasonable line of enquiry")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    _success(page, "Your decision is recorded")

    # Back to the landing page: each queue is counted there and links to its list.
    page.get_by_role("link", name="Team work", exact=True).click()
    expect(page.get_by_test_id("queue-counts")).to_contain_text("Reviews due")
    assert_accessible(page)
    page.get_by_test_id("queue-counts").get_by_role("link", name="Reviews due").click()
    page.get_by_test_id("reviews-due").get_by_role("link").first.click()
    expect(page.get_by_label("Directions to the officer")).to_be_visible()
    for answer in page.locator('input[type="radio"][value="yes"]').all():
        answer.check()
    page.get_by_label("Directions to the officer").fill("Interview under caution this week.")
    page.get_by_role("button", name="Record the review").click()
    _success(page, "The review is recorded")
    expect(page.get_by_test_id("next-review")).not_to_contain_text("Overdue")


def _charge(page: Page, today: str) -> None:
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Investigation plan").click()
    page.get_by_role("link", name="Record a charge").click()
    page.get_by_label("Suspect charged").select_option(label="Dale Marsh")
    fill_date(page, "Date of charge", clock.today())
    page.get_by_label("Offences charged").fill("Rape, Sexual Offences Act 2003 s.1")
    page.get_by_role("button", name="Record the charge").click()
    _success(page, "The charge is recorded")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Charged")


def test_from_a_new_case_to_a_charge(live_server, page: Page, console_errors: list[str], crew: Crew) -> None:
    from bluestone.core import clock  # noqa: PLC0415

    today = clock.today().strftime("%d/%m/%Y")
    base = live_server.url
    # A long journey on a shared machine: the first request loads every app's views and templates.
    page.set_default_timeout(60_000)

    case_url = _record_new_case(page, base, crew, today)
    _plan_is_suspect_first(page)
    _arrest_and_bail(page, today)
    _ask_for_a_victim_focused_action(page)
    _sign_out(page)

    _supervisor_approves_and_reviews(page, base, crew)
    _sign_out(page)

    _sign_in(page, base, crew.investigator)
    page.goto(case_url)
    _charge(page, today)

    page.get_by_role("link", name="Timeline").click()
    timeline = page.get_by_test_id("timeline")
    for entry in (
        "Suspect charged",
        "Supervisory review",
        "Suspect released on bail",
        "Suspect arrested",
        "Investigation plan created",
    ):
        expect(timeline).to_contain_text(entry)

    assert console_errors == []
