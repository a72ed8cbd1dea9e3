"""The second factor: setting up an authenticator app, the code at sign-in, removing the app."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction, AuditEvent
from tests.accounts.conftest import (
    ACCOUNT,
    LOCKED_HEADING,
    REMOVE,
    SET_UP,
    TWO_FACTOR,
    code_for,
    sign_in,
    wrong_code_for,
)
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG_MESSAGE = "The security code is not right. Enter the code your authenticator app shows now."


def page_secret(body: str) -> bytes:
    match = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7 ]+)</code>', body)
    assert match, "no secret on the set-up page"
    secret = match.group(1).replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


# Setting up


def test_set_up_shows_an_inline_svg_qr_code_and_the_secret(client):
    user = UserFactory.create()
    client.force_login(user)

    response = client.get(SET_UP)

    body = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert response.status_code == 200
    assert not device.confirmed
    assert re.search(r'<svg role="img" aria-label="QR code to scan with your authenticator app"[^>]*>\s*<rect', body)
    assert "<path" in body
    assert "data:" not in body
    assert "<img" not in body
    assert page_secret(body) == device.bin_key
    assert "no-store" in response["Cache-Control"]


def test_reloading_set_up_keeps_the_same_secret(client):
    client.force_login(UserFactory.create())

    first = page_secret(client.get(SET_UP).content.decode())
    second = page_secret(client.get(SET_UP).content.decode())

    assert first == second
    assert TOTPDevice.objects.count() == 1


def test_a_wrong_code_at_set_up_leaves_the_device_unconfirmed(client):
    user = UserFactory.create()
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(SET_UP, {"code": wrong_code_for(device)})

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert WRONG_MESSAGE in body
    assert '<a href="#id_code">' in body
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the security code from your authenticator app"),
        ("12345", "as 6 numbers"),
        ("abcdef", "as 6 numbers"),
    ],
)
def test_a_code_that_is_not_six_digits_says_what_to_enter(client, code, message):
    client.force_login(UserFactory.create())
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": code})

    assert message in response.content.decode()


def test_the_right_code_confirms_the_device_and_verifies_the_session(client):
    user = UserFactory.create()
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(SET_UP, {"code": code_for(device, steps_ahead=0)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    assert response.redirect_chain[-1] == (ACCOUNT, 302)
    body = response.content.decode()
    assert "Your authenticator app is set up." in body
    assert "On: you sign in with your password and a code" in body
    assert client.get("/cases/mine/").status_code == 200


def test_a_code_typed_with_spaces_is_accepted(client):
    user = UserFactory.create()
    client.force_login(user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)
    code = code_for(device, steps_ahead=0)

    client.post(SET_UP, {"code": f" {code[:3]} {code[3:]} "})

    device.refresh_from_db()
    assert device.confirmed


# The second step of sign-in


def test_after_the_password_a_user_with_a_device_is_asked_for_a_code(client, user_with_device):
    user, _ = user_with_device

    response = sign_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR)
    assert "Enter your security code" in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()


@pytest.mark.parametrize("url", ["/", "/cases/mine/", ACCOUNT, SET_UP, REMOVE, "/measures/"])
def test_no_other_page_works_until_the_code_is_right(client, user_with_device, url):
    user, _ = user_with_device
    sign_in(client, user.username)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_sign_out_and_static_files_work_before_the_code(client, user_with_device):
    user, _ = user_with_device
    sign_in(client, user.username)

    static = client.get("/static/bluestone/init.js")
    signed_out = client.post("/account/sign-out/")

    assert static.status_code == 200
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_right_code_lets_the_user_in_and_back_to_the_page_asked_for(client, user_with_device):
    user, device = user_with_device
    sign_in(client, user.username)
    held = client.get("/cases/team/")
    assert held["Location"] == f"{TWO_FACTOR}?next=%2Fcases%2Fteam%2F"
    key_before = client.session.session_key

    response = client.post(held["Location"], {"code": code_for(device), "next": "/cases/team/"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/team/"
    assert client.session.session_key != key_before
    assert client.get("/cases/team/").status_code == 200
    assert client.get(ACCOUNT).status_code == 200
    completed = AuditEvent.objects.filter(actor=user, action=AuditAction.SIGN_IN, details__step="security code")
    assert completed.count() == 1


def test_next_cannot_send_the_user_to_another_site(client, user_with_device):
    user, device = user_with_device
    sign_in(client, user.username)

    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_a_wrong_code_gives_a_govuk_error_and_no_access(client, user_with_device):
    user, device = user_with_device
    sign_in(client, user.username)

    response = client.post(TWO_FACTOR, {"code": wrong_code_for(device)})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter your security code \N{EN DASH} Bluestone</title>" in body
    assert WRONG_MESSAGE in body
    assert client.get("/cases/mine/").status_code == 302


def test_a_code_straight_after_a_wrong_one_is_asked_to_wait(client, user_with_device):
    """django-otp makes each wrong code wait longer (1, 2, 4... seconds) before the next is checked."""
    user, device = user_with_device
    sign_in(client, user.username)
    client.post(TWO_FACTOR, {"code": wrong_code_for(device)})

    response = client.post(TWO_FACTOR, {"code": code_for(device)})

    assert "Wait a few seconds" in response.content.decode()
    assert client.get("/cases/mine/").status_code == 302


def test_a_code_is_accepted_once_only(client, user_with_device):
    user, device = user_with_device
    code = code_for(device)
    sign_in(client, user.username)
    client.post(TWO_FACTOR, {"code": code})
    client.post("/account/sign-out/")
    sign_in(client, user.username)

    response = client.post(TWO_FACTOR, {"code": code})

    assert WRONG_MESSAGE in response.content.decode()


@pytest.mark.usefixtures("axes_on")
def test_wrong_codes_count_towards_lockout(client, settings, user_with_device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # check every code at once, rather than waiting between them
    user, device = user_with_device
    sign_in(client, user.username)
    responses = [client.post(TWO_FACTOR, {"code": wrong_code_for(device)}) for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED_HEADING in responses[-1].content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    again = sign_in(client, user.username, TEST_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("axes_on")
def test_the_right_password_does_not_clear_wrong_codes(client, settings, user_with_device):
    """Passwords and codes share one count, cleared only when the whole sign-in succeeds."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device = user_with_device
    for _ in range(3):
        sign_in(client, user.username, "not the password")
    sign_in(client, user.username)
    client.post(TWO_FACTOR, {"code": wrong_code_for(device)})

    last = client.post(TWO_FACTOR, {"code": wrong_code_for(device)})

    assert last.status_code == 429


@pytest.mark.usefixtures("axes_on")
def test_the_right_code_clears_the_count(client, settings, user_with_device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device = user_with_device
    for _ in range(3):
        sign_in(client, user.username, "not the password")
    sign_in(client, user.username)
    client.post(TWO_FACTOR, {"code": wrong_code_for(device)})

    client.post(TWO_FACTOR, {"code": code_for(device)})

    assert not AccessAttempt.objects.filter(username=user.username).exists()


@pytest.mark.usefixtures("axes_on")
def test_a_lock_set_elsewhere_stops_the_code_step(client, user_with_device):
    user, device = user_with_device
    sign_in(client, user.username)
    elsewhere = type(client)()
    for _ in range(5):
        sign_in(elsewhere, user.username, "not the password")

    response = client.post(TWO_FACTOR, {"code": code_for(device)})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# Required for staff (production)


def test_when_required_a_user_without_a_device_is_sent_to_set_up(client, settings):
    settings.BLUESTONE_REQUIRE_TOTP = True
    user = UserFactory.create()
    sign_in(client, user.username)

    held = client.get("/cases/mine/")
    set_up = client.get(SET_UP)

    assert held.status_code == 302
    assert held["Location"] == f"{SET_UP}?next=%2Fcases%2Fmine%2F"
    assert client.get(ACCOUNT)["Location"].startswith(SET_UP)
    assert set_up.status_code == 200
    assert "You need an authenticator app" in set_up.content.decode()
    device = TOTPDevice.objects.get(user=user)

    done = client.post(SET_UP, {"code": code_for(device, steps_ahead=0), "next": "/cases/mine/"})

    assert done["Location"] == "/cases/mine/"
    assert client.get("/cases/mine/").status_code == 200


def test_when_not_required_a_user_without_a_device_signs_in_with_the_password(client, settings):
    settings.BLUESTONE_REQUIRE_TOTP = False
    user = UserFactory.create()
    sign_in(client, user.username)

    assert client.get("/cases/mine/").status_code == 200


def test_a_password_alone_cannot_set_up_a_second_device(client, user_with_device):
    user, _ = user_with_device
    sign_in(client, user.username)

    response = client.get(SET_UP)

    assert response["Location"].startswith(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=user).count() == 1


# Removing


def signed_in_with_code(client, user: User, device: TOTPDevice) -> None:
    sign_in(client, user.username)
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 302


def test_removing_needs_a_right_code(client, settings, user_with_device):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device = user_with_device
    signed_in_with_code(client, user, device)

    refused = client.post(REMOVE, {"code": wrong_code_for(device)})
    empty = client.post(REMOVE, {"code": ""})

    assert WRONG_MESSAGE in refused.content.decode()
    assert "Enter the security code" in empty.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()


def test_removing_with_a_right_code_removes_the_device(client, user_with_device):
    user, device = user_with_device
    signed_in_with_code(client, user, device)
    assert "Remove your authenticator app" in client.get(REMOVE).content.decode()

    response = client.post(REMOVE, {"code": code_for(device)}, follow=True)

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert response.redirect_chain[-1] == (ACCOUNT, 302)
    assert "Off: you sign in with your password only" in response.content.decode()
    client.post("/account/sign-out/")
    assert sign_in(client, user.username)["Location"] == "/"


def test_removing_is_a_post_with_a_code_not_a_link(client, user_with_device):
    user, device = user_with_device
    signed_in_with_code(client, user, device)

    client.get(REMOVE, {"code": code_for(device)})

    assert TOTPDevice.objects.filter(user=user).exists()


def test_a_code_cannot_be_replayed_within_its_window_from_another_browser(client, user_with_device):
    """Replay (security review, finding 10): the code just used, seen over a shoulder or on a phishing page,
    is typed again at once in another browser, well within the 30 seconds either side it would be valid."""
    from django.test import Client  # noqa: PLC0415

    user, device = user_with_device
    code = code_for(device, steps_ahead=0)
    sign_in(client, user.username)
    assert client.post(TWO_FACTOR, {"code": code}).status_code == 302
    device.refresh_from_db()
    used_step = device.last_t

    thief = Client()
    sign_in(thief, user.username)
    response = thief.post(TWO_FACTOR, {"code": code})

    assert WRONG_MESSAGE in response.content.decode()
    assert thief.get("/cases/mine/").status_code == 302
    device.refresh_from_db()
    assert device.last_t == used_step  # the last time step used is remembered on the user's device


def test_an_earlier_code_of_the_window_is_refused_once_a_later_one_was_used(client, user_with_device):
    user, device = user_with_device
    later, earlier = code_for(device, steps_ahead=1), code_for(device, steps_ahead=0)
    sign_in(client, user.username)
    assert client.post(TWO_FACTOR, {"code": later}).status_code == 302
    client.post("/account/sign-out/")
    sign_in(client, user.username)

    response = client.post(TWO_FACTOR, {"code": earlier})  # still inside the drift window, but older

    assert WRONG_MESSAGE in response.content.decode()
