"""Background tasks (django-tasks, ADR 5): a full linkage run, and scoring a case's new suspects."""

from __future__ import annotations

import uuid

from django_tasks import task

from bluestone.accounts.models import User
from bluestone.suspects.models import LinkageRun, RunStatus
from bluestone.suspects.services import linkage_run_full, linkage_score_people


@task()
def link_people(*, case_id: str, person_ids: list[str], actor_id: int | None) -> str | None:
    """Idempotent: records already in an identity are skipped, so a second run changes nothing."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    run = linkage_score_people(person_ids=[uuid.UUID(p) for p in person_ids], actor=actor, case_id=uuid.UUID(case_id))
    return str(run.pk) if run is not None else None


@task()
def link_all(*, run_id: str) -> str:
    """The "Run linkage now" button's work. A run that is no longer queued (done by a worker that
    crashed after finishing, say) is not run twice."""
    run = LinkageRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run.status
    try:
        linkage_run_full(actor=run.started_by, run=run)
    except Exception:  # the run records its failure and reason; a retry would fail the same way
        return RunStatus.FAILED
    return RunStatus.FINISHED
