"""Forms of the suspects app: a review decision, split and merge, a disruption tactic."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from bluestone.accounts.models import User
from bluestone.core.forms import GovukDateField, SafeTextMixin, date_field
from bluestone.suspects.models import DecisionKind, TacticStatus, TacticType


class Radios(forms.RadioSelect):
    """Radios whose field label points at the first radio, so the error summary's link lands on it
    and the first radio keeps its own label (Django gives the group no id by default)."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index if index is not None else "0")


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return super().id_for_label(id_, index if index is not None else "0")


REVIEW_CHOICES = [
    (DecisionKind.CONFIRM.value, "Confirm: they are the same person"),
    (DecisionKind.REJECT.value, "Reject: they are not the same person"),
    (DecisionKind.NOT_SURE.value, "Not sure: leave it for someone else"),
]


class DecisionForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Are these two records the same person?",
        choices=REVIEW_CHOICES,
        widget=Radios,
        error_messages={"required": "Choose confirm, reject or not sure"},
    )
    reason = forms.CharField(
        label="Why? (optional for confirm and not sure, required to reject)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What decided it: for example, the dates of birth differ by a generation.",
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == DecisionKind.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why these records are not the same person")
        return cleaned


class SplitForm(SafeTextMixin, forms.Form):
    move = forms.MultipleChoiceField(
        label="Which records are not this person?",
        widget=Checkboxes,
        error_messages={"required": "Choose the records to take out of this identity"},
    )
    reason = forms.CharField(
        label="Why are they not the same person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these records are not the same person"},
    )

    def __init__(self, *args: Any, records: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        move = self.fields["move"]
        assert isinstance(move, forms.MultipleChoiceField)  # noqa: S101 (declared above)
        move.choices = records


class MergeForm(SafeTextMixin, forms.Form):
    other = forms.ChoiceField(
        label="Which identity is the same person?",
        widget=Radios,
        error_messages={"required": "Choose the identity to merge with"},
    )
    reason = forms.CharField(
        label="Why are they the same person?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these are the same person"},
    )

    def __init__(self, *args: Any, identities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, forms.ChoiceField)  # noqa: S101 (declared above)
        other.choices = identities


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


def _date(label: str, *, required: bool = False) -> GovukDateField:
    return date_field(label, required=required, what=f"the {label.lower()}")


class TacticForm(SafeTextMixin, forms.Form):
    tactic = forms.ModelChoiceField(
        label="Tactic",
        queryset=TacticType.objects.filter(active=True),
        empty_label="Choose a tactic",
        error_messages={"required": "Choose the tactic", "invalid_choice": "Choose the tactic from the list"},
    )
    status = forms.ChoiceField(
        label="Status", choices=TacticStatus.choices, error_messages={"required": "Choose the tactic's status"}
    )
    status_on = _date("Date of this status", required=True)
    starts_on = _date("Start date")
    ends_on = _date("End date")
    review_on = _date("Review date")
    owner = OwnerChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose who owns it",
        error_messages={"required": "Choose who owns the tactic", "invalid_choice": "Choose the owner from the list"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 (declared above)
        owner.queryset = owners


class TacticUpdateForm(SafeTextMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=TacticStatus.choices, error_messages={"required": "Choose the tactic's status"}
    )
    status_on = _date("Date of this status", required=True)
    review_on = _date("Next review date")
    notes = forms.CharField(
        label="Note to add (optional)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterFilterForm(SafeTextMixin, forms.Form):
    """The register's filters (GET): a priority band, disruption tactics, a team."""

    band = forms.ChoiceField(label="Priority", required=False)
    tactics = forms.ChoiceField(label="Disruption tactics", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        bands: list[tuple[str, str]],
        tactic_types: QuerySet[TacticType],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        band, tactics, team = self.fields["band"], self.fields["tactics"], self.fields["team"]
        assert isinstance(band, forms.ChoiceField)  # noqa: S101 (declared above)
        assert isinstance(tactics, forms.ChoiceField)  # noqa: S101
        assert isinstance(team, forms.ChoiceField)  # noqa: S101
        band.choices = [("", "Any priority"), *bands]
        tactics.choices = [
            ("", "Any or none"),
            ("any", "At least one tactic"),
            ("none", "No tactics yet"),
            *[(t.code, t.name) for t in tactic_types],
        ]
        team.choices = [("", "Every team"), *teams]
