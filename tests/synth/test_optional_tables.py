"""The optional tables of the synthetic force (victims, duties, contacts, plans and lines): consistent
with the timelines and the reference data, and calibrated to the assumptions in docs/synthetic-data.md."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import bluestone.investigation
import bluestone.victims
from bluestone import extract
from bluestone.core.workdays import add_working_days
from bluestone.synth import TABLE_NAMES, generate_force, write_force
from bluestone.synth._plans import LINES
from bluestone.synth._victims import DUTIES
from tests.synth.conftest import CALIBRATION_CASES

END = dt.date(2026, 9, 30)
LONDON = "Europe/London"


def _london_dates(values: pa.ChunkedArray) -> list[dt.date | None]:
    local = pc.local_timestamp(values.cast(pa.timestamp("us", tz=LONDON)))
    return [None if v is None else v.date() for v in local.to_pylist()]


def test_the_duties_and_deadlines_are_the_rights_reference_data() -> None:
    path = Path(bluestone.victims.__file__).parent / "reference" / "rights.csv"
    rights = {row["code"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}
    for right, trigger, days, _p in DUTIES:
        assert trigger in rights[right]["triggers"].split(), right
        assert days == int(rights[right]["enhanced_days"]), right


def test_the_same_seed_gives_the_same_victims_tables(small_force: dict[str, pa.Table]) -> None:
    again = generate_force(cases=3_000, seed=11)
    for name in ("victims", "victim_contacts", "code_duties"):
        assert again[name].equals(small_force[name]), name


def test_every_victim_has_a_profile_and_duties_follow_the_timeline(small_force: dict[str, pa.Table]) -> None:
    involvements = small_force["involvements"]
    victims = pc.filter(involvements.column("involvement_id"), pc.equal(involvements.column("role"), "victim"))
    assert sorted(small_force["victims"].column("involvement_id").to_pylist()) == sorted(victims.to_pylist())
    duties = small_force["code_duties"]
    events = small_force["events"]
    # One arrest update per arrest on the timeline (one victim per case).
    arrests = pc.sum(pc.equal(events.column("kind"), "suspect_arrested")).as_py()
    assert pc.sum(pc.equal(duties.column("right"), "update_arrest")).as_py() == arrests
    assert pc.max(duties.column("triggered_at")).as_py().date() <= END
    assert all(m is None or m.date() <= END for m in duties.column("met_at").to_pylist())


def test_each_deadline_is_the_working_days_after_the_london_day_of_its_trigger(
    small_force: dict[str, pa.Table],
) -> None:
    duties = small_force["code_duties"].slice(0, 400)
    days = {right: allowed for right, _t, allowed, _p in DUTIES}
    triggered = _london_dates(duties.column("triggered_at"))
    for right, day, due in zip(
        duties.column("right").to_pylist(), triggered, duties.column("due_on").to_pylist(), strict=True
    ):
        assert day is not None
        assert due == add_working_days(day, days[right])


def test_code_compliance_isva_referral_and_contact_are_calibrated(calibration_force: dict[str, pa.Table]) -> None:
    duties = calibration_force["code_duties"].to_pydict()
    met_on = _london_dates(calibration_force["code_duties"].column("met_at"))
    counted = on_time = 0
    for status, due, met in zip(duties["status"], duties["due_on"], met_on, strict=True):
        if status == "not_applicable" or (status == "open" and due >= END):
            continue
        counted += 1
        on_time += met is not None and met <= due
    assert 0.80 <= on_time / counted <= 0.90

    victims = calibration_force["victims"].to_pydict()
    assert len(victims["involvement_id"]) == CALIBRATION_CASES
    adult = [s for s, child in zip(victims["isva_status"], victims["is_child"], strict=True) if not child]
    assert 0.60 <= Counter(adult)["accepted"] / len(adult) <= 0.70
    assert np.mean([c is not None for c in victims["plan_cadence_days"]]) > 0.9
    contacts = calibration_force["victim_contacts"].num_rows / CALIBRATION_CASES
    assert 6 < contacts < 20


def test_the_plan_lines_are_the_default_plan_reference_data() -> None:
    path = Path(bluestone.investigation.__file__).parent / "reference" / "default_plan.csv"
    rows = {row["code"]: row for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert [line[0] for line in LINES] == list(rows)
    for code, group, focus, order, due_days, title in LINES:
        row = rows[code]
        assert (group, focus, order, due_days, title) == (
            row["group"],
            row["focus"],
            int(row["order"]),
            int(row["due_days"]),
            row["title"],
        )


def test_plan_lines_keep_their_order_of_events(small_force: dict[str, pa.Table]) -> None:
    lines = small_force["plan_lines"].to_pydict()
    for status, started, completed in zip(lines["status"], lines["started_at"], lines["completed_at"], strict=True):
        if status in {"in_progress", "done"}:
            assert started is not None
        if status == "done":
            assert completed is not None
            assert completed >= started
        if completed is not None:
            assert completed.date() <= END
    plan_cases = set(small_force["plans"].column("case_id").to_pylist())
    assert set(lines["case_id"]) <= plan_cases


def test_suspect_focus_and_victim_focused_actions_are_calibrated(calibration_force: dict[str, pa.Table]) -> None:
    lines = calibration_force["plan_lines"].to_pydict()
    first: dict[str, dict[str, dt.datetime]] = {}
    actions: Counter[str] = Counter()
    for case, focus, status, started, kind, approval in zip(
        lines["case_id"],
        lines["focus"],
        lines["status"],
        lines["started_at"],
        lines["intrusive_kind"],
        lines["approval_state"],
        strict=True,
    ):
        if kind is not None:
            actions[approval] += 1
        if status != "not_needed" and started is not None and focus in {"suspect", "victim"}:
            seen = first.setdefault(case, {})
            seen[focus] = min(seen.get(focus, started), started)
    suspect_first = sum(1 for s in first.values() if "suspect" in s and s["suspect"] <= s.get("victim", s["suspect"]))
    assert 0.55 <= suspect_first / len(first) <= 0.70
    assert 20 <= 100 * sum(actions.values()) / CALIBRATION_CASES <= 35
    assert 0.75 <= actions["approved"] / (actions["approved"] + actions["refused"]) <= 0.9


def test_victims_phones_come_back_mostly_within_a_day(calibration_force: dict[str, pa.Table]) -> None:
    phones = calibration_force["exhibits"].to_pydict()
    lines = calibration_force["plan_lines"].to_pydict()
    downloads = sum(
        1
        for kind, started in zip(lines["intrusive_kind"], lines["started_at"], strict=True)
        if kind == "phone_download" and started is not None
    )
    assert len(phones["exhibit_id"]) == downloads
    quick = 0
    for taken, returned, replaced, due in zip(
        phones["obtained_at"],
        phones["returned_at"],
        phones["replacement_provided_at"],
        phones["return_due_at"],
        strict=True,
    ):
        assert due - taken == dt.timedelta(hours=24)
        stops = [t for t in (returned, replaced) if t is not None]
        quick += bool(stops) and min(stops) <= due
    assert 0.65 <= quick / len(phones["exhibit_id"]) <= 0.85


def test_feedback_comes_after_the_outcome_from_a_share_of_victims(calibration_force: dict[str, pa.Table]) -> None:
    feedback = calibration_force["feedback"].to_pydict()
    responses = len(feedback["feedback_id"])
    outcomes = calibration_force["outcomes"].num_rows
    assert 0.12 <= responses / outcomes <= 0.25
    for question in ("voice", "respect", "neutrality", "trustworthiness", "overall"):
        scores = feedback[question]
        assert set(scores) <= {1, 2, 3, 4, 5}
        assert 3.0 <= sum(scores) / responses <= 3.8
    assert max(feedback["submitted_at"]).date() <= END


def test_bail_follows_each_release_on_bail_and_ends_by_its_expiry(small_force: dict[str, pa.Table]) -> None:
    bail = small_force["bail"].to_pydict()
    releases = pc.sum(pc.equal(small_force["events"].column("kind"), "suspect_bailed")).as_py()
    assert len(bail["bail_id"]) == releases
    roles = dict(
        zip(
            small_force["involvements"].column("involvement_id").to_pylist(),
            small_force["involvements"].column("role").to_pylist(),
            strict=True,
        )
    )
    columns = ("suspect_involvement_id", "starts_on", "expires_on", "status", "ended_on")
    for suspect, starts, expires, status, ended in zip(*(bail[c] for c in columns), strict=True):
        assert roles[suspect] == "suspect"
        assert (expires - starts).days in {91, 182, 364}
        assert (status == "ended") == (ended is not None)
        if ended is not None:
            assert starts <= ended <= min(expires, END)


def test_write_force_can_leave_the_optional_tables_out(tmp_path: Path) -> None:
    paths = write_force(generate_force(cases=50, seed=3), tmp_path / "core", optional=False)

    optional = {spec.filename for spec in extract.OPTIONAL_TABLES}
    assert {p.name for p in paths} == {f"{name}.parquet" for name in TABLE_NAMES} - optional


def test_a_core_only_extract_leaves_the_reviews_timeline_entries_out_with_their_table(tmp_path: Path) -> None:
    tables = generate_force(cases=200, seed=3)
    write_force(tables, tmp_path / "core", optional=False)
    write_force(tables, tmp_path / "all")

    core = pq.read_table(tmp_path / "core" / "events.parquet")
    everything = pq.read_table(tmp_path / "all" / "events.parquet")
    reviews = tables["supervisory_reviews"].num_rows
    assert reviews > 0
    assert "supervisory_review" not in set(core.column("kind").to_pylist())
    assert everything.num_rows - core.num_rows == reviews
    kept = everything.filter(pc.not_equal(everything.column("kind"), "supervisory_review"))
    assert kept.equals(core)


def test_each_victim_focused_action_has_its_register_entry(small_force: dict[str, pa.Table]) -> None:
    requests = small_force["digital_requests"].to_pydict()
    lines = small_force["plan_lines"].to_pydict()
    actions = {
        line: (kind, approval, status)
        for line, kind, approval, status in zip(
            lines["line_id"], lines["intrusive_kind"], lines["approval_state"], lines["status"], strict=True
        )
        if kind is not None
    }
    assert sorted(requests["line_id"]) == sorted(actions)
    expected = {"requested": "awaiting", "refused": "not_authorised"}
    for line, kind, status in zip(requests["line_id"], requests["kind"], requests["status"], strict=True):
        action, approval, line_status = actions[line]
        assert kind == ("victim_device" if action == "phone_download" else "victim_third_party")
        if approval in expected:
            assert status == expected[approval]
        else:
            assert status == {"done": "completed", "not_needed": "withdrawn"}.get(line_status, "authorised")
