"""The extract format: the Parquet tables that `bluestone synth` writes and `bluestone load` reads.

Framework-free (no Django), so the synthetic force, a force's own export job and the loader all
share one definition. Each table is one Parquet file named `<table>.parquet` in a folder. Column
order does not matter; extra columns are ignored; a column marked required must be present and
have no nulls.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    required: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]

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
    "CASES",
    "EVENTS",
    "GROUND_TRUTH",
    "INVOLVEMENTS",
    "OFFICERS",
    "OUTCOMES",
    "PERSONS",
    "TABLES",
    "TEAMS",
    "Column",
    "Table",
]
