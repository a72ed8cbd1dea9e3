"""Writes that create case content: a new case with its people, and entries on its timeline.

Each write records its s.62 entry in the same transaction and publishes its event (bluestone.core
.events) there too, so the duties other apps open (Victims' Code, plan, linkage) commit or roll back
with it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from bluestone.accounts.models import Officer, Team, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.events import CaseCreated, CaseEventRecorded, PeopleChanged
from bluestone.cases.facts import FACT_OF_EVENT, facts_refresh
from bluestone.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Gender,
    HowReported,
    Involvement,
    PersonAddress,
    PersonEmail,
    PersonPhone,
    PersonRecord,
    Relationship,
    Role,
)
from bluestone.core import clock, events
from bluestone.core.models import OffenceClass
from bluestone.core.text import date_of_birth_problem, text_problem

# A report made a year or more after the offence is "non-recent".
NON_RECENT_DAYS = 365


@dataclass(frozen=True)
class PersonDetails:
    """A person as given on a new report. Every field but the role may be blank."""

    role: str = Role.VICTIM
    first_name: str = ""
    middle_names: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    gender: str = Gender.UNKNOWN
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    # For a suspect: how they relate to the victim.
    relationship_to_victim: str = ""


def crime_reference_prefix() -> str:
    return str(getattr(settings, "BLUESTONE_CRIME_REFERENCE_PREFIX", "BS"))


def _next_crime_reference(year: int) -> str:
    stem = f"{crime_reference_prefix()}/{year % 100:02d}/"
    last = (
        Case.objects.filter(crime_reference__startswith=stem)
        .order_by("-crime_reference")
        .values_list("crime_reference", flat=True)
        .first()
    )
    number = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{stem}{number:07d}"


def _check(
    *,
    offence_class: OffenceClass,
    reported_at: dt.datetime,
    offence_from: dt.date,
    offence_to: dt.date | None,
    how_reported: str,
    officer: Officer | None,
    team: Team,
    people: Sequence[PersonDetails],
) -> None:
    errors: dict[str, str] = {}
    if not offence_class.active:
        errors["offence_class"] = "That offence class is no longer used. Choose another."
    if reported_at > clock.now():
        errors["reported_at"] = "The date of the report must be today or in the past."
    if offence_from > clock.today():
        errors["offence_from"] = "The date of the offence must be today or in the past."
    if offence_to is not None and offence_to < offence_from:
        errors["offence_to"] = "The end of the offence dates must be the same as or after the start."
    if offence_from > reported_at.date():
        errors["offence_from"] = "The offence cannot have happened after it was reported."
    if how_reported not in HowReported.values:
        errors["how_reported"] = "Choose how the offence was reported."
    if officer is not None and officer.team_id != team.pk:
        errors["officer"] = "The officer in the case must belong to the case's team."
    errors |= _people_errors(people)
    if errors:
        raise ValidationError(errors)


# Text given for a person, and the model field that stores it (for its length).
_PERSON_TEXT = (
    ("first_name", PersonRecord._meta.get_field("first_name")),
    ("middle_names", PersonRecord._meta.get_field("middle_names")),
    ("last_name", PersonRecord._meta.get_field("last_name")),
    ("address", PersonAddress._meta.get_field("address")),
    ("postcode", PersonAddress._meta.get_field("postcode")),
    ("phone", PersonPhone._meta.get_field("number")),
    ("email", PersonEmail._meta.get_field("address")),
)


def _people_errors(people: Sequence[PersonDetails]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for index, person in enumerate(people):
        if person.role not in Role.values:
            errors[f"people[{index}].role"] = "Choose the person's role on the case."
        if person.date_of_birth is not None:
            problem = date_of_birth_problem(person.date_of_birth, today=clock.today())
            if problem is not None:
                errors[f"people[{index}].date_of_birth"] = problem
        for name, model_field in _PERSON_TEXT:
            value = getattr(person, name)
            problem = text_problem(value)
            if problem is None and model_field.max_length is not None and len(value.strip()) > model_field.max_length:
                problem = f"is longer than {model_field.max_length} characters."
            if problem is not None:
                errors[f"people[{index}].{name}"] = f"The {name.replace('_', ' ')} {problem}"
        if person.relationship_to_victim and person.relationship_to_victim not in Relationship.values:
            errors[f"people[{index}].relationship_to_victim"] = "Choose the suspect's relationship to the victim."
    return errors


def _person_create(*, actor: User, case: Case, details: PersonDetails) -> PersonRecord:
    person = PersonRecord.objects.create(
        first_name=details.first_name.strip(),
        middle_names=details.middle_names.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        gender=details.gender or Gender.UNKNOWN,
        created_by=actor,
        updated_by=actor,
    )
    if details.address.strip() or details.postcode.strip():
        PersonAddress.objects.create(
            person=person, address=details.address.strip(), postcode=details.postcode.strip().upper(), created_by=actor
        )
    if details.phone.strip():
        PersonPhone.objects.create(person=person, number=details.phone.strip(), created_by=actor)
    if details.email.strip():
        PersonEmail.objects.create(person=person, address=details.email.strip(), created_by=actor)
    Involvement.objects.create(
        case=case,
        person=person,
        role=details.role,
        relationship_to_victim=details.relationship_to_victim if details.role == Role.SUSPECT else "",
        created_by=actor,
    )
    return person


def case_create(
    *,
    actor: User,
    offence_class: OffenceClass,
    team: Team,
    reported_at: dt.datetime,
    offence_from: dt.date,
    how_reported: str,
    offence_to: dt.date | None = None,
    officer: Officer | None = None,
    summary: str = "",
    location_description: str = "",
    location_postcode: str = "",
    people: Sequence[PersonDetails] = (),
    request: HttpRequest | None = None,
) -> Case:
    """Record a new report as a crime, with its people, and tell the apps that act on a new case.

    Raises ValidationError (a message per field) and writes nothing when the report does not hold
    together: dates in the future or out of order, an officer from another team, an unknown role.
    """
    _check(
        offence_class=offence_class,
        reported_at=reported_at,
        offence_from=offence_from,
        offence_to=offence_to,
        how_reported=how_reported,
        officer=officer,
        team=team,
        people=people,
    )
    now = clock.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    crime_reference=_next_crime_reference(clock.today().year),
                    reported_at=reported_at,
                    recorded_at=now,
                    offence_from=offence_from,
                    offence_to=offence_to,
                    non_recent=(reported_at.date() - offence_from).days >= NON_RECENT_DAYS,
                    how_reported=how_reported,
                    location_description=location_description.strip(),
                    location_postcode=location_postcode.strip().upper(),
                    offence_class=offence_class,
                    team=team,
                    officer=officer,
                    status=CaseStatus.UNDER_INVESTIGATION if officer else CaseStatus.REPORTED,
                    summary=summary.strip(),
                    created_by=actor,
                    updated_by=actor,
                )
                persons = [_person_create(actor=actor, case=case, details=details) for details in people]
                CaseEvent.objects.create(case=case, occurred_at=reported_at, kind=EventKind.REPORTED, created_by=actor)
                CaseEvent.objects.create(case=case, occurred_at=now, kind=EventKind.RECORDED, created_by=actor)
                if officer is not None:
                    CaseEvent.objects.create(
                        case=case,
                        occurred_at=now,
                        kind=EventKind.ALLOCATED,
                        summary=f"Allocated to {officer}",
                        created_by=actor,
                    )
                audit_record(
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    request=request,
                    case=case,
                    object_type="cases.Case",
                    object_id=case.pk,
                    details={"what": "new case", "person_ids": [str(p.pk) for p in persons]},
                )
                for person in persons:
                    audit_record(
                        actor=actor,
                        action=AuditAction.COLLECTION,
                        request=request,
                        case=case,
                        person=person,
                        object_type="cases.PersonRecord",
                        object_id=person.pk,
                        details={"what": "new person record"},
                    )
                facts_refresh([case.pk])
                events.publish(CaseCreated(case_id=case.pk, actor_id=actor.pk))
                if persons:
                    events.publish(
                        PeopleChanged(case_id=case.pk, person_ids=tuple(p.pk for p in persons), actor_id=actor.pk)
                    )
                return case
        except IntegrityError:
            # Two cases created at once took the same reference: take the next one.
            if Case.objects.filter(crime_reference=_next_crime_reference(clock.today().year)).exists():
                continue
            raise
    raise RuntimeError("Could not allocate a crime reference after five attempts.")


def case_event_record(
    *,
    actor: User | None,
    case: Case | uuid.UUID,
    kind: str,
    occurred_at: dt.datetime | None = None,
    summary: str = "",
    request: HttpRequest | None = None,
) -> CaseEvent:
    """Add an entry to a case's timeline and publish it (CaseEventRecorded) to the apps that act on it.

    Call it inside the transaction of the work it records (an arrest, a bail decision): the entry,
    its audit record and every duty a subscriber opens commit or roll back together.
    """
    if kind not in EventKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind of case event."})
    when = occurred_at or clock.now()
    if when > clock.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "An event cannot be recorded in the future."})
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case_id=case_id, occurred_at=when, kind=kind, summary=summary, created_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=case_id,
            object_type="cases.CaseEvent",
            object_id=event.pk,
            details={"kind": kind},
        )
        if kind in FACT_OF_EVENT:
            facts_refresh([case_id])
        events.publish(
            CaseEventRecorded(
                case_id=case_id, event_id=event.pk, kind=kind, occurred_at=when, actor_id=actor.pk if actor else None
            )
        )
    return event
