"""The whole life of a case on a force built the way `bluestone demo` builds one, walked as a new user
would: by the links on each page, from signing in to a closed case.

The supervisor records a report and allocates it; the investigator finds it on My work, gives the
victim a code to follow the case online, records the arrest and adds a victim-focused action
(downloading the victim's phone) with its request in the evidence register; the supervisor finds the
action under Approvals as one entry that authorises the request too, approves it once and does the
initial review; the investigator takes the phone, sees it among the next things to do with its due
time, gives it back and completes the request, bails the suspect, sends the file to the CPS, records
their decision to charge and the charge, tells the victim and proposes the outcome; the supervisor
signs it off against a closure checklist with nothing left open, and the case closes with nothing
left to do. Then the victim, in their own browser, goes from the portal's start page to "Follow your
case" and reads what happened in plain words: the arrest, the charge, the case closed and why.
axe-core checks each page on the way, every portal page included.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

# The steps of `bluestone demo` after the force is loaded, but linkage: a force this small has too few
# pairs to train a linkage model on, and nothing here reads repeat suspects.
DEMO_STEPS = ("investigation plans", "victims", "evidence")
PHONE_LINE = "Messages on the victim's phone from the night"


@dataclass(frozen=True)
class Force:
    investigator: str
    investigator_password: str
    officer: str  # the investigator as an officer, as the allocation page names them
    supervisor: str
    supervisor_password: str


@pytest.fixture
def force(django_db_serialized_rollback: None, transactional_db: None, tmp_path: Path) -> Force:
    """A small synthetic force, loaded and prepared as the demo does, with its demo users."""
    from django.core.management import call_command  # noqa: PLC0415

    from bluestone.accounts.models import Officer, Role  # noqa: PLC0415
    from bluestone.core.demo import demo_steps  # noqa: PLC0415
    from bluestone.evidence.models import DataCategory, NoticeElement, SampleType  # noqa: PLC0415
    from bluestone.evidence.reference import evidence_reference_upsert  # noqa: PLC0415
    from bluestone.orchestration.management.commands.demo import demo_password, demo_users_create  # noqa: PLC0415
    from bluestone.victims.models import Right  # noqa: PLC0415
    from bluestone.victims.reference import rights_upsert  # noqa: PLC0415

    # Reference data, in case a flush after an earlier transactional test emptied it.
    rights_upsert(right=Right)
    evidence_reference_upsert(sample_type=SampleType, data_category=DataCategory, notice_element=NoticeElement)
    extract = tmp_path / "force"
    call_command("synth", cases=60, seed=2026, out=str(extract), verbosity=0, force=True)
    call_command("load", str(extract), verbosity=0)
    users = {user.role: user for user in demo_users_create()}
    for step in demo_steps():
        if step.name in DEMO_STEPS:
            step.run(users=users, stdout=io.StringIO())
    investigator = users[Role.INVESTIGATOR]
    return Force(
        investigator=investigator.username,
        investigator_password=demo_password(Role.INVESTIGATOR),
        officer=str(Officer.objects.get(user=investigator)),
        supervisor=users[Role.SUPERVISOR].username,
        supervisor_password=demo_password(Role.SUPERVISOR),
    )


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))


def _success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Sections of this case").get_by_role("link", name=name, exact=True).click()


def _supervisor_records_and_allocates(page: Page, base: str, force: Force, today: dt.date) -> str:
    """A report taken by the supervisor: recorded for the team, then allocated. Returns the reference."""
    _sign_in(page, base, force.supervisor, force.supervisor_password)
    expect(page.locator("h1")).to_have_text("Team work")
    page.get_by_role("link", name="Record a new case").click()
    expect(page.locator("h1")).to_have_text("Record a new case")
    assert_accessible(page)
    page.get_by_label("Offence", exact=True).select_option("19C")
    fill_date(page, "Date reported", today)
    fill_date(page, "Date of the offence", today)
    page.get_by_label("How was it reported?").select_option("in_person")
    page.get_by_label("Victim's first name").fill("Rowan")
    page.get_by_label("Victim's last name").fill("Teale")
    page.get_by_label("Suspect's first name").fill("Dale")
    page.get_by_label("Suspect's last name").fill("Marsh")
    page.get_by_label("The suspect's relationship to the victim").select_option("acquaintance")
    page.get_by_role("button", name="Record the case").click()
    _success(page, "is recorded")
    reference = page.locator(".govuk-notification-banner--success").inner_text().split("Case ")[1].split()[0]
    expect(page.locator(".moj-identity-bar")).to_contain_text("Officer in the case: not allocated")

    # Not yet allocated: it waits on Team work, counted under Cases to allocate, from where the
    # supervisor allocates it (everything due across the team is in pages, undated items last).
    page.get_by_role("link", name="Team work", exact=True).click()
    page.get_by_test_id("queue-counts").get_by_role("link", name="Cases to allocate").click()
    expect(page.get_by_role("heading", name="Cases to allocate", level=2)).to_be_visible()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Choose the officer in the case")
    row.get_by_role("link", name="Case to allocate").click()
    expect(page.locator("h1")).to_contain_text("Allocate an officer")
    assert_accessible(page)
    page.get_by_label(force.officer).check()
    page.get_by_role("button", name="Allocate the case").click()
    _success(page, "is now the officer in the case")
    _sign_out(page)
    return reference


def _investigator_finds_the_case(page: Page, base: str, force: Force, reference: str) -> str:
    _sign_in(page, base, force.investigator, force.investigator_password)
    expect(page.locator("h1")).to_have_text("My work")
    # The case column links to the case.
    page.locator("tr", has_text=reference).first.get_by_role("link", name=reference).click()
    expect(page.locator(".moj-identity-bar")).to_contain_text(reference)
    expect(page.get_by_test_id("next-things-to-do")).to_contain_text("Check the suspect's history and intelligence")
    assert_accessible(page)
    return page.url


@dataclass(frozen=True)
class PortalAccess:
    reference: str
    code: str


def _victim_given_a_code(page: Page) -> PortalAccess:
    """The officer gives the victim a one-time code to follow the case online, before anything happens:
    from then on each step of the case posts the victim an update."""
    _tab(page, "Victim")
    page.get_by_role("link", name="Give access to follow the case online").click()
    page.get_by_label("Show me the code").check()
    page.get_by_role("button", name="Create a code").click()
    expect(page.get_by_test_id("portal-code")).to_have_text(re.compile(r"^\s*[A-Z0-9]{4}-[A-Z0-9]{4}\s*$"))
    assert_accessible(page)
    return PortalAccess(
        reference=page.get_by_test_id("portal-reference").inner_text().strip(),
        code=page.get_by_test_id("portal-code").inner_text().strip(),
    )


def _arrest(page: Page, today: dt.date) -> None:
    _tab(page, "Investigation plan")
    # A retrying check: the click starts a page load that the locator must wait for.
    expect(page.locator("table[data-group] caption")).to_have_text(["Suspect", "Context", "Victim's account"])
    page.get_by_role("link", name="Record a suspect event").click()
    page.get_by_label("Suspect arrested").check()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Date", today)
    page.get_by_label("Custody record number (arrests)").fill("01/4410/26")
    page.get_by_label("Time the suspect arrived at the police station (arrests)").fill("00:00")
    page.get_by_role("button", name="Record the event").click()
    _success(page, "The event is recorded")
    expect(page.get_by_test_id("custody-clock")).to_contain_text("01/4410/26")


def _phone_action_and_its_request(page: Page, today: dt.date) -> None:
    """The victim-focused action, asked for once in the plan; its request starts from what it holds."""
    page.get_by_role("link", name="Add a line of enquiry").click()
    page.get_by_label("Line of enquiry", exact=True).fill(PHONE_LINE)
    page.get_by_label("What kind of line is this?").select_option("phone_download")
    page.get_by_label("Why is this necessary and proportionate?").fill(
        "The suspect says they never messaged that night; the thread on the victim's phone shows whether they did."
    )
    page.get_by_label("What less intrusive ways were considered?").fill("Screenshots cannot show deleted messages.")
    page.get_by_label("The victim gave their informed agreement").check()
    page.get_by_role("button", name="Add the line of enquiry").click()
    _success(page, "added to the plan")

    page.get_by_role("link", name=PHONE_LINE).click()
    page.get_by_role("link", name="Record the request for the victim's device").click()
    expect(page.locator("#id_line_of_enquiry")).to_have_value(PHONE_LINE)
    page.select_option("#id_person", label="Rowan Teale")
    page.fill("#id_purpose", "To show whether the suspect messaged the victim that night")
    page.get_by_label("Messages (texts and messaging apps)").check()
    fill_date(page, "Data from", today - dt.timedelta(days=2))
    fill_date(page, "Data to", today)
    page.get_by_label("Only the data in scope will be extracted (selective extraction)").check()
    page.get_by_label("The victim is giving the device voluntarily").check()
    page.get_by_label("Yes, the victim agreed").check()
    fill_date(page, "Date the written notice was given", today)
    boxes = page.locator("input[name=notice_elements]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    assert_accessible(page)
    page.get_by_role("button", name="Send for authorisation").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Awaiting authorisation")


def _supervisor_approves_once_and_reviews(page: Page, base: str, force: Force, reference: str) -> None:
    _sign_in(page, base, force.supervisor, force.supervisor_password)
    page.get_by_test_id("queue-counts").get_by_role("link", name="Approvals").click()
    # The action and the request it authorises are one decision, so one entry, which says so.
    entries = page.get_by_test_id("work-items").locator("tbody tr", has_text=reference)
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text(
        "Download the victim's phone: approve or refuse. Approving it also authorises its request for data from "
        "a victim's device (PCSCA 2022 s.37)"
    )
    assert_accessible(page)
    entries.get_by_role("link", name="Victim-focused action").click()
    expect(page.get_by_test_id("decided-with-line")).to_contain_text("awaiting authorisation")
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    _success(page, "The request for data from a victim's device (PCSCA 2022 s.37) is authorised too")

    # Nothing of this case is left to authorise: one approval did both.
    page.get_by_role("link", name="Team work", exact=True).click()
    page.get_by_test_id("queue-counts").get_by_role("link", name="Requests to authorise").click()
    expect(page.locator("main")).not_to_contain_text(reference)

    page.get_by_role("link", name="Team work", exact=True).click()
    page.get_by_test_id("queue-counts").get_by_role("link", name="Reviews due").click()
    page.get_by_test_id("reviews-due").locator("tr", has_text=reference).get_by_role("link").first.click()
    expect(page.get_by_label("Directions to the officer")).to_be_visible()
    for answer in page.locator('input[type="radio"][value="yes"]').all():
        answer.check()
    page.get_by_label("Directions to the officer").fill("Download only the thread asked for; return the phone today.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    _success(page, "The review is recorded")
    _sign_out(page)


def _phone_taken_and_given_back(page: Page, case_url: str) -> None:
    page.goto(case_url)
    _tab(page, "Evidence")
    page.get_by_role("link", name=re.compile(r"Data from a victim's device")).first.click()
    expect(page.get_by_test_id("request-status")).to_have_text("Authorised")
    page.get_by_role("link", name="Record the device being handed over").click()
    page.fill("#id_reference", "RT/1")
    page.fill("#id_description", "Victim's phone, blue case")
    page.fill("#id_obtained_from", "Handed over by the victim at the station")
    page.fill("#id_handled_by", "The officer in the case")
    page.fill("#id_location", "Digital forensics unit")
    page.get_by_role("button", name="Record the exhibit").click()
    expect(page.get_by_test_id("phone-clock")).to_contain_text("Due back in")

    # The case summary puts the phone first among the next things to do, with the time it is due.
    _tab(page, "Summary")
    next_things = page.get_by_test_id("next-things-to-do")
    expect(next_things).to_contain_text("Give the victim's phone back (exhibit RT/1): by ")
    expect(next_things).to_contain_text("(due in 23 hours")
    assert_accessible(page)
    next_things.get_by_role("link", name="Give the victim's phone back (exhibit RT/1)").click()

    page.get_by_role("link", name="Give it back").click()
    page.fill("#id_returned_to", "The victim")
    page.fill("#id_handled_by", "The officer in the case")
    page.fill("#id_authority", "The thread is extracted; the phone is no longer needed.")
    page.get_by_role("button", name="Record it as given back").click()
    expect(page.get_by_test_id("phone-clock")).to_contain_text("Returned in time")
    # The exhibit's page says the request the phone was taken under is still open, and links to completing it.
    expect(page.get_by_test_id("request-still-open")).to_contain_text("the case cannot close while it is")
    page.get_by_role("link", name="Mark the request as complete").click()
    page.get_by_label("What was obtained").fill("The message thread for the two days asked for; phone returned.")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Completed")
    _tab(page, "Summary")
    expect(page.get_by_test_id("next-things-to-do")).not_to_contain_text("phone back")


def _bail_cps_and_charge(page: Page, today: dt.date) -> None:
    """Bail while the file is with the Crown Prosecution Service; their decision to charge, then the charge."""
    _tab(page, "Investigation plan")
    page.get_by_role("link", name="Record bail").click()
    page.get_by_label("Suspect", exact=True).select_option(label="Dale Marsh")
    fill_date(page, "Bail starts on", today)
    page.get_by_label("Bail conditions").fill("Not to contact the victim")
    page.get_by_label("The victim's views on bail and its conditions").fill("The victim asked for no contact.")
    page.get_by_role("button", name="Record bail").click()
    _success(page, "Bail is recorded")
    expect(page.get_by_test_id("bail-next-authority")).to_contain_text("An inspector can extend it to")

    page.get_by_role("link", name="Record a step with the CPS").click()
    page.get_by_label("File sent for a charging decision").check()
    fill_date(page, "Date", today)
    page.get_by_label("CPS reference (optional)").fill("CPS-26-1187")
    assert_accessible(page)
    page.get_by_role("button", name="Record the step").click()
    _success(page, "The CPS step is recorded on the timeline")
    expect(page.locator(".moj-identity-bar")).to_contain_text("With CPS")

    page.get_by_role("link", name="Record a step with the CPS").click()
    page.get_by_label("Charging decision received").check()
    fill_date(page, "Date", today)
    page.get_by_label("Charging decision", exact=True).select_option("charge")
    page.get_by_label("CPS reference (optional)").fill("CPS-26-1187")
    page.get_by_role("button", name="Record the step").click()
    _success(page, "The CPS step is recorded on the timeline")

    page.get_by_role("link", name="Record a charge").click()
    page.get_by_label("Suspect charged").select_option(label="Dale Marsh")
    fill_date(page, "Date of charge", today)
    page.get_by_label("Offences charged").fill("Rape, Sexual Offences Act 2003 s.1")
    page.get_by_role("button", name="Record the charge").click()
    _success(page, "The charge is recorded")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Charged")


def _tell_the_victim_and_propose(page: Page, today: dt.date) -> None:
    """The officer tells the victim of each step (the duties the contact meets are ticked) and proposes
    the outcome, recording that the victim was told of it."""
    _tab(page, "Victim")
    page.get_by_role("link", name="Record a contact").first.click()
    fill_date(page, "Date of the contact", today)
    page.get_by_label("Phone call").check()
    page.get_by_label("Summary").fill(
        "Told the victim of the arrest, bail and the charge; assessed their needs and offered an ISVA; agreed "
        "how to keep them informed; offered a Victim Personal Statement; the written acknowledgement is sent."
    )
    duties = page.locator("input[name=obligations]")
    for index in range(duties.count()):
        duties.nth(index).check()
    assert_accessible(page)
    page.get_by_role("button", name="Record contact").click()
    _success(page, "Contact recorded")

    _tab(page, "Outcome")
    page.get_by_role("link", name="Propose an outcome").click()
    page.get_by_label("Outcome", exact=True).select_option("1")
    fill_date(page, "Date of the decision", today)
    page.get_by_label("Rationale").fill("The suspect is charged with rape.")
    page.get_by_label("The victim has been told of this outcome").check()
    fill_date(page, "Date the victim was told", today)
    assert_accessible(page)
    page.get_by_role("button", name="Send for sign-off").click()
    _success(page, "waiting for a supervisor's sign-off")


def _supervisor_closes(page: Page, base: str, force: Force, reference: str) -> None:
    _sign_in(page, base, force.supervisor, force.supervisor_password)
    page.get_by_test_id("queue-counts").get_by_role("link", name="Approvals").click()
    page.locator("tr", has_text=reference).get_by_role("link", name="Outcome sign-off").click()
    # Bail ended with the charge, the phone is back, its request completed and each duty met: the
    # checklist holds nothing open, and says the victim was told of the outcome.
    checklist = page.get_by_test_id("closure-checklist")
    expect(checklist).to_contain_text("The victim was told of the outcome")
    expect(checklist).not_to_contain_text("Open")
    assert_accessible(page)
    page.get_by_label("Sign off and close the case").check()
    page.get_by_role("button", name="Record the decision").click()
    _success(page, "Your decision on the outcome is recorded")
    expect(page.get_by_test_id("outcome")).to_contain_text("1:")
    _tab(page, "Summary")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Closed")
    expect(page.get_by_test_id("next-things-to-do")).to_have_count(0)
    assert_accessible(page)


def _victim_follows_the_case(browser: Browser, base: str, access: PortalAccess, console_errors: list[str]) -> None:
    """The victim, in their own browser, from the portal's start page: each step of the case is an update
    of its own in plain words, the last one the case closed with its outcome."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    victim = context.new_page()
    victim.on("console", lambda m: console_errors.append(f"victim: {m.text}") if m.type == "error" else None)
    victim.on("pageerror", lambda error: console_errors.append(f"victim page error: {error}"))
    victim.goto(f"{base}/portal/")
    expect(victim.locator("h1")).to_have_text("Report a sexual offence or follow your case")
    assert_accessible(victim)
    victim.locator("main").get_by_role("link", name="Follow your case", exact=True).click()
    expect(victim.locator("h1")).to_have_text("Follow your case")
    assert_accessible(victim)
    victim.get_by_label("Crime reference").fill(access.reference)
    victim.get_by_label("Access code").fill(access.code)
    victim.get_by_role("button", name="Sign in").click()
    expect(victim.locator("h1")).to_have_text("Choose a secret word")
    assert_accessible(victim)
    victim.get_by_label("Choose a secret word").fill("quarry-heron-57")
    victim.get_by_label("Type your secret word again").fill("quarry-heron-57")
    victim.get_by_role("button", name="Save and continue").click()
    expect(victim.locator("h1")).to_have_text("Updates about your case")
    updates = victim.get_by_test_id("update")
    # Newest first: the case closed with its outcome, then what led to it, each named plainly.
    expect(updates.first).to_contain_text(
        "Your case has been closed: the suspect has been charged or summonsed to court."
    )
    expect(victim.locator("main")).to_contain_text("The suspect has been charged. The case will now go to court.")
    expect(victim.locator("main")).to_contain_text("The suspect has been released on bail")
    expect(victim.locator("main")).to_contain_text("Someone has been arrested in connection with your case.")
    expect(victim.locator("main")).not_to_contain_text("There is a change about the person in your case")
    for private in (access.reference, "Rowan", "Teale", "Marsh"):
        assert private not in victim.title()
        assert private not in victim.url
        expect(victim.locator("main")).not_to_contain_text(private)
    assert_accessible(victim)
    context.close()


def test_the_whole_life_of_a_case(
    live_server, page: Page, browser: Browser, console_errors: list[str], force: Force
) -> None:
    from bluestone.core import clock  # noqa: PLC0415

    today = clock.today()
    base = live_server.url
    # A long walk on a shared machine: the first request loads every app's views and templates.
    page.set_default_timeout(60_000)

    reference = _supervisor_records_and_allocates(page, base, force, today)
    case_url = _investigator_finds_the_case(page, base, force, reference)
    access = _victim_given_a_code(page)
    assert access.reference == reference
    _arrest(page, today)
    _phone_action_and_its_request(page, today)
    _sign_out(page)

    _supervisor_approves_once_and_reviews(page, base, force, reference)

    _sign_in(page, base, force.investigator, force.investigator_password)
    _phone_taken_and_given_back(page, case_url)
    _bail_cps_and_charge(page, today)
    _tell_the_victim_and_propose(page, today)
    _sign_out(page)

    _supervisor_closes(page, base, force, reference)
    _victim_follows_the_case(browser, base, access, console_errors)
    assert console_errors == []
