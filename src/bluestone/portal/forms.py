"""The portal's question pages (one question a page) and triage's forms.

Messages follow the GOV.UK pattern: say what to do ("Select...", "Enter..."), in plain English.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from bluestone.accounts.models import Team
from bluestone.cases.models import Gender, Relationship
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.portal.models import CallbackOutcome, ContactChannel, SafeTime, WhenHappened

NOT_READY = "not_ready"
WHO_CHOICES = [
    ("myself", "Myself"),
    ("someone_else", "Someone else"),
    ("anonymous", "I want to tell you without giving my name"),
    (NOT_READY, "I'm not ready to report. Show me where to get support"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_NOT_SURE = [("yes", "Yes"), ("no", "No"), ("not_sure", "I'm not sure")]
WHAT_MAX = 5000
# A phone number as people type it: digits, spaces, brackets, dashes and a leading +.
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


class WhoForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who are you reporting for?",
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_required("Select who you are reporting for"),
    )


class SomeoneElseForm(forms.Form):
    victim_first_name = forms.CharField(label="Their first name", required=False, max_length=100)
    victim_last_name = forms.CharField(label="Their last name", required=False, max_length=100)
    relationship_to_victim = forms.CharField(
        label="How do you know them?",
        max_length=100,
        help_text="For example, friend, parent, teacher",
        error_messages={
            "required": "Enter how you know them",
            "max_length": "How you know them must be 100 characters or fewer",
        },
    )


class TheyKnowForm(forms.Form):
    victim_knows = forms.ChoiceField(
        label="Do they know you are reporting this?",
        choices=YES_NO_NOT_SURE,
        widget=forms.RadioSelect,
        error_messages=_required("Select whether they know you are reporting this"),
    )


class WhatForm(forms.Form):
    what_happened = forms.CharField(
        label="What happened?",
        max_length=WHAT_MAX,
        widget=forms.Textarea,
        help_text="Tell us as much or as little as you want to. An officer will ask you about it later.",
        error_messages={
            "required": "Tell us what happened",
            "max_length": f"What happened must be {WHAT_MAX:,} characters or fewer",
        },
    )


class WhenForm(forms.Form):
    when_happened = forms.ChoiceField(
        label="When did it happen?",
        choices=WhenHappened.choices,
        widget=forms.RadioSelect,
        help_text="If it happened more than once, tell us when it last happened.",
        error_messages=_required("Select when it happened"),
    )


class WhereForm(forms.Form):
    where_happened = forms.CharField(
        label="Where did it happen? (optional)",
        required=False,
        max_length=200,
        help_text="For example, the town or area, or the kind of place. Leave it blank if you are not sure.",
        error_messages={"max_length": "Where it happened must be 200 characters or fewer"},
    )


class NameForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={
            "required": "Enter your first name",
            "max_length": "First name must be 100 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter your last name", "max_length": "Last name must be 100 characters or fewer"},
    )


class ContactForm(forms.Form):
    contact_channel = forms.ChoiceField(
        label="How can we contact you safely?",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        help_text="Choose a way that only you will see or hear.",
        error_messages=_required("Select how we can contact you safely"),
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        error_messages={"max_length": "Enter a phone number, like 07700 900 982"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = cleaned.get("contact_channel")
        phone = (cleaned.get("phone") or "").strip()
        email = (cleaned.get("email") or "").strip()
        if channel in (ContactChannel.PHONE, ContactChannel.TEXT):
            digits = re.sub(r"\D", "", phone)
            if not phone:
                self.add_error("phone", "Enter a phone number we can safely use")
            elif not PHONE_CHARACTERS.match(phone) or not 10 <= len(digits) <= 15:  # noqa: PLR2004
                self.add_error("phone", "Enter a phone number, like 07700 900 982")
            cleaned["email"] = ""
        elif channel == ContactChannel.EMAIL:
            if not email and "email" not in self.errors:
                self.add_error("email", "Enter an email address we can safely use")
            cleaned["phone"] = ""
        return cleaned


class SafeTimesForm(forms.Form):
    safe_times = forms.MultipleChoiceField(
        label="When is it safe to contact you?",
        choices=SafeTime.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages=_required("Select at least one time when it is safe to contact you"),
    )
    safe_times_note = forms.CharField(
        label="Anything else we should know about when to contact you? (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "This must be 200 characters or fewer"},
    )


class MessageForm(forms.Form):
    message_allowed = forms.ChoiceField(
        label="Can we leave you a message?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The message would only give a name and ask you to call back. It would not say what it is about.",
        error_messages=_required("Select whether we can leave you a message"),
    )


# --- Triage (staff) --------------------------------------------------------------------------------


class PortalLockForm(forms.Form):
    reference = forms.CharField(
        label="Crime reference",
        max_length=32,
        help_text="The reference the victim signs in with, for example BS/26/0001234.",
        error_messages={
            "required": "Enter the crime reference the victim signs in with",
            "max_length": "A crime reference is 32 characters or fewer",
        },
    )


class CallbackForm(forms.Form):
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


class IntelligenceForm(forms.Form):
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


class CaseFromReportForm(forms.Form):
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
    offence_from = forms.DateField(
        label="Date of the offence",
        help_text="If it happened over a period, the first date. For example, 27 3 2026",
        error_messages={"required": "Enter the date of the offence", "invalid": "Enter the date as day month year"},
    )
    victim_first_name = forms.CharField(label="Victim's first name", required=False, max_length=100)
    victim_last_name = forms.CharField(label="Victim's last name", required=False, max_length=100)
    victim_gender = forms.ChoiceField(
        label="Victim's gender",
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        error_messages=_required("Choose the victim's gender, or Not known"),
    )
    victim_date_of_birth = forms.DateField(
        label="Victim's date of birth (optional)",
        required=False,
        error_messages={"invalid": "Enter the date of birth as day month year"},
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

    DATE_INPUT_FORMATS = ("%d %m %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("offence_from", "victim_date_of_birth"):
            field = self.fields[name]
            assert isinstance(field, forms.DateField)  # noqa: S101
            field.input_formats = list(self.DATE_INPUT_FORMATS)

    def clean_offence_from(self) -> Any:
        value = self.cleaned_data["offence_from"]
        if value > clock.today():
            raise forms.ValidationError("The date of the offence must be today or in the past")
        return value

    def clean_victim_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("victim_date_of_birth")
        if value is not None and value > clock.today():
            raise forms.ValidationError("The date of birth must be in the past")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("suspect_first_name") or cleaned.get("suspect_last_name")
        if cleaned.get("suspect_relationship") and not named:
            self.add_error("suspect_first_name", "Enter the suspect's name, or choose Not said for the relationship")
        return cleaned
