"""Why two records were linked: the weight of each comparison, and the pairs waiting for review."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from bluestone.accounts.models import User
from bluestone.suspects.models import APART, TOGETHER, IdentityMember, LinkExplanation, ReviewDecision
from bluestone.suspects.selectors._common import _require
from bluestone.suspects.selectors.records import RecordView, records_for
from bluestone.suspects.services import current_threshold

# Proposed links a person reviews: scored at least this likely, but below the clustering threshold.
REVIEW_BAND_FLOOR = 0.5


# The comparisons of the linkage model, in the order they are shown, with plain names.
COMPARISON_LABELS: dict[str, str] = {
    "prior": "Starting point (two records picked at random)",
    "first_name": "First name",
    "middle_names": "Middle names",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "residence": "Address and postcode",
    "phone": "Phone",
    "email": "Email",
    "identifier": "Identifier (PNC ID)",
}


def _times(factor: float) -> str:
    # Whole numbers from 10 up ("1,024"), one decimal below ("2.8").
    return f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"  # noqa: PLR2004


# Which comparisons' compared values a reader may see, by the level at which they see both records:
# names and dates of birth with a case need ("identity"), everything when they may open both reports.
_VISIBLE_VALUES = {
    "full": set(COMPARISON_LABELS),
    "identity": {"first_name", "middle_names", "last_name", "date_of_birth"},
    "pseudonymised": set(),
}


def visible_values(*views: RecordView | None) -> set[str]:
    """The comparisons whose compared values may be shown to someone who sees these records as they do."""
    levels = [view.level if view is not None else "pseudonymised" for view in views]
    allowed = set(COMPARISON_LABELS)
    for level in levels:
        allowed &= _VISIBLE_VALUES.get(level, set())
    return allowed


def weight_rows(
    weights: dict[str, float], details: dict[str, dict[str, str]] | None = None, visible: set[str] | None = None
) -> list[dict[str, Any]]:
    """One row per comparison: its weight, the Bayes factor, the level the pair reached
    ("Exact", "First and last names swapped") and, where the reader may see them, the values compared."""
    rows = []
    details = details or {}
    visible = visible or set()
    for key, label in COMPARISON_LABELS.items():
        if key not in weights:
            continue
        weight = float(weights[key])
        factor = 2**weight
        if weight > 0:
            effect = f"{_times(factor)} times likelier"
        elif weight < 0:
            effect = f"{_times(1 / factor)} times less likely"
        else:
            effect = "No effect (missing on one side, or neutral)"
        detail = details.get(key, {})
        shown = key in visible and (detail.get("a") or detail.get("b"))
        rows.append(
            {
                "key": key,
                "label": label,
                "level": detail.get("level", ""),
                "value_a": (detail.get("a") or "missing") if shown else "",
                "value_b": (detail.get("b") or "missing") if shown else "",
                "weight": weight,
                "effect": effect,
                "direction": "for" if weight > 0 else "against" if weight < 0 else "none",
            }
        )
    return rows


@dataclass(frozen=True)
class PairReview:
    explanation: LinkExplanation
    a: RecordView
    b: RecordView
    rows: list[dict[str, Any]]
    identity_a: uuid.UUID | None
    identity_b: uuid.UUID | None
    decisions: list[ReviewDecision]
    threshold: float
    # Analysts without a case need on one of the two cases: which cases they could record one for.
    case_need_cases: list[uuid.UUID]


def review_queue(*, user: User) -> QuerySet[LinkExplanation]:
    """Proposed links for review: current pairs in the review band (likely, but below the threshold),
    strongest first, leaving out pairs with a decision in force and those this user was not sure of."""
    _require(user, "suspects.review_links", "Link review is for analysts and supervisors.")
    threshold = current_threshold()
    # A pair leaves the queue once a binding decision is in force, or once this user was not sure of it.
    decided = ReviewDecision.objects.filter(
        Q(kind__in=[*TOGETHER, *APART]) | Q(decided_by=user),
        superseded_by__isnull=True,
        person_a_id=OuterRef("person_a_id"),
        person_b_id=OuterRef("person_b_id"),
    )
    # Likely but below the threshold, or above it and held back (twins, a household, father and son).
    queue = (
        LinkExplanation.objects.filter(current=True, match_probability__gte=REVIEW_BAND_FLOOR)
        .filter(Q(match_probability__lt=threshold) | ~Q(held_reason=""))
        .filter(person_a__involvements__case__restricted=False, person_b__involvements__case__restricted=False)
        .exclude(Exists(decided))
    )
    return queue.order_by("-match_probability", "id").distinct()


def pair_review_get(*, user: User, pk: uuid.UUID) -> PairReview:
    """One scored pair, side by side. Raises LinkExplanation.DoesNotExist for none, or a pair on a
    case the user may not be told about."""
    _require(user, "suspects.review_links", "Link review is for analysts and supervisors.")
    explanation = LinkExplanation.objects.get(pk=pk)
    views = records_for(user, [explanation.person_a_id, explanation.person_b_id])
    if explanation.person_a_id not in views or explanation.person_b_id not in views:
        raise LinkExplanation.DoesNotExist
    identity_of = dict(IdentityMember.objects.filter(person_id__in=list(views)).values_list("person_id", "identity_id"))
    decisions = list(
        ReviewDecision.objects.filter(person_a_id=explanation.person_a_id, person_b_id=explanation.person_b_id)
        .select_related("decided_by")
        .order_by("-decided_at")
    )
    need = []
    if rules.test_rule("cases.view_case_analysis", user):
        need = [v.case_id for v in views.values() if v.level == "pseudonymised" and v.case_id is not None]
    return PairReview(
        explanation=explanation,
        a=views[explanation.person_a_id],
        b=views[explanation.person_b_id],
        rows=weight_rows(
            explanation.weights,
            explanation.details,
            visible_values(views[explanation.person_a_id], views[explanation.person_b_id]),
        ),
        identity_a=identity_of.get(explanation.person_a_id),
        identity_b=identity_of.get(explanation.person_b_id),
        decisions=decisions,
        threshold=current_threshold(),
        case_need_cases=need,
    )
