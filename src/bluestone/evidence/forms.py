"""Forms for evidence. They parse what was typed; the rules (what a request must hold, when an
exhibit may be destroyed) are in `evidence.services`, whose errors the views put back on the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluestone.cases.models import PersonRecord
from bluestone.core import clock
from bluestone.core.forms import GovukDateField, SafeTextMixin
from bluestone.core.forms import date_field as core_date_field
from bluestone.evidence.models import (
    DataCategory,
    DigitalRequest,
    HolderKind,
    HowObtained,
    ItemKind,
    NoticeElement,
    NoticeException,
    Owner,
    SampleType,
)
from bluestone.investigation.models import LineOfEnquiry

TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"]
TIME_HINT = "For example, 2:30pm or 14:30"


def day_field(label: str, *, what: str = "") -> GovukDateField:
    """A date on its own: the GOV.UK date input (the service says when one is needed)."""
    return core_date_field(label, required=False, what=what or label.lower())


def time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_INPUT_FORMATS,
        help_text=TIME_HINT,
        error_messages={"invalid": f"Enter {label.lower()} as a time, for example 2:30pm or 14:30"},
    )


def text(label: str, *, hint: str = "", required: bool = False, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=hint, strip=True)


def long_text(label: str, *, hint: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea, help_text=hint, max_length=5000)


class Radios(forms.RadioSelect):
    """Radios whose label target (and error summary link) is the first radio, as GOV.UK expects."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or "Unnamed person")


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        decided = f"authorised {timezone.localdate(obj.decided_at):%d/%m/%Y}: " if obj.decided_at else ""
        return f"{decided}{obj.purpose[:60]}"


class DateTimeMixin:
    """Joins `<name>_date` and `<name>_time` into one timezone-aware `<name>` (Europe/London)."""

    datetime_names: tuple[str, ...] = ()
    cleaned_data: dict[str, Any]

    def join_datetimes(self) -> None:
        for name in self.datetime_names:
            day: dt.date | None = self.cleaned_data.get(f"{name}_date")
            time: dt.time | None = self.cleaned_data.get(f"{name}_time")
            self.cleaned_data[name] = (
                timezone.make_aware(dt.datetime.combine(day, time)) if day is not None and time is not None else None
            )


def _now_initial() -> dict[str, Any]:
    now = timezone.localtime(clock.now())
    return {"date": now.date(), "time": f"{now:%H:%M}"}


class ExhibitForm(SafeTextMixin, DateTimeMixin, forms.Form):
    datetime_names = ("obtained_at",)

    reference = text("Exhibit reference", hint="The label on the exhibit, for example AB/1")
    description = text("Description", hint="For example, black smartphone in a blue case", max_length=300)
    owner = forms.ChoiceField(label="Whose is it?", choices=Owner.choices, required=False, widget=Radios)
    person = PersonChoiceField(
        label="Person it belongs to (optional)", queryset=PersonRecord.objects.none(), required=False
    )
    item_kind = forms.ChoiceField(label="What is it?", choices=ItemKind.choices, required=False, widget=Radios)
    how_obtained = forms.ChoiceField(
        label="How was it obtained?", choices=HowObtained.choices, required=False, widget=Radios
    )
    obtained_at_date = day_field("Date it was taken")
    obtained_at_time = time_field("Time it was taken")
    obtained_from = text("Where it came from", hint="For example, handed over by the victim at home")
    handled_by = text("Who took it", hint="Name and collar number")
    location = text("Where it is stored now", hint="For example, property store, locker 14")
    digital_request = RequestChoiceField(
        label="Authorised request it is taken under",
        queryset=DigitalRequest.objects.none(),
        required=False,
        help_text="A victim's device can only be taken under an authorised request for data from it.",
    )

    def __init__(self, *args: Any, people: list[PersonRecord], requests: list[DigitalRequest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        digital_request = self.fields["digital_request"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 (declared above)
        assert isinstance(digital_request, forms.ModelChoiceField)  # noqa: S101
        person.queryset = PersonRecord.objects.filter(pk__in=[p.pk for p in people])
        digital_request.queryset = DigitalRequest.objects.filter(pk__in=[r.pk for r in requests])
        person.empty_label = "Not recorded"
        digital_request.empty_label = "None"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.join_datetimes()
        return cleaned


class MoveForm(SafeTextMixin, DateTimeMixin, forms.Form):
    datetime_names = ("moved_at",)

    to_location = text("Where did it go?", hint="For example, forensic lab, digital forensics unit")
    handled_by = text("Who moved it?", hint="Name, and collar number or organisation")
    moved_at_date = day_field("Date it moved")
    moved_at_time = time_field("Time it moved")
    reason = text("Why did it move?", hint="For example, for examination", max_length=300)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.join_datetimes()
        return cleaned


class ReturnForm(SafeTextMixin, DateTimeMixin, forms.Form):
    datetime_names = ("returned_at",)

    returned_to = text("Who was it given back to?", hint="For example, the victim, or their representative")
    handled_by = text("Who handed it back?", hint="Name and collar number")
    returned_at_date = day_field("Date it was given back")
    returned_at_time = time_field("Time it was given back")
    authority = long_text(
        "Authority for returning it", hint="Who decided it can go back, and why it is no longer needed as evidence"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.join_datetimes()
        return cleaned


class ReplacementForm(SafeTextMixin, DateTimeMixin, forms.Form):
    datetime_names = ("provided_at",)

    provided_at_date = day_field("Date the replacement was provided")
    provided_at_time = time_field("Time the replacement was provided")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.join_datetimes()
        return cleaned


class DestroyForm(SafeTextMixin, DateTimeMixin, forms.Form):
    datetime_names = ("destroyed_at",)

    authority = long_text("Authority for destroying it", hint="The decision, who made it, and when")
    destroyed_at_date = day_field("Date it was destroyed")
    destroyed_at_time = time_field("Time it was destroyed")
    confirmed = forms.BooleanField(label="I confirm this exhibit is to be destroyed", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.join_datetimes()
        return cleaned


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class PlanLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_group_display().lower()})"


class RequestForm(SafeTextMixin, forms.Form):
    """Every field a request may hold; the template shows those of its kind."""

    person = PersonChoiceField(
        label="Whose device or material is it?", queryset=PersonRecord.objects.none(), required=False
    )
    plan_line = PlanLineChoiceField(
        label="Line of enquiry in the investigation plan (optional)",
        queryset=LineOfEnquiry.objects.none(),
        required=False,
        empty_label="Not in the plan",
        error_messages={"invalid_choice": "Choose a line of enquiry from this case's investigation plan."},
    )
    line_of_enquiry = long_text(
        "Reasonable line of enquiry", hint="The line of enquiry in the investigation plan that this serves"
    )
    purpose = long_text("Purpose", hint="What you expect the material to show")
    necessity_rationale = long_text(
        "Why it is necessary and proportionate",
        hint="Why the enquiry cannot be pursued without it, and why the intrusion is justified",
    )
    less_intrusive_options = long_text(
        "Less intrusive options considered",
        hint=(
            "For example, screenshots the victim provides, or material from the suspect's device, "
            "and why they are not enough"
        ),
    )
    data_categories = forms.ModelMultipleChoiceField(
        label="Categories of data needed", queryset=DataCategory.objects.none(), required=False, widget=Checkboxes
    )
    scope_from = day_field("Data from", what="the earliest date of data needed")
    scope_to = day_field("Data to", what="the latest date of data needed")
    selective_extraction = forms.BooleanField(
        label="Only the data in scope will be extracted (selective extraction)", required=False
    )
    selective_extraction_detail = long_text(
        "How the extraction is limited, or why a selective extraction is not possible"
    )
    given_voluntarily = forms.BooleanField(label="The victim is giving the device voluntarily", required=False)
    victim_agreed = forms.ChoiceField(
        label="Did the victim agree to the extraction?",
        choices=[("yes", "Yes, the victim agreed"), ("no", "No, the victim refused")],
        required=False,
        widget=Radios,
    )
    notice_given_on = day_field("Date the written notice was given")
    notice_elements = forms.ModelMultipleChoiceField(
        label="What the written notice told the person",
        queryset=NoticeElement.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    holder = text("Who holds the material?", hint="For example, the name of the counselling service or school")
    holder_kind = forms.ChoiceField(
        label="What kind of organisation is it?", choices=HolderKind.choices, required=False, widget=Radios
    )
    holder_believed_to_hold = forms.BooleanField(label="I believe the holder has this material", required=False)
    material = long_text("Material asked for", hint="Only what the line of enquiry needs, with dates")
    relevance = long_text("How it is relevant to the line of enquiry")
    substantial_probative_value = long_text(
        "Why counselling records are likely to have substantial probative value",
        hint="Needed only for counselling or therapy records",
    )
    notice_exception = forms.ChoiceField(
        label="If the victim is not being told, why not?",
        choices=[("", "The victim has been given written notice"), *NoticeException.choices],
        required=False,
        widget=Radios,
    )
    notice_exception_reason = long_text("Why the exception applies")
    legal_basis = text(
        "Power or authority used",
        hint="For example, seized on arrest, production order, communications data authorisation",
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        people: list[PersonRecord],
        notice_kind: str,
        lines: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        plan_line = self.fields["plan_line"]
        assert isinstance(plan_line, forms.ModelChoiceField)  # noqa: S101 (declared above)
        plan_line.queryset = lines if lines is not None else LineOfEnquiry.objects.none()
        person = self.fields["person"]
        categories = self.fields["data_categories"]
        elements = self.fields["notice_elements"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 (declared above)
        assert isinstance(categories, forms.ModelMultipleChoiceField)  # noqa: S101
        assert isinstance(elements, forms.ModelMultipleChoiceField)  # noqa: S101
        person.queryset = PersonRecord.objects.filter(pk__in=[p.pk for p in people])
        person.empty_label = "Not recorded"
        categories.queryset = DataCategory.objects.filter(active=True)
        elements.queryset = NoticeElement.objects.filter(kind=notice_kind, active=True)

    @property
    def victim_agreed_value(self) -> bool | None:
        return _yes_no(self.cleaned_data.get("victim_agreed") or "")


class DecisionForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("authorise", "Authorise the request"), ("decline", "Do not authorise it")],
        widget=Radios,
        error_messages={"required": "Choose whether to authorise the request"},
    )
    note = long_text("Your reasons", hint="Needed if you do not authorise it: say what the officer should do instead")


class NoteForm(SafeTextMixin, forms.Form):
    """A note, and where the action needs one, a box to tick so that an empty form changes nothing."""

    def __init__(self, *args: Any, label: str, hint: str = "", confirm: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if confirm:
            self.fields["confirm"] = forms.BooleanField(
                label=confirm, required=True, error_messages={"required": f"Tick the box to confirm: {confirm.lower()}"}
            )
        self.fields["note"] = long_text(label, hint=hint)


class RetainForm(SafeTextMixin, forms.Form):
    reason = long_text(
        "Why is the exhibit kept?",
        hint="For example, for the trial, a possible appeal, or a review the victim may ask for",
    )


class SarcSampleForm(SafeTextMixin, forms.Form):
    sarc_reference = text("SARC reference", hint="The SARC's own reference. Do not enter the person's name")
    collected_on = day_field("Date the samples were collected")
    sample_types = forms.ModelMultipleChoiceField(
        label="Samples held", queryset=SampleType.objects.none(), required=False, widget=Checkboxes
    )
    storage_location = text("Where they are stored", hint="For example, SARC freezer 2, shelf B")
    consent_recorded_on = day_field("Date the person consented to storage")
    consent_note = long_text("What the person consented to (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.fields["sample_types"]
        assert isinstance(types, forms.ModelMultipleChoiceField)  # noqa: S101 (declared above)
        types.queryset = SampleType.objects.filter(active=True)


class SarcLinkForm(SafeTextMixin, forms.Form):
    crime_reference = text("Crime reference of the person's report", hint="For example, BS/26/0001234")


class SarcDestroyForm(SafeTextMixin, forms.Form):
    authority = long_text("Authority for destroying the samples", hint="The decision, who made it, and when")
    confirmed = forms.BooleanField(label="I confirm these samples are to be destroyed", required=False)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields: a `<name>` error on `<name>`, or on `<name>_date`
    for a date and time pair; anything else at the top of the form."""
    for name, messages in error.message_dict.items():
        target: str | None = None
        if name in form.fields:
            target = name
        elif f"{name}_date" in form.fields:
            target = f"{name}_date"
        for message in messages:
            form.add_error(target, message)


def now_initial(*names: str) -> dict[str, Any]:
    """Initial values that fill a date and time pair with now."""
    now = _now_initial()
    initial: dict[str, Any] = {}
    for name in names:
        initial[f"{name}_date"] = now["date"]
        initial[f"{name}_time"] = now["time"]
    return initial
