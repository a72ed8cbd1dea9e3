"""Identities from linkage, the reviewed human decisions that bind every later run, and disruption.

Linkage decides which suspect person records (one per report) are the same real person. A full run
replaces the identities; review decisions are never deleted and every run applies them first, so a
person's "these two are not the same" is never silently undone by the model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluestone.cases.models import PersonRecord
from bluestone.core.models import PublicModel, TimeStampedModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class RunKind(models.TextChoices):
    FULL = "full", "Full run"
    INCREMENTAL = "incremental", "New records scored"


class LinkageRun(PublicModel):
    """One linkage run: a full run over every suspect record, or the scoring of a case's new records."""

    kind = models.CharField(max_length=16, choices=RunKind.choices, default=RunKind.FULL)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    records = models.PositiveIntegerField(default=0)
    identities = models.PositiveIntegerField(default=0)  # identities of two or more records
    pairs_kept = models.PositiveIntegerField(default=0)
    pairs_matched = models.PositiveIntegerField(default=0)
    decisions_applied = models.PositiveIntegerField(default=0)
    threshold = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    # The trained model as JSON (LinkageModel.to_dict), so incremental scoring uses exactly this run's
    # model, on any database, without a file on one server's disk.
    model = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["kind", "status", "-requested_at"], name="linkage_run_kind_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M} ({self.status})"


class Identity(PublicModel):
    """A real person behind two or more suspect records. The id is kept from run to run: a new run's
    group takes over the identity it shares most records with."""

    first_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    # An identity left with fewer than two records by a later run is retired, not deleted: its
    # tactics and the decisions that mention it stay readable.
    active = models.BooleanField(default=True)
    record_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    # The priority score and its parts (suspects.priority), stored so the register sorts in the database.
    priority = models.FloatField(default=0)
    priority_parts = models.JSONField(default=dict)
    latest_report_at = models.DateTimeField(null=True, blank=True)
    # The checks made on the identity when it was formed (bluestone.linkage.clusters): why a person should
    # review it (split from a larger group, a record hanging on a weak link, too many records), and the
    # lowest match probability without which it would fall apart.
    review_reason = models.CharField(max_length=300, blank=True)
    weakest_link = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "identities"
        ordering = ["-priority"]
        indexes = [models.Index(fields=["active", "report_count", "-priority"], name="identity_register")]

    def __str__(self) -> str:
        return f"Identity {self.pk}"


class MemberSource(models.TextChoices):
    LINKAGE = "linkage", "Linked by the model"
    DECISION = "decision", "Kept together by a review decision"
    INCREMENTAL = "incremental", "Scored when the case was recorded"


class IdentityMember(TimeStampedModel):
    """A suspect record in an identity. A record is in at most one identity at a time."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(PersonRecord, on_delete=models.CASCADE, related_name="identity_member")
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    # The best match probability between this record and another member (None: joined by a decision).
    match_probability = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=MemberSource.choices, default=MemberSource.LINKAGE)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.identity_id}"


class LinkExplanation(PublicModel):
    """A scored pair of suspect records and why: each comparison's match weight (log2 Bayes factor)."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="explanations")
    # person_a's id sorts before person_b's, so a pair is stored one way round.
    person_a = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # {"prior": -13.2, "first_name": 7.1, ...}: the prior and each comparison's weight.
    weights = models.JSONField(default=dict)
    match_key = models.CharField(max_length=16, blank=True)
    # The blocking rule that found the pair, in words (what the match key means).
    match_rule = models.CharField(max_length=200, blank=True)
    # Why the pair is not linked whatever its probability (twins, a household, father and son), or blank.
    held_reason = models.CharField(max_length=300, blank=True)
    # Per comparison, the level the pair reached and the standardised values compared:
    # {"first_name": {"level": "Exact", "a": "john", "b": "john"}, ...}. Shown at the reader's access level.
    details = models.JSONField(default=dict, blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-match_probability"]
        indexes = [
            models.Index(fields=["current", "-match_probability"], name="explanation_current_prob"),
            models.Index(fields=["person_a", "person_b"], name="explanation_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.match_probability:.3f})"


class DecisionKind(models.TextChoices):
    CONFIRM = "confirm", "Confirmed: the same person"
    REJECT = "reject", "Rejected: not the same person"
    NOT_SURE = "not_sure", "Not sure"
    MUST_LINK = "must_link", "Merged: the same person"
    CANNOT_LINK = "cannot_link", "Split: not the same person"


# The kinds that bind every later run: together, or apart.
TOGETHER = (DecisionKind.CONFIRM, DecisionKind.MUST_LINK)
APART = (DecisionKind.REJECT, DecisionKind.CANNOT_LINK)


class ReviewDecision(PublicModel):
    """A person's decision about two suspect records. Never deleted or edited: a new decision on the
    same pair supersedes the old one explicitly (superseded_by), so the history stays readable."""

    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    # person_a's id sorts before person_b's.
    person_a = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="+")
    explanation = models.ForeignKey(
        LinkExplanation, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    match_probability = models.FloatField(null=True, blank=True)  # what the model said when it was decided
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["person_a", "person_b"], name="decision_pair"),
            models.Index(fields=["superseded_by", "kind"], name="decision_active_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_a_id} / {self.person_b_id}"


class TacticType(models.Model):
    """A disruption tactic (reference data, suspects/reference/tactic_types.csv)."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TacticStatus(models.TextChoices):
    CONSIDERED = "considered", "Considered"
    APPLIED_FOR = "applied_for", "Applied for"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    BREACHED = "breached", "Breached"
    EXPIRED = "expired", "Expired"


# A tactic in one of these states needs no more reviews.
CLOSED_TACTIC_STATUSES = (TacticStatus.REFUSED, TacticStatus.EXPIRED)


class TacticRecord(PublicModel):
    """A disruption tactic used, or considered, against one identity."""

    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="tactics")
    tactic = models.ForeignKey(TacticType, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=TacticStatus.choices, default=TacticStatus.CONSIDERED)
    status_on = models.DateField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["review_on", "-status_on"]
        indexes = [models.Index(fields=["status", "review_on"], name="tactic_status_review")]

    def __str__(self) -> str:
        return f"{self.tactic_id} ({self.status})"


class StoredRecord(models.Model):
    """A suspect person record as linkage sees it (standardised), kept so that a new record is scored
    against its blocking candidates without reading and standardising every record again.

    Filled by every full run, kept current by the scoring of a case's new or edited records, and
    rebuilt when the model changes (`version`: `bluestone.linkage.store_version` of the model).
    """

    person = models.OneToOneField(PersonRecord, on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=32, db_index=True)
    # The term-frequency columns, counted across the store when a record is scored; null (no value) is
    # not counted, as the full run does not count it.
    first_name = models.CharField(max_length=200, null=True, blank=True, db_index=True)  # noqa: DJ001
    last_name = models.CharField(max_length=200, null=True, blank=True, db_index=True)  # noqa: DJ001
    name_key = models.CharField(max_length=401, null=True, blank=True, db_index=True)  # noqa: DJ001
    standardised = models.JSONField()

    def __str__(self) -> str:
        return f"stored record {self.person_id}"


class BlockingKey(models.Model):
    """One blocking key of a stored record (`bluestone.linkage.blocking_keys`): records sharing a key are
    candidates for each other."""

    record = models.ForeignKey(StoredRecord, on_delete=models.CASCADE, related_name="keys")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"key {self.key} of {self.record_id}"
