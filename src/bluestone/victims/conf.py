"""The victims app's settings, each with the default DOMAIN.md gives. A force sets them in its settings
(from the environment); nothing here is a constant in the rules."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def enhanced_rights_for_sexual_offences() -> bool:
    """Victims of sexual offences are treated as entitled to enhanced rights (on unless a force says not)."""
    return bool(getattr(settings, "BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES", True))


def contact_cadence_days() -> int:
    """The contact plan's default: how often the victim hears from the officer."""
    return int(getattr(settings, "BLUESTONE_CONTACT_CADENCE_DAYS", 28))


def portal_code_hours() -> int:
    """How long a one-time access code works once issued."""
    return int(getattr(settings, "BLUESTONE_PORTAL_CODE_HOURS", 72))


def portal_idle_minutes() -> int:
    """A portal visitor doing nothing for this long is signed out (short: a shared or taken phone)."""
    return int(getattr(settings, "BLUESTONE_PORTAL_IDLE_MINUTES", 15))


def portal_attempts() -> int:
    """Wrong tries at one reference from one client before that client is locked out of it. More wrong
    tries than this at one reference, from all clients together, slow every try at it down."""
    return int(getattr(settings, "BLUESTONE_PORTAL_ATTEMPTS", 5))


def portal_address_attempts() -> int:
    """Wrong tries from one client (any references) before that client is locked out altogether."""
    return int(getattr(settings, "BLUESTONE_PORTAL_ADDRESS_ATTEMPTS", 20))


def portal_slowdown_max_seconds() -> int:
    """The longest wait a reference's slow-down asks for between tries (it doubles up to this)."""
    return int(getattr(settings, "BLUESTONE_PORTAL_SLOWDOWN_MAX_SECONDS", 60))


def portal_new_code_minutes() -> int:
    """A victim asking for a new code on the portal gets at most one this often."""
    return int(getattr(settings, "BLUESTONE_PORTAL_NEW_CODE_MINUTES", 15))


def portal_lockout_minutes() -> int:
    return int(getattr(settings, "BLUESTONE_PORTAL_LOCKOUT_MINUTES", 30))


def portal_address() -> str:
    """Where the portal's "Follow my case" sign-in page is, for the messages the outbox sends."""
    return str(getattr(settings, "BLUESTONE_PORTAL_URL", "http://127.0.0.1:8000/portal/follow/"))


def notification_sender() -> str:
    """Dotted path of the class that sends outbox messages (bluestone.victims.notifications)."""
    return str(getattr(settings, "BLUESTONE_NOTIFICATION_SENDER", "bluestone.victims.notifications.FileSender"))


def outbox_dir() -> Path:
    """Where the file sender writes messages (the demo's stand-in for email and text messages)."""
    configured = getattr(settings, "BLUESTONE_OUTBOX_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "outbox"
