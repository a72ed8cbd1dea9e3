"""Session limits: idle expiry, the absolute limit, and signing out of all sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from bluestone.accounts.middleware import SESSION_STARTED
from bluestone.core import clock
from tests.accounts.conftest import ACCOUNT, SIGN_IN, sign_in
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERYWHERE = "/account/sign-out-everywhere/"


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


# The account page


def test_the_account_page_shows_who_the_user_is(client):
    user = UserFactory.create(
        first_name="Nadia", last_name="Ahmed", role="supervisor", team=TeamFactory.create(name="RASSO West")
    )
    client.force_login(user)

    body = client.get(ACCOUNT).content.decode()

    for text in ("Your account", "Nadia Ahmed", "Supervisor", "RASSO West", "Off: you sign in with your password only"):
        assert text in body
    assert f'<form method="post" action="{EVERYWHERE}">' in body
    assert f'href="{ACCOUNT}">Your account</a>' in body  # the header link


def test_the_account_page_needs_sign_in(client):
    response = client.get(ACCOUNT)

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


# Sign out of all sessions


def test_signing_out_everywhere_ends_this_session_and_the_others():
    user = UserFactory.create()
    here = signed_in_client(user)
    elsewhere = signed_in_client(user)
    assert elsewhere.get("/cases/mine/").status_code == 200

    response = here.post(EVERYWHERE, follow=True)

    assert response.redirect_chain[-1] == (SIGN_IN, 302)
    assert "You have signed out of Bluestone everywhere" in response.content.decode()
    ended = elsewhere.get("/cases/mine/", follow=True)
    assert ended.redirect_chain[0] == (SIGN_IN, 302)
    assert "because you chose to sign out of all sessions" in ended.content.decode()
    assert elsewhere.get("/cases/mine/")["Location"].startswith(SIGN_IN)


def test_signing_out_everywhere_leaves_other_users_signed_in():
    user = UserFactory.create()
    other = signed_in_client(UserFactory.create())

    signed_in_client(user).post(EVERYWHERE)

    assert other.get("/cases/mine/").status_code == 200


def test_a_new_sign_in_after_signing_out_everywhere_works(client):
    user = UserFactory.create()
    client.force_login(user)
    client.post(EVERYWHERE)

    sign_in(client, user.username)

    assert client.get("/cases/mine/").status_code == 200


def test_signing_out_everywhere_is_post_only(client):
    user = UserFactory.create()
    client.force_login(user)

    response = client.get(EVERYWHERE)

    assert response.status_code == 405
    user.refresh_from_db()
    assert user.session_generation == 0


# Inactivity


def test_each_request_moves_the_idle_expiry_forward(client, settings):
    client.force_login(UserFactory.create())
    client.get("/cases/mine/")
    first = session_row(client).expire_date
    Session.objects.filter(pk=client.session.session_key).update(expire_date=first - dt.timedelta(minutes=20))

    client.get("/cases/mine/")

    expiry = session_row(client).expire_date
    assert expiry >= first
    assert abs((expiry - clock.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60


def test_a_session_idle_for_longer_than_the_limit_is_gone(client, settings, time_machine):
    """Django's clock (which expires the session) and the app's move together."""
    time_machine.move_to(clock.now(), tick=False)
    client.force_login(UserFactory.create())
    idle_limit = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    time_machine.shift(idle_limit - dt.timedelta(minutes=1))
    still_in = client.get("/cases/mine/")  # and the expiry slides on from here
    time_machine.shift(idle_limit - dt.timedelta(minutes=1))
    still_in_again = client.get("/cases/mine/")
    time_machine.shift(idle_limit + dt.timedelta(seconds=1))

    response = client.get("/cases/mine/", follow=True)

    assert (still_in.status_code, still_in_again.status_code) == (200, 200)
    assert response.redirect_chain[0] == ("/account/sign-in/?next=/cases/mine/", 302)
    assert not response.wsgi_request.user.is_authenticated
    assert "You are signed out after 30 minutes without using Bluestone" in response.content.decode()


def test_the_idle_limit_is_thirty_minutes_and_slides(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


# The absolute limit


def test_a_session_is_ended_after_the_absolute_limit_even_while_active(client, settings, time_machine):
    """Used every 25 minutes, so never idle for Django; ended at 10 hours by the app. Every clock
    (the app's, Django's sessions') moves together."""
    time_machine.move_to(clock.now(), tick=False)
    client.force_login(UserFactory.create())
    started = dt.datetime.fromtimestamp(client.session[SESSION_STARTED], tz=dt.UTC)
    limit = dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIMIT_SECONDS)
    hop = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - dt.timedelta(minutes=5)

    statuses = []
    while clock.now() + hop < started + limit - dt.timedelta(minutes=1):
        time_machine.shift(hop)
        statuses.append(client.get("/cases/mine/").status_code)
    time_machine.move_to(started + limit - dt.timedelta(minutes=1), tick=False)
    still_in = client.get("/cases/mine/")
    time_machine.move_to(started + limit + dt.timedelta(seconds=1), tick=False)
    ended = client.get("/cases/mine/", follow=True)

    assert len(statuses) >= 20
    assert set(statuses) == {200}
    assert still_in.status_code == 200
    assert ended.redirect_chain[0] == (SIGN_IN, 302)
    assert not ended.wsgi_request.user.is_authenticated
    body = ended.content.decode()
    assert "You have been signed out because you were signed in for 10 hours. Sign in again to carry on." in body
    assert "govuk-notification-banner" in body
    again = client.get("/cases/mine/")
    assert again.status_code == 302
    assert again["Location"].startswith(SIGN_IN)


def test_signing_out_everywhere_ends_every_session_of_the_user(user_with_device, time_machine):
    """Three browsers: two signed in with the password and a code, one half-way (password only, waiting
    for its code). After "sign out everywhere" in the first, none of them gets in, and the half-way one
    cannot finish with a right code."""
    from tests.accounts.conftest import TWO_FACTOR, code_for  # noqa: PLC0415

    time_machine.move_to(clock.now(), tick=False)
    user, device = user_with_device
    here, there, half_way = Client(), Client(), Client()
    for browser, step in ((here, 0), (there, 1)):
        sign_in(browser, user.username)
        assert browser.post(TWO_FACTOR, {"code": code_for(device, steps_ahead=step)}).status_code == 302
        assert browser.get("/cases/mine/").status_code == 200
    sign_in(half_way, user.username)

    here.post(EVERYWHERE)

    for browser in (here, there, half_way):
        assert browser.get("/cases/mine/")["Location"].startswith(SIGN_IN)
    time_machine.shift(dt.timedelta(seconds=90))  # a fresh code, not yet used
    finishing = half_way.post(TWO_FACTOR, {"code": code_for(device, steps_ahead=1)})
    assert finishing["Location"].startswith(SIGN_IN)
    assert half_way.get("/cases/mine/")["Location"].startswith(SIGN_IN)
