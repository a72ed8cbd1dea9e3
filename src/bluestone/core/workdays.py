"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The bank holidays come from the `holidays` package's bundled data (England's list, which Wales
shares), never from a hand-kept list: a new year's dates arrive with a package update. Every due
date counted in working days (the Victims' Code, for one) is counted here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# holidays names England "ENG" in its United Kingdom subdivisions; Wales has the same bank holidays.
_COUNTRY, _SUBDIVISION = "GB", "ENG"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(_COUNTRY, subdiv=_SUBDIVISION, years=year))


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    """True from Monday to Friday unless the day is a bank holiday in England and Wales."""
    return day.weekday() < 5 and not is_bank_holiday(day)  # noqa: PLR2004 (Saturday is 5)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (which need not be a working day itself).

    A duty "within 1 working day" of an event on Friday 24 December 2027 falls due on Wednesday
    29 December: the weekend and the two observed holidays (27 and 28 December) do not count.
    """
    if days < 0:
        raise ValueError("Count working days forwards: days must be zero or more.")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days fall after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=offset)))
