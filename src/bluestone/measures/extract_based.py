"""The measures any analyst can recompute from the Parquet extract (cases, outcomes, events).

Each function here takes the records of the cases in scope (a team, an offence group, or the whole
force: the caller chooses) and a period. "In the period" means a date from `period.start` to
`period.end`, both included; dates are days in Europe/London, converted by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bluestone.measures.period import Period
from bluestone.measures.rows import Row, count_row, percentile, ratio_row

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
    case_by_id = {case.case_id: case for case in cases}
    all_outcomes = list(outcomes)
    cohort = [case for case in case_by_id.values() if case.recorded_on in period]
    in_period = [outcome for outcome in all_outcomes if outcome.decided_on in period]
    for outcome in in_period:
        if outcome.case_id not in case_by_id:
            raise ValueError(f"Outcome of case {outcome.case_id} has no case record: pass every case in scope.")
    cohort_ids = {case.case_id for case in cohort}
    outcome_of = {o.case_id: o for o in all_outcomes if o.case_id in cohort_ids and o.decided_on <= as_of}
    kinds_by_case: dict[str, set[str]] = {}
    for event in events:
        if event.case_id in cohort_ids and event.occurred_on <= as_of:
            kinds_by_case.setdefault(event.case_id, set()).add(event.kind)
    return [
        *recorded(cohort, period=period, offence_groups=offence_groups),
        *outcome_shares(in_period),
        *charge_rate_period(in_period),
        *charge_rate_cohort(cohort, outcome_of),
        *outcome_16_share(in_period),
        *days_to("days_to_charge", [o for o in in_period if o.code == CHARGE], case_by_id),
        *days_to("days_to_outcome", in_period, case_by_id),
        *funnel(cohort, outcome_of, kinds_by_case),
        *victim_withdrew(cohort, kinds_by_case),
    ]


def recorded(cohort: Sequence[CaseRecord], *, period: Period, offence_groups: Sequence[str]) -> list[Row]:
    by_group = Counter(case.offence_group for case in cohort)
    by_month = Counter(f"{case.recorded_on:%Y-%m}" for case in cohort)
    groups = list(offence_groups) + sorted(set(by_group) - set(offence_groups))
    return [
        count_row("recorded", "", len(cohort)),
        *(count_row("recorded", group, by_group[group]) for group in groups),
        *(count_row("recorded", month, by_month[month]) for month in period.months()),
    ]


def outcome_shares(in_period: Sequence[OutcomeRecord]) -> list[Row]:
    by_code = Counter(outcome.code for outcome in in_period)
    total = len(in_period)
    return [
        count_row("outcomes", "", total),
        *(ratio_row("outcomes", str(code), by_code[code], total) for code in sorted(by_code)),
    ]


def charge_rate_period(in_period: Sequence[OutcomeRecord]) -> list[Row]:
    charged = sum(1 for outcome in in_period if outcome.code == CHARGE)
    return [ratio_row("charge_rate_period", "", charged, len(in_period))]


def charge_rate_cohort(cohort: Sequence[CaseRecord], outcome_of: dict[str, OutcomeRecord]) -> list[Row]:
    charged = sum(1 for case in cohort if _charged(case, outcome_of))
    return [ratio_row("charge_rate_cohort", "", charged, len(cohort))]


def outcome_16_share(in_period: Sequence[OutcomeRecord]) -> list[Row]:
    withdrawn = sum(1 for outcome in in_period if outcome.code == VICTIM_DOES_NOT_SUPPORT)
    return [ratio_row("outcome_16_share", "", withdrawn, len(in_period))]


def days_to(measure: str, decided: Sequence[OutcomeRecord], case_by_id: dict[str, CaseRecord]) -> list[Row]:
    days = [float((o.decided_on - case_by_id[o.case_id].recorded_on).days) for o in decided]
    return [
        Row(measure, "median", None, len(days), percentile(days, 50)),
        Row(measure, "p90", None, len(days), percentile(days, 90)),
    ]


def funnel(
    cohort: Sequence[CaseRecord], outcome_of: dict[str, OutcomeRecord], kinds_by_case: dict[str, set[str]]
) -> list[Row]:
    reached = {
        "recorded": len(cohort),
        "suspect_identified": sum(1 for case in cohort if case.suspect_identified),
        "arrested_or_interviewed": sum(
            1 for case in cohort if kinds_by_case.get(case.case_id, set()) & ARRESTED_OR_INTERVIEWED
        ),
        "file_to_cps": sum(1 for case in cohort if FILE_TO_CPS in kinds_by_case.get(case.case_id, set())),
        "charged": sum(1 for case in cohort if _charged(case, outcome_of)),
    }
    return [ratio_row("funnel", stage, reached[stage], len(cohort)) for stage in FUNNEL_STAGES]


def victim_withdrew(cohort: Sequence[CaseRecord], kinds_by_case: dict[str, set[str]]) -> list[Row]:
    withdrew = sum(1 for case in cohort if VICTIM_WITHDREW in kinds_by_case.get(case.case_id, set()))
    return [ratio_row("victim_withdrew", "", withdrew, len(cohort))]


def _charged(case: CaseRecord, outcome_of: dict[str, OutcomeRecord]) -> bool:
    outcome = outcome_of.get(case.case_id)
    return outcome is not None and outcome.code == CHARGE
