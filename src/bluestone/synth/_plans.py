"""Investigation plans: the default plan's lines of enquiry started and completed (or not needed) as
each case goes, and victim-focused (intrusive) actions with the supervisor's approval.

Drawn from the case timelines of `_cases` with the generator of the optional tables. The calibration
is in docs/synthetic-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bluestone.synth._cases import DAY_US, HOUR_US, KIND, MINUTE_US, NAMED_SUSPECT, Force
from bluestone.synth._reference import BoolArray, IntArray, ObjArray
from bluestone.synth._victims import london_day

# The default plan (investigation/reference/default_plan.csv): code, group, focus, order, due days, title.
LINES: tuple[tuple[str, str, str, int, int, str], ...] = (
    ("suspect_history", "suspect", "suspect", 10, 1, "Check the suspect's history and intelligence"),
    ("previous_reports", "suspect", "suspect", 20, 2, "Look for previous reports about the suspect"),
    (
        "behaviour",
        "suspect",
        "suspect",
        30,
        7,
        "Investigate the suspect's behaviour before, during and after the offence",
    ),
    ("targeting", "suspect", "suspect", 40, 14, "Look for targeting and grooming"),
    ("other_people", "suspect", "suspect", 50, 14, "Find other people the suspect approached"),
    ("devices", "suspect", "suspect", 60, 7, "Secure the suspect's devices and communications"),
    ("forensics", "suspect", "suspect", 70, 2, "Take forensic opportunities on the suspect"),
    ("arrest", "suspect", "suspect", 80, 3, "Plan early arrest and interview of the suspect"),
    ("cps_advice", "suspect", "suspect", 90, 28, "Consider early advice from the CPS"),
    ("relationship", "context", "neutral", 110, 7, "Understand the relationship between the suspect and the victim"),
    ("victim_wishes", "context", "neutral", 120, 1, "Record the victim's wishes and needs"),
    ("scene", "context", "neutral", 130, 2, "Examine the scene and gather independent evidence"),
    ("victim_account", "victim_account", "victim", 210, 7, "Take the victim's account"),
    ("first_account", "victim_account", "victim", 220, 7, "Speak to the people the victim first told"),
)
# Lines that need a named suspect; the others can go ahead without one.
NEEDS_NAMED = frozenset({"suspect_history", "devices", "forensics", "arrest", "cps_advice"})
# Median days from the plan to the first line of each focus starting (log-normal, spread 1.0).
FIRST_START_DAYS = {"suspect": 1.5, "victim": 2.5, "neutral": 2.0}
P_STARTED = {"suspect": 0.9, "victim": 0.92, "neutral": 0.85}

INTRUSIVE = (
    ("phone_download", "Download the victim's phone"),
    ("medical_records", "Request the victim's medical records"),
    ("counselling_records", "Request the victim's counselling records"),
    ("social_care_records", "Request the victim's social care records"),
    ("school_records", "Request the victim's school records"),
)
INTRUSIVE_P = (0.55, 0.15, 0.12, 0.10, 0.08)
P_INTRUSIVE = 0.3  # cases with a victim-focused action
P_APPROVED = 0.82
RATIONALE = "Necessary to pursue a reasonable line of enquiry; less intrusive ways considered first."


@dataclass
class Plans:
    case: IntArray  # the case of each plan
    created_us: IntArray
    # Lines, sorted by plan and order.
    line_plan: IntArray  # index into the plans
    line_template: IntArray  # index into LINES, -1 for a victim-focused action
    line_intrusive: IntArray  # index into INTRUSIVE, -1 for a template line
    line_due_day: IntArray  # -1 for none
    line_status: ObjArray
    line_started_us: IntArray  # -1 for none
    line_completed_us: IntArray  # -1 for none
    line_approval: ObjArray
    line_requested_us: IntArray  # -1 for none
    line_decided_us: IntArray  # -1 for none
    line_victim_agreed: BoolArray


def build_plans(*, rng: np.random.Generator, force: Force, end_us: int) -> Plans:
    allocated = force.event_kind == KIND["allocated"]
    case = force.event_case[allocated]
    created = force.event_us[allocated] + (rng.lognormal(np.log(6.0), 0.8, len(case)) * HOUR_US).astype(np.int64)
    keep = created <= end_us
    case, created = case[keep], created[keep]
    p = len(case)
    stop = np.full(force.n, end_us, dtype=np.int64)
    closed = force.event_kind == KIND["outcome_recorded"]
    stop[force.event_case[closed]] = force.event_us[closed]
    stop = stop[case]
    named = force.suspect_kind[case] == NAMED_SUSPECT

    # Template lines: every plan has them all. The first line of each focus starts at the focus's first
    # moment; the others some days after it.
    t = len(LINES)
    plan = np.repeat(np.arange(p), t)
    template = np.tile(np.arange(t), p)
    focus = np.array([line[2] for line in LINES], dtype=object)[template]
    due_days = np.array([line[4] for line in LINES])[template]
    first = {
        f: created + (rng.lognormal(np.log(d), 1.0, p) * DAY_US).astype(np.int64) for f, d in FIRST_START_DAYS.items()
    }
    first_line = np.zeros(t, dtype=bool)
    for f in FIRST_START_DAYS:
        first_line[next(i for i, line in enumerate(LINES) if line[2] == f)] = True
    later = (rng.lognormal(np.log(np.maximum(1.0, due_days * 0.5)), 0.8) * DAY_US).astype(np.int64)
    base = np.select([focus == f for f in FIRST_START_DAYS], [first[f][plan] for f in FIRST_START_DAYS])
    started = base + np.where(first_line[template], 0, later)
    needs_named = np.isin(template, [i for i, line in enumerate(LINES) if line[0] in NEEDS_NAMED])
    p_start = np.select([focus == f for f in P_STARTED], list(P_STARTED.values()))
    will_start = (rng.random(len(plan)) < p_start) & (named[plan] | ~needs_named)
    duration = (rng.lognormal(np.log(due_days * 1.2 + 3.0), 1.0) * DAY_US).astype(np.int64)
    status, started_us, completed_us = _progress(
        started=started, completed=started + duration, will_start=will_start, stop=stop[plan], end_us=end_us
    )
    due_day = london_day(created)[plan] + due_days

    # Victim-focused actions: asked for, decided by a supervisor, and if approved carried out.
    actions = np.flatnonzero(rng.random(p) < P_INTRUSIVE)
    a = len(actions)
    kind = rng.choice(len(INTRUSIVE), size=a, p=np.array(INTRUSIVE_P))
    requested = created[actions] + (rng.lognormal(np.log(10.0), 0.8, a) * DAY_US).astype(np.int64)
    decided = requested + (rng.lognormal(np.log(20.0), 0.8, a) * HOUR_US).astype(np.int64)
    approved = rng.random(a) < P_APPROVED
    made = requested < np.minimum(stop[actions], end_us)
    actions, kind, requested, decided, approved = (
        actions[made],
        kind[made],
        requested[made],
        decided[made],
        approved[made],
    )
    a = len(actions)
    is_decided = decided <= np.minimum(stop[actions], end_us)
    approval = np.where(is_decided, np.where(approved, "approved", "refused"), "requested").astype(object)
    begun = decided + (rng.lognormal(np.log(2.0), 0.8, a) * DAY_US).astype(np.int64)
    finished = begun + (rng.lognormal(np.log(14.0), 0.8, a) * DAY_US).astype(np.int64)
    a_status, a_started, a_completed = _progress(
        started=begun, completed=finished, will_start=is_decided & approved, stop=stop[actions], end_us=end_us
    )
    # A refused action stays as it was (not started), as the application leaves it.
    a_status = np.where(approval == "refused", "not_started", a_status).astype(object)

    line_plan = np.concatenate([plan, actions])
    order = np.lexsort((np.concatenate([template, np.full(a, t) + kind]), line_plan))
    never = np.full(len(plan), -1)
    return Plans(
        case=case,
        created_us=created,
        line_plan=line_plan[order],
        line_template=np.concatenate([template, np.full(a, -1)])[order],
        line_intrusive=np.concatenate([never, kind])[order],
        line_due_day=np.concatenate([due_day, np.full(a, -1)])[order],
        line_status=np.concatenate([status, a_status])[order],
        line_started_us=np.concatenate([started_us, a_started])[order],
        line_completed_us=np.concatenate([completed_us, a_completed])[order],
        line_approval=np.concatenate([np.full(len(plan), "not_needed", dtype=object), approval])[order],
        line_requested_us=np.concatenate([never, requested])[order],
        line_decided_us=np.concatenate([never, np.where(is_decided, decided, -1)])[order],
        line_victim_agreed=np.concatenate([np.zeros(len(plan), dtype=bool), rng.random(a) < 0.9])[order],  # noqa: PLR2004
    )


def _progress(
    *, started: IntArray, completed: IntArray, will_start: BoolArray, stop: IntArray, end_us: int
) -> tuple[ObjArray, IntArray, IntArray]:
    """Each line's status at the end of the window, and when it started and was completed (-1 for not).

    On a case that has closed, a line started before the close is done by it, and one not started is
    not needed; on an open case, a line is in progress or not started yet.
    """
    is_closed = stop < end_us
    began = will_start & (started < stop) & (started <= end_us)
    done = began & ((completed <= np.minimum(stop, end_us)) | is_closed)
    completed = np.where(is_closed, np.minimum(completed, stop - 30 * MINUTE_US), completed)
    completed = np.maximum(completed, started + MINUTE_US)
    status = np.where(
        done, "done", np.where(began, "in_progress", np.where(is_closed, "not_needed", "not_started"))
    ).astype(object)
    return status, np.where(began, started, -1), np.where(done, completed, -1)


# The victim's phone, taken for a download: the share whose clock stops within 24 hours, and of the
# rest the share given a replacement phone meanwhile.
PHONE_BACK_QUICKLY = 0.55
PHONE_REPLACED = 0.4


@dataclass
class Phones:
    case: IntArray
    taken_us: IntArray
    returned_us: IntArray  # -1 while held
    replaced_us: IntArray  # -1 for no replacement


def build_phones(*, rng: np.random.Generator, plans: Plans, end_us: int) -> Phones:
    """Each phone download that started takes the victim's phone; most come back within a day."""
    rows = np.flatnonzero((plans.line_intrusive == 0) & (plans.line_started_us >= 0))
    taken = plans.line_started_us[rows]
    k = len(rows)
    quick = rng.random(k) < PHONE_BACK_QUICKLY
    back = np.where(
        quick,
        np.minimum(rng.lognormal(np.log(10.0), 0.5, k), 23.5) * HOUR_US,
        rng.lognormal(np.log(5.0), 0.8, k).clip(1.05, None) * DAY_US,
    ).astype(np.int64)
    replaced = ~quick & (rng.random(k) < PHONE_REPLACED)
    replacement = (rng.lognormal(np.log(6.0), 0.6, k) * HOUR_US).astype(np.int64)
    returned_us = np.where(taken + back <= end_us, taken + back, -1)
    replaced_us = np.where(replaced & (taken + replacement <= end_us), taken + replacement, -1)
    return Phones(
        case=plans.case[plans.line_plan[rows]], taken_us=taken, returned_us=returned_us, replaced_us=replaced_us
    )


# Pre-charge bail: three months at first; of the bail still running then, the share extended by
# three months, and of those the share extended again by six.
BAIL_DAYS = 91
P_EXTENDED = 0.5
P_EXTENDED_AGAIN = 0.3
BAIL_CONDITIONS = "Not to contact the victim directly or indirectly; not to go to the victim's street."


@dataclass
class Bails:
    case: IntArray
    start_day: IntArray
    expiry_day: IntArray
    end_day: IntArray  # -1 while active
    end_reason: ObjArray


def build_bail(*, rng: np.random.Generator, force: Force, end_us: int) -> Bails:
    """Each release on bail in the timelines, its expiry after extensions, and how it ended."""
    rows = np.flatnonzero(force.event_kind == KIND["suspect_bailed"])
    case = force.event_case[rows]
    start = london_day(force.event_us[rows])
    outcome_day = np.full(force.n, -1, dtype=np.int64)
    decided = np.flatnonzero(force.event_kind == KIND["outcome_recorded"])
    outcome_day[force.event_case[decided]] = london_day(force.event_us[decided])
    charged = np.zeros(force.n, dtype=bool)
    charged[force.event_case[force.event_kind == KIND["charged"]]] = True
    k = len(rows)
    outcome = outcome_day[case]
    expiry = start + BAIL_DAYS
    running = (outcome < 0) | (outcome > expiry)
    extended = running & (rng.random(k) < P_EXTENDED)
    expiry = np.where(extended, expiry + BAIL_DAYS, expiry)
    again = extended & ((outcome < 0) | (outcome > expiry)) & (rng.random(k) < P_EXTENDED_AGAIN)
    expiry = np.where(again, expiry + 2 * BAIL_DAYS, expiry)
    ends_with_outcome = (outcome >= 0) & (outcome <= expiry)
    end = np.where(ends_with_outcome, outcome, expiry)
    end_day_of_window = london_day(np.array([end_us]))[0]
    active = end > end_day_of_window
    reason = np.where(
        ends_with_outcome,
        np.where(charged[case], "Charged: bail ends with the charge.", "No further action: bail cancelled."),
        "Bail expired: released under investigation.",
    ).astype(object)
    reason[active] = None
    return Bails(case=case, start_day=start, expiry_day=expiry, end_day=np.where(active, -1, end), end_reason=reason)
