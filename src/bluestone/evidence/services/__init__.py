"""Writes for evidence: requests and their decisions, exhibits and their continuity, SARC samples.

Each service checks everything first and raises one ValidationError holding every problem (a message
per field, saying what to do), so nothing is half-written; then it writes in one transaction with
its s.62 entry and, where the case's story changes, a timeline entry (`cases.entry.case_event_record`,
which tells the other apps: the victims app listens for PROPERTY_RETURNED).

One module per part of the work, each name importable from here: `consultations` (the s.62 entries
for reading evidence pages), `digital_requests` (digital and third-party requests and their
decisions), `exhibits` (exhibits and their continuity) and `sarc` (SARC samples). `_common` holds
what several of them share.
"""

from __future__ import annotations

from bluestone.evidence.services.closure import (
    OPEN_REQUEST_STATUSES,
    digital_request_withdraw,
    evidence_closure_items,
    exhibit_retain,
)
from bluestone.evidence.services.consultations import evidence_view_record, requests_list_view_record, sarc_view_record
from bluestone.evidence.services.digital_requests import (
    REFUSAL_NOTE,
    RequestDetails,
    digital_request_complete,
    digital_request_create,
    digital_request_decide,
    digital_request_problems,
    digital_request_refusal_record,
    required_notice_elements,
)
from bluestone.evidence.services.exhibits import (
    ExhibitDetails,
    exhibit_create,
    exhibit_destroy,
    exhibit_move,
    exhibit_replacement_record,
    exhibit_return,
    is_victim_phone,
)
from bluestone.evidence.services.sarc import sarc_sample_create, sarc_sample_destroy, sarc_sample_link

__all__ = [
    "OPEN_REQUEST_STATUSES",
    "REFUSAL_NOTE",
    "ExhibitDetails",
    "RequestDetails",
    "digital_request_complete",
    "digital_request_create",
    "digital_request_decide",
    "digital_request_problems",
    "digital_request_refusal_record",
    "digital_request_withdraw",
    "evidence_closure_items",
    "evidence_view_record",
    "exhibit_create",
    "exhibit_destroy",
    "exhibit_move",
    "exhibit_replacement_record",
    "exhibit_retain",
    "exhibit_return",
    "is_victim_phone",
    "requests_list_view_record",
    "required_notice_elements",
    "sarc_sample_create",
    "sarc_sample_destroy",
    "sarc_sample_link",
    "sarc_view_record",
]
