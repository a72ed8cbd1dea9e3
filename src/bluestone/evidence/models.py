"""Exhibits and their continuity, the digital and third-party requests register, SARC samples.

The rules (what a request must hold, when an exhibit may be destroyed, the phone return clock, SARC
retention) are in `evidence.services` and `evidence.clock`; models hold fields and small properties.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from bluestone.cases.models import Case, PersonRecord
from bluestone.core.models import PublicModel

# --- Reference data (evidence/reference/*.csv, loaded by migration 0002; a force may edit them) ------


class SampleType(models.Model):
    """A kind of forensic sample a SARC takes (swabs, blood, urine, clothing...)."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class DataCategory(models.Model):
    """A category of data on a device or held by a third party, for the scope of a request."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "data categories"

    def __str__(self) -> str:
        return self.name


class NoticeKind(models.TextChoices):
    # The written notice before extracting data from a victim's device (PCSCA 2022 s.37 and its code).
    VICTIM_DEVICE = "victim_device", "Notice before taking data from a victim's device"
    # The written notice to a victim before asking a third party for material about them (VPA 2024).
    THIRD_PARTY = "third_party", "Notice to a victim before asking for third-party material"


class NoticeElement(models.Model):
    """One thing a written notice must tell the person. A request records which ones its notice held;
    every active element of its kind must be there."""

    code = models.CharField(max_length=32, primary_key=True)
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "order"]

    def __str__(self) -> str:
        return self.text


# --- Append-only rows ----------------------------------------------------------------------------


class AppendOnlyError(Exception):
    """Raised by any attempt, through the ORM, to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Continuity is append-only: record a new movement instead of changing one.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Continuity is append-only: movements are never deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("Continuity is append-only: record a new movement instead of changing one.")


# --- Requests register ---------------------------------------------------------------------------


class RequestKind(models.TextChoices):
    VICTIM_DEVICE = "victim_device", "Data from a victim's device (PCSCA 2022 s.37)"
    VICTIM_THIRD_PARTY = "victim_third_party", "Third-party material about a victim (VPA 2024)"
    SUSPECT_DEVICE = "suspect_device", "Data from a suspect's device"
    SUSPECT_ENQUIRY = "suspect_enquiry", "Digital enquiry about a suspect (communications data, accounts, cloud)"


# Whose privacy a request intrudes on: the measure of suspect focus against victim intrusion.
VICTIM_KINDS = frozenset({RequestKind.VICTIM_DEVICE, RequestKind.VICTIM_THIRD_PARTY})
SUSPECT_KINDS = frozenset({RequestKind.SUSPECT_DEVICE, RequestKind.SUSPECT_ENQUIRY})


class RequestStatus(models.TextChoices):
    AWAITING_AUTHORISATION = "awaiting", "Awaiting authorisation"
    AUTHORISED = "authorised", "Authorised"
    NOT_AUTHORISED = "not_authorised", "Not authorised"
    VICTIM_REFUSED = "victim_refused", "Victim refused"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class HolderKind(models.TextChoices):
    COUNSELLING = "counselling", "Counselling or therapy service"
    MEDICAL = "medical", "Medical (GP, hospital, mental health)"
    EDUCATION = "education", "School, college or university"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other organisation"


class NoticeException(models.TextChoices):
    """Why a victim was not given written notice of a third-party request (plain-English grounds)."""

    PREJUDICE = "prejudice", "Telling the victim would prejudice the investigation or a prosecution"
    RISK_OF_HARM = "risk_of_harm", "Telling the victim could put them or someone else at risk of harm"
    NOT_PRACTICABLE = "not_practicable", "It is not reasonably practicable to tell the victim"


class DigitalRequest(PublicModel):
    """One entry in the digital and third-party requests register of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="digital_requests")
    kind = models.CharField(max_length=24, choices=RequestKind.choices)
    # The person whose device or material it is (a victim or suspect on the case), where recorded.
    person = models.ForeignKey(PersonRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=RequestStatus.choices)

    # Every request: the reasonable line of enquiry it serves, its purpose and why it is necessary
    # and proportionate. The line of enquiry is described in words (a loaded case may have no plan);
    # where the plan holds it, `plan_line` is that line, and the line's page lists its requests.
    line_of_enquiry = models.TextField()
    plan_line = models.ForeignKey(
        "investigation.LineOfEnquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_requests",
    )
    purpose = models.TextField()
    necessity_rationale = models.TextField()
    less_intrusive_options = models.TextField(blank=True)
    # Scope: categories of data and the period they cover.
    data_categories = models.ManyToManyField(DataCategory, blank=True, related_name="+")
    scope_from = models.DateField(null=True, blank=True)
    scope_to = models.DateField(null=True, blank=True)
    selective_extraction = models.BooleanField(default=False)
    selective_extraction_detail = models.TextField(blank=True)

    # A victim's device (s.37): given voluntarily, the victim's agreement, the written notice.
    given_voluntarily = models.BooleanField(null=True, blank=True)
    victim_agreed = models.BooleanField(null=True, blank=True)
    agreement_recorded_at = models.DateTimeField(null=True, blank=True)
    notice_given_on = models.DateField(null=True, blank=True)
    notice_elements = models.ManyToManyField(NoticeElement, blank=True, related_name="+")

    # Third-party material (VPA 2024): who holds it, what, and why it matters.
    holder = models.CharField(max_length=200, blank=True)
    holder_kind = models.CharField(max_length=16, choices=HolderKind.choices, blank=True)
    # The officer believes the holder has the material (the Act's first condition).
    holder_believed_to_hold = models.BooleanField(null=True, blank=True)
    material = models.TextField(blank=True)
    relevance = models.TextField(blank=True)
    substantial_probative_value = models.TextField(blank=True)
    notice_exception = models.CharField(max_length=16, choices=NoticeException.choices, blank=True)
    notice_exception_reason = models.TextField(blank=True)

    # Suspects: the power or authority used (seizure on arrest, production order, communications data).
    legal_basis = models.CharField(max_length=200, blank=True)

    # Supervisor's decision (victim-focused requests only).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    # The victim's refusal (at the outset, or agreement withdrawn later). Never closes the case.
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal_note = models.TextField(blank=True)

    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)

    # Withdrawn before it was completed (a case cannot close with a request still open).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="request_case_created"),
            models.Index(fields=["status", "created_at"], name="request_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"

    @property
    def about_victim(self) -> bool:
        return self.kind in VICTIM_KINDS

    @property
    def needs_authorisation(self) -> bool:
        return self.kind in VICTIM_KINDS


# --- Exhibits ------------------------------------------------------------------------------------


class Owner(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    SCENE = "scene", "Scene"
    THIRD_PARTY = "third_party", "Third party"


class ItemKind(models.TextChoices):
    MOBILE_PHONE = "mobile_phone", "Mobile phone"
    OTHER_DEVICE = "other_device", "Other digital device (computer, tablet, storage)"
    CLOTHING = "clothing", "Clothing or bedding"
    FORENSIC_SAMPLE = "forensic_sample", "Forensic sample"
    DOCUMENT = "document", "Document or record"
    OTHER = "other", "Other item"


DEVICE_KINDS = frozenset({ItemKind.MOBILE_PHONE, ItemKind.OTHER_DEVICE})


class HowObtained(models.TextChoices):
    SEIZED = "seized", "Seized"
    RECEIVED = "received", "Given voluntarily or received"


class ExhibitStatus(models.TextChoices):
    HELD = "held", "Held"
    RETURNED = "returned", "Returned"
    DESTROYED = "destroyed", "Destroyed"


class Exhibit(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exhibits")
    reference = models.CharField(max_length=32)
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=16, choices=Owner.choices)
    person = models.ForeignKey(PersonRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item_kind = models.CharField(max_length=16, choices=ItemKind.choices)
    how_obtained = models.CharField(max_length=16, choices=HowObtained.choices)
    obtained_at = models.DateTimeField()
    # The request a victim's device was taken under (s.37), or any request the exhibit serves.
    request = models.ForeignKey(
        DigitalRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="exhibits"
    )
    # Where it is now: the "to" of its latest movement (kept here so lists need no join).
    location = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=ExhibitStatus.choices, default=ExhibitStatus.HELD)

    # The phone return clock (a victim's phone): when it is due back, and what stopped the clock.
    return_due_at = models.DateTimeField(null=True, blank=True)
    replacement_provided_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # Seconds from taking to giving back, kept when it is returned (time to return).
    seconds_to_return = models.PositiveIntegerField(null=True, blank=True)

    # Return or destruction: the authority for it, who recorded it, to whom it went back.
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposal_authority = models.TextField(blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_to = models.CharField(max_length=200, blank=True)

    # Kept after the case closes (for a prosecution, an appeal, a review): why, who decided, when.
    retention_reason = models.TextField(blank=True)
    retained_at = models.DateTimeField(null=True, blank=True)
    retained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["case", "reference"], name="exhibit_reference_per_case")]
        indexes = [
            models.Index(fields=["status", "return_due_at"], name="exhibit_status_due"),
        ]

    def __str__(self) -> str:
        return f"Exhibit {self.reference}"

    @property
    def on_return_clock(self) -> bool:
        return self.return_due_at is not None

    @property
    def clock_stopped_at(self) -> dt.datetime | None:
        """When the victim got their phone back or a replacement: whichever came first."""
        stops = [t for t in (self.returned_at, self.replacement_provided_at) if t is not None]
        return min(stops) if stops else None


class ExhibitMovement(models.Model):
    """One link in an exhibit's chain of continuity: from, to, who, when, why. Append-only."""

    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="movements")
    from_location = models.CharField(max_length=200)
    to_location = models.CharField(max_length=200)
    # Who moved it: the person who had it in hand (may not be a user: a courier, a lab scientist).
    handled_by = models.CharField(max_length=200)
    moved_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        ordering = ["moved_at", "id"]
        indexes = [models.Index(fields=["exhibit", "moved_at"], name="movement_exhibit_moved")]

    def __str__(self) -> str:
        return f"{self.from_location} to {self.to_location}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Continuity is append-only: record a new movement instead of changing one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Continuity is append-only: movements are never deleted.")


# --- SARC samples --------------------------------------------------------------------------------


class SampleStatus(models.TextChoices):
    STORED = "stored", "Stored (no police report)"
    LINKED = "linked", "Linked to a case"
    DESTROYED = "destroyed", "Destroyed"


class SarcSample(PublicModel):
    """Forensic samples a SARC keeps for someone who has not (yet) reported to the police.

    No name or contact details: the SARC holds those; Bluestone keeps the SARC's reference only.
    """

    sarc_reference = models.CharField(max_length=32, unique=True)
    collected_on = models.DateField()
    sample_types = models.ManyToManyField(SampleType, related_name="+")
    storage_location = models.CharField(max_length=200)
    consent_recorded_on = models.DateField()
    consent_note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=SampleStatus.choices, default=SampleStatus.STORED)

    # Once the person reports, the case governs retention instead of the SARC period.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="sarc_samples")
    linked_at = models.DateTimeField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    destroyed_at = models.DateTimeField(null=True, blank=True)
    destruction_authority = models.TextField(blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["collected_on", "sarc_reference"]
        indexes = [models.Index(fields=["status", "collected_on"], name="sarc_status_collected")]

    def __str__(self) -> str:
        return f"SARC samples {self.sarc_reference}"
