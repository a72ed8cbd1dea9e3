"""Officers as people who do the work: their post, specialist training, wellbeing and exposure.

The officer (rank, team, collar number) belongs to `accounts`; this app adds what a supervisor needs
to look after them. A check-in's words are private to the officer, the supervisor who held it and
occupational health (rules.py); everyone else who may see the officer sees only its date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluestone.accounts.models import Officer
from bluestone.core.models import PublicModel, TimeStampedModel


class CourseType(TimeStampedModel):
    """A specialist course or accreditation (reference data administrators keep)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=500, blank=True)
    # Empty: the accreditation does not lapse.
    valid_for_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Empty: no refresher is due.
    refresher_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Every RASSO investigator should hold it: an officer without it is a training gap.
    required = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    INVESTIGATOR = "investigator", "RASSO investigator"
    SPECIALIST = "specialist", "Specialist sexual offences investigator"
    DIGITAL = "digital", "Digital media investigator"
    TRAINEE = "trainee", "Trainee investigator"
    SUPERVISOR = "supervisor", "Supervisor"


class OfficerProfile(TimeStampedModel):
    """What the workforce pages add to an officer: their post and whether the post is high-exposure."""

    officer = models.OneToOneField(Officer, on_delete=models.CASCADE, related_name="workforce_profile")
    post = models.CharField(max_length=32, choices=Post.choices, default=Post.INVESTIGATOR)
    # Regular exposure to traumatic material (images, interviews): psychological screening is due.
    high_exposure = models.BooleanField(default=True)


class TrainingRecord(PublicModel):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="records")
    achieved_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    refresher_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["course__name", "-achieved_on"]


class CheckIn(PublicModel):
    """A wellbeing conversation a supervisor held with an officer."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="check_ins")
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_ins_held")
    held_on = models.DateField()
    # Private: the officer, the supervisor who held it and occupational health only.
    notes = models.TextField(blank=True)
    support_offered = models.TextField(blank=True)
    referred_to_occupational_health = models.BooleanField(default=False)
    next_due_on = models.DateField()

    class Meta:
        ordering = ["-held_on", "-created_at"]


class Screening(PublicModel):
    """A psychological screening an officer in a high-exposure post attended (the date only)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="screenings")
    held_on = models.DateField()
    next_due_on = models.DateField()

    class Meta:
        ordering = ["-held_on"]


class ExposureKind(models.TextChoices):
    IMAGES = "images", "Indecent images or video"
    INTERVIEW = "interview", "Victim's or witness's account (interview, ABE recording)"
    DIGITAL = "digital", "Digital material (messages, devices)"
    OTHER = "other", "Other traumatic material"


class ExposureEntry(PublicModel):
    """Hours an officer spent with traumatic material, as they log it themselves."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="exposure_entries")
    on = models.DateField()
    kind = models.CharField(max_length=16, choices=ExposureKind.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["-on", "-created_at"]
        verbose_name_plural = "exposure entries"


class GuidanceNote(TimeStampedModel):
    """A practice note shown where the work happens. Its words are in its versions; the newest is current."""

    # Where it is shown: "digital-request", "bail", "review", "outcome-16"; a new note can have any key.
    key = models.SlugField(max_length=64, unique=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class GuidanceVersion(models.Model):
    """One version of a note: never changed or deleted; an edit adds the next version."""

    note = models.ForeignKey(GuidanceNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    change_summary = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["note", "-number"]
        constraints = [models.UniqueConstraint(fields=["note", "number"], name="one_number_per_guidance_version")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"
