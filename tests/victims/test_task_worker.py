"""The outbox through the production task backend: django-tasks' database backend and its worker
(`bluestone db_worker`), not the immediate backend the rest of the suite runs tasks with.

The update is committed for real (a transactional test), so the task row and the message exist only
once the transaction that made them commits, and the worker, run as `db_worker --batch`, finds them
the way it does in production.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bluestone.victims.models import OutboxMessage, OutboxStatus
from bluestone.victims.notifications import MAX_ATTEMPTS, update_text
from bluestone.victims.services import portal_access_issue, victim_profile_update, victim_update_post

pytestmark = pytest.mark.django_db(transaction=True)

UPDATE = "An update written in full sentences."
SEND_TASK = "bluestone.victims.tasks.outbox_send"


def queue_now() -> dt.datetime:
    """The task queue's time (a deferred task waits for it, not for the app clock the tests fix)."""
    return timezone.now()  # noqa: TID251


@pytest.fixture
def notified(victim_case, settings, tmp_path):
    settings.BLUESTONE_OUTBOX_DIR = str(tmp_path)
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.FileSender"
    victim_profile_update(
        actor=victim_case.investigator,
        profile=victim_case.profile,
        changes={"safe_phone": "07700 900222", "notify_by": "sms"},
    )
    portal_access_issue(actor=victim_case.investigator, profile=victim_case.profile)
    return victim_case


def test_an_update_is_queued_after_commit_and_the_worker_sends_it(notified, database_tasks, tmp_path):
    DBTaskResult.objects.all().delete()  # whatever setting the victim up queued
    with transaction.atomic():
        victim_update_post(actor=notified.investigator, profile=notified.profile, text=UPDATE)
        # Inside the transaction nothing is queued: a rolled-back update must not be announced.
        assert not DBTaskResult.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == SEND_TASK
    assert queued.status == TaskResultStatus.READY
    assert not list(tmp_path.iterdir())

    database_tasks.run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == 1
    message = OutboxMessage.objects.get(purpose="update")
    assert message.status == OutboxStatus.SENT
    (sent,) = tmp_path.iterdir()
    assert sent.read_text() == f"To: 07700 900222\n\n{update_text()}\n"


def test_a_rolled_back_update_queues_nothing(notified, database_tasks, tmp_path):
    DBTaskResult.objects.all().delete()

    def post_then_change_mind() -> None:
        with transaction.atomic():
            victim_update_post(actor=notified.investigator, profile=notified.profile, text=UPDATE)
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        post_then_change_mind()

    database_tasks.run_worker()

    assert not DBTaskResult.objects.exists()
    assert not OutboxMessage.objects.filter(purpose="update").exists()
    assert not list(tmp_path.iterdir())


def test_a_failed_send_is_recorded_and_tried_again_later_without_another_message(
    notified, database_tasks, settings, tmp_path, time_machine
):
    DBTaskResult.objects.all().delete()
    time_machine.move_to(queue_now(), tick=False)
    # No SMS provider is set up: the gateway refuses, and the outbox records why.
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.GatewaySender"
    victim_update_post(actor=notified.investigator, profile=notified.profile, text=UPDATE)

    database_tasks.run_worker()

    message = OutboxMessage.objects.get(purpose="update")
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.error == "No SMS provider is set up: set BLUESTONE_SMS_GATEWAY to a gateway class."
    # The clock stands still here, so both have the same enqueued_at: told apart by their state.
    assert DBTaskResult.objects.count() == 2
    first = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert first.return_value == 0  # the task ran; nothing went
    # Another pass is waiting, a minute on; running the worker now does not start it early.
    assert retry.run_after == queue_now() + dt.timedelta(minutes=1)
    database_tasks.run_worker()
    message.refresh_from_db()
    assert message.attempts == 1

    # The provider is back; a minute later the waiting pass sends it, with no new message queued.
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.FileSender"
    time_machine.shift(dt.timedelta(minutes=1, seconds=1))
    database_tasks.run_worker()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.error == ""
    assert len(list(tmp_path.iterdir())) == 1
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value == 1
    assert DBTaskResult.objects.count() == 2  # nothing more is scheduled once all has gone


def test_a_send_that_keeps_failing_is_given_up_after_five_tries_and_shown_to_the_case_team(
    notified, database_tasks, settings, time_machine, client
):
    DBTaskResult.objects.all().delete()
    time_machine.move_to(queue_now(), tick=False)
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.GatewaySender"
    victim_update_post(actor=notified.investigator, profile=notified.profile, text=UPDATE)

    waits = []
    for _ in range(MAX_ATTEMPTS):
        database_tasks.run_worker()
        ready = list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))
        if not ready:
            break
        assert len(ready) == 1  # one pass waits for the message, never a pile of them
        waiting = ready[0]
        waits.append(waiting.run_after - queue_now())
        time_machine.shift(waiting.run_after - queue_now() + dt.timedelta(seconds=1))

    message = OutboxMessage.objects.get(purpose="update")
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    # Longer each time: 1, 2, 4 and 8 minutes between the five tries, then no more.
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()

    client.force_login(notified.investigator)
    page = client.get(reverse("victims:case-victim", kwargs={"pk": notified.case.pk}))
    assert page.status_code == 200
    found = re.search(r'data-testid="unsent">(.*?)</div>\s*</div>', page.content.decode(), re.S)
    assert found, "the Victim tab shows no warning of the unsent message"
    warning = " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())
    assert "A text message about an update, given up after 5 tries" in warning
    assert "No SMS provider is set up" in warning
    assert "Tell the victim another way." in warning
