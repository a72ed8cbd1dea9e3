"""Writes for users, their sessions and their second factor."""

from __future__ import annotations

import logging

import django_otp
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from bluestone.accounts.events import SecurityCodeVerified
from bluestone.accounts.lockout import sign_in_attempts_reset
from bluestone.accounts.models import Role, User
from bluestone.accounts.otp import DEVICE_NAME, CodeCheck, totp_code_check, totp_device_unconfirmed
from bluestone.core.events import publish

logger = logging.getLogger(__name__)


def active_administrators_lock() -> list[int]:
    """Lock every active administrator's row, in key order (so two changes never deadlock), and
    return their keys as they stand once the lock is held. Whatever may take the last one out of
    the administrators (an administrator's change, a role given by single sign-on) counts them so,
    inside its transaction: of two changes at once, the second waits and counts what the first left."""
    return list(
        User.objects.select_for_update()
        .filter(role=Role.ADMINISTRATOR, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """End every session the user has, on every device, including the current one."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    logger.info("User %s signed out of all sessions.", user.pk)


def user_two_factor_set_up_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device the set-up page shows; made with a new random secret the first time.

    The same device is shown until it is confirmed, so that reloading the page does not change the
    QR code under a user who has already scanned it.
    """
    device = totp_device_unconfirmed(user=user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def user_two_factor_confirm(*, request: HttpRequest, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm a device being set up with a code from it; only then does it count as the user's.

    On a right code the current session counts as verified (the user has just shown they hold
    the device).
    """
    if device.user_id != user.pk or device.confirmed:
        raise ValueError("Only the user's own unconfirmed device can be confirmed.")
    check = totp_code_check(device=device, code=code)
    if check is CodeCheck.RIGHT:
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # Set-up pages opened and left: their secrets were never confirmed and are not needed.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        django_otp.login(request, device)
        logger.info("User %s set up two-factor authentication.", user.pk)
    return check


def user_two_factor_verify(*, request: HttpRequest, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """The second step of sign-in: a right code marks the session verified and ends the sign-in.

    The session key changes, as it did at the password, because the session now carries more trust.
    """
    if device.user_id != user.pk or not device.confirmed:
        raise ValueError("Only the user's own confirmed device can verify them.")
    check = totp_code_check(device=device, code=code)
    if check is CodeCheck.RIGHT:
        request.session.cycle_key()
        django_otp.login(request, device)
        sign_in_attempts_reset(user=user)
        # The password step logged a sign-in; this one completes it (`audit` subscribes). A wrong
        # code is logged as a failed sign-in by the lockout signal, so the log shows the whole
        # sign-in either way.
        publish(SecurityCodeVerified(user=user, request=request))
    return check


def user_two_factor_remove(*, user: User, device: TOTPDevice, code: str) -> CodeCheck:
    """Remove the user's device when a current code from it is right (so a session left open on
    someone else's screen cannot remove it)."""
    if device.user_id != user.pk or not device.confirmed:
        raise ValueError("Only the user's own confirmed device can be removed.")
    check = totp_code_check(device=device, code=code)
    if check is CodeCheck.RIGHT:
        TOTPDevice.objects.filter(user=user).delete()
        logger.info("User %s removed two-factor authentication.", user.pk)
    return check
