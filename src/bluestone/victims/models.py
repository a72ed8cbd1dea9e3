"""Victims: profiles and safe contact, the Victims' Code obligations, the contact plan and log, support
for the investigation over time, updates and messages, feedback, portal access and the outbox.

A profile hangs off a victim's involvement on a case (`cases.Involvement`, role victim): the same
person on two reports has two profiles, as they have two person records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from bluestone.cases.models import Case, CaseEvent, Involvement
from bluestone.core import clock
from bluestone.core.models import PublicModel, TimeStampedModel


class Channel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    PORTAL = "portal", "Online (follow my case)"


class IsvaStatus(models.TextChoices):
    NOT_OFFERED = "not_offered", "Not offered yet"
    OFFERED = "offered", "Offered, waiting for an answer"
    ACCEPTED = "accepted", "Accepted: referred"
    DECLINED = "declined", "Declined"


class GuardianRole(models.TextChoices):
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    APPROPRIATE_ADULT = "appropriate_adult", "Appropriate adult"


class NotifyBy(models.TextChoices):
    """How the victim wants to hear that there is something new in the portal."""

    NONE = "none", "Do not tell me: I will check"
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class VictimProfile(PublicModel):
    """What the team needs to keep one victim informed safely, as they asked."""

    involvement = models.OneToOneField(Involvement, on_delete=models.CASCADE, related_name="victim_profile")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_profiles")
    preferred_name = models.CharField(max_length=100, blank=True)
    # Communication preferences: the channel and details that are safe for this victim.
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PHONE)
    safe_phone = models.CharField(max_length=32, blank=True)
    safe_email = models.EmailField(blank=True)
    safe_address = models.TextField(blank=True)
    safe_times = models.CharField(max_length=200, blank=True)
    may_leave_message = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=100, blank=True)
    accessibility_needs = models.TextField(blank=True)
    notify_by = models.CharField(max_length=8, choices=NotifyBy.choices, default=NotifyBy.NONE)
    # Needs assessment (Victims' Code right 4).
    needs_assessment = models.TextField(blank=True)
    needs_assessed_on = models.DateField(null=True, blank=True)
    special_measures = models.TextField(blank=True)
    # Enhanced rights shorten the Code's deadlines (1 working day instead of 5 for right 6).
    enhanced_rights = models.BooleanField(default=True)
    # ISVA referral.
    isva_status = models.CharField(max_length=16, choices=IsvaStatus.choices, default=IsvaStatus.NOT_OFFERED)
    isva_provider = models.CharField(max_length=200, blank=True)
    isva_date = models.DateField(null=True, blank=True)
    # A child victim: the adult who is contacted with or for them.
    is_child = models.BooleanField(default=False)
    guardian_role = models.CharField(max_length=24, choices=GuardianRole.choices, blank=True)
    guardian_name = models.CharField(max_length=200, blank=True)
    guardian_contact = models.CharField(max_length=200, blank=True)
    # The contact plan the victim agreed: how often they hear from the officer.
    plan_cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    plan_agreed_on = models.DateField(null=True, blank=True)
    plan_notes = models.TextField(blank=True)
    # The current answer; every change is kept in SupportStatusChange.
    supports_investigation = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Victim profile on {self.case_id}"

    @property
    def has_plan(self) -> bool:
        return self.plan_agreed_on is not None and self.plan_cadence_days is not None


class Right(models.Model):
    """A Victims' Code duty Bluestone tracks, with what opens it and how long the team has.

    Reference data (victims/reference/rights.csv, loaded by a migration): a force may change the
    deadlines without a code change.
    """

    code = models.CharField(max_length=32, primary_key=True)
    code_right = models.PositiveSmallIntegerField(help_text="The right's number in the Victims' Code")
    name = models.CharField(max_length=200)
    # What opens it: "case_created", or cases.models.EventKind values separated by spaces.
    triggers = models.CharField(max_length=500)
    standard_days = models.PositiveSmallIntegerField()
    enhanced_days = models.PositiveSmallIntegerField()
    # The automatic update the victim sees in the portal when the event happens ("" for none).
    portal_update = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_list(self) -> list[str]:
        return self.triggers.split()


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Due"
    MET = "met", "Met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Obligation(PublicModel):
    """One Victims' Code duty to one victim: opened by an event, due by a working day."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="obligations")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_obligations")
    right = models.ForeignKey(Right, on_delete=models.PROTECT, related_name="obligations")
    # "case_created" or the EventKind that opened it, and the timeline entry itself where there is one.
    trigger_kind = models.CharField(max_length=32)
    trigger_event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triggered_at = models.DateTimeField()
    due_on = models.DateField()
    enhanced = models.BooleanField()
    status = models.CharField(max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by_contact = models.ForeignKey(
        "VictimContact", null=True, blank=True, on_delete=models.SET_NULL, related_name="obligations_met"
    )
    not_applicable_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="obligation_status_due"),
            models.Index(fields=["case", "status"], name="obligation_case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.right_id} due {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ObligationStatus.OPEN and self.due_on < clock.today()

    @property
    def display_status(self) -> str:
        if self.is_overdue:
            return "Overdue"
        if self.status == ObligationStatus.MET and self.met_at is not None:
            return "Met" if self.met_on_time else "Met late"
        return self.get_status_display()

    @property
    def met_on_time(self) -> bool:
        return self.met_at is not None and timezone.localdate(self.met_at) <= self.due_on


class VictimContact(PublicModel):
    """One contact with the victim: when, how, who, what was said in short."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="contacts")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_contacts")
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=16, choices=Channel.choices)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.occurred_at:%Y-%m-%d}"


class WithdrawalReason(models.TextChoices):
    NOT_READY = "not_ready", "Not ready to go through the process now"
    FEAR = "fear", "Afraid of the suspect or of what may happen"
    PRESSURE = "pressure", "Pressure from the suspect, family or others"
    LOST_CONFIDENCE = "lost_confidence", "Lost confidence in the police or the process"
    TOO_LONG = "too_long", "The process is taking too long"
    MOVE_ON = "move_on", "Wants to move on with their life"
    HEALTH = "health", "Their health or wellbeing"
    OTHER = "other", "Another reason"


class ReengagementReason(models.TextChoices):
    READY_NOW = "ready_now", "Ready to carry on now"
    SUPPORT_IN_PLACE = "support_in_place", "Has support in place now"
    NEW_INFORMATION = "new_information", "New information or evidence"
    SAFE_NOW = "safe_now", "Feels safe to carry on"
    OTHER = "other", "Another reason"


class SupportStatusChange(TimeStampedModel):
    """Each time the victim withdrew support for the investigation or took it up again.

    Outcome 16 needs the withdrawal on record: the change also goes on the case timeline
    (VICTIM_WITHDREW or VICTIM_REENGAGED), which the outcome rules read.
    """

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="support_changes")
    supports = models.BooleanField()
    reason = models.CharField(max_length=24)
    notes = models.TextField(blank=True)
    occurred_on = models.DateField()
    case_event = models.ForeignKey(CaseEvent, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    @property
    def reason_label(self) -> str:
        choices = dict(ReengagementReason.choices if self.supports else WithdrawalReason.choices)
        return str(choices.get(self.reason, self.reason))


class VictimUpdate(PublicModel):
    """An update the victim reads in the portal: written by the officer, or automatic on a key event."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="updates")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_updates")
    text = models.TextField()
    automatic = models.BooleanField(default=False)
    posted_at = models.DateTimeField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-posted_at"]


class PortalMessage(PublicModel):
    """A message the victim sent the officer from the portal."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_messages")
    body = models.TextField()
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    case_event = models.ForeignKey(CaseEvent, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at"]


class MessageReply(PublicModel):
    """The officer's reply to a victim's message: shown under it on the Victim tab and in the victim's
    portal, where the victim reads it as a thread."""

    message = models.ForeignKey(PortalMessage, on_delete=models.CASCADE, related_name="replies")
    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="message_replies")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_message_replies")
    body = models.TextField()
    sent_at = models.DateTimeField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_at"]


class Feedback(PublicModel):
    """The procedural-justice survey: 1 (strongly disagree) to 5 (strongly agree) for each."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="feedback")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_feedback")
    submitted_at = models.DateTimeField()
    voice = models.PositiveSmallIntegerField()
    respect = models.PositiveSmallIntegerField()
    neutrality = models.PositiveSmallIntegerField()
    trustworthiness = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]


class PortalAccess(PublicModel):
    """A victim's way into "Follow my case": the one-time code (hashed) and the second check they set
    (hashed). Failed sign-ins are counted in PortalThrottle, by what was typed, not here: a count
    kept only for real references would answer differently for made-up ones."""

    profile = models.ForeignKey(VictimProfile, on_delete=models.CASCADE, related_name="portal_accesses")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # The one-time code the officer gave: a password hash, never the code. Empty once used.
    code_hash = models.CharField(max_length=256, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_used_at = models.DateTimeField(null=True, blank=True)
    # A code the victim asked for on the portal, sent to their safe email or number. It does not
    # cancel the officer's code: whichever is used first is spent, and using this one spends both.
    requested_code_hash = models.CharField(max_length=256, blank=True)
    requested_code_expires_at = models.DateTimeField(null=True, blank=True)
    # When a code was last sent on request: at most one per BLUESTONE_PORTAL_NEW_CODE_MINUTES.
    code_requested_at = models.DateTimeField(null=True, blank=True)
    # The victim's own second check ("a word only you know"), set at first sign-in.
    check_hash = models.CharField(max_length=256, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class PortalSession(models.Model):
    """A signed-in portal visitor. The cookie carries a random token; only its hash is kept here."""

    token_hash = models.CharField(max_length=64, unique=True)
    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="sessions")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Signed in with the code but not yet set a second check: only that page is open.
    needs_check = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Portal session {self.pk}"


class PortalThrottle(models.Model):
    """Failed sign-ins counted under a keyed hash of the client's address, of a reference typed with
    that address, or of a reference alone, whether or not the reference exists, so that the limits
    answer the same for real and made-up references (victims.portal_throttle)."""

    key = models.CharField(max_length=64, unique=True)
    # The keyed hash of the reference the row counts tries at (empty for an address's own count), so
    # that staff can see and lift every lock on one reference.
    reference_key = models.CharField(max_length=64, blank=True, db_index=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    # A reference's slow-down: no try at it is checked before this time.
    slowed_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Throttle {self.key[:8]}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxPurpose(models.TextChoices):
    UPDATE = "update", "You have an update"
    ACCESS_CODE = "access_code", "Access code"
    STAFF = "staff", "Staff email"


class OutboxMessage(models.Model):
    """A notification waiting to go, or gone. Bodies say only that there is something to see."""

    profile = models.ForeignKey(VictimProfile, null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=8, choices=[("email", "Email"), ("sms", "Text message")])
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    purpose = models.CharField(max_length=16, choices=OutboxPurpose.choices)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # The provider's id for the message once accepted (GOV.UK Notify), and the delivery status last
    # read from it ("delivered", "permanent-failure", ...); empty for senders that report none.
    provider_id = models.CharField(max_length=64, blank=True)
    delivery_status = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
            # Notify's delivery-status callback finds the message by Notify's id.
            models.Index(fields=["provider_id"], name="outbox_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} by {self.channel} ({self.status})"
