"""The repeat-suspect register: identities in priority order, their scores' parts, the latest runs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from bluestone.accounts.models import User
from bluestone.cases.models import Involvement, Role
from bluestone.suspects.models import Identity, IdentityMember, LinkageRun, RunKind, TacticRecord
from bluestone.suspects.priority import PART_LABELS, priority_weights
from bluestone.suspects.selectors._common import _require, identity_label
from bluestone.suspects.services import overdue_tactics

# Priority bands, as shares of the highest score the weights allow (100 with the default weights):
# high from 60%, medium from 30%, low below.
PRIORITY_BANDS: dict[str, tuple[str, float, float]] = {
    "high": ("High (60 and over)", 0.6, 1.01),
    "medium": ("Medium (30 to 59.9)", 0.3, 0.6),
    "low": ("Low (under 30)", 0.0, 0.3),
}
# The tactics filter: any tactic recorded, none recorded, or one tactic type by its code.
TACTICS_ANY = "any"
TACTICS_NONE = "none"


@dataclass(frozen=True)
class RegisterFilters:
    """What the register shows; every field has already been validated."""

    band: str = ""
    tactics: str = ""
    team_id: int | None = None


def register_identities(*, user: User, filters: RegisterFilters | None = None) -> QuerySet[Identity]:
    """Identities that are suspects in two or more reports, highest priority first, filtered by
    priority band, disruption tactics and the team whose reports they are a suspect in."""
    _require(user, "suspects.view_register", "The repeat-suspect register is for analysts and supervisors.")
    identities = Identity.objects.filter(active=True, report_count__gte=2)
    filters = filters or RegisterFilters()
    if filters.band:
        _label, low, high = PRIORITY_BANDS[filters.band]
        top = sum(priority_weights().values())
        identities = identities.filter(priority__gte=low * top, priority__lt=high * top)
    if filters.tactics == TACTICS_ANY:
        identities = identities.filter(Exists(TacticRecord.objects.filter(identity=OuterRef("pk"))))
    elif filters.tactics == TACTICS_NONE:
        identities = identities.filter(~Exists(TacticRecord.objects.filter(identity=OuterRef("pk"))))
    elif filters.tactics:
        identities = identities.filter(
            Exists(TacticRecord.objects.filter(identity=OuterRef("pk"), tactic_id=filters.tactics))
        )
    if filters.team_id is not None:
        # A suspect on an unrestricted report of the team: a restricted report never shows through here.
        on_team_report = Involvement.objects.filter(
            role=Role.SUSPECT, case__team_id=filters.team_id, case__restricted=False
        ).values("person_id")
        members = IdentityMember.objects.filter(identity=OuterRef("pk"), person_id__in=on_team_report)
        identities = identities.filter(Exists(members))
    return identities.order_by("-priority", "id")


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
