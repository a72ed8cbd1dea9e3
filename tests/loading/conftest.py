"""A small hand-made extract, valid by construction, that each test can spoil in one way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bluestone import extract

UTC = dt.UTC


def _rows() -> dict[str, list[dict[str, Any]]]:
    reported = dt.datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
    return {
        "teams": [{"team_id": "T1", "name": "RASSO North"}, {"team_id": "T2", "name": "RASSO South"}],
        "officers": [
            {"officer_id": "1001", "first_name": "Amira", "last_name": "Shah", "rank": "DC", "team_id": "T1"},
            {"officer_id": "2002", "first_name": "Owen", "last_name": "Price", "rank": "DS", "team_id": "T2"},
        ],
        "cases": [
            {
                "case_id": f"BS/25/00000{i}",
                "reported_at": reported + dt.timedelta(days=i),
                "recorded_at": reported + dt.timedelta(days=i, hours=3),
                "offence_from": dt.date(2025, 3, 1),
                "offence_to": dt.date(2025, 3, 1),
                "non_recent": False,
                "how_reported": "emergency_call",
                "location_description": "Dwelling",
                "location_postcode": "QX1 2AB",
                "offence_code": "19C",
                "team_id": "T1" if i < 3 else "T2",
                "officer_id": "1001" if i < 3 else None,
                "status": "closed" if i == 1 else "under_investigation",
            }
            for i in range(1, 4)
        ],
        "persons": [
            {
                "person_record_id": "P1",
                "first_name": "Jo",
                "last_name": "Bloggs",
                "gender": "female",
                "date_of_birth": dt.date(1990, 5, 6),
                "address": "1 Any Street",
                "postcode": "QX1 2AB",
                "phone": "07700 900123",
                "email": "jo@example.com",
                "aliases": "Joanne; JB",
            },
            {
                "person_record_id": "P2",
                "first_name": "Sam",
                "last_name": "Doe",
                "gender": "male",
                "pnc_id": "2019/0123456A",
                "phone": "+44 7700 900456",
            },
            {"person_record_id": "P3", "first_name": "Ann", "last_name": "Other", "gender": "female"},
            {"person_record_id": "P4", "first_name": None, "last_name": None, "gender": "unknown"},
        ],
        "involvements": [
            {"involvement_id": "I1", "case_id": "BS/25/000001", "person_record_id": "P1", "role": "victim"},
            {
                "involvement_id": "I2",
                "case_id": "BS/25/000001",
                "person_record_id": "P2",
                "role": "suspect",
                "relationship_to_victim": "ex_partner",
            },
            {"involvement_id": "I3", "case_id": "BS/25/000002", "person_record_id": "P3", "role": "victim"},
            {
                "involvement_id": "I4",
                "case_id": "BS/25/000002",
                "person_record_id": "P4",
                "role": "suspect",
                "relationship_to_victim": "stranger",
            },
        ],
        "outcomes": [
            {
                "case_id": "BS/25/000001",
                "outcome_code": 16,
                "decided_on": dt.date(2025, 6, 1),
                "rationale": "Victim withdrew support.",
                "victim_informed": True,
            },
        ],
        "events": [
            {"event_id": "E1", "case_id": "BS/25/000001", "occurred_at": reported, "kind": "reported"},
            {
                "event_id": "E2",
                "case_id": "BS/25/000001",
                "occurred_at": reported + dt.timedelta(days=30),
                "kind": "victim_withdrew",
                "summary": "Victim asked that the investigation stop.",
            },
            {
                "event_id": "E3",
                "case_id": "BS/25/000001",
                "occurred_at": reported + dt.timedelta(days=80),
                "kind": "outcome_recorded",
            },
        ],
        # The optional tables: the victims' profiles, contact log and Victims' Code duties.
        "victims": [
            {
                "involvement_id": "I1",
                "channel": "phone",
                "enhanced_rights": True,
                "is_child": False,
                "needs_assessed_on": dt.date(2025, 3, 6),
                "isva_status": "accepted",
                "isva_provider": "Rape Crisis North",
                "isva_date": dt.date(2025, 3, 6),
                "plan_cadence_days": 28,
                "plan_agreed_on": dt.date(2025, 3, 6),
                "supports_investigation": False,
            },
            {
                "involvement_id": "I3",
                "channel": "email",
                "enhanced_rights": True,
                "is_child": False,
                "isva_status": "not_offered",
                "supports_investigation": True,
            },
        ],
        "victim_contacts": [
            {
                "contact_id": "C1",
                "involvement_id": "I1",
                "occurred_at": reported + dt.timedelta(days=2),
                "channel": "phone",
                "summary": "Acknowledged the report and agreed a contact plan",
            },
            {
                "contact_id": "C2",
                "involvement_id": "I1",
                "occurred_at": reported + dt.timedelta(days=25),
                "channel": "phone",
                "summary": "Update on the investigation as agreed",
            },
        ],
        "code_duties": [
            {
                "duty_id": "D1",
                "involvement_id": "I1",
                "right": "acknowledgement",
                "trigger_kind": "case_created",
                "triggered_at": reported + dt.timedelta(days=1, hours=3),
                "due_on": dt.date(2025, 3, 12),
                "enhanced": True,
                "status": "met",
                "met_at": reported + dt.timedelta(days=2),
                "met_by_contact_id": "C1",
            },
            {
                "duty_id": "D2",
                "involvement_id": "I3",
                "right": "acknowledgement",
                "trigger_kind": "case_created",
                "triggered_at": reported + dt.timedelta(days=2, hours=3),
                "due_on": dt.date(2025, 3, 13),
                "enhanced": True,
                "status": "open",
            },
            {
                "duty_id": "D3",
                "involvement_id": "I3",
                "right": "contact_plan",
                "trigger_kind": "case_created",
                "triggered_at": reported + dt.timedelta(days=2, hours=3),
                "due_on": dt.date(2025, 3, 10),
                "enhanced": True,
                "status": "not_applicable",
            },
        ],
        "feedback": [
            {
                "feedback_id": "F1",
                "involvement_id": "I1",
                "submitted_at": reported + dt.timedelta(days=90),
                "voice": 4,
                "respect": 5,
                "neutrality": 3,
                "trustworthiness": 4,
                "overall": 4,
                "comments": "Kept informed throughout.",
            }
        ],
        # Investigation plans, their lines of enquiry and a victim-focused action.
        "plans": [{"case_id": "BS/25/000002", "created_at": reported + dt.timedelta(days=2, hours=8)}],
        "plan_lines": [
            {
                "line_id": "L1",
                "case_id": "BS/25/000002",
                "code": "suspect_history",
                "group": "suspect",
                "focus": "suspect",
                "order": 10,
                "title": "Check the suspect's history and intelligence",
                "due_on": dt.date(2025, 3, 7),
                "status": "done",
                "started_at": reported + dt.timedelta(days=3),
                "completed_at": reported + dt.timedelta(days=5),
                "victim_agreed": False,
                "approval_state": "not_needed",
            },
            {
                "line_id": "L2",
                "case_id": "BS/25/000002",
                "code": "victim_account",
                "group": "victim_account",
                "focus": "victim",
                "order": 210,
                "title": "Take the victim's account",
                "due_on": dt.date(2025, 3, 13),
                "status": "in_progress",
                "started_at": reported + dt.timedelta(days=4),
                "victim_agreed": False,
                "approval_state": "not_needed",
            },
            {
                "line_id": "L3",
                "case_id": "BS/25/000002",
                "group": "victim_account",
                "focus": "victim",
                "order": 300,
                "title": "Download the victim's phone",
                "status": "not_needed",
                "intrusive_kind": "phone_download",
                "rationale": "Necessary to pursue a reasonable line of enquiry.",
                "victim_agreed": True,
                "approval_state": "refused",
                "approval_requested_at": reported + dt.timedelta(days=6),
                "decided_at": reported + dt.timedelta(days=7),
            },
        ],
        "bail": [
            {
                "bail_id": "B1",
                "case_id": "BS/25/000001",
                "suspect_involvement_id": "I2",
                "starts_on": dt.date(2025, 3, 20),
                "expires_on": dt.date(2025, 6, 19),
                "conditions": "Not to contact the victim.",
                "status": "ended",
                "ended_on": dt.date(2025, 6, 1),
                "end_reason": "No further action: bail cancelled.",
            }
        ],
        "digital_requests": [
            {
                "request_id": "R1",
                "case_id": "BS/25/000002",
                "kind": "victim_device",
                "person_record_id": "P3",
                "status": "not_authorised",
                "line_id": "L3",
                "line_of_enquiry": "Download the victim's phone",
                "purpose": "To find messages the suspect sent.",
                "necessity_rationale": "Necessary to pursue a reasonable line of enquiry.",
                "victim_agreed": True,
                "decided_at": reported + dt.timedelta(days=7),
            }
        ],
        # A victim's phone on its return clock, back within the day.
        "exhibits": [
            {
                "exhibit_id": "X1",
                "case_id": "BS/25/000002",
                "reference": "VP/1",
                "description": "Victim's mobile phone",
                "owner": "victim",
                "person_record_id": "P3",
                "item_kind": "mobile_phone",
                "how_obtained": "received",
                "obtained_at": reported + dt.timedelta(days=8),
                "location": "Returned to the victim",
                "status": "returned",
                "return_due_at": reported + dt.timedelta(days=9),
                "returned_at": reported + dt.timedelta(days=8, hours=10),
            }
        ],
        # The supervisor's initial review of case 2's plan, by collar number.
        "supervisory_reviews": [
            {
                "review_id": "SR1",
                "case_id": "BS/25/000002",
                "kind": "initial",
                "due_at": reported + dt.timedelta(days=3, hours=8),
                "completed_at": reported + dt.timedelta(days=3, hours=2),
                "reviewer_officer_id": "2002",
                **{f"answer_{code}": "yes" for code in extract.REVIEW_PROMPT_CODES},
                "directions": "Arrange the suspect's arrest this week.",
            }
        ],
    }


def write_extract(directory: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for spec in (*extract.TABLES, *extract.OPTIONAL_TABLES):
        if spec.optional and spec.name not in rows:
            continue
        # Declared nullable throughout, as another system's export may be: the loader must check.
        schema = pa.schema([f.with_nullable(True) for f in spec.schema()])
        pq.write_table(pa.Table.from_pylist(rows[spec.name], schema=schema), directory / spec.filename)
    return directory


ExtractFactory = Callable[..., Path]


@pytest.fixture
def make_extract(tmp_path: Path) -> ExtractFactory:
    """Write the valid extract, after `change(rows)` has spoilt it in place if given."""

    def make(change: Callable[[dict[str, list[dict[str, Any]]]], None] | None = None, name: str = "extract") -> Path:
        rows = _rows()
        if change is not None:
            change(rows)
        return write_extract(tmp_path / name, rows)

    return make
