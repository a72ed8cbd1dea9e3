"""Triage's forms: a portal lock to lift, a callback, intelligence, and a case from a report.

Messages follow the GOV.UK pattern: say what to do ("Select...", "Enter..."), in plain English.
"""

from __future__ import annotations

from typing import Any

from django import forms

from bluestone.accounts.models import Team
from bluestone.cases.models import Gender, Relationship
from bluestone.core import clock
from bluestone.core.forms import GovukDateField, SafeTextMixin, date_field
from bluestone.core.models import OffenceClass
from bluestone.core.text import date_of_birth_problem
from bluestone.portal.models import CallbackOutcome


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


class PortalLockForm(SafeTextMixin, forms.Form):
    reference = forms.CharField(
        label="Crime reference",
        max_length=32,
        help_text="The reference the victim signs in with, for example BS/26/0001234.",
        error_messages={
            "required": "Enter the crime reference the victim signs in with",
            "max_length": "A crime reference is 32 characters or fewer",
        },
    )


class CallbackForm(SafeTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="What happened when you tried to contact them?",
        choices=CallbackOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select what happened when you tried to contact them"),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )


class IntelligenceForm(SafeTextMixin, forms.Form):
    note = forms.CharField(
        label="Why is this report being recorded as intelligence?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example, it was made anonymously, or the person decided not to go ahead with a report.",
        error_messages={
            "required": "Enter why this report is being recorded as intelligence",
            "max_length": "This must be 2,000 characters or fewer",
        },
    )


class CaseFromReportForm(SafeTextMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        empty_label="Choose a team",
        error_messages=_required("Choose the team that will investigate"),
    )
    offence_class = forms.ModelChoiceField(
        label="Offence",
        queryset=OffenceClass.objects.filter(active=True).order_by("code"),
        empty_label="Choose an offence",
        error_messages=_required("Choose the offence"),
    )
    offence_from = GovukDateField(
        label="Date of the offence",
        what="the date of the offence",
        help_text="If it happened over a period, the first date. For example, 27 3 2026",
    )
    victim_first_name = forms.CharField(label="Victim's first name", required=False, max_length=100)
    victim_last_name = forms.CharField(label="Victim's last name", required=False, max_length=100)
    victim_gender = forms.ChoiceField(
        label="Victim's gender",
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        error_messages=_required("Choose the victim's gender, or Not known"),
    )
    victim_date_of_birth = date_field(
        "Victim's date of birth (optional)", required=False, what="the victim's date of birth"
    )
    location_description = forms.CharField(label="Where it happened (optional)", required=False, max_length=200)
    # Who the victim says did it, if they said on the callback. Left blank, the case has no suspect yet.
    suspect_first_name = forms.CharField(label="Suspect's first name (optional)", required=False, max_length=100)
    suspect_last_name = forms.CharField(label="Suspect's last name (optional)", required=False, max_length=100)
    suspect_relationship = forms.ChoiceField(
        label="The suspect's relationship to the victim (optional)",
        choices=[("", "Not said"), *Relationship.choices],
        required=False,
    )

    def clean_offence_from(self) -> Any:
        value = self.cleaned_data["offence_from"]
        if value > clock.today():
            raise forms.ValidationError("The date of the offence must be today or in the past")
        return value

    def clean_victim_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("victim_date_of_birth")
        problem = None if value is None else date_of_birth_problem(value, today=clock.today())
        if problem is not None:
            raise forms.ValidationError(problem.rstrip("."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("suspect_first_name") or cleaned.get("suspect_last_name")
        if cleaned.get("suspect_relationship") and not named:
            self.add_error("suspect_first_name", "Enter the suspect's name, or choose Not said for the relationship")
        return cleaned
