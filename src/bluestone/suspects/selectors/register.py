"""The repeat-suspect register: identities in priority order, their scores' parts, the latest runs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bluestone.accounts.models import User
from bluestone.suspects.models import Identity, LinkageRun, RunKind, TacticRecord
from bluestone.suspects.priority import PART_LABELS, priority_weights
from bluestone.suspects.selectors._common import _require, identity_label
from bluestone.suspects.services import overdue_tactics


def register_identities(*, user: User) -> QuerySet[Identity]:
    """Identities that are suspects in two or more reports, highest priority first."""
    _require(user, "suspects.view_register", "The repeat-suspect register is for analysts and supervisors.")
    return Identity.objects.filter(active=True, report_count__gte=2).order_by("-priority", "id")


@dataclass(frozen=True)
class RegisterRow:
    identity: Identity
    label: str
    parts: list[dict[str, Any]]
    overdue_tactics: int
    tactics: int


def register_rows(*, user: User, identities: Iterable[Identity]) -> list[RegisterRow]:
    page = list(identities)
    tactic_counts: dict[uuid.UUID, list[int]] = {}
    for identity_id in TacticRecord.objects.filter(identity__in=page).values_list("identity_id", flat=True):
        tactic_counts.setdefault(identity_id, [0, 0])[0] += 1
    overdue_ids = TacticRecord.objects.filter(overdue_tactics(), identity__in=page).values_list(
        "identity_id", flat=True
    )
    for identity_id in overdue_ids:
        tactic_counts.setdefault(identity_id, [0, 0])[1] += 1
    return [
        RegisterRow(
            identity=identity,
            label=identity_label(identity.pk),
            parts=priority_parts(identity),
            tactics=tactic_counts.get(identity.pk, [0, 0])[0],
            overdue_tactics=tactic_counts.get(identity.pk, [0, 0])[1],
        )
        for identity in page
    ]


def priority_parts(identity: Identity) -> list[dict[str, Any]]:
    weights = priority_weights()
    stored = identity.priority_parts or {}
    return [
        {
            "key": key,
            "label": PART_LABELS[key],
            "points": float(stored.get(key, {}).get("points", 0.0)),
            "value": float(stored.get(key, {}).get("value", 0.0)),
            "weight": weights[key],
        }
        for key in weights
    ]


def latest_runs(*, user: User) -> list[LinkageRun]:
    _require(user, "suspects.view_register", "Linkage runs are shown to analysts and supervisors.")
    return list(LinkageRun.objects.filter(kind=RunKind.FULL).select_related("started_by").order_by("-requested_at")[:5])
