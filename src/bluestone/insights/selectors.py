"""The measures of the operating model, drawn from the database.

The definitions are in `bluestone.measures` (framework-free); this module only reads the records
they need, in scope, and converts times to days in Europe/London. The command line and the dashboard
both call `measure_rows`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as Choose
from django.db.models import CharField, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from bluestone.accounts.models import Team
from bluestone.cases.models import Case, CaseEvent, Involvement, Outcome, Role
from bluestone.core.models import OffenceGroup
from bluestone.core.pseudonyms import AGE_BANDS
from bluestone.insights.records import record_rows
from bluestone.measures import (
    CaseRecord,
    EventRecord,
    OutcomeRecord,
    Period,
    Row,
    extract_measures,
    monthly_trends,
)
from bluestone.measures.extract_based import EVENT_KINDS

NOT_KNOWN = "not_known"
OLDEST = 200


def _age_bands() -> list[tuple[str, str, int, int]]:
    """(code, label, lowest age, age above the band) of each victim age band, as the rest of the app
    bands ages (`bluestone.core.pseudonyms.AGE_BANDS`)."""
    bands = []
    lowest = 0
    for upper, label in AGE_BANDS:
        bands.append((f"{lowest}_{upper - 1}" if lowest else f"under_{upper}", label, lowest, upper))
        lowest = upper
    bands.append((f"{lowest}_and_over", f"{lowest} and over", lowest, OLDEST))
    return bands


VICTIM_AGE_BANDS = _age_bands()
VICTIM_AGE_BAND_LABELS = {code: label for code, label, _, _ in VICTIM_AGE_BANDS} | {NOT_KNOWN: "Not known"}


def _victims_in_band(band: str) -> QuerySet[Involvement]:
    """The victim involvements of the outer case whose victim was in `band` on the first day of the
    offence (a date of birth not recorded is band `not_known`)."""
    victims = Involvement.objects.filter(case=OuterRef("pk"), role=Role.VICTIM)
    if band == NOT_KNOWN:
        return victims.filter(person__date_of_birth__isnull=True)
    lowest, above = next((low, high) for code, _, low, high in VICTIM_AGE_BANDS if code == band)
    # Age in whole years: the difference of the years, less one while the birthday is still to come.
    return (
        victims.filter(person__date_of_birth__isnull=False)
        .annotate(
            offence_day=ExtractMonth(OuterRef("offence_from")) * 100 + ExtractDay(OuterRef("offence_from")),
            birth_day=ExtractMonth("person__date_of_birth") * 100 + ExtractDay("person__date_of_birth"),
        )
        .annotate(
            age=ExtractYear(OuterRef("offence_from"))
            - ExtractYear("person__date_of_birth")
            - Choose(When(offence_day__lt=F("birth_day"), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .filter(age__gte=lowest, age__lt=above)
    )


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
            cases = cases.filter(
                Exists(
                    Involvement.objects.filter(
                        case=OuterRef("pk"), role=Role.SUSPECT, relationship_to_victim=self.relationship
                    )
                )
            )
        if self.victim_age_band:
            cases = cases.filter(Exists(_victims_in_band(self.victim_age_band)))
        return cases


def _text(column: str | Min) -> Cast:
    return Cast(column, output_field=CharField())


def _london_day(stamp: str) -> dt.date:
    """The date in the app's time zone (Europe/London) of a time read as text: as SQLite stores it
    (UTC, no offset) or as PostgreSQL writes it (with its offset). Parsing the text is several times
    faster than letting the database layer build each datetime, which dominated the measures' time
    on SQLite."""
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(timezone.get_default_timezone()).date()


def day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The instants the period's first day starts and the day after its last starts, in Europe/London."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


ExtractRecords = tuple[list[CaseRecord], list[OutcomeRecord], list[EventRecord]]


def measure_rows(
    *,
    period: Period,
    as_of: dt.date,
    scope: Scope | None = None,
    trends: bool = False,
    records: ExtractRecords | None = None,
) -> list[Row]:
    """Every measure for the period and scope, one row per measure and breakdown (docs/measures.md);
    with `trends`, the month-by-month trend rows after them (`bluestone.measures.trends`). `records`
    are extract records already read for a window that holds the period (`extract_records`)."""
    scope = scope or Scope()
    start, end = day_bounds(period)
    cohort = scope.cases().filter(recorded_at__gte=start, recorded_at__lt=end)
    return [
        *extract_rows(period=period, as_of=as_of, scope=scope, trends=trends, records=records),
        *record_rows(period=period, as_of=as_of, in_scope=scope.cases(), cohort=cohort, force_wide=scope.force_wide),
    ]


def compared_rows(*, period: Period, previous: Period, as_of: dt.date, scope: Scope) -> tuple[list[Row], list[Row]]:
    """The rows of a period (with its trends) and of the period it is compared with, the extract
    records of both read at once."""
    window = Period(min(period.start, previous.start), max(period.end, previous.end))
    records = extract_records(window=window, as_of=as_of, scope=scope)
    return (
        measure_rows(period=period, as_of=as_of, scope=scope, trends=True, records=records),
        measure_rows(period=previous, as_of=as_of, scope=scope, records=records),
    )


def extract_rows(
    *, period: Period, as_of: dt.date, scope: Scope, trends: bool = False, records: ExtractRecords | None = None
) -> list[Row]:
    cases, outcomes, events = records or extract_records(window=period, as_of=as_of, scope=scope)
    rows = extract_measures(
        cases=cases,
        outcomes=outcomes,
        events=events,
        period=period,
        as_of=as_of,
        offence_groups=OffenceGroup.values,
    )
    if trends:
        rows += monthly_trends(cases=cases, outcomes=outcomes, period=period)
    return rows


def extract_records(*, window: Period, as_of: dt.date, scope: Scope) -> ExtractRecords:
    """The records the extract-based measures need for any period inside `window`: the cases in
    scope recorded in it or with an outcome decided in it, their outcomes, and the first event of each
    kind by `as_of` of the cases recorded in it."""
    start, end = day_bounds(window)
    in_scope = scope.cases()
    recorded_in_window = Q(recorded_at__gte=start, recorded_at__lt=end)
    needed = in_scope.filter(
        recorded_in_window | Q(outcome__decided_on__gte=window.start, outcome__decided_on__lte=window.end)
    )
    has_suspect = Exists(Involvement.objects.filter(case=OuterRef("pk"), role=Role.SUSPECT))
    # Case keys are read as text: they only join the three lists, and making thousands of UUID
    # objects costs more than the rest of the work.
    cases = [
        CaseRecord(key, _london_day(recorded_at), group, suspect)
        for key, recorded_at, group, suspect in needed.order_by()
        .annotate(has_suspect=has_suspect, key=_text("pk"), recorded=_text("recorded_at"))
        .values_list("key", "recorded", "offence_class__group", "has_suspect")
    ]
    outcomes = [
        OutcomeRecord(key, code, decided_on)
        for key, code, decided_on in Outcome.objects.filter(case__in=needed.values("pk"))
        .order_by()
        .annotate(key=_text("case_id"))
        .values_list("key", "outcome_type_id", "decided_on")
    ]
    # Only whether each cohort case had each kind of event by `as_of` counts: the first of each, up to
    # the end of that day, is all that is fetched (far fewer rows than every event).
    _, as_of_end = day_bounds(Period(as_of, as_of))
    events = [
        EventRecord(key, kind, _london_day(first))
        for key, kind, first in CaseEvent.objects.filter(
            case__in=in_scope.filter(recorded_in_window).values("pk"),
            kind__in=sorted(EVENT_KINDS),
            occurred_at__lt=as_of_end,
        )
        .order_by()
        .annotate(key=_text("case_id"))
        .values_list("key", "kind")
        .annotate(first=_text(Min("occurred_at")))
    ]
    return cases, outcomes, events
