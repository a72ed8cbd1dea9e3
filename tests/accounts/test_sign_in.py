from __future__ import annotations

import pytest
from django.urls import reverse

from bluestone.accounts.models import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def title(page: str) -> str:
    """The GOV.UK page title pattern: the page, an en dash, the service."""
    return f"<title>{page} \N{EN DASH} Bluestone</title>"


SIGN_IN = "/account/sign-in/"
FAILED_MESSAGE = "The username or password is not right. Check them and try again."


def test_urls_have_their_names():
    assert reverse("accounts:sign-in") == SIGN_IN
    assert reverse("accounts:sign-out") == "/account/sign-out/"


def test_sign_in_page_has_the_form(client):
    response = client.get(SIGN_IN)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_username"' in body
    assert 'id="id_password"' in body
    assert ">Sign in</button>" in body
    assert title("Sign in") in body


def test_signing_in_lands_on_the_roles_first_page(client):
    UserFactory.create(username="amira", role=Role.INVESTIGATOR)

    response = client.post(SIGN_IN, {"username": "amira", "password": TEST_PASSWORD}, follow=True)

    assert response.redirect_chain[-1] == ("/my-work/", 302)
    assert response.wsgi_request.user.username == "amira"


def test_signing_in_returns_to_the_page_asked_for(client):
    UserFactory.create(username="owen", role=Role.SUPERVISOR)

    response = client.post(
        f"{SIGN_IN}?next=/measures/", {"username": "owen", "password": TEST_PASSWORD, "next": "/measures/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/measures/"


@pytest.mark.parametrize(
    ("username", "password"),
    [("amira", "wrong password"), ("nobody", "wrong password"), ("nobody", TEST_PASSWORD)],
)
def test_a_failed_sign_in_gives_one_message_whether_or_not_the_username_exists(client, username, password):
    UserFactory.create(username="amira")

    response = client.post(SIGN_IN, {"username": username, "password": password})

    body = response.content.decode()
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "govuk-error-summary" in body
    assert FAILED_MESSAGE in body
    assert '<a href="#id_username">' in body
    assert title("Error: Sign in") in body
    assert password not in body


def test_a_disabled_account_gets_the_same_message(client):
    UserFactory.create(username="gone", is_active=False)

    response = client.post(SIGN_IN, {"username": "gone", "password": TEST_PASSWORD})

    assert FAILED_MESSAGE in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_empty_fields_say_what_to_enter(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})

    body = response.content.decode()
    assert "Enter your username" in body
    assert "Enter your password" in body


def test_sign_out_is_post_only(client):
    user = UserFactory.create()
    client.force_login(user)

    refused = client.get("/account/sign-out/")
    still_in = client.get("/cases/mine/")
    signed_out = client.post("/account/sign-out/", follow=True)

    assert refused.status_code == 405
    assert still_in.status_code == 200
    assert signed_out.redirect_chain[-1] == (SIGN_IN, 302)
    assert "You have signed out." in signed_out.content.decode()
    after = client.get("/cases/mine/")
    assert after.status_code == 302
    assert after["Location"] == f"{SIGN_IN}?next=/cases/mine/"


def test_a_signed_in_user_visiting_sign_in_goes_to_their_page(client):
    client.force_login(UserFactory.create(role=Role.SUPERVISOR))

    response = client.get(SIGN_IN)

    assert response.status_code == 302
    assert response["Location"] == "/"
