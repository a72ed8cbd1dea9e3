"""The measures of the operating model, drawn from the database.

The definitions are in `bluestone.measures` (framework-free); this module only reads the records
they need, in scope, and converts times to days in Europe/London. The command line and the dashboard
both call `measure_rows`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bluestone.accounts.models import Team
from bluestone.cases.models import Case, CaseEvent, Involvement, Outcome, Role
from bluestone.core.models import OffenceGroup
from bluestone.insights.records import record_rows
from bluestone.measures import CaseRecord, EventRecord, OutcomeRecord, Period, Row, extract_measures
from bluestone.measures.extract_based import EVENT_KINDS


@dataclass(frozen=True)
class Scope:
    """Which cases are measured: the whole force, or a team's and/or an offence group's."""

    team: Team | None = None
    offence_group: str = ""

    @property
    def force_wide(self) -> bool:
        return self.team is None and not self.offence_group

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.all()
        if self.team is not None:
            cases = cases.filter(team=self.team)
        if self.offence_group:
            cases = cases.filter(offence_class__group=self.offence_group)
        return cases


def day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The instants the period's first day starts and the day after its last starts, in Europe/London."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def measure_rows(*, period: Period, as_of: dt.date, scope: Scope | None = None) -> list[Row]:
    """Every measure for the period and scope, one row per measure and breakdown (docs/measures.md)."""
    scope = scope or Scope()
    start, end = day_bounds(period)
    cohort = scope.cases().filter(recorded_at__gte=start, recorded_at__lt=end)
    return [
        *extract_rows(period=period, as_of=as_of, scope=scope),
        *record_rows(period=period, as_of=as_of, in_scope=scope.cases(), cohort=cohort, force_wide=scope.force_wide),
    ]


def extract_rows(*, period: Period, as_of: dt.date, scope: Scope) -> list[Row]:
    start, end = day_bounds(period)
    zone = timezone.get_default_timezone()
    in_scope = scope.cases()
    recorded_in_period = Q(recorded_at__gte=start, recorded_at__lt=end)
    needed = in_scope.filter(
        recorded_in_period | Q(outcome__decided_on__gte=period.start, outcome__decided_on__lte=period.end)
    )
    has_suspect = Exists(Involvement.objects.filter(case=OuterRef("pk"), role=Role.SUSPECT))
    cases = [
        CaseRecord(str(pk), recorded_at.astimezone(zone).date(), group, suspect)
        for pk, recorded_at, group, suspect in needed.order_by()
        .annotate(has_suspect=has_suspect)
        .values_list("pk", "recorded_at", "offence_class__group", "has_suspect")
    ]
    outcomes = [
        OutcomeRecord(str(case_id), code, decided_on)
        for case_id, code, decided_on in Outcome.objects.filter(case__in=needed.values("pk"))
        .order_by()
        .values_list("case_id", "outcome_type_id", "decided_on")
    ]
    events = [
        EventRecord(str(case_id), kind, occurred_at.astimezone(zone).date())
        for case_id, kind, occurred_at in CaseEvent.objects.filter(
            case__in=in_scope.filter(recorded_in_period).values("pk"), kind__in=sorted(EVENT_KINDS)
        )
        .order_by()
        .values_list("case_id", "kind", "occurred_at")
    ]
    return extract_measures(
        cases=cases,
        outcomes=outcomes,
        events=events,
        period=period,
        as_of=as_of,
        offence_groups=OffenceGroup.values,
    )
