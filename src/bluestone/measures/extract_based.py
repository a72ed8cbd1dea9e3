"""The measures any analyst can recompute from the Parquet extract (cases, outcomes, events).

The measures are defined on counts: how many cases recorded in the period share their month, offence
group and the funnel stages they reached (`CohortCount`), and how many outcomes decided in the period
share their month, code and number of days from recording (`DecidedCount`). A database can count
those (`bluestone.insights.selectors`); `extract_counts` counts them from per-case records, so
`extract_measures` over records and `count_measures` over a database's counts are the same
arithmetic. The timeliness median and 90th percentile come exactly from the counts per number of
days. "In the period" means a date from `period.start` to `period.end`, both included; dates are days
in Europe/London, converted by the caller, and the caller passes only what is in scope (a team, an
offence group, or the whole force).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bluestone.measures.period import Period
from bluestone.measures.rows import Row, count_row, percentile_of_counts, ratio_row

CHARGE = 1  # Home Office outcome 1, charge or summons
VICTIM_DOES_NOT_SUPPORT = 16

# The attrition funnel, in order, and the timeline events that mark its middle stages.
FUNNEL_STAGES = ("recorded", "suspect_identified", "arrested_or_interviewed", "file_to_cps", "charged")
ARRESTED_OR_INTERVIEWED = frozenset({"suspect_arrested", "suspect_interviewed"})
FILE_TO_CPS = "file_to_cps"
VICTIM_WITHDREW = "victim_withdrew"
# The only event kinds these measures read; a caller may pass just these.
EVENT_KINDS = ARRESTED_OR_INTERVIEWED | {FILE_TO_CPS, VICTIM_WITHDREW}


@dataclass(frozen=True)
class CaseRecord:
    case_id: str
    recorded_on: dt.date  # the date of `recorded_at` in Europe/London
    offence_group: str
    suspect_identified: bool  # the case has at least one suspect involvement


@dataclass(frozen=True)
class OutcomeRecord:
    case_id: str
    code: int
    decided_on: dt.date


@dataclass(frozen=True)
class EventRecord:
    case_id: str
    kind: str
    occurred_on: dt.date  # the date of `occurred_at` in Europe/London


@dataclass(frozen=True)
class CohortCount:
    """How many cases recorded in the period share a month of recording, an offence group and the
    funnel stages reached by the as-of day."""

    month: str  # YYYY-MM of the day recorded
    offence_group: str
    suspect_identified: bool
    arrested_or_interviewed: bool  # a suspect arrested or interviewed by the as-of day
    file_to_cps: bool  # by the as-of day
    charged: bool  # outcome 1 decided by the as-of day
    victim_withdrew: bool  # by the as-of day
    cases: int


@dataclass(frozen=True)
class DecidedCount:
    """How many outcomes decided in the period share a month of decision, a code and a number of days
    from the case's recording to the decision."""

    month: str  # YYYY-MM of the day decided
    code: int
    days: int
    outcomes: int


def extract_measures(
    *,
    cases: Iterable[CaseRecord],
    outcomes: Iterable[OutcomeRecord],
    events: Iterable[EventRecord],
    period: Period,
    as_of: dt.date,
    offence_groups: Sequence[str] = (),
) -> list[Row]:
    """Every extract-based measure for `period`, in the order of docs/measures.md.

    `cases` must hold every case in scope recorded in the period and every case in scope with an
    outcome decided in it (more do no harm); `outcomes` and `events` are those of the cases in scope.
    `offence_groups` lists the groups to report even when none of their cases was recorded.

    Example:
        >>> day = dt.date(2025, 1, 10)
        >>> rows = extract_measures(
        ...     cases=[CaseRecord("A", day, "rape", True)],
        ...     outcomes=[OutcomeRecord("A", 1, day + dt.timedelta(days=30))],
        ...     events=[],
        ...     period=Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ...     as_of=dt.date(2025, 6, 1),
        ... )
        >>> [r.value for r in rows if r.measure == "days_to_charge"]
        [30.0, 30.0]
    """
    cohort, decided = extract_counts(cases=cases, outcomes=outcomes, events=events, period=period, as_of=as_of)
    return count_measures(cohort=cohort, decided=decided, period=period, offence_groups=offence_groups)


def extract_counts(
    *,
    cases: Iterable[CaseRecord],
    outcomes: Iterable[OutcomeRecord],
    events: Iterable[EventRecord],
    period: Period,
    as_of: dt.date,
) -> tuple[list[CohortCount], list[DecidedCount]]:
    """The counts the measures take, from per-case records (as `extract_measures` takes them)."""
    case_by_id = {case.case_id: case for case in cases}
    all_outcomes = list(outcomes)
    cohort = [case for case in case_by_id.values() if case.recorded_on in period]
    cohort_ids = {case.case_id for case in cohort}
    outcome_of = {o.case_id: o for o in all_outcomes if o.case_id in cohort_ids and o.decided_on <= as_of}
    kinds_by_case: dict[str, set[str]] = {}
    for event in events:
        if event.case_id in cohort_ids and event.occurred_on <= as_of:
            kinds_by_case.setdefault(event.case_id, set()).add(event.kind)
    by_facts = Counter(
        (
            f"{case.recorded_on:%Y-%m}",
            case.offence_group,
            case.suspect_identified,
            bool(kinds_by_case.get(case.case_id, set()) & ARRESTED_OR_INTERVIEWED),
            FILE_TO_CPS in kinds_by_case.get(case.case_id, set()),
            _charged(case, outcome_of),
            VICTIM_WITHDREW in kinds_by_case.get(case.case_id, set()),
        )
        for case in cohort
    )
    cohort_counts = [CohortCount(*key, cases=n) for key, n in by_facts.items()]
    recorded_on = {case_id: case.recorded_on for case_id, case in case_by_id.items()}
    return cohort_counts, decided_counts(recorded_on=recorded_on, outcomes=all_outcomes, period=period)


def decided_counts(
    *, recorded_on: dict[str, dt.date], outcomes: Iterable[OutcomeRecord], period: Period
) -> list[DecidedCount]:
    """The outcomes decided in the period, counted by month, code and days from recording."""
    by_key: Counter[tuple[str, int, int]] = Counter()
    for outcome in outcomes:
        if outcome.decided_on in period:
            if outcome.case_id not in recorded_on:
                raise ValueError(f"Outcome of case {outcome.case_id} has no case record: pass every case in scope.")
            days = (outcome.decided_on - recorded_on[outcome.case_id]).days
            by_key[(f"{outcome.decided_on:%Y-%m}", outcome.code, days)] += 1
    return [DecidedCount(month, code, days, n) for (month, code, days), n in by_key.items()]


def count_measures(
    *,
    cohort: Iterable[CohortCount],
    decided: Iterable[DecidedCount],
    period: Period,
    offence_groups: Sequence[str] = (),
) -> list[Row]:
    """Every extract-based measure for `period` from its counts (`CohortCount` of the cases recorded
    in it, `DecidedCount` of the outcomes decided in it), in the order of docs/measures.md."""
    cohort = list(cohort)
    decided = list(decided)
    return [
        *recorded(cohort, period=period, offence_groups=offence_groups),
        *outcome_shares(decided),
        *charge_rate_period(decided),
        *charge_rate_cohort(cohort),
        *outcome_16_share(decided),
        *days_to("days_to_charge", [d for d in decided if d.code == CHARGE]),
        *days_to("days_to_outcome", decided),
        *funnel(cohort),
        *victim_withdrew(cohort),
    ]


def recorded(cohort: Sequence[CohortCount], *, period: Period, offence_groups: Sequence[str]) -> list[Row]:
    by_group: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    for count in cohort:
        by_group[count.offence_group] += count.cases
        by_month[count.month] += count.cases
    groups = list(offence_groups) + sorted(set(by_group) - set(offence_groups))
    return [
        count_row("recorded", "", _cases(cohort)),
        *(count_row("recorded", group, by_group[group]) for group in groups),
        *(count_row("recorded", month, by_month[month]) for month in period.months()),
    ]


def outcome_shares(decided: Sequence[DecidedCount]) -> list[Row]:
    by_code: Counter[int] = Counter()
    for count in decided:
        by_code[count.code] += count.outcomes
    total = _outcomes(decided)
    return [
        count_row("outcomes", "", total),
        *(ratio_row("outcomes", str(code), by_code[code], total) for code in sorted(by_code) if by_code[code]),
    ]


def charge_rate_period(decided: Sequence[DecidedCount]) -> list[Row]:
    charged = _outcomes(d for d in decided if d.code == CHARGE)
    return [ratio_row("charge_rate_period", "", charged, _outcomes(decided))]


def charge_rate_cohort(cohort: Sequence[CohortCount]) -> list[Row]:
    return [ratio_row("charge_rate_cohort", "", _cases(c for c in cohort if c.charged), _cases(cohort))]


def outcome_16_share(decided: Sequence[DecidedCount]) -> list[Row]:
    withdrawn = _outcomes(d for d in decided if d.code == VICTIM_DOES_NOT_SUPPORT)
    return [ratio_row("outcome_16_share", "", withdrawn, _outcomes(decided))]


def days_to(measure: str, decided: Iterable[DecidedCount]) -> list[Row]:
    histogram = days_histogram(decided)
    n = sum(histogram.values())
    return [
        Row(measure, "median", None, n, percentile_of_counts(histogram, 50)),
        Row(measure, "p90", None, n, percentile_of_counts(histogram, 90)),
    ]


def days_histogram(decided: Iterable[DecidedCount]) -> dict[int, int]:
    """How many outcomes took each number of days."""
    histogram: defaultdict[int, int] = defaultdict(int)
    for count in decided:
        histogram[count.days] += count.outcomes
    return dict(histogram)


def funnel(cohort: Sequence[CohortCount]) -> list[Row]:
    reached = {
        "recorded": _cases(cohort),
        "suspect_identified": _cases(c for c in cohort if c.suspect_identified),
        "arrested_or_interviewed": _cases(c for c in cohort if c.arrested_or_interviewed),
        "file_to_cps": _cases(c for c in cohort if c.file_to_cps),
        "charged": _cases(c for c in cohort if c.charged),
    }
    return [ratio_row("funnel", stage, reached[stage], _cases(cohort)) for stage in FUNNEL_STAGES]


def victim_withdrew(cohort: Sequence[CohortCount]) -> list[Row]:
    return [ratio_row("victim_withdrew", "", _cases(c for c in cohort if c.victim_withdrew), _cases(cohort))]


def _cases(cohort: Iterable[CohortCount]) -> int:
    return sum(count.cases for count in cohort)


def _outcomes(decided: Iterable[DecidedCount]) -> int:
    return sum(count.outcomes for count in decided)


def _charged(case: CaseRecord, outcome_of: dict[str, OutcomeRecord]) -> bool:
    outcome = outcome_of.get(case.case_id)
    return outcome is not None and outcome.code == CHARGE
