"""The questions of "Report online" (one question a page).

Messages follow the GOV.UK pattern: say what to do ("Select...", "Enter..."), in plain English.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from bluestone.core.forms import SafeTextMixin
from bluestone.portal.models import ContactChannel, SafeTime, WhenHappened

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


class WhoForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Who are you reporting for?",
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        error_messages=_required("Select who you are reporting for"),
    )


class SomeoneElseForm(SafeTextMixin, forms.Form):
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


class TheyKnowForm(SafeTextMixin, forms.Form):
    victim_knows = forms.ChoiceField(
        label="Do they know you are reporting this?",
        choices=YES_NO_NOT_SURE,
        widget=forms.RadioSelect,
        error_messages=_required("Select whether they know you are reporting this"),
    )


class WhatForm(SafeTextMixin, forms.Form):
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


class WhenForm(SafeTextMixin, forms.Form):
    when_happened = forms.ChoiceField(
        label="When did it happen?",
        choices=WhenHappened.choices,
        widget=forms.RadioSelect,
        help_text="If it happened more than once, tell us when it last happened.",
        error_messages=_required("Select when it happened"),
    )


class WhereForm(SafeTextMixin, forms.Form):
    where_happened = forms.CharField(
        label="Where did it happen? (optional)",
        required=False,
        max_length=200,
        help_text="For example, the town or area, or the kind of place. Leave it blank if you are not sure.",
        error_messages={"max_length": "Where it happened must be 200 characters or fewer"},
    )


class NameForm(SafeTextMixin, forms.Form):
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


class ContactForm(SafeTextMixin, forms.Form):
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


class SafeTimesForm(SafeTextMixin, forms.Form):
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


class MessageForm(SafeTextMixin, forms.Form):
    message_allowed = forms.ChoiceField(
        label="Can we leave you a message?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The message would only give a name and ask you to call back. It would not say what it is about.",
        error_messages=_required("Select whether we can leave you a message"),
    )
