"""`bluestone measures` on a loaded synthetic force equals DuckDB SQL over the same extract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bluestone.cases.loading import extract_load
from bluestone.core.models import OffenceGroup
from bluestone.measures import FUNNEL_STAGES, TREND_MEASURES
from bluestone.synth import generate_force, write_force
from tests.factories import TeamFactory
from tests.insights.extract_sql import Figures, extract_figures

AS_OF = dt.date(2026, 6, 30)
# Two periods over the synthetic forces' two years of cases: a calendar year, and nine months that
# start and end mid-month and cross both clock changes (days are Europe/London days, not UTC ones).
PERIODS = ((dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2025, 9, 15), dt.date(2026, 6, 14)))
# The force the acceptance names: 20,000 cases. It loads in about half a minute on SQLite.
LARGE_FORCE_CASES = 20_000
LARGE_FORCE_SEED = 2041


def run_measures(*args: str) -> str:
    out = io.StringIO()
    call_command("measures", *args, stdout=out)
    return out.getvalue()


def parse_csv(text: str) -> Figures:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == ["measure", "breakdown", "numerator", "denominator", "value"]

    def number(cell: str) -> float | None:
        return float(cell) if cell else None

    figures: Figures = {}
    for row in reader:
        key = (row["measure"], row["breakdown"])
        assert key not in figures, f"{key} appears twice"
        figures[key] = (number(row["numerator"]), number(row["denominator"]), number(row["value"]))
    return figures


def assert_same(got: Figures, expected: Figures, *, trends: bool = False) -> None:
    """The extract-based rows of the command's output are exactly the expected ones (the app-record
    measures that follow them have no counterpart in the extract). The command has no trend rows: the
    Measures page asks for them (`trends`)."""
    if not trends:
        expected = {key: figures for key, figures in expected.items() if key[0] not in TREND_MEASURES}
    extract_measures = {measure for measure, _ in expected}
    got = {key: figures for key, figures in got.items() if key[0] in extract_measures}
    assert sorted(got) == sorted(expected)
    for key, (numerator, denominator, value) in expected.items():
        assert got[key][:2] == (numerator, denominator), key
        if value is None:
            assert got[key][2] is None, key
        else:
            assert got[key][2] == pytest.approx(value, abs=1e-6), key


@pytest.fixture
def loaded(db: None, force_dir: Path) -> Path:
    extract_load(directory=force_dir)
    return force_dir


@pytest.fixture(scope="session")
def large_force_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large-force")
    # The core tables only: every measure compared here is defined on them, and the optional ones would
    # triple the rows to load.
    write_force(generate_force(cases=LARGE_FORCE_CASES, seed=LARGE_FORCE_SEED), folder, optional=False)
    return folder


def test_a_20000_case_force_over_two_periods_and_a_team_equals_duckdb(db: None, large_force_dir: Path) -> None:
    extract_load(directory=large_force_dir)
    team_of_case = pq.read_table(large_force_dir / "cases.parquet").column("team_id").to_pylist()
    team = max(sorted(set(team_of_case)), key=team_of_case.count)  # the busiest team
    for start, finish in PERIODS:
        for team_option in ((), ("--team", team)):
            text = run_measures("--from", str(start), "--to", str(finish), "--as-of", str(AS_OF), *team_option)
            expected = extract_figures(
                large_force_dir, start=start, finish=finish, as_of=AS_OF, team=team_option[1] if team_option else None
            )
            assert_same(parse_csv(text), expected)
            # Charges, timeliness and (force-wide) every stage of the funnel have data to compare.
            assert expected["charge_rate_period", ""][0]
            assert expected["days_to_charge", "p90"][1]
            assert team_option or all(expected["funnel", stage][0] for stage in FUNNEL_STAGES)


@pytest.mark.parametrize(("start", "finish"), PERIODS)
def test_every_extract_measure_equals_duckdb_over_the_extract(loaded: Path, start: dt.date, finish: dt.date) -> None:
    text = run_measures("--from", start.isoformat(), "--to", finish.isoformat(), "--as-of", AS_OF.isoformat())
    got = parse_csv(text)
    expected = extract_figures(loaded, start=start, finish=finish, as_of=AS_OF)
    assert_same(got, expected)
    # The force is big enough for every measure to have something to measure.
    assert got["recorded", ""][0]
    assert got["outcomes", ""][0]
    assert got["charge_rate_period", ""][0]
    assert got["days_to_charge", "median"][1]
    assert got["funnel", "file_to_cps"][0]
    assert got["victim_withdrew", ""][0]


def test_a_team_with_no_cases_has_zero_counts_and_no_shares(loaded: Path) -> None:
    # The synthetic force's 400 cases all belong to one team; the 20,000-case test compares a team's figures.
    empty = TeamFactory.create(code="EMPTY")
    start, finish = PERIODS[0]
    got = parse_csv(run_measures("--from", str(start), "--to", str(finish), "--team", empty.code))
    everyone = parse_csv(run_measures("--from", str(start), "--to", str(finish)))
    assert everyone["recorded", ""][0]
    assert got["recorded", ""] == (0, None, 0)
    assert got["charge_rate_period", ""] == (0, 0, None)
    assert got["days_to_outcome", "median"] == (None, 0, None)
    assert not [key for key in got if key[0] == "outcomes" and key[1]]


def test_json_holds_the_same_rows_as_csv(loaded: Path) -> None:
    args = ("--from", "2025-01-01", "--to", "2025-06-30", "--as-of", str(AS_OF))
    as_csv = parse_csv(run_measures(*args))
    as_json = json.loads(run_measures(*args, "--format", "json"))
    assert {(r["measure"], r["breakdown"]): (r["numerator"], r["denominator"], r["value"]) for r in as_json} == {
        key: tuple(None if v is None else pytest.approx(v, abs=1e-6) for v in values) for key, values in as_csv.items()
    }


def test_shares_are_fractions_and_breakdowns_are_as_documented(loaded: Path) -> None:
    got = parse_csv(run_measures("--from", "2025-02-10", "--to", "2026-01-09", "--as-of", str(AS_OF)))
    months = [f"2025-{m:02d}" for m in range(2, 13)] + ["2026-01"]
    assert [b for m, b in got if m == "recorded"] == ["", *OffenceGroup.values, *months]
    assert [b for m, b in got if m == "funnel"] == [
        "recorded",
        "suspect_identified",
        "arrested_or_interviewed",
        "file_to_cps",
        "charged",
    ]
    assert {b for m, b in got if m == "days_to_outcome"} == {"median", "p90"}
    assert all(b.isdigit() for m, b in got if m == "outcomes" and b)
    rate = got["charge_rate_period", ""][2]
    assert rate is not None
    assert 0 < rate < 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-13-01", "--to", "2025-12-31"), "--from must be a date written YYYY-MM-DD"),
        (("--from", "2025-06-01", "--to", "2025-01-31"), "ends (2025-01-31) before it starts (2025-06-01)"),
        (("--from", "2025-01-01", "--to", "2025-01-31", "--format", "xml"), "--format must be csv or json"),
        (("--from", "2025-01-01", "--to", "2025-01-31", "--team", "NOPE"), "No team has the code 'NOPE'"),
        (("--from", "2025-01-01", "--to", "2025-01-31", "--as-of", "soon"), "--as-of must be a date"),
    ],
)
def test_bad_input_gets_a_specific_error(db: None, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_measures(*args)
