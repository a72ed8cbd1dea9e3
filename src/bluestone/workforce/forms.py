from __future__ import annotations

from typing import Any

from django import forms

from bluestone.core.forms import SafeTextMixin, date_field
from bluestone.workforce.models import CourseType, ExposureKind, Post


class CourseForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the course's name"})
    description = forms.CharField(label="What it covers (optional)", max_length=500, required=False)
    valid_for_months = forms.IntegerField(
        label="Valid for, in months (optional)",
        help_text="Leave empty if the accreditation does not lapse.",
        required=False,
        min_value=1,
        max_value=240,
        error_messages={"invalid": "Enter a whole number of months", "min_value": "Enter at least 1 month"},
    )
    refresher_every_months = forms.IntegerField(
        label="Refresher every, in months (optional)",
        help_text="Leave empty if no refresher is due.",
        required=False,
        min_value=1,
        max_value=240,
        error_messages={"invalid": "Enter a whole number of months", "min_value": "Enter at least 1 month"},
    )
    required = forms.BooleanField(label="Every RASSO investigator should hold it", required=False)
    active = forms.BooleanField(label="Offered now (can be recorded for officers)", required=False)


class _CourseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TrainingRecordForm(SafeTextMixin, forms.Form):
    course = _CourseChoice(
        label="Course or accreditation",
        queryset=CourseType.objects.filter(active=True),
        empty_label="Choose the course",
        error_messages={"required": "Choose the course", "invalid_choice": "Choose a course from the list"},
    )
    achieved_on = date_field("Date achieved", what="the date achieved")
    expires_on = date_field("Expires (optional)", required=False, what="the expiry date")
    refresher_due_on = date_field("Refresher due (optional)", required=False, what="the date the refresher is due")


class ProfileForm(SafeTextMixin, forms.Form):
    post = forms.ChoiceField(label="Post", choices=Post.choices, error_messages={"required": "Choose the post"})
    high_exposure = forms.BooleanField(label="High-exposure post (regular psychological screening)", required=False)


class CheckInForm(SafeTextMixin, forms.Form):
    held_on = date_field("Date of the check-in", what="the date of the check-in")
    notes = forms.CharField(
        label="What was discussed",
        help_text="Only the officer, you and occupational health can read this.",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
    )
    support_offered = forms.CharField(
        label="Support offered (optional)", widget=forms.Textarea, max_length=2000, required=False
    )
    referred_to_occupational_health = forms.BooleanField(label="Referred to occupational health", required=False)
    next_due_on = date_field("Next check-in due (optional)", required=False, what="the date the next check-in is due")


class ScreeningForm(SafeTextMixin, forms.Form):
    held_on = date_field("Date of the screening", what="the date of the screening")
    next_due_on = date_field("Next screening due (optional)", required=False, what="the date the next screening is due")


class ExposureForm(SafeTextMixin, forms.Form):
    on = date_field("Date", what="the date")
    kind = forms.ChoiceField(
        label="What kind of material?",
        choices=ExposureKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of material"},
    )
    hours = forms.DecimalField(
        label="Hours",
        max_digits=4,
        decimal_places=1,
        min_value=0.1,
        max_value=24,
        error_messages={
            "required": "Enter the hours",
            "invalid": "Enter the hours as a number, like 1.5",
            "min_value": "Enter hours between 0.1 and 24",
            "max_value": "Enter hours between 0.1 and 24",
            "max_decimal_places": "Enter the hours to one decimal place, like 1.5",
        },
    )


class GuidanceSearchForm(SafeTextMixin, forms.Form):
    q = forms.CharField(label="Search guidance", max_length=200, required=False)


class GuidanceForm(SafeTextMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the note's title"})
    body = forms.CharField(
        label="Text",
        help_text="Plain text; a blank line starts a new paragraph.",
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=20000,
        error_messages={"required": "Enter the note's text"},
    )
    change_summary = forms.CharField(
        label="What changed and why",
        max_length=300,
        error_messages={"required": "Say what changed and why: it is kept with the version"},
    )


class GuidanceNewForm(GuidanceForm):
    key = forms.SlugField(
        label="Key",
        help_text="Lower-case letters, numbers and hyphens, like digital-request. Pages name the note by it.",
        max_length=64,
        error_messages={
            "required": "Enter the note's key",
            "invalid": "Use only lower-case letters, numbers and hyphens",
        },
    )
    field_order = ["key", "title", "body", "change_summary"]
