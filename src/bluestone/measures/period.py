"""A reporting period: a run of whole days, both ends included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class PeriodError(ValueError):
    """A period that cannot be measured (its end before its start)."""


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included (dates in Europe/London)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"The period ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()}). "
                "Give a start date on or before the end date."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[str]:
        """Every calendar month the period touches, as `YYYY-MM`, in order."""
        months: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)  # noqa: PLR2004
        return months

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1

    def previous(self) -> Period:
        """The period just before this one: as many whole months if this one is whole months (2025
        before 2026, whatever the leap days), otherwise as many days."""
        end = self.start - dt.timedelta(days=1)
        if self.whole_months:
            months = len(self.months())
            index = self.start.year * 12 + self.start.month - 1 - months
            return Period(start=dt.date(index // 12, index % 12 + 1, 1), end=end)
        return Period(start=end - dt.timedelta(days=self.days - 1), end=end)
