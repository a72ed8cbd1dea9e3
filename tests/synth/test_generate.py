"""The public API: determinism, schemas, arguments, referential integrity and the outcome rules."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bluestone import extract
from bluestone.synth import TABLE_NAMES, generate_force, write_force

REFERENCE = Path(__file__).resolve().parents[2] / "src" / "bluestone" / "core" / "reference"
CASE_STATUSES = {"reported", "under_investigation", "with_cps", "charged", "closed"}
HOW_REPORTED = {"emergency_call", "non_emergency_call", "in_person", "online", "third_party", "sarc", "partner_agency"}
EVENT_KINDS = {
    "reported",
    "recorded",
    "allocated",
    "victim_contacted",
    "suspect_identified",
    "suspect_arrested",
    "suspect_interviewed",
    "suspect_bailed",
    "suspect_rui",
    "file_to_cps",
    "charged",
    "victim_withdrew",
    "victim_reengaged",
    "outcome_recorded",
    "closed",
    "reopened",
    "supervisory_review",
}
RELATIONSHIPS = {
    "partner",
    "ex_partner",
    "family",
    "acquaintance",
    "online_contact",
    "position_of_trust",
    "stranger",
    "not_known",
}


def _reference_codes(filename: str) -> list[dict[str, str]]:
    with (REFERENCE / filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_same_seed_gives_identical_tables() -> None:
    first = generate_force(cases=400, seed=5)
    second = generate_force(cases=400, seed=5)
    assert sorted(first) == sorted(second) == sorted(TABLE_NAMES)
    for name in TABLE_NAMES:
        assert first[name].equals(second[name]), name


def test_different_seeds_give_different_forces() -> None:
    first = generate_force(cases=400, seed=5)
    second = generate_force(cases=400, seed=6)
    assert not first["cases"].equals(second["cases"])
    assert not first["persons"].equals(second["persons"])


def test_every_table_has_exactly_the_extract_schema(small_force: dict[str, pa.Table]) -> None:
    for spec in (*extract.TABLES, extract.GROUND_TRUTH):
        assert small_force[spec.name].schema.equals(spec.schema()), spec.name


def test_required_columns_have_no_nulls(small_force: dict[str, pa.Table]) -> None:
    for spec in extract.TABLES:
        for column in spec.columns:
            if column.required:
                assert small_force[spec.name].column(column.name).null_count == 0, (spec.name, column.name)


def test_keys_are_unique(small_force: dict[str, pa.Table]) -> None:
    for spec in (*extract.TABLES, extract.GROUND_TRUTH):
        keys = small_force[spec.name].column(spec.key)
        assert pc.count_distinct(keys).as_py() == len(keys), spec.name


def test_values_come_from_the_allowed_choices_and_reference_data(small_force: dict[str, pa.Table]) -> None:
    offence_codes = {row["code"] for row in _reference_codes("offence_classes.csv")}
    outcome_codes = {int(row["code"]) for row in _reference_codes("outcome_types.csv")}
    cases = small_force["cases"]
    assert set(cases.column("offence_code").to_pylist()) <= offence_codes
    assert set(cases.column("status").to_pylist()) <= CASE_STATUSES
    assert set(cases.column("how_reported").to_pylist()) == HOW_REPORTED
    assert set(small_force["outcomes"].column("outcome_code").to_pylist()) <= outcome_codes
    assert set(small_force["events"].column("kind").to_pylist()) <= EVENT_KINDS
    assert set(small_force["officers"].column("rank").to_pylist()) <= {"DC", "PC", "DS", "DI", "DCI", "STAFF"}
    involvements = small_force["involvements"]
    assert set(involvements.column("role").to_pylist()) == {"victim", "suspect", "witness", "reporter"}
    assert set(involvements.column("relationship_to_victim").drop_null().to_pylist()) <= RELATIONSHIPS
    genders = set(small_force["persons"].column("gender").drop_null().to_pylist())
    assert genders <= {"female", "male", "other", "unknown"}


def test_references_between_tables_hold(small_force: dict[str, pa.Table]) -> None:
    teams = set(small_force["teams"].column("team_id").to_pylist())
    officers = small_force["officers"].to_pylist()
    officer_team = {o["officer_id"]: o["team_id"] for o in officers}
    assert set(officer_team.values()) <= teams
    cases = small_force["cases"].to_pylist()
    for case in cases:
        assert case["team_id"] in teams
        if case["officer_id"] is not None:
            # The officer in the case is on the case's team.
            assert officer_team[case["officer_id"]] == case["team_id"]
    case_ids = {c["case_id"] for c in cases}
    person_ids = set(small_force["persons"].column("person_record_id").to_pylist())
    involvements = small_force["involvements"]
    assert set(involvements.column("case_id").to_pylist()) <= case_ids
    assert set(involvements.column("person_record_id").to_pylist()) == person_ids
    assert set(small_force["outcomes"].column("case_id").to_pylist()) <= case_ids
    assert set(small_force["events"].column("case_id").to_pylist()) == case_ids
    truth = small_force["ground_truth"]
    assert truth.column("person_record_id").to_pylist() == small_force["persons"].column("person_record_id").to_pylist()
    assert truth.column("role").to_pylist() == involvements.column("role").to_pylist()


def test_every_case_has_exactly_one_victim_and_at_most_one_suspect(small_force: dict[str, pa.Table]) -> None:
    rows = small_force["involvements"].select(["case_id", "role"]).to_pylist()
    victims: dict[str, int] = {}
    suspects: dict[str, int] = {}
    for row in rows:
        counter = victims if row["role"] == "victim" else suspects if row["role"] == "suspect" else None
        if counter is not None:
            counter[row["case_id"]] = counter.get(row["case_id"], 0) + 1
    assert len(victims) == small_force["cases"].num_rows
    assert set(victims.values()) == {1}
    assert set(suspects.values()) == {1}
    assert len(suspects) < small_force["cases"].num_rows  # some cases have no suspect at all


def _named_suspect_cases(force: dict[str, pa.Table]) -> set[str]:
    persons = force["persons"].to_pylist()
    named = {
        p["person_record_id"] for p in persons if (p["first_name"] or "").strip() or (p["last_name"] or "").strip()
    }
    return {
        i["case_id"]
        for i in force["involvements"].to_pylist()
        if i["role"] == "suspect" and i["person_record_id"] in named
    }


def test_every_outcome_obeys_the_home_office_rules(calibration_force: dict[str, pa.Table]) -> None:
    rules = {int(r["code"]): r for r in _reference_codes("outcome_types.csv")}
    named = _named_suspect_cases(calibration_force)
    first_withdrawal: dict[str, dt.datetime] = {}
    for event in calibration_force["events"].select(["case_id", "kind", "occurred_at"]).to_pylist():
        if event["kind"] == "victim_withdrew":
            first_withdrawal.setdefault(event["case_id"], event["occurred_at"])
    outcomes = calibration_force["outcomes"].to_pylist()
    assert len(outcomes) > 10_000
    for outcome in outcomes:
        rule, case = rules[outcome["outcome_code"]], outcome["case_id"]
        if rule["requires_named_suspect"] == "true":
            assert case in named, outcome
        if rule["requires_no_named_suspect"] == "true":
            assert case not in named, outcome
        if rule["requires_victim_withdrawal"] == "true":
            assert case in first_withdrawal, outcome
            assert first_withdrawal[case].date() <= outcome["decided_on"], outcome
        if rule["requires_rationale"] == "true":
            assert (outcome["rationale"] or "").strip(), outcome
        if rule["requires_victim_informed"] == "true":
            assert outcome["victim_informed"], outcome


def test_status_matches_the_outcome(small_force: dict[str, pa.Table]) -> None:
    outcome = {o["case_id"]: o["outcome_code"] for o in small_force["outcomes"].to_pylist()}
    for case in small_force["cases"].select(["case_id", "status", "officer_id"]).to_pylist():
        code = outcome.get(case["case_id"])
        if code is None:
            assert case["status"] in {"reported", "under_investigation", "with_cps"}
        else:
            assert case["status"] == ("charged" if code == 1 else "closed")
        if case["status"] == "reported":
            assert case["officer_id"] is None


def test_dates_are_in_order_and_inside_the_window(small_force: dict[str, pa.Table]) -> None:
    end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    cases = small_force["cases"].to_pylist()
    reported = {c["case_id"]: c["reported_at"] for c in cases}
    for case in cases:
        assert case["offence_from"] <= case["offence_to"] <= case["reported_at"].date()
        assert case["reported_at"] <= case["recorded_at"] < end
        assert case["reported_at"] >= dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
        assert case["non_recent"] == ((case["reported_at"].date() - case["offence_to"]).days >= 365)
    for outcome in small_force["outcomes"].to_pylist():
        assert reported[outcome["case_id"]].date() <= outcome["decided_on"] < end.date()


def test_each_timeline_is_in_time_order_starts_with_the_report_and_never_passes_the_end(
    small_force: dict[str, pa.Table],
) -> None:
    end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    events = small_force["events"].select(["case_id", "occurred_at", "kind"]).to_pylist()
    previous: dict[str, dt.datetime] = {}
    first_kind: dict[str, str] = {}
    for event in events:
        case = event["case_id"]
        assert event["occurred_at"] < end
        assert event["occurred_at"] >= previous.get(case, event["occurred_at"])
        previous[case] = event["occurred_at"]
        first_kind.setdefault(case, event["kind"])
    assert set(first_kind.values()) == {"reported"}
    closed = {o["case_id"] for o in small_force["outcomes"].to_pylist()}
    recorded = {e["case_id"] for e in events if e["kind"] == "outcome_recorded"}
    assert recorded == closed


def test_child_victims_have_a_date_of_birth_that_fits_the_offence_class(small_force: dict[str, pa.Table]) -> None:
    bands = {"19D": (13, 16), "19E": (0, 13), "19G": (13, 16), "19H": (0, 13), "20B": (0, 13), "17B": (0, 13)}
    bands |= {"21": (0, 13), "22B": (13, 16), "19C": (16, 200), "19F": (16, 200)}
    offence = {c["case_id"]: (c["offence_code"], c["offence_from"]) for c in small_force["cases"].to_pylist()}
    persons = {p["person_record_id"]: p for p in small_force["persons"].to_pylist()}
    checked = 0
    for inv in small_force["involvements"].to_pylist():
        code, offence_from = offence[inv["case_id"]]
        person = persons[inv["person_record_id"]]
        if inv["role"] != "victim" or code not in bands or person["date_of_birth"] is None:
            continue
        low, high = bands[code]
        age = (offence_from - person["date_of_birth"]).days / 365.2425
        # A mistyped date of birth moves by at most a year's worth of day and month.
        assert low - 1 <= age < high + 1, (code, age)
        checked += 1
    assert checked > 1_000


def test_victims_gender_fits_the_offence_class(small_force: dict[str, pa.Table]) -> None:
    female_only, male_only = {"19C", "19D", "19E", "20A", "20B"}, {"19F", "19G", "19H", "17A", "17B"}
    offence = dict(zip(*small_force["cases"].select(["case_id", "offence_code"]).to_pydict().values(), strict=True))
    gender = dict(zip(*small_force["persons"].select(["person_record_id", "gender"]).to_pydict().values(), strict=True))
    for inv in small_force["involvements"].to_pylist():
        if inv["role"] != "victim":
            continue
        code, recorded = offence[inv["case_id"]], gender[inv["person_record_id"]]
        if code in female_only:
            assert recorded in {"female", "unknown", None}
        if code in male_only:
            assert recorded in {"male", "unknown", None}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"cases": 0, "seed": 1}, "between 1 and"),
        ({"cases": -3, "seed": 1}, "between 1 and"),
        ({"cases": 10_000_000, "seed": 1}, "between 1 and"),
        ({"cases": "100", "seed": 1}, "whole number"),
        ({"cases": True, "seed": 1}, "whole number"),
        ({"cases": 10, "seed": -1}, "seed"),
        ({"cases": 10, "seed": 1, "end_date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, "end_date"),
        ({"cases": 10, "seed": 1, "years": 0}, "years"),
        ({"cases": 10, "seed": 1, "repeat_suspect_share": 1.5}, "repeat_suspect_share"),
    ],
)
def test_bad_arguments_raise_a_clear_value_error(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_force(**arguments)  # type: ignore[arg-type]


def test_the_window_follows_the_end_date_not_the_clock() -> None:
    tables = generate_force(cases=200, seed=3, end_date=dt.date(2020, 3, 31), years=1)
    reported = tables["cases"].column("reported_at")
    assert pc.max(reported).as_py() < dt.datetime(2020, 4, 1, tzinfo=dt.UTC)
    assert pc.min(reported).as_py() >= dt.datetime(2019, 3, 31, tzinfo=dt.UTC)


def test_write_force_writes_every_table_that_reads_back_equal(tmp_path: Path) -> None:
    tables = generate_force(cases=150, seed=9)
    paths = write_force(tables, tmp_path / "force")
    assert sorted(p.name for p in paths) == sorted(f"{name}.parquet" for name in TABLE_NAMES)
    for name in TABLE_NAMES:
        assert pq.read_table(tmp_path / "force" / f"{name}.parquet").equals(tables[name]), name


def test_write_force_refuses_a_table_with_the_wrong_schema(tmp_path: Path) -> None:
    tables = dict(generate_force(cases=20, seed=9))
    tables["teams"] = tables["teams"].drop_columns(["name"])
    with pytest.raises(ValueError, match="teams"):
        write_force(tables, tmp_path)
    del tables["teams"]
    with pytest.raises(ValueError, match="missing"):
        write_force(tables, tmp_path)
