"""Exhibits: continuity that is only ever added to, return with authority, destruction refused while
the case is open, and the phone return clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from bluestone.audit.models import AuditEvent
from bluestone.cases.models import CaseEvent, CaseStatus, EventKind
from bluestone.core import clock
from bluestone.evidence.models import AppendOnlyError, Exhibit, ExhibitMovement, ExhibitStatus
from bluestone.evidence.selectors import case_evidence_get, phones_on_clock
from bluestone.evidence.services import (
    ExhibitDetails,
    digital_request_create,
    exhibit_create,
    exhibit_destroy,
    exhibit_move,
    exhibit_replacement_record,
    exhibit_return,
)
from tests.evidence.factories import authorised_device_request, device_details, scene_exhibit, victim_phone

pytestmark = pytest.mark.django_db


def test_an_exhibit_starts_its_continuity_and_the_timeline(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)

    movement = exhibit.movements.get()
    assert (movement.from_location, movement.to_location) == ("Bedroom at the scene", "Property store, locker 14")
    assert movement.handled_by == "PC Example 99"
    assert movement.reason == "Seized"
    assert exhibit.return_due_at is None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.EVIDENCE_RECORDED, summary__contains="SC/1").exists()
    assert AuditEvent.objects.filter(object_id=str(exhibit.pk), action="collection").exists()


def test_every_movement_is_recorded_from_to_who_when_why(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    when = clock.now() - dt.timedelta(hours=1)

    exhibit_move(
        actor=officer, exhibit=exhibit, to_location="Forensic lab", handled_by="Courier 7", moved_at=when, reason="DNA"
    )

    exhibit.refresh_from_db()
    assert exhibit.location == "Forensic lab"
    last = exhibit.movements.order_by("-moved_at").first()
    assert last is not None
    assert (last.from_location, last.to_location, last.handled_by, last.moved_at, last.reason) == (
        "Property store, locker 14",
        "Forensic lab",
        "Courier 7",
        when,
        "DNA",
    )
    assert last.recorded_by == officer


def test_a_movement_needs_every_part_and_cannot_go_back_in_time(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    with pytest.raises(ValidationError) as refused:
        exhibit_move(actor=officer, exhibit=exhibit, to_location="", handled_by="", moved_at=None, reason="")
    assert set(refused.value.message_dict) == {"to_location", "handled_by", "moved_at", "reason"}
    with pytest.raises(ValidationError) as refused:
        exhibit_move(
            actor=officer,
            exhibit=exhibit,
            to_location="Lab",
            handled_by="Courier",
            moved_at=exhibit.obtained_at - dt.timedelta(minutes=1),
            reason="DNA",
        )
    assert "last movement" in refused.value.message_dict["moved_at"][0]
    assert exhibit.movements.count() == 1


def test_continuity_is_append_only(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    movement = exhibit.movements.get()

    movement.reason = "Changed"
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        ExhibitMovement.objects.filter(pk=movement.pk).update(reason="Changed")
    with pytest.raises(AppendOnlyError):
        ExhibitMovement.objects.filter(pk=movement.pk).delete()
    movement.refresh_from_db()
    assert movement.reason == "Seized"


def test_destroying_an_exhibit_of_an_open_case_is_refused(officer, supervisor, case):
    exhibit = scene_exhibit(officer=officer, case=case)

    with pytest.raises(ValidationError) as refused:
        exhibit_destroy(
            actor=supervisor, exhibit=exhibit, authority="Court order", destroyed_at=clock.now(), confirmed=True
        )

    assert "still open" in refused.value.message_dict["__all__"][0]
    exhibit.refresh_from_db()
    assert exhibit.status == ExhibitStatus.HELD
    assert exhibit.movements.count() == 1


def test_an_exhibit_of_a_closed_case_is_destroyed_with_authority_and_confirmation(officer, supervisor, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    case.status = CaseStatus.CLOSED
    case.save()
    exhibit.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        exhibit_destroy(actor=supervisor, exhibit=exhibit, authority="", destroyed_at=clock.now(), confirmed=False)
    assert set(refused.value.message_dict) == {"authority", "confirmed"}

    exhibit_destroy(
        actor=supervisor,
        exhibit=exhibit,
        authority="MoPI review: no longer needed",
        destroyed_at=clock.now(),
        confirmed=True,
    )
    exhibit.refresh_from_db()
    assert exhibit.status == ExhibitStatus.DESTROYED
    assert exhibit.disposal_authority == "MoPI review: no longer needed"
    assert exhibit.disposed_by == supervisor
    last = exhibit.movements.order_by("-moved_at", "-id").first()
    assert last is not None
    assert last.to_location == "Destroyed"


def test_only_a_supervisor_destroys(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    with pytest.raises(PermissionDenied):
        exhibit_destroy(actor=officer, exhibit=exhibit, authority="x", destroyed_at=clock.now(), confirmed=True)


def test_return_needs_its_authority(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    with pytest.raises(ValidationError) as refused:
        exhibit_return(
            actor=officer, exhibit=exhibit, returned_to="Owner", returned_at=clock.now(), authority="", handled_by="DC"
        )
    assert "authority" in refused.value.message_dict
    exhibit.refresh_from_db()
    assert exhibit.status == ExhibitStatus.HELD


def test_a_victims_device_is_taken_only_under_an_authorised_request_given_voluntarily(officer, supervisor, case):
    pending = digital_request_create(actor=officer, case=case, details=device_details())
    details = ExhibitDetails(
        reference="AB/1",
        description="Phone",
        owner="victim",
        item_kind="mobile_phone",
        how_obtained="seized",
        obtained_at=clock.now(),
        obtained_from="Victim",
        handled_by="DC",
        location="Store",
        digital_request=pending,
    )
    with pytest.raises(ValidationError) as refused:
        exhibit_create(actor=officer, case=case, details=details)
    assert set(refused.value.message_dict) >= {"digital_request", "how_obtained"}
    assert not Exhibit.objects.exists()


# --- The phone return clock ------------------------------------------------------------------------


def test_a_victims_phone_is_due_back_within_24_hours(officer, supervisor, case, victim):
    taken = clock.now() - dt.timedelta(hours=20)
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=taken, person=victim)

    assert phone.return_due_at == taken + dt.timedelta(hours=24)
    row = case_evidence_get(user=officer, case=case).exhibits[0]
    assert row.clock is not None
    assert row.clock.running
    assert not row.clock.overdue
    assert row.clock.remaining == dt.timedelta(hours=4)


@override_settings(BLUESTONE_PHONE_RETURN_HOURS=12)
def test_the_return_period_is_a_setting(officer, supervisor, case):
    taken = clock.now() - dt.timedelta(hours=13)
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=taken)

    assert phone.return_due_at == taken + dt.timedelta(hours=12)
    row = case_evidence_get(user=officer, case=case).exhibits[0]
    assert row.clock is not None
    assert row.clock.overdue


def test_an_overdue_phone_is_surfaced_to_the_officer_and_the_supervisor(officer, supervisor, other_supervisor, case):
    victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=30))

    mine = phones_on_clock(user=officer, mine=True)
    team = phones_on_clock(user=supervisor, mine=False)
    assert len(mine) == 1
    assert mine[0].clock is not None
    assert mine[0].clock.overdue
    assert len(team) == 1
    assert phones_on_clock(user=other_supervisor, mine=False) == []


def test_returning_a_phone_records_the_time_to_return_and_tells_the_victims_code(officer, supervisor, case, victim):
    taken = clock.now() - dt.timedelta(hours=5)
    phone = victim_phone(officer=officer, supervisor=supervisor, case=case, taken_at=taken, person=victim)

    exhibit_return(
        actor=officer,
        exhibit=phone,
        returned_to="The victim",
        returned_at=clock.now(),
        authority="Extraction complete; phone no longer needed",
        handled_by="DC Example 1234",
    )

    phone.refresh_from_db()
    assert phone.status == ExhibitStatus.RETURNED
    assert phone.seconds_to_return == 5 * 3600
    event = CaseEvent.objects.get(case=case, kind=EventKind.PROPERTY_RETURNED)
    assert "after 5 hours, within the 24 hours allowed" in event.summary
    assert phones_on_clock(user=officer, mine=True) == []
    row = case_evidence_get(user=officer, case=case).exhibits[0]
    assert row.clock is not None
    assert row.clock.met is True


def test_a_phone_returned_late_is_recorded_as_late(officer, supervisor, case):
    phone = victim_phone(
        officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=30)
    )
    exhibit_return(
        actor=officer, exhibit=phone, returned_to="Victim", returned_at=clock.now(), authority="Done", handled_by="DC"
    )
    event = CaseEvent.objects.get(case=case, kind=EventKind.PROPERTY_RETURNED)
    assert "later than the 24 hours allowed" in event.summary
    row = case_evidence_get(user=officer, case=case).exhibits[0]
    assert row.clock is not None
    assert row.clock.met is False


def test_a_replacement_phone_stops_the_clock(officer, supervisor, case):
    phone = victim_phone(
        officer=officer, supervisor=supervisor, case=case, taken_at=clock.now() - dt.timedelta(hours=23)
    )

    exhibit_replacement_record(actor=officer, exhibit=phone, provided_at=clock.now())

    row = case_evidence_get(user=officer, case=case).exhibits[0]
    assert row.clock is not None
    assert not row.clock.running
    assert row.clock.met is True
    assert row.clock.stopped_by == "replacement"
    assert phones_on_clock(user=officer, mine=True) == []
    with pytest.raises(ValidationError):
        exhibit_replacement_record(actor=officer, exhibit=phone, provided_at=clock.now())


def test_only_a_victims_phone_has_a_clock(officer, case):
    exhibit = scene_exhibit(officer=officer, case=case)
    with pytest.raises(ValidationError):
        exhibit_replacement_record(actor=officer, exhibit=exhibit, provided_at=clock.now())


def test_the_reference_is_unique_on_the_case(officer, supervisor, case):
    scene_exhibit(officer=officer, case=case, reference="SC/1")
    with pytest.raises(ValidationError) as refused:
        scene_exhibit(officer=officer, case=case, reference="sc/1")
    assert "reference" in refused.value.message_dict


def test_a_request_authorised_for_another_case_does_not_cover_this_one(officer, supervisor, case, team):
    from tests.factories import CaseFactory  # noqa: PLC0415

    other = CaseFactory.create(team=team, officer=case.officer)
    entry = authorised_device_request(officer=officer, supervisor=supervisor, case=other)
    details = ExhibitDetails(
        reference="AB/9",
        description="Phone",
        owner="victim",
        item_kind="mobile_phone",
        how_obtained="received",
        obtained_at=clock.now(),
        obtained_from="Victim",
        handled_by="DC",
        location="Store",
        digital_request=entry,
    )
    with pytest.raises(ValidationError) as refused:
        exhibit_create(actor=officer, case=case, details=details)
    assert "digital_request" in refused.value.message_dict
