"""What a signed-in victim sees and does: their own updates only, messages to the officer, contact
preferences and feedback, each on the case and in the s.62 log."""

from __future__ import annotations

import pytest
from django.test import Client

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.entry import case_event_record
from bluestone.cases.extensions import MY_WORK, work_items_for
from bluestone.cases.models import CaseEvent, EventKind
from bluestone.victims.models import Feedback, PortalMessage
from bluestone.victims.services import portal_access_issue, victim_update_post
from tests.portal_follow.conftest import sign_in_and_set_check
from tests.victims.factories import victim_case_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(follower) -> Client:
    client = Client()
    sign_in_and_set_check(client, follower)
    return client


def test_the_victim_sees_the_officers_update_and_the_automatic_one(follower, signed_in):
    case_event_record(actor=follower.vc.investigator, case=follower.vc.case, kind=EventKind.SUSPECT_ARRESTED)
    victim_update_post(
        actor=follower.vc.investigator,
        profile=follower.vc.profile,
        text="We spoke to the man you named today. I will call you on Thursday after 6pm.",
    )
    page = signed_in.get("/portal/follow/updates/").content.decode()
    assert "Someone has been arrested in connection with your case" in page
    assert "I will call you on Thursday after 6pm" in page
    assert follower.vc.officer.last_name in page  # how to reach their own officer


def test_a_victim_sees_only_their_own_case(follower, signed_in):
    other = victim_case_create()
    portal_access_issue(actor=other.investigator, profile=other.profile)
    victim_update_post(
        actor=other.investigator, profile=other.profile, text="This update is for someone else entirely."
    )
    page = signed_in.get("/portal/follow/updates/").content.decode()
    assert "someone else entirely" not in page
    assert other.case.crime_reference not in page
    signed_in.post("/portal/follow/messages/", {"body": "Can I change my statement?"})
    assert PortalMessage.objects.get().profile == follower.vc.profile
    assert not PortalMessage.objects.filter(profile=other.profile).exists()


def test_a_message_lands_on_the_case_and_in_the_officers_queue(follower, signed_in):
    response = signed_in.post("/portal/follow/messages/", {"body": "Please call me after 6pm, not before."})
    assert response.status_code == 302
    message = PortalMessage.objects.get(profile=follower.vc.profile)
    assert message.body == "Please call me after 6pm, not before."
    event = CaseEvent.objects.get(case=follower.vc.case, kind=EventKind.VICTIM_MESSAGE)
    assert message.case_event == event
    assert "after 6pm" not in event.summary  # the timeline says there is a message, not what it says
    items = [
        i for i in work_items_for(user=follower.vc.investigator, queue=MY_WORK) if i.kind == "Message from the victim"
    ]
    assert len(items) == 1
    assert items[0].url.endswith("#messages")
    assert AuditEvent.objects.filter(
        object_type="victims.PortalMessage", actor=None, details__surface="portal"
    ).exists()
    page = signed_in.get("/portal/follow/messages/?sent=1").content.decode()
    assert "Your message has been sent" in page


def test_an_empty_message_shows_the_error_and_saves_nothing(signed_in):
    response = signed_in.post("/portal/follow/messages/", {"body": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Write your message." in page
    assert not PortalMessage.objects.exists()


def test_feedback_is_kept_for_the_officer(follower, signed_in):
    answers = {"voice": "5", "respect": "4", "neutrality": "3", "trustworthiness": "4", "overall": "5", "comments": ""}
    response = signed_in.post("/portal/follow/feedback/", answers)
    assert response.status_code == 302
    feedback = Feedback.objects.get(profile=follower.vc.profile)
    assert (feedback.voice, feedback.respect, feedback.neutrality, feedback.trustworthiness, feedback.overall) == (
        5,
        4,
        3,
        4,
        5,
    )


def test_feedback_needs_every_answer(signed_in):
    response = signed_in.post("/portal/follow/feedback/", {"voice": "5"})
    assert response.status_code == 200
    assert "Choose an answer about respect." in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_victim_changes_how_they_are_contacted(follower, signed_in):
    data = {
        "channel": "email",
        "safe_phone": "",
        "safe_email": "safe@example.org",
        "safe_times": "Evenings",
        "may_leave_message": "no",
        "notify_by": "email",
    }
    response = signed_in.post("/portal/follow/contact-preferences/", data)
    assert response.status_code == 302
    profile = follower.vc.profile
    profile.refresh_from_db()
    assert (profile.channel, profile.safe_email, profile.notify_by) == ("email", "safe@example.org", "email")
    entry = AuditEvent.objects.filter(object_type="victims.VictimProfile", action=AuditAction.ALTERATION).last()
    assert entry is not None
    assert entry.actor_id is None
    assert entry.details["surface"] == "portal"


def test_updates_by_text_need_a_safe_number(follower, signed_in):
    data = {"channel": "phone", "safe_phone": "", "safe_email": "", "may_leave_message": "no", "notify_by": "sms"}
    response = signed_in.post("/portal/follow/contact-preferences/", data)
    assert response.status_code == 200
    assert "enter a safe phone number first" in response.content.decode()
    follower.vc.profile.refresh_from_db()
    assert follower.vc.profile.notify_by == "none"
