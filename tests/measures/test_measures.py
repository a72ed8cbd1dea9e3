"""The framework-free definitions, on hand-made records whose answers can be worked out by hand."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bluestone.measures import (
    CaseRecord,
    EventRecord,
    OutcomeRecord,
    Period,
    PeriodError,
    Row,
    extract_measures,
    percentile,
    percentile_of_counts,
    write_csv,
    write_json,
)

D = dt.date
YEAR_2025 = Period(D(2025, 1, 1), D(2025, 12, 31))


def by_key(rows: list[Row]) -> dict[tuple[str, str], Row]:
    return {(row.measure, row.breakdown): row for row in rows}


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=60), st.sampled_from([50, 90]))
def test_percentile_interpolates_linearly_as_numpy_does(values: list[int], q: int) -> None:
    assert percentile([float(v) for v in values], q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_nothing_is_none() -> None:
    assert percentile([], 50) is None
    assert percentile_of_counts({}, 50) is None
    assert percentile_of_counts({3: 0}, 50) is None


@settings(deadline=None)  # a shared machine's load is no failure of the arithmetic
@given(
    st.dictionaries(st.integers(min_value=-30, max_value=2000), st.integers(min_value=0, max_value=40), max_size=30),
    st.sampled_from([0, 10, 50, 90, 100]),
)
def test_a_percentile_from_counts_per_value_is_exactly_the_percentile_of_the_values(
    counts: dict[int, int], q: int
) -> None:
    values = [float(value) for value, n in counts.items() for _ in range(n)]
    assert percentile_of_counts(counts, q) == percentile(values, q)


def test_a_period_lists_the_months_it_touches_and_knows_the_one_before() -> None:
    period = Period(D(2024, 11, 20), D(2025, 2, 3))
    assert period.months() == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert period.previous() == Period(D(2024, 9, 5), D(2024, 11, 19))
    assert period.previous().days == period.days == 76
    assert Period(D(2024, 1, 1), D(2024, 12, 31)).previous() == Period(D(2023, 1, 1), D(2023, 12, 31))
    assert Period(D(2025, 3, 1), D(2025, 3, 31)).previous() == Period(D(2025, 2, 1), D(2025, 2, 28))
    assert Period(D(2025, 1, 1), D(2025, 6, 30)).previous() == Period(D(2024, 7, 1), D(2024, 12, 31))
    assert D(2025, 2, 3) in period
    assert D(2025, 2, 4) not in period


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(PeriodError, match="ends"):
        Period(D(2025, 2, 1), D(2025, 1, 31))


def test_period_measures_count_outcomes_decided_in_the_period_whenever_the_case_was_recorded() -> None:
    cases = [
        CaseRecord("old", D(2024, 6, 1), "rape", True),  # recorded before the period
        CaseRecord("a", D(2025, 3, 1), "rape", True),
        CaseRecord("b", D(2025, 3, 5), "sexual_assault", False),
        CaseRecord("c", D(2025, 12, 31), "rape", True),
    ]
    outcomes = [
        OutcomeRecord("old", 1, D(2025, 1, 1)),  # 214 days
        OutcomeRecord("a", 1, D(2025, 3, 11)),  # 10 days
        OutcomeRecord("b", 16, D(2025, 4, 4)),  # 30 days
        OutcomeRecord("c", 1, D(2026, 1, 2)),  # after the period: in the cohort, not the period
    ]
    rows = by_key(extract_measures(cases=cases, outcomes=outcomes, events=[], period=YEAR_2025, as_of=D(2026, 6, 1)))
    assert rows["outcomes", ""] == Row("outcomes", "", 3, None, 3.0)
    assert rows["outcomes", "1"] == Row("outcomes", "1", 2, 3, 2 / 3)
    assert rows["outcomes", "16"] == Row("outcomes", "16", 1, 3, 1 / 3)
    assert rows["charge_rate_period", ""] == Row("charge_rate_period", "", 2, 3, 2 / 3)
    assert rows["outcome_16_share", ""].value == pytest.approx(1 / 3)
    assert rows["charge_rate_cohort", ""] == Row("charge_rate_cohort", "", 2, 3, 2 / 3)  # a and c of a, b, c
    assert rows["days_to_charge", "median"] == Row("days_to_charge", "median", None, 2, 112.0)
    assert rows["days_to_charge", "p90"].value == pytest.approx(10 + 0.9 * 204)
    assert rows["days_to_outcome", "median"] == Row("days_to_outcome", "median", None, 3, 30.0)
    assert rows["recorded", ""].numerator == 3
    assert rows["recorded", "rape"].numerator == 2
    assert rows["recorded", "2025-03"].numerator == 2
    assert rows["recorded", "2025-07"].numerator == 0


def test_cohort_measures_look_no_further_than_as_of() -> None:
    cases = [CaseRecord("a", D(2025, 3, 1), "rape", True), CaseRecord("b", D(2025, 3, 2), "rape", False)]
    outcomes = [OutcomeRecord("a", 1, D(2025, 9, 1))]
    events = [
        EventRecord("a", "suspect_arrested", D(2025, 3, 9)),
        EventRecord("a", "file_to_cps", D(2025, 8, 1)),
        EventRecord("b", "victim_withdrew", D(2025, 4, 1)),
        EventRecord("b", "suspect_interviewed", D(2025, 8, 2)),  # after as_of
    ]

    def at(as_of: dt.date) -> dict[tuple[str, str], Row]:
        return by_key(extract_measures(cases=cases, outcomes=outcomes, events=events, period=YEAR_2025, as_of=as_of))

    early, late = at(D(2025, 7, 31)), at(D(2025, 12, 31))
    assert [early["funnel", s].numerator for s in ("recorded", "suspect_identified")] == [2, 1]
    assert early["funnel", "arrested_or_interviewed"] == Row("funnel", "arrested_or_interviewed", 1, 2, 0.5)
    assert early["funnel", "file_to_cps"].numerator == 0
    assert early["funnel", "charged"].numerator == early["charge_rate_cohort", ""].numerator == 0
    assert late["funnel", "arrested_or_interviewed"].numerator == 2
    assert late["funnel", "file_to_cps"].numerator == late["funnel", "charged"].numerator == 1
    assert early["victim_withdrew", ""] == late["victim_withdrew", ""] == Row("victim_withdrew", "", 1, 2, 0.5)


def test_an_outcome_without_its_case_is_a_mistake_of_the_caller() -> None:
    with pytest.raises(ValueError, match="no case record"):
        extract_measures(
            cases=[], outcomes=[OutcomeRecord("x", 1, D(2025, 5, 1))], events=[], period=YEAR_2025, as_of=D(2026, 1, 1)
        )


def test_csv_has_the_issue_columns_empty_cells_and_fractions() -> None:
    out = io.StringIO()
    write_csv(
        [Row("recorded", "", 12, None, 12.0), Row("charge_rate_period", "", 1, 3, 1 / 3), Row("x", "", 0, 0, None)], out
    )
    assert out.getvalue() == (
        "measure,breakdown,numerator,denominator,value\nrecorded,,12,,12\ncharge_rate_period,,1,3,0.333333\nx,,0,0,\n"
    )
    text = io.StringIO()
    write_json([Row("days_to_charge", "p90", None, 4, 200.25)], text)
    assert '"value": 200.25' in text.getvalue()
    assert '"numerator": null' in text.getvalue()
