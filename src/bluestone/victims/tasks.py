"""Background work for the victims app (ADR 5): sending the outbox, and new portal codes asked for."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus

from bluestone.victims.models import OutboxMessage, OutboxStatus
from bluestone.victims.notifications import MAX_ATTEMPTS, OutboxMessageQueued, outbox_send_pending
from bluestone.victims.services import portal_code_request

# A message that could not go is tried again after 1, 2, 4, 8 minutes (MAX_ATTEMPTS tries in all),
# without waiting for the next message to be queued.
RETRY_FIRST_AFTER = dt.timedelta(minutes=1)


@task()
def outbox_send() -> int:
    """Send every waiting notification (idempotent: a message already sent is not sent again); when one
    could not go, schedule another pass for it, later each time."""
    sent = outbox_send_pending()
    retry_outbox_later()
    return sent


def retry_outbox_later() -> dt.datetime | None:
    """Enqueue one deferred pass if a message is waiting after a failed try and no pass is already
    scheduled; return when it will run. A backend that cannot defer (the immediate one) gets none:
    it would run at once, over and over."""
    backend = task_backends[outbox_send.backend]
    if not backend.supports_defer:
        return None
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, attempts__gt=0).aggregate(Max("attempts"))
    tries = waiting["attempts__max"]
    if not tries:
        return None
    if _outbox_pass_scheduled():
        return None
    # The queue runs on the worker's time, so the delay is counted from it (not from the app clock).
    run_after = timezone.now() + RETRY_FIRST_AFTER * 2 ** (min(tries, MAX_ATTEMPTS) - 1)  # noqa: TID251
    outbox_send.using(run_after=run_after).enqueue()
    return run_after


def _outbox_pass_scheduled() -> bool:
    """Is a pass of the outbox already waiting in the database queue (not yet started)? Deferred or
    not, it will take the waiting message, so no other is needed."""
    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (only with the database backend)

    return DBTaskResult.objects.filter(task_path=outbox_send.module_path, status=TaskResultStatus.READY).exists()


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
