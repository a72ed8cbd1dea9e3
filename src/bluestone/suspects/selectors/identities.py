"""One identity: its records as the user may see them, its timeline and the links that join it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from bluestone.accounts.models import User
from bluestone.cases.models import Involvement, Role
from bluestone.core import clock
from bluestone.core.pseudonyms import person_pseudonym
from bluestone.suspects.models import Identity, IdentityMember, LinkExplanation, ReviewDecision, TacticRecord
from bluestone.suspects.selectors._common import _require, identity_label
from bluestone.suspects.selectors.explanations import visible_values, weight_rows
from bluestone.suspects.selectors.records import RecordView, records_for
from bluestone.suspects.selectors.register import priority_parts
from bluestone.suspects.services import identity_reports


@dataclass(frozen=True)
class TimelineEntry:
    record: RecordView
    victims: list[str]  # pseudonyms
    child_victim: bool


@dataclass(frozen=True)
class ExplainedPair:
    explanation: LinkExplanation
    a: RecordView | None
    b: RecordView | None
    rows: list[dict[str, Any]]
    decision: ReviewDecision | None


@dataclass
class IdentityDetail:
    identity: Identity
    label: str
    timeline: list[TimelineEntry]
    distinct_victims: int
    child_victim_reports: int
    open_investigations: int
    links: list[ExplainedPair]
    decisions: list[ReviewDecision]
    decision_views: dict[uuid.UUID, str]
    tactics: list[TacticRecord]
    parts: list[dict[str, Any]]
    person_ids: list[str] = field(default_factory=list)
    today: dt.date = field(default_factory=clock.today)


def identity_get(*, user: User, pk: uuid.UUID) -> IdentityDetail:
    """One identity with its reports, victims (pseudonymised), links, decisions and tactics.

    Raises Identity.DoesNotExist when there is none, or when none of its records is on a case the
    user may be told about."""
    _require(user, "suspects.view_register", "Identity pages are for analysts and supervisors.")
    identity = Identity.objects.get(pk=pk)
    member_ids = list(IdentityMember.objects.filter(identity=identity).values_list("person_id", flat=True))
    views = records_for(user, member_ids)
    if not views:
        raise Identity.DoesNotExist
    reports = identity_reports([identity.pk]).get(identity.pk, [])
    victims_by_case: dict[uuid.UUID, list[str]] = {}
    for victim in Involvement.objects.filter(case_id__in=[c.pk for c, _r in reports], role=Role.VICTIM):
        victims_by_case.setdefault(victim.case_id, []).append(person_pseudonym(victim.person_id))
    case_child = {case.pk: report.child_victim for case, report in reports}
    distinct = len(frozenset().union(*(r.victims for _c, r in reports))) if reports else 0
    timeline = sorted(
        (
            TimelineEntry(
                record=view,
                victims=sorted(victims_by_case.get(view.case_id, [])) if view.case_id else [],
                child_victim=case_child.get(view.case_id, False) if view.case_id else False,
            )
            for view in views.values()
        ),
        key=lambda entry: entry.record.reported_at or clock.now(),
    )
    explanations = list(
        LinkExplanation.objects.filter(current=True)
        .filter(Q(person_a_id__in=member_ids) | Q(person_b_id__in=member_ids))
        .order_by("-match_probability")[:50]
    )
    others = {e.person_a_id for e in explanations} | {e.person_b_id for e in explanations}
    all_views = views | records_for(user, others - set(views))
    decisions = list(
        ReviewDecision.objects.filter(Q(person_a_id__in=member_ids) | Q(person_b_id__in=member_ids))
        .select_related("decided_by", "superseded_by")
        .order_by("-decided_at")
    )
    active = {(d.person_a_id, d.person_b_id): d for d in decisions if d.superseded_by_id is None}
    decision_views = {
        d.pk: " and ".join(_short(all_views.get(p)) for p in (d.person_a_id, d.person_b_id)) for d in decisions
    }
    links = [
        ExplainedPair(
            explanation=e,
            a=all_views.get(e.person_a_id),
            b=all_views.get(e.person_b_id),
            rows=weight_rows(
                e.weights, e.details, visible_values(all_views.get(e.person_a_id), all_views.get(e.person_b_id))
            ),
            decision=active.get((e.person_a_id, e.person_b_id)),
        )
        for e in explanations
        if e.person_a_id in all_views and e.person_b_id in all_views
    ]
    tactics = list(
        TacticRecord.objects.filter(identity=identity).select_related("tactic", "owner").order_by("review_on")
    )
    return IdentityDetail(
        identity=identity,
        label=identity_label(identity.pk),
        timeline=timeline,
        distinct_victims=distinct,
        child_victim_reports=sum(1 for _c, r in reports if r.child_victim),
        open_investigations=sum(1 for v in views.values() if v.open_investigation),
        links=links,
        decisions=decisions,
        decision_views=decision_views,
        tactics=tactics,
        parts=priority_parts(identity),
        # Every record the page shows: the identity's own, and those it has links or decisions with.
        person_ids=[str(p) for p in views]
        + sorted(
            (
                {str(v.person_id) for link in links for v in (link.a, link.b) if v is not None}
                | {str(p) for d in decisions for p in (d.person_a_id, d.person_b_id) if p in all_views}
            )
            - {str(p) for p in views}
        ),
    )


def _short(view: RecordView | None) -> str:
    if view is None:
        return "a record you cannot see"
    return f"{view.name or view.pseudonym} ({view.case_label})"
