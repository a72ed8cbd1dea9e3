"""An investigator opens a case; an auditor then finds that view in the access log and checks the chain."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import InvestigatorWithCase

pytestmark = [pytest.mark.browser]

AUDITOR_PASSWORD = "e2e-auditor-password-not-secret"
# Collects Content-Security-Policy violations the page reports, before any of its own script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def auditor_username(investigator_with_case: InvestigatorWithCase) -> str:
    """A committed auditor (after the investigator's data, in the same transactional database)."""
    from bluestone.accounts.models import Role, User  # noqa: PLC0415

    user = User.objects.create_user(
        username="ia.morgan", password=AUDITOR_PASSWORD, first_name="Iris", last_name="Morgan", role=Role.AUDITOR
    )
    return user.username


def sign_in(page: Page, base_url: str, username: str, password: str, *, succeeds: bool = True) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    if succeeds:
        expect(page).not_to_have_url(re.compile(r"/account/sign-in/(\?|$)"))  # signed in: wait for the next page


def test_an_auditor_finds_an_investigators_view_of_a_case(
    live_server,
    page: Page,
    console_errors: list[str],
    investigator_with_case: InvestigatorWithCase,
    auditor_username: str,
) -> None:
    seed = investigator_with_case
    page.add_init_script(RECORD_CSP_VIOLATIONS)

    # The investigator opens their case, then signs out.
    sign_in(page, live_server.url, seed.username, seed.password)
    expect(page).to_have_url(re.compile(r"/my-work/"))
    page.goto(f"{live_server.url}/cases/{seed.case_id}/")
    expect(page.locator("h1, .moj-identity-bar").filter(has_text=seed.crime_reference).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))

    # The auditor signs in and goes to the access log from the navigation.
    sign_in(page, live_server.url, auditor_username, AUDITOR_PASSWORD)
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Access log")).to_be_visible()
    expect(navigation.get_by_role("link", name="Verify log")).to_be_visible()
    navigation.get_by_role("link", name="Access log").click()
    expect(page.locator("h1")).to_have_text("Access log")

    # A search with a mistake is explained, not refused.
    page.fill("#id_case", seed.crime_reference)
    date_from = page.get_by_role("group", name="Date from")
    date_from.get_by_label("Day").fill("31")
    date_from.get_by_label("Month").fill("2")
    date_from.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date from must be a real date")

    for part in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Date from").get_by_label(part).fill("")
    page.select_option("#id_action", "consultation")
    page.get_by_role("button", name="Search", exact=True).click()

    table = page.get_by_test_id("access-log")
    expect(table).to_be_visible()
    # The one page view: an entry for the case, and one for each person shown on it.
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    for row in rows.all():
        expect(row).to_contain_text(seed.username)
        expect(row).to_contain_text("Investigator")
        expect(row).to_contain_text("Consultation (viewed a record)")
        expect(row).to_contain_text(f"Case {seed.crime_reference}")
        expect(row).to_contain_text("127.0.0.1")
    # Who the case is about is not on the auditor's screen.
    expect(page.locator("main")).not_to_contain_text(seed.victim_name)

    # The chain checks out, and the auditor's own search is part of it.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Verify log").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("The log is intact")
    expect(page.get_by_test_id("last-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))

    from bluestone.audit.models import AuditAction, AuditEvent  # noqa: PLC0415

    searches = AuditEvent.objects.filter(
        actor_username=auditor_username, action=AuditAction.LIST, object_type="audit.AuditEvent"
    )
    assert [entry.details["search"]["by"] for entry in searches] == ["case"]
    assert AuditEvent.objects.filter(actor_username=seed.username, action=AuditAction.SIGN_OUT).count() == 1

    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], violations
    assert console_errors == []


def test_an_auditor_sees_a_failed_sign_in_on_sign_ins_and_lockouts(
    live_server, page: Page, console_errors: list[str], auditor_username: str
) -> None:
    # A failed sign-in, from the sign-in page itself.
    sign_in(page, live_server.url, "no.such.user", "wrong-password-for-the-test", succeeds=False)
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    sign_in(page, live_server.url, auditor_username, AUDITOR_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign-ins and lockouts").click()
    expect(page.locator("h1")).to_have_text("Sign-ins and lockouts")
    expect(page.get_by_test_id("sign-ins")).to_contain_text("Username tried: no.such.user")
    assert_accessible(page)

    date_from = page.get_by_role("group", name="Date from")
    date_from.get_by_label("Day").fill("31")
    date_from.get_by_label("Month").fill("2")
    date_from.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date from must be a real date")
    assert_accessible(page)

    page.select_option("#id_action", "lockout")
    for box in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Date from").get_by_label(box).fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="No entries")).to_be_visible()
    assert console_errors == []
