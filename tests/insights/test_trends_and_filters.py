"""The Measures page's trend lines by month and its relationship and victim age band filters.

The figures are checked against DuckDB SQL over the extract (tests/insights/extract_sql.py, which
imports nothing of `bluestone.measures`) on a loaded synthetic force, and against hand-worked
figures on a few cases made for the purpose.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.test import Client

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.loading import extract_load
from bluestone.cases.models import CaseStatus, Relationship
from bluestone.core.models import OutcomeType
from bluestone.insights.selectors import VICTIM_AGE_BANDS, Scope, measure_rows
from bluestone.measures import TREND_MEASURES, Period
from tests.factories import CaseFactory, InvolvementFactory, OutcomeFactory, PersonRecordFactory, UserFactory
from tests.insights.extract_sql import Figures, extract_figures
from tests.insights.test_measures_command import assert_same

AS_OF = dt.date(2026, 6, 30)
YEAR = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
AUTUMN_TO_SUMMER = Period(dt.date(2025, 9, 15), dt.date(2026, 6, 14))


@pytest.fixture
def loaded(db: None, force_dir: Path) -> Path:
    extract_load(directory=force_dir)
    return force_dir


def figures_of(period: Period, scope: Scope) -> Figures:
    return {
        (r.measure, r.breakdown): (
            None if r.numerator is None else float(r.numerator),
            None if r.denominator is None else float(r.denominator),
            r.value,
        )
        for r in measure_rows(period=period, as_of=AS_OF, scope=scope, trends=True)
    }


def _busiest(values: list[str | None]) -> str:
    present = sorted({v for v in values if v})
    return max(present, key=values.count)


@pytest.mark.parametrize("period", [YEAR, AUTUMN_TO_SUMMER], ids=["2025", "sep-to-jun"])
def test_trends_and_every_extract_measure_equal_duckdb_force_wide(loaded: Path, period: Period) -> None:
    expected = extract_figures(loaded, start=period.start, finish=period.end, as_of=AS_OF)
    assert_same(figures_of(period, Scope()), expected, trends=True)
    months = [key for key in expected if key[0] == "charge_rate_by_month"]
    assert len(months) == len(period.months())
    assert any(expected[key][1] for key in months)  # outcomes in some month: the trend has data


def test_the_relationship_filter_equals_duckdb(loaded: Path) -> None:
    involvements = pq.read_table(loaded / "involvements.parquet")
    suspects = involvements.filter(pc.equal(involvements.column("role"), "suspect"))
    relationship = _busiest(suspects.column("relationship_to_victim").to_pylist())
    expected = extract_figures(loaded, start=YEAR.start, finish=YEAR.end, as_of=AS_OF, relationship=relationship)
    force_wide = extract_figures(loaded, start=YEAR.start, finish=YEAR.end, as_of=AS_OF)
    narrowed, whole = expected["recorded", ""][0], force_wide["recorded", ""][0]
    assert narrowed is not None
    assert whole is not None
    assert 0 < narrowed < whole  # a real narrowing
    assert_same(figures_of(YEAR, Scope(relationship=relationship)), expected, trends=True)


@pytest.mark.parametrize("band", ["18_24", "25_34", "not_known"])
def test_the_victim_age_band_filter_equals_duckdb(loaded: Path, band: str) -> None:
    lowest, above = next(((low, high) for code, _, low, high in VICTIM_AGE_BANDS if code == band), (0, 0))
    expected = extract_figures(
        loaded,
        start=YEAR.start,
        finish=YEAR.end,
        as_of=AS_OF,
        victim_age=(lowest, above - 1) if band != "not_known" else None,
        victim_age_unknown=band == "not_known",
    )
    assert_same(figures_of(YEAR, Scope(victim_age_band=band)), expected, trends=True)
    if band != "not_known":
        assert expected["recorded", ""][0]  # the band has cases in the force


def test_filters_combine_with_team_and_offence_group(loaded: Path) -> None:
    cases = pq.read_table(loaded / "cases.parquet")
    team = _busiest(cases.column("team_id").to_pylist())
    expected = extract_figures(
        loaded, start=YEAR.start, finish=YEAR.end, as_of=AS_OF, team=team, relationship="stranger"
    )
    from bluestone.accounts.models import Team  # noqa: PLC0415

    got = figures_of(YEAR, Scope(team=Team.objects.get(code=team), relationship="stranger"))
    assert_same(got, expected, trends=True)


# Hand-worked figures: January 2025 has six outcomes (five charges 10, 20, 30, 40 and 50 days after
# recording, and one outcome 16 at 100 days); February two charges and three outcome 16s; March none.
RECORDED = dt.datetime(2024, 12, 1, 12, tzinfo=dt.UTC)


def _decided(days: int, code: int, *, relationship: str = "", born: dt.date | None = None) -> None:
    case = CaseFactory.create(
        reported_at=RECORDED, recorded_at=RECORDED, offence_from=dt.date(2024, 11, 30), status=CaseStatus.CLOSED
    )
    OutcomeFactory.create(
        case=case, outcome_type=OutcomeType.objects.get(code=code), decided_on=dt.date(2024, 12, 1) + dt.timedelta(days)
    )
    InvolvementFactory.create(case=case, role="victim", person=PersonRecordFactory.create(date_of_birth=born))
    if relationship:
        InvolvementFactory.create(case=case, role="suspect", relationship_to_victim=relationship)


@pytest.fixture
def hand_worked(db: None) -> None:
    # January: decided 2025-01-xx (days 31 to 61 after 1 December are in January).
    for days in (40, 41, 42, 43, 44):
        _decided(days, 1, relationship=Relationship.PARTNER, born=dt.date(2000, 12, 1))  # 23 on 30 Nov 2024
    _decided(45, 16, relationship=Relationship.STRANGER, born=dt.date(2000, 11, 30))  # 24 that day
    # February (days 62 to 89).
    for days in (70, 71):
        _decided(days, 1, relationship=Relationship.STRANGER, born=dt.date(1990, 1, 1))
    for days in (72, 73, 74):
        _decided(days, 16, born=None)


def test_trends_by_month_match_hand_worked_figures(hand_worked: None) -> None:
    rows = {
        (r.measure, r.breakdown): r
        for r in measure_rows(period=Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31)), as_of=AS_OF, trends=True)
        if r.measure in TREND_MEASURES
    }
    january, february, march = "2025-01", "2025-02", "2025-03"
    assert (rows["charge_rate_by_month", january].numerator, rows["charge_rate_by_month", january].denominator) == (
        5,
        6,
    )
    assert rows["charge_rate_by_month", january].value == pytest.approx(5 / 6)
    assert rows["days_to_charge_by_month", january].value == 42  # median of 40..44
    assert rows["days_to_charge_by_month", january].denominator == 5
    assert rows["days_to_outcome_by_month", january].value == 42.5  # median of 40..45
    assert rows["charge_rate_by_month", february].value == pytest.approx(2 / 5)
    assert rows["days_to_charge_by_month", february].value == 70.5
    assert rows["days_to_outcome_by_month", february].value == 72
    assert rows["charge_rate_by_month", march].denominator == 0
    assert rows["charge_rate_by_month", march].value is None
    assert rows["days_to_outcome_by_month", march].value is None


def test_filters_match_hand_worked_figures(hand_worked: None) -> None:
    quarter = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))

    def rate(scope: Scope) -> tuple[int | None, int | None]:
        row = next(
            r for r in measure_rows(period=quarter, as_of=AS_OF, scope=scope) if r.measure == "charge_rate_period"
        )
        return row.numerator, row.denominator

    assert rate(Scope()) == (7, 11)
    assert rate(Scope(relationship=Relationship.PARTNER)) == (5, 5)
    assert rate(Scope(relationship=Relationship.STRANGER)) == (2, 3)
    assert rate(Scope(relationship=Relationship.FAMILY)) == (0, 0)
    # Born 1 December 2000: 23 on 30 November 2024; born 30 November 2000: 24 that day.
    assert rate(Scope(victim_age_band="18_24")) == (5, 6)
    assert rate(Scope(victim_age_band="25_34")) == (2, 2)
    assert rate(Scope(victim_age_band="not_known")) == (0, 3)
    assert rate(Scope(relationship=Relationship.STRANGER, victim_age_band="18_24")) == (0, 1)


def test_the_page_draws_both_trends_with_tables(client: Client, hand_worked: None) -> None:
    client.force_login(UserFactory.create(role=Role.ANALYST, team=None))
    html = client.get("/measures/?start=2025-01-01&end=2025-03-31").content.decode()
    for slug in ("charge-rate-trend", "timeliness-trend"):
        assert f'data-testid="chart-{slug}"' in html
        assert f'data-testid="table-{slug}"' in html
        assert f'data-testid="download-{slug}"' in html
    # January's charge rate is shown; February's 2 charges are not, nor the rate they would give away.
    assert "83.3%" in html
    assert "40.0%" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("relationship=cousin", "Choose the suspect&#x27;s relationship to the victim from the list"),
        ("victim_age_band=12_99", "Choose the victim&#x27;s age band from the list"),
        ("offence_group=burglary", "Choose an offence group from the list"),
        ("team=NOPE", "Choose a team from the list"),
    ],
)
def test_a_bad_filter_gets_a_clear_error_and_no_figures(client: Client, db: None, query: str, message: str) -> None:
    client.force_login(UserFactory.create(role=Role.SUPERVISOR))
    response = client.get(f"/measures/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'data-testid="headlines"' not in html


def test_a_charts_download_holds_its_rows_only_and_is_logged(client: Client, hand_worked: None) -> None:
    analyst: User = UserFactory.create(role=Role.ANALYST, team=None)
    client.force_login(analyst)
    page = client.get("/measures/?start=2025-01-01&end=2025-03-31&relationship=partner&download=charge-rate-trend")
    assert '<option value="charge-rate-trend" selected>' in page.content.decode()
    response = client.post(
        "/measures/download/",
        {
            "start": "2025-01-01",
            "end": "2025-03-31",
            "relationship": "partner",
            "panel": "charge-rate-trend",
            "recipient": "Rape scrutiny panel",
        },
    )
    assert response.status_code == 200
    assert "measures-charge-rate-trend-2025-01-01" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["measure"], r["breakdown"], r["numerator"], r["denominator"], r["value"]) for r in rows] == [
        ("charge_rate_by_month", "2025-01", "5", "5", "1"),
        ("charge_rate_by_month", "2025-02", "0", "0", ""),
        ("charge_rate_by_month", "2025-03", "0", "0", ""),
    ]
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE)
    assert event.details["chart"] == "charge-rate-trend"
    assert event.details["filters"]["relationship"] == "partner"
    assert event.recipient == "Rape scrutiny panel"
