"""The time limits of custody, pre-charge bail and release under investigation, in one place.

Detention without charge (Police and Criminal Evidence Act 1984, Part IV): 24 hours from the
"relevant time" (s.41, usually arrival at the police station); a superintendent may authorise
detention up to 36 hours for an indictable offence (s.42); a magistrates' court may issue a warrant
of further detention, and extend it, up to 96 hours in all (ss.43 and 44).

Pre-charge bail (PACE ss.47ZA to 47ZM, as amended by the Police, Crime, Sentencing and Courts Act
2022, Schedule 4, in force 28 October 2022): the custody officer may bail for an initial 3 months;
an inspector may extend to 6 months from the bail start, a superintendent to 9; beyond 9 months
only a magistrates' court. (Before the 2022 Act, under the Policing and Crime Act 2017, it was
28 days, then 3 months by a superintendent.)

Release under investigation has no statutory limit: when it is reviewed is the force's policy, a
setting (BLUESTONE_RUI_REVIEW_DAYS, 28 days by default).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from bluestone.investigation.models import AuthorityLevel

# PACE 1984 s.41: detention without charge, counted from the relevant time.
DETENTION_HOURS = 24
# PACE 1984 s.42: continued detention authorised by a superintendent (indictable offences).
SUPERINTENDENT_DETENTION_HOURS = 36
# PACE 1984 ss.43 and 44: warrants of further detention from a magistrates' court, at most 96 hours.
WARRANT_DETENTION_HOURS = 96

DETENTION_LIMITS = [
    (DETENTION_HOURS, "the custody officer's limit (PACE s.41)"),
    (SUPERINTENDENT_DETENTION_HOURS, "with a superintendent's authority (PACE s.42)"),
    (WARRANT_DETENTION_HOURS, "with a magistrates' warrant of further detention (PACE ss.43 and 44)"),
]

# Pre-charge bail: 3 months initially; to 6 months from the start by an inspector, to 9 by a
# superintendent; a magistrates' court beyond.
BAIL_INITIAL_MONTHS = 3
BAIL_LIMITS = [(3, AuthorityLevel.NONE), (6, AuthorityLevel.INSPECTOR), (9, AuthorityLevel.SUPERINTENDENT)]
BAIL_COURT_FROM_MONTHS = 9


def rui_review_days() -> int:
    """Days after a release under investigation that the release is reviewed (force policy)."""
    return int(getattr(settings, "BLUESTONE_RUI_REVIEW_DAYS", 28))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 May + 3 = 31 August,
    30 November + 3 = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def bail_authority_needed(*, starts_on: dt.date, until: dt.date) -> AuthorityLevel:
    """Who may set bail to end on `until`, counted from the day bail started."""
    for months, level in BAIL_LIMITS:
        if until <= add_months(starts_on, months):
            return level
    return AuthorityLevel.COURT


@dataclass(frozen=True)
class NextExtension:
    """The next step for bail ending on `expires_on`: how far it can go and who must agree."""

    limit_on: dt.date | None  # None when only a court can extend, with no fixed ceiling
    authority: AuthorityLevel

    @property
    def words(self) -> str:
        if self.authority == AuthorityLevel.COURT:
            return f"Beyond {BAIL_COURT_FROM_MONTHS} months from the start only a magistrates' court can extend bail."
        assert self.limit_on is not None  # noqa: S101 (set for every level below a court)
        return f"An {self.authority.label.lower()} can extend it to {self.limit_on:%-d %B %Y} at the latest."


def next_extension(*, starts_on: dt.date, expires_on: dt.date) -> NextExtension:
    """The authority needed to extend bail beyond its present end."""
    for months, level in BAIL_LIMITS:
        limit = add_months(starts_on, months)
        if expires_on < limit and level != AuthorityLevel.NONE:
            return NextExtension(limit_on=limit, authority=level)
    return NextExtension(limit_on=None, authority=AuthorityLevel.COURT)


@dataclass(frozen=True)
class DetentionLimit:
    hours: int
    words: str
    at: dt.datetime
    passed: bool


@dataclass(frozen=True)
class DetentionClock:
    """The PACE detention clock of one arrest: from the relevant time until the suspect's release."""

    relevant_time: dt.datetime
    released_at: dt.datetime | None
    limits: list[DetentionLimit]

    @property
    def running(self) -> bool:
        return self.released_at is None

    @property
    def next_limit(self) -> DetentionLimit | None:
        return next((limit for limit in self.limits if not limit.passed), None)

    @property
    def hours_held(self) -> float | None:
        if self.released_at is None:
            return None
        return (self.released_at - self.relevant_time).total_seconds() / 3600


def detention_clock(*, relevant_time: dt.datetime, released_at: dt.datetime | None, now: dt.datetime) -> DetentionClock:
    """The limits from the relevant time; a limit has passed once the clock (stopped at release) reaches it."""
    stop = released_at or now
    limits = []
    for hours, words in DETENTION_LIMITS:
        at = relevant_time + dt.timedelta(hours=hours)
        limits.append(DetentionLimit(hours=hours, words=words, at=at, passed=stop >= at))
    return DetentionClock(relevant_time=relevant_time, released_at=released_at, limits=limits)
