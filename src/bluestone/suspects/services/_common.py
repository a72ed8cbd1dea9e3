"""What several of the suspects services share: the order a pair is stored in, the review decisions in
force, the threshold of a run, a link's explanation, and writing records into identities.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from bluestone.core import clock
from bluestone.linkage import DEFAULT_THRESHOLD
from bluestone.suspects.clustering import carry_over
from bluestone.suspects.models import (
    APART,
    TOGETHER,
    Identity,
    IdentityMember,
    LinkageRun,
    LinkExplanation,
    MemberSource,
    ReviewDecision,
    RunKind,
    RunStatus,
)


def pair(a: uuid.UUID | str, b: uuid.UUID | str) -> tuple[uuid.UUID, uuid.UUID]:
    """The two ids in the order pairs are stored in (by their text)."""
    first, second = sorted((uuid.UUID(str(a)), uuid.UUID(str(b))), key=str)
    return first, second


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


def current_threshold() -> float:
    run = LinkageRun.objects.filter(kind=RunKind.FULL, status=RunStatus.FINISHED).order_by("-finished_at").first()
    return float(run.threshold) if run is not None and run.threshold is not None else DEFAULT_THRESHOLD


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
