"""Helpers for sign-in tests: authenticator-app devices and their codes, the lockout switch."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

SIGN_IN = "/account/sign-in/"
TWO_FACTOR = "/account/two-factor/"
SET_UP = "/account/two-factor/set-up/"
REMOVE = "/account/two-factor/remove/"
ACCOUNT = "/account/"
LOCKED_HEADING = "Your account is locked"


def code_for(device: TOTPDevice, *, steps_ahead: int = 1) -> str:
    """A code the device accepts now and has not yet accepted.

    A code is accepted once only, so a test that needs two codes within 30 seconds takes the next
    time step's (accepted too: the device allows one step either side of now, for clock drift).
    """
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead)
    return f"{code:06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code that no nearby time step of the device would produce."""
    device.refresh_from_db()
    near = {
        totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + d)
        for d in range(-3, 4)
    }
    return next(f"{n:06d}" for n in range(123456, 1_000_000) if n not in near)


@pytest.fixture
def axes_on(settings) -> None:
    """Lockout on: settings/test.py switches django-axes off so that the test client can sign in."""
    settings.AXES_ENABLED = True


@pytest.fixture
def user_with_device() -> tuple[User, TOTPDevice]:
    user = UserFactory.create(username="dc.patel", first_name="Priya", last_name="Patel")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, **extra: str):
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})
