"""Triage: the queue and its callback clock, a report, callbacks, a case made from a report, and
anonymous reports recorded as intelligence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.extensions import MY_WORK, TRIAGE, work_items_for
from bluestone.cases.models import Case, HowReported, Involvement
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.portal.demo import demo_online_reports
from bluestone.portal.models import CallbackAttempt, ContactChannel, OnlineReport, ReporterKind, ReportStatus, SafeTime
from bluestone.portal.report.services import OBJECT_TYPE
from bluestone.portal.triage.services import online_report_case_create
from bluestone.victims.models import Channel, VictimProfile
from tests.dates import date_boxes
from tests.factories import UserFactory
from tests.portal.factories import OnlineReportFactory, anonymous_report

pytestmark = pytest.mark.django_db


def _overdue_and_due():
    now = clock.now()
    overdue = OnlineReportFactory.create(
        reference="OVERDUE1", submitted_at=now - dt.timedelta(hours=13), callback_due_at=now - dt.timedelta(hours=1)
    )
    due = OnlineReportFactory.create(
        reference="DUESOON1", submitted_at=now - dt.timedelta(hours=1), callback_due_at=now + dt.timedelta(hours=11)
    )
    return overdue, due


def test_the_queue_shows_overdue_callbacks_first_and_no_names(triage_client: Client):
    overdue, _due = _overdue_and_due()
    anonymous_report(reference="ANON0001")
    OnlineReportFactory.create(reference="CLOSED01", status=ReportStatus.INTELLIGENCE, closed_at=clock.now())

    page = triage_client.get("/triage/").content.decode()
    queue = page.split('data-testid="triage-queue"')[1].split("</table>")[0]
    assert queue.index("OVERDUE1") < queue.index("DUESOON1") < queue.index("ANON0001")
    assert "CLOSED01" not in queue
    assert "Overdue" in queue.split("DUESOON1")[0]
    assert "No callback: anonymous" in queue
    assert overdue.first_name not in page  # queues may be on a shared screen
    assert "Recently closed" in page

    callbacks = triage_client.get("/triage/callbacks/").content.decode()
    assert "OVERDUE1" in callbacks
    assert "DUESOON1" in callbacks
    assert "ANON0001" not in callbacks  # nobody to call


def test_the_triage_queue_is_a_work_source(triage_user):
    _overdue_and_due()
    anonymous_report(reference="ANON0002")
    items = work_items_for(user=triage_user, queue=TRIAGE)
    assert [item.description for item in items] == [
        "Online report OVERDUE1",
        "Online report DUESOON1",
        "Online report ANON0002",
    ]
    assert items[0].overdue
    assert items[0].kind == "Callback due"
    assert not items[1].overdue
    assert items[2].kind == "Anonymous report"
    assert work_items_for(user=triage_user, queue=MY_WORK) == []
    investigator = UserFactory.create(username="not.triage", role=Role.INVESTIGATOR)
    assert work_items_for(user=investigator, queue=TRIAGE) == []


def test_triage_lands_on_online_reports_with_its_navigation(triage_client: Client):
    assert triage_client.get("/")["Location"] == "/triage/"
    page = triage_client.get("/triage/").content.decode()
    assert 'href="/triage/callbacks/"' in page
    assert "Callbacks due" in page
    assert "Online reports" in page


def test_opening_a_report_is_logged(triage_client: Client, triage_user):
    report = OnlineReportFactory.create(safe_times_note="Only after 6pm")
    page = triage_client.get(f"/triage/reports/{report.pk}/").content.decode()
    for shown in ("Robin Testperson", "07700 900 456", "Weekday mornings (9am to 12pm), Weekends", "Only after 6pm"):
        assert shown in page
    assert "do not leave a message" in page
    entry = AuditEvent.objects.get(action=AuditAction.CONSULTATION, object_type=OBJECT_TYPE)
    assert entry.object_id == str(report.pk)
    assert entry.actor == triage_user


def test_speaking_to_the_reporter_stops_the_callback_clock(triage_client: Client, triage_user):
    report = OnlineReportFactory.create()
    triage_client.post(f"/triage/reports/{report.pk}/callback/", {"outcome": "no_answer"})
    report.refresh_from_db()
    assert report.callback_made_at is None
    spoke = {"outcome": "spoke", "note": "Safe to talk"}
    response = triage_client.post(f"/triage/reports/{report.pk}/callback/", spoke)
    assert response["Location"] == f"/triage/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.callback_made_at is not None
    assert list(CallbackAttempt.objects.values_list("outcome", flat=True)) == ["no_answer", "spoke"]
    assert AuditEvent.objects.filter(action=AuditAction.ALTERATION, object_id=str(report.pk)).count() == 2
    assert report.reference not in triage_client.get("/triage/callbacks/").content.decode()


def test_a_callback_without_an_outcome_is_refused_with_a_message(triage_client: Client):
    report = OnlineReportFactory.create()
    response = triage_client.post(f"/triage/reports/{report.pk}/callback/", {"outcome": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select what happened when you tried to contact them" in page
    assert 'href="#id_outcome"' in page
    assert not CallbackAttempt.objects.exists()


def _case_form(team_pk, **overrides):
    return {
        "team": team_pk,
        "offence_class": "19C",
        **date_boxes("offence_from", "21/11/2026"),
        "victim_first_name": "Robin",
        "victim_last_name": "Testperson",
        "victim_gender": "female",
        **date_boxes("victim_date_of_birth", "//"),
        "location_description": "",
    } | overrides


def test_create_a_case_from_a_report_for_oneself(triage_client: Client, triage_user, team, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC))
    report = OnlineReportFactory.create(submitted_at=dt.datetime(2026, 11, 26, 22, 0, tzinfo=dt.UTC))
    form = triage_client.get(f"/triage/reports/{report.pk}/case/").content.decode()
    assert 'value="Robin"' in form  # prefilled from the report

    response = triage_client.post(f"/triage/reports/{report.pk}/case/", _case_form(team.pk))
    assert response["Location"] == f"/triage/reports/{report.pk}/"

    case = Case.objects.get()
    assert case.how_reported == HowReported.ONLINE
    assert case.team == team
    assert case.offence_class_id == "19C"
    assert case.reported_at == report.submitted_at
    assert case.summary == report.what_happened
    assert case.location_description == report.where_happened
    victim = Involvement.objects.get(case=case).person
    assert (victim.first_name, victim.last_name) == ("Robin", "Testperson")
    assert victim.phones.get().number == "07700 900 456"
    report.refresh_from_db()
    assert report.case == case
    assert report.status == ReportStatus.CASE_CREATED
    assert report.closed_by == triage_user
    assert AuditEvent.objects.filter(action=AuditAction.ALTERATION, object_id=str(report.pk), case_id=case.pk).exists()
    page = triage_client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert case.crime_reference in page
    assert "Create a case" not in page


def test_a_report_for_someone_else_makes_the_reporter_a_reporter(triage_user, team):
    report = OnlineReportFactory.create(
        kind=ReporterKind.SOMEONE_ELSE,
        first_name="Jordan",
        last_name="Sibling",
        victim_first_name="Sam",
        relationship_to_victim="Brother",
        victim_knows="yes",
    )
    case = online_report_case_create(
        actor=triage_user,
        report=report,
        team=team,
        offence_class=OffenceClass.objects.get(code="20A"),
        offence_from=dt.date(2026, 1, 5),
        victim_first_name="Sam",
        victim_last_name="",
        victim_gender="male",
    )
    roles = {i.role: i.person for i in Involvement.objects.filter(case=case).select_related("person")}
    assert roles[InvolvementRole.VICTIM].first_name == "Sam"
    assert not roles[InvolvementRole.VICTIM].phones.exists()
    assert roles[InvolvementRole.REPORTER].first_name == "Jordan"
    assert roles[InvolvementRole.REPORTER].phones.get().number == report.phone


def test_the_victims_safe_contact_answers_start_their_victim_profile(triage_client: Client, team):
    report = OnlineReportFactory.create(
        contact_channel=ContactChannel.TEXT,
        phone="07700 900 777",
        safe_times=f"{SafeTime.EVENING},{SafeTime.WEEKEND}",
        safe_times_note="Not when my flatmate is in",
        message_allowed=True,
    )
    triage_client.post(f"/triage/reports/{report.pk}/case/", _case_form(team.pk))
    profile = VictimProfile.objects.get(case__online_report=report)
    assert profile.channel == Channel.SMS
    assert profile.safe_phone == "07700 900 777"
    assert profile.safe_email == ""
    assert profile.safe_times == "Weekday evenings (5pm to 9pm); Weekends; Not when my flatmate is in"
    assert profile.may_leave_message is True
    # Carried over by the person who created the case, in the s.62 log like any profile change.
    assert AuditEvent.objects.filter(
        case_id=profile.case_id, object_type="victims.VictimProfile", action=AuditAction.ALTERATION
    ).exists()


def test_a_report_for_someone_else_does_not_give_the_victim_the_reporters_contact(triage_user, team):
    report = OnlineReportFactory.create(kind=ReporterKind.SOMEONE_ELSE, victim_first_name="Sam", message_allowed=True)
    case = online_report_case_create(
        actor=triage_user,
        report=report,
        team=team,
        offence_class=OffenceClass.objects.get(code="19C"),
        offence_from=dt.date(2026, 1, 5),
        victim_first_name="Sam",
        victim_last_name="",
        victim_gender="male",
    )
    profile = VictimProfile.objects.get(case=case)
    assert (profile.safe_phone, profile.safe_times, profile.may_leave_message) == ("", "", False)


def test_a_suspect_named_on_the_callback_goes_on_the_case(triage_client: Client, team):
    report = OnlineReportFactory.create()
    triage_client.post(
        f"/triage/reports/{report.pk}/case/",
        _case_form(
            team.pk, suspect_first_name="Lee", suspect_last_name="Oddsworth", suspect_relationship="acquaintance"
        ),
    )
    suspect = Involvement.objects.get(case__online_report=report, role=InvolvementRole.SUSPECT)
    assert (suspect.person.first_name, suspect.person.last_name) == ("Lee", "Oddsworth")
    assert suspect.relationship_to_victim == "acquaintance"


def test_a_relationship_without_a_suspect_is_refused_and_nothing_is_written(triage_client: Client, team):
    report = OnlineReportFactory.create()
    response = triage_client.post(
        f"/triage/reports/{report.pk}/case/", _case_form(team.pk, suspect_relationship="partner")
    )
    assert response.status_code == 200
    assert "Enter the suspect&#x27;s name, or choose Not said for the relationship" in response.content.decode()
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.is_open


def test_a_case_that_does_not_hold_together_is_not_created(triage_client: Client, team):
    report = OnlineReportFactory.create()
    response = triage_client.post(
        f"/triage/reports/{report.pk}/case/", _case_form("", **date_boxes("offence_from", "1/1/2999"))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The date of the offence must be today or in the past" in page
    assert "Choose the team that will investigate" in page
    assert 'class="govuk-error-summary"' in page
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.is_open


def test_an_anonymous_report_becomes_intelligence_never_a_case(triage_client: Client, triage_user, team):
    report = anonymous_report()
    page = triage_client.get(f"/triage/reports/{report.pk}/").content.decode()
    assert "It can be recorded as intelligence, not as a case" in page
    assert "Create a case" not in page
    assert triage_client.get(f"/triage/reports/{report.pk}/case/")["Location"] == f"/triage/reports/{report.pk}/"
    triage_client.post(f"/triage/reports/{report.pk}/case/", _case_form(team.pk))
    with pytest.raises(ValidationError):
        online_report_case_create(
            actor=triage_user,
            report=report,
            team=team,
            offence_class=OffenceClass.objects.get(code="19C"),
            offence_from=dt.date(2026, 1, 5),
            victim_first_name="",
            victim_last_name="",
            victim_gender="unknown",
        )
    assert not Case.objects.exists()
    # Nor can anybody be called back.
    triage_client.post(f"/triage/reports/{report.pk}/callback/", {"outcome": "spoke"})
    assert not CallbackAttempt.objects.exists()

    empty = triage_client.post(f"/triage/reports/{report.pk}/intelligence/", {"note": ""})
    assert "Enter why this report is being recorded as intelligence" in empty.content.decode()
    note = "Anonymous: passed to the intelligence unit"
    triage_client.post(f"/triage/reports/{report.pk}/intelligence/", {"note": note})
    report.refresh_from_db()
    assert report.status == ReportStatus.INTELLIGENCE
    assert report.intelligence_note == note
    assert report.closed_by == triage_user
    queue = triage_client.get("/triage/").content.decode()
    assert "No online reports are waiting" in queue


def test_a_closed_report_cannot_be_closed_again(triage_user, team):
    report = OnlineReportFactory.create(status=ReportStatus.INTELLIGENCE, closed_at=clock.now())
    with pytest.raises(ValidationError):
        online_report_case_create(
            actor=triage_user,
            report=report,
            team=team,
            offence_class=OffenceClass.objects.get(code="19C"),
            offence_from=dt.date(2026, 1, 5),
            victim_first_name="A",
            victim_last_name="B",
            victim_gender="unknown",
        )
    assert not Case.objects.exists()


def test_the_demo_adds_two_reports_waiting_one_overdue_and_can_run_again():
    for _ in range(2):
        lines = demo_online_reports(users={}, stdout=io.StringIO())
    assert "two online reports" in lines[0]
    reports = list(OnlineReport.objects.order_by("reference"))
    assert len(reports) == 2
    now = clock.now()
    assert [r.callback_due_at is not None and r.callback_due_at < now for r in reports] == [True, False]
    assert all(r.status == ReportStatus.WAITING for r in reports)
