"""Forms for case-file reviews: drawing a sample, scoring a case, an action, the template."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from bluestone.accounts.models import Role, Team, User
from bluestone.core.forms import SafeTextMixin, date_field
from bluestone.filereviews.models import Pillar, ReviewQuestion, Score
from bluestone.filereviews.services import MAX_SAMPLE, AnswerInput

NOT_APPLICABLE = "na"
SEED_LIMIT = 1_000_000


def _team_choices(empty: str) -> list[tuple[str, str]]:
    return [("", empty), *Team.objects.order_by("name").values_list("code", "name")]


class DrawForm(SafeTextMixin, forms.Form):
    title = forms.CharField(
        label="Name of the sample",
        max_length=200,
        help_text="For example, Quarter 1 dip sample",
        error_messages={"required": "Enter a name for the sample"},
    )
    decided_from = date_field("Outcomes decided from", what="the first day outcomes were decided on")
    decided_to = date_field("Outcomes decided to", what="the last day outcomes were decided on")
    team = forms.ChoiceField(label="Team", required=False)
    size = forms.IntegerField(
        label="Number of cases",
        min_value=1,
        max_value=MAX_SAMPLE,
        error_messages={
            "required": "Enter the number of cases to sample",
            "invalid": "Enter the number of cases as a whole number",
            "min_value": f"Enter a number of cases from 1 to {MAX_SAMPLE}",
            "max_value": f"Enter a number of cases from 1 to {MAX_SAMPLE}",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=SEED_LIMIT - 1,
        help_text="The same seed draws the same cases from the same period. Leave empty for a new random seed.",
        error_messages={
            "invalid": "Enter the seed as a whole number",
            "min_value": f"Enter a seed from 0 to {SEED_LIMIT - 1}",
            "max_value": f"Enter a seed from 0 to {SEED_LIMIT - 1}",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 (declared above)
        team.choices = _team_choices("All teams")

    def team_object(self) -> Team | None:
        code = self.cleaned_data.get("team") or ""
        return Team.objects.get(code=code) if code else None

    def seed_value(self) -> int:
        seed = self.cleaned_data.get("seed")
        return seed if seed is not None else secrets.randbelow(SEED_LIMIT)


SCORE_CHOICES = [(str(value), str(label)) for value, label in reversed(Score.choices)] + [
    (NOT_APPLICABLE, "Not applicable")
]


class ReviewForm(SafeTextMixin, forms.Form):
    """One radio group and one optional comment per question, and an overall comment."""

    comment = forms.CharField(label="Overall comment (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, questions: list[ReviewQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"score_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for: {question.text}"},
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label="Comment (optional)", required=False, widget=forms.Textarea
            )

    def score_field(self, question: ReviewQuestion) -> forms.BoundField:
        return self[f"score_{question.pk}"]

    def comment_field(self, question: ReviewQuestion) -> forms.BoundField:
        return self[f"comment_{question.pk}"]

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        return [
            AnswerInput(
                question_id=q.pk,
                score=None if data[f"score_{q.pk}"] == NOT_APPLICABLE else int(data[f"score_{q.pk}"]),
                comment=data.get(f"comment_{q.pk}", ""),
            )
            for q in self.questions
        ]


class ActionForm(SafeTextMixin, forms.Form):
    pillar = forms.ChoiceField(
        label="Pillar",
        choices=[("", "Choose a pillar"), *Pillar.choices],
        error_messages={"required": "Choose the pillar the action is for"},
    )
    team = forms.ChoiceField(label="Team (optional)", required=False)
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter what is to be done"},
    )
    owner = forms.ChoiceField(label="Owner", error_messages={"required": "Choose who owns the action"})
    due_on = date_field("Due date", what="the due date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        owner = self.fields["owner"]
        assert isinstance(team, forms.ChoiceField)  # noqa: S101 (declared above)
        assert isinstance(owner, forms.ChoiceField)  # noqa: S101 (declared above)
        team.choices = _team_choices("Every team")
        people = User.objects.filter(
            is_active=True, role__in=[Role.SUPERVISOR, Role.ANALYST, Role.INVESTIGATOR]
        ).order_by("last_name", "first_name", "username")
        owner.choices = [("", "Choose an owner")] + [
            (str(u.pk), f"{u.get_full_name() or u.username} ({u.get_role_display()})") for u in people
        ]

    def team_object(self) -> Team | None:
        code = self.cleaned_data.get("team") or ""
        return Team.objects.get(code=code) if code else None

    def owner_object(self) -> User:
        return User.objects.get(pk=int(self.cleaned_data["owner"]))


class TemplateForm(SafeTextMixin, forms.Form):
    """One box per pillar, one question a line."""

    note = forms.CharField(
        label="What changed (optional)", required=False, max_length=300, help_text="Shown with the version"
    )

    def __init__(self, *args: Any, current: dict[str, list[str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Pillar.choices:
            self.fields[value] = forms.CharField(
                label=str(label),
                required=False,
                widget=forms.Textarea,
                help_text="One question a line. Leave empty for no questions on this pillar.",
                initial="\n".join((current or {}).get(value, [])),
            )

    def pillar_fields(self) -> list[forms.BoundField]:
        return [self[value] for value in Pillar.values]

    def questions(self) -> dict[str, list[str]]:
        return {value: self.cleaned_data.get(value, "").splitlines() for value in Pillar.values}
