"""Case-file reviews: the review template (versioned), samples of finalised cases, the reviews of
each sampled case with a score per question, and the actions a review leads to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluestone.accounts.models import Team
from bluestone.cases.models import Case
from bluestone.core.models import PublicModel, TimeStampedModel


class Pillar(models.TextChoices):
    """The six pillars of the operating model (docs/guides/supervisor.md)."""

    SUSPECT_FOCUS = "suspect_focus", "1. Suspect-focused investigation"
    REPEAT_SUSPECTS = "repeat_suspects", "2. Repeat suspects"
    VICTIM_ENGAGEMENT = "victim_engagement", "3. Victim engagement"
    OFFICER_LEARNING = "officer_learning", "4. Officer learning and wellbeing"
    USE_OF_DATA = "use_of_data", "5. Use of data"
    DIGITAL_PROPORTIONALITY = "digital_proportionality", "6. Digital and forensic proportionality"


class Score(models.IntegerChoices):
    NOT_MET = 0, "Not met"
    PARTLY_MET = 1, "Partly met"
    MET = 2, "Met"


class ReviewTemplate(TimeStampedModel):
    """One version of the review template. A change is saved as a new version; old ones stay, so a
    review always shows the questions it was scored against."""

    version = models.PositiveIntegerField(unique=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Review template version {self.version}"


class ReviewQuestion(models.Model):
    template = models.ForeignKey(ReviewTemplate, on_delete=models.PROTECT, related_name="questions")
    pillar = models.CharField(max_length=32, choices=Pillar.choices)
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="review_question_order")]

    def __str__(self) -> str:
        return self.text


class ReviewSample(PublicModel):
    """A stratified random sample of finalised cases, with everything needed to draw it again."""

    template = models.ForeignKey(ReviewTemplate, on_delete=models.PROTECT, related_name="samples")
    title = models.CharField(max_length=200)
    decided_from = models.DateField()
    decided_to = models.DateField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    # Each stratum drawn from: outcome group, team code, cases in it, cases drawn.
    strata = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ReviewStatus(models.TextChoices):
    TO_DO = "to_do", "Not started"
    DONE = "done", "Reviewed"


class CaseReview(PublicModel):
    """One sampled case and, once done, its review."""

    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    outcome_group = models.CharField(max_length=64)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.TO_DO)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["sample", "outcome_group", "team__name", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "case"], name="case_review_once_per_sample")]

    def __str__(self) -> str:
        return f"Review of {self.case_id} in {self.sample_id}"


class ReviewAnswer(models.Model):
    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ReviewQuestion, on_delete=models.PROTECT, related_name="+")
    # None: the question does not apply to this case.
    score = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "question"], name="review_answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ReviewAction(PublicModel):
    """Something to put right that a sample's reviews showed, with an owner and a due date."""

    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="actions")
    pillar = models.CharField(max_length=32, choices=Pillar.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    class Meta:
        ordering = ["status", "due_on"]

    def __str__(self) -> str:
        return self.description[:60]
