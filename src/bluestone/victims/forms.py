"""Staff forms for the Victim tab. They check what was typed; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms

from bluestone.core.forms import GovukDateField, SafeTextMixin, date_field
from bluestone.victims.models import (
    Channel,
    GuardianRole,
    IsvaStatus,
    NotifyBy,
    Obligation,
    ReengagementReason,
    WithdrawalReason,
)


class Radios(forms.RadioSelect):
    """GOV.UK radios: the first radio carries the field's id, so the error summary's link lands on it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index in (None, "0") else f"{id_}-{index}"


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index in (None, "0") else f"{id_}-{index}"


def _date(label: str, *, required: bool = True, what: str = "the date") -> GovukDateField:
    return date_field(label, required=required, what=what)


class ProfileForm(SafeTextMixin, forms.Form):
    preferred_name = forms.CharField(
        label="Name the victim wants to be called (optional)", required=False, max_length=100
    )
    channel = forms.ChoiceField(
        label="How to contact the victim",
        choices=Channel.choices,
        widget=Radios,
        error_messages={"required": "Choose how to contact the victim."},
    )
    safe_phone = forms.CharField(label="Safe phone number (optional)", required=False, max_length=32)
    safe_email = forms.EmailField(
        label="Safe email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com."},
    )
    safe_address = forms.CharField(label="Safe address for letters (optional)", required=False, widget=forms.Textarea)
    safe_times = forms.CharField(label="Safe times to make contact (optional)", required=False, max_length=200)
    may_leave_message = forms.BooleanField(label="A message may be left", required=False)
    notify_by = forms.ChoiceField(
        label="Tell the victim of new updates online by",
        choices=NotifyBy.choices,
        widget=Radios,
        error_messages={"required": "Choose how to tell the victim of new updates."},
    )
    interpreter_language = forms.CharField(
        label="Interpreter needed: language (optional)", required=False, max_length=100
    )
    accessibility_needs = forms.CharField(label="Accessibility needs (optional)", required=False, widget=forms.Textarea)
    needs_assessment = forms.CharField(label="Needs assessment (optional)", required=False, widget=forms.Textarea)
    needs_assessed_on = _date(
        "Date of the needs assessment (optional)", required=False, what="the date of the needs assessment"
    )
    special_measures = forms.CharField(
        label="Special measures needed (optional)", required=False, widget=forms.Textarea
    )
    enhanced_rights = forms.BooleanField(label="Entitled to enhanced rights under the Victims' Code", required=False)
    isva_status = forms.ChoiceField(
        label="ISVA referral",
        choices=IsvaStatus.choices,
        widget=Radios,
        error_messages={"required": "Choose where the ISVA referral is."},
    )
    isva_provider = forms.CharField(label="ISVA service (optional)", required=False, max_length=200)
    isva_date = _date(
        "Date the ISVA referral was offered or answered (optional)",
        required=False,
        what="the date of the ISVA referral",
    )
    is_child = forms.BooleanField(label="The victim is a child", required=False)
    guardian_role = forms.ChoiceField(
        label="Adult contacted for the child (optional)",
        choices=[("", "Not needed"), *GuardianRole.choices],
        required=False,
    )
    guardian_name = forms.CharField(label="Their name (optional)", required=False, max_length=200)
    guardian_contact = forms.CharField(label="How to reach them safely (optional)", required=False, max_length=200)


class ContactPlanForm(SafeTextMixin, forms.Form):
    cadence_days = forms.IntegerField(
        label="How often to contact the victim, in days",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Enter how often to contact the victim, in days.",
            "invalid": "Enter how often to contact the victim as a number of days, like 28.",
            "min_value": "Enter how often to contact the victim, from 1 to 365 days.",
            "max_value": "Enter how often to contact the victim, from 1 to 365 days.",
        },
    )
    agreed_on = _date("Date the victim agreed the plan", what="the date the victim agreed the plan")
    notes = forms.CharField(label="What was agreed (optional)", required=False, widget=forms.Textarea)


class ObligationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.right.name} (due {obj.due_on.day} {obj.due_on:%B %Y})"


class ContactForm(SafeTextMixin, forms.Form):
    occurred_on = _date("Date of the contact", what="the date of the contact")
    channel = forms.ChoiceField(
        label="How you made contact",
        choices=Channel.choices,
        widget=Radios,
        error_messages={"required": "Choose how you made contact."},
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea, error_messages={"required": "Enter a short summary of the contact."}
    )
    obligations = ObligationChoiceField(
        label="Duties this contact met (optional)",
        queryset=Obligation.objects.none(),
        required=False,
        widget=Checkboxes,
    )

    def __init__(self, *args: Any, obligations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligations"].queryset = obligations  # type: ignore[attr-defined]


class ReplyForm(SafeTextMixin, forms.Form):
    body = forms.CharField(
        label="Your reply",
        help_text="Write to the victim as 'you', in plain English. They read it under their message when they sign in.",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={
            "required": "Write your reply.",
            "max_length": "The reply must be 5,000 characters or fewer.",
        },
    )


class UpdateForm(SafeTextMixin, forms.Form):
    text = forms.CharField(
        label="Update for the victim",
        help_text="Write to the victim as 'you', in plain English. They read it when they sign in.",
        widget=forms.Textarea,
        error_messages={"required": "Write the update for the victim."},
    )
    obligations = ObligationChoiceField(
        label="Duties this update met (optional)",
        queryset=Obligation.objects.none(),
        required=False,
        widget=Checkboxes,
    )

    def __init__(self, *args: Any, obligations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligations"].queryset = obligations  # type: ignore[attr-defined]


class WithdrawForm(SafeTextMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why the victim no longer supports the investigation",
        choices=WithdrawalReason.choices,
        widget=Radios,
        error_messages={"required": "Choose the reason the victim gave."},
    )
    occurred_on = _date("Date the victim told you", what="the date the victim told you")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class ReengageForm(SafeTextMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why the victim supports the investigation again",
        choices=ReengagementReason.choices,
        widget=Radios,
        error_messages={"required": "Choose the reason the victim gave."},
    )
    occurred_on = _date("Date the victim told you", what="the date the victim told you")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class NotApplicableForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why this duty does not apply",
        widget=forms.Textarea,
        error_messages={"required": "Say why this duty does not apply."},
    )


class PortalAccessForm(SafeTextMixin, forms.Form):
    how = forms.ChoiceField(
        label="How the victim will get the code",
        choices=[
            ("show", "Show me the code: I will give it to the victim through their safe channel"),
            ("send", "Send it to the victim's safe email address or phone number"),
        ],
        widget=Radios,
        error_messages={"required": "Choose how the victim will get the code."},
    )
