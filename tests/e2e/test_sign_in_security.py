"""Sign-in security in a real browser: lockout, session expiry, and setting up and using a second factor.

Every test also checks that the browser reported no console error and no Content-Security-Policy
violation: the pages must work with no inline script or style.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from bluestone.accounts.middleware import SESSION_STARTED
from bluestone.core import clock

pytestmark = [pytest.mark.browser]

PASSWORD = "e2e-security-password-not-secret"
# Collects Content-Security-Policy violations the page reports, before any of its own script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@dataclass(frozen=True)
class StaffUser:
    pk: int
    username: str
    password: str


@pytest.fixture
def staff_user(django_db_serialized_rollback: None, transactional_db: None) -> StaffUser:
    """A committed user (the live server reads from another thread).

    A triage user, whose home page lists no cases: these tests are about signing in, and stay off
    pages that read case data (and so write to the access log).
    """
    from bluestone.accounts.models import Role, Team, User  # noqa: PLC0415

    team = Team.objects.create(code="E2ES", name="Control room")
    user = User.objects.create_user(
        username="ds.okafor", password=PASSWORD, first_name="Chidi", last_name="Okafor", role=Role.TRIAGE, team=team
    )
    return StaffUser(pk=user.pk, username=user.username, password=PASSWORD)


@pytest.fixture
def watched_page(page: Page, console_errors: list[str]) -> Iterator[Page]:
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    yield page
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], violations
    assert console_errors == []


def submit_sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    live_server, watched_page: Page, console_errors: list[str], staff_user: StaffUser, settings
) -> None:
    settings.AXES_ENABLED = True
    page = watched_page

    for attempt in range(1, 5):
        submit_sign_in(page, live_server.url, staff_user.username, f"wrong password {attempt}")
        expect(page.locator(".govuk-error-summary")).to_contain_text("The username or password is not right")

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/account/sign-in/")) as fifth:
        submit_sign_in(page, live_server.url, staff_user.username, "wrong password 5")
    assert fifth.value.status == 429
    expect(page.locator("h1")).to_have_text("Your account is locked")
    expect(page.get_by_text("You can try again in 30 minutes.")).to_be_visible()
    expect(page.get_by_text("service desk").first).to_be_visible()

    submit_sign_in(page, live_server.url, staff_user.username, staff_user.password)
    expect(page.locator("h1")).to_have_text("Your account is locked")
    page.goto(f"{live_server.url}/account/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/\?next="))

    # The lockout page answers 429 Too Many Requests, which Chromium logs as a failed load; that
    # one is expected, anything else is not.
    expected = re.compile(r"^console: Failed to load resource: .* 429 .*/account/sign-in/\)$")
    console_errors[:] = [error for error in console_errors if not expected.match(error)]


def test_an_idle_session_ends_and_the_user_lands_on_sign_in(
    live_server, watched_page: Page, staff_user: StaffUser
) -> None:
    page = watched_page
    submit_sign_in(page, live_server.url, staff_user.username, staff_user.password)
    expect(page.locator("h1")).to_have_text("Online reports")
    page.goto(f"{live_server.url}/account/")
    expect(page.locator("h1")).to_have_text("Your account")

    # Idle for longer than SESSION_COOKIE_AGE: the expiry the last request set has passed.
    Session.objects.update(expire_date=clock.now() - dt.timedelta(seconds=1))
    page.goto(f"{live_server.url}/account/")

    expect(page).to_have_url(f"{live_server.url}/account/sign-in/?next=/account/")
    expect(page.locator("h1")).to_have_text("Sign in to Bluestone")
    expect(page.get_by_text("You are signed out after 30 minutes without using Bluestone")).to_be_visible()


def test_a_session_past_the_absolute_limit_ends_with_a_message(
    live_server, watched_page: Page, staff_user: StaffUser, settings, time_machine
) -> None:
    """Used every 25 minutes (never idle for Django's session expiry), ended at the absolute limit by
    the app: every clock, the app's and Django's, moves together (in the live server's thread too)."""
    settings.SESSION_ABSOLUTE_LIMIT_SECONDS = 2 * 60 * 60  # two hours: fewer steps than ten, same rule
    time_machine.move_to(clock.now(), tick=False)
    page = watched_page
    submit_sign_in(page, live_server.url, staff_user.username, staff_user.password)
    expect(page.locator("h1")).to_have_text("Online reports")
    session = Session.objects.get().get_decoded()
    started = dt.datetime.fromtimestamp(session[SESSION_STARTED], tz=dt.UTC)
    limit = dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIMIT_SECONDS)

    for _ in range(4):  # 100 minutes of use, a page every 25
        time_machine.shift(dt.timedelta(minutes=25))
        page.goto(f"{live_server.url}/account/")
        expect(page.locator("h1")).to_have_text("Your account")
    time_machine.move_to(started + limit + dt.timedelta(seconds=1), tick=False)
    page.goto(f"{live_server.url}/account/")

    expect(page).to_have_url(f"{live_server.url}/account/sign-in/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have been signed out because you were signed in for 2 hours. Sign in again to carry on."
    )


def current_code(secret: bytes, *, steps_ahead: int = 0) -> str:
    return f"{totp(secret, drift=steps_ahead):06d}"


def test_set_up_an_authenticator_app_then_sign_in_with_password_and_code(
    live_server, watched_page: Page, staff_user: StaffUser
) -> None:
    page = watched_page
    submit_sign_in(page, live_server.url, staff_user.username, staff_user.password)
    expect(page.locator("h1")).to_have_text("Online reports")

    page.get_by_role("link", name="Your account").click()
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("Off")
    page.get_by_role("link", name="Set up an authenticator app").click()

    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    qr_code = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("element => element.tagName.toLowerCase()") == "svg"
    assert qr_code.bounding_box()["width"] > 100  # type: ignore[index]
    page.get_by_text("I cannot scan the code").click()
    typed = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    secret = b32decode(typed + "=" * (-len(typed) % 8))

    page.fill("#id_code", "000000" if current_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Confirm and finish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The security code is not right")
    assert not TOTPDevice.objects.filter(user_id=staff_user.pk, confirmed=True).exists()

    page.wait_for_timeout(1100)  # django-otp makes the next code wait a second after a wrong one
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="Confirm and finish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your authenticator app is set up.")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("On")
    assert TOTPDevice.objects.get(user_id=staff_user.pk).confirmed

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    submit_sign_in(page, live_server.url, staff_user.username, staff_user.password)
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))
    expect(page.locator("h1")).to_have_text("Enter your security code")
    page.goto(f"{live_server.url}/account/")  # no other page until the code is right
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2Faccount%2F$"))

    # The set-up code was used once; an app shows the next one within 30 seconds, and the next
    # time step is accepted (one step either side of now, for a phone clock that is out).
    page.fill("#id_code", current_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/account/")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("On")
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("Chidi Okafor")
