"""The outbox through the production task backend: django-tasks' database backend and its worker
(`bluestone db_worker`), not the immediate backend the rest of the suite runs tasks with.

The update is committed for real (a transactional test), so the task row and the message exist only
once the transaction that made them commits, and the worker, run as `db_worker --batch`, finds them
the way it does in production.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bluestone.victims.models import OutboxMessage, OutboxStatus
from bluestone.victims.notifications import update_text
from bluestone.victims.services import portal_access_issue, victim_profile_update, victim_update_post

pytestmark = pytest.mark.django_db(transaction=True)

UPDATE = "An update written in full sentences."
SEND_TASK = "bluestone.victims.tasks.outbox_send"


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


def test_a_failed_send_is_recorded_and_sent_by_the_next_worker_pass(notified, database_tasks, settings, tmp_path):
    DBTaskResult.objects.all().delete()
    # No SMS provider is set up: the gateway refuses, and the outbox records why.
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.GatewaySender"
    victim_update_post(actor=notified.investigator, profile=notified.profile, text=UPDATE)

    database_tasks.run_worker()

    message = OutboxMessage.objects.get(purpose="update")
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.error == "No SMS provider is set up: set BLUESTONE_SMS_GATEWAY to a gateway class."
    assert DBTaskResult.objects.get().return_value == 0  # the task ran; nothing went

    # The provider is back; the next message's task sends both, the waiting one first.
    settings.BLUESTONE_NOTIFICATION_SENDER = "bluestone.victims.notifications.FileSender"
    victim_update_post(actor=notified.investigator, profile=notified.profile, text="A second update, in full.")
    database_tasks.run_worker()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert message.error == ""
    assert OutboxMessage.objects.filter(purpose="update", status=OutboxStatus.SENT).count() == 2
    assert len(list(tmp_path.iterdir())) == 2
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.SUCCESSFUL]
    assert [r.return_value for r in results] == [0, 2]
