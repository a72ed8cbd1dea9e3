"""The officer replies to a victim's message on the Victim tab; the victim reads it under their message."""

from __future__ import annotations

import pytest
from django.test import Client

from bluestone.audit.models import AuditAction, AuditEvent
from bluestone.cases.models import CaseEvent, EventKind
from bluestone.victims.models import MessageReply, OutboxMessage, PortalMessage, VictimContact
from bluestone.victims.services import portal_message_reply
from tests.factories import UserFactory
from tests.portal_follow.conftest import sign_in_and_set_check
from tests.victims.factories import victim_case_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(follower) -> Client:
    client = Client()
    sign_in_and_set_check(client, follower)
    return client


@pytest.fixture
def officer(follower) -> Client:
    client = Client()
    client.force_login(follower.vc.investigator)
    return client


def _reply_url(follower, message: PortalMessage) -> str:
    return f"/cases/{follower.vc.case.pk}/victim/messages/{message.pk}/reply/"


def test_the_officer_replies_on_the_victim_tab_and_the_victim_reads_it_under_their_message(
    follower, signed_in, officer
):
    signed_in.post("/portal/follow/messages/", {"body": "Can I bring my sister to the interview?"})
    message = PortalMessage.objects.get()

    tab = officer.get(f"/cases/{follower.vc.case.pk}/victim/").content.decode()
    assert f'href="{_reply_url(follower, message)}"' in tab
    form = officer.get(_reply_url(follower, message))
    assert form.status_code == 200
    assert "Can I bring my sister to the interview?" in form.content.decode()

    response = officer.post(_reply_url(follower, message), {"body": "Yes, she is welcome. I will call you on Friday."})
    assert response.status_code == 302

    reply = MessageReply.objects.get()
    assert (reply.message, reply.written_by) == (message, follower.vc.investigator)
    message.refresh_from_db()
    assert message.read_by == follower.vc.investigator
    assert VictimContact.objects.filter(profile=follower.vc.profile, channel="portal").exists()
    assert CaseEvent.objects.filter(case=follower.vc.case, kind=EventKind.VICTIM_UPDATED).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.COLLECTION, object_type="victims.MessageReply", object_id=str(reply.pk)
    ).exists()

    # The Victim tab shows the thread; the victim's portal shows the reply under their own message.
    tab = officer.get(f"/cases/{follower.vc.case.pk}/victim/").content.decode()
    assert "Yes, she is welcome. I will call you on Friday." in tab
    page = signed_in.get("/portal/follow/messages/").content.decode()
    thread = page.split('data-testid="sent-message"', 1)[1]
    assert thread.index("Can I bring my sister") < thread.index("Yes, she is welcome.")
    assert "Your officer replied on" in thread


def test_a_reply_tells_the_victim_only_that_there_is_an_update_by_their_safe_channel(follower):
    from bluestone.victims.services import victim_profile_update  # noqa: PLC0415

    victim_profile_update(
        actor=follower.vc.investigator,
        profile=follower.vc.profile,
        changes={"safe_email": "safe@example.org", "notify_by": "email"},
    )
    OutboxMessage.objects.all().delete()
    message = PortalMessage.objects.create(
        profile=follower.vc.profile, case=follower.vc.case, body="Any news?", sent_at=follower.vc.case.reported_at
    )
    portal_message_reply(actor=follower.vc.investigator, message=message, body="Nothing new yet, I will call Monday.")

    (queued,) = OutboxMessage.objects.all()
    assert (queued.channel, queued.to) == ("email", "safe@example.org")
    assert "Nothing new yet" not in queued.body
    assert queued.body.startswith("You have an update.")


def test_an_empty_reply_is_refused_and_nothing_is_written(follower, officer):
    message = PortalMessage.objects.create(
        profile=follower.vc.profile, case=follower.vc.case, body="Any news?", sent_at=follower.vc.case.reported_at
    )
    before = AuditEvent.objects.count()
    response = officer.post(_reply_url(follower, message), {"body": "   "})
    assert response.status_code == 200
    assert "Write your reply." in response.content.decode()
    assert not MessageReply.objects.exists()
    # The form page is a logged consultation (it shows the victim's name); nothing else is written.
    assert not AuditEvent.objects.filter(object_type="victims.MessageReply").exists()
    assert AuditEvent.objects.count() >= before


def test_nobody_outside_the_case_team_can_read_or_reply(follower):
    message = PortalMessage.objects.create(
        profile=follower.vc.profile, case=follower.vc.case, body="Private words", sent_at=follower.vc.case.reported_at
    )
    stranger = Client()
    stranger.force_login(UserFactory.create(role="investigator"))
    url = _reply_url(follower, message)
    assert stranger.get(url).status_code in (403, 404)
    assert stranger.post(url, {"body": "I should not be able to write this."}).status_code in (403, 404)
    assert not MessageReply.objects.exists()


def test_a_message_of_another_case_cannot_be_answered_through_this_one(follower, officer):
    other = victim_case_create()
    message = PortalMessage.objects.create(
        profile=other.profile, case=other.case, body="Someone else's", sent_at=other.case.reported_at
    )
    response = officer.post(_reply_url(follower, message), {"body": "This must not reach anyone."})
    assert response.status_code == 404
    assert not MessageReply.objects.exists()
