"""An arrest starts the custody clock and bail shows who may extend it (issue 14, defect 6); the
supervisor's sign-off lists what the case still holds open and refuses to close it until each item is
resolved, then the case closes with nothing left to do (defect 1). Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-closure-password-not-secret"


@dataclass(frozen=True)
class World:
    investigator: str
    supervisor: str
    case_id: str


@pytest.fixture
def world(django_db_serialized_rollback: None, transactional_db: None) -> World:
    """A RASSO team, its investigator (the officer in the case) and supervisor, and a case with a named
    victim and suspect, committed for the live server's thread."""
    from bluestone.accounts.models import Officer, Role, Team, User  # noqa: PLC0415
    from bluestone.cases.models import Role as InvolvementRole  # noqa: PLC0415
    from bluestone.investigation.services import plan_create  # noqa: PLC0415
    from tests.factories import CaseFactory, InvolvementFactory  # noqa: PLC0415

    team = Team.objects.create(code="E2EC", name="RASSO East")
    investigator = User.objects.create_user(
        username="dc.amadi", password=PASSWORD, first_name="Tobi", last_name="Amadi", role=Role.INVESTIGATOR, team=team
    )
    officer = Officer.objects.create(
        collar_number="6262", first_name="Tobi", last_name="Amadi", team=team, user=investigator
    )
    User.objects.create_user(
        username="ds.lowe", password=PASSWORD, first_name="Mira", last_name="Lowe", role=Role.SUPERVISOR, team=team
    )
    case = CaseFactory.create(team=team, officer=officer)
    InvolvementFactory.create(case=case, role=InvolvementRole.VICTIM, person__first_name="Rowan")
    InvolvementFactory.create(
        case=case, role=InvolvementRole.SUSPECT, person__first_name="Dale", person__last_name="Marsh"
    )
    plan_create(actor=investigator, case=case)
    return World(investigator="dc.amadi", supervisor="ds.lowe", case_id=str(case.pk))


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def _success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def _arrest_with_custody_clock(page: Page, today: dt.date) -> None:
    page.get_by_role("link", name="Record a suspect event").click()
    expect(page.get_by_role("button", name="Record the event")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Suspect arrested").check()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Date", today)
    page.get_by_label("Custody record number (arrests)").fill("01/5150/26")
    page.get_by_role("button", name="Record the event").click()
    # No arrival time: refused beside the field, nothing recorded.
    expect(page.locator(".govuk-error-summary")).to_contain_text("arrived at the police station")
    page.get_by_label("Time the suspect arrived at the police station (arrests)").fill("00:00")
    page.get_by_role("button", name="Record the event").click()
    _success(page, "The event is recorded")
    clock_card = page.get_by_test_id("custody-clock")
    expect(clock_card).to_contain_text("in custody")
    expect(clock_card).to_contain_text("01/5150/26")
    expect(clock_card).to_contain_text("the custody officer's limit (PACE s.41)")
    expect(clock_card).to_contain_text("with a superintendent's authority (PACE s.42)")
    expect(clock_card).to_contain_text("96 hours")
    assert_accessible(page)


def _bail(page: Page, today: dt.date) -> None:
    page.get_by_role("link", name="Record bail").click()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Bail starts on", today)
    page.get_by_label("The victim's views on bail and its conditions").fill("The victim asked for no contact.")
    page.get_by_role("button", name="Record bail").click()
    _success(page, "Bail is recorded")
    expect(page.get_by_test_id("bail-next-authority")).to_contain_text("An inspector can extend it to")
    expect(page.get_by_test_id("custody-clock")).to_contain_text("Suspect released on bail")
    assert_accessible(page)


def _propose(page: Page, today: dt.date) -> None:
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Outcome").click()
    page.get_by_role("link", name="Propose an outcome").click()
    page.get_by_label("Outcome", exact=True).select_option("10")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Rationale").fill("Formal action is not in the public interest.")
    page.get_by_label("The victim has been told of this outcome").check()
    fill_date(page, "Date the victim was told", today)
    page.get_by_label("The victim was told of their right to ask for a review").check()
    page.get_by_role("button", name="Send for sign-off").click()
    _success(page, "waiting for a supervisor's sign-off")


def test_custody_clock_and_the_closure_checklist(live_server, page: Page, console_errors: list[str], world: World):
    from bluestone.core import clock  # noqa: PLC0415

    today = clock.today()
    base = live_server.url
    page.set_default_timeout(60_000)

    _sign_in(page, base, world.investigator)
    page.goto(f"{base}/cases/{world.case_id}/plan/")
    _arrest_with_custody_clock(page, today)
    _bail(page, today)
    _propose(page, today)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))

    _sign_in(page, base, world.supervisor)
    page.goto(f"{base}/approvals/")
    page.get_by_role("link", name="Outcome sign-off").click()
    checklist = page.get_by_test_id("closure-checklist")
    expect(checklist).to_contain_text("on pre-charge bail")
    expect(checklist).to_contain_text("Told of an arrest")
    assert_accessible(page)
    sign_off_url = page.url
    page.get_by_label("Sign off and close the case").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Bail:")

    # Resolve each open item from its link on the checklist.
    page.get_by_role("link", name="Bail: End the bail").click()
    fill_date(page, "Date bail ended", today)
    page.get_by_label("Why is bail ended?").fill("The suspect was told in writing that bail is cancelled.")
    assert_accessible(page)
    page.get_by_role("button", name="End the bail").click()
    _success(page, "Bail is ended")
    page.goto(sign_off_url)
    page.get_by_role("link", name="Victims' Code: Meet the duty or record why it does not apply").first.click()
    # Wait for the duties page before counting: count() does not wait for the page load the click began.
    expect(page.get_by_role("link", name=re.compile(r"^Not applicable")).first).to_be_visible()
    while page.get_by_role("link", name=re.compile(r"^Not applicable")).count():
        page.get_by_role("link", name=re.compile(r"^Not applicable")).first.click()
        page.get_by_label("Why this duty does not apply").fill("The victim asked to hear only of the outcome.")
        page.get_by_role("button", name="Mark as not applicable").click()
        _success(page, "not applicable")

    page.goto(sign_off_url)
    expect(page.get_by_test_id("closure-checklist")).not_to_contain_text("Open")
    page.get_by_label("Sign off and close the case").check()
    page.get_by_role("button", name="Record the decision").click()
    _success(page, "Your decision on the outcome is recorded")
    expect(page.get_by_test_id("outcome")).to_contain_text("10:")

    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name="Summary").click()
    expect(page.get_by_test_id("next-things-to-do")).to_have_count(0)
    assert_accessible(page)
    assert console_errors == []
