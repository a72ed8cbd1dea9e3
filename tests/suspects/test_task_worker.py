"""Linkage through the production task backend: django-tasks' database backend and its worker
(`bluestone db_worker`), not the immediate backend the rest of the suite runs tasks with.

"Run linkage now" queues a run when its request commits; the worker picks it up; a run that fails
says why on the register, and pressing the button again runs it again. A case recorded with a
suspect queues the scoring of that suspect against the stored model, which the worker does.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bluestone.accounts.models import Role as StaffRole
from bluestone.cases.entry import PersonDetails, case_create
from bluestone.cases.loading import extract_load
from bluestone.cases.models import Role
from bluestone.core.models import OffenceClass
from bluestone.linkage import LinkageModel
from bluestone.suspects.models import IdentityMember, LinkageRun, MemberSource, RunKind, RunStatus
from bluestone.suspects.services import MIN_RECORDS, linkage_run_full
from tests.factories import BASE_TIME, OfficerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

RUN_TASK = "bluestone.suspects.tasks.link_all"
SCORE_TASK = "bluestone.suspects.tasks.link_people"


def _register(client) -> str:
    response = client.get(reverse("suspects:register"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_run_linkage_now_goes_through_the_worker_and_a_failed_run_can_be_run_again(
    client, database_tasks, force_dir: Path
) -> None:
    analyst = UserFactory.create(username="worker-analyst", role=StaffRole.ANALYST, team=None)
    client.force_login(analyst)

    response = client.post(reverse("suspects:run"))

    assert response.status_code == 302
    assert response["Location"] == reverse("suspects:register")
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.QUEUED
    task = DBTaskResult.objects.get(task_path=RUN_TASK)
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["kwargs"] == {"run_id": str(run.pk)}
    assert "Waiting for the worker" in _register(client)

    database_tasks.run_worker()  # no suspect records yet: the run fails, and says why

    run.refresh_from_db()
    task.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == f"ValueError: There are 0 suspect records; linkage needs at least {MIN_RECORDS}."
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == RunStatus.FAILED
    page = _register(client)
    assert "govuk-tag--red" in page
    assert f"There are 0 suspect records; linkage needs at least {MIN_RECORDS}." in page

    # The records arrive; the analyst presses the button again and the worker runs it.
    extract_load(directory=force_dir)
    client.post(reverse("suspects:run"))
    database_tasks.run_worker()

    again = LinkageRun.objects.exclude(pk=run.pk).get()
    assert again.status == RunStatus.FINISHED, again.error
    assert again.identities > 10
    assert IdentityMember.objects.filter(source=MemberSource.LINKAGE).count() >= 2 * again.identities
    assert [t.status for t in DBTaskResult.objects.filter(task_path=RUN_TASK)] == [TaskResultStatus.SUCCESSFUL] * 2
    assert "Finished" in _register(client)


def test_a_new_case_s_suspect_is_scored_by_the_worker_after_the_case_commits(
    database_tasks, force_dir: Path, suspects_model: LinkageModel
) -> None:
    extract_load(directory=force_dir)
    linkage_run_full(actor=None, model=suspects_model)
    # A suspect already in an identity is recorded again, on a new case.
    member = IdentityMember.objects.select_related("person").order_by("-match_probability", "person_id").first()
    assert member is not None
    known = member.person
    address, phone = known.addresses.first(), known.phones.first()
    team = TeamFactory.create(code="WORKER")
    officer = OfficerFactory.create(team=team, user=UserFactory.create(username="worker-dc", team=team))
    DBTaskResult.objects.all().delete()

    case = case_create(
        actor=officer.user,
        offence_class=OffenceClass.objects.get(code="19C"),
        team=team,
        officer=officer,
        reported_at=BASE_TIME,
        offence_from=BASE_TIME.date() - dt.timedelta(days=2),
        how_reported="online",
        people=[
            PersonDetails(role=Role.VICTIM, first_name="Ash"),
            PersonDetails(
                role=Role.SUSPECT,
                first_name=known.first_name,
                last_name=known.last_name,
                date_of_birth=known.date_of_birth,
                gender=known.gender,
                address=address.address if address else "",
                postcode=address.postcode if address else "",
                phone=phone.number if phone else "",
            ),
        ],
    )

    task = DBTaskResult.objects.get(task_path=SCORE_TASK)
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["kwargs"]["case_id"] == str(case.pk)

    database_tasks.run_worker()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    scored = LinkageRun.objects.get(kind=RunKind.INCREMENTAL)
    assert task.return_value == str(scored.pk)
    new_record = case.involvements.get(role=Role.SUSPECT).person
    joined = IdentityMember.objects.get(person=new_record)
    assert joined.identity_id == member.identity_id
    assert joined.source == MemberSource.INCREMENTAL
