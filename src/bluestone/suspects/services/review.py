"""A reviewer's decisions on links (together or apart), and merging and splitting identities."""

from __future__ import annotations

import uuid

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core import clock
from bluestone.suspects.clustering import cluster
from bluestone.suspects.models import (
    APART,
    TOGETHER,
    DecisionKind,
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    ReviewDecision,
    RunKind,
    RunStatus,
)
from bluestone.suspects.services._common import _active_decisions, _groups_write, current_threshold, pair
from bluestone.suspects.services.priorities import identity_priorities_refresh


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
