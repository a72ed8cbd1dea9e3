"""Full linkage runs: every suspect record scored, clustered with the review decisions applied, and
stored with the explanation of each link.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.linkage import ClusterPolicy
from bluestone.suspects.clustering import cluster
from bluestone.suspects.models import Identity, IdentityMember, LinkageRun, LinkExplanation, RunKind, RunStatus
from bluestone.suspects.records import records_table, suspect_person_ids
from bluestone.suspects.services._common import _active_decisions, _best_probabilities, _explanation, _groups_write
from bluestone.suspects.services.priorities import identity_priorities_refresh
from bluestone.suspects.services.store import store_write

if TYPE_CHECKING:
    from bluestone.linkage import Engine, Limits, LinkageModel, TrainingConfig

logger = logging.getLogger(__name__)


Progress = Callable[[str], None]


STAGE_TEXT = {
    "reading": "Reading suspect records",
    "standardising": "Standardising names, dates of birth, postcodes and phone numbers",
    "training": "Training the model",
    "predicting": "Scoring pairs of records",
    "clustering": "Grouping records into identities",
    "storing": "Storing identities, links and explanations",
}


# Fewer records than this cannot train a model (there are too few pairs to learn from).
MIN_RECORDS = 20


def linkage_run_queue(*, actor: User | None, kind: str = RunKind.FULL) -> LinkageRun:
    """A run waiting for the worker (the "Run linkage now" button), shown as queued until it starts."""
    if actor is not None and not rules.test_rule("suspects.run_linkage", actor):
        raise PermissionDenied("Only analysts start a linkage run.")
    return LinkageRun.objects.create(kind=kind, started_by=actor, requested_at=clock.now(), created_by=actor)


def _progress_save(run: LinkageRun, text: str) -> None:
    run.progress = text
    run.save(update_fields=["progress", "updated_at"])


def linkage_limits() -> Limits:
    """The work limits of a linkage run, from the settings (BLUESTONE_LINKAGE_*)."""
    from bluestone.linkage import Limits  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    return Limits(
        max_comparisons=settings.BLUESTONE_LINKAGE_MAX_COMPARISONS,
        memory_limit=settings.BLUESTONE_LINKAGE_DUCKDB_MEMORY,
    )


def cluster_policy() -> ClusterPolicy:
    """How identities are checked before they are stored, from the settings (BLUESTONE_LINKAGE_*)."""
    return ClusterPolicy(
        max_size=settings.BLUESTONE_LINKAGE_MAX_IDENTITY_SIZE,
        stable_threshold=settings.BLUESTONE_LINKAGE_STABLE_THRESHOLD,
    )


def last_model() -> LinkageModel | None:
    """The model of the last finished full run, if it can still be read (None: train a new one)."""
    run = (
        LinkageRun.objects.filter(kind=RunKind.FULL, status=RunStatus.FINISHED, model__isnull=False)
        .order_by("-finished_at")
        .first()
    )
    if run is None or run.model is None:
        return None
    from bluestone.linkage import LinkageModel  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    try:
        return LinkageModel.from_dict(run.model)
    except ValueError:
        logger.warning("The model of linkage run %s is of an older format; a new one will be trained.", run.pk)
        return None


def linkage_run_full(
    *,
    actor: User | None,
    run: LinkageRun | None = None,
    progress: Progress | None = None,
    config: TrainingConfig | None = None,
    threshold: float | None = None,
    model: LinkageModel | None = None,
    retrain: bool = False,
    engine: Engine = "duckdb",
) -> LinkageRun:
    """Link every suspect record: score pairs, apply every review decision, check and store it all.

    Train once, score many: the model of the last finished full run is used while it fits the records'
    columns; a new one is trained when there is none, when the columns changed, or when `retrain` is
    asked for; the model is the same whichever `engine` scores the pairs (DuckDB in process, or Spark:
    `bluestone.linkage.spark`). The identities, members and explanations are replaced in one transaction, with one audit
    entry; identities keep their ids where their records carry over. Review decisions are applied
    before the model's pairs (suspects.clustering), so no run undoes a person's decision. On failure the
    run is marked failed with the reason and nothing else changes.
    """
    from bluestone.linkage import ModelDoesNotFit, link_records  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    run = run or LinkageRun.objects.create(
        kind=RunKind.FULL, started_by=actor, requested_at=clock.now(), created_by=actor
    )

    def stage(name: str) -> None:
        text = STAGE_TEXT.get(name, name)
        _progress_save(run, text)
        if progress is not None:
            progress(text)

    run.status, run.started_at, run.error = RunStatus.RUNNING, clock.now(), ""
    run.save(update_fields=["status", "started_at", "error", "updated_at"])
    try:
        stage("reading")
        ids = suspect_person_ids()
        if len(ids) < MIN_RECORDS:
            raise ValueError(f"There are {len(ids)} suspect records; linkage needs at least {MIN_RECORDS}.")
        table = records_table(ids)
        if model is None and not retrain:
            model = last_model()
        arguments: dict[str, Any] = {
            "engine": engine,
            "config": config,
            "threshold": threshold,
            "progress": stage,
            "limits": linkage_limits(),
            "policy": cluster_policy(),
        }
        try:
            result = link_records(table, model=model, **arguments)
        except ModelDoesNotFit:
            model = None
            result = link_records(table, model=None, **arguments)
        run.model_version = "reused" if model is not None else "trained"
        stage("storing")
        _store_full_run(run=run, actor=actor, result_threshold=result.summary.threshold, result=result, records=table)
    except Exception as error:
        logger.exception("Linkage run %s failed", run.pk)
        run.status, run.finished_at = RunStatus.FAILED, clock.now()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.progress = "Failed"
        run.save(update_fields=["status", "finished_at", "error", "progress", "updated_at"])
        raise
    return run


def _store_full_run(*, run: LinkageRun, actor: User | None, result_threshold: float, result: Any, records: Any) -> None:
    predictions = result.predictions.to_pylist()
    record_ids = [str(r) for r in result.identities.column("record_id").to_pylist()]
    with transaction.atomic():
        store_write(records=records, model=result.model, replace_all=True)
        together, apart = _active_decisions()
        clusters = cluster(
            records=record_ids,
            pairs=(
                (str(r["record_id_l"]), str(r["record_id_r"]), float(r["match_probability"]))
                for r in predictions
                if not r.get("held_reason")
            ),
            threshold=result_threshold,
            must_link=together,
            cannot_link=apart,
            held=[(str(r["record_id_l"]), str(r["record_id_r"])) for r in predictions if r.get("held_reason")],
            policy=cluster_policy(),
        )
        LinkExplanation.objects.filter(current=True).update(current=False)
        LinkExplanation.objects.filter(current=False, decisions__isnull=True).delete()
        explanations = [_explanation(run, row) for row in predictions]
        LinkExplanation.objects.bulk_create(explanations, batch_size=1000)
        best = _best_probabilities(explanations)
        run.threshold = result_threshold
        touched = _groups_write(
            run=run, groups=clusters.groups, best=best, together=together, incremental=False, affected=None
        )
        _identity_checks_write(clusters)
        identity_priorities_refresh(identity_ids=touched)
        run.status, run.finished_at, run.progress = RunStatus.FINISHED, clock.now(), "Finished"
        run.records = len(record_ids)
        run.identities = len(clusters.groups)
        run.pairs_kept = result.summary.pairs_kept
        run.pairs_matched = result.summary.pairs_matched
        run.decisions_applied = len(together) + len(apart)
        run.threshold = result_threshold
        run.model = result.model.to_dict()
        run.model_version = (
            f"format {run.model.get('format_version')}, Splink {run.model.get('splink_version')}, {run.model_version}"
        )
        run.save()
        audit_record(
            actor=actor,
            action=AuditAction.COMBINATION,
            object_type="suspects.LinkageRun",
            object_id=run.pk,
            details={
                "what": "full linkage run of suspect records",
                "records": run.records,
                "identities": run.identities,
                "pairs_kept": run.pairs_kept,
                "decisions_applied": run.decisions_applied,
                "conflicts": [list(c) for c in clusters.conflicts],
                "pairs_held": result.summary.pairs_held,
                "identities_for_review": sum(1 for g in clusters.checked if g.review),
                "model": run.model_version,
            },
        )


def _identity_checks_write(clusters: Any) -> None:
    """Store each identity's review reason and weakest link, as the checks of this run found them."""
    identity_of = dict(IdentityMember.objects.values_list("person_id", "identity_id"))
    updates = []
    for group in clusters.checked:
        identity_id = identity_of.get(uuid.UUID(group.members[0]))
        if identity_id is None:
            continue
        updates.append(
            Identity(pk=identity_id, review_reason=(group.review or "")[:300], weakest_link=group.weakest_link)
        )
    Identity.objects.bulk_update(updates, ["review_reason", "weakest_link"], batch_size=500)
