"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator app.

django-otp keeps the device (the shared secret, the clock drift, the last code used, a throttle
that makes each wrong code wait longer); this module is the little Bluestone needs around it: one
confirmed device per user, the QR code and the secret to type in, and checking a code.
"""

from __future__ import annotations

import enum
from base64 import b32encode

import qrcode
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from bluestone.accounts.models import User

DEVICE_NAME = "Authenticator app"
CODE_LENGTH = 6
# 1.5mm a square: about 5.5cm across, easy for a phone camera at arm's length.
QR_BOX_SIZE = 15
QR_LABEL = "QR code to scan with your authenticator app"


class CodeCheck(enum.Enum):
    RIGHT = "right"
    WRONG = "wrong"
    # django-otp makes each wrong code wait longer (1, 2, 4... seconds) before the next is checked.
    TOO_SOON = "too soon"


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's confirmed device, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def totp_device_unconfirmed(*, user: User) -> TOTPDevice | None:
    """A device being set up: made when the set-up page is first shown, confirmed by a right code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()


def totp_secret_base32(*, device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it when typed in, in groups of four letters."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_code_svg(*, device: TOTPDevice) -> str:
    """An `<svg>` element (no XML declaration) that draws the device's otpauth:// URL as a QR code.

    Drawn on the server and put in the page as markup, so no script, no data: URL and no request to
    another site are needed; the colours are SVG presentation attributes, which the
    Content-Security-Policy allows (it forbids inline style).
    """
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, box_size=QR_BOX_SIZE)
    markup = image.to_string(encoding="unicode")
    if not markup.startswith("<svg "):
        raise ValueError("qrcode did not draw an <svg> element")
    return markup.replace("<svg ", f'<svg role="img" aria-label="{QR_LABEL}" focusable="false" class="app-qr-code" ', 1)


def totp_code_check(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Check a code against the device and record the result on it (last code used, throttle).

    A code is accepted once only, and the codes 30 seconds either side of now are accepted too, for
    a phone whose clock is a little out. The row is locked while it is checked, so that two requests
    cannot both use one code.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = locked.verify_is_allowed()
        if not allowed:
            return CodeCheck.TOO_SOON
        right = locked.verify_token(code)
    device.refresh_from_db()
    return CodeCheck.RIGHT if right else CodeCheck.WRONG
