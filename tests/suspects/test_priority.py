"""The priority score: its parts, its configurable weights, and what it must not use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from bluestone.cases.models import Gender
from bluestone.suspects.priority import DEFAULT_WEIGHTS, Report, priority_score, priority_weights
from tests.factories import CaseFactory, InvolvementFactory
from tests.suspects.factories import identity_of, suspect_on

TODAY = dt.date(2026, 3, 3)


def _report(days_ago: int, harm: float = 10, *, child: bool = False, victims: tuple[str, ...] = ("v",)) -> Report:
    return Report(
        reported_on=TODAY - dt.timedelta(days=days_ago),
        harm_weight=harm,
        child_victim=child,
        victims=frozenset(victims),
    )


def test_each_part_is_shown_and_the_score_is_their_sum() -> None:
    reports = [
        _report(400, harm=6, victims=("a",)),
        _report(200, harm=8, victims=("b",)),
        _report(0, harm=14, child=True, victims=("c",)),
    ]

    result = priority_score(reports=reports, max_harm_weight=14, today=TODAY, weights=DEFAULT_WEIGHTS)

    values = {key: part["value"] for key, part in result.parts.items()}
    assert values["recency"] == 1.0  # reported today
    assert values["frequency"] == pytest.approx(0.5)  # three reports: (3 - 1) / (5 - 1)
    assert values["gravity"] == 1.0  # the most harmful class in the reference data
    assert values["escalation"] == 1.0  # 14 against a mean of 7 earlier: more than 4 above
    assert values["victims"] == pytest.approx(2 / 3, abs=1e-4)  # three distinct victims: (3 - 1) / (4 - 1)
    assert values["child_victims"] == pytest.approx(0.5)  # one child-victim report of two for full marks
    assert result.score == pytest.approx(sum(part["points"] for part in result.parts.values()))


def test_older_less_harmful_offending_scores_lower() -> None:
    recent = priority_score(reports=[_report(30), _report(10)], max_harm_weight=14, today=TODAY)
    old = priority_score(reports=[_report(900), _report(800)], max_harm_weight=14, today=TODAY)
    less_harmful = priority_score(reports=[_report(30, harm=3), _report(10, harm=3)], max_harm_weight=14, today=TODAY)

    assert recent.score > old.score
    assert recent.score > less_harmful.score


def test_a_falling_harm_is_no_escalation() -> None:
    result = priority_score(reports=[_report(100, harm=14), _report(10, harm=6)], max_harm_weight=14, today=TODAY)

    assert result.parts["escalation"]["value"] == 0.0


@override_settings(BLUESTONE_PRIORITY_WEIGHTS={"gravity": 50, "recency": 0})
def test_weights_are_a_setting() -> None:
    weights = priority_weights()
    assert weights["gravity"] == 50
    assert weights["recency"] == 0
    assert weights["frequency"] == DEFAULT_WEIGHTS["frequency"]

    result = priority_score(reports=[_report(0, harm=14)], max_harm_weight=14, today=TODAY)

    assert result.parts["gravity"]["points"] == 50
    assert result.parts["recency"]["points"] == 0


@override_settings(BLUESTONE_PRIORITY_WEIGHTS={"ethnicity": 10})
def test_a_weight_for_anything_else_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown parts \\['ethnicity'\\]"):
        priority_weights()


def test_no_protected_characteristic_is_an_input() -> None:
    # The score reads reports only: no field of Report could carry age, sex or ethnicity.
    assert set(Report.__dataclass_fields__) == {"reported_on", "harm_weight", "child_victim", "victims"}


@pytest.mark.django_db
def test_changing_the_suspect_s_sex_age_or_ethnicity_leaves_the_score_unchanged() -> None:
    cases = [CaseFactory.create(), CaseFactory.create()]
    records = [suspect_on(case, gender=Gender.MALE, ethnicity="White British") for case in cases]
    for case in cases:
        InvolvementFactory.create(case=case, role="victim")
    identity = identity_of(*records)
    before = (identity.priority, identity.priority_parts)

    for record in records:
        record.gender, record.ethnicity = Gender.FEMALE, "Black Caribbean"
        record.date_of_birth = dt.date(1950, 1, 1)
        record.save()
    from bluestone.suspects.services import identity_priorities_refresh  # noqa: PLC0415

    identity_priorities_refresh(identity_ids=[identity.pk])
    identity.refresh_from_db()

    assert (identity.priority, identity.priority_parts) == before
    assert identity.report_count == 2
    assert identity.priority > 0
