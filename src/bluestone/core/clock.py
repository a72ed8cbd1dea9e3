"""The one clock. Everything that asks the time asks here, so tests can fix it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the service's time zone (Europe/London)."""
    return timezone.localdate(now())
