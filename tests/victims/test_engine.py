"""The Victims' Code engine: duties opened by case and investigation events, due in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.accounts.models import Role
from bluestone.cases.entry import PersonDetails, case_create, case_event_record
from bluestone.cases.extensions import MY_WORK, TEAM_WORK, work_items_for
from bluestone.cases.models import EventKind
from bluestone.core.models import OffenceClass
from bluestone.victims.models import Obligation, ObligationStatus
from bluestone.victims.selectors import case_compliance, team_compliance
from bluestone.victims.services import (
    obligation_not_applicable,
    obligations_open,
    victim_contact_record,
    victim_profile_update,
)
from tests.factories import TeamFactory, UserFactory
from tests.victims.factories import victim_case_create

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _arrest(vc, when: dt.datetime):
    return case_event_record(actor=vc.investigator, case=vc.case, kind=EventKind.SUSPECT_ARRESTED, occurred_at=when)


def _duty(vc, code: str) -> Obligation:
    return Obligation.objects.get(profile=vc.profile, right__code=code)


def test_an_arrest_opens_the_duty_due_the_next_working_day_for_enhanced_rights(victim_case):
    assert victim_case.profile.enhanced_rights  # a sexual offence: enhanced by default
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))  # Tuesday
    duty = _duty(victim_case, "update_arrest")
    assert duty.due_on == dt.date(2026, 3, 4)
    assert duty.status == ObligationStatus.OPEN
    assert duty.enhanced is True
    assert duty.trigger_kind == EventKind.SUSPECT_ARRESTED
    assert duty.trigger_event is not None
    assert duty.trigger_event.kind == EventKind.SUSPECT_ARRESTED


def test_standard_rights_give_five_working_days(victim_case):
    victim_profile_update(
        actor=victim_case.investigator, profile=victim_case.profile, changes={"enhanced_rights": False}
    )
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))  # Tuesday
    assert _duty(victim_case, "update_arrest").due_on == dt.date(2026, 3, 10)  # next Tuesday


def test_bank_holidays_do_not_count(victim_case, fixed_now):
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays in England and Wales.
    fixed_now(dt.datetime(2026, 4, 2, 15, 0, tzinfo=UTC))
    _arrest(victim_case, dt.datetime(2026, 4, 2, 9, 0, tzinfo=UTC))  # Thursday
    assert _duty(victim_case, "update_arrest").due_on == dt.date(2026, 4, 7)
    other = victim_case_create()
    victim_profile_update(actor=other.investigator, profile=other.profile, changes={"enhanced_rights": False})
    _arrest(other, dt.datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    assert _duty(other, "update_arrest").due_on == dt.date(2026, 4, 13)


def test_the_day_of_the_event_is_counted_in_london(victim_case, fixed_now):
    fixed_now(dt.datetime(2026, 6, 8, 9, 0, tzinfo=UTC))
    # 11:30pm UTC on Sunday 7 June is 12:30am on Monday 8 June in London (summer time).
    _arrest(victim_case, dt.datetime(2026, 6, 7, 23, 30, tzinfo=UTC))
    assert _duty(victim_case, "update_arrest").due_on == dt.date(2026, 6, 9)


@pytest.mark.parametrize(
    ("kind", "right"),
    [
        (EventKind.SUSPECT_INTERVIEWED, "update_interview"),
        (EventKind.SUSPECT_VOLUNTARY_INTERVIEW, "update_interview"),
        (EventKind.SUSPECT_BAILED, "update_bail"),
        (EventKind.BAIL_CONDITIONS_CHANGED, "update_bail"),
        (EventKind.BAIL_EXTENDED, "update_bail"),
        (EventKind.SUSPECT_RUI, "update_rui"),
        (EventKind.NO_FURTHER_ACTION, "update_decision"),
        (EventKind.NOT_INVESTIGATED, "update_decision"),
        (EventKind.CHARGED, "update_charge"),
        (EventKind.OUTCOME_RECORDED, "outcome_review"),
    ],
)
def test_each_right_six_event_opens_its_duty(victim_case, kind, right):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=kind)
    duty = _duty(victim_case, right)
    assert duty.due_on == dt.date(2026, 3, 4)


def test_a_charge_also_opens_the_personal_statement_offer(victim_case):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.CHARGED)
    assert _duty(victim_case, "personal_statement").due_on == dt.date(2026, 3, 10)  # 5 working days, enhanced or not


def test_other_events_open_nothing(victim_case):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.EVIDENCE_RECORDED)
    assert not Obligation.objects.filter(case=victim_case.case).exists()


def test_the_same_event_opens_its_duty_once(victim_case):
    event = _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    obligations_open(
        case_id=victim_case.case.pk, trigger_kind=event.kind, occurred_at=event.occurred_at, event_id=event.pk
    )
    assert Obligation.objects.filter(case=victim_case.case, right__code="update_arrest").count() == 1
    # A second arrest is a second duty.
    _arrest(victim_case, dt.datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert Obligation.objects.filter(case=victim_case.case, right__code="update_arrest").count() == 2


def test_a_new_report_opens_the_first_duties(fixed_now):
    team = TeamFactory.create()
    user = UserFactory.create(role=Role.INVESTIGATOR, team=team)
    case = case_create(
        actor=user,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        reported_at=dt.datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
        offence_from=dt.date(2026, 3, 1),
        how_reported="online",
        people=[PersonDetails(first_name="Bea", last_name="Example"), PersonDetails(role="suspect", first_name="Cy")],
    )
    duties = {o.right_id: o.due_on for o in Obligation.objects.filter(case=case)}
    assert duties == {
        "acknowledgement": dt.date(2026, 3, 10),
        "needs_assessment": dt.date(2026, 3, 5),
        "isva_referral": dt.date(2026, 3, 5),
        "contact_plan": dt.date(2026, 3, 5),
    }


def test_enhanced_rights_follow_the_setting_but_a_child_always_has_them(db, fixed_now, settings):
    settings.BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES = False
    adult = victim_case_create()
    child = victim_case_create(offence="19D")
    assert adult.profile.enhanced_rights is False
    assert child.profile.enhanced_rights is True
    _arrest(adult, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    assert _duty(adult, "update_arrest").due_on == dt.date(2026, 3, 10)


def test_a_victim_under_18_on_the_offence_date_has_enhanced_rights_to_the_day(db, fixed_now, settings):
    settings.BLUESTONE_ENHANCED_RIGHTS_FOR_SEXUAL_OFFENCES = False
    offence = dt.date(2026, 3, 1)
    turns_18_next_day = victim_case_create(offence_from=offence, victim_born=dt.date(2008, 3, 2))
    turned_18_that_day = victim_case_create(offence_from=offence, victim_born=dt.date(2008, 3, 1))
    assert turns_18_next_day.profile.enhanced_rights is True
    assert turned_18_that_day.profile.enhanced_rights is False


def test_a_contact_meets_the_duties_chosen(victim_case):
    from bluestone.audit.models import AuditEvent  # noqa: PLC0415
    from bluestone.cases.models import CaseEvent  # noqa: PLC0415

    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    duty = _duty(victim_case, "update_arrest")
    contact = victim_contact_record(
        actor=victim_case.investigator,
        profile=victim_case.profile,
        occurred_at=dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
        channel="phone",
        summary="Told her of the arrest and the bail date.",
        obligations=[duty],
    )
    duty.refresh_from_db()
    assert duty.status == ObligationStatus.MET
    assert duty.met_by_contact == contact
    assert duty.met_on_time
    assert duty.display_status == "Met"
    assert CaseEvent.objects.filter(case=victim_case.case, kind=EventKind.VICTIM_CONTACTED).exists()
    assert AuditEvent.objects.filter(object_type="victims.VictimContact", object_id=str(contact.pk)).exists()


def test_a_contact_cannot_meet_a_duty_that_is_closed_and_saves_nothing(victim_case):
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    duty = _duty(victim_case, "update_arrest")
    obligation_not_applicable(
        actor=victim_case.investigator, obligation=duty, reason="The victim asked not to be told."
    )
    with pytest.raises(ValidationError):
        victim_contact_record(
            actor=victim_case.investigator,
            profile=victim_case.profile,
            occurred_at=dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
            channel="phone",
            summary="Called.",
            obligations=[duty],
        )
    assert not victim_case.profile.contacts.exists()


def test_not_applicable_needs_a_reason(victim_case):
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    duty = _duty(victim_case, "update_arrest")
    with pytest.raises(ValidationError) as raised:
        obligation_not_applicable(actor=victim_case.investigator, obligation=duty, reason=" ")
    assert "reason" in raised.value.message_dict
    duty.refresh_from_db()
    assert duty.status == ObligationStatus.OPEN


def test_overdue_duties_reach_the_officer_and_the_supervisor(victim_case, fixed_now):
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    mine = work_items_for(user=victim_case.investigator, queue=MY_WORK)
    arrest_items = [i for i in mine if "arrest" in i.description]
    assert len(arrest_items) == 1
    assert not arrest_items[0].overdue
    assert arrest_items[0].kind == "Victim update due"
    assert "Testvictim" not in arrest_items[0].description  # no victim names in queues

    supervisor = UserFactory.create(role=Role.SUPERVISOR, team=victim_case.team)
    assert [i for i in work_items_for(user=supervisor, queue=TEAM_WORK) if "arrest" in i.description] == []

    fixed_now(dt.datetime(2026, 3, 5, 9, 0, tzinfo=UTC))  # the duty was due on the 4th
    duty = _duty(victim_case, "update_arrest")
    assert duty.is_overdue
    assert duty.display_status == "Overdue"
    mine = [i for i in work_items_for(user=victim_case.investigator, queue=MY_WORK) if "arrest" in i.description]
    assert mine[0].overdue
    assert mine[0].kind == "Victim update overdue"
    team = [i for i in work_items_for(user=supervisor, queue=TEAM_WORK) if "arrest" in i.description]
    assert len(team) == 1
    assert team[0].overdue
    stranger = UserFactory.create(role=Role.SUPERVISOR, team=TeamFactory.create())
    assert work_items_for(user=stranger, queue=TEAM_WORK) == []


def test_compliance_per_right(victim_case, fixed_now):
    _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    _arrest(victim_case, dt.datetime(2026, 3, 3, 11, 0, tzinfo=UTC))
    first, _second = Obligation.objects.filter(case=victim_case.case, right__code="update_arrest").order_by(
        "triggered_at"
    )
    victim_contact_record(
        actor=victim_case.investigator,
        profile=victim_case.profile,
        occurred_at=dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
        channel="phone",
        summary="Told of the arrest.",
        obligations=[first],
    )
    fixed_now(dt.datetime(2026, 3, 6, 9, 0, tzinfo=UTC))
    rows = {row.right.code: row for row in case_compliance(user=victim_case.investigator, case=victim_case.case)}
    arrest = rows["update_arrest"]
    assert (arrest.met_on_time, arrest.met_late, arrest.overdue) == (1, 0, 1)
    assert arrest.rate == 0.5
    supervisor = UserFactory.create(role=Role.SUPERVISOR, team=victim_case.team)
    team_rows = {row.right.code: row for row in team_compliance(user=supervisor)}
    assert team_rows["update_arrest"].overdue == 1


def test_a_failing_publisher_rolls_back_the_duty(victim_case):
    from django.db import transaction  # noqa: PLC0415

    class BoomError(Exception):
        pass

    def arrest_then_fail() -> None:
        with transaction.atomic():
            _arrest(victim_case, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
            raise BoomError

    with pytest.raises(BoomError):
        arrest_then_fail()
    assert not Obligation.objects.filter(case=victim_case.case).exists()
