"""Officers' training, wellbeing check-ins, screenings and exposure hours, drawn for a synthetic force.

Framework-free like the rest of `synth`: officers and courses in, plain rows out. Dates are drawn
backwards from `as_of`, so the pages show a realistic mix on the day the demo is built: most training
current, some refreshers overdue, most check-ins on time and a few late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

POSTS = ("investigator", "specialist", "digital", "trainee")
POST_SHARES = (0.5, 0.3, 0.1, 0.1)
EXPOSURE_KINDS = ("images", "interview", "digital", "other")
TRAINEE_HIGH_EXPOSURE = 0.5  # share of trainees already in high-exposure work
OH_REFERRAL = 0.08  # share of check-ins that end in a referral to occupational health
SCREENED = 0.9  # share of high-exposure officers with a screening on record
# What a supervisor might write after a check-in: general, invented, naming nobody.
CHECK_IN_NOTES = (
    "Workload feels heavy this month with two trials coming up; sleeping less well.",
    "Coping well; finds the team supportive. Would like more time for the digital course.",
    "Found the last interview recordings hard to hear. Talked through taking breaks between them.",
    "Back from leave and settling in. No concerns raised.",
    "Feels stretched by the number of victim updates due; agreed to review the caseload together.",
    "Mentioned feeling on edge after a difficult court week. Knows how to reach the trauma support line.",
)
SUPPORT_OFFERED = (
    "",
    "Offered a session with the force's trauma support service.",
    "Agreed protected time for case admin on Fridays.",
    "Reminded of the employee assistance programme.",
)


@dataclass(frozen=True)
class Course:
    name: str
    required: bool


def generate_workforce(
    *, officers: Sequence[str], courses: Sequence[Course], seed: int, as_of: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """Workforce rows for the officers given (by collar number), the same for the same arguments.

    Args:
        officers: Collar numbers, in any order (they are sorted first, so the order does not matter).
        courses: The course types to draw training from; every required course is held by most officers.
        seed: Any non-negative integer.
        as_of: The day the records lead up to; nothing is dated after it.

    Returns:
        Rows keyed by table: posts, training, check_ins, screenings, exposure. Check-ins carry no
        supervisor: whoever loads them names who held them.

    Example:
        >>> rows = generate_workforce(
        ...     officers=["1001"], courses=[Course("ABE", True)], seed=1, as_of=dt.date(2026, 3, 1)
        ... )
        >>> sorted(rows)
        ['check_ins', 'exposure', 'posts', 'screenings', 'training']
    """
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    rng = np.random.default_rng([seed, 41])
    rows: dict[str, list[dict[str, Any]]] = {
        "posts": [],
        "training": [],
        "check_ins": [],
        "screenings": [],
        "exposure": [],
    }

    def day(days_ago: Any) -> dt.date:
        return as_of - dt.timedelta(days=int(days_ago))

    for collar in sorted(officers):
        post = str(rng.choice(POSTS, p=POST_SHARES))
        high_exposure = post != "trainee" or bool(rng.random() < TRAINEE_HIGH_EXPOSURE)
        rows["posts"].append({"collar": collar, "post": post, "high_exposure": high_exposure})
        for course in courses:
            held = rng.random() < (0.85 if course.required else 0.3)
            if held:
                # Mostly within the last three years; about one in six long enough ago to be due again.
                rows["training"].append(
                    {"collar": collar, "course": course.name, "achieved_on": day(rng.integers(30, 1300))}
                )
        held_on = day(rng.integers(5, 140))
        for _ in range(int(rng.integers(1, 4))):
            rows["check_ins"].append(
                {
                    "collar": collar,
                    "held_on": held_on,
                    "next_due_on": held_on + dt.timedelta(days=90),
                    "notes": str(rng.choice(CHECK_IN_NOTES)),
                    "support_offered": str(rng.choice(SUPPORT_OFFERED)),
                    "referred_to_occupational_health": bool(rng.random() < OH_REFERRAL),
                }
            )
            held_on = held_on - dt.timedelta(days=int(rng.integers(80, 110)))
        if high_exposure and rng.random() < SCREENED:
            screened = day(rng.integers(20, 450))
            rows["screenings"].append(
                {"collar": collar, "held_on": screened, "next_due_on": screened + dt.timedelta(days=365)}
            )
        for _ in range(int(rng.poisson(6 if high_exposure else 1))):
            rows["exposure"].append(
                {
                    "collar": collar,
                    "on": day(rng.integers(0, 120)),
                    "kind": str(rng.choice(EXPOSURE_KINDS)),
                    "hours": round(float(rng.gamma(2.0, 0.8)) + 0.1, 1),
                }
            )
    for table in rows.values():
        table.sort(key=lambda row: (row["collar"], str(row.get("held_on") or row.get("on") or row.get("course") or "")))
    return rows


__all__ = ["Course", "generate_workforce"]
