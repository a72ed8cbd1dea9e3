"""The outbox: what a notification may say, the senders, and the task that sends what is waiting."""

from __future__ import annotations

import pytest

from bluestone.cases.entry import case_event_record
from bluestone.cases.models import EventKind
from bluestone.victims.models import OutboxMessage, OutboxStatus
from bluestone.victims.notifications import message_text_check, outbox_send_pending, update_text
from bluestone.victims.services import portal_access_issue, victim_profile_update, victim_update_post
from bluestone.victims.tasks import outbox_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(victim_case, settings, tmp_path):
    settings.BLUESTONE_OUTBOX_DIR = str(tmp_path)
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.FileSender"
    victim_profile_update(
        actor=victim_case.investigator,
        profile=victim_case.profile,
        changes={"safe_email": "safe@example.org", "safe_phone": "07700 900222", "notify_by": "email"},
    )
    portal_access_issue(actor=victim_case.investigator, profile=victim_case.profile)
    return victim_case


def _case_details(vc) -> list[str]:
    person = vc.involvement.person
    officer = vc.officer
    return [
        vc.case.crime_reference,
        person.first_name,
        person.last_name,
        officer.last_name,
        vc.case.offence_class.name,
        "arrest",
        "charged",
        "bail",
    ]


def test_an_update_sends_only_you_have_an_update(notified):
    victim_update_post(
        actor=notified.investigator,
        profile=notified.profile,
        text="We arrested the man you named this morning. He is on bail until June.",
    )
    case_event_record(actor=notified.investigator, case=notified.case, kind=EventKind.SUSPECT_ARRESTED)
    messages = list(OutboxMessage.objects.filter(profile=notified.profile, purpose="update"))
    assert len(messages) == 2
    for message in messages:
        assert message.body == update_text()
        assert message.body.startswith("You have an update.")
        assert message.to == "safe@example.org"
        for detail in _case_details(notified):
            assert detail.lower() not in message.body.lower()
            assert detail.lower() not in message.subject.lower()


def test_a_victim_who_asked_for_no_notifications_gets_none(victim_case):
    portal_access_issue(actor=victim_case.investigator, profile=victim_case.profile)
    victim_update_post(
        actor=victim_case.investigator, profile=victim_case.profile, text="An update written in full sentences."
    )
    assert not OutboxMessage.objects.exists()


def test_an_access_code_message_holds_the_code_and_nothing_about_the_case(notified):
    _access, code = portal_access_issue(actor=notified.investigator, profile=notified.profile, send=True)
    message = OutboxMessage.objects.get(purpose="access_code")
    assert code in message.body
    for detail in _case_details(notified):
        assert detail.lower() not in message.body.lower()


def test_anything_else_is_refused():
    with pytest.raises(ValueError, match="only say"):
        message_text_check("You have an update about BS/26/0000001: the suspect was arrested.")


def test_the_file_sender_writes_the_messages_and_the_task_is_idempotent(notified, tmp_path):
    victim_update_post(
        actor=notified.investigator, profile=notified.profile, text="An update written in full sentences."
    )
    victim_profile_update(actor=notified.investigator, profile=notified.profile, changes={"notify_by": "sms"})
    victim_update_post(actor=notified.investigator, profile=notified.profile, text="Another update, in full sentences.")
    assert outbox_send.call() == 2
    files = sorted(p.name for p in tmp_path.iterdir())
    assert [name.rsplit(".", 1)[1] for name in files] == ["eml", "txt"]
    email = next(p for p in tmp_path.iterdir() if p.suffix == ".eml").read_text()
    assert "To: safe@example.org" in email
    assert "Subject: You have an update" in email
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 2
    assert outbox_send_pending() == 0  # nothing sent twice


def test_a_failing_sender_keeps_the_message_to_try_again(notified, settings):
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.GatewaySender"
    victim_profile_update(actor=notified.investigator, profile=notified.profile, changes={"notify_by": "sms"})
    victim_update_post(
        actor=notified.investigator, profile=notified.profile, text="An update written in full sentences."
    )
    assert outbox_send_pending() == 0
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert "No SMS provider" in message.error
    assert message.attempts == 1


def test_email_goes_through_djangos_mail_backend(notified, settings, mailoutbox):
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.GatewaySender"
    victim_update_post(
        actor=notified.investigator, profile=notified.profile, text="An update written in full sentences."
    )
    assert outbox_send_pending() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["safe@example.org"]
    assert mailoutbox[0].body == update_text()


def test_the_outbox_is_sent_after_the_update_commits(notified, django_capture_on_commit_callbacks, tmp_path):
    with django_capture_on_commit_callbacks(execute=True):
        victim_update_post(
            actor=notified.investigator, profile=notified.profile, text="An update written in full sentences."
        )
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
    assert len(list(tmp_path.iterdir())) == 1
