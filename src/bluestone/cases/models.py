"""The POLE core: a case (the report), person records in their roles, the outcome and the timeline.

A person record belongs to one report in one role; the same real person appears as many person
records across reports, which identity resolution (linkage) later joins up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from bluestone.accounts.models import Officer, Team
from bluestone.core.models import OffenceClass, OutcomeType, PublicModel, TimeStampedModel


class CaseStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    WITH_CPS = "with_cps", "With CPS"
    CHARGED = "charged", "Charged"
    CLOSED = "closed", "Closed"


class HowReported(models.TextChoices):
    EMERGENCY_CALL = "emergency_call", "999 call"
    NON_EMERGENCY_CALL = "non_emergency_call", "101 call"
    IN_PERSON = "in_person", "In person at a station"
    ONLINE = "online", "Online report"
    THIRD_PARTY = "third_party", "Third party (for example a relative or school)"
    SARC = "sarc", "Referral from a sexual assault referral centre"
    PARTNER_AGENCY = "partner_agency", "Partner agency (health, social care)"


class RestrictionReason(models.TextChoices):
    """Why a case is open only to the people named on it."""

    POLICE_EMPLOYEE_SUSPECT = "police_employee_suspect", "The suspect is a police officer or member of police staff"
    POLICE_STAFF_VICTIM = "police_staff_victim", "The victim is a police officer or member of police staff"
    PUBLIC_FIGURE = "public_figure", "Someone involved is a public figure"
    OTHER = "other", "Another reason"


class Case(PublicModel):
    """A report of a sexual offence, recorded as a crime."""

    crime_reference = models.CharField(max_length=32, unique=True)
    reported_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    offence_from = models.DateField()
    offence_to = models.DateField(null=True, blank=True)
    # Reported a year or more after the offence (a "non-recent" report).
    non_recent = models.BooleanField(default=False)
    how_reported = models.CharField(max_length=32, choices=HowReported.choices)
    location_description = models.CharField(max_length=200, blank=True)
    location_postcode = models.CharField(max_length=10, blank=True)
    offence_class = models.ForeignKey(OffenceClass, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    summary = models.TextField(blank=True)
    # A restricted case is open only to the people named on it (CaseAccess, kind "named"): not to its
    # team, not to its supervisors, and never through break-glass. Database defaults, because the
    # extract loader inserts cases with its own SQL and leaves these columns out.
    restricted = models.BooleanField(default=False, db_default=False)
    restriction_reason = models.CharField(
        max_length=32, choices=RestrictionReason.choices, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["team", "-reported_at"], name="case_team_reported"),
            models.Index(fields=["officer", "-reported_at"], name="case_officer_reported"),
            models.Index(fields=["status", "-reported_at"], name="case_status_reported"),
            # Team and My cases filtered by status, the commonest filter.
            models.Index(fields=["team", "status", "-reported_at"], name="case_team_status_reported"),
            models.Index(fields=["officer", "status", "-reported_at"], name="case_officer_status_reported"),
            models.Index(fields=["offence_class", "-reported_at"], name="case_offence_reported"),
            models.Index(fields=["-reported_at"], name="case_reported"),
            # Search by crime reference (case-insensitive: crime_reference__iexact is UPPER(...) = UPPER(...)).
            models.Index(Upper("crime_reference"), name="case_reference_upper"),
        ]

    def __str__(self) -> str:
        return self.crime_reference


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class PersonRecord(PublicModel):
    """A person as recorded on one report. Names and details are as given, errors and all."""

    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    first_name = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_names, self.last_name) if part)

    @property
    def is_named(self) -> bool:
        return bool(self.first_name or self.last_name)

    def __str__(self) -> str:
        return self.full_name or "Unnamed person"


class PersonAddress(TimeStampedModel):
    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="addresses")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "person addresses"


class PersonPhone(TimeStampedModel):
    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=32)


class PersonEmail(TimeStampedModel):
    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(max_length=254)


class IdentifierKind(models.TextChoices):
    PNC_ID = "pnc_id", "PNC ID"
    NI_NUMBER = "ni_number", "National Insurance number"
    PASSPORT = "passport", "Passport number"
    DRIVING_LICENCE = "driving_licence", "Driving licence number"


class PersonIdentifier(TimeStampedModel):
    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    person = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=32, choices=IdentifierKind.choices)
    value = models.CharField(max_length=64)


class Role(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    WITNESS = "witness", "Witness"
    REPORTER = "reporter", "Reporter"


class Relationship(models.TextChoices):
    """The suspect's relationship to the victim, as the victim describes it."""

    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    FAMILY = "family", "Family member"
    ACQUAINTANCE = "acquaintance", "Acquaintance or friend"
    ONLINE_CONTACT = "online_contact", "Met online"
    POSITION_OF_TRUST = "position_of_trust", "Person in a position of trust"
    STRANGER = "stranger", "Stranger"
    NOT_KNOWN = "not_known", "Not known"


class Involvement(TimeStampedModel):
    """A person record in a role on a case."""

    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=16, choices=Role.choices)
    # Set on a suspect's involvement: how they relate to the victim.
    relationship_to_victim = models.CharField(max_length=32, choices=Relationship.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="involvement_unique_role"),
        ]
        indexes = [models.Index(fields=["case", "role"], name="involvement_case_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.case_id}"


class SearchEntry(models.Model):
    """The standardised search tokens of one person on one case (names with their nickname and
    one-typo variants, date of birth, postcodes, phone numbers, identifiers), kept by
    `cases.search_index`. A full-text index sits over `tokens`: FTS5 on SQLite, a tsvector GIN index
    on PostgreSQL (migration 0006)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    involvement = models.OneToOneField(Involvement, on_delete=models.CASCADE, related_name="+")
    tokens = models.TextField()

    def __str__(self) -> str:
        return f"Search entry for {self.involvement_id}"


class Outcome(TimeStampedModel):
    """The Home Office outcome a case closed with. The rules are in `cases.outcome_rules`."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="outcome")
    outcome_type = models.ForeignKey(OutcomeType, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    rationale = models.TextField(blank=True)
    victim_informed = models.BooleanField(default=False)
    victim_informed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Outcome {self.outcome_type_id} on {self.case_id}"


class EventKind(models.TextChoices):
    REPORTED = "reported", "Reported"
    RECORDED = "recorded", "Recorded as a crime"
    ALLOCATED = "allocated", "Allocated to an officer"
    VICTIM_CONTACTED = "victim_contacted", "Victim contacted"
    SUSPECT_IDENTIFIED = "suspect_identified", "Suspect identified"
    SUSPECT_ARRESTED = "suspect_arrested", "Suspect arrested"
    SUSPECT_INTERVIEWED = "suspect_interviewed", "Suspect interviewed under caution"
    SUSPECT_VOLUNTARY_INTERVIEW = "suspect_voluntary_interview", "Suspect interviewed voluntarily"
    SUSPECT_BAILED = "suspect_bailed", "Suspect released on bail"
    BAIL_CONDITIONS_CHANGED = "bail_conditions_changed", "Bail conditions changed"
    BAIL_EXTENDED = "bail_extended", "Pre-charge bail extended"
    BAIL_ENDED = "bail_ended", "Pre-charge bail ended"
    SUSPECT_RUI = "suspect_rui", "Suspect released under investigation"
    NO_FURTHER_ACTION = "no_further_action", "No further action against the suspect"
    NOT_INVESTIGATED = "not_investigated", "Decision not to investigate"
    CPS_ADVICE_REQUESTED = "cps_advice_requested", "Early advice asked of CPS"
    FILE_TO_CPS = "file_to_cps", "File sent to CPS"
    CPS_DECISION = "cps_decision", "CPS charging decision"
    CHARGED = "charged", "Suspect charged"
    PLAN_CREATED = "plan_created", "Investigation plan created"
    SUPERVISORY_REVIEW = "supervisory_review", "Supervisory review"
    VICTIM_UPDATED = "victim_updated", "Victim given an update"
    VICTIM_MESSAGE = "victim_message", "Message from the victim"
    PROPERTY_RETURNED = "property_returned", "Property returned to the victim"
    EVIDENCE_RECORDED = "evidence_recorded", "Evidence recorded"
    VICTIM_WITHDREW = "victim_withdrew", "Victim withdrew support"
    VICTIM_REENGAGED = "victim_reengaged", "Victim re-engaged"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    CLOSED = "closed", "Case closed"
    REOPENED = "reopened", "Case reopened"


class CaseEvent(TimeStampedModel):
    """One entry on a case's timeline."""

    # The key of the extract row this came from; re-loading the extract updates it in place.
    source_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    summary = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="event_case_occurred")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d}"


class CaseAccessKind(models.TextChoices):
    NAMED = "named", "Named on a restricted case"
    BREAK_GLASS = "break_glass", "Break-glass access"
    CASE_NEED = "case_need", "Case need (analyst sees identities)"


class CaseAccess(PublicModel):
    """Access to one case that a user's role and team do not give them. Rows are never edited away:
    a named person taken off a case gets `revoked_at`, a grant that runs out keeps its `expires_at`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_accesses")
    kind = models.CharField(max_length=16, choices=CaseAccessKind.choices)
    justification = models.TextField(blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    # None: until revoked. Break-glass and case-need grants always run out.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name_plural = "case accesses"
        indexes = [
            models.Index(fields=["case", "user", "kind"], name="case_access_case_user_kind"),
            models.Index(fields=["user", "kind"], name="case_access_user_kind"),
            models.Index(fields=["kind", "-granted_at"], name="case_access_kind_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.case_id} for {self.user_id}"


class RestrictionChangeKind(models.TextChoices):
    RESTRICTED = "restricted", "Restricted"
    NAMED = "named", "Named on the case"
    REMOVED = "removed", "Taken off the case"
    LIFTED = "lifted", "Restriction lifted"


class RestrictionChange(PublicModel):
    """One step in a case's restriction history: restricted, a person named or taken off, lifted.
    Written with the change itself and never edited, so the case shows who did what, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restriction_changes")
    kind = models.CharField(max_length=16, choices=RestrictionChangeKind.choices)
    # The person named or taken off (None for restricting and lifting).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For restricting: the RestrictionReason; for taking off and lifting: the reason written.
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "created_at"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="restriction_change_case")]

    @property
    def reason_text(self) -> str:
        """The reason in words: a restriction's reason is one of RestrictionReason's choices."""
        if self.kind == RestrictionChangeKind.RESTRICTED:
            return str(dict(RestrictionReason.choices).get(self.reason, self.reason))
        return self.reason


class CaseFacts(models.Model):
    """One narrow row per case with what the performance measures read of it, so that a measure over
    a year of cases reads one table instead of joining cases, outcomes, events and people.

    Derived data: `bluestone.cases.facts` writes it from the case's own records, in the transaction
    of every service that changes them (case entry, timeline events, outcomes, the extract load), and
    `bluestone measures --rebuild` writes it afresh. Dates are days in Europe/London. `relationships`
    and `victim_age_bands` are sets written `|a|b|` (every suspect's relationship to the victim; every
    victim's age band on the offence's first day), so `__contains="|a|"` asks "any of them".
    """

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE, related_name="facts")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    offence_group = models.CharField(max_length=32)
    recorded_on = models.DateField()
    has_suspect = models.BooleanField()
    relationships = models.CharField(max_length=200, blank=True)
    victim_age_bands = models.CharField(max_length=200, blank=True)
    outcome_code = models.PositiveSmallIntegerField(null=True)
    decided_on = models.DateField(null=True)
    # The day of the first event of each kind the funnel and withdrawal measures count.
    arrested_or_interviewed_on = models.DateField(null=True)
    file_to_cps_on = models.DateField(null=True)
    victim_withdrew_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["recorded_on"], name="case_facts_recorded"),
            models.Index(fields=["decided_on"], name="case_facts_decided"),
            models.Index(fields=["team", "recorded_on"], name="case_facts_team_recorded"),
        ]

    def __str__(self) -> str:
        return f"Facts of {self.case_id}"
