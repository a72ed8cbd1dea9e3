"""The Measures page's filters and the download's recipient."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from bluestone.accounts.models import Team
from bluestone.audit.services import RECIPIENT_MAX
from bluestone.cases.models import Relationship
from bluestone.core.forms import SafeTextMixin
from bluestone.core.models import OffenceGroup
from bluestone.insights.dashboard import PANEL_TITLES, Filters, default_period
from bluestone.insights.selectors import VICTIM_AGE_BAND_LABELS
from bluestone.measures import Period

DATE_HINT = "For example, 2025-04-01"
LONGEST_PERIOD_DAYS = 366 * 5


class FiltersForm(SafeTextMixin, forms.Form):
    """Period, team, offence group, suspect's relationship to the victim and victim's age band. Any
    field left empty takes its default (the last twelve whole months; everything)."""

    start = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HINT,
        error_messages={"invalid": "Enter the first day as a date written year-month-day, for example 2025-04-01"},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HINT,
        error_messages={"invalid": "Enter the last day as a date written year-month-day, for example 2026-03-31"},
    )
    team = forms.ChoiceField(label="Team", required=False)
    offence_group = forms.ChoiceField(
        label="Offence group",
        required=False,
        choices=[("", "All offence groups"), *OffenceGroup.choices],
        error_messages={"invalid_choice": "Choose an offence group from the list"},
    )
    relationship = forms.ChoiceField(
        label="Suspect's relationship to the victim",
        required=False,
        choices=[("", "Any relationship"), *Relationship.choices],
        error_messages={"invalid_choice": "Choose the suspect's relationship to the victim from the list"},
    )
    victim_age_band = forms.ChoiceField(
        label="Victim's age at the offence",
        required=False,
        choices=[("", "Any age"), *VICTIM_AGE_BAND_LABELS.items()],
        error_messages={"invalid_choice": "Choose the victim's age band from the list"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 (declared above)
        team.choices = [("", "All teams"), *Team.objects.order_by("name").values_list("code", "name")]
        team.error_messages["invalid_choice"] = "Choose a team from the list"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default = default_period(self.today)
        start, end = cleaned.get("start") or default.start, cleaned.get("end") or default.end
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if end < start:
            self.add_error("end", "The last day must be the same as or after the first day")
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", "The period must be 5 years or shorter")
        else:
            cleaned["period"] = Period(start=start, end=end)
        return cleaned

    def filters(self) -> Filters:
        """The valid filters (call after `is_valid()`)."""
        team_code = self.cleaned_data.get("team") or ""
        return Filters(
            period=self.cleaned_data["period"],
            team=Team.objects.filter(code=team_code).first() if team_code else None,
            offence_group=self.cleaned_data.get("offence_group") or "",
            relationship=self.cleaned_data.get("relationship") or "",
            victim_age_band=self.cleaned_data.get("victim_age_band") or "",
        )

    def query_values(self) -> list[tuple[str, str]]:
        """The filters as sent, for the hidden fields of the download form."""
        return [(name, str(self.data.get(name, ""))) for name in self.fields if self.data.get(name)]


class DownloadForm(SafeTextMixin, forms.Form):
    """What to download (every measure, or one chart's figures) and who receives it: the log of that
    disclosure names them."""

    panel = forms.ChoiceField(
        label="What to download",
        required=False,
        choices=[("", "Every measure"), *((slug, f"The chart '{title}'") for slug, title in PANEL_TITLES.items())],
        error_messages={"invalid_choice": "Choose what to download from the list"},
    )

    recipient = forms.CharField(
        label="Who is this download for, and why?",
        max_length=RECIPIENT_MAX,
        help_text=(
            "For example, 'Force performance board, March 2026'. This is recorded with your name and the filters."
        ),
        error_messages={
            "required": "Enter who the download is for and why",
            "max_length": f"Who the download is for must be {RECIPIENT_MAX} characters or fewer",
        },
    )


class ExportForm(SafeTextMixin, forms.Form):
    """An analytic export: its period, its file format and who receives it."""

    start = forms.DateField(
        label="From",
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the first day of the period",
            "invalid": "Enter the first day as a date written year-month-day, for example 2025-04-01",
        },
    )
    end = forms.DateField(
        label="To",
        input_formats=["%Y-%m-%d"],
        help_text=DATE_HINT,
        error_messages={
            "required": "Enter the last day of the period",
            "invalid": "Enter the last day as a date written year-month-day, for example 2026-03-31",
        },
    )
    output = forms.ChoiceField(
        label="File format",
        choices=[("csv", "CSV (opens in a spreadsheet)"), ("parquet", "Parquet (for DuckDB, pandas, R)")],
        initial="csv",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose CSV or Parquet", "invalid_choice": "Choose CSV or Parquet"},
    )
    recipient = forms.CharField(
        label="Who is this export for, and why?",
        max_length=RECIPIENT_MAX,
        help_text=(
            "For example, 'University of Bristol evaluation of the operating model, agreement 2026/04'. "
            "This is recorded with your name, the period and the number of rows."
        ),
        error_messages={
            "required": "Enter who the export is for and why",
            "max_length": f"Who the export is for must be {RECIPIENT_MAX} characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        if end < start:
            self.add_error("end", "The last day must be the same as or after the first day")
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", "The period must be 5 years or shorter")
        else:
            cleaned["period"] = Period(start=start, end=end)
        return cleaned
