"""Base models and the reference data every other app refers to."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    """Who made and last changed a row, and when."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A record that appears in URLs: identified by a UUID, never by a guessable number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class OffenceGroup(models.TextChoices):
    RAPE = "rape", "Rape"
    SEXUAL_ASSAULT = "sexual_assault", "Sexual assault"
    CHILD_SEXUAL_OFFENCE = "child_sexual_offence", "Sexual activity with a child"
    OTHER = "other", "Other sexual offence"


class OffenceClass(models.Model):
    """A Home Office offence class (for example 19C, rape of a female aged 16 and over)."""

    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=32, choices=OffenceGroup.choices)
    # The victim's age band that defines the class, where it does: "16+", "under 16", "under 13", "13+".
    victim_age_band = models.CharField(max_length=16, blank=True)
    child_victim = models.BooleanField(default=False)
    # Relative harm, used to rank repeat suspects; reference data a force may change.
    harm_weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "offence classes"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutcomeType(models.Model):
    """A Home Office outcome type (1 to 22) and the conditions for using it."""

    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    requires_named_suspect = models.BooleanField(default=False)
    requires_no_named_suspect = models.BooleanField(default=False)
    requires_victim_withdrawal = models.BooleanField(default=False)
    requires_rationale = models.BooleanField(default=False)
    requires_victim_informed = models.BooleanField(default=False)
    # Counts as a "charge or summons" in measures.
    is_charge = models.BooleanField(default=False)
    # Consistency with the record: a charge, or a CPS decision to charge, must be on the case.
    requires_charge_decision = models.BooleanField(default=False)
    # Consistency with the record: nobody on bail and no line of enquiry left not started.
    requires_investigation_complete = models.BooleanField(default=False)
    # A decision not to charge a named suspect: the victim must be told of the Victims' Right to Review.
    right_to_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"
