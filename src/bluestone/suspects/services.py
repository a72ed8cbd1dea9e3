"""Writes of the suspects app: linkage runs, review decisions, identities and disruption tactics.

Every write that touches personal data records its s.62 entry in the same transaction. Linkage
results join person records, so storing them is a `combination`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.linkage import (
    DEFAULT_THRESHOLD,
    ClusterPolicy,
    Limits,
    LinkageModel,
    ModelDoesNotFit,
    TrainingConfig,
    link_records,
    score_new_records,
)
from bluestone.suspects.clustering import carry_over, cluster
from bluestone.suspects.models import (
    APART,
    CLOSED_TACTIC_STATUSES,
    TOGETHER,
    DecisionKind,
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    MemberSource,
    ReviewDecision,
    RunKind,
    RunStatus,
    TacticRecord,
    TacticStatus,
    TacticType,
)
from bluestone.suspects.priority import Report, priority_score
from bluestone.suspects.records import records_table, suspect_person_ids

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


def pair(a: uuid.UUID | str, b: uuid.UUID | str) -> tuple[uuid.UUID, uuid.UUID]:
    """The two ids in the order pairs are stored in (by their text)."""
    first, second = sorted((uuid.UUID(str(a)), uuid.UUID(str(b))), key=str)
    return first, second


# --- Linkage runs -------------------------------------------------------------------------------


def linkage_run_queue(*, actor: User | None, kind: str = RunKind.FULL) -> LinkageRun:
    """A run waiting for the worker (the "Run linkage now" button), shown as queued until it starts."""
    if actor is not None and not rules.test_rule("suspects.run_linkage", actor):
        raise PermissionDenied("Only analysts start a linkage run.")
    return LinkageRun.objects.create(kind=kind, started_by=actor, requested_at=clock.now(), created_by=actor)


def _progress_save(run: LinkageRun, text: str) -> None:
    run.progress = text
    run.save(update_fields=["progress", "updated_at"])


def _active_decisions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    together: list[tuple[str, str]] = []
    apart: list[tuple[str, str]] = []
    for a, b, kind in ReviewDecision.objects.filter(superseded_by__isnull=True).values_list(
        "person_a_id", "person_b_id", "kind"
    ):
        if kind in TOGETHER:
            together.append((str(a), str(b)))
        elif kind in APART:
            apart.append((str(a), str(b)))
    return together, apart


def linkage_limits() -> Limits:
    """The work limits of a linkage run, from the settings (BLUESTONE_LINKAGE_*)."""
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
    try:
        return LinkageModel.from_dict(run.model)
    except ValueError:
        logger.warning("The model of linkage run %s is of an older format; a new one will be trained.", run.pk)
        return None


def current_threshold() -> float:
    run = LinkageRun.objects.filter(kind=RunKind.FULL, status=RunStatus.FINISHED).order_by("-finished_at").first()
    return float(run.threshold) if run is not None and run.threshold is not None else DEFAULT_THRESHOLD


def linkage_run_full(
    *,
    actor: User | None,
    run: LinkageRun | None = None,
    progress: Progress | None = None,
    config: TrainingConfig | None = None,
    threshold: float | None = None,
    model: LinkageModel | None = None,
    retrain: bool = False,
) -> LinkageRun:
    """Link every suspect record: score pairs, apply every review decision, check and store it all.

    Train once, score many: the model of the last finished full run is used while it fits the records'
    columns; a new one is trained when there is none, when the columns changed, or when `retrain` is
    asked for. The identities, members and explanations are replaced in one transaction, with one audit
    entry; identities keep their ids where their records carry over. Review decisions are applied
    before the model's pairs (suspects.clustering), so no run undoes a person's decision. On failure the
    run is marked failed with the reason and nothing else changes.
    """
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
        _store_full_run(run=run, actor=actor, result_threshold=result.summary.threshold, result=result)
    except Exception as error:
        logger.exception("Linkage run %s failed", run.pk)
        run.status, run.finished_at = RunStatus.FAILED, clock.now()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.progress = "Failed"
        run.save(update_fields=["status", "finished_at", "error", "progress", "updated_at"])
        raise
    return run


def _weights(row: dict[str, Any]) -> dict[str, float]:
    return {
        ("prior" if key == "mw_prior" else key.removeprefix("mw_")): round(float(value or 0.0), 4)
        for key, value in row.items()
        if key.startswith("mw_")
    }


# The standardised values shown beside each comparison (bluestone.linkage.pipeline.EXPLAINED_VALUES).
_DETAIL_VALUES = {
    "first_name": ("first_name",),
    "middle_names": ("middle_names",),
    "last_name": ("last_name",),
    "date_of_birth": ("dob",),
    "gender": ("gender",),
    "residence": ("address", "postcode"),
    "phone": ("phone",),
    "email": ("email",),
    "identifier": ("identifier",),
}


def _details(row: dict[str, Any], *, flipped: bool) -> dict[str, dict[str, str]]:
    """Per comparison, the level reached and the values compared, `a` being the record stored as person_a."""
    details: dict[str, dict[str, str]] = {}
    for name, columns in _DETAIL_VALUES.items():
        level = row.get(f"level_{name}")
        if level is None:
            continue
        left = " / ".join(str(row.get(f"{c}_l") or "") for c in columns if f"{c}_l" in row).strip(" /")
        right = " / ".join(str(row.get(f"{c}_r") or "") for c in columns if f"{c}_r" in row).strip(" /")
        a, b = (right, left) if flipped else (left, right)
        details[name] = {"level": str(level), "a": a, "b": b}
    return details


def _explanation(run: LinkageRun, row: dict[str, Any]) -> LinkExplanation:
    a, b = pair(row["record_id_l"], row["record_id_r"])
    return LinkExplanation(
        run=run,
        person_a_id=a,
        person_b_id=b,
        match_probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        weights=_weights(row),
        match_key=str(row.get("match_key") or ""),
        match_rule=str(row.get("match_rule") or "")[:200],
        held_reason=str(row.get("held_reason") or "")[:300],
        details=_details(row, flipped=str(a) != str(row["record_id_l"])),
        current=True,
    )


def _store_full_run(*, run: LinkageRun, actor: User | None, result_threshold: float, result: Any) -> None:
    predictions = result.predictions.to_pylist()
    records = [str(r) for r in result.identities.column("record_id").to_pylist()]
    with transaction.atomic():
        together, apart = _active_decisions()
        clusters = cluster(
            records=records,
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
        run.records = len(records)
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


def _best_probabilities(explanations: Iterable[LinkExplanation]) -> dict[tuple[str, str], float]:
    return {(str(e.person_a_id), str(e.person_b_id)): e.match_probability for e in explanations}


def _groups_write(
    *,
    run: LinkageRun,
    groups: list[list[str]],
    best: dict[tuple[str, str], float],
    together: list[tuple[str, str]],
    incremental: bool,
    affected: set[str] | None,
) -> set[uuid.UUID]:
    """Replace the identities of `affected` records (all records when None) by `groups`.

    Returns the ids of the identities written or retired, for their priorities to be refreshed.
    """
    members = IdentityMember.objects.all()
    if affected is not None:
        members = members.filter(person_id__in=list(affected))
    old_identity_of = {str(p): str(i) for p, i in members.values_list("person_id", "identity_id")}
    old_identities = set(old_identity_of.values())
    members.delete()
    chosen = carry_over(new_groups=groups, old_identity_of=old_identity_of)
    bound = {frozenset(p) for p in together}
    now = clock.now()
    touched: set[uuid.UUID] = set()
    new_members: list[IdentityMember] = []
    threshold = run_threshold(run)
    kept_ids = [uuid.UUID(k) for k in chosen if k is not None]
    Identity.objects.filter(pk__in=kept_ids).update(active=True, last_run=run, updated_at=now)
    created = Identity.objects.bulk_create(
        [Identity(first_run=run, last_run=run) for keep in chosen if keep is None], batch_size=1000
    )
    fresh = iter(created)
    for group, keep in zip(groups, chosen, strict=True):
        identity_id = uuid.UUID(keep) if keep is not None else next(fresh).pk
        touched.add(identity_id)
        for record in group:
            probabilities = [best.get(tuple(sorted((record, other))), 0.0) for other in group if other != record]  # type: ignore[arg-type]
            top = max(probabilities, default=0.0)
            by_decision = any(frozenset((record, other)) in bound for other in group if other != record)
            source = MemberSource.INCREMENTAL if incremental else MemberSource.LINKAGE
            if top < threshold and by_decision:
                source = MemberSource.DECISION
            new_members.append(
                IdentityMember(
                    identity_id=identity_id,
                    person_id=uuid.UUID(record),
                    run=run,
                    match_probability=top or None,
                    source=source,
                    created_at=now,
                )
            )
    IdentityMember.objects.bulk_create(new_members, batch_size=1000)
    kept = {str(k) for k in touched}
    if affected is None:
        # A full run: every identity it did not write is retired.
        retiring = Identity.objects.filter(active=True).exclude(pk__in=list(touched))
    else:
        retiring = Identity.objects.filter(pk__in=[uuid.UUID(i) for i in old_identities - kept])
    retiring.update(active=False, record_count=0, report_count=0, priority=0)
    return touched


def run_threshold(run: LinkageRun) -> float:
    return float(run.threshold) if run.threshold is not None else current_threshold()


# --- Priority -----------------------------------------------------------------------------------


def _victim_key(person: PersonRecord) -> str:
    # The same victim on two reports has two records; where name and date of birth agree exactly they
    # count once. Otherwise each record counts (victims are not linked: see suspects.records).
    if person.date_of_birth and (person.first_name or person.last_name):
        return f"{person.first_name.strip().lower()}|{person.last_name.strip().lower()}|{person.date_of_birth}"
    return str(person.pk)


def identity_reports(identity_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[tuple[Any, Report]]]:
    """Each identity's reports (the case and what the score reads of it), from three queries."""
    member_rows = list(
        IdentityMember.objects.filter(identity_id__in=list(identity_ids)).values_list("identity_id", "person_id")
    )
    person_identity = {person: identity for identity, person in member_rows}
    involvements = list(
        Involvement.objects.filter(person_id__in=list(person_identity), role=Role.SUSPECT, case__restricted=False)
        .select_related("case", "case__offence_class")
        .order_by("case__reported_at")
    )
    case_ids = {i.case_id for i in involvements}
    victims: dict[uuid.UUID, set[str]] = {}
    for victim in Involvement.objects.filter(case_id__in=case_ids, role=Role.VICTIM).select_related("person"):
        victims.setdefault(victim.case_id, set()).add(_victim_key(victim.person))
    reports: dict[uuid.UUID, list[tuple[Any, Report]]] = {}
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for involvement in involvements:
        identity = person_identity[involvement.person_id]
        if (identity, involvement.case_id) in seen:
            continue
        seen.add((identity, involvement.case_id))
        case = involvement.case
        reports.setdefault(identity, []).append(
            (
                case,
                Report(
                    reported_on=case.reported_at.date(),
                    harm_weight=float(case.offence_class.harm_weight),
                    child_victim=case.offence_class.child_victim,
                    victims=frozenset(victims.get(case.pk, set())),
                ),
            )
        )
    return reports


def identity_priorities_refresh(*, identity_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the stored counts and priority score of these identities (no personal data changes)."""
    ids = list(identity_ids)
    max_harm = float(OffenceClass.objects.aggregate(top=Max("harm_weight"))["top"] or 1)
    today = clock.today()
    by_identity = identity_reports(ids)
    member_counts: dict[uuid.UUID, int] = {}
    for identity_id in IdentityMember.objects.filter(identity_id__in=ids).values_list("identity_id", flat=True):
        member_counts[identity_id] = member_counts.get(identity_id, 0) + 1
    identities = list(Identity.objects.filter(pk__in=ids))
    now = clock.now()
    for identity in identities:
        reports = [report for _case, report in by_identity.get(identity.pk, [])]
        score = priority_score(reports=reports, max_harm_weight=max_harm, today=today)
        identity.record_count = member_counts.get(identity.pk, 0)
        identity.report_count = len(reports)
        identity.priority = score.score
        identity.priority_parts = score.parts
        latest = [case.reported_at for case, _report in by_identity.get(identity.pk, [])]
        identity.latest_report_at = max(latest) if latest else None
        identity.updated_at = now
        if identity.record_count < 2:  # noqa: PLR2004
            identity.active = False
    Identity.objects.bulk_update(
        identities,
        ["record_count", "report_count", "priority", "priority_parts", "latest_report_at", "active", "updated_at"],
        batch_size=500,
    )


def priorities_refresh_all() -> int:
    """Recompute every active identity's priority (recency changes with time: run it daily, after a run)."""
    ids = list(Identity.objects.filter(active=True).values_list("pk", flat=True))
    with transaction.atomic():
        identity_priorities_refresh(identity_ids=ids)
    return len(ids)


# --- Incremental scoring ------------------------------------------------------------------------


def linkage_score_people(
    *, person_ids: Iterable[uuid.UUID], actor: User | None = None, case_id: uuid.UUID | None = None
) -> LinkageRun | None:
    """Score a case's new or edited suspect records against the identities already known.

    Uses the model of the last full run. A record joins the identity it matches best (or, with a
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
    new_ids = [
        pid for pid in suspect_person_ids(only=person_ids) if not IdentityMember.objects.filter(person_id=pid).exists()
    ]
    if not new_ids:
        return None
    model = LinkageModel.from_dict(full.model)
    existing_ids = [pid for pid in suspect_person_ids() if pid not in set(new_ids)]
    if not existing_ids:
        return None
    identity_of = {str(p): str(i) for p, i in IdentityMember.objects.values_list("person_id", "identity_id")}
    identities = {
        "record_id": [str(p) for p in existing_ids],
        "identity_id": [identity_of.get(str(p), str(p)) for p in existing_ids],
    }
    import pyarrow as pa  # noqa: PLC0415 (only this path needs it at call time)

    result = score_new_records(records_table(new_ids), records_table(existing_ids), pa.table(identities), model)
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


# --- Review decisions, merge and split ----------------------------------------------------------


def _check_suspects(*people: PersonRecord) -> None:
    suspects = set(Involvement.objects.filter(person__in=people, role=Role.SUSPECT).values_list("person_id", flat=True))
    if any(p.pk not in suspects for p in people):
        raise ValidationError("Only suspect records are linked. Choose two suspect records.")


def link_decision_record(
    *,
    actor: User,
    person_a: PersonRecord,
    person_b: PersonRecord,
    kind: str,
    reason: str = "",
    explanation: LinkExplanation | None = None,
    only_if_undecided: bool = False,
    request: HttpRequest | None = None,
) -> ReviewDecision:
    """Record a person's decision on two suspect records and apply it to the identities now.

    Confirm and merge keep the two together in every later run; reject and split keep them apart.
    A decision on a pair that already has one supersedes it explicitly; nothing is deleted.
    `only_if_undecided` (link review, where the pair was shown as waiting for a decision) refuses
    instead when a confirm or reject is already in force, as when two reviewers decide at once.
    """
    if not rules.test_rule("suspects.review_links", actor):
        raise PermissionDenied("Only analysts and supervisors review links.")
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": "Choose confirm, reject or not sure."})
    if person_a.pk == person_b.pk:
        raise ValidationError("A record is always the same person as itself: choose two different records.")
    _check_suspects(person_a, person_b)
    a, b = pair(person_a.pk, person_b.pk)
    with transaction.atomic():
        # The pair's two records, locked in a fixed order: decisions on one pair are made one at a
        # time, even when the pair has no decision yet to lock.
        list(PersonRecord.objects.select_for_update().filter(pk__in=[a, b]).order_by("pk").values_list("pk"))
        previous = list(
            ReviewDecision.objects.filter(person_a=a, person_b=b, superseded_by__isnull=True).select_related(
                "decided_by"
            )
        )
        binding = [p for p in previous if p.kind in TOGETHER or p.kind in APART]
        if only_if_undecided and binding:
            who = binding[0].decided_by
            raise ValidationError(
                f"This link has already been decided: {binding[0].get_kind_display().lower()}"
                f"{f' (by {who.get_full_name() or who.username})' if who else ''}. Nothing was changed."
            )
        now = clock.now()
        decision = ReviewDecision.objects.create(
            kind=kind,
            person_a_id=a,
            person_b_id=b,
            explanation=explanation,
            match_probability=explanation.match_probability if explanation else None,
            decided_by=actor,
            decided_at=now,
            reason=reason.strip(),
            created_by=actor,
        )
        ReviewDecision.objects.filter(pk__in=[p.pk for p in previous]).update(superseded_by=decision, superseded_at=now)
        audit_record(
            actor=actor,
            action=AuditAction.COMBINATION if kind in TOGETHER else AuditAction.ALTERATION,
            request=request,
            person=a,
            object_type="suspects.ReviewDecision",
            object_id=decision.pk,
            details={
                "kind": kind,
                "person_ids": [str(a), str(b)],
                "supersedes": [str(p.pk) for p in previous],
                "reason": decision.reason,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.COMBINATION if kind in TOGETHER else AuditAction.ALTERATION,
            request=request,
            person=b,
            object_type="suspects.ReviewDecision",
            object_id=decision.pk,
            details={"kind": kind, "person_ids": [str(a), str(b)]},
        )
        if kind in TOGETHER or kind in APART or previous:
            _recluster(seed={str(a), str(b)})
    return decision


def _recluster(*, seed: set[str]) -> set[uuid.UUID]:
    """Apply the decisions now to the identities of `seed` records, as the next full run will."""
    identity_ids = set(IdentityMember.objects.filter(person_id__in=list(seed)).values_list("identity_id", flat=True))
    affected = set(seed) | {
        str(p) for p in IdentityMember.objects.filter(identity_id__in=identity_ids).values_list("person_id", flat=True)
    }
    # Must-links reach further: a confirmed partner of an affected record comes along.
    together, apart = _active_decisions()
    grew = True
    while grew:
        grew = False
        for a, b in together:
            if (a in affected) != (b in affected):
                affected |= {a, b}
                grew = True
    affected_ids = [uuid.UUID(a) for a in affected]
    explanations = LinkExplanation.objects.filter(
        current=True, person_a_id__in=affected_ids, person_b_id__in=affected_ids
    )
    pairs = [
        (str(a), str(b), p) for a, b, p in explanations.values_list("person_a_id", "person_b_id", "match_probability")
    ]
    clusters = cluster(
        records=affected,
        pairs=pairs,
        threshold=current_threshold(),
        must_link=[p for p in together if p[0] in affected and p[1] in affected],
        cannot_link=[p for p in apart if p[0] in affected and p[1] in affected],
    )
    run = LinkageRun.objects.filter(status=RunStatus.FINISHED).order_by(
        "-finished_at"
    ).first() or LinkageRun.objects.create(
        kind=RunKind.INCREMENTAL, requested_at=clock.now(), status=RunStatus.FINISHED, finished_at=clock.now()
    )
    best = {(a, b): p for a, b, p in pairs}
    touched = _groups_write(
        run=run, groups=clusters.groups, best=best, together=together, incremental=False, affected=affected
    )
    touched |= identity_ids
    identity_priorities_refresh(identity_ids=touched)
    return touched


def identity_split(
    *, actor: User, identity: Identity, move: list[PersonRecord], reason: str, request: HttpRequest | None = None
) -> list[ReviewDecision]:
    """Take records out of an identity: a cannot-link decision between each moved and each remaining record."""
    members = list(PersonRecord.objects.filter(identity_member__identity=identity))
    moving = {p.pk for p in move}
    if not moving or not moving <= {p.pk for p in members}:
        raise ValidationError({"move": "Choose the records to take out of this identity."})
    staying = [p for p in members if p.pk not in moving]
    if not staying:
        raise ValidationError({"move": "Leave at least one record in the identity."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why these records are not the same person."})
    decisions = []
    with transaction.atomic():
        for moved in move:
            for stay in staying:
                decisions.append(
                    link_decision_record(
                        actor=actor,
                        person_a=moved,
                        person_b=stay,
                        kind=DecisionKind.CANNOT_LINK,
                        reason=reason,
                        request=request,
                    )
                )
    return decisions


def identity_merge(
    *, actor: User, identity: Identity, other: Identity, reason: str, request: HttpRequest | None = None
) -> ReviewDecision:
    """Join two identities: a must-link decision between one record of each."""
    if identity.pk == other.pk:
        raise ValidationError({"other": "Choose a different identity to merge with."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why these are the same person."})
    first = PersonRecord.objects.filter(identity_member__identity=identity).order_by("id").first()
    second = PersonRecord.objects.filter(identity_member__identity=other).order_by("id").first()
    if first is None or second is None:
        raise ValidationError({"other": "One of the identities has no records left: run linkage again."})
    return link_decision_record(
        actor=actor, person_a=first, person_b=second, kind=DecisionKind.MUST_LINK, reason=reason, request=request
    )


# --- Disruption tactics -------------------------------------------------------------------------


def _tactic_check(
    *, status: str, status_on: dt.date, starts_on: dt.date | None, ends_on: dt.date | None, review_on: dt.date | None
) -> None:
    errors: dict[str, str] = {}
    if status not in TacticStatus.values:
        errors["status"] = "Choose the tactic's status."
    if status_on > clock.today():
        errors["status_on"] = "The date of the status must be today or in the past."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date."
    if review_on is None and status not in CLOSED_TACTIC_STATUSES:
        errors["review_on"] = "Enter a review date: every tactic in force or being considered is reviewed."
    if errors:
        raise ValidationError(errors)


def tactic_record_create(
    *,
    actor: User,
    identity: Identity,
    tactic: TacticType,
    status: str,
    status_on: dt.date,
    owner: User,
    review_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> TacticRecord:
    if not rules.test_rule("suspects.manage_tactics", actor):
        raise PermissionDenied("Only analysts and supervisors record disruption tactics.")
    _tactic_check(status=status, status_on=status_on, starts_on=starts_on, ends_on=ends_on, review_on=review_on)
    with transaction.atomic():
        record = TacticRecord.objects.create(
            identity=identity,
            tactic=tactic,
            status=status,
            status_on=status_on,
            starts_on=starts_on,
            ends_on=ends_on,
            owner=owner,
            review_on=review_on,
            notes=notes.strip(),
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="suspects.TacticRecord",
            object_id=record.pk,
            details={"identity": str(identity.pk), "tactic": tactic.pk, "status": status},
        )
    return record


def tactic_record_update(
    *,
    actor: User,
    record: TacticRecord,
    status: str,
    status_on: dt.date,
    review_on: dt.date | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> TacticRecord:
    if not rules.test_rule("suspects.manage_tactics", actor):
        raise PermissionDenied("Only analysts and supervisors record disruption tactics.")
    _tactic_check(
        status=status, status_on=status_on, starts_on=record.starts_on, ends_on=record.ends_on, review_on=review_on
    )
    changed = [
        name
        for name, value in (("status", status), ("status_on", status_on), ("review_on", review_on))
        if getattr(record, name) != value
    ]
    with transaction.atomic():
        record.status, record.status_on, record.review_on = status, status_on, review_on
        if notes.strip():
            record.notes = f"{record.notes}\n{notes.strip()}".strip()
            changed.append("notes")
        record.updated_by = actor
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="suspects.TacticRecord",
            object_id=record.pk,
            details={"identity": str(record.identity_id), "fields": changed},
        )
    return record


def overdue_tactics() -> Q:
    return Q(review_on__lt=clock.today()) & ~Q(status__in=CLOSED_TACTIC_STATUSES)
