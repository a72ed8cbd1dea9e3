"""The workforce settings, each with a default; a force sets them from the environment (settings/base.py)."""

from __future__ import annotations

from django.conf import settings

# What makes a case heavier than another, each added to a case's base weight of 1.
FACTORS: dict[str, str] = {
    "child_victim": "A child victim",
    "several_victims": "More than one victim",
    "non_recent": "Non-recent offence",
    "digital_volume": "A large volume of digital material",
    "suspect_police_employee": "The suspect is a police employee",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "child_victim": 0.5,
    "several_victims": 0.5,
    "non_recent": 0.25,
    "digital_volume": 0.5,
    "suspect_police_employee": 0.5,
}


def caseload_weights() -> dict[str, float]:
    configured = getattr(settings, "BLUESTONE_CASELOAD_WEIGHTS", {}) or {}
    unknown = set(configured) - set(FACTORS)
    if unknown:
        raise ValueError(f"Unknown caseload factors in BLUESTONE_CASELOAD_WEIGHTS: {sorted(unknown)}")
    return DEFAULT_WEIGHTS | {name: float(value) for name, value in configured.items()}


def caseload_threshold() -> float:
    """A weighted load above this warns the supervisor before another case is allocated."""
    return float(getattr(settings, "BLUESTONE_CASELOAD_THRESHOLD", 12.0))


def digital_volume_requests() -> int:
    """A case with this many requests for digital material or more counts as a large volume."""
    return int(getattr(settings, "BLUESTONE_CASELOAD_DIGITAL_REQUESTS", 3))


def check_in_interval_days() -> int:
    return int(getattr(settings, "BLUESTONE_CHECK_IN_INTERVAL_DAYS", 90))


def screening_interval_days() -> int:
    return int(getattr(settings, "BLUESTONE_SCREENING_INTERVAL_DAYS", 365))
