"""The Victim tab and its forms, the case summary panel and the team's compliance page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from bluestone.accounts.models import Role
from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import EventKind, Involvement
from bluestone.victims.models import Obligation, ObligationStatus, PortalAccess, PortalMessage, VictimContact
from bluestone.victims.services import contact_plan_set, portal_message_send
from tests.dates import date_boxes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(victim_case) -> Client:
    client = Client()
    client.force_login(victim_case.investigator)
    return client


def _tab(vc) -> str:
    return f"/cases/{vc.case.pk}/victim/"


def test_the_victim_tab_shows_every_section_and_is_logged(victim_case, officer_client):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_ARRESTED)
    response = officer_client.get(_tab(victim_case))
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Profile and safe contact",
        "Victims' Code duties",
        "Contact plan",
        "Contact log",
        "Support for the investigation",
        "Following the case online",
        "Messages from the victim",
        "Feedback given",
    ):
        assert heading in page, heading
    assert "Told of an arrest" in page
    assert "4 March 2026" in page  # due the next working day
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION, case_id=victim_case.case.pk, person_id=victim_case.involvement.person_id
    ).exists()


def test_an_analyst_is_refused_the_victim_tab(victim_case):
    client = Client()
    client.force_login(UserFactory.create(role=Role.ANALYST, team=victim_case.team))
    assert client.get(_tab(victim_case)).status_code == 403


def test_recording_a_contact_meets_the_chosen_duty(victim_case, officer_client):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_ARRESTED)
    duty = Obligation.objects.get(case=victim_case.case, right__code="update_arrest")
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/contact/"
    response = officer_client.post(
        url,
        {
            **date_boxes("occurred_on", "3/3/2026"),
            "channel": "phone",
            "summary": "Told her of the arrest.",
            "obligations": [duty.pk],
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == ObligationStatus.MET
    contact = VictimContact.objects.get(profile=victim_case.profile)
    assert duty.met_by_contact == contact
    assert contact.made_by == victim_case.investigator


def test_a_contact_form_with_errors_shows_the_summary_and_saves_nothing(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/contact/"
    response = officer_client.post(url, {**date_boxes("occurred_on", "31/2/2026"), "summary": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The date of the contact must be a real date" in page
    assert 'href="#id_occurred_on_day"' in page  # the summary links to the day box
    assert "Choose how you made contact." in page
    assert 'href="#id_channel"' in page  # the summary's link lands on the first radio
    assert 'id="id_channel"' in page
    assert not VictimContact.objects.exists()


def test_the_profile_form_saves_safe_contact_and_isva(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/profile/"
    data = {
        "channel": "phone",
        "safe_phone": "07700 900333",
        "safe_times": "After 6pm",
        "notify_by": "none",
        "isva_status": "accepted",
        "isva_provider": "Local ISVA service",
        **date_boxes("isva_date", "2/3/2026"),
        "enhanced_rights": "on",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302
    profile = victim_case.profile
    profile.refresh_from_db()
    assert (profile.safe_phone, profile.isva_status, profile.isva_date) == (
        "07700 900333",
        "accepted",
        dt.date(2026, 3, 2),
    )
    assert profile.may_leave_message is False
    entry = AuditEvent.objects.filter(object_type="victims.VictimProfile", action=AuditAction.ALTERATION).last()
    assert entry is not None
    assert "safe_phone" in entry.details["fields"]
    assert "07700" not in str(entry.details)  # the log names the fields, never the values


def test_a_child_victim_needs_the_adult_contacted(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/profile/"
    response = officer_client.post(
        url, {"channel": "letter", "notify_by": "none", "isva_status": "not_offered", "is_child": "on"}
    )
    assert response.status_code == 200
    assert "Enter the name of the parent, guardian or appropriate adult." in response.content.decode()


def test_the_contact_plan_defaults_to_28_days_and_agreeing_it_meets_the_duty(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/plan/"
    form = officer_client.get(url).content.decode()
    assert 'value="28"' in form
    from bluestone.victims.services import obligations_open  # noqa: PLC0415

    obligations_open(case_id=victim_case.case.pk, trigger_kind="case_created", occurred_at=victim_case.case.reported_at)
    response = officer_client.post(url, {"cadence_days": "14", **date_boxes("agreed_on", "3/3/2026")})
    assert response.status_code == 302
    duty = Obligation.objects.get(case=victim_case.case, right__code="contact_plan")
    assert duty.status == ObligationStatus.MET
    page = officer_client.get(_tab(victim_case)).content.decode()
    assert "Every 14 days" in page
    assert "17 March 2026" in page  # the next contact due


def test_the_access_code_is_shown_once_and_kept_only_as_a_hash(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/portal-access/"
    response = officer_client.post(url, {"how": "show"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    code = re.search(r'data-testid="portal-code">([^<]+)<', response.content.decode())
    assert code is not None
    access = PortalAccess.objects.get(profile=victim_case.profile)
    assert code.group(1) not in access.code_hash
    tab = officer_client.get(_tab(victim_case)).content.decode()
    assert code.group(1) not in tab


def test_sending_the_code_needs_a_safe_contact(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/portal-access/"
    response = officer_client.post(url, {"how": "send"})
    assert response.status_code == 200
    assert "There is no safe email address or phone number" in response.content.decode()
    assert not PortalAccess.objects.exists()


def test_a_message_from_the_victim_is_marked_read(victim_case, officer_client):
    message = portal_message_send(profile=victim_case.profile, body="Please call me tomorrow.")
    page = officer_client.get(_tab(victim_case)).content.decode()
    assert "Please call me tomorrow." in page
    response = officer_client.post(f"/cases/{victim_case.case.pk}/victim/messages/{message.pk}/read/")
    assert response.status_code == 302
    message = PortalMessage.objects.get(pk=message.pk)
    assert message.read_by == victim_case.investigator


def test_withdrawal_through_the_form(victim_case, officer_client):
    url = f"/cases/{victim_case.case.pk}/victim/{victim_case.profile.pk}/support/"
    response = officer_client.post(url, {"reason": "too_long", **date_boxes("occurred_on", "3/3/2026")})
    assert response.status_code == 302
    page = officer_client.get(_tab(victim_case)).content.decode()
    assert "The victim does not support the investigation now." in page
    assert "The process is taking too long" in page


def test_not_applicable_through_the_form(victim_case, officer_client):
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_BAILED)
    duty = Obligation.objects.get(case=victim_case.case, right__code="update_bail")
    url = f"/cases/{victim_case.case.pk}/victim/duties/{duty.pk}/not-applicable/"
    assert officer_client.post(url, {"reason": ""}).status_code == 200
    response = officer_client.post(url, {"reason": "The victim asked to hear about bail only from the ISVA."})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == ObligationStatus.NOT_APPLICABLE


def test_the_case_summary_shows_preferred_contact_and_the_next_deadline(victim_case, officer_client):
    victim_case.profile.safe_times = "Weekdays after 6pm"
    victim_case.profile.save()
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_ARRESTED)
    page = officer_client.get(f"/cases/{victim_case.case.pk}/").content.decode()
    assert 'data-testid="victim-panel"' in page
    assert "Weekdays after 6pm" in page
    assert "Told of an arrest: 4 March 2026" in page


def test_a_case_loaded_without_a_profile_can_start_one(victim_case, officer_client):
    extra = Involvement.objects.create(
        case=victim_case.case, person=victim_case.involvement.person.__class__.objects.create(), role="victim"
    )
    page = officer_client.get(_tab(victim_case)).content.decode()
    assert "Start the victim profile" in page
    officer_client.post(f"/cases/{victim_case.case.pk}/victim/start/")
    assert hasattr(Involvement.objects.get(pk=extra.pk), "victim_profile")


def test_team_compliance_for_supervisors(victim_case):
    contact_plan_set(
        actor=victim_case.investigator, profile=victim_case.profile, cadence_days=28, agreed_on=dt.date(2026, 3, 1)
    )
    case_event_record(actor=victim_case.investigator, case=victim_case.case, kind=EventKind.SUSPECT_ARRESTED)
    client = Client()
    client.force_login(UserFactory.create(role=Role.SUPERVISOR, team=victim_case.team))
    response = client.get("/victims/compliance/")
    assert response.status_code == 200
    assert "Told of an arrest" in response.content.decode()
