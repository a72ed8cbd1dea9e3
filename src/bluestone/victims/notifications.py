"""The outbox: notifications to victims are written to a table in the same transaction as the update
they announce, and sent afterwards by a task through a pluggable sender.

A message says only that there is something to see (or, for an access code, the code): never the
crime reference, the offence, a name, or what happened. A phone or inbox may be seen by the person
the victim is afraid of. `message_text_check` refuses any body that is not one of the fixed texts.

Senders (setting BLUESTONE_NOTIFICATION_SENDER, a dotted path):
- FileSender: writes each message as a file under var/outbox (the demo's stand-in);
- ConsoleSender: prints it to standard output;
- GatewaySender: email through Django's mail backend, text messages through an SmsGateway; no real
  SMS provider ships with Bluestone, so a force plugs in its own (BLUESTONE_SMS_GATEWAY).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.module_loading import import_string

from bluestone.core import clock
from bluestone.core.events import publish
from bluestone.victims import conf
from bluestone.victims.models import NotifyBy, OutboxMessage, OutboxPurpose, OutboxStatus, VictimProfile

UPDATE_SUBJECT = "You have an update"
CODE_SUBJECT = "Your code"


@dataclass(frozen=True)
class OutboxMessageQueued:
    """A message waits in the outbox. `victims.tasks` subscribes and has the outbox sent once the
    transaction commits: the task imports this module, so this module does not import the task."""

    message_id: int


def update_text() -> str:
    return f"You have an update. Sign in to see it: {conf.portal_address()}"


def code_text(code: str) -> str:
    return (
        f"Your code to sign in is {code}. It works once, for {conf.portal_code_hours()} hours. "
        f"Sign in at {conf.portal_address()}"
    )


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Send one message or raise; the outbox records the failure and tries again later."""


class SmsGateway(Protocol):
    def send_sms(self, *, to: str, body: str) -> None: ...


class NoSmsGateway:
    """The default: no provider. A force plugs in one that speaks to its SMS supplier."""

    def send_sms(self, *, to: str, body: str) -> None:
        raise RuntimeError("No SMS provider is set up: set BLUESTONE_SMS_GATEWAY to a gateway class.")


class FileSender:
    """Writes each message to var/outbox/<id>.eml (email) or <id>.txt (text message)."""

    def send(self, message: OutboxMessage) -> None:
        folder = conf.outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if message.channel == "email":
            text = f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}\n"
            (folder / f"{message.pk:08d}.eml").write_text(text, encoding="utf-8")
        else:
            (folder / f"{message.pk:08d}.txt").write_text(f"To: {message.to}\n\n{message.body}\n", encoding="utf-8")


class ConsoleSender:
    def send(self, message: OutboxMessage) -> None:
        sys.stdout.write(f"[outbox {message.channel} to {message.to}] {message.body}\n")


class GatewaySender:
    """Email through Django's mail backend (EMAIL_BACKEND); text messages through the SMS gateway."""

    def send(self, message: OutboxMessage) -> None:
        if message.channel == "email":
            EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send(fail_silently=False)
            return
        gateway_path = getattr(settings, "BLUESTONE_SMS_GATEWAY", "")
        gateway: SmsGateway = import_string(gateway_path)() if gateway_path else NoSmsGateway()
        gateway.send_sms(to=message.to, body=message.body)


def sender_get() -> Sender:
    sender: Sender = import_string(conf.notification_sender())()
    return sender


def message_text_check(body: str) -> None:
    """Refuse a body that says more than "you have an update" or gives a code."""
    if body == update_text():
        return
    prefix = "Your code to sign in is "
    if body.startswith(prefix) and body == code_text(body[len(prefix) :].split(".", 1)[0]):
        return
    raise ValueError("A notification may only say that there is an update, or give an access code.")


def _destination(profile: VictimProfile, channel: str) -> str:
    return profile.safe_email if channel == "email" else profile.safe_phone


def outbox_update_queue(*, profile: VictimProfile) -> OutboxMessage | None:
    """Queue "you have an update" by the channel the victim chose, if they chose one and it is safe."""
    channel = profile.notify_by
    if channel == NotifyBy.NONE or not _destination(profile, channel):
        return None
    return _queue(profile=profile, channel=channel, purpose=OutboxPurpose.UPDATE, body=update_text())


def outbox_code_queue(*, profile: VictimProfile, code: str) -> OutboxMessage | None:
    """Queue an access code to the victim's safe email or number (their choice first)."""
    channels = [profile.notify_by] if profile.notify_by != NotifyBy.NONE else []
    channels += ["sms", "email"]
    for channel in channels:
        if _destination(profile, channel):
            return _queue(profile=profile, channel=channel, purpose=OutboxPurpose.ACCESS_CODE, body=code_text(code))
    return None


def _queue(*, profile: VictimProfile, channel: str, purpose: str, body: str) -> OutboxMessage:
    message_text_check(body)
    message = OutboxMessage.objects.create(
        profile=profile,
        channel=channel,
        to=_destination(profile, channel),
        subject=CODE_SUBJECT if purpose == OutboxPurpose.ACCESS_CODE else UPDATE_SUBJECT,
        body=body,
        purpose=purpose,
        created_at=clock.now(),
    )
    publish(OutboxMessageQueued(message_id=message.pk))
    return message


MAX_ATTEMPTS = 5


def outbox_send_pending(*, limit: int = 100) -> int:
    """Send what is waiting; return how many went. Safe to run twice: each row is claimed first."""
    sender = sender_get()
    sent = 0
    for message_id in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
            if message is None or message.status != OutboxStatus.PENDING:
                continue
            message.attempts += 1
            try:
                sender.send(message)
            except Exception as error:
                message.error = str(error)[:500]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = clock.now()
                message.error = ""
                sent += 1
            message.save()
    return sent
