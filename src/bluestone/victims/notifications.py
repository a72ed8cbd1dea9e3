"""The outbox: notifications to victims are written to a table in the same transaction as the update
they announce, and sent afterwards by a task through a pluggable sender.

A message says only that there is something to see (or, for an access code, the code): never the
crime reference, the offence, a name, or what happened. A phone or inbox may be seen by the person
the victim is afraid of. `message_text_check` refuses any body that is not one of the fixed texts.

Senders (setting BLUESTONE_NOTIFICATION_SENDER, a dotted path):
- FileSender: writes each message as a file under var/outbox (the demo's stand-in);
- ConsoleSender: prints it to standard output;
- GatewaySender: email through Django's mail backend, text messages through an SmsGateway; no real
  SMS provider ships with Bluestone, so a force plugs in its own (BLUESTONE_SMS_GATEWAY);
- NotifySender: GOV.UK Notify, text messages and emails by template id (BLUESTONE_NOTIFY_TEMPLATES),
  the fixed text passed as the template's ((body)); `outbox_delivery_poll` then reads whether each
  was delivered, and a message Notify could not deliver shows as failed to the case team.

Staff emails (StaffEmail's fixed texts, sent by victims.handlers: an officer allocated a case, supervisors
asked to approve a victim-focused action or whose review on a case fell due, an officer whose request was
decided) go through the same outbox and sender, by email only, with a link to the page and nothing about
the victim.

GOV.UK Notify may also call Bluestone with each delivery status (`delivery_status_receive`, behind the
view victims.views.notify_callback): the same change as a poll, without waiting for one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

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


class StaffEmail:
    """The fixed texts of staff emails: what happened and where to look, nothing about anybody."""

    ALLOCATED = "A case has been allocated to you."
    APPROVAL_ASKED = "Your approval has been asked for on a case."
    APPROVAL_GIVEN = "A decision you asked for has been approved."
    APPROVAL_REFUSED = "A decision you asked for has been refused."
    REVIEW_DUE = "A supervisory review is due on a case."
    ALL = (ALLOCATED, APPROVAL_ASKED, APPROVAL_GIVEN, APPROVAL_REFUSED, REVIEW_DUE)


def staff_text(what: str, link: str) -> str:
    return f"{what} Open it in Bluestone: {link}"


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


# Notify's statuses that end a message's life ("delivered", or one it will not try again).
NOTIFY_DELIVERED = "delivered"
NOTIFY_FAILED = {"permanent-failure", "temporary-failure", "technical-failure", "validation-failed"}


def notify_client() -> NotificationsAPIClient:
    return NotificationsAPIClient(settings.BLUESTONE_NOTIFY_API_KEY, base_url=settings.BLUESTONE_NOTIFY_BASE_URL)


class NotifySender:
    """GOV.UK Notify: each message by the template for its channel and purpose; the reference sent is the
    outbox row's number (Notify keeps it), never anything about the victim."""

    def send(self, message: OutboxMessage) -> None:
        template = settings.BLUESTONE_NOTIFY_TEMPLATES.get((message.channel, message.purpose), "")
        if not template:
            raise RuntimeError(f"No GOV.UK Notify template is set for {message.channel} {message.purpose}.")
        client = notify_client()
        personalisation = {"body": message.body}
        reference = f"outbox-{message.pk}"
        try:
            if message.channel == "email":
                response = client.send_email_notification(
                    email_address=message.to, template_id=template, personalisation=personalisation, reference=reference
                )
            else:
                response = client.send_sms_notification(
                    phone_number=message.to, template_id=template, personalisation=personalisation, reference=reference
                )
        except HTTPError as error:
            raise RuntimeError(f"GOV.UK Notify refused the message ({error.status_code}): {error.message}") from None
        message.provider_id = str(response["id"])
        message.delivery_status = "created"


def sender_get() -> Sender:
    sender: Sender = import_string(conf.notification_sender())()
    return sender


def message_text_check(body: str, *, purpose: str = "") -> None:
    """Refuse a body that says more than "you have an update" or gives a code (or, to staff, one of
    the fixed staff texts and a link)."""
    if purpose == OutboxPurpose.STAFF:
        if any(
            body.startswith(staff_text(what, "")) and " " not in body[len(staff_text(what, "")) :]
            for what in StaffEmail.ALL
        ):
            return
        raise ValueError("A staff email may only say what happened and link to the page.")
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


def staff_email_queue(*, user: Any, what: str, path: str) -> OutboxMessage | None:
    """Queue a staff email to `user` (one of StaffEmail's texts, and a link to `path` on the staff
    service, BLUESTONE_STAFF_URL); None if they have no email address."""
    if not getattr(user, "email", "") or not user.is_active:
        return None
    base = str(getattr(settings, "BLUESTONE_STAFF_URL", "") or "").rstrip("/")
    body = staff_text(what, f"{base}{path}")
    message_text_check(body, purpose=OutboxPurpose.STAFF)
    message = OutboxMessage.objects.create(
        profile=None,
        channel="email",
        to=user.email,
        subject="Bluestone",
        body=body,
        purpose=OutboxPurpose.STAFF,
        created_at=clock.now(),
    )
    publish(OutboxMessageQueued(message_id=message.pk))
    return message


def staff_case_path(case_id: Any) -> str:
    return reverse("cases:detail", kwargs={"pk": case_id})


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


def outbox_delivery_poll(*, limit: int = 500) -> int:
    """Ask GOV.UK Notify how each sent message fared; a message it could not deliver becomes failed, so
    the case team sees it among the unsent. Return how many changed."""
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.SENT).exclude(provider_id="")
    waiting = waiting.exclude(delivery_status=NOTIFY_DELIVERED).exclude(delivery_status__in=NOTIFY_FAILED)
    client = notify_client()
    changed = 0
    for message in waiting.order_by("sent_at", "pk")[:limit]:
        try:
            status = str(client.get_notification_by_id(message.provider_id)["status"])
        except HTTPError:
            continue  # asked again at the next poll
        if _delivery_status_apply(message, status):
            changed += 1
    return changed


def _delivery_status_apply(message: OutboxMessage, status: str) -> bool:
    """Record what Notify says of a sent message; one it could not deliver becomes failed, which the case
    team sees among the unsent. False when nothing changed (a final status is never replaced)."""
    if status == message.delivery_status or message.delivery_status in NOTIFY_FAILED | {NOTIFY_DELIVERED}:
        return False
    message.delivery_status = status[:32]
    fields = ["delivery_status"]
    if status in NOTIFY_FAILED:
        message.status = OutboxStatus.FAILED
        message.error = f"Not delivered: GOV.UK Notify says {status}."
        fields += ["status", "error"]
    message.save(update_fields=fields)
    return True


def delivery_status_receive(payload: Any) -> bool:
    """A delivery status GOV.UK Notify called back with (its JSON: the notification's `id`, our
    `reference`, its `status`): the same change as a poll. False when it names no message of ours or
    changes nothing; the caller answers Notify the same either way."""
    if not isinstance(payload, dict):
        raise ValueError("not a JSON object")
    provider_id, status = payload.get("id"), payload.get("status")
    if not isinstance(provider_id, str) or not isinstance(status, str) or not provider_id or not status:
        raise ValueError("id and status are needed")
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(provider_id=provider_id, status__in=[OutboxStatus.SENT, OutboxStatus.FAILED])
            .first()
        )
        if message is None or message.status != OutboxStatus.SENT:
            return False
        return _delivery_status_apply(message, status)
