"""The priority score of a repeat suspect: transparent, from what they are reported to have done.

Six parts, each a number from 0 to 1, times its weight; the score is the sum (0 to 100 with the
default weights). The inputs are the reports alone: dates, offence classes (their harm weight and
whether the class means a child victim) and the victims. No protected characteristic (age, sex,
ethnicity, or anything else of the suspect) is an input, and the disparity report checks the result.

Weights are a setting, `BLUESTONE_PRIORITY_WEIGHTS` (a dict with the keys of DEFAULT_WEIGHTS; missing
keys keep their default). Harm weights per offence class are reference data (core.OffenceClass).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

DEFAULT_WEIGHTS: dict[str, float] = {
    "recency": 20.0,
    "frequency": 20.0,
    "gravity": 25.0,
    "escalation": 10.0,
    "victims": 15.0,
    "child_victims": 10.0,
}
PART_LABELS: dict[str, str] = {
    "recency": "Recency",
    "frequency": "Frequency",
    "gravity": "Gravity",
    "escalation": "Escalation",
    "victims": "Victims",
    "child_victims": "Child victims",
}
# The scales: a report today scores 1 for recency, falling to 0 at three years; five or more reports
# score 1 for frequency; four or more distinct victims score 1; two or more child victims score 1.
RECENCY_DAYS = 3 * 365
FREQUENCY_FULL_AT = 5
VICTIMS_FULL_AT = 4
CHILD_VICTIMS_FULL_AT = 2
# Escalation: the latest report's harm weight above the mean of the earlier ones, by this much or more.
ESCALATION_FULL_AT = 4.0


def priority_weights() -> dict[str, float]:
    configured = getattr(settings, "BLUESTONE_PRIORITY_WEIGHTS", None) or {}
    unknown = set(configured) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(
            f"BLUESTONE_PRIORITY_WEIGHTS has unknown parts {sorted(unknown)}; use {sorted(DEFAULT_WEIGHTS)}."
        )
    return {key: float(configured.get(key, default)) for key, default in DEFAULT_WEIGHTS.items()}


@dataclass(frozen=True)
class Report:
    """One report a suspect appears in, as the score sees it."""

    reported_on: dt.date
    harm_weight: float
    child_victim: bool
    # Keys of the victims on the report (already deduplicated across reports where possible).
    victims: frozenset[str]


@dataclass(frozen=True)
class Priority:
    score: float
    # part -> {"value": 0..1, "points": value * weight, "weight": weight}
    parts: dict[str, dict[str, float]]


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))


def priority_score(
    *, reports: Sequence[Report], max_harm_weight: float, today: dt.date, weights: dict[str, float] | None = None
) -> Priority:
    """The score of one suspect identity from its reports."""
    weights = weights or priority_weights()
    if not reports:
        return Priority(score=0.0, parts={k: {"value": 0.0, "points": 0.0, "weight": w} for k, w in weights.items()})
    ordered = sorted(reports, key=lambda r: r.reported_on)
    latest = ordered[-1]
    victims = frozenset().union(*(r.victims for r in ordered))
    child_reports = sum(1 for r in ordered if r.child_victim)
    earlier = ordered[:-1]
    escalation = 0.0
    if earlier:
        mean_earlier = sum(r.harm_weight for r in earlier) / len(earlier)
        escalation = _clip((latest.harm_weight - mean_earlier) / ESCALATION_FULL_AT)
    values = {
        "recency": _clip(1 - (today - latest.reported_on).days / RECENCY_DAYS),
        "frequency": _clip((len(ordered) - 1) / (FREQUENCY_FULL_AT - 1)),
        "gravity": _clip(max(r.harm_weight for r in ordered) / max_harm_weight) if max_harm_weight > 0 else 0.0,
        "escalation": escalation,
        "victims": _clip((len(victims) - 1) / (VICTIMS_FULL_AT - 1)),
        "child_victims": _clip(child_reports / CHILD_VICTIMS_FULL_AT),
    }
    parts = {
        key: {"value": round(values[key], 4), "points": round(values[key] * weight, 2), "weight": weight}
        for key, weight in weights.items()
    }
    return Priority(score=round(sum(p["points"] for p in parts.values()), 2), parts=parts)
