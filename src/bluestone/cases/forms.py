"""The case-list filter form: read from the query string, so links and the back button keep filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from bluestone.accounts.models import User
from bluestone.cases.models import CaseStatus, RestrictionReason
from bluestone.cases.selectors import DEFAULT_CASE_SORT, case_sort_is_valid
from bluestone.cases.services import justification_check, justification_min_length
from bluestone.core.forms import GovukDateField, SafeTextMixin, date_field


def _date_field(label: str) -> GovukDateField:
    return date_field(label, required=False, what=f"the {label.lower()} date")


class CaseFilterForm(SafeTextMixin, forms.Form):
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


class JustificationForm(SafeTextMixin, forms.Form):
    """Why the user needs what they ask for: break-glass access, or a case need."""

    justification = forms.CharField(
        label="Why do you need it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"max_length": "Why you need it must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, what: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.what = what
        self.fields["justification"].help_text = (
            f"At least {justification_min_length()} characters. Say what you are doing and why you need "
            f"{what}. Your name, the time and this reason are recorded."
        )
        self.fields["justification"].error_messages["required"] = f"Enter why you need {what}"

    def clean_justification(self) -> str:
        try:
            return justification_check(self.cleaned_data.get("justification") or "", what=self.what)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class _NamedUsersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class CaseNeedGrantForm(JustificationForm):
    """A supervisor records a case need for an analyst."""

    analyst = _UserChoiceField(
        label="Analyst",
        queryset=User.objects.none(),
        empty_label="Choose an analyst",
        error_messages={"required": "Choose the analyst who needs the identities"},
    )

    field_order = ["analyst", "justification"]

    def __init__(self, *args: Any, analysts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        analyst = self.fields["analyst"]
        assert isinstance(analyst, forms.ModelChoiceField)  # noqa: S101 (declared above)
        analyst.queryset = analysts


class RestrictForm(SafeTextMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why is this case restricted?",
        choices=RestrictionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is restricted"},
    )
    named = _NamedUsersField(
        label="Who else may see it?",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You and the officer in the case are always named.",
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = self.fields["named"]
        assert isinstance(named, forms.ModelMultipleChoiceField)  # noqa: S101 (declared above)
        named.queryset = candidates


class _OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AllocateForm(SafeTextMixin, forms.Form):
    officer = _OfficerChoice(
        label="Who is the officer in the case?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the officer in the case",
            "invalid_choice": "Choose an officer of the team",
        },
    )

    # Sent by "Allocate anyway", once the supervisor has been warned the officer is over the caseload threshold.
    confirm_over_threshold = forms.BooleanField(required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)  # noqa: S101 (declared above)
        officer.queryset = candidates


# --- New case (staff entry) ---------------------------------------------------------------------


def _required_date(label: str, what: str) -> GovukDateField:
    return date_field(label, what=what)


class CaseNewForm(SafeTextMixin, forms.Form):
    """A report recorded by staff: the offence, the victim and, where known, the suspect."""

    offence_class = forms.ChoiceField(label="Offence", error_messages={"required": "Choose the offence"})
    reported_on = _required_date("Date reported", "the date the offence was reported")
    offence_from = _required_date("Date of the offence", "the date of the offence")
    how_reported = forms.ChoiceField(
        label="How was it reported?", error_messages={"required": "Choose how the offence was reported"}
    )
    summary = forms.CharField(
        label="What was reported", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    victim_first_name = forms.CharField(label="Victim's first name", required=False, max_length=100)
    victim_last_name = forms.CharField(label="Victim's last name", required=False, max_length=100)
    suspect_first_name = forms.CharField(label="Suspect's first name", required=False, max_length=100)
    suspect_last_name = forms.CharField(label="Suspect's last name", required=False, max_length=100)
    suspect_relationship = forms.ChoiceField(label="The suspect's relationship to the victim", required=False)

    def __init__(self, *args: Any, offence_classes: list[tuple[str, str]], **kwargs: Any) -> None:
        from bluestone.cases.models import HowReported, Relationship  # noqa: PLC0415

        super().__init__(*args, **kwargs)
        for name, choices in (
            ("offence_class", [("", "Choose the offence"), *((c, f"{c} {n}") for c, n in offence_classes)]),
            ("how_reported", [("", "Choose how it was reported"), *HowReported.choices]),
            ("suspect_relationship", [("", "Not known yet"), *Relationship.choices]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("victim_first_name") or cleaned.get("victim_last_name")):
            self.add_error("victim_first_name", "Enter the victim's name")
        return cleaned


class ChangeReasonForm(SafeTextMixin, forms.Form):
    """Why a restriction is lifted, or why someone is taken off a restricted case (kept in the log)."""

    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = False  # the service says what is missing, in its words
        self.fields[
            "reason"
        ].help_text = (
            f"At least {justification_min_length()} characters. Your name, the time and this reason are recorded."
        )


class RemoveNamedForm(ChangeReasonForm):
    person = _OfficerChoice(
        label="Who is taken off the case?",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who is taken off the case",
            "invalid_choice": "Select who is taken off the case",
        },
    )

    def __init__(self, *args: Any, named: Any, **kwargs: Any) -> None:
        super().__init__(*args, label="Why are they taken off?", **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 (declared above)
        person.queryset = named
        self.order_fields(["person", "reason"])
