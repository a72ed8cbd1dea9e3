"""One date pattern across the app (issue 14, defect 2): the GOV.UK date input, with one hint and
GOV.UK's error wording, and a page that fills the boxes from a stored date accepts them back."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from bluestone.core.forms import DATE_HINT, SafeTextMixin, date_field


class _Form(SafeTextMixin, forms.Form):
    due_on = date_field("Due date", what="the due date")
    optional_on = date_field("Optional date", required=False, what="the optional date")


def _post(day: str, month: str, year: str) -> dict[str, str]:
    return {"due_on_day": day, "due_on_month": month, "due_on_year": year}


def test_three_boxes_make_a_date():
    form = _Form(_post("3", "12", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == dt.date(2026, 12, 3)
    assert form.cleaned_data["optional_on"] is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the due date"),
        (("3", "", "2026"), "The due date must include a month"),
        (("", "", "2026"), "The due date must include a day and a month"),
        (("31", "2", "2026"), "The due date must be a real date"),
        (("3", "Dec", "2026"), "The due date must be a real date"),
        (("3", "12", "26"), "The due date must be a real date"),
    ],
)
def test_errors_use_govuk_wording(typed, message):
    form = _Form(_post(*typed))
    assert not form.is_valid()
    assert form.errors["due_on"] == [message]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_a_date_shown_in_the_boxes_is_accepted_back(day):
    shown = _Form(initial={"due_on": day})
    html = str(shown["due_on"])
    posted = {
        "due_on_day": str(day.day),
        "due_on_month": str(day.month),
        "due_on_year": str(day.year),
    }
    for name, value in posted.items():
        assert f'name="{name}" value="{value}"' in html
    form = _Form(posted)
    assert form.is_valid()
    assert form.cleaned_data["due_on"] == day


def test_the_hint_is_one_for_every_date():
    assert _Form().fields["due_on"].help_text == DATE_HINT == "For example, 27 3 2026"
