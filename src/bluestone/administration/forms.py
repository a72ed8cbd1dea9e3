"""Forms for the administrators' pages. The services check everything again: these give the errors
their place on the page."""

from __future__ import annotations

from typing import Any

from django import forms

from bluestone.accounts.models import Role, Team
from bluestone.core.forms import SafeTextMixin


def _team_choices() -> list[tuple[str, str]]:
    return [("", "No team"), *((str(team.pk), team.name) for team in Team.objects.order_by("name"))]


class TeamChoiceMixin(forms.BaseForm):
    def chosen_team(self) -> Team | None:
        value = self.cleaned_data.get("team") or ""
        return Team.objects.filter(pk=int(value)).first() if value else None


class UserCreateForm(TeamChoiceMixin, SafeTextMixin, forms.Form):
    username = forms.CharField(label="Username", max_length=150, error_messages={"required": "Enter a username"})
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter the last name"})
    email = forms.CharField(label="Email address (optional)", max_length=254, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, error_messages={"required": "Select the role"})
    team = forms.ChoiceField(label="Team", required=False)
    password = forms.CharField(
        label="Password (optional)",
        widget=forms.PasswordInput,
        required=False,
        help_text="Without one the user cannot sign in until a password is set for them.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 (declared above)
        team.choices = _team_choices()


class UserDetailsForm(SafeTextMixin, forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter the last name"})
    email = forms.CharField(label="Email address (optional)", max_length=254, required=False)


class UserRoleForm(SafeTextMixin, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, error_messages={"required": "Select the role"})


class UserTeamForm(SafeTextMixin, TeamChoiceMixin, forms.Form):
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 (declared above)
        team.choices = _team_choices()


class UserPasswordForm(SafeTextMixin, forms.Form):
    password = forms.CharField(
        label="New password", widget=forms.PasswordInput, error_messages={"required": "Enter the new password"}
    )


class ReasonForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="Kept in the audit log.",
        error_messages={"required": "Enter a reason: it is kept in the audit log"},
    )

    def __init__(self, *args: Any, label: str = "Reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class TeamForm(SafeTextMixin, forms.Form):
    code = forms.CharField(label="Code", max_length=32, error_messages={"required": "Enter the team's code"})
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the team's name"})


class ImportForm(SafeTextMixin, forms.Form):
    file = forms.FileField(label="CSV file", error_messages={"required": "Select a CSV file"})
    dry_run = forms.BooleanField(label="Check the file only: create nobody", required=False)


class SupportServiceForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False)
    offer = forms.CharField(
        label="What they offer",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="In plain English, as the person reading it would say it.",
    )
    area = forms.CharField(label="Where they help", max_length=200, required=False)
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    website = forms.CharField(label="Website (optional)", max_length=300, required=False)
    email = forms.CharField(label="Email address (optional)", max_length=254, required=False)
    position = forms.IntegerField(
        label="Order on the page",
        min_value=0,
        max_value=10000,
        initial=100,
        required=False,
        help_text="Lower numbers are listed first.",
        error_messages={"invalid": "Enter the order as a whole number, like 10"},
    )
    shown = forms.BooleanField(label="Show on the portal", required=False, initial=True)
