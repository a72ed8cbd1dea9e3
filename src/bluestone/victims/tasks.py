"""Background work for the victims app (ADR 5): sending the outbox, and new portal codes asked for."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_tasks import task

from bluestone.victims.notifications import OutboxMessageQueued, outbox_send_pending
from bluestone.victims.services import portal_code_request


@task()
def outbox_send() -> int:
    """Send every waiting notification (idempotent: a message already sent is not sent again)."""
    return outbox_send_pending()


def outbox_send_after_commit(event: OutboxMessageQueued) -> None:
    """Subscribed to `OutboxMessageQueued` in VictimsConfig.ready()."""
    # Sent after the commit, never inside it: a rolled-back update must not be announced.
    transaction.on_commit(outbox_send.enqueue)


@task()
def portal_code_requested(reference: str, address: str = "", user_agent: str = "") -> int:
    """A new one-time code asked for on the portal. Done here, not in the request, so that the page
    takes as long for a made-up reference as for a real one (no password hashing, no lookup there).
    `address` and `user_agent` are the asker's, for the access log's "from where"."""
    asked = HttpRequest()
    asked.META.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": user_agent})
    return portal_code_request(reference=reference, request=asked)
