"""Month by month: the charge rate and the median days to charge and to any outcome, for each
calendar month of a period (the trend lines of the Measures page).

Each month counts the outcomes decided in it, inside the period (a month cut by the period's start
or end counts only its days in it), with the same formulas as the period's `charge_rate_period`,
`days_to_charge` and `days_to_outcome` (docs/measures.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from bluestone.measures.extract_based import (
    CHARGE,
    CaseRecord,
    DecidedCount,
    OutcomeRecord,
    days_histogram,
    decided_counts,
)
from bluestone.measures.period import Period
from bluestone.measures.rows import Row, percentile_of_counts, ratio_row

TREND_MEASURES = ("charge_rate_by_month", "days_to_charge_by_month", "days_to_outcome_by_month")


def monthly_trends(*, cases: Iterable[CaseRecord], outcomes: Iterable[OutcomeRecord], period: Period) -> list[Row]:
    """One row per trend measure and month of the period, breakdown `YYYY-MM`.

    `charge_rate_by_month`: outcome 1 decided in the month / all outcomes decided in it.
    `days_to_charge_by_month`, `days_to_outcome_by_month`: the median of `decided_on - recorded_on` in
    days over outcome 1 (resp. all outcomes) decided in the month, with their count as denominator.
    """
    recorded_on = {case.case_id: case.recorded_on for case in cases}
    return count_trends(
        decided=decided_counts(recorded_on=recorded_on, outcomes=outcomes, period=period), period=period
    )


def count_trends(*, decided: Iterable[DecidedCount], period: Period) -> list[Row]:
    """`monthly_trends` from the counts of the outcomes decided in the period (`DecidedCount`)."""
    by_month: dict[str, list[DecidedCount]] = {month: [] for month in period.months()}
    for count in decided:
        by_month[count.month].append(count)
    rows: list[Row] = []
    for month, counts in by_month.items():
        charged = [c for c in counts if c.code == CHARGE]
        rows.append(ratio_row("charge_rate_by_month", month, _outcomes(charged), _outcomes(counts)))
        for measure, chosen in (("days_to_charge_by_month", charged), ("days_to_outcome_by_month", counts)):
            histogram = days_histogram(chosen)
            rows.append(Row(measure, month, None, sum(histogram.values()), percentile_of_counts(histogram, 50)))
    return rows


def _outcomes(counts: Iterable[DecidedCount]) -> int:
    return sum(c.outcomes for c in counts)
