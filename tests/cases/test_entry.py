"""New cases and timeline entries: what is written, what is refused, and the events other apps hear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import PersonDetails, case_create, case_event_record
from bluestone.cases.events import CaseCreated, CaseEventRecorded, PeopleChanged
from bluestone.cases.models import Case, CaseEvent, EventKind, HowReported, Involvement, PersonRecord, Role
from bluestone.core import events
from bluestone.core.models import OffenceClass
from tests.factories import OfficerFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every event published during the test, in order (subscribed for the test only)."""
    received: list[object] = []
    for kind in (CaseCreated, PeopleChanged, CaseEventRecorded):
        events.subscribe(kind, received.append)
    yield received
    for kind in (CaseCreated, PeopleChanged, CaseEventRecorded):
        events._handlers[kind].remove(received.append)


def _report(investigator, team, **overrides):
    arguments = {
        "actor": investigator,
        "offence_class": OffenceClass.objects.get(code="19C"),
        "team": team,
        "reported_at": dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC),
        "offence_from": dt.date(2026, 2, 27),
        "how_reported": HowReported.IN_PERSON,
        "people": [
            PersonDetails(role=Role.VICTIM, first_name="Jo", last_name="Bloggs", phone="07700 900123"),
            PersonDetails(role=Role.SUSPECT, first_name="Sam", last_name="Smith", relationship_to_victim="ex_partner"),
        ],
    }
    return case_create(**(arguments | overrides))


def test_a_new_case_writes_its_people_timeline_and_audit(investigator, team, heard):
    officer = OfficerFactory.create(team=team, user=investigator)
    case = _report(investigator, team, officer=officer)

    assert case.crime_reference.startswith("BS/")
    assert Involvement.objects.filter(case=case, role=Role.SUSPECT, relationship_to_victim="ex_partner").count() == 1
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    # (Subscribers add their own entries after these, such as the investigation plan's.)
    assert kinds[:3] == [EventKind.REPORTED, EventKind.RECORDED, EventKind.ALLOCATED]
    collected = AuditEvent.objects.filter(
        case_id=case.pk, action=AuditAction.COLLECTION, object_type__startswith="cases."
    )
    assert collected.count() == 3  # the case and both people (subscribers log what they create too)
    # Subscribers publish their own events meanwhile (the plan's timeline entry): look at the case's.
    ours = [e for e in heard if isinstance(e, (CaseCreated, PeopleChanged))]
    assert [type(e) for e in ours] == [CaseCreated, PeopleChanged]
    changed = ours[1]
    assert isinstance(changed, PeopleChanged)
    assert len(changed.person_ids) == 2


def test_references_are_sequential(investigator, team):
    first = _report(investigator, team)
    second = _report(investigator, team)
    assert int(second.crime_reference.rsplit("/", 1)[1]) == int(first.crime_reference.rsplit("/", 1)[1]) + 1


def test_a_report_that_does_not_hold_together_writes_nothing(investigator, team, heard):
    other_officer = OfficerFactory.create(team=TeamFactory.create(code="ELSE"))
    with pytest.raises(ValidationError) as raised:
        _report(
            investigator,
            team,
            offence_from=dt.date(2026, 3, 2),  # after the report
            offence_to=dt.date(2026, 3, 1),
            officer=other_officer,
        )
    messages = raised.value.message_dict
    assert {"offence_from", "offence_to", "officer"} <= set(messages)
    assert not Case.objects.exists()
    assert not PersonRecord.objects.exists()
    assert not heard


def test_a_failing_subscriber_rolls_the_case_back(investigator, team):
    def refuse(event):
        raise RuntimeError("a subscriber failed")

    events.subscribe(CaseCreated, refuse)
    try:
        with pytest.raises(RuntimeError):
            _report(investigator, team)
    finally:
        events._handlers[CaseCreated].remove(refuse)
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.COLLECTION).exists()


def test_a_timeline_entry_is_audited_and_published(investigator, team, heard):
    case = _report(investigator, team)
    heard.clear()
    event = case_event_record(
        actor=investigator, case=case, kind=EventKind.SUSPECT_ARRESTED, summary="Arrested at home"
    )
    assert heard == [
        CaseEventRecorded(
            case_id=case.pk,
            event_id=event.pk,
            kind="suspect_arrested",
            occurred_at=event.occurred_at,
            actor_id=investigator.pk,
        )
    ]
    assert AuditEvent.objects.filter(object_type="cases.CaseEvent", object_id=str(event.pk)).exists()
    with pytest.raises(ValidationError):
        case_event_record(actor=investigator, case=case, kind="made_up")


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (PersonDetails(date_of_birth=dt.date(1899, 12, 31)), "date_of_birth", "on or after 1 January 1900"),
        (PersonDetails(date_of_birth=dt.date(2999, 1, 1)), "date_of_birth", "today or in the past"),
        (PersonDetails(first_name="A" * 5000), "first_name", "longer than 100 characters"),
        (PersonDetails(last_name="Smith\x00"), "last_name", "control character (U+0000)"),
        (PersonDetails(last_name="Smith\u202egpj.exe"), "last_name", "text-direction control (U+202E)"),
    ],
    ids=["born-before-1900", "born-in-the-future", "5000-character-name", "nul", "bidi-override"],
)
def test_a_person_with_unbelievable_details_is_refused_and_nothing_written(
    investigator, team, details: PersonDetails, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _report(investigator, team, people=[details])
    assert message in error.value.message_dict[f"people[0].{field}"][0]
    assert not Case.objects.exists()
    assert not PersonRecord.objects.exists()
