"""The measures of the operating model, drawn from the database.

The definitions are in `bluestone.measures` (framework-free); this module only reads the records
they need, in scope, and converts times to days in Europe/London. The command line and the dashboard
both call `measure_rows`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Count, DurationField, ExpressionWrapper, F, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bluestone.accounts.models import Team
from bluestone.cases.facts import NOT_KNOWN, VICTIM_AGE_BANDS
from bluestone.cases.models import Case, CaseFacts
from bluestone.core.models import OffenceGroup
from bluestone.insights.records import record_rows
from bluestone.measures import CohortCount, DecidedCount, Period, Row, count_measures, count_trends
from bluestone.measures.extract_based import CHARGE

VICTIM_AGE_BAND_LABELS = {code: label for code, label, _, _ in VICTIM_AGE_BANDS} | {NOT_KNOWN: "Not known"}


@dataclass(frozen=True)
class Scope:
    """Which cases are measured: the whole force, or those of a team, an offence group, a suspect's
    relationship to the victim (any suspect on the case) and a victim's age band at the offence (any
    victim on the case), each filter narrowing the last."""

    team: Team | None = None
    offence_group: str = ""
    relationship: str = ""
    victim_age_band: str = ""

    @property
    def force_wide(self) -> bool:
        return self.team is None and not (self.offence_group or self.relationship or self.victim_age_band)

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.all()
        if self.team is not None:
            cases = cases.filter(team=self.team)
        if self.offence_group:
            cases = cases.filter(offence_class__group=self.offence_group)
        if self.relationship:
            cases = cases.filter(facts__relationships__contains=f"|{self.relationship}|")
        if self.victim_age_band:
            cases = cases.filter(facts__victim_age_bands__contains=f"|{self.victim_age_band}|")
        return cases

    def facts(self) -> QuerySet[CaseFacts]:
        """The facts rows (`bluestone.cases.facts`) of the cases in scope."""
        facts = CaseFacts.objects.all()
        if self.team is not None:
            facts = facts.filter(team=self.team)
        if self.offence_group:
            facts = facts.filter(offence_group=self.offence_group)
        if self.relationship:
            facts = facts.filter(relationships__contains=f"|{self.relationship}|")
        if self.victim_age_band:
            facts = facts.filter(victim_age_bands__contains=f"|{self.victim_age_band}|")
        return facts


def day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The instants the period's first day starts and the day after its last starts, in Europe/London."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def measure_rows(*, period: Period, as_of: dt.date, scope: Scope | None = None, trends: bool = False) -> list[Row]:
    """Every measure for the period and scope, one row per measure and breakdown (docs/measures.md);
    with `trends`, the month-by-month trend rows after them (`bluestone.measures.trends`)."""
    scope = scope or Scope()
    # The cohort through the facts' indexed London day of recording (the cases have no index on
    # `recorded_at`, and a planner that misjudges a subquery over them scans them once per row).
    cohort = Case.objects.filter(
        pk__in=scope.facts().filter(recorded_on__gte=period.start, recorded_on__lte=period.end).values("case_id")
    )
    return [
        *extract_rows(period=period, as_of=as_of, scope=scope, trends=trends),
        *record_rows(period=period, as_of=as_of, in_scope=scope.cases(), cohort=cohort, force_wide=scope.force_wide),
    ]


def compared_rows(*, period: Period, previous: Period, as_of: dt.date, scope: Scope) -> tuple[list[Row], list[Row]]:
    """The rows of a period (with its trends) and of the period it is compared with."""
    return (
        measure_rows(period=period, as_of=as_of, scope=scope, trends=True),
        measure_rows(period=previous, as_of=as_of, scope=scope),
    )


def extract_rows(*, period: Period, as_of: dt.date, scope: Scope, trends: bool = False) -> list[Row]:
    cohort, decided = facts_counts(period=period, as_of=as_of, scope=scope)
    rows = count_measures(cohort=cohort, decided=decided, period=period, offence_groups=OffenceGroup.values)
    if trends:
        rows += count_trends(decided=decided, period=period)
    return rows


def _reached(column: str, as_of: dt.date) -> SqlCase:
    """Whether the case reached the stage whose first day is in `column` by the as-of day."""
    return SqlCase(
        When(**{f"{column}__lte": as_of}, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def facts_counts(*, period: Period, as_of: dt.date, scope: Scope) -> tuple[list[CohortCount], list[DecidedCount]]:
    """The counts the extract-based measures take (`bluestone.measures.count_measures`), counted by
    the database from the facts rows in scope: the cases recorded in the period by month, offence
    group and the stages reached by `as_of`; the outcomes decided in it by month, code and days from
    recording. Two grouped queries whose rows grow with the months and days, not with the cases."""
    facts = scope.facts().order_by()
    cohort = (
        facts.filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
        .annotate(
            month=TruncMonth("recorded_on"),
            arrested=_reached("arrested_or_interviewed_on", as_of),
            to_cps=_reached("file_to_cps_on", as_of),
            charged=SqlCase(
                When(outcome_code=CHARGE, decided_on__lte=as_of, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            withdrew=_reached("victim_withdrew_on", as_of),
        )
        .values("month", "offence_group", "has_suspect", "arrested", "to_cps", "charged", "withdrew")
        .annotate(n=Count("pk"))
        .values_list("month", "offence_group", "has_suspect", "arrested", "to_cps", "charged", "withdrew", "n")
    )
    decided = (
        facts.filter(outcome_code__isnull=False, decided_on__gte=period.start, decided_on__lte=period.end)
        .annotate(
            month=TruncMonth("decided_on"),
            took=ExpressionWrapper(F("decided_on") - F("recorded_on"), output_field=DurationField()),
        )
        .values("month", "outcome_code", "took")
        .annotate(n=Count("pk"))
        .values_list("month", "outcome_code", "took", "n")
    )
    return (
        [
            CohortCount(
                f"{month:%Y-%m}", group, bool(suspect), bool(arrested), bool(cps), bool(charged), bool(withdrew), n
            )
            for month, group, suspect, arrested, cps, charged, withdrew, n in cohort
        ],
        # (the query leaves out the facts without an outcome code; the test tells mypy so)
        [DecidedCount(f"{month:%Y-%m}", code, took.days, n) for month, code, took, n in decided if code is not None],
    )
