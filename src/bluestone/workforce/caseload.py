"""Caseload: each officer's open cases, counted and weighted by what makes a case heavier.

A case weighs 1, plus the weight of each factor it has (conf.FACTORS, weights from settings): a child
victim, more than one victim, a non-recent offence, a large volume of digital material, a suspect who is
a police employee. An officer's load is the sum over their open cases (every status but closed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from bluestone.accounts.models import Officer
from bluestone.cases.models import Case, CaseStatus, Involvement, RestrictionReason
from bluestone.cases.models import Role as InvolvementRole
from bluestone.evidence.models import DigitalRequest
from bluestone.workforce import conf

ADULT_AGE = 18


@dataclass
class Load:
    officer_id: int
    open_cases: int = 0
    weighted: float = 0.0
    factors: Counter[str] = field(default_factory=Counter)
    threshold: float = 0.0

    @property
    def over_threshold(self) -> bool:
        return self.weighted > self.threshold

    @property
    def summary(self) -> str:
        cases = "1 open case" if self.open_cases == 1 else f"{self.open_cases} open cases"
        return f"{cases}, weighted load {self.weighted:g} (threshold {self.threshold:g})"


def _age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def case_factors(case_ids: Iterable[Any]) -> dict[Any, set[str]]:
    """The weighting factors each case has, by case id."""
    ids = list(case_ids)
    found: dict[Any, set[str]] = {case_id: set() for case_id in ids}
    if not ids:
        return found
    cases = Case.objects.filter(pk__in=ids).select_related("offence_class")
    offence_dates = {}
    for case in cases:
        offence_dates[case.pk] = case.offence_from
        if case.offence_class.child_victim:
            found[case.pk].add("child_victim")
        if case.non_recent:
            found[case.pk].add("non_recent")
        if case.restricted and case.restriction_reason == RestrictionReason.POLICE_EMPLOYEE_SUSPECT:
            found[case.pk].add("suspect_police_employee")
    victims: Counter[Any] = Counter()
    for case_id, born in Involvement.objects.filter(case_id__in=ids, role=InvolvementRole.VICTIM).values_list(
        "case_id", "person__date_of_birth"
    ):
        victims[case_id] += 1
        if born is not None and _age_on(born, offence_dates[case_id]) < ADULT_AGE:
            found[case_id].add("child_victim")
    for case_id, count in victims.items():
        if count > 1:
            found[case_id].add("several_victims")
    heavy = conf.digital_volume_requests()
    requests = (
        DigitalRequest.objects.filter(case_id__in=ids).values("case_id").annotate(n=Count("id")).filter(n__gte=heavy)
    )
    for row in requests:
        found[row["case_id"]].add("digital_volume")
    return found


def case_weight(factors: set[str], weights: dict[str, float] | None = None) -> float:
    weights = conf.caseload_weights() if weights is None else weights
    return 1.0 + sum(weights[name] for name in factors)


def officer_loads(*, officers: Iterable[Officer]) -> dict[int, Load]:
    """Each officer's live load, by officer id (an officer with no open case has a load of 0)."""
    weights = conf.caseload_weights()
    threshold = conf.caseload_threshold()
    loads = {officer.pk: Load(officer_id=officer.pk, threshold=threshold) for officer in officers}
    open_cases: dict[int, list[Any]] = defaultdict(list)
    for case_id, officer_id in (
        Case.objects.filter(officer_id__in=list(loads))
        .exclude(status=CaseStatus.CLOSED)
        .values_list("pk", "officer_id")
    ):
        open_cases[officer_id].append(case_id)
    factors = case_factors(case_id for ids in open_cases.values() for case_id in ids)
    for officer_id, ids in open_cases.items():
        load = loads[officer_id]
        load.open_cases = len(ids)
        for case_id in ids:
            load.factors.update(factors[case_id])
            load.weighted += case_weight(factors[case_id], weights)
        load.weighted = round(load.weighted, 2)
    return loads


@dataclass(frozen=True)
class TrendPoint:
    month_end: dt.date
    open_cases: int
    weighted: float


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months before this one, oldest first, then today."""
    ends = []
    first_of_month = today.replace(day=1)
    for _ in range(months - 1):
        end = first_of_month - dt.timedelta(days=1)
        ends.append(end)
        first_of_month = end.replace(day=1)
    return [*reversed(ends), today]


def caseload_trend(*, officers: Iterable[Officer], today: dt.date, months: int = 12) -> list[TrendPoint]:
    """The cases the officers held open at each month end over the last `months` months (the last
    point is today), counted and weighted.

    A case counts from the day it was reported until the day its outcome was decided. It counts for
    the officer in the case now: earlier allocations are not kept. Its weight uses its factors now.
    """
    ids = [officer.pk for officer in officers]
    ends = _month_ends(today, months)
    rows = list(
        Case.objects.filter(officer_id__in=ids, reported_at__date__lte=today).values_list(
            "pk", "reported_at", "status", "outcome__decided_on"
        )
    )
    factors = case_factors(row[0] for row in rows)
    weights = conf.caseload_weights()
    points = []
    for end in ends:
        held = [
            case_id
            for case_id, reported_at, status, decided_on in rows
            if reported_at.date() <= end
            and (decided_on > end if decided_on is not None else status != CaseStatus.CLOSED)
        ]
        weighted = round(sum(case_weight(factors[case_id], weights) for case_id in held), 2)
        points.append(TrendPoint(month_end=end, open_cases=len(held), weighted=weighted))
    return points
