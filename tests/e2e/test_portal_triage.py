"""Triage in a browser: from an online report in the queue to a case, with axe-core on each page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.dates import fill_date

pytestmark = [pytest.mark.browser]

FIRST_LOAD_TIMEOUT_MS = 90_000
PASSWORD = "e2e-triage-password-not-secret"


@pytest.fixture
def triage_world(django_db_serialized_rollback: None, transactional_db: None) -> dict[str, str]:
    """A triage user, a team to give the case to, and an online report overdue for its callback."""
    import datetime as dt  # noqa: PLC0415

    from bluestone.accounts.models import Role, Team, User  # noqa: PLC0415
    from bluestone.core import clock  # noqa: PLC0415
    from bluestone.portal.models import ContactChannel, OnlineReport, ReporterKind, WhenHappened  # noqa: PLC0415

    Team.objects.create(code="E2ER", name="RASSO East")
    User.objects.create_user(
        username="triage.e2e", password=PASSWORD, first_name="Tess", last_name="Riley", role=Role.TRIAGE
    )
    submitted = clock.now() - dt.timedelta(hours=13)
    OnlineReport.objects.create(
        reference="E2EREPT1",
        kind=ReporterKind.MYSELF,
        submitted_at=submitted,
        callback_due_at=submitted + dt.timedelta(hours=12),
        what_happened="Someone I know assaulted me at his house.",
        when_happened=WhenHappened.LAST_WEEK,
        first_name="Morgan",
        last_name="Quillfeather",
        contact_channel=ContactChannel.PHONE,
        phone="07700 900 321",
        safe_times="morning",
        message_allowed=True,
    )
    return {"username": "triage.e2e", "reference": "E2EREPT1"}


def test_triage_turns_an_online_report_into_a_case(
    live_server, page: Page, console_errors: list[str], triage_world: dict[str, str]
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/", timeout=FIRST_LOAD_TIMEOUT_MS)
    page.fill("#id_username", triage_world["username"])
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Triage lands on the queue, where the overdue callback stands out.
    expect(page).to_have_url(f"{live_server.url}/triage/")
    expect(page.locator("h1")).to_have_text("Online reports")
    row = page.get_by_test_id("triage-queue").locator("tr", has_text=triage_world["reference"])
    expect(row).to_contain_text("Overdue")
    assert_accessible(page)
    page.get_by_role("link", name="Callbacks due").click()
    expect(page.get_by_test_id("triage-queue")).to_contain_text(triage_world["reference"])
    assert_accessible(page)

    page.get_by_role("link", name=triage_world["reference"]).click()
    expect(page.locator("main")).to_contain_text("07700 900 321")
    assert_accessible(page)

    # Bad input first: the error summary links to the question.
    page.get_by_role("button", name="Record callback").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what happened")
    assert_accessible(page)
    page.get_by_label("Spoke to the reporter").check()
    page.get_by_role("button", name="Record callback").click()
    expect(page.locator("main")).to_contain_text("Callback made")

    page.get_by_role("link", name="Create a case").click()
    expect(page.get_by_label("Victim's first name")).to_have_value("Morgan")
    assert_accessible(page)
    page.get_by_label("Team").select_option(label="RASSO East")
    page.get_by_label("Offence", exact=True).select_option(value="19C")
    fill_date(page, "Date of the offence", dt.date(2026, 1, 2))
    page.get_by_label("Victim's gender").select_option(value="female")
    page.get_by_role("button", name="Create the case").click()

    closed = page.get_by_test_id("report-closed")
    expect(closed).to_contain_text("Case created")
    case_link = closed.get_by_role("link")
    reference = case_link.inner_text()
    assert re.fullmatch(r"BS/\d{2}/\d{7}", reference), reference

    from bluestone.cases.models import Case, HowReported  # noqa: PLC0415

    case = Case.objects.get(crime_reference=reference)
    assert case.how_reported == HowReported.ONLINE
    assert console_errors == []
