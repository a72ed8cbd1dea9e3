"""The repeat-suspect register's priority: each identity's reports and its score."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from bluestone.cases.models import Involvement, PersonRecord, Role
from bluestone.core import clock
from bluestone.core.models import OffenceClass
from bluestone.suspects.models import Identity, IdentityMember
from bluestone.suspects.priority import Report, priority_score


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
