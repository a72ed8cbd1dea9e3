"""Forms check the shape of what was typed; the rules themselves are in services."""

from __future__ import annotations

from typing import Any

from django import forms

from bluestone.cases.models import EventKind
from bluestone.core.forms import SafeTextMixin, date_field
from bluestone.investigation.models import (
    AuthorityLevel,
    CpsDecision,
    CpsStepKind,
    IntrusiveKind,
    LineGroup,
    LineStatus,
)
from bluestone.investigation.services import ANSWERS, REVIEW_PROMPTS, SUSPECT_EVENT_KINDS, reads_as_victim_focused

# The answer "not a victim-focused action": every line is classed, never left to its words.
NOT_VICTIM_FOCUSED = "none"


def text_field(label: str, *, required: bool = False, rows: int = 3, hint: str = "", what: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
        max_length=5000,
        error_messages={"required": f"Enter {what or label.lower()}"},
    )


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class _SuspectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.full_name or "Unnamed suspect"


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared as one)
    field.queryset = queryset


class LineAddForm(SafeTextMixin, forms.Form):
    # Not required by itself: a victim-focused action always goes under the victim's account.
    group = forms.ChoiceField(
        label="Group",
        choices=LineGroup.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="A victim-focused action always goes under Victim's account.",
    )
    title = forms.CharField(
        label="Line of enquiry", max_length=200, error_messages={"required": "Enter the line of enquiry"}
    )
    guidance = text_field("Details (optional)")
    owner = _UserChoice(label="Owner", queryset=None, required=False, empty_label="No owner yet")
    due_on = date_field("Due date", required=False, what="the due date")
    intrusive_kind = forms.ChoiceField(
        label="What kind of line is this?",
        choices=[("", "Choose one"), (NOT_VICTIM_FOCUSED, "Not a victim-focused action"), *IntrusiveKind.choices],
        help_text="Victim-focused actions probe the victim's account: they need a rationale, the victim's "
        "agreement or notice, and a supervisor's approval before they start. Give those below.",
        error_messages={"required": "Choose what kind of line this is"},
    )
    rationale = text_field(
        "Why is this necessary and proportionate? (victim-focused actions only)",
        rows=4,
        hint="The reasonable line of enquiry it serves, and why it cannot be met another way. For counselling "
        "records, the substantial probative value expected.",
    )
    less_intrusive_considered = text_field("What less intrusive ways were considered? (victim-focused actions only)")
    victim_agreed = forms.BooleanField(
        label="The victim gave their informed agreement (needed to download their phone)", required=False
    )
    victim_notice_given = forms.BooleanField(
        label="The victim was given written notice of what is asked for, why and how it will be handled "
        "(needed for records held by others)",
        required=False,
    )
    not_victim_focused = forms.BooleanField(
        label="I have checked: this line does not probe the victim (it is not a victim-focused action)",
        required=False,
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner", owners)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("intrusive_kind") == NOT_VICTIM_FOCUSED and not data.get("group"):
            self.add_error("group", "Choose the group the line of enquiry belongs to")
        if (
            data.get("intrusive_kind") == NOT_VICTIM_FOCUSED
            and reads_as_victim_focused(data.get("title", ""), data.get("guidance", ""))
            and not data.get("not_victim_focused")
        ):
            self.add_error(
                "not_victim_focused",
                "This reads as a victim-focused action (the victim's device, or records about them held by "
                "others). Choose its kind above, or confirm that it does not probe the victim",
            )
        return data


class LineUpdateForm(SafeTextMixin, forms.Form):
    owner = _UserChoice(label="Owner", queryset=None, required=False, empty_label="No owner yet")
    due_on = date_field("Due date", required=False, what="the due date")
    status = forms.ChoiceField(
        label="Status", choices=LineStatus.choices, error_messages={"required": "Choose the status"}
    )
    result = text_field("Result", hint="What was found, or why it is not needed.")
    linked_evidence = text_field("Linked evidence", rows=2, hint="Exhibit references, one a line.")

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner", owners)


class ApprovalRequestForm(SafeTextMixin, forms.Form):
    rationale = text_field(
        "Why is this necessary and proportionate?",
        rows=5,
        hint="The reasonable line of enquiry it serves, and why it cannot be met another way. For counselling "
        "records, the substantial probative value expected.",
        what="why the action is necessary and proportionate",
    )
    less_intrusive_considered = text_field(
        "What less intrusive ways were considered?", what="what less intrusive ways were considered"
    )
    victim_agreed = forms.BooleanField(
        label="The victim gave their informed agreement (needed to download their phone)", required=False
    )
    victim_notice_given = forms.BooleanField(
        label="The victim was given written notice of what is asked for, why and how it will be handled "
        "(needed for records held by others)",
        required=False,
    )


class DecisionForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve or refuse"},
    )
    note = text_field("Note to the officer", hint="Needed if you refuse: say what the officer should do instead.")

    def __init__(self, *args: Any, approve_label: str = "Approve", refuse_label: str = "Refuse", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("approve", approve_label), ("refuse", refuse_label)]


class ReviewForm(SafeTextMixin, forms.Form):
    directions = text_field("Directions to the officer", rows=5, hint="What must happen next, by when.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, question in REVIEW_PROMPTS:
            self.fields[f"{code}_answer"] = forms.ChoiceField(
                label=question,
                choices=list(ANSWERS.items()),
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer: {question}"},
            )
            self.fields[f"{code}_note"] = forms.CharField(
                label="Comments (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def prompts(self) -> list[tuple[Any, Any]]:
        return [(self[f"{code}_answer"], self[f"{code}_note"]) for code, _question in REVIEW_PROMPTS]

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            code: {
                "answer": self.cleaned_data.get(f"{code}_answer", ""),
                "note": self.cleaned_data.get(f"{code}_note", ""),
            }
            for code, _question in REVIEW_PROMPTS
        }


SUSPECT_EVENT_CHOICES = [(kind.value, kind.label) for kind in EventKind if kind in SUSPECT_EVENT_KINDS]


class SuspectEventForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=SUSPECT_EVENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    suspect = _SuspectChoice(label="Suspect", queryset=None, required=False, empty_label="Choose the suspect")
    occurred_on = date_field("Date", what="the date")
    custody_number = forms.CharField(
        label="Custody record number (arrests)",
        required=False,
        max_length=40,
        help_text="As on the custody record, for example 01/123456/26",
    )
    custody_time = forms.TimeField(
        label="Time the suspect arrived at the police station (arrests)",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text="The relevant time the 24-hour detention clock runs from, on the 24-hour clock, for example 14:30",
        error_messages={"invalid": "Enter the time as hours and minutes on the 24-hour clock, for example 14:30"},
    )
    details = text_field("Details", hint="For no further action or a decision not to investigate, the reasons.")

    def __init__(self, *args: Any, suspects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "suspect", suspects)


class ChargeForm(SafeTextMixin, forms.Form):
    suspect = _SuspectChoice(label="Suspect charged", queryset=None, required=False, empty_label="Choose the suspect")
    occurred_on = date_field("Date of charge", what="the date of the charge")
    details = text_field("Offences charged", required=True, what="the offences charged")

    def __init__(self, *args: Any, suspects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "suspect", suspects)


class BailForm(SafeTextMixin, forms.Form):
    suspect = _SuspectChoice(label="Suspect", queryset=None, required=False, empty_label="Choose the suspect")
    starts_on = date_field("Bail starts on", what="the date bail starts")
    conditions = text_field("Bail conditions", hint="One a line. Leave empty for bail without conditions.")
    victim_views = text_field(
        "The victim's views on bail and its conditions",
        required=True,
        hint="What the victim said, or why their views could not be asked for.",
        what="the victim's views on bail and its conditions",
    )

    def __init__(self, *args: Any, suspects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "suspect", suspects)


class BailConditionsForm(SafeTextMixin, forms.Form):
    conditions = text_field("New bail conditions", hint="One a line.")
    victim_views = text_field(
        "The victim's views on the change", required=True, what="the victim's views on the change"
    )


class BailEndForm(SafeTextMixin, forms.Form):
    ended_on = date_field("Date bail ended", what="the date bail ended")
    reason = text_field(
        "Why is bail ended?",
        required=True,
        hint="For example, the suspect was told in writing that they need not answer bail",
        what="why bail is ended",
    )


class BailExtendForm(SafeTextMixin, forms.Form):
    until = date_field("Extend bail to", what="the date bail is extended to")
    reason = text_field("Why does bail need extending?", required=True, what="why bail needs extending")
    court_reference = forms.CharField(
        label="Court order reference (only beyond 9 months)", required=False, max_length=100
    )


class CpsForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=CpsStepKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened with the CPS"},
    )
    occurred_on = date_field("Date", what="the date")
    decision = forms.ChoiceField(
        label="Charging decision", choices=[("", "Not a decision"), *CpsDecision.choices], required=False
    )
    reference = forms.CharField(label="CPS reference (optional)", required=False, max_length=64)
    details = text_field("Details (optional)")


class OutcomeForm(SafeTextMixin, forms.Form):
    outcome_type = forms.TypedChoiceField(
        label="Outcome", coerce=int, error_messages={"required": "Choose the outcome"}
    )
    decided_on = date_field("Date of the decision", what="the date of the decision")
    rationale = text_field("Rationale", required=True, rows=5, what="the rationale for the outcome")
    victim_informed = forms.BooleanField(label="The victim has been told of this outcome", required=False)
    victim_informed_on = date_field("Date the victim was told", required=False, what="the date the victim was told")
    victim_told_right_to_review = forms.BooleanField(
        label="The victim was told of their right to ask for a review of a decision not to charge (Victims' Right "
        "to Review)",
        required=False,
    )
    override_reason = text_field(
        "Supervisor override (supervisors only)",
        hint="Only if the outcome is right although the record says otherwise: say why. It is kept in the "
        "outcome's history and the access log.",
        what="why the outcome is right despite the record",
    )

    def __init__(self, *args: Any, outcome_types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome_type"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = [("", "Choose the outcome"), *((t.code, f"{t.code}: {t.name}") for t in outcome_types)]


class VictimToldForm(SafeTextMixin, forms.Form):
    told_on = date_field("Date the victim was told", what="the date the victim was told")
    right_to_review = forms.BooleanField(
        label="The victim was told of their right to ask for a review of a decision not to charge (Victims' Right "
        "to Review)",
        required=False,
    )


class SignOffForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Sign off and close the case"), ("refuse", "Return to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you sign off or return the outcome"},
    )
    note = text_field("Note to the officer", hint="Needed if you return it: say what the officer should do.")
    override_reason = text_field(
        "Override the consistency rules",
        hint="Only if the outcome is right although the record says otherwise (see the checks above): say why. "
        "It is kept in the outcome's history and the access log.",
        what="why the outcome is right despite the record",
    )


class ReasonForm(SafeTextMixin, forms.Form):
    reason = text_field("Why is the case being reopened?", required=True, what="why the case is being reopened")


class TemplateLineForm(SafeTextMixin, forms.Form):
    group = forms.ChoiceField(label="Group", choices=LineGroup.choices, error_messages={"required": "Choose the group"})
    title = forms.CharField(
        label="Line of enquiry", max_length=200, error_messages={"required": "Enter the line of enquiry"}
    )
    guidance = text_field("Guidance for the officer")
    order = forms.IntegerField(
        label="Position",
        min_value=0,
        max_value=999,
        initial=100,
        help_text="Lines are listed from the lowest number; suspect lines come first whatever their number.",
        error_messages={"required": "Enter the position", "invalid": "Enter the position as a whole number"},
    )
    due_days = forms.IntegerField(
        label="Due this many days after the plan is created",
        min_value=0,
        max_value=365,
        initial=7,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter the number of days as a whole number",
        },
    )
    active = forms.BooleanField(label="Use this line in new plans", required=False, initial=True)


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team.name}" if obj.team_id else ""
        return f"{obj.get_full_name() or obj.username} ({obj.username}{team})"


class BailAuthorityForm(SafeTextMixin, forms.Form):
    user = _PersonChoice(
        label="Supervisor",
        queryset=None,
        empty_label="Choose a supervisor",
        error_messages={"required": "Choose the supervisor", "invalid_choice": "Choose a supervisor from the list"},
    )
    level = forms.TypedChoiceField(
        label="Authority",
        coerce=int,
        choices=[
            (AuthorityLevel.INSPECTOR.value, "Inspector: extend bail up to 6 months from its start"),
            (AuthorityLevel.SUPERINTENDENT.value, "Superintendent: extend bail up to 9 months from its start"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the authority"},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)  # noqa: S101 (declared above)
        user.queryset = candidates
