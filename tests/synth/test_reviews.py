"""The synthetic force's supervisory reviews: deterministic, on the plans' timelines, by the team's
supervisors, and calibrated to the assumptions in docs/synthetic-data.md."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bluestone import extract
from bluestone.synth import generate_force
from bluestone.synth._cases import Force
from bluestone.synth._reviews import supervisors

DAY = dt.timedelta(days=1)


def test_the_same_seed_gives_the_same_reviews_and_timeline(small_force: dict[str, pa.Table]) -> None:
    again = generate_force(cases=3_000, seed=11)
    assert again["supervisory_reviews"].equals(small_force["supervisory_reviews"])
    assert again["events"].equals(small_force["events"])
    other = generate_force(cases=3_000, seed=12)
    assert not other["supervisory_reviews"].equals(small_force["supervisory_reviews"])


def test_each_plan_has_one_initial_review_first_then_periodic_ones(small_force: dict[str, pa.Table]) -> None:
    reviews = small_force["supervisory_reviews"].to_pylist()
    plans = {p["case_id"]: p["created_at"] for p in small_force["plans"].to_pylist()}
    kinds: dict[str, list[str]] = {}
    previous: dict[str, dt.datetime] = {}
    for review in reviews:
        case = review["case_id"]
        assert case in plans
        assert review["completed_at"] > plans[case]
        assert review["completed_at"] >= previous.get(case, review["completed_at"])
        if review["kind"] == "initial":
            assert review["due_at"] == plans[case] + dt.timedelta(hours=24)
        else:
            # Due 28 days after the review before it.
            assert review["due_at"] == previous[case] + 28 * DAY
        previous[case] = review["completed_at"]
        kinds.setdefault(case, []).append(review["kind"])
    assert all(k[0] == "initial" and "initial" not in k[1:] for k in kinds.values())
    # Nearly every plan made well before the end of the window has been reviewed.
    assert len(kinds) > 0.95 * len(plans)


def test_reviews_stop_at_the_outcome_and_the_end_of_the_window(small_force: dict[str, pa.Table]) -> None:
    end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    events = small_force["events"].to_pylist()
    outcome = {e["case_id"]: e["occurred_at"] for e in events if e["kind"] == "outcome_recorded"}
    reviews = small_force["supervisory_reviews"].to_pylist()
    assert max(r["completed_at"] for r in reviews) < end
    assert all(r["completed_at"] < outcome.get(r["case_id"], end) for r in reviews)
    # Open cases keep being reviewed to the end: most were reviewed in the window's last 35 days.
    open_cases = {c["case_id"] for c in small_force["cases"].to_pylist() if c["case_id"] not in outcome}
    last = {r["case_id"]: r["completed_at"] for r in reviews}
    recent = [c for c in open_cases if c in last and last[c] > end - 35 * DAY]
    assert len(recent) > 0.8 * len([c for c in open_cases if c in last])


def test_each_review_is_on_the_timeline_when_it_was_done(small_force: dict[str, pa.Table]) -> None:
    events = small_force["events"]
    on_timeline = pc.filter(events, pc.equal(events.column("kind"), "supervisory_review"))
    reviews = small_force["supervisory_reviews"]
    on_timeline_pairs = zip(
        on_timeline.column("case_id").to_pylist(), on_timeline.column("occurred_at").to_pylist(), strict=True
    )
    review_pairs = zip(reviews.column("case_id").to_pylist(), reviews.column("completed_at").to_pylist(), strict=True)
    assert sorted(on_timeline_pairs) == sorted(review_pairs)
    summaries = on_timeline.column("summary").to_pylist()
    assert all(s.startswith(("Initial review by D", "28-day review by D")) for s in summaries)
    ids = events.column("event_id").to_pylist()
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_reviewers_are_supervisors_of_the_cases_team(small_force: dict[str, pa.Table]) -> None:
    officers = {o["officer_id"]: o for o in small_force["officers"].to_pylist()}
    team = {c["case_id"]: c["team_id"] for c in small_force["cases"].to_pylist()}
    ranks: Counter[str] = Counter()
    for review in small_force["supervisory_reviews"].select(["case_id", "reviewer_officer_id"]).to_pylist():
        officer = officers[review["reviewer_officer_id"]]
        assert officer["team_id"] == team[review["case_id"]]
        ranks[officer["rank"]] += 1
    assert set(ranks) <= {"DS", "DI", "DCI"}
    assert ranks["DS"] > ranks["DI"] > 0


def test_a_team_without_a_sergeant_or_inspector_is_reviewed_by_its_most_senior_officers() -> None:
    force = SimpleNamespace(
        team_names=np.array(["A", "B"], dtype=object),
        officer_rank=np.array(["DC", "DS", "STAFF", "DC", "PC", "DC", "DI"], dtype=object),
        officer_team=np.array([0, 0, 1, 1, 1, 1, 0]),
    )
    officers, starts = supervisors(cast("Force", force))
    assert officers[starts[0] : starts[1]].tolist() == [1, 6]
    assert officers[starts[1] : starts[2]].tolist() == [3, 5]


def test_review_timeliness_answers_and_directions_are_calibrated(calibration_force: dict[str, pa.Table]) -> None:
    reviews = calibration_force["supervisory_reviews"]
    columns = reviews.to_pydict()
    initial_late: list[float] = []
    periodic_late: list[float] = []
    for kind, due, done in zip(columns["kind"], columns["due_at"], columns["completed_at"], strict=True):
        late = (done - due) / DAY
        (initial_late if kind == "initial" else periodic_late).append(late)
    initial = np.array(initial_late)
    periodic = np.array(periodic_late)
    # About three in four initial reviews within the 24 hours; about one in sixteen takes more than two days.
    assert 0.68 < np.mean(initial <= 0) < 0.82
    assert 0.03 < np.mean(initial > 1) < 0.1
    # Periodic reviews: about 70% by the due day, about 8% missed (done a whole cycle late).
    assert 0.64 < np.mean(periodic <= 0) < 0.78
    assert 0.04 < np.mean(periodic > 28) < 0.11
    per_case = Counter(columns["case_id"])
    assert 3 < np.mean(list(per_case.values())) < 8
    for code in extract.REVIEW_PROMPT_CODES:
        answers = Counter(columns[f"answer_{code}"])
        assert set(answers) <= set(extract.REVIEW_ANSWERS)
        assert answers["yes"] > answers["no"]
    assert 0.15 < np.mean([d is not None for d in columns["directions"]]) < 0.4
