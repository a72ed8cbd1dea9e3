"""Lockout after repeated wrong passwords, per username, for the cool-off time (django-axes)."""

from __future__ import annotations

import datetime as dt

import pytest

from bluestone.accounts.models import Role
from bluestone.accounts.templatetags.account_time import in_words
from bluestone.core import clock
from tests.accounts.conftest import LOCKED_HEADING, sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

WRONG = "not the password"


def fail_times(client, username: str, times: int):
    response = None
    for _ in range(times):
        response = sign_in(client, username, WRONG)
    return response


def test_the_fifth_wrong_password_locks_the_account(client, settings):
    UserFactory.create(username="amira")

    fourth = fail_times(client, "amira", 4)
    fifth = sign_in(client, "amira", WRONG)

    assert fourth.status_code == 200
    assert LOCKED_HEADING not in fourth.content.decode()
    assert settings.AXES_FAILURE_LIMIT == 5
    body = fifth.content.decode()
    assert fifth.status_code == 429
    assert f"<title>{LOCKED_HEADING} \N{EN DASH} Bluestone</title>" in body
    assert "You can try again in 30 minutes." in body
    assert "service desk" in body
    assert "amira" not in body


def test_a_locked_account_is_refused_with_the_right_password(client):
    UserFactory.create(username="amira")
    fail_times(client, "amira", 5)

    response = sign_in(client, "amira", TEST_PASSWORD)

    assert response.status_code == 429
    assert LOCKED_HEADING in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off(client, time_machine):
    """Every clock moves together (the app's, Django's, django-axes'): the lock holds for 30 minutes."""
    time_machine.move_to(clock.now(), tick=False)
    UserFactory.create(username="amira", role=Role.INVESTIGATOR)
    fail_times(client, "amira", 5)

    # (A sign-in tried while locked counts as a failure and starts the 30 minutes again.)
    time_machine.shift(dt.timedelta(minutes=31))
    response = sign_in(client, "amira", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"]
    landed = client.get("/", follow=True)
    assert landed.redirect_chain[-1] == ("/my-work/", 302)
    assert "<h1" in landed.content.decode()
    assert "My work" in landed.content.decode()


def test_an_unknown_username_is_locked_out_the_same_way(client):
    """The page cannot be used to find out whether a username exists."""
    UserFactory.create(username="amira")
    real = fail_times(client, "amira", 5)
    made_up = fail_times(client, "nobody-by-this-name", 5)

    assert real.status_code == made_up.status_code == 429
    assert real.content.decode() == made_up.content.decode()


def test_locking_one_username_leaves_others_at_the_same_address_alone(client):
    """Lockout is by username, not by address: a police station shares one address."""
    UserFactory.create(username="amira")
    UserFactory.create(username="ben")
    fail_times(client, "amira", 5)

    response = sign_in(client, "ben", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_successful_sign_in_resets_the_count(client):
    UserFactory.create(username="amira")
    fail_times(client, "amira", 4)
    signed_in = sign_in(client, "amira", TEST_PASSWORD)
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    client.post("/account/sign-out/")

    after = fail_times(client, "amira", 4)

    assert after.status_code == 200
    assert LOCKED_HEADING not in after.content.decode()
    again = sign_in(client, "amira", TEST_PASSWORD)
    assert (again.status_code, again["Location"]) == (302, "/")


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (dt.timedelta(minutes=30), "30 minutes"),
        (dt.timedelta(hours=1), "1 hour"),
        (dt.timedelta(hours=1, minutes=30), "1 hour 30 minutes"),
        (10 * 60 * 60, "10 hours"),
        (61, "2 minutes"),  # rounded up: a wait is never said to be shorter than it is
        (1, "1 minute"),
    ],
)
def test_durations_in_words(duration, words):
    assert in_words(duration) == words
