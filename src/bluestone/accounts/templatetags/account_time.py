"""Lengths of time in plain words, for pages that tell people how long they must wait or may stay."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()

SECONDS_IN_MINUTE = 60
MINUTES_IN_HOUR = 60


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


@register.filter
def in_words(duration: dt.timedelta | float | int) -> str:
    """`timedelta(minutes=30)` or `1800` (seconds) as "30 minutes"; 5400 as "1 hour 30 minutes".

    Rounded up to the minute, so that a wait is never said to be shorter than it is.
    """
    seconds = duration.total_seconds() if isinstance(duration, dt.timedelta) else float(duration)
    minutes = max(1, -(-int(seconds) // SECONDS_IN_MINUTE))
    hours, minutes = divmod(minutes, MINUTES_IN_HOUR)
    parts = ([_count(hours, "hour")] if hours else []) + ([_count(minutes, "minute")] if minutes else [])
    return " ".join(parts)
