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

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return Period(start=end - dt.timedelta(days=self.days - 1), end=end)
