"""Supervisory reviews in the extract: loaded by the reviewing officer's collar number, re-loaded in
place, the next review due 28 days after the last on open cases, and each problem named by file, row
and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bluestone import extract
from bluestone.cases.loading import ExtractError, extract_load
from bluestone.cases.models import Case
from bluestone.investigation.models import InvestigationPlan, ReviewKind, SupervisoryReview
from bluestone.investigation.services import REVIEW_PROMPTS
from bluestone.synth import generate_force, write_force
from tests.loading.conftest import ExtractFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
REPORTED = dt.datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
Rows = dict[str, list[dict[str, Any]]]


def _review(review_id: str, case_id: str, kind: str, completed: dt.datetime, **more: Any) -> dict[str, Any]:
    answers = {f"answer_{code}": "yes" for code in extract.REVIEW_PROMPT_CODES}
    return {
        "review_id": review_id,
        "case_id": case_id,
        "kind": kind,
        "completed_at": completed,
        "reviewer_officer_id": "2002",
        **answers,
        **more,
    }


def with_reviews(rows: Rows) -> None:
    # Case 2 is open with a plan (made 2 days 8 hours after the report); case 1 is closed, with none.
    plan_made = REPORTED + dt.timedelta(days=2, hours=8)
    rows["supervisory_reviews"] = [
        _review(
            "SR1",
            "BS/25/000002",
            "initial",
            plan_made + dt.timedelta(hours=20),
            due_at=plan_made + dt.timedelta(hours=24),
            answer_early_arrest="no",
            directions="Arrange the suspect's arrest this week.",
        ),
        _review(
            "SR2",
            "BS/25/000002",
            "periodic",
            plan_made + dt.timedelta(days=30),
            due_at=plan_made + dt.timedelta(hours=20, days=28),
            answer_cps_advice=None,
        ),
        _review("SR3", "BS/25/000001", "initial", REPORTED + dt.timedelta(days=3)),
    ]


def spoilt(change: Callable[[Rows], None]) -> Callable[[Rows], None]:
    def both(rows: Rows) -> None:
        with_reviews(rows)
        change(rows)

    return both


def test_the_prompt_columns_are_the_applications_review_prompts() -> None:
    assert extract.REVIEW_PROMPT_CODES == tuple(code for code, _question in REVIEW_PROMPTS)


def test_reviews_load_by_the_officers_collar_number_with_their_answers(make_extract: ExtractFactory) -> None:
    summary = extract_load(directory=make_extract(with_reviews))

    assert summary.rows["supervisory reviews"] == 3
    initial, periodic = SupervisoryReview.objects.filter(case__crime_reference="BS/25/000002").order_by("completed_at")
    assert (initial.kind, periodic.kind) == (ReviewKind.INITIAL, ReviewKind.PERIODIC)
    assert initial.reviewer is None
    assert initial.reviewer_officer is not None
    assert initial.reviewer_officer.collar_number == "2002"
    assert initial.reviewer_name == "DS Owen Price"
    assert initial.answers["early_arrest"] == {"answer": "no", "note": ""}
    assert initial.answers["suspect_history"]["answer"] == "yes"
    assert initial.directions == "Arrange the suspect's arrest this week."
    # A prompt the earlier system did not record is left out, not guessed.
    assert "cps_advice" not in periodic.answers
    # The open case's next review falls due 28 days after its last; a review needs no plan.
    plan = InvestigationPlan.objects.get()
    assert plan.next_review_due_at == periodic.completed_at + dt.timedelta(days=28)
    assert SupervisoryReview.objects.filter(case__crime_reference="BS/25/000001").count() == 1


def test_a_reload_updates_reviews_in_place(make_extract: ExtractFactory) -> None:
    extract_load(directory=make_extract(with_reviews))
    ids = set(SupervisoryReview.objects.values_list("pk", flat=True))
    due = InvestigationPlan.objects.get().next_review_due_at

    def changed(rows: Rows) -> None:
        with_reviews(rows)
        rows["supervisory_reviews"][0]["directions"] = "Seek early advice from the CPS."

    extract_load(directory=make_extract(changed, name="again"))

    assert set(SupervisoryReview.objects.values_list("pk", flat=True)) == ids
    first = SupervisoryReview.objects.get(kind=ReviewKind.INITIAL, case__crime_reference="BS/25/000002")
    assert first.directions == "Seek early advice from the CPS."
    assert InvestigationPlan.objects.get().next_review_due_at == due


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (
            lambda rows: rows["supervisory_reviews"][1].update(case_id="BS/25/000009"),
            "supervisory_reviews.parquet, row 2, column 'case_id': refers to a case_id that is not in cases.parquet.",
        ),
        (
            lambda rows: rows["supervisory_reviews"][0].update(reviewer_officer_id="9999"),
            "supervisory_reviews.parquet, row 1, column 'reviewer_officer_id': refers to a officer_id that is not",
        ),
        (
            lambda rows: rows["supervisory_reviews"][2].update(completed_at=REPORTED - dt.timedelta(days=1)),
            "supervisory_reviews.parquet, row 3, column 'completed_at': before the case was recorded",
        ),
        (
            lambda rows: rows["supervisory_reviews"][2].update(completed_at=dt.datetime(2099, 1, 1, tzinfo=UTC)),
            "supervisory_reviews.parquet, row 3, column 'completed_at': in the future",
        ),
        (
            lambda rows: rows["supervisory_reviews"][1].update(kind="annual"),
            "supervisory_reviews.parquet, row 2, column 'kind': not a review kind (expected one of: initial, periodic)",
        ),
        (
            lambda rows: rows["supervisory_reviews"][0].update(answer_victim_informed="maybe"),
            "supervisory_reviews.parquet, row 1, column 'answer_victim_informed': not an answer (expected one of: "
            "no, not_applicable, yes).",
        ),
        (
            lambda rows: rows["supervisory_reviews"][0].update(completed_at=None),
            "supervisory_reviews.parquet, row 1, column 'completed_at'",
        ),
        (
            lambda rows: rows["supervisory_reviews"][1].update(review_id="SR1"),
            "supervisory_reviews.parquet, row 2, column 'review_id': 'SR1' appears more than once.",
        ),
    ],
)
def test_a_problem_in_the_reviews_names_file_row_and_column_and_loads_nothing(
    make_extract: ExtractFactory, spoil: Callable[[Rows], None], expected: str
) -> None:
    directory = make_extract(spoilt(spoil))
    with pytest.raises(ExtractError) as error:
        extract_load(directory=directory)

    assert expected in str(error.value)
    assert Case.objects.count() == 0
    assert SupervisoryReview.objects.count() == 0


def test_a_synthetic_force_loads_every_review_and_its_timeline_entry(tmp_path: Path) -> None:
    tables = generate_force(cases=150, seed=5)
    write_force(tables, tmp_path / "force")

    extract_load(directory=tmp_path / "force")
    extract_load(directory=tmp_path / "force")

    reviews = tables["supervisory_reviews"]
    assert SupervisoryReview.objects.count() == reviews.num_rows > 150
    assert not SupervisoryReview.objects.filter(reviewer_officer__isnull=True).exists()
    assert Case.objects.get(crime_reference=reviews.column("case_id")[0].as_py()).events.filter(
        kind="supervisory_review"
    ).count() == reviews.column("case_id").to_pylist().count(reviews.column("case_id")[0].as_py())
    # Every open case reviewed has its next review due 28 days after its last.
    last: dict[str, dt.datetime] = {}
    for row in reviews.select(["case_id", "completed_at"]).to_pylist():
        last[row["case_id"]] = row["completed_at"]
    open_plans = InvestigationPlan.objects.exclude(case__status="closed").select_related("case")
    checked = 0
    for plan in open_plans:
        if plan.case.crime_reference in last:
            assert plan.next_review_due_at == last[plan.case.crime_reference] + dt.timedelta(days=28)
            checked += 1
    assert checked > 10
