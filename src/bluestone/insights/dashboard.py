"""The Measures page: the same rows as `bluestone measures`, for a period and the one before it,
as charts with tables, small numbers suppressed.

Nothing here names or describes a person: every figure is a count or a rate over cases, and any
count from 1 to 4 is shown as "fewer than 5" (its row's rate with it), in the page and the download.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest

from bluestone.accounts.models import Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import CaseStatus, Relationship
from bluestone.core import charts, clock
from bluestone.core.models import OffenceGroup, OutcomeType
from bluestone.insights.selectors import VICTIM_AGE_BAND_LABELS, Scope, compared_rows, measure_rows
from bluestone.measures import FUNNEL_STAGES, Period, Row, write_csv
from bluestone.measures.disclosure import is_small, is_suppressed
from bluestone.measures.records import FEEDBACK_QUESTIONS
from bluestone.victims.models import Right

SUPPRESSED_TEXT = "fewer than 5"
NOTHING = "\N{EN DASH}"
THIS_PERIOD = "This period"
PREVIOUS_PERIOD = "Previous period"

STAGE_LABELS = {
    "recorded": "Recorded",
    "suspect_identified": "Suspect identified",
    "arrested_or_interviewed": "Suspect arrested or interviewed",
    "file_to_cps": "File sent to CPS",
    "charged": "Charged or summonsed",
}
QUESTION_LABELS = {
    "voice": "I was listened to",
    "respect": "I was treated with respect",
    "neutrality": "I was treated fairly",
    "trustworthiness": "I could trust the police",
    "overall": "Overall satisfaction",
}
TIMELINESS = [
    ("days_to_charge", "median", "Days to charge, median"),
    ("days_to_charge", "p90", "Days to charge, 90th percentile"),
    ("days_to_outcome", "median", "Days to any outcome, median"),
    ("days_to_outcome", "p90", "Days to any outcome, 90th percentile"),
]


@dataclass(frozen=True)
class Filters:
    period: Period
    team: Team | None = None
    offence_group: str = ""
    relationship: str = ""
    victim_age_band: str = ""

    @property
    def offence_group_label(self) -> str:
        return str(OffenceGroup(self.offence_group).label).lower() if self.offence_group else "all offence groups"

    @property
    def description(self) -> str:
        """The filters in words, for the page: "All teams, rape, suspect a partner, victim 18 to 24"."""
        parts = [self.team.name if self.team else "All teams", self.offence_group_label]
        if self.relationship:
            parts.append(f"suspect's relationship to the victim: {str(Relationship(self.relationship).label).lower()}")
        if self.victim_age_band:
            parts.append(f"victim aged {VICTIM_AGE_BAND_LABELS[self.victim_age_band].lower()} at the offence")
        return ", ".join(parts)

    @property
    def scope(self) -> Scope:
        return Scope(
            team=self.team,
            offence_group=self.offence_group,
            relationship=self.relationship,
            victim_age_band=self.victim_age_band,
        )

    def details(self) -> dict[str, str]:
        """The filters as plain text, for the access log."""
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "team": self.team.code if self.team else "",
            "offence_group": self.offence_group,
            "relationship": self.relationship,
            "victim_age_band": self.victim_age_band,
        }


@dataclass(frozen=True)
class Headline:
    label: str
    current: str
    previous: str
    change: str


@dataclass
class Panel:
    slug: str
    title: str
    intro: str
    chart: str | None  # an SVG data: URL; None when there is nothing to draw
    chart_alt: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numeric_from: int = 1  # columns from this one on are numbers (right-aligned)
    # The measure rows behind the chart, this period's, for the chart's CSV download.
    figures: list[Row] = field(default_factory=list)


@dataclass
class Dashboard:
    filters: Filters
    previous: Period
    as_of: dt.date
    headlines: list[Headline]
    panels: list[Panel]


def default_period(today: dt.date) -> Period:
    """The twelve whole months before the current one."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = dt.date(end.year, 1, 1) if end.month == 12 else dt.date(end.year - 1, end.month + 1, 1)  # noqa: PLR2004
    return Period(start=start, end=end)


def measures_access_check(user: User) -> None:
    """PermissionDenied unless the user may see the measures."""
    if not rules.test_rule("insights.view_measures", user):
        raise PermissionDenied("The measures are for supervisors and analysts.")


class Figures:
    """One period's rows by (measure, breakdown)."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = {(row.measure, row.breakdown): row for row in rows}

    def get(self, measure: str, breakdown: str = "") -> Row | None:
        return self.rows.get((measure, breakdown))

    def shown_value(self, measure: str, breakdown: str = "") -> float | None:
        """The value, unless there is none or it is suppressed."""
        row = self.get(measure, breakdown)
        return None if row is None or is_suppressed(row) else row.value

    def breakdowns(self, measure: str) -> list[str]:
        return [b for m, b in self.rows if m == measure and b]


def _count(count: int | None) -> str:
    if count is None:
        return NOTHING
    return SUPPRESSED_TEXT if is_small(count) else f"{count:,}"


def _share(row: Row | None) -> str:
    if row is None or row.value is None:
        return NOTHING
    return SUPPRESSED_TEXT if is_suppressed(row) else f"{row.value * 100:.1f}%"


def _days(row: Row | None) -> str:
    if row is None or row.value is None:
        return NOTHING
    return SUPPRESSED_TEXT if is_suppressed(row) else f"{row.value:,.0f} days"


def _number(row: Row | None, digits: int = 1) -> str:
    if row is None or row.value is None:
        return NOTHING
    return SUPPRESSED_TEXT if is_suppressed(row) else f"{row.value:,.{digits}f}"


def _change(now: Row | None, before: Row | None, kind: str) -> str:
    if now is None or before is None or now.value is None or before.value is None:
        return NOTHING
    if is_suppressed(now) or is_suppressed(before):
        return NOTHING
    difference = now.value - before.value
    if kind == "share":
        return f"{difference * 100:+.1f} points"
    if kind == "days":
        return f"{difference:+,.0f} days"
    if kind == "count":
        return f"{difference:+,.0f}"
    return f"{difference:+,.1f}"


FORMATTERS: dict[str, Callable[[Row | None], str]] = {
    "share": _share,
    "days": _days,
    "count": lambda row: _count(row.numerator) if row else NOTHING,
    "number": _number,
}

HEADLINES = [
    ("recorded", "", "Crimes recorded", "count"),
    ("charge_rate_period", "", "Charge rate (outcomes decided in the period)", "share"),
    ("charge_rate_cohort", "", "Charge rate (crimes recorded in the period)", "share"),
    ("outcome_16_share", "", "Outcome 16 (victim does not support further action)", "share"),
    ("victim_withdrew", "", "Victim withdrew support (crimes recorded in the period)", "share"),
    ("days_to_charge", "median", "Days to charge, median", "days"),
    ("days_to_outcome", "median", "Days to any outcome, median", "days"),
    ("code_compliance", "", "Victims' Code duties met on time", "share"),
    ("contact_overdue", "", "Victims whose agreed contact is overdue", "share"),
    ("isva_referral", "", "Victims referred to an ISVA", "share"),
    ("suspect_focus", "", "Investigations that started with the suspect", "share"),
    ("victim_focused_actions", "per_100_cases", "Victim-focused actions per 100 crimes", "number"),
    ("victim_focused_actions", "approval_rate", "Victim-focused actions approved, of those decided", "share"),
    ("phones_returned_24h", "", "Victims' phones back within 24 hours", "share"),
    ("repeat_suspect_share", "", "Named suspects who are suspects in other reports", "share"),
    ("open_caseload_per_officer", "", "Open cases per officer in the case (now)", "number"),
]


def measures_dashboard(*, user: User, filters: Filters) -> Dashboard:
    """Every measure for the period and the one before it, as headlines, charts and tables."""
    measures_access_check(user)
    as_of = clock.today()
    previous = filters.period.previous()
    rows_now, rows_before = compared_rows(period=filters.period, previous=previous, as_of=as_of, scope=filters.scope)
    now, before = Figures(rows_now), Figures(rows_before)
    headlines = [
        Headline(
            label,
            FORMATTERS[kind](now.get(measure, breakdown)),
            FORMATTERS[kind](before.get(measure, breakdown)),
            _change(now.get(measure, breakdown), before.get(measure, breakdown), kind),
        )
        for measure, breakdown, label, kind in HEADLINES
        if now.get(measure, breakdown) is not None
    ]
    panels = dashboard_panels(filters, now, before)
    return Dashboard(filters=filters, previous=previous, as_of=as_of, headlines=headlines, panels=panels)


def dashboard_panels(filters: Filters, now: Figures, before: Figures) -> list[Panel]:
    """Every chart with its table, each carrying the period's rows it draws (for its CSV download)."""
    panels = [
        _cases_now(filters.scope),
        _charge_rate_trend(now),
        _timeliness_trend(now),
        _recorded_by_month(now),
        _recorded_by_group(now, before),
        _funnel(now, before),
        _outcomes(now, before),
        _timeliness(now, before),
        _compliance(now, before),
        _feedback(now, before),
    ]
    for panel in panels:
        if not panel.figures:
            panel.figures = [
                row for (measure, breakdown), row in now.rows.items() if _drawn(panel.slug, measure, breakdown)
            ]
    return panels


def _is_month(breakdown: str) -> bool:
    return len(breakdown) == 7 and breakdown[4] == "-"  # noqa: PLR2004


# Every chart of the page, in order: its slug and its title (what the download form offers).
PANEL_TITLES = {
    "cases-now": "Cases now, by status",
    "charge-rate-trend": "Charge rate by month",
    "timeliness-trend": "Time to charge and to outcome by month",
    "recorded-by-month": "Crimes recorded by month",
    "recorded-by-offence-group": "Crimes recorded by offence group",
    "funnel": "Where cases drop out",
    "outcomes": "Outcomes",
    "timeliness": "Time from recording to outcome",
    "code-compliance": "Victims' Code duties met on time",
    "feedback": "Victims' feedback",
}

PANEL_MEASURES = {
    "charge-rate-trend": {"charge_rate_by_month"},
    "timeliness-trend": {"days_to_charge_by_month", "days_to_outcome_by_month"},
    "recorded-by-month": {"recorded"},
    "recorded-by-offence-group": {"recorded"},
    "funnel": {"funnel"},
    "outcomes": {"outcomes"},
    "timeliness": {"days_to_charge", "days_to_outcome"},
    "code-compliance": {"code_compliance"},
    "feedback": {"feedback"},
}


def _drawn(slug: str, measure: str, breakdown: str) -> bool:
    """Whether the panel `slug` draws the row (measure, breakdown)."""
    if measure not in PANEL_MEASURES.get(slug, set()):
        return False
    if slug == "recorded-by-month":
        return _is_month(breakdown)
    if slug == "recorded-by-offence-group":
        return bool(breakdown) and not _is_month(breakdown)
    return True


def _trend_points(now: Figures, series: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    months = [b for b in now.breakdowns(series[0][0])]
    return [
        {"label": _month(month), "value": now.shown_value(measure, month), "series": name}
        for measure, name in series
        for month in months
    ]


def _charge_rate_trend(now: Figures) -> Panel:
    months = now.breakdowns("charge_rate_by_month")
    return Panel(
        slug="charge-rate-trend",
        title="Charge rate by month",
        intro=(
            "Of the outcomes decided in each month of the period, the share that were a charge or summons "
            "(outcome 1). A month with fewer than 5 outcomes, or fewer than 5 charges, has no point: the line "
            "joins the months either side."
        ),
        chart=charts.lines(
            _trend_points(now, [("charge_rate_by_month", "Charge rate")]),
            category="label",
            value="value",
            value_title="Charge rate",
            percent=True,
            order=[_month(m) for m in months],
        ),
        chart_alt="Line chart of the charge rate in each month of the period. The table below gives the figures.",
        headers=["Month", "Charged or summonsed", "Outcomes", "Charge rate"],
        rows=[
            [
                _month(m),
                _count(_row(now, "charge_rate_by_month", m).numerator),
                _count(_row(now, "charge_rate_by_month", m).denominator),
                _share(now.get("charge_rate_by_month", m)),
            ]
            for m in months
        ],
    )


def _timeliness_trend(now: Figures) -> Panel:
    months = now.breakdowns("days_to_charge_by_month")
    series = [("days_to_charge_by_month", "Days to charge"), ("days_to_outcome_by_month", "Days to any outcome")]
    return Panel(
        slug="timeliness-trend",
        title="Time to charge and to outcome by month",
        intro=(
            "The median number of days from the crime's recording to its charge, and to any outcome, over the "
            "outcomes decided in each month. A month with fewer than 5 such outcomes has no point."
        ),
        chart=charts.lines(
            _trend_points(now, series),
            category="label",
            value="value",
            value_title="Days, median",
            series="series",
            order=[_month(m) for m in months],
        ),
        chart_alt=(
            "Line chart of the median days to charge (solid line) and to any outcome (dashed line) in each month "
            "of the period. The table below gives the figures."
        ),
        headers=["Month", "Days to charge, median", "Charges", "Days to any outcome, median", "Outcomes"],
        rows=[
            [
                _month(m),
                _days(now.get("days_to_charge_by_month", m)),
                _count(_row(now, "days_to_charge_by_month", m).denominator),
                _days(now.get("days_to_outcome_by_month", m)),
                _count(_row(now, "days_to_outcome_by_month", m).denominator),
            ]
            for m in months
        ],
    )


def _two_series(labels: Sequence[tuple[str, str]], now: Figures, before: Figures, measure: str) -> list[dict[str, Any]]:
    points = []
    for breakdown, label in labels:
        points.append({"label": label, "value": now.shown_value(measure, breakdown), "period": THIS_PERIOD})
        points.append({"label": label, "value": before.shown_value(measure, breakdown), "period": PREVIOUS_PERIOD})
    return points


def _cases_now(scope: Scope) -> Panel:
    counts = dict(scope.cases().order_by().values_list("status").annotate(n=Count("pk")))
    labels = [(status.value, str(status.label)) for status in CaseStatus]
    points = [
        {"label": label, "value": None if is_small(counts.get(value, 0)) else counts.get(value, 0)}
        for value, label in labels
    ]
    open_cases = sum(n for status, n in counts.items() if status != CaseStatus.CLOSED)
    return Panel(
        slug="cases-now",
        title="Cases now, by status",
        intro=(
            f"Every case held today, whenever it was recorded: {_count(open_cases)} open, "
            f"{_count(sum(counts.values()))} in all."
        ),
        chart=charts.bars(
            points, category="label", value="value", value_title="Cases", order=[label for _, label in labels]
        ),
        chart_alt=_alt("cases held today by status", compared=False),
        headers=["Status", "Cases"],
        rows=[[label, _count(counts.get(value, 0))] for value, label in labels],
        figures=[
            Row("cases_now", value, counts.get(value, 0), None, float(counts.get(value, 0))) for value, _ in labels
        ],
    )


def _recorded_by_month(now: Figures) -> Panel:
    months = [b for b in now.breakdowns("recorded") if len(b) == 7 and b[4] == "-"]  # noqa: PLR2004
    points: list[dict[str, Any]] = [{"label": _month(m), "value": now.shown_value("recorded", m)} for m in months]
    return Panel(
        slug="recorded-by-month",
        title="Crimes recorded by month",
        intro=(
            "Crimes recorded in each month of the period (a month cut by the period's start or end counts "
            "only its days in it)."
        ),
        chart=charts.bars(
            points,
            category="label",
            value="value",
            value_title="Crimes recorded",
            horizontal=False,
            order=[p["label"] for p in points],
        ),
        chart_alt=_alt("crimes recorded by month", compared=False),
        headers=["Month", "Crimes recorded"],
        rows=[[_month(m), _count(_row(now, "recorded", m).numerator)] for m in months],
    )


def _recorded_by_group(now: Figures, before: Figures) -> Panel:
    groups = [(g.value, str(g.label)) for g in OffenceGroup]
    points = []
    for code, label in groups:
        for figures, name in ((now, THIS_PERIOD), (before, PREVIOUS_PERIOD)):
            row = figures.get("recorded", code)
            shown = row is not None and not is_suppressed(row)
            points.append({"label": label, "value": row.value if shown and row else None, "period": name})
    return Panel(
        slug="recorded-by-offence-group",
        title="Crimes recorded by offence group",
        intro="Crimes recorded in the period and in the period before it, by the offence group of their class.",
        chart=charts.bars(
            points,
            category="label",
            value="value",
            value_title="Crimes recorded",
            series="period",
            order=[label for _, label in groups],
        ),
        chart_alt=_alt("crimes recorded by offence group", compared=True),
        headers=["Offence group", THIS_PERIOD, PREVIOUS_PERIOD],
        rows=[
            [label, _count(_row(now, "recorded", code).numerator), _count(_row(before, "recorded", code).numerator)]
            for code, label in groups
        ],
    )


def _funnel(now: Figures, before: Figures) -> Panel:
    labels = [(stage, STAGE_LABELS[stage]) for stage in FUNNEL_STAGES]
    return Panel(
        slug="funnel",
        title="Where cases drop out",
        intro="Of the crimes recorded in the period, the share that reached each stage by today.",
        chart=charts.bars(
            _two_series(labels, now, before, "funnel"),
            category="label",
            value="value",
            value_title="Share of crimes recorded",
            series="period",
            percent=True,
            order=[label for _, label in labels],
        ),
        chart_alt=_alt("the share of crimes recorded that reached each stage", compared=True),
        headers=["Stage", "Crimes", "Share", "Previous period share"],
        rows=[
            [
                label,
                _count(_row(now, "funnel", s).numerator),
                _share(now.get("funnel", s)),
                _share(before.get("funnel", s)),
            ]
            for s, label in labels
        ],
    )


def _outcomes(now: Figures, before: Figures) -> Panel:
    codes = sorted({*now.breakdowns("outcomes"), *before.breakdowns("outcomes")}, key=int)
    names = dict(OutcomeType.objects.filter(code__in=[int(c) for c in codes]).values_list("code", "name"))
    labels = [(code, f"Outcome {code}") for code in codes]
    return Panel(
        slug="outcomes",
        title="Outcomes",
        intro="Outcomes decided in the period, by Home Office outcome, as a share of all outcomes decided in it.",
        chart=charts.bars(
            _two_series(labels, now, before, "outcomes"),
            category="label",
            value="value",
            value_title="Share of outcomes",
            series="period",
            percent=True,
            order=[label for _, label in labels],
        ),
        chart_alt=_alt("the share of each outcome", compared=True),
        headers=["Outcome", "Outcomes", "Share", "Previous period share"],
        rows=[
            [
                f"{c}: {names.get(int(c), 'Outcome')}",
                _count(_row(now, "outcomes", c).numerator),
                _share(now.get("outcomes", c)),
                _share(before.get("outcomes", c)),
            ]
            for c, label in labels
        ],
    )


def _timeliness(now: Figures, before: Figures) -> Panel:
    points = []
    for measure, breakdown, label in TIMELINESS:
        points.append({"label": label, "value": now.shown_value(measure, breakdown), "period": THIS_PERIOD})
        points.append({"label": label, "value": before.shown_value(measure, breakdown), "period": PREVIOUS_PERIOD})
    return Panel(
        slug="timeliness",
        title="Time from recording to outcome",
        intro=(
            "Days from the crime's recording to its outcome, over outcomes decided in the period: the median, "
            "and the 90th percentile (nine in ten took no longer)."
        ),
        chart=charts.bars(
            points,
            category="label",
            value="value",
            value_title="Days",
            series="period",
            order=[label for _, _, label in TIMELINESS],
        ),
        chart_alt=_alt("days to charge and to any outcome, median and 90th percentile", compared=True),
        headers=["Measure", THIS_PERIOD, "Outcomes", PREVIOUS_PERIOD],
        rows=[
            [label, _days(now.get(m, b)), _count(_row(now, m, b).denominator), _days(before.get(m, b))]
            for m, b, label in TIMELINESS
        ],
    )


def _compliance(now: Figures, before: Figures) -> Panel:
    codes = now.breakdowns("code_compliance")
    names = dict(Right.objects.filter(code__in=codes).values_list("code", "name"))
    labels = [(code, names.get(code, code)) for code in codes]
    return Panel(
        slug="code-compliance",
        title="Victims' Code duties met on time",
        intro="Duties that fell due in the period, by right: the share met by their deadline.",
        chart=charts.bars(
            _two_series(labels, now, before, "code_compliance"),
            category="label",
            value="value",
            value_title="Share met on time",
            series="period",
            percent=True,
            order=[label for _, label in labels],
        ),
        chart_alt=_alt("the share of Victims' Code duties met on time, by right", compared=True),
        headers=["Right", "Met on time", "Fell due", "Share", "Previous period share"],
        rows=[
            [
                label,
                _count(_row(now, "code_compliance", c).numerator),
                _count(_row(now, "code_compliance", c).denominator),
                _share(now.get("code_compliance", c)),
                _share(before.get("code_compliance", c)),
            ]
            for c, label in labels
        ],
    )


def _feedback(now: Figures, before: Figures) -> Panel:
    labels = [(q, QUESTION_LABELS[q]) for q in FEEDBACK_QUESTIONS]
    responses = _row(now, "feedback", "").numerator
    return Panel(
        slug="feedback",
        title="Victims' feedback",
        intro=(
            f"Answers to the portal's survey submitted in the period ({_count(responses)} responses): the mean "
            "score from 1 (strongly disagree) to 5 (strongly agree). Under 5 responses no mean is shown."
        ),
        chart=charts.bars(
            _two_series(labels, now, before, "feedback"),
            category="label",
            value="value",
            value_title="Mean score (1 to 5)",
            value_format=".1f",
            series="period",
            order=[label for _, label in labels],
        ),
        chart_alt=_alt("the mean feedback score per question", compared=True),
        headers=["Question", THIS_PERIOD, PREVIOUS_PERIOD],
        rows=[[label, _number(now.get("feedback", q)), _number(before.get("feedback", q))] for q, label in labels],
    )


def _alt(what: str, *, compared: bool) -> str:
    both = ", this period and the previous period" if compared else ""
    return f"Bar chart of {what}{both}. The table below gives the figures."


def _row(figures: Figures, measure: str, breakdown: str) -> Row:
    return figures.get(measure, breakdown) or Row(measure, breakdown, 0, 0, None)


def _month(key: str) -> str:
    return dt.date(int(key[:4]), int(key[5:]), 1).strftime("%b %Y")


def measures_csv(
    *, user: User, filters: Filters, recipient: str, panel: str = "", request: HttpRequest | None = None
) -> str:
    """The period's rows as CSV, small numbers suppressed: every measure, or with `panel` the rows one
    chart draws. The download is logged as a disclosure."""
    measures_access_check(user)
    as_of = clock.today()
    if panel:
        now = Figures(measure_rows(period=filters.period, as_of=as_of, scope=filters.scope, trends=True))
        before = Figures([])  # a chart's download is this period's figures only
        rows = next(p.figures for p in dashboard_panels(filters, now, before) if p.slug == panel)
    else:
        rows = measure_rows(period=filters.period, as_of=as_of, scope=filters.scope)
    out = io.StringIO()
    write_csv(rows, out, suppress_small=True)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.DISCLOSURE,
            request=request,
            object_type="insights.measures",
            recipient=recipient,
            details={"format": "csv", "rows": len(rows), "filters": filters.details(), "chart": panel},
        )
    return out.getvalue()
