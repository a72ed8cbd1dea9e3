"""Supervisory reviews of each investigation plan: the initial review about a day after the plan, then
one about every 28 days while the case is open, by a supervisor of the case's team.

Drawn from the plans of `_plans` with a generator of its own. The calibration is in
docs/synthetic-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bluestone.extract import REVIEW_ANSWERS, REVIEW_PROMPT_CODES
from bluestone.synth._cases import DAY_US, HOUR_US, KIND, NAMED_SUSPECT, Force
from bluestone.synth._plans import Plans
from bluestone.synth._reference import BoolArray, IntArray

# The application's targets (investigation.services.reviews): the first review 24 hours after the
# plan, each later one 28 days after the one before.
INITIAL_HOURS = 24
INTERVAL_DAYS = 28
# Hours from the plan to the initial review: log-normal, median 14 hours, so about three in four are
# done within the 24-hour target and a few take days.
INITIAL_MEDIAN_HOURS = 14.0
INITIAL_SPREAD = 0.8
# Each periodic review: done up to 5 days before it falls due (most), some days late, or missed for a
# whole cycle and done in the next.
P_ON_TIME = 0.7
P_LATE = 0.22  # the rest (0.08) are missed once
LATE_MEDIAN_DAYS = 6.0
LATE_SPREAD = 0.8
# Ranks that supervise (sergeants and above), most senior last; a team without one has its most
# senior officer review.
SUPERVISOR_RANKS = ("DS", "DI", "DCI")
SENIORITY = ("STAFF", "PC", "DC", "DS", "DI", "DCI")
# Each prompt's chance of yes, no and not applicable (the suspect prompts are not applicable with no
# named suspect).
ANSWER_P: dict[str, tuple[float, float, float]] = {
    "suspect_history": (0.88, 0.1, 0.02),
    "suspect_behaviour": (0.82, 0.15, 0.03),
    "early_arrest": (0.75, 0.18, 0.07),
    "victim_actions": (0.6, 0.05, 0.35),
    "victim_informed": (0.85, 0.13, 0.02),
    "cps_advice": (0.45, 0.25, 0.3),
    "officer_wellbeing": (0.9, 0.08, 0.02),
}
SUSPECT_PROMPTS = frozenset({"suspect_history", "suspect_behaviour", "early_arrest"})
# The share of reviews with written directions: more after a "no".
P_DIRECTIONS = 0.1
P_DIRECTIONS_AFTER_NO = 0.4
DIRECTIONS = (
    "Complete the suspect's history and intelligence checks before the next review.",
    "Arrange the suspect's arrest and interview within 14 days.",
    "Update the victim this week, by the channel they chose, and offer an ISVA again.",
    "Seek early advice from the CPS.",
    "Record why each victim-focused action is necessary before it goes ahead.",
    "Look for other reports about the suspect, including under other names.",
    "Discuss the officer's caseload at the next one-to-one.",
)


@dataclass
class Reviews:
    case: IntArray  # the case of each review, sorted by case and time
    initial: BoolArray
    due_us: IntArray
    completed_us: IntArray
    reviewer: IntArray  # index into the force's officers
    answers: IntArray  # (reviews, prompts): index into REVIEW_ANSWERS
    directions: IntArray  # index into DIRECTIONS, -1 for none


def supervisors(force: Force) -> tuple[IntArray, IntArray]:
    """Each team's reviewing officers, flat and sorted by team, and where each team's start in that list.

    A team's supervisors are its officers of a supervising rank; a team with none has its most senior
    officers instead.
    """
    teams = len(force.team_names)
    seniority = np.array([SENIORITY.index(r) for r in force.officer_rank])
    supervising = np.isin(force.officer_rank, SUPERVISOR_RANKS)
    top = np.full(teams, -1)
    np.maximum.at(top, force.officer_team, seniority)
    has_supervisor = np.zeros(teams, dtype=bool)
    has_supervisor[force.officer_team[supervising]] = True
    chosen = np.where(has_supervisor[force.officer_team], supervising, seniority == top[force.officer_team])
    officers = np.flatnonzero(chosen)
    officers = officers[np.argsort(force.officer_team[officers], kind="stable")]
    starts = np.searchsorted(force.officer_team[officers], np.arange(teams + 1))
    return officers.astype(np.int64), starts.astype(np.int64)


def build_reviews(*, rng: np.random.Generator, force: Force, plans: Plans, end_us: int) -> Reviews:
    """The reviews of each plan up to the case's outcome or the end of the window."""
    stop = np.full(force.n, end_us, dtype=np.int64)
    closed = force.event_kind == KIND["outcome_recorded"]
    stop[force.event_case[closed]] = np.minimum(force.event_us[closed], end_us)
    p = len(plans.case)
    plan_stop = stop[plans.case]

    cases: list[IntArray] = []
    initial: list[BoolArray] = []
    due: list[IntArray] = []
    completed: list[IntArray] = []
    # The initial review of every plan.
    active = np.arange(p)
    due_now = plans.created_us + INITIAL_HOURS * HOUR_US
    done = plans.created_us + (rng.lognormal(np.log(INITIAL_MEDIAN_HOURS), INITIAL_SPREAD, p) * HOUR_US).astype(
        np.int64
    )
    first = True
    while len(active):
        made = done < plan_stop[active]
        active, due_now, done = active[made], due_now[made], done[made]
        cases.append(plans.case[active])
        initial.append(np.full(len(active), first))
        due.append(due_now)
        completed.append(done)
        first = False
        # The next review falls due 28 days after this one.
        k = len(active)
        due_now = done + INTERVAL_DAYS * DAY_US
        pick = rng.random(k)
        early = (rng.random(k) * 5 * DAY_US).astype(np.int64)
        late = (rng.lognormal(np.log(LATE_MEDIAN_DAYS), LATE_SPREAD, k) * DAY_US).astype(np.int64)
        missed = INTERVAL_DAYS * DAY_US + (rng.random(k) * 5 * DAY_US).astype(np.int64)
        offset = np.where(pick < P_ON_TIME, -early, np.where(pick < P_ON_TIME + P_LATE, late, missed))
        done = np.maximum(due_now + offset, completed[-1] + HOUR_US)

    case = np.concatenate(cases) if cases else np.zeros(0, dtype=np.int64)
    is_initial = np.concatenate(initial) if initial else np.zeros(0, dtype=bool)
    due_us = np.concatenate(due) if due else np.zeros(0, dtype=np.int64)
    completed_us = np.concatenate(completed) if completed else np.zeros(0, dtype=np.int64)
    order = np.lexsort((completed_us, case))
    case, is_initial, due_us, completed_us = case[order], is_initial[order], due_us[order], completed_us[order]
    r = len(case)

    officers, starts = supervisors(force)
    team = force.team[case]
    count = starts[team + 1] - starts[team]
    reviewer = officers[starts[team] + (rng.random(r) * count).astype(np.int64)]

    named = force.suspect_kind[case] == NAMED_SUSPECT
    answers = np.zeros((r, len(REVIEW_PROMPT_CODES)), dtype=np.int64)
    for i, code in enumerate(REVIEW_PROMPT_CODES):
        answers[:, i] = rng.choice(len(REVIEW_ANSWERS), size=r, p=np.array(ANSWER_P[code]))
        if code in SUSPECT_PROMPTS:
            answers[~named, i] = REVIEW_ANSWERS.index("not_applicable")
    any_no = (answers == REVIEW_ANSWERS.index("no")).any(axis=1)
    with_directions = rng.random(r) < np.where(any_no, P_DIRECTIONS_AFTER_NO, P_DIRECTIONS)
    directions = np.where(with_directions, rng.integers(0, len(DIRECTIONS), size=r), -1)
    return Reviews(
        case=case,
        initial=is_initial,
        due_us=due_us,
        completed_us=completed_us,
        reviewer=reviewer,
        answers=answers,
        directions=directions,
    )
