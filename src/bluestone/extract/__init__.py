"""The extract format: the Parquet tables that `bluestone synth` writes and `bluestone load` reads.

Framework-free (no Django), so the synthetic force, a force's own export job and the loader all
share one definition. Each table is one Parquet file named `<table>.parquet` in a folder. Column
order does not matter; extra columns are ignored; a column marked required must be present and
have no nulls.

The first seven tables (`TABLES`) make an extract. The rest (`OPTIONAL_TABLES`) carry more of each
case's life, such as the victims' profiles, their Victims' Code duties and the contact log: an
extract may hold any of them or none, but a table that refers to another needs that one too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    required: bool = True
    # "table.column" this column's values must be found in (checked for the optional tables).
    refers_to: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]
    optional: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.parquet"

    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=not c.required) for c in self.columns])


TIMESTAMP = pa.timestamp("us", tz="UTC")

TEAMS = Table(
    "teams",
    key="team_id",
    columns=(Column("team_id", pa.string()), Column("name", pa.string())),
)

OFFICERS = Table(
    "officers",
    key="officer_id",
    columns=(
        Column("officer_id", pa.string()),  # the collar number
        Column("first_name", pa.string()),
        Column("last_name", pa.string()),
        Column("rank", pa.string()),  # DC, PC, DS, DI, DCI, STAFF
        Column("team_id", pa.string()),
    ),
)

CASES = Table(
    "cases",
    key="case_id",
    columns=(
        Column("case_id", pa.string()),  # the crime reference
        Column("reported_at", TIMESTAMP),
        Column("recorded_at", TIMESTAMP),
        Column("offence_from", pa.date32()),
        Column("offence_to", pa.date32(), required=False),
        Column("non_recent", pa.bool_()),
        Column("how_reported", pa.string()),  # a cases.HowReported value
        Column("location_description", pa.string(), required=False),
        Column("location_postcode", pa.string(), required=False),
        Column("offence_code", pa.string()),  # a Home Office offence class code
        Column("team_id", pa.string()),
        Column("officer_id", pa.string(), required=False),
        Column("status", pa.string()),  # a cases.CaseStatus value
    ),
)

PERSONS = Table(
    "persons",
    key="person_record_id",
    columns=(
        Column("person_record_id", pa.string()),
        Column("first_name", pa.string(), required=False),
        Column("middle_names", pa.string(), required=False),
        Column("last_name", pa.string(), required=False),
        Column("aliases", pa.string(), required=False),  # "; "-separated
        Column("date_of_birth", pa.date32(), required=False),
        Column("gender", pa.string(), required=False),  # female, male, other, unknown
        Column("ethnicity", pa.string(), required=False),
        Column("address", pa.string(), required=False),
        Column("postcode", pa.string(), required=False),
        Column("phone", pa.string(), required=False),
        Column("email", pa.string(), required=False),
        Column("pnc_id", pa.string(), required=False),
    ),
)

INVOLVEMENTS = Table(
    "involvements",
    key="involvement_id",
    columns=(
        Column("involvement_id", pa.string()),
        Column("case_id", pa.string()),
        Column("person_record_id", pa.string()),
        Column("role", pa.string()),  # victim, suspect, witness, reporter
        Column("relationship_to_victim", pa.string(), required=False),  # on suspects
    ),
)

OUTCOMES = Table(
    "outcomes",
    key="case_id",
    columns=(
        Column("case_id", pa.string()),
        Column("outcome_code", pa.int16()),
        Column("decided_on", pa.date32()),
        Column("rationale", pa.string(), required=False),
        Column("victim_informed", pa.bool_()),
    ),
)

EVENTS = Table(
    "events",
    key="event_id",
    columns=(
        Column("event_id", pa.string()),
        Column("case_id", pa.string()),
        Column("occurred_at", TIMESTAMP),
        Column("kind", pa.string()),  # a cases.EventKind value
        Column("summary", pa.string(), required=False),
    ),
)

# Load order: each table refers only to tables before it.
TABLES: tuple[Table, ...] = (TEAMS, OFFICERS, CASES, PERSONS, INVOLVEMENTS, OUTCOMES, EVENTS)

# --- Optional tables: more of the life of a case ------------------------------------------------

VICTIMS = Table(
    "victims",
    key="involvement_id",
    optional=True,
    columns=(
        # The victim's involvement on the case (role victim): one profile per victim per case.
        Column("involvement_id", pa.string(), refers_to="involvements.involvement_id"),
        Column("channel", pa.string()),  # a victims.Channel value: how they want to be contacted
        Column("enhanced_rights", pa.bool_()),
        Column("is_child", pa.bool_()),
        Column("needs_assessed_on", pa.date32(), required=False),
        Column("isva_status", pa.string()),  # not_offered, offered, accepted, declined
        Column("isva_provider", pa.string(), required=False),
        Column("isva_date", pa.date32(), required=False),
        Column("plan_cadence_days", pa.int16(), required=False),  # the agreed contact plan: every N days
        Column("plan_agreed_on", pa.date32(), required=False),
        Column("supports_investigation", pa.bool_()),
    ),
)

CODE_DUTIES = Table(
    "code_duties",
    key="duty_id",
    optional=True,
    columns=(
        Column("duty_id", pa.string()),
        Column("involvement_id", pa.string(), refers_to="victims.involvement_id"),
        Column("right", pa.string()),  # a victims.Right code (reference data), such as update_arrest
        Column("trigger_kind", pa.string()),  # case_created or the event kind that opened the duty
        Column("triggered_at", TIMESTAMP),
        Column("due_on", pa.date32()),
        Column("enhanced", pa.bool_()),
        Column("status", pa.string()),  # open, met, not_applicable
        Column("met_at", TIMESTAMP, required=False),  # required when the status is met
        Column("met_by_contact_id", pa.string(), required=False, refers_to="victim_contacts.contact_id"),
    ),
)

VICTIM_CONTACTS = Table(
    "victim_contacts",
    key="contact_id",
    optional=True,
    columns=(
        Column("contact_id", pa.string()),
        Column("involvement_id", pa.string(), refers_to="victims.involvement_id"),
        Column("occurred_at", TIMESTAMP),
        Column("channel", pa.string()),  # a victims.Channel value
        Column("summary", pa.string()),
    ),
)

FEEDBACK = Table(
    "feedback",
    key="feedback_id",
    optional=True,
    columns=(
        Column("feedback_id", pa.string()),
        Column("involvement_id", pa.string(), refers_to="victims.involvement_id"),
        Column("submitted_at", TIMESTAMP),
        # The procedural-justice survey: 1 (strongly disagree) to 5 (strongly agree) for each.
        Column("voice", pa.int16()),
        Column("respect", pa.int16()),
        Column("neutrality", pa.int16()),
        Column("trustworthiness", pa.int16()),
        Column("overall", pa.int16()),
        Column("comments", pa.string(), required=False),
    ),
)

PLANS = Table(
    "plans",
    key="case_id",
    optional=True,
    columns=(
        Column("case_id", pa.string(), refers_to="cases.case_id"),  # one investigation plan per case
        Column("created_at", TIMESTAMP),
    ),
)

PLAN_LINES = Table(
    "plan_lines",
    key="line_id",
    optional=True,
    columns=(
        Column("line_id", pa.string()),
        Column("case_id", pa.string(), refers_to="plans.case_id"),
        Column("code", pa.string(), required=False),  # the default plan's line code, if it is one of them
        Column("group", pa.string()),  # suspect, context, victim_account
        Column("focus", pa.string()),  # suspect, victim, neutral
        Column("order", pa.int16()),
        Column("title", pa.string()),
        Column("due_on", pa.date32(), required=False),
        Column("status", pa.string()),  # not_started, in_progress, done, not_needed
        Column("started_at", TIMESTAMP, required=False),
        Column("completed_at", TIMESTAMP, required=False),
        # A victim-focused action (an intrusive one): its kind, and the supervisor's approval.
        Column("intrusive_kind", pa.string(), required=False),  # an investigation.IntrusiveKind value
        Column("rationale", pa.string(), required=False),
        Column("victim_agreed", pa.bool_()),
        Column("approval_state", pa.string()),  # not_needed, not_requested, requested, approved, refused
        Column("approval_requested_at", TIMESTAMP, required=False),
        Column("decided_at", TIMESTAMP, required=False),
    ),
)

BAIL = Table(
    "bail",
    key="bail_id",
    optional=True,
    columns=(
        Column("bail_id", pa.string()),
        Column("case_id", pa.string(), refers_to="cases.case_id"),
        Column("suspect_involvement_id", pa.string(), refers_to="involvements.involvement_id"),
        Column("starts_on", pa.date32()),
        Column("expires_on", pa.date32()),  # the expiry now, after any extensions
        Column("conditions", pa.string(), required=False),
        Column("status", pa.string()),  # active, ended
        Column("ended_on", pa.date32(), required=False),
        Column("end_reason", pa.string(), required=False),
    ),
)

DIGITAL_REQUESTS = Table(
    "digital_requests",
    key="request_id",
    optional=True,
    columns=(
        Column("request_id", pa.string()),
        Column("case_id", pa.string(), refers_to="cases.case_id"),
        # victim_device, victim_third_party, suspect_device, suspect_enquiry
        Column("kind", pa.string()),
        Column("person_record_id", pa.string(), required=False, refers_to="persons.person_record_id"),
        # awaiting, authorised, not_authorised, victim_refused, completed, withdrawn
        Column("status", pa.string()),
        Column("line_id", pa.string(), required=False, refers_to="plan_lines.line_id"),  # the line it serves
        Column("line_of_enquiry", pa.string()),
        Column("purpose", pa.string()),
        Column("necessity_rationale", pa.string()),
        Column("victim_agreed", pa.bool_(), required=False),
        Column("holder_kind", pa.string(), required=False),  # third-party material: who holds it
        Column("decided_at", TIMESTAMP, required=False),
        Column("completed_at", TIMESTAMP, required=False),
        Column("withdrawn_at", TIMESTAMP, required=False),
    ),
)

EXHIBITS = Table(
    "exhibits",
    key="exhibit_id",
    optional=True,
    columns=(
        Column("exhibit_id", pa.string()),
        Column("case_id", pa.string(), refers_to="cases.case_id"),
        Column("reference", pa.string()),  # unique within the case
        Column("description", pa.string()),
        Column("owner", pa.string()),  # victim, suspect, scene, third_party
        Column("person_record_id", pa.string(), required=False, refers_to="persons.person_record_id"),
        Column("item_kind", pa.string()),  # mobile_phone, other_device, clothing, forensic_sample, document, other
        Column("how_obtained", pa.string()),  # seized, received
        Column("obtained_at", TIMESTAMP),
        Column("location", pa.string()),
        Column("status", pa.string()),  # held, returned, destroyed
        # A victim's phone: when it is due back, and what stopped the clock.
        Column("return_due_at", TIMESTAMP, required=False),
        Column("replacement_provided_at", TIMESTAMP, required=False),
        Column("returned_at", TIMESTAMP, required=False),
    ),
)

# The prompts of a supervisory review (investigation.services.reviews.REVIEW_PROMPTS): one answer
# column each, named `answer_<code>`, holding yes, no or not_applicable (null: not recorded).
REVIEW_PROMPT_CODES: tuple[str, ...] = (
    "suspect_history",
    "suspect_behaviour",
    "early_arrest",
    "victim_actions",
    "victim_informed",
    "cps_advice",
    "officer_wellbeing",
)
REVIEW_ANSWERS: tuple[str, ...] = ("yes", "no", "not_applicable")

SUPERVISORY_REVIEWS = Table(
    "supervisory_reviews",
    key="review_id",
    optional=True,
    columns=(
        Column("review_id", pa.string()),
        Column("case_id", pa.string(), refers_to="cases.case_id"),
        Column("kind", pa.string()),  # initial (the first review of the plan), periodic (every 28 days after)
        Column("due_at", TIMESTAMP, required=False),  # when it fell due: the plan's time plus 24 hours, then 28 days
        Column("completed_at", TIMESTAMP),
        # The reviewing supervisor's collar number: an officer, who need not have an account.
        Column("reviewer_officer_id", pa.string(), refers_to="officers.officer_id"),
        *(Column(f"answer_{code}", pa.string(), required=False) for code in REVIEW_PROMPT_CODES),
        Column("directions", pa.string(), required=False),
    ),
)

# Load order, after TABLES: each refers only to tables before it (a duty met by a contact names it,
# so contacts come before duties).
OPTIONAL_TABLES: tuple[Table, ...] = (
    VICTIMS,
    VICTIM_CONTACTS,
    CODE_DUTIES,
    FEEDBACK,
    PLANS,
    PLAN_LINES,
    BAIL,
    DIGITAL_REQUESTS,
    EXHIBITS,
    SUPERVISORY_REVIEWS,
)

# The ground truth sits apart from the extract: a real force has none, and the loader never reads it.
GROUND_TRUTH = Table(
    "ground_truth",
    key="person_record_id",
    columns=(
        Column("person_record_id", pa.string()),
        Column("true_person_id", pa.string()),
        Column("role", pa.string()),
    ),
)

__all__ = [
    "BAIL",
    "CASES",
    "CODE_DUTIES",
    "DIGITAL_REQUESTS",
    "EVENTS",
    "EXHIBITS",
    "FEEDBACK",
    "GROUND_TRUTH",
    "INVOLVEMENTS",
    "OFFICERS",
    "OPTIONAL_TABLES",
    "OUTCOMES",
    "PERSONS",
    "PLANS",
    "PLAN_LINES",
    "REVIEW_ANSWERS",
    "REVIEW_PROMPT_CODES",
    "SUPERVISORY_REVIEWS",
    "TABLES",
    "TEAMS",
    "VICTIMS",
    "VICTIM_CONTACTS",
    "Column",
    "Table",
]
