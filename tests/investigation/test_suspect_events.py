"""Suspect events on the timeline, charging only a named suspect, and the pre-charge bail clock with
its authority levels (3 months; an inspector to 6; a superintendent to 9; a court beyond)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.accounts.models import Rank
from bluestone.cases.events import CaseEventRecorded
from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind
from bluestone.core import events
from bluestone.investigation.models import AuthorityLevel, Bail, BailAuthority, BailExtension, BailStatus, SuspectEvent
from bluestone.investigation.services import (
    add_months,
    bail_authority_needed,
    bail_conditions_change,
    bail_extend,
    bail_extension_request,
    bail_record,
    charge_record,
    suspect_event_record,
    user_bail_authority,
)
from tests.factories import BASE_TIME, InvolvementFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received: list[object] = []
    events.subscribe(CaseEventRecorded, received.append)
    yield received
    events._handlers[CaseEventRecorded].remove(received.append)


@pytest.fixture
def bail(case, suspect, investigator):
    return bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="Not to contact the victim",
        victim_views="The victim asked for a no-contact condition.",
    )


@pytest.fixture
def inspector(team):
    user = UserFactory.create(username="di", role="supervisor", team=team)
    OfficerFactory.create(user=user, team=team, rank=Rank.DI)
    return user


@pytest.fixture
def superintendent(team):
    user = UserFactory.create(username="supt", role="supervisor", team=team)
    BailAuthority.objects.create(user=user, level=AuthorityLevel.SUPERINTENDENT)
    return user


def test_an_arrest_is_on_the_timeline_and_heard_by_other_apps(case, suspect, investigator, heard):
    row = suspect_event_record(
        actor=investigator,
        case=case,
        kind=EventKind.SUSPECT_ARRESTED,
        suspect=suspect,
        occurred_at=BASE_TIME - dt.timedelta(hours=2),
        custody_number="01/4471/26",
        relevant_time=BASE_TIME - dt.timedelta(hours=1),
    )
    assert row.case_event.kind == EventKind.SUSPECT_ARRESTED
    assert "Dale Marsh" in row.case_event.summary
    assert [(e.kind, e.case_id) for e in heard] == [(EventKind.SUSPECT_ARRESTED, case.pk)]


def test_a_suspect_event_needs_a_suspect_of_this_case(case, investigator):
    stranger = InvolvementFactory.create(role="suspect")
    with pytest.raises(ValidationError) as raised:
        suspect_event_record(
            actor=investigator, case=case, kind=EventKind.SUSPECT_INTERVIEWED, suspect=stranger, occurred_at=BASE_TIME
        )
    assert "suspect" in raised.value.message_dict
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SUSPECT_INTERVIEWED).exists()


def test_a_decision_not_to_investigate_needs_reasons_but_no_suspect(case, investigator):
    with pytest.raises(ValidationError):
        suspect_event_record(
            actor=investigator, case=case, kind=EventKind.NOT_INVESTIGATED, suspect=None, occurred_at=BASE_TIME
        )
    suspect_event_record(
        actor=investigator,
        case=case,
        kind=EventKind.NOT_INVESTIGATED,
        suspect=None,
        occurred_at=BASE_TIME,
        details="The report was withdrawn before any enquiry could be made.",
    )
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOT_INVESTIGATED).count() == 1


def test_charging_with_no_named_suspect_is_refused_and_writes_nothing(case, investigator, heard):
    unnamed = InvolvementFactory.create(case=case, role="suspect", person__first_name="", person__last_name="")
    for suspect in (None, unnamed):
        with pytest.raises(ValidationError) as raised:
            charge_record(
                actor=investigator, case=case, suspect=suspect, occurred_at=BASE_TIME, details="Rape, s.1 SOA 2003"
            )
        assert "suspect" in raised.value.message_dict
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.CHARGED).exists()
    assert not SuspectEvent.objects.exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    assert heard == []


def test_a_charge_of_a_named_suspect_ends_bail_and_marks_the_case(case, suspect, investigator, bail):
    charge_record(actor=investigator, case=case, suspect=suspect, occurred_at=BASE_TIME, details="Rape, s.1 SOA 2003")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CHARGED
    assert Bail.objects.get(pk=bail.pk).status == BailStatus.ENDED
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CHARGED).count() == 1


def test_bail_runs_three_months_and_records_conditions_and_the_victims_views(bail, case):
    assert bail.expires_on == dt.date(2026, 6, 2)
    event = CaseEvent.objects.get(case=case, kind=EventKind.SUSPECT_BAILED)
    assert "Not to contact the victim" in event.summary
    assert bail.victim_views.startswith("The victim asked")


def test_bail_without_the_victims_views_is_refused(case, suspect, investigator):
    with pytest.raises(ValidationError) as raised:
        bail_record(
            actor=investigator,
            case=case,
            suspect=suspect,
            starts_on=dt.date(2026, 3, 2),
            conditions="",
            victim_views="",
        )
    assert "victim_views" in raised.value.message_dict
    assert not Bail.objects.exists()


def test_changing_conditions_is_a_timeline_event(bail, investigator):
    bail_conditions_change(actor=investigator, bail=bail, conditions="Not to enter Leeds", victim_views="Agreed")
    assert CaseEvent.objects.filter(case=bail.case, kind=EventKind.BAIL_CONDITIONS_CHANGED).count() == 1


def test_the_authority_each_extension_needs():
    start = dt.date(2026, 1, 31)
    assert add_months(start, 1) == dt.date(2026, 2, 28)
    assert bail_authority_needed(starts_on=start, until=dt.date(2026, 4, 30)) == AuthorityLevel.NONE
    assert bail_authority_needed(starts_on=start, until=dt.date(2026, 7, 31)) == AuthorityLevel.INSPECTOR
    assert bail_authority_needed(starts_on=start, until=dt.date(2026, 8, 1)) == AuthorityLevel.SUPERINTENDENT
    assert bail_authority_needed(starts_on=start, until=dt.date(2026, 10, 31)) == AuthorityLevel.SUPERINTENDENT
    assert bail_authority_needed(starts_on=start, until=dt.date(2026, 11, 1)) == AuthorityLevel.COURT


def test_user_authority_comes_from_rank_or_a_grant(investigator, officer, inspector, superintendent):
    assert user_bail_authority(investigator) == AuthorityLevel.NONE
    assert user_bail_authority(inspector) == AuthorityLevel.INSPECTOR
    assert user_bail_authority(superintendent) == AuthorityLevel.SUPERINTENDENT


def test_an_extension_beyond_the_users_authority_is_refused_and_writes_nothing(bail, investigator, officer, inspector):
    for actor, until in ((investigator, dt.date(2026, 7, 1)), (inspector, dt.date(2026, 9, 3))):
        with pytest.raises(ValidationError) as raised:
            bail_extend(actor=actor, bail=bail, until=until, reason="Awaiting the phone download")
        assert "which you do not hold" in raised.value.message_dict["until"][0]
    assert Bail.objects.get(pk=bail.pk).expires_on == dt.date(2026, 6, 2)
    assert not BailExtension.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.BAIL_EXTENDED).exists()


def test_an_inspector_extends_to_six_months_and_a_superintendent_to_nine(bail, inspector, superintendent):
    bail_extend(actor=inspector, bail=bail, until=dt.date(2026, 9, 2), reason="Forensic results awaited")
    bail_extend(actor=superintendent, bail=bail, until=dt.date(2026, 12, 2), reason="CPS review")
    stored = Bail.objects.get(pk=bail.pk)
    assert stored.expires_on == dt.date(2026, 12, 2)
    assert list(stored.extensions.values_list("authority", flat=True)) == [
        AuthorityLevel.INSPECTOR,
        AuthorityLevel.SUPERINTENDENT,
    ]
    assert CaseEvent.objects.filter(case=bail.case, kind=EventKind.BAIL_EXTENDED).count() == 2


def test_beyond_nine_months_needs_a_courts_order(bail, superintendent):
    with pytest.raises(ValidationError) as raised:
        bail_extend(actor=superintendent, bail=bail, until=dt.date(2027, 1, 2), reason="Trial preparation")
    assert "magistrates' court" in raised.value.message_dict["court_reference"][0]
    bail_extend(
        actor=superintendent,
        bail=bail,
        until=dt.date(2027, 1, 2),
        reason="Trial preparation",
        court_reference="Leeds MC 123",
    )
    assert BailExtension.objects.get().authority == AuthorityLevel.COURT


def test_an_officer_asks_for_an_extension_and_nothing_else_changes(bail, investigator):
    bail_extension_request(actor=investigator, bail=bail, until=dt.date(2026, 8, 1), reason="Phone download pending")
    stored = Bail.objects.get(pk=bail.pk)
    assert stored.extension_requested_until == dt.date(2026, 8, 1)
    assert stored.expires_on == dt.date(2026, 6, 2)


def test_no_further_action_ends_bail(bail, case, suspect, investigator):
    suspect_event_record(
        actor=investigator,
        case=case,
        kind=EventKind.NO_FURTHER_ACTION,
        suspect=suspect,
        occurred_at=BASE_TIME,
        details="Insufficient evidence after review",
    )
    assert Bail.objects.get(pk=bail.pk).status == BailStatus.ENDED
