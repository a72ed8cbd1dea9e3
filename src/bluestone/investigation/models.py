"""Investigation plans and their lines of enquiry, supervisory reviews, suspect events, bail, CPS
steps and outcome decisions.

Every suspect event is also an entry on the case timeline (cases.CaseEvent, written through
`cases.entry.case_event_record`), which is what other apps (the Victims' Code duties) listen to.
The rows here keep what the timeline cannot: the bail clock, who authorised what, the review's
answers, and the outcome's history across closing and reopening.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluestone.cases.models import Case, CaseEvent, Involvement
from bluestone.core.models import OutcomeType, PublicModel, TimeStampedModel


class LineGroup(models.TextChoices):
    """The plan's three groups, in the order the operating model asks for: the suspect first."""

    SUSPECT = "suspect", "Suspect"
    CONTEXT = "context", "Context"
    VICTIM_ACCOUNT = "victim_account", "Victim's account"


GROUP_ORDER = [LineGroup.SUSPECT, LineGroup.CONTEXT, LineGroup.VICTIM_ACCOUNT]


class Focus(models.TextChoices):
    """Whom a line of enquiry looks at, for the suspect-focus balance."""

    SUSPECT = "suspect", "Suspect-focused"
    VICTIM = "victim", "Victim-focused"
    NEUTRAL = "neutral", "Context"


class IntrusiveKind(models.TextChoices):
    """Actions that probe the victim's credibility: a last resort, each needing a rationale, the
    victim's agreement or notice, and a supervisor's approval before it may start."""

    PHONE_DOWNLOAD = "phone_download", "Download the victim's phone"
    COUNSELLING_RECORDS = "counselling_records", "Request the victim's counselling records"
    MEDICAL_RECORDS = "medical_records", "Request the victim's medical records"
    SCHOOL_RECORDS = "school_records", "Request the victim's school records"
    SOCIAL_CARE_RECORDS = "social_care_records", "Request the victim's social care records"


class PlanTemplate(TimeStampedModel):
    """Reference data an administrator edits: the lines of enquiry every new plan starts with."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanTemplateLine(TimeStampedModel):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(max_length=64)
    group = models.CharField(max_length=16, choices=LineGroup.choices)
    focus = models.CharField(max_length=8, choices=Focus.choices, default=Focus.NEUTRAL)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    # Days after the plan is created that the line falls due.
    due_days = models.PositiveSmallIntegerField(default=7)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="template_line_code_unique")]

    def __str__(self) -> str:
        return self.title


class InvestigationPlan(PublicModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation_plan")
    template = models.ForeignKey(PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # When the next supervisory review is due: 24 hours after the plan is created, then 28 days
    # after each review (BLUESTONE_REVIEW_INITIAL_HOURS, BLUESTONE_REVIEW_INTERVAL_DAYS). Kept on
    # the row so the supervisor's queue is one indexed query.
    next_review_due_at = models.DateTimeField(null=True, blank=True)
    # The due time whose supervisors were last emailed that the review fell due: each is announced once.
    review_due_announced_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_review_due_at"], name="plan_next_review")]

    def __str__(self) -> str:
        return f"Plan for {self.case_id}"


class LineStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "Not needed"


OPEN_STATUSES = [LineStatus.NOT_STARTED, LineStatus.IN_PROGRESS]


class ApprovalState(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    NOT_REQUESTED = "not_requested", "Not asked for"
    REQUESTED = "requested", "Waiting for a supervisor"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class LineOfEnquiry(PublicModel):
    plan = models.ForeignKey(InvestigationPlan, on_delete=models.CASCADE, related_name="lines")
    template_line = models.ForeignKey(
        PlanTemplateLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.CharField(max_length=16, choices=LineGroup.choices)
    focus = models.CharField(max_length=8, choices=Focus.choices, default=Focus.NEUTRAL)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="lines_of_enquiry"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=LineStatus.choices, default=LineStatus.NOT_STARTED)
    # When work on it first started: which came first, the suspect or the victim, is read from here.
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)
    # Exhibit references or descriptions, as text until the evidence register links them.
    linked_evidence = models.TextField(blank=True)
    # Victim-focused actions that probe the victim's credibility, and their gate.
    intrusive_kind = models.CharField(max_length=32, choices=IntrusiveKind.choices, blank=True)
    rationale = models.TextField(blank=True)  # necessity and proportionality
    less_intrusive_considered = models.TextField(blank=True)
    victim_agreed = models.BooleanField(default=False)
    victim_notice_given = models.BooleanField(default=False)
    approval_state = models.CharField(max_length=16, choices=ApprovalState.choices, default=ApprovalState.NOT_NEEDED)
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    # Who asked for the approval: they are emailed the decision.
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "created_at"]
        verbose_name_plural = "lines of enquiry"
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="line_owner_status_due"),
            models.Index(fields=["approval_state"], name="line_approval_state"),
        ]

    @property
    def is_victim_focused_action(self) -> bool:
        return bool(self.intrusive_kind)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __str__(self) -> str:
        return self.title


class ReviewKind(models.TextChoices):
    INITIAL = "initial", "Initial review"
    PERIODIC = "periodic", "28-day review"


class SupervisoryReview(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisory_reviews")
    kind = models.CharField(max_length=16, choices=ReviewKind.choices)
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField()
    # Who reviewed: the user, and their officer record. A review loaded from a force's earlier system
    # names the officer (by collar number), who may have no account; one of the two is always set.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_officer = models.ForeignKey(
        "accounts.Officer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {prompt code: {"answer": "yes"|"no"|"not_applicable", "note": "..."}} for REVIEW_PROMPTS.
    answers = models.JSONField(default=dict)
    directions = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewer__isnull=False) | models.Q(reviewer_officer__isnull=False),
                name="review_has_a_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case_id}"

    @property
    def reviewer_name(self) -> str:
        """The reviewing user's name, or else the officer's rank and name."""
        if self.reviewer is not None:
            return self.reviewer.get_full_name() or self.reviewer.username
        if self.reviewer_officer is not None:
            officer = self.reviewer_officer
            return f"{officer.rank} {officer.first_name} {officer.last_name}".strip()
        return ""


class AuthorityLevel(models.IntegerChoices):
    """Who may extend pre-charge bail: up to 6 months an inspector, to 9 a superintendent, beyond a court."""

    NONE = 0, "No bail authority"
    INSPECTOR = 1, "Inspector"
    SUPERINTENDENT = 2, "Superintendent"
    COURT = 3, "Magistrates' court"


class BailAuthority(TimeStampedModel):
    """A user's authority to extend bail where their officer rank does not say it (superintendents,
    acting inspectors). Detective inspectors and chief inspectors have inspector authority from rank."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bail_authority")
    level = models.PositiveSmallIntegerField(choices=AuthorityLevel.choices)

    class Meta:
        verbose_name_plural = "bail authorities"


class SuspectEvent(PublicModel):
    """Something done to or about a suspect: arrest, interview, bail, RUI, NFA, charge."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspect_events")
    suspect = models.ForeignKey(Involvement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)  # a cases.EventKind value
    occurred_at = models.DateTimeField()
    details = models.TextField(blank=True)
    case_event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="+")
    # An arrest: the custody record's number and the relevant time the PACE detention clock runs from.
    custody_number = models.CharField(max_length=40, blank=True)
    relevant_time = models.DateTimeField(null=True, blank=True)
    # A release under investigation: when it is next reviewed (investigation.custody.rui_review_days).
    review_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]


class BailStatus(models.TextChoices):
    ACTIVE = "active", "On bail"
    ENDED = "ended", "Ended"


class Bail(PublicModel):
    """Pre-charge bail and its clock (Police and Criminal Evidence Act 1984, as amended)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bails")
    suspect = models.ForeignKey(Involvement, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    expires_on = models.DateField()
    conditions = models.TextField(blank=True)
    victim_views = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=BailStatus.choices, default=BailStatus.ACTIVE)
    # An extension asked for and waiting for someone with the authority to give it.
    extension_requested_until = models.DateField(null=True, blank=True)
    extension_request_reason = models.TextField(blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Bail cancelled without a charge, release under investigation or no further action.
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["status", "expires_on"], name="bail_status_expires")]


class BailExtension(TimeStampedModel):
    bail = models.ForeignKey(Bail, on_delete=models.CASCADE, related_name="extensions")
    previous_expiry = models.DateField()
    new_expiry = models.DateField()
    authority = models.PositiveSmallIntegerField(choices=AuthorityLevel.choices)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    court_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at"]


class CpsStepKind(models.TextChoices):
    ADVICE_REQUESTED = "advice_requested", "Early advice asked for"
    FILE_SUBMITTED = "file_submitted", "File sent for a charging decision"
    DECISION = "decision", "Charging decision received"


class CpsDecision(models.TextChoices):
    CHARGE = "charge", "Charge"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    MORE_EVIDENCE = "more_evidence", "More evidence needed (action plan)"


class CpsStep(PublicModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cps_steps")
    kind = models.CharField(max_length=32, choices=CpsStepKind.choices)
    occurred_on = models.DateField()
    decision = models.CharField(max_length=32, choices=CpsDecision.choices, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    details = models.TextField(blank=True)
    case_event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_on", "created_at"]


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", "Waiting for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED = "returned", "Returned to the officer"
    REOPENED = "reopened", "Reopened"


class OutcomeDecision(PublicModel):
    """Every outcome proposed, signed off, returned or reopened on a case: the history behind
    cases.Outcome, which holds only the outcome in force."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_decisions")
    outcome_type = models.ForeignKey(OutcomeType, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    rationale = models.TextField()
    victim_informed = models.BooleanField(default=False)
    victim_informed_on = models.DateField(null=True, blank=True)
    # Told of the Victims' Right to Review, for an outcome that is a decision not to charge.
    victim_told_right_to_review = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=DecisionState.choices, default=DecisionState.PROPOSED)
    # A supervisor's override of the consistency rules (cases.outcome_rules.outcome_conflicts), with why.
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    supervisor_note = models.TextField(blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state"], name="outcome_decision_state")]
