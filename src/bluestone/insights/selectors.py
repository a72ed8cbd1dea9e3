"""The measures of the operating model, drawn from the database.

The definitions are in `bluestone.measures` (framework-free); this module only reads the records
they need, in scope, and converts times to days in Europe/London. The command line and the dashboard
both call `measure_rows`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import CharField, Min, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from bluestone.accounts.models import Team
from bluestone.cases.facts import NOT_KNOWN, VICTIM_AGE_BANDS
from bluestone.cases.models import Case, CaseFacts, EventKind
from bluestone.core.models import OffenceGroup
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

# The event each stage column of the facts table stands for (the measures ask only whether a case
# reached the stage by a day, so the first of an arrest or an interview stands for both).
STAGE_EVENTS = (
    (EventKind.SUSPECT_ARRESTED.value, "arrested_or_interviewed_on"),
    (EventKind.FILE_TO_CPS.value, "file_to_cps_on"),
    (EventKind.VICTIM_WITHDREW.value, "victim_withdrew_on"),
)

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


def _text(column: str | Min) -> Cast:
    return Cast(column, output_field=CharField())


def _date(value: Any) -> Any:
    """A date as the database driver gives it, a date (PostgreSQL) or its ISO text (SQLite), as a
    date (None stays None)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _raw(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of `query` as the driver returns them, without Django's per-value converters (on
    SQLite they parse each date with a regular expression, most of the read's time)."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
    # The cohort through the facts' indexed London day of recording (the cases have no index on
    # `recorded_at`, and a planner that misjudges a subquery over them scans them once per row).
    cohort = Case.objects.filter(
        pk__in=scope.facts().filter(recorded_on__gte=period.start, recorded_on__lte=period.end).values("case_id")
    )
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
    scope recorded in it or with an outcome decided in it, their outcomes, and, of the cases recorded
    in it, the first day of each stage's event by `as_of`. One read of the facts table."""
    needed = scope.facts().filter(
        Q(recorded_on__gte=window.start, recorded_on__lte=window.end)
        | Q(decided_on__gte=window.start, decided_on__lte=window.end)
    )
    columns = ("recorded_on", "offence_group", "has_suspect", "outcome_code", "decided_on")
    query = (
        needed.order_by()
        .annotate(key=_text("case_id"))
        .values_list("key", *columns, *(name for _, name in STAGE_EVENTS))
    )
    cases: list[CaseRecord] = []
    outcomes: list[OutcomeRecord] = []
    events: list[EventRecord] = []
    for key, recorded, group, suspect, code, decided, *stages in _raw(query):
        recorded_on = _date(recorded)
        cases.append(CaseRecord(key, recorded_on, group, bool(suspect)))
        if code is not None:
            outcomes.append(OutcomeRecord(key, code, _date(decided)))
        if window.start <= recorded_on <= window.end:
            for (kind, _), stage in zip(STAGE_EVENTS, stages, strict=True):
                if stage is not None and (day := _date(stage)) <= as_of:
                    events.append(EventRecord(key, kind, day))
    return cases, outcomes, events
