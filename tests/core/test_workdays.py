import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bluestone.core.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday -> Monday
        (dt.date(2026, 11, 28), 1, dt.date(2026, 11, 30)),  # Saturday -> Monday
        (dt.date(2026, 12, 24), 1, dt.date(2026, 12, 29)),  # Christmas, Boxing Day observed on the 28th
        (dt.date(2027, 12, 24), 1, dt.date(2027, 12, 29)),  # both holidays observed on the 27th and 28th
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),  # Good Friday and Easter Monday
        (dt.date(2026, 11, 23), 5, dt.date(2026, 11, 30)),  # a full week
        (dt.date(2026, 11, 23), 0, dt.date(2026, 11, 23)),
    ],
)
def test_add_working_days(start, days, due):
    assert add_working_days(start, days) == due


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 8, 31))  # late summer bank holiday (England and Wales)
    assert is_working_day(dt.date(2026, 8, 3))  # Scotland's summer holiday, not England's
    assert not is_working_day(dt.date(2026, 11, 29))  # Sunday


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(dt.date(2026, 1, 5), -1)


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)), st.integers(0, 40))
def test_adding_then_counting_agree(start, days):
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days
    assert days == 0 or is_working_day(due)
