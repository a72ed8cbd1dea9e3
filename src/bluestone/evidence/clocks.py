"""The deadlines of evidence: the victim's phone return clock and SARC sample retention.

The figures are settings a force may change (DOMAIN.md: configurable), read each time so a test or
a force's settings file can override them:

- `BLUESTONE_PHONE_RETURN_HOURS` (24): a victim's phone is given back, or a replacement with their
  number and data provided, within this many hours of it being taken.
- `BLUESTONE_SARC_RETENTION_YEARS` (2): a SARC keeps samples from someone who has not reported for
  this long after collection.
- `BLUESTONE_SARC_WARNING_DAYS` ((90, 30)): how many days before the end of retention the register
  warns, widest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from bluestone.core import clock

DEFAULT_PHONE_RETURN_HOURS = 24
DEFAULT_SARC_RETENTION_YEARS = 2
DEFAULT_SARC_WARNING_DAYS = (90, 30)


def phone_return_period() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "BLUESTONE_PHONE_RETURN_HOURS", DEFAULT_PHONE_RETURN_HOURS)))


def phone_return_hours() -> int:
    return int(phone_return_period().total_seconds() // 3600)


def sarc_retention_years() -> int:
    return int(getattr(settings, "BLUESTONE_SARC_RETENTION_YEARS", DEFAULT_SARC_RETENTION_YEARS))


def sarc_warning_days() -> tuple[int, ...]:
    days = getattr(settings, "BLUESTONE_SARC_WARNING_DAYS", DEFAULT_SARC_WARNING_DAYS)
    return tuple(sorted((int(d) for d in days), reverse=True))


def sarc_retention_until(collected_on: dt.date) -> dt.date:
    """The last day a SARC keeps samples with no police report: the collection date plus the period.
    Collected on 29 February, the anniversary in a year without one is 28 February."""
    years = sarc_retention_years()
    try:
        return collected_on.replace(year=collected_on.year + years)
    except ValueError:
        return collected_on.replace(year=collected_on.year + years, day=28)


@dataclass(frozen=True)
class RetentionWarning:
    """Where a stored sample stands against its retention date."""

    until: dt.date
    days_left: int  # negative once past
    level: str  # "expired", or the warning threshold crossed ("30", "90"), or "" for none

    @property
    def expired(self) -> bool:
        return self.level == "expired"


def sarc_retention_warning(collected_on: dt.date, *, today: dt.date | None = None) -> RetentionWarning:
    until = sarc_retention_until(collected_on)
    days_left = (until - (today or clock.today())).days
    if days_left < 0:
        return RetentionWarning(until=until, days_left=days_left, level="expired")
    level = ""
    for threshold in sarc_warning_days():  # widest first, so the narrowest crossed wins
        if days_left <= threshold:
            level = str(threshold)
    return RetentionWarning(until=until, days_left=days_left, level=level)


@dataclass(frozen=True)
class PhoneClock:
    """A victim's phone against its return deadline."""

    due_at: dt.datetime
    stopped_at: dt.datetime | None  # given back or replaced
    stopped_by: str  # "returned", "replacement" or ""
    now: dt.datetime

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def overdue(self) -> bool:
        return self.running and self.now > self.due_at

    @property
    def met(self) -> bool | None:
        """Whether the phone was back (or replaced) in time; None while the clock runs."""
        if self.stopped_at is None:
            return None
        return self.stopped_at <= self.due_at

    @property
    def remaining(self) -> dt.timedelta:
        return self.due_at - self.now


def phone_clock(
    *, due_at: dt.datetime, returned_at: dt.datetime | None, replacement_at: dt.datetime | None
) -> PhoneClock:
    stops = [(t, why) for t, why in ((returned_at, "returned"), (replacement_at, "replacement")) if t is not None]
    stopped_at, stopped_by = min(stops) if stops else (None, "")
    return PhoneClock(due_at=due_at, stopped_at=stopped_at, stopped_by=stopped_by, now=clock.now())


def duration_words(delta: dt.timedelta) -> str:
    """A duration as people say it: "3 hours 20 minutes", "45 minutes", "2 days 4 hours"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes and not days:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts) or "less than a minute"
