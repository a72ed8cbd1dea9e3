"""A victim's phone: the officer records a request for data from it, a supervisor authorises it, the
phone is handed over under that request and given back within the return clock."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import InvestigatorWithCase
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

SUPERVISOR_PASSWORD = "e2e-supervisor-password-not-secret"


@pytest.fixture
def supervisor_username(investigator_with_case: InvestigatorWithCase) -> str:
    """A committed supervisor of the investigator's team, and the evidence reference data."""
    from bluestone.accounts.models import Role, Team, User  # noqa: PLC0415
    from bluestone.evidence.models import DataCategory, NoticeElement, SampleType  # noqa: PLC0415
    from bluestone.evidence.reference import evidence_reference_upsert  # noqa: PLC0415

    if not NoticeElement.objects.exists():
        evidence_reference_upsert(sample_type=SampleType, data_category=DataCategory, notice_element=NoticeElement)
    user = User.objects.create_user(
        username="ds.kaur",
        password=SUPERVISOR_PASSWORD,
        first_name="Priya",
        last_name="Kaur",
        role=Role.SUPERVISOR,
        team=Team.objects.get(code="E2E1"),
    )
    return user.username


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def record_victim_phone_request(page: Page, base: str, seed: InvestigatorWithCase) -> None:
    # The officer opens the case's Evidence tab and records a request for data from the victim's phone.
    sign_in(page, base, seed.username, seed.password)
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    page.goto(f"{base}/cases/{seed.case_id}/")
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()
    page.get_by_role("link", name="Record a request").click()
    page.get_by_role("link", name=re.compile(r"Data from a victim's device")).click()

    # Sent without notice or agreement first: refused, with each reason, and nothing written.
    page.fill("#id_line_of_enquiry", "Messages from the suspect in the week after the offence")
    page.get_by_role("button", name="Send for authorisation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Record whether the victim agreed")
    expect(summary).to_contain_text("Enter the date the written notice was given")
    expect(summary).to_contain_text("Enter why the request is necessary and proportionate")

    page.select_option("#id_person", label=seed.victim_name)
    page.fill("#id_purpose", "To show what the suspect said about that night")
    page.fill("#id_necessity_rationale", "He denies contact; only that thread in those dates is needed.")
    page.fill("#id_less_intrusive_options", "Screenshots cannot show when messages were deleted.")
    page.get_by_label("Messages (texts and messaging apps)").check()
    fill_date(page, "Data from", dt.date(2026, 2, 1))
    fill_date(page, "Data to", dt.date(2026, 2, 10))
    page.get_by_label("Only the data in scope will be extracted (selective extraction)").check()
    page.get_by_label("The victim is giving the device voluntarily").check()
    page.get_by_label("Yes, the victim agreed").check()
    fill_date(page, "Date the written notice was given", dt.date(2026, 2, 10))
    boxes = page.locator("input[name=notice_elements]")
    for index in range(boxes.count()):
        boxes.nth(index).check()


def test_a_victims_phone_goes_through_approval_seizure_and_return_within_the_clock(
    live_server,
    page: Page,
    console_errors: list[str],
    investigator_with_case: InvestigatorWithCase,
    supervisor_username: str,
) -> None:
    seed = investigator_with_case
    base = live_server.url
    # The machine running the suite may be busy: wait longer than the default for each page.
    page.set_default_timeout(45_000)

    record_victim_phone_request(page, base, seed)
    page.get_by_role("button", name="Send for authorisation").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Awaiting authorisation")
    request_url = page.url
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))

    # The supervisor finds it under Requests to authorise and authorises it.
    sign_in(page, base, supervisor_username, SUPERVISOR_PASSWORD)
    page.get_by_test_id("queue-counts").get_by_role("link", name="Requests to authorise").click()
    expect(page.locator("h1")).to_have_text("Requests to authorise")
    page.get_by_test_id("requests-to-authorise").get_by_role("link").first.click()
    page.get_by_label("Authorise the request").check()
    page.fill("#id_note", "Scope is limited to the thread and dates needed.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Authorised")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))

    # The officer records the phone being handed over under the authorised request: the clock starts.
    sign_in(page, base, seed.username, seed.password)
    page.goto(request_url)
    page.get_by_role("link", name="Record the device being handed over").click()
    # The date and time it was taken start as now: the three date boxes and the time are filled.
    expect(page.get_by_role("group", name="When was it taken?").get_by_label("Year")).not_to_have_value("")
    assert_accessible(page)
    page.fill("#id_reference", "NA/1")
    page.fill("#id_description", "Victim's phone, black, green case")
    page.fill("#id_obtained_from", "Handed over by the victim at home")
    page.fill("#id_handled_by", "DC Nadia Ahmed 4242")
    page.fill("#id_location", "Digital forensics unit")
    page.get_by_role("button", name="Record the exhibit").click()
    expect(page.locator("h2.govuk-heading-l")).to_have_text("Exhibit NA/1")
    expect(page.get_by_test_id("phone-clock")).to_contain_text("Due back in")

    # The phone goes back to the victim within the clock; the time to return is recorded.
    page.get_by_role("link", name="Give it back").click()
    page.fill("#id_returned_to", "The victim")
    page.fill("#id_handled_by", "DC Nadia Ahmed 4242")
    page.fill("#id_authority", "Selective extraction complete; the phone is no longer needed.")
    page.get_by_role("button", name="Record it as given back").click()
    expect(page.get_by_test_id("exhibit-status")).to_have_text("Returned")
    expect(page.get_by_test_id("phone-clock")).to_contain_text("Returned in time")
    expect(page.get_by_test_id("returned")).to_contain_text("to The victim")
    continuity = page.get_by_test_id("continuity")
    expect(continuity).to_contain_text("Digital forensics unit")
    expect(continuity).to_contain_text("Returned to The victim")

    # The case's timeline entry for the Victims' Code return of property exists.
    from bluestone.cases.models import CaseEvent, EventKind  # noqa: PLC0415

    returned = CaseEvent.objects.get(case_id=seed.case_id, kind=EventKind.PROPERTY_RETURNED)
    assert "within the 24 hours allowed" in returned.summary
    assert console_errors == []
