"""Month by month: the charge rate and the median days to charge and to any outcome, for each
calendar month of a period (the trend lines of the Measures page).

Each month counts the outcomes decided in it, inside the period (a month cut by the period's start
or end counts only its days in it), with the same formulas as the period's `charge_rate_period`,
`days_to_charge` and `days_to_outcome` (docs/measures.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from bluestone.measures.extract_based import CHARGE, CaseRecord, OutcomeRecord
from bluestone.measures.period import Period
from bluestone.measures.rows import Row, percentile, ratio_row

TREND_MEASURES = ("charge_rate_by_month", "days_to_charge_by_month", "days_to_outcome_by_month")


def monthly_trends(*, cases: Iterable[CaseRecord], outcomes: Iterable[OutcomeRecord], period: Period) -> list[Row]:
    """One row per trend measure and month of the period, breakdown `YYYY-MM`.

    `charge_rate_by_month`: outcome 1 decided in the month / all outcomes decided in it.
    `days_to_charge_by_month`, `days_to_outcome_by_month`: the median of `decided_on - recorded_on` in
    days over outcome 1 (resp. all outcomes) decided in the month, with their count as denominator.
    """
    recorded_on = {case.case_id: case.recorded_on for case in cases}
    by_month: dict[str, list[OutcomeRecord]] = {month: [] for month in period.months()}
    for outcome in outcomes:
        if outcome.decided_on in period:
            if outcome.case_id not in recorded_on:
                raise ValueError(f"Outcome of case {outcome.case_id} has no case record: pass every case in scope.")
            by_month[f"{outcome.decided_on:%Y-%m}"].append(outcome)
    rows: list[Row] = []
    for month, decided in by_month.items():
        charged = [o for o in decided if o.code == CHARGE]
        rows.append(ratio_row("charge_rate_by_month", month, len(charged), len(decided)))
        for measure, chosen in (("days_to_charge_by_month", charged), ("days_to_outcome_by_month", decided)):
            days = [float((o.decided_on - recorded_on[o.case_id]).days) for o in chosen]
            rows.append(Row(measure, month, None, len(days), percentile(days, 50)))
    return rows
