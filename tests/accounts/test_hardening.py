"""Security headers on every response, CSRF refusal, and an error page with no personal data."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import ACCOUNT, REMOVE, SET_UP, SIGN_IN, TWO_FACTOR, sign_in
from tests.accounts.error_urls import PERSONAL_DETAIL
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def assert_hardened(response, *, document: bool = True) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("script-src") == ["'self'"], policy
    assert directives.get("style-src") == ["'self'"], policy
    assert directives.get("frame-ancestors") == ["'none'"], policy
    assert directives.get("object-src") == ["'none'"], policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    if document:
        assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("url", [SIGN_IN, "/", "/cases/mine/", "/no-such-page/"])
def test_signed_out_responses_carry_the_security_headers(client, url):
    assert_hardened(client.get(url))


def test_static_files_carry_the_security_headers(client):
    """WhiteNoise answers before the X-Frame-Options middleware: a script is never framed as a page,
    and the policy's frame-ancestors 'none' covers it anyway."""
    response = client.get("/static/bluestone/init.js")

    assert response.status_code == 200
    assert_hardened(response, document=False)


@pytest.mark.parametrize(
    "url", ["/cases/mine/", "/cases/team/", "/measures/", ACCOUNT, SET_UP, "/no-such-page/", "/cases/not-a-case/"]
)
def test_signed_in_responses_carry_the_security_headers(client, url):
    client.force_login(UserFactory.create())

    assert_hardened(client.get(url))


def test_the_code_step_failed_sign_in_and_lockout_carry_the_security_headers(client, settings):
    user = UserFactory.create()
    TOTPDevice.objects.create(user=user, confirmed=True)
    assert_hardened(sign_in(client, user.username, "not the password"))
    assert_hardened(sign_in(client, user.username))
    assert_hardened(client.get(TWO_FACTOR))
    assert_hardened(client.post(TWO_FACTOR, {"code": "000000"}))
    settings.AXES_ENABLED = True
    lockouts = [sign_in(Client(), "someone", "wrong") for _ in range(5)]
    assert lockouts[-1].status_code == 429
    assert_hardened(lockouts[-1])


def test_no_page_has_inline_script_or_style(client):
    client.force_login(UserFactory.create())
    for url in (ACCOUNT, SET_UP, "/cases/mine/"):
        body = client.get(url).content.decode()
        assert "<script>" not in body
        assert "<style" not in body
        assert " style=" not in body
        assert " onclick=" not in body


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (SIGN_IN, {"username": "amira", "password": TEST_PASSWORD}),
        ("/account/sign-out/", {}),
        ("/account/sign-out-everywhere/", {}),
        (REMOVE, {"code": "123456"}),
        (SET_UP, {"code": "123456"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(url, data):
    user = UserFactory.create(username="amira")
    client = Client(enforce_csrf_checks=True)
    if url != SIGN_IN:
        client.force_login(user)

    response = client.post(url, data)

    assert response.status_code == 403
    body = response.content.decode()
    assert "Sorry, the form could not be sent" in body
    assert_hardened(response)
    user.refresh_from_db()
    assert user.session_generation == 0
    if url == SIGN_IN:
        assert "_auth_user_id" not in client.session
    else:
        assert client.get(ACCOUNT).status_code == 200  # still signed in


def test_a_post_with_the_csrf_token_is_accepted():
    UserFactory.create(username="amira")
    client = Client(enforce_csrf_checks=True)
    client.get(SIGN_IN)
    token = client.cookies["csrftoken"].value

    response = client.post(SIGN_IN, {"username": "amira", "password": TEST_PASSWORD, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"]


@override_settings(ROOT_URLCONF="tests.accounts.error_urls", DEBUG=False)
def test_the_error_page_shows_no_personal_data():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create(first_name="Nadia", last_name="Ahmed"))

    response = client.get("/fails/")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "Rowan" not in body
    assert "Teale" not in body
    assert PERSONAL_DETAIL not in body
    assert "Traceback" not in body
    assert "Nadia" not in body  # not even the signed-in user's name
    assert_hardened(response)
