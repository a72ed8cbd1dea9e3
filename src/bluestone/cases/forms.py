"""The case-list filter form: read from the query string, so links and the back button keep filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from bluestone.cases.models import CaseStatus
from bluestone.cases.selectors import DEFAULT_CASE_SORT, case_sort_is_valid

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_HINT = "For example, 27/3/2026"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=DATE_HINT,
        error_messages={"invalid": f"Enter the {label.lower()} date as a real date, for example 27/3/2026"},
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)
    offence_class = forms.ChoiceField(label="Offence", required=False)
    reported_from = _date_field("Reported from")
    reported_to = _date_field("Reported to")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, offence_classes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        offence_class = self.fields["offence_class"]
        assert isinstance(status, forms.ChoiceField)  # noqa: S101 (declared above)
        assert isinstance(offence_class, forms.ChoiceField)  # noqa: S101
        status.choices = [("", "Any status"), *CaseStatus.choices]
        offence_class.choices = [
            ("", "Any offence"),
            *((code, f"{code} {name}") for code, name in offence_classes),
        ]

    def clean_sort(self) -> str:
        # The sort comes from our own column links, not from typing: an unknown one falls back quietly.
        sort: str = self.cleaned_data.get("sort") or ""
        return sort if case_sort_is_valid(sort) else DEFAULT_CASE_SORT

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("reported_from")
        end: dt.date | None = cleaned.get("reported_to")
        if start and end and end < start:
            self.add_error("reported_to", "The reported to date must be the same as or after the reported from date")
        return cleaned
