"""Reports made online through the public portal, and what triage does with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from bluestone.core.models import PublicModel


class ReporterKind(models.TextChoices):
    MYSELF = "myself", "For themselves"
    SOMEONE_ELSE = "someone_else", "For someone else"
    ANONYMOUS = "anonymous", "Anonymously (intelligence only)"


class WhenHappened(models.TextChoices):
    LAST_WEEK = "last_week", "In the last 7 days"
    LAST_YEAR = "last_year", "Between 7 days and a year ago"
    OVER_A_YEAR = "over_a_year", "More than a year ago"
    NOT_SURE = "not_sure", "Not sure"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class SafeTime(models.TextChoices):
    MORNING = "morning", "Weekday mornings (9am to 12pm)"
    AFTERNOON = "afternoon", "Weekday afternoons (12pm to 5pm)"
    EVENING = "evening", "Weekday evenings (5pm to 9pm)"
    WEEKEND = "weekend", "Weekends"


class ReportStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for triage"
    CASE_CREATED = "case_created", "Case created"
    INTELLIGENCE = "intelligence", "Recorded as intelligence"


class OnlineReport(PublicModel):
    """One report sent from the portal: a triage item with a callback clock.

    An anonymous report holds no contact details at all (a database constraint as well as the
    service's check): it can be recorded as intelligence, never turned into a case.
    """

    # Quoted to the reporter on the confirmation page so they can refer to it on the phone.
    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=16, choices=ReporterKind.choices)
    submitted_at = models.DateTimeField()
    # When the reporter must have been called back by (null for an anonymous report: nobody to call).
    callback_due_at = models.DateTimeField(null=True, blank=True)
    # When triage first spoke to the reporter: the callback clock stops.
    callback_made_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.WAITING)

    what_happened = models.TextField()
    when_happened = models.CharField(max_length=16, choices=WhenHappened.choices)
    where_happened = models.CharField(max_length=200, blank=True)

    # The reporter (for themselves or for someone else). Empty for an anonymous report.
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # For someone else: who the report is about, and whether they know.
    victim_first_name = models.CharField(max_length=100, blank=True)
    victim_last_name = models.CharField(max_length=100, blank=True)
    relationship_to_victim = models.CharField(max_length=100, blank=True)
    victim_knows = models.CharField(max_length=8, blank=True)

    # Safe contact. Empty for an anonymous report.
    contact_channel = models.CharField(max_length=8, choices=ContactChannel.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # SafeTime values, comma-separated (a plain column keeps the anonymity constraint portable).
    safe_times = models.CharField(max_length=100, blank=True)
    safe_times_note = models.CharField(max_length=200, blank=True)
    # None: not asked (anonymous). True or False: the reporter's answer.
    message_allowed = models.BooleanField(null=True, blank=True)

    case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="online_report"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intelligence_note = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at"]
        indexes = [models.Index(fields=["status", "callback_due_at"])]
        constraints = [
            models.CheckConstraint(
                name="portal_anonymous_report_holds_no_contact",
                condition=~Q(kind="anonymous")
                | (
                    Q(first_name="")
                    & Q(last_name="")
                    & Q(contact_channel="")
                    & Q(phone="")
                    & Q(email="")
                    & Q(safe_times="")
                    & Q(safe_times_note="")
                    & Q(message_allowed__isnull=True)
                    & Q(callback_due_at__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="portal_anonymous_report_never_a_case",
                condition=~Q(kind="anonymous") | Q(case__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Online report {self.reference}"

    @property
    def is_anonymous(self) -> bool:
        return self.kind == ReporterKind.ANONYMOUS

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.WAITING

    @property
    def is_urgent(self) -> bool:
        """A named reporter's offence of the last 7 days: forensic evidence may still be recovered, so
        the callback clock is the urgent one (portal/report/services.py)."""
        return not self.is_anonymous and self.when_happened == WhenHappened.LAST_WEEK


class CallbackOutcome(models.TextChoices):
    SPOKE = "spoke", "Spoke to the reporter"
    NO_ANSWER = "no_answer", "No answer, no message left"
    MESSAGE_LEFT = "message_left", "No answer, message left"
    NOT_SAFE = "not_safe", "Not safe to talk: call back later"
    WRONG_DETAILS = "wrong_details", "Wrong number or address"


class CallbackAttempt(models.Model):
    """One try at reaching the reporter. Speaking to them stops the report's callback clock."""

    report = models.ForeignKey(OnlineReport, on_delete=models.CASCADE, related_name="callbacks")
    attempted_at = models.DateTimeField()
    attempted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=CallbackOutcome.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"Callback {self.get_outcome_display()} at {self.attempted_at:%Y-%m-%d %H:%M}"


class ReportDraft(models.Model):
    """The answers of a report being written, kept on the server rather than in the browser.

    The browser holds only a random token in a cookie (`token_hash` is its SHA-256, so a copy of the
    table gives nobody a way into someone's draft). Sending the report empties `answers` and keeps
    the link to the report, for the confirmation page; drafts older than DRAFT_HOURS are deleted.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    report = models.ForeignKey(OnlineReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Report draft from {self.created_at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One counted action (a report sent, say) from one client, for the portal's rate limits.

    `client_hash` is a keyed hash of the client's address: the address itself is not stored, and the
    row is not linked to what was sent, so it cannot identify an anonymous reporter. Rows older than
    the longest window are deleted as new ones are written.
    """

    bucket = models.CharField(max_length=40)
    client_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["bucket", "client_hash", "at"])]

    def __str__(self) -> str:
        return f"{self.bucket} at {self.at:%Y-%m-%d %H:%M}"


class SupportService(models.Model):
    """A support organisation the portal's support page lists, kept by the force's administrators."""

    name = models.CharField(max_length=200)
    offer = models.TextField(help_text="What they offer, in plain English")
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(max_length=300, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    area = models.CharField(max_length=200, help_text="Where they help, such as the whole force area or one town")
    # Listed on the portal only when shown; a service that closes is hidden, keeping its history.
    shown = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
