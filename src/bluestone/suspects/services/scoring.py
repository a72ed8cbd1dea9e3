"""Incremental scoring: new suspect records scored against the last full run's model and attached to
an identity, or left on their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.suspects.models import (
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    MemberSource,
    RunKind,
    RunStatus,
    StoredRecord,
)
from bluestone.suspects.records import records_table, suspect_person_ids
from bluestone.suspects.services._common import _active_decisions, _best_probabilities, _explanation, run_threshold
from bluestone.suspects.services.priorities import identity_priorities_refresh
from bluestone.suspects.services.store import store_candidates, store_refresh


def linkage_score_people(
    *, person_ids: Iterable[uuid.UUID], actor: User | None = None, case_id: uuid.UUID | None = None
) -> LinkageRun | None:
    """Score a case's new or edited suspect records against the identities already known.

    Uses the model of the last full run. The linkage store is brought up to date for these records
    (services.store), and each new record is scored only against the stored records sharing a blocking
    key with it. A record joins the identity it matches best (or, with a
    record not yet in an identity, forms a new one), unless a review decision keeps it apart from a
    member. Records already in an identity stay where they are until the next full run. Returns the
    run, or None when there is nothing to score or no model yet (the next full run includes them).
    """
    full = (
        LinkageRun.objects.filter(kind=RunKind.FULL, status=RunStatus.FINISHED, model__isnull=False)
        .order_by("-finished_at")
        .first()
    )
    if full is None or full.model is None:
        return None
    from bluestone.linkage import LinkageModel, score_against_candidates, standardise  # noqa: PLC0415  (loads Splink: see bluestone.linkage)

    model = LinkageModel.from_dict(full.model)
    wanted = list(person_ids)
    # The store first: an edited record's keys change even when it stays in its identity.
    store_refresh(person_ids=wanted, model=model)
    new_ids = [
        pid for pid in suspect_person_ids(only=wanted) if not IdentityMember.objects.filter(person_id=pid).exists()
    ]
    if not new_ids:
        return None
    if not StoredRecord.objects.exclude(person_id__in=new_ids).exists():
        return None
    new_table, _ = standardise(records_table(new_ids))
    candidates, term_counts = store_candidates(new_table, model)
    candidate_ids = [uuid.UUID(str(v)) for v in candidates.column("unique_id").to_pylist()]
    identity_of = {
        str(p): str(i)
        for p, i in IdentityMember.objects.filter(person_id__in=candidate_ids).values_list("person_id", "identity_id")
    }
    result = score_against_candidates(new_table, candidates, term_counts, identity_of, model)
    threshold = run_threshold(full)
    now = clock.now()
    with transaction.atomic():
        run = LinkageRun.objects.create(
            kind=RunKind.INCREMENTAL,
            started_by=actor,
            requested_at=now,
            started_at=now,
            status=RunStatus.RUNNING,
            threshold=threshold,
            model_version=full.model_version,
            records=len(new_ids),
            created_by=actor,
        )
        # Scoring the same records again (an edited case, a task run twice) replaces their explanations.
        earlier = LinkExplanation.objects.filter(current=True).filter(
            Q(person_a_id__in=new_ids) | Q(person_b_id__in=new_ids)
        )
        earlier.update(current=False)
        LinkExplanation.objects.filter(current=False, decisions__isnull=True).filter(
            Q(person_a_id__in=new_ids) | Q(person_b_id__in=new_ids)
        ).delete()
        explanations = [_explanation(run, row) for row in result.predictions.to_pylist()]
        LinkExplanation.objects.bulk_create(explanations)
        _, apart = _active_decisions()
        apart_of: dict[str, set[str]] = {}
        for a, b in apart:
            apart_of.setdefault(a, set()).add(b)
            apart_of.setdefault(b, set()).add(a)
        touched: set[uuid.UUID] = set()
        groups: dict[str, list[str]] = {}
        for row in result.assignments.to_pylist():
            groups.setdefault(str(row["identity_id"]), []).append(str(row["record_id"]))
        best = _best_probabilities(explanations)
        for target, records in groups.items():
            touched |= _attach(run=run, target=target, records=records, best=best, apart_of=apart_of)
        identity_priorities_refresh(identity_ids=touched)
        run.status, run.finished_at, run.progress = RunStatus.FINISHED, clock.now(), "Finished"
        run.identities, run.pairs_kept = len(touched), len(explanations)
        run.save()
        audit_record(
            actor=actor,
            action=AuditAction.COMBINATION,
            case=case_id,
            object_type="suspects.LinkageRun",
            object_id=run.pk,
            details={
                "what": "new suspect records scored against known identities",
                "person_ids": [str(p) for p in new_ids],
                "identities": [str(i) for i in sorted(touched, key=str)],
            },
        )
    return run


def _attach(
    *,
    run: LinkageRun,
    target: str,
    records: list[str],
    best: dict[tuple[str, str], float],
    apart_of: dict[str, set[str]],
) -> set[uuid.UUID]:
    target_id = _as_uuid(target)
    identity = Identity.objects.filter(pk=target_id).first() if target_id is not None else None
    if identity is not None:
        current = {str(p) for p in identity.members.values_list("person_id", flat=True)}
    elif target in records:
        current = set()  # a new identity of new records only
    else:
        current = {target}  # an existing record that was in no identity yet
    joining = [r for r in records if not (apart_of.get(r, set()) & (current | set(records)) - {r})]
    if len(current) + len(joining) < 2 or not joining:  # noqa: PLR2004
        return set()
    if identity is None:
        identity = Identity.objects.create(first_run=run, last_run=run)
        for record in current:
            IdentityMember.objects.create(
                identity=identity,
                person_id=uuid.UUID(record),
                run=run,
                match_probability=max((best.get(tuple(sorted((record, r))), 0.0) for r in joining), default=None),  # type: ignore[arg-type]
                source=MemberSource.INCREMENTAL,
            )
    else:
        identity.active, identity.last_run = True, run
        identity.save(update_fields=["active", "last_run", "updated_at"])
    everyone = current | set(joining)
    for record in joining:
        top = max((best.get(tuple(sorted((record, o))), 0.0) for o in everyone if o != record), default=0.0)  # type: ignore[arg-type]
        IdentityMember.objects.create(
            identity=identity,
            person_id=uuid.UUID(record),
            run=run,
            match_probability=top or None,
            source=MemberSource.INCREMENTAL,
        )
    return {identity.pk}


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
