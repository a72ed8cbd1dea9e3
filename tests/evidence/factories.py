"""Factories and builders for evidence tests. Requests and exhibits are made through the services,
so each test starts from a state the application itself could reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bluestone.accounts.models import User
from bluestone.cases.models import Case, PersonRecord
from bluestone.core import clock
from bluestone.evidence.models import DataCategory, DigitalRequest, Exhibit, NoticeElement, SampleType, SarcSample
from bluestone.evidence.services import (
    ExhibitDetails,
    RequestDetails,
    digital_request_create,
    digital_request_decide,
    exhibit_create,
    sarc_sample_create,
)


def device_details(*, person: PersonRecord | None = None, **overrides: Any) -> RequestDetails:
    """A complete, lawful request for data from a victim's phone."""
    values: dict[str, Any] = {
        "kind": "victim_device",
        "person": person,
        "line_of_enquiry": "Messages from the suspect after the offence",
        "purpose": "To show what the suspect said about that night",
        "necessity_rationale": "The suspect denies contact; only that thread in those dates is needed.",
        "less_intrusive_options": "Screenshots cannot show when messages were deleted.",
        "data_categories": list(DataCategory.objects.filter(code="messages")),
        "scope_from": clock.today() - dt.timedelta(days=14),
        "scope_to": clock.today() - dt.timedelta(days=1),
        "selective_extraction": True,
        "given_voluntarily": True,
        "victim_agreed": True,
        "notice_given_on": clock.today(),
        "notice_elements": list(NoticeElement.objects.filter(kind="victim_device", active=True)),
    }
    values.update(overrides)
    return RequestDetails(**values)


def third_party_details(*, person: PersonRecord | None = None, **overrides: Any) -> RequestDetails:
    values: dict[str, Any] = {
        "kind": "victim_third_party",
        "person": person,
        "line_of_enquiry": "Whether the victim told her GP about the injuries",
        "purpose": "Early complaint",
        "necessity_rationale": "Only the fortnight after the offence is asked for.",
        "holder": "Example Surgery",
        "holder_kind": "medical",
        "holder_believed_to_hold": True,
        "material": "GP notes for two weeks after the offence",
        "relevance": "An early account of the injuries",
        "notice_given_on": clock.today(),
        "notice_elements": list(NoticeElement.objects.filter(kind="third_party", active=True)),
    }
    values.update(overrides)
    return RequestDetails(**values)


def suspect_details(*, person: PersonRecord | None = None, **overrides: Any) -> RequestDetails:
    values: dict[str, Any] = {
        "kind": "suspect_device",
        "person": person,
        "line_of_enquiry": "The suspect's messages to the victim",
        "purpose": "Test his account",
        "necessity_rationale": "His side of the thread, including deletions.",
        "legal_basis": "Seized on arrest",
    }
    values.update(overrides)
    return RequestDetails(**values)


def authorised_device_request(
    *, officer: User, supervisor: User, case: Case, person: PersonRecord | None = None
) -> DigitalRequest:
    entry = digital_request_create(actor=officer, case=case, details=device_details(person=person))
    return digital_request_decide(actor=supervisor, digital_request=entry, authorise=True)


def victim_phone(
    *,
    officer: User,
    supervisor: User,
    case: Case,
    taken_at: dt.datetime | None = None,
    person: PersonRecord | None = None,
    reference: str = "AB/1",
) -> Exhibit:
    entry = authorised_device_request(officer=officer, supervisor=supervisor, case=case, person=person)
    return exhibit_create(
        actor=officer,
        case=case,
        details=ExhibitDetails(
            reference=reference,
            description="Victim's phone",
            owner="victim",
            person=person,
            item_kind="mobile_phone",
            how_obtained="received",
            obtained_at=taken_at or clock.now() - dt.timedelta(hours=1),
            obtained_from="Handed over by the victim",
            handled_by="DC Example 1234",
            location="Digital forensics unit",
            digital_request=entry,
        ),
    )


def scene_exhibit(*, officer: User, case: Case, reference: str = "SC/1") -> Exhibit:
    return exhibit_create(
        actor=officer,
        case=case,
        details=ExhibitDetails(
            reference=reference,
            description="Bedding from the scene",
            owner="scene",
            item_kind="clothing",
            how_obtained="seized",
            obtained_at=clock.now() - dt.timedelta(hours=3),
            obtained_from="Bedroom at the scene",
            handled_by="PC Example 99",
            location="Property store, locker 14",
        ),
    )


def sarc_sample(*, liaison: User, collected_on: dt.date, reference: str = "SARC-1") -> SarcSample:
    return sarc_sample_create(
        actor=liaison,
        sarc_reference=reference,
        collected_on=collected_on,
        sample_types=list(SampleType.objects.filter(code__in=["blood", "clothing"])),
        storage_location="SARC freezer 1",
        consent_recorded_on=collected_on,
    )
