"""The evidence part of `bluestone demo`: on the demo investigator's case, a victim's phone taken
20 hours ago (due back in 4) under an authorised request, a request about the victim waiting for the
supervisor and one about the suspect; in the SARC register, a few samples, one within 30 days of the
end of retention. Safe to run again: it does nothing where its records exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from bluestone.accounts.models import Role
from bluestone.cases.models import Case, CaseStatus, Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.evidence.clocks import phone_return_hours, sarc_retention_years
from bluestone.evidence.models import DataCategory, Exhibit, NoticeElement, NoticeKind, SampleType, SarcSample
from bluestone.evidence.services import (
    ExhibitDetails,
    RequestDetails,
    digital_request_create,
    digital_request_decide,
    exhibit_create,
    sarc_sample_create,
)

PHONE_REFERENCE = "EV/1"


def demo_case(investigator: Any) -> Case | None:
    """The case the other demo steps use: the investigator's newest open, unrestricted case."""
    return (
        Case.objects.filter(officer__user=investigator, status=CaseStatus.UNDER_INVESTIGATION, restricted=False)
        .order_by("-reported_at", "crime_reference")
        .first()
    )


def _person(case: Case, role: str) -> Any:
    involvement = Involvement.objects.filter(case=case, role=role).select_related("person").first()
    return involvement.person if involvement else None


def _case_evidence(investigator: Any, supervisor: Any, case: Case) -> None:
    now = clock.now()
    taken = now - dt.timedelta(hours=20)
    victim = _person(case, InvolvementRole.VICTIM)
    suspect = _person(case, InvolvementRole.SUSPECT)
    categories = list(DataCategory.objects.filter(code__in=["messages", "call_log"]))
    phone_request = digital_request_create(
        actor=investigator,
        case=case,
        details=RequestDetails(
            kind="victim_device",
            person=victim,
            line_of_enquiry="Messages between the victim and the suspect in the week after the offence",
            purpose="To show what the suspect said about the night, in his own words",
            necessity_rationale=(
                "The suspect denies any contact. The victim's messages with him are the only record, "
                "and only that thread in those dates is needed."
            ),
            less_intrusive_options=(
                "Screenshots were considered, but they cannot show when messages were sent or deleted."
            ),
            data_categories=categories,
            scope_from=(taken - dt.timedelta(days=10)).date(),
            scope_to=taken.date(),
            selective_extraction=True,
            given_voluntarily=True,
            victim_agreed=True,
            notice_given_on=taken.date(),
            notice_elements=list(NoticeElement.objects.filter(kind=NoticeKind.VICTIM_DEVICE, active=True)),
        ),
    )
    digital_request_decide(actor=supervisor, digital_request=phone_request, authorise=True, note="Scope is tight.")
    exhibit_create(
        actor=investigator,
        case=case,
        details=ExhibitDetails(
            reference=PHONE_REFERENCE,
            description="Victim's mobile phone, black, in a green case",
            owner="victim",
            person=victim,
            item_kind="mobile_phone",
            how_obtained="received",
            obtained_at=taken,
            obtained_from="Handed over by the victim at home",
            handled_by=str(investigator),
            location="Digital forensics unit, kiosk 2",
            digital_request=phone_request,
        ),
    )
    digital_request_create(
        actor=investigator,
        case=case,
        details=RequestDetails(
            kind="victim_third_party",
            person=victim,
            line_of_enquiry="Whether the victim told her GP about the injuries in the days after",
            purpose="Early complaint evidence",
            necessity_rationale="Only the GP entries for the fortnight after the offence are asked for.",
            holder="Demo Street Surgery",
            holder_kind="medical",
            holder_believed_to_hold=True,
            material="GP consultation notes for the two weeks after the offence",
            relevance="An early account of injuries supports the timeline of the offence",
            notice_given_on=clock.today(),
            notice_elements=list(NoticeElement.objects.filter(kind=NoticeKind.THIRD_PARTY, active=True)),
        ),
    )
    digital_request_create(
        actor=investigator,
        case=case,
        details=RequestDetails(
            kind="suspect_device",
            person=suspect,
            line_of_enquiry="The suspect's messages to the victim and to others about her",
            purpose="To test his account of no contact",
            necessity_rationale="His phone holds his side of the messages, including any he deleted.",
            data_categories=categories,
            legal_basis="Seized on arrest",
        ),
    )


def _sarc_samples(liaison: Any) -> None:
    today = clock.today()
    years = sarc_retention_years()
    # Days before the end of retention for each demo sample: one inside each warning, one settled.
    for number, days_left in enumerate((400, 75, 21), start=1):
        reference = f"SARC-DEMO-{number:03d}"
        if SarcSample.objects.filter(sarc_reference=reference).exists():
            continue
        until = today + dt.timedelta(days=days_left)
        # 29 February has no anniversary in most years: step back a day.
        collected = (until - dt.timedelta(days=1) if (until.month, until.day) == (2, 29) else until).replace(
            year=until.year - years
        )
        sarc_sample_create(
            actor=liaison,
            sarc_reference=reference,
            collected_on=collected,
            sample_types=list(SampleType.objects.filter(code__in=["high_vaginal_swab", "blood", "clothing"])),
            storage_location=f"SARC freezer 1, shelf {number}",
            consent_recorded_on=collected,
            consent_note="Consented to storage for the full period.",
        )


def evidence_demo(*, users: dict[str, Any], stdout: Any) -> list[str]:
    investigator = users.get(Role.INVESTIGATOR)
    supervisor = users.get(Role.SUPERVISOR)
    liaison = users.get(Role.SARC_LIAISON)
    lines = []
    with transaction.atomic():
        case = demo_case(investigator) if investigator is not None else None
        if case is not None and supervisor is not None:
            if not Exhibit.objects.filter(case=case, reference=PHONE_REFERENCE).exists():
                _case_evidence(investigator, supervisor, case)
            lines.append(
                f"  Evidence: case {case.crime_reference} has a victim's phone due back within "
                f"{phone_return_hours()} hours and a request waiting for the supervisor."
            )
        if liaison is not None:
            _sarc_samples(liaison)
            lines.append(
                "  SARC register (sign in as sarc_liaison): one sample is within 30 days of the end of retention."
            )
    return lines
