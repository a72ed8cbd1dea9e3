"""Calibration on a 20,000-case force against DOMAIN.md and the published figures (docs/synthetic-data.md)."""

from __future__ import annotations

import statistics
from collections import Counter

import pyarrow as pa
import pytest

from bluestone.synth import generate_force
from tests.synth.conftest import CALIBRATION_CASES


def _share(counter: Counter[str], keys: set[str]) -> float:
    return sum(v for k, v in counter.items() if k in keys) / sum(counter.values())


def test_offence_mix_is_a_mid_sized_forces(calibration_force: dict[str, pa.Table]) -> None:
    codes = Counter(calibration_force["cases"].column("offence_code").to_pylist())
    rapes = {c for c in codes if c.startswith("19")}
    # About 1,300 rapes to 2,300 other sexual offences a year: 36% rape.
    assert _share(codes, rapes) == pytest.approx(1300 / 3600, abs=0.02)
    child = {"19D", "19E", "19G", "19H", "20B", "17B", "21", "22B", "88A", "71"}
    assert 0.25 < _share(codes, child) < 0.45
    assert codes.most_common(2)[0][0] in {"20A", "19C"}
    assert len(codes) >= 15


def test_a_substantial_share_of_reports_are_non_recent(calibration_force: dict[str, pa.Table]) -> None:
    cases = calibration_force["cases"].to_pydict()
    non_recent = sum(cases["non_recent"]) / CALIBRATION_CASES
    assert 0.2 < non_recent < 0.4
    within_a_week = (
        sum((r.date() - o).days <= 7 for r, o in zip(cases["reported_at"], cases["offence_to"], strict=True))
        / CALIBRATION_CASES
    )
    assert within_a_week > 0.4
    recording_hours = [
        (rec - rep).total_seconds() / 3600 for rep, rec in zip(cases["reported_at"], cases["recorded_at"], strict=True)
    ]
    assert statistics.median(recording_hours) < 12
    assert max(recording_hours) <= 48


def test_rape_outcomes_match_the_national_picture(calibration_force: dict[str, pa.Table]) -> None:
    offence = dict(
        zip(*calibration_force["cases"].select(["case_id", "offence_code"]).to_pydict().values(), strict=True)
    )
    rape_outcomes = Counter(
        o["outcome_code"] for o in calibration_force["outcomes"].to_pylist() if offence[o["case_id"]].startswith("19")
    )
    closed = sum(rape_outcomes.values())
    assert 0.40 <= rape_outcomes[16] / closed <= 0.60
    assert 0.015 <= rape_outcomes[1] / closed <= 0.04
    for code in (14, 15, 18, 20, 21):
        assert rape_outcomes[code] > 0, code
    # Recent reports are still open.
    assert 0.6 < len(calibration_force["outcomes"]) / CALIBRATION_CASES < 0.9


def test_time_to_outcome_and_to_charge(calibration_force: dict[str, pa.Table]) -> None:
    reported = dict(
        zip(*calibration_force["cases"].select(["case_id", "reported_at"]).to_pydict().values(), strict=True)
    )
    outcomes = calibration_force["outcomes"].to_pylist()
    days = [(o["decided_on"] - reported[o["case_id"]].date()).days for o in outcomes]
    charge_days = [d for d, o in zip(days, outcomes, strict=True) if o["outcome_code"] == 1]
    assert 80 <= statistics.median(days) <= 120
    assert 300 <= statistics.median(charge_days) <= 400


def test_about_a_quarter_of_named_suspects_are_repeat_suspects(calibration_force: dict[str, pa.Table]) -> None:
    assert _repeat_suspect_share(calibration_force) == pytest.approx(0.25, abs=0.02)
    suspects = Counter(
        t["true_person_id"] for t in calibration_force["ground_truth"].to_pylist() if t["role"] == "suspect"
    )
    sizes = Counter(suspects.values())
    assert sizes[2] > sizes[3] > 0
    assert max(suspects.values()) >= 6


def _repeat_suspect_share(force: dict[str, pa.Table]) -> float:
    persons = force["persons"].to_pylist()
    named = {p["person_record_id"] for p in persons if p["first_name"] or p["last_name"]}
    records = Counter(
        t["true_person_id"]
        for t in force["ground_truth"].to_pylist()
        if t["role"] == "suspect" and t["person_record_id"] in named
    )
    return sum(1 for n in records.values() if n > 1) / len(records)


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_the_repeat_suspect_share_is_a_parameter(share: float) -> None:
    tables = generate_force(cases=4_000, seed=1, repeat_suspect_share=share)
    assert _repeat_suspect_share(tables) == pytest.approx(share, abs=0.03)


def test_some_victims_appear_more_than_once(calibration_force: dict[str, pa.Table]) -> None:
    truth = calibration_force["ground_truth"].to_pydict()
    victims = Counter(t for t, r in zip(truth["true_person_id"], truth["role"], strict=True) if r == "victim")
    share = sum(1 for n in victims.values() if n > 1) / len(victims)
    assert 0.01 < share < 0.06


def test_relationships_are_mostly_known_people(calibration_force: dict[str, pa.Table]) -> None:
    relationships = Counter(calibration_force["involvements"].column("relationship_to_victim").drop_null().to_pylist())
    known = _share(relationships, {"partner", "ex_partner", "acquaintance"})
    assert known > 0.5
    assert _share(relationships, {"stranger"}) < 0.15
    cases_with_suspect = len(relationships)
    assert cases_with_suspect < CALIBRATION_CASES * 0.97


def test_teams_and_caseloads(calibration_force: dict[str, pa.Table]) -> None:
    assert 12 <= calibration_force["teams"].num_rows <= 20
    ranks = Counter(calibration_force["officers"].column("rank").to_pylist())
    assert ranks["DC"] > ranks["DS"] > ranks["DI"] > 0
    caseload = Counter(calibration_force["cases"].column("officer_id").drop_null().to_pylist())
    assert max(caseload.values()) > 3 * min(caseload.values())


def test_ethnicity_varies_and_is_sometimes_missing(calibration_force: dict[str, pa.Table]) -> None:
    ethnicity = calibration_force["persons"].column("ethnicity")
    assert len(set(ethnicity.drop_null().to_pylist())) == 5
    assert 0.05 < ethnicity.null_count / len(ethnicity) < 0.4
