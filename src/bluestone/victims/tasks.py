"""Background work for the victims app (ADR 5): sending the outbox."""

from __future__ import annotations

from django_tasks import task

from bluestone.victims.notifications import outbox_send_pending


@task()
def outbox_send() -> int:
    """Send every waiting notification (idempotent: a message already sent is not sent again)."""
    return outbox_send_pending()
