"""The victims' side of each case: profiles, Victims' Code duties met on time, late or not at all,
ISVA referrals, and the contact log that keeps to (or slips from) the agreed contact plan.

Drawn from the case timelines of `_cases`, after them and with a generator of their own, so that the
seven core tables are the same with or without these. The calibration is in docs/synthetic-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import holidays
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bluestone.synth._cases import DAY_US, DAYS_PER_YEAR, HOUR_US, KIND, MINUTE_US, Force
from bluestone.synth._people import VICTIM, People
from bluestone.synth._reference import BoolArray, IntArray, ObjArray, blank

# The duties the synthetic force opens: right, what opens it ("case_created" or an event kind), the
# working days it allows under enhanced rights (victims/reference/rights.csv), and the assumed share
# met on time.
DUTIES: tuple[tuple[str, str, int, float], ...] = (
    ("acknowledgement", "case_created", 5, 0.93),
    ("needs_assessment", "case_created", 2, 0.80),
    ("isva_referral", "case_created", 2, 0.84),
    ("contact_plan", "case_created", 2, 0.82),
    ("update_arrest", "suspect_arrested", 1, 0.80),
    ("update_interview", "suspect_interviewed", 1, 0.78),
    ("update_bail", "suspect_bailed", 1, 0.74),
    ("update_rui", "suspect_rui", 1, 0.70),
    ("update_charge", "charged", 1, 0.90),
    ("personal_statement", "charged", 5, 0.83),
    ("outcome_review", "outcome_recorded", 1, 0.86),
)
# Of the duties not met on time: the share met late (the rest are still open, or on a closed case met late).
MET_LATE = 0.7
NOT_APPLICABLE = 0.015
DUTY_SUMMARY = {
    "acknowledgement": "Written acknowledgement of the report sent",
    "needs_assessment": "Needs assessment completed with the victim",
    "isva_referral": "Offered a referral to an ISVA",
    "contact_plan": "Agreed how and how often to keep in touch",
    "update_arrest": "Told of the arrest",
    "update_interview": "Told of the interview under caution",
    "update_bail": "Told of the bail and its conditions",
    "update_rui": "Told of the release under investigation",
    "update_charge": "Told of the charge",
    "personal_statement": "Offered the chance to make a Victim Personal Statement",
    "outcome_review": "Told of the outcome and the right to ask for a review",
}
PLAN_SUMMARIES = (
    "Update on the investigation as agreed",
    "Planned call: no news, next contact agreed",
    "Update on enquiries still in progress",
    "Checked on wellbeing and support",
)

CHANNELS = ("phone", "sms", "email", "letter", "in_person", "portal")
CHANNEL_P = (0.52, 0.10, 0.16, 0.03, 0.05, 0.14)
ISVA_STATUSES = ("not_offered", "offered", "accepted", "declined")
# Of the victims offered an ISVA: the share who accept (adults, children through a children's ISVA).
ISVA_ACCEPT = {False: 0.72, True: 0.62}
ISVA_STILL_DECIDING = 0.04
CADENCES = np.array([14, 21, 28])
CADENCE_P = np.array([0.3, 0.15, 0.55])
# Share of the intervals between planned contacts that run past the agreed cadence.
PLAN_SLIP = 0.12


@dataclass
class VictimLife:
    # Profiles, one per victim involvement.
    record: IntArray  # the victim's person-record (and involvement) index
    channel: IntArray
    is_child: BoolArray
    needs_assessed_day: IntArray  # -1 for none
    isva_status: IntArray
    isva_provider: ObjArray
    isva_day: IntArray  # -1 for none
    cadence: IntArray  # -1 for no plan
    plan_day: IntArray  # -1 for no plan
    supports: BoolArray
    # Duties.
    duty_victim: IntArray  # index into the profiles
    duty_right: IntArray  # index into DUTIES
    duty_triggered_us: IntArray
    duty_due_day: IntArray
    duty_status: ObjArray
    duty_met_us: IntArray  # -1 when not met
    duty_contact: IntArray  # index into the contacts, -1 for none
    # Contacts, sorted by victim and time.
    contact_victim: IntArray
    contact_us: IntArray
    contact_channel: IntArray
    contact_summary: ObjArray


def london_day(micros: IntArray) -> IntArray:
    """The calendar day in Europe/London of each UTC moment, as days since 1970-01-01."""
    moments = pa.array(micros, type=pa.int64()).cast(pa.timestamp("us", tz="Europe/London"))
    local = pc.local_timestamp(moments).cast(pa.int64()).to_numpy()
    return np.asarray(local // DAY_US, dtype=np.int64)


def add_working_days(days: IntArray, count: IntArray) -> IntArray:
    """`count` working days (England and Wales) after each day, which need not be a working day."""
    if len(days) == 0:
        return days
    years = range(1970 + int(days.min() / DAYS_PER_YEAR) - 1, 1970 + int(days.max() / DAYS_PER_YEAR) + 3)
    bank = np.array(sorted(holidays.country_holidays("GB", subdiv="ENG", years=years)), dtype="datetime64[D]")
    start = days.astype("datetime64[D]")
    offset = np.asarray(np.busday_offset(start, count, roll="backward", holidays=bank))
    return offset.astype(np.int64)


def build_victim_life(
    *, rng: np.random.Generator, force: Force, people: People, towns: ObjArray, end_us: int
) -> VictimLife:
    n = force.n
    record = np.flatnonzero(people.record_role == VICTIM)
    victim_case = people.record_case[record]
    v = len(record)
    stop_us = np.full(n, end_us, dtype=np.int64)
    # A charged case stays open in the application (it goes to court): contact goes on.
    charged = np.zeros(n, dtype=bool)
    charged[force.event_case[force.event_kind == KIND["charged"]]] = True
    closed = (force.event_kind == KIND["outcome_recorded"]) & ~charged[force.event_case]
    stop_us[force.event_case[closed]] = force.event_us[closed]
    report_day = force.reported_us // DAY_US
    is_child = (report_day - force.victim_dob)[victim_case] < 18 * DAYS_PER_YEAR
    channel = rng.choice(len(CHANNELS), size=v, p=np.array(CHANNEL_P))

    duty_victim, duty_right, triggered = _open_duties(force, victim_case)
    due_day, status, met_us = _meet_duties(
        rng,
        duty_right=duty_right,
        triggered=triggered,
        case_open=stop_us[victim_case[duty_victim]] >= end_us,
        end_us=end_us,
    )
    met = met_us >= 0

    # The victim's answers, on the day the duty that asks them was met.
    def met_day_of(right: str) -> IntArray:
        day = np.full(v, -1)
        rows = np.flatnonzero(met & (duty_right == [r[0] for r in DUTIES].index(right)))
        day[duty_victim[rows]] = london_day(met_us[rows])
        return day

    isva_met = met_day_of("isva_referral")
    accepted = rng.random(v) < np.where(is_child, ISVA_ACCEPT[True], ISVA_ACCEPT[False])
    deciding = rng.random(v) < ISVA_STILL_DECIDING
    isva_status = np.where(isva_met < 0, 0, np.where(deciding, 1, np.where(accepted, 2, 3)))
    provider_town = towns[rng.integers(0, len(towns), size=v)]
    provider = np.where(rng.random(v) < 0.5, "Rape Crisis ", "ISVA service, ") + provider_town  # noqa: PLR2004
    plan_day = met_day_of("contact_plan")
    cadence = np.where(plan_day >= 0, rng.choice(CADENCES, size=v, p=CADENCE_P), -1)
    contacts = _contacts(
        rng,
        duty_victim=duty_victim,
        duty_right=duty_right,
        met_us=met_us,
        channel=channel,
        planned=_planned_contacts(rng, plan_day=plan_day, cadence=cadence, stop_us=stop_us[victim_case], end_us=end_us),
    )
    withdrew = _last_change(force, KIND["victim_withdrew"])
    reengaged = _last_change(force, KIND["victim_reengaged"])
    return VictimLife(
        record=record,
        channel=channel,
        is_child=is_child,
        needs_assessed_day=met_day_of("needs_assessment"),
        isva_status=isva_status,
        isva_provider=blank(isva_status != 2, provider),  # noqa: PLR2004 (accepted)
        isva_day=np.where(isva_status >= 2, isva_met, -1),  # noqa: PLR2004
        cadence=cadence,
        plan_day=plan_day,
        supports=~(withdrew > reengaged)[victim_case],
        duty_victim=duty_victim,
        duty_right=duty_right,
        duty_triggered_us=triggered,
        duty_due_day=due_day,
        duty_status=status,
        duty_met_us=met_us,
        duty_contact=contacts[0],
        contact_victim=contacts[1],
        contact_us=contacts[2],
        contact_channel=contacts[3],
        contact_summary=contacts[4],
    )


def _open_duties(force: Force, victim_case: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Duties opened when the case was made, then one per event that opens one, for every victim;
    sorted by victim, time and right."""
    v = len(victim_case)
    first_victim = np.full(force.n, -1)
    first_victim[victim_case[::-1]] = np.arange(v)[::-1]
    victim_parts, right_parts, time_parts = [], [], []
    for index, (_right, trigger, _days, _p) in enumerate(DUTIES):
        if trigger == "case_created":
            victims = np.arange(v)
            times = force.recorded_us[victim_case]
        else:
            rows = np.flatnonzero(force.event_kind == KIND[trigger])
            victims = first_victim[force.event_case[rows]]
            times = force.event_us[rows][victims >= 0]
            victims = victims[victims >= 0]
        victim_parts.append(victims)
        right_parts.append(np.full(len(victims), index))
        time_parts.append(times)
    duty_victim = np.concatenate(victim_parts)
    duty_right = np.concatenate(right_parts)
    triggered = np.concatenate(time_parts)
    order = np.lexsort((duty_right, triggered, duty_victim))
    return duty_victim[order], duty_right[order], triggered[order]


def _meet_duties(
    rng: np.random.Generator, *, duty_right: IntArray, triggered: IntArray, case_open: BoolArray, end_us: int
) -> tuple[IntArray, ObjArray, IntArray]:
    """Each duty's deadline, its status at the end of the window, and when it was met (-1 for not)."""
    d = len(duty_right)
    allowed = np.array([row[2] for row in DUTIES])[duty_right]
    trigger_day = london_day(triggered)
    due_day = add_working_days(trigger_day, allowed)
    on_time = rng.random(d) < np.array([row[3] for row in DUTIES])[duty_right]
    # A duty still missed is on an open case: closing a case needs its duties resolved.
    late = ~on_time & ((rng.random(d) < MET_LATE) | ~case_open)
    not_applicable = rng.random(d) < NOT_APPLICABLE
    # Met in working hours on a day from the trigger to the deadline, or some days after it.
    met_day = np.where(
        on_time,
        trigger_day + np.floor(rng.random(d) * (due_day - trigger_day + 1)).astype(np.int64),
        due_day + rng.geometric(0.25, size=d),
    )
    met_us = met_day * DAY_US + rng.integers(9 * HOUR_US, 17 * HOUR_US, size=d)
    met_us = np.maximum(met_us, triggered + rng.integers(15, 120, size=d) * MINUTE_US)
    met = (on_time | late) & ~not_applicable & (met_us <= end_us)
    status = np.where(not_applicable, "not_applicable", np.where(met, "met", "open")).astype(object)
    return due_day, status, np.where(met, met_us, -1)


def _contacts(
    rng: np.random.Generator,
    *,
    duty_victim: IntArray,
    duty_right: IntArray,
    met_us: IntArray,
    channel: IntArray,
    planned: tuple[IntArray, IntArray],
) -> tuple[IntArray, IntArray, IntArray, IntArray, ObjArray]:
    """One contact for a victim's duties met on the same day (one call does several), and the planned
    contacts. Returns the contact that met each duty (-1 for none) and the contacts, sorted by victim
    and time. Moves each duty's moment met to its contact's."""
    met_rows = np.flatnonzero(met_us >= 0)
    keys, group = np.unique(duty_victim[met_rows] * 100_000 + london_day(met_us[met_rows]), return_inverse=True)
    # The call is at the latest of the moments drawn, so that it follows every duty's trigger.
    group_us = np.full(len(keys), -1, dtype=np.int64)
    np.maximum.at(group_us, group, met_us[met_rows])
    met_us[met_rows] = group_us[group]
    first_rows = met_rows[np.unique(group, return_index=True)[1]]
    plan_victims, plan_times = planned
    victim = np.concatenate([duty_victim[first_rows], plan_victims])
    moment = np.concatenate([met_us[first_rows], plan_times])
    summaries = np.array([DUTY_SUMMARY[r[0]] for r in DUTIES], dtype=object)
    plan_summaries = np.array(PLAN_SUMMARIES, dtype=object)
    summary = np.concatenate(
        [summaries[duty_right[first_rows]], plan_summaries[rng.integers(0, len(plan_summaries), len(plan_victims))]]
    )
    # Mostly by the channel the victim chose; sometimes another way.
    how = np.where(
        rng.random(len(victim)) < 0.85,  # noqa: PLR2004
        channel[victim],
        rng.choice(len(CHANNELS), size=len(victim), p=np.array(CHANNEL_P)),
    )
    source = np.concatenate([first_rows, np.full(len(plan_victims), -1)])
    order = np.lexsort((moment, victim))
    victim, moment, how, summary, source = victim[order], moment[order], how[order], summary[order], source[order]
    contact_of_group = np.full(len(keys), -1)
    from_duty = np.flatnonzero(source >= 0)
    contact_of_group[group[np.searchsorted(met_rows, source[from_duty])]] = from_duty
    duty_contact = np.full(len(duty_victim), -1)
    duty_contact[met_rows] = contact_of_group[group]
    return duty_contact, victim, moment, how, summary


# Victims who answer the survey after the outcome, and when (median days after it).
FEEDBACK_RESPONSE = 0.18
FEEDBACK_DAYS = 6.0
FEEDBACK_QUESTIONS = ("voice", "respect", "neutrality", "trustworthiness", "overall")


@dataclass
class Responses:
    victim: IntArray  # index into the profiles
    submitted_us: IntArray
    scores: IntArray  # one column per question, 1 to 5


def build_feedback(*, rng: np.random.Generator, force: Force, record_case: IntArray, end_us: int) -> Responses:
    """Survey answers from a share of the victims whose case has an outcome, a few days after it.

    Each victim has one underlying view, a little better where the suspect was charged, and each
    answer is that view with some noise, so a victim's answers agree with one another.
    """
    outcome_us = np.full(force.n, -1, dtype=np.int64)
    rows = np.flatnonzero(force.event_kind == KIND["outcome_recorded"])
    outcome_us[force.event_case[rows]] = force.event_us[rows]
    charged = np.zeros(force.n, dtype=bool)
    charged[force.event_case[force.event_kind == KIND["charged"]]] = True
    decided = outcome_us[record_case]
    v = len(record_case)
    submitted = decided + (rng.lognormal(np.log(FEEDBACK_DAYS), 0.7, v) * DAY_US).astype(np.int64)
    answered = (decided >= 0) & (rng.random(v) < FEEDBACK_RESPONSE) & (submitted <= end_us)
    victim = np.flatnonzero(answered)
    view = rng.standard_normal(len(victim)) + np.where(charged[record_case[victim]], 0.5, 0.0)
    noise = rng.standard_normal((len(victim), len(FEEDBACK_QUESTIONS)))
    scores = np.clip(np.rint(3.4 + 0.9 * view[:, None] + 0.6 * noise), 1, 5).astype(np.int64)
    return Responses(victim=victim, submitted_us=submitted[victim], scores=scores)


def _last_change(force: Force, kind: int) -> IntArray:
    last = np.full(force.n, -1, dtype=np.int64)
    rows = np.flatnonzero(force.event_kind == kind)
    np.maximum.at(last, force.event_case[rows], force.event_us[rows])
    return last


def _planned_contacts(
    rng: np.random.Generator, *, plan_day: IntArray, cadence: IntArray, stop_us: IntArray, end_us: int
) -> tuple[IntArray, IntArray]:
    """Contacts every `cadence` days or a little sooner from the plan's day, a share of them late."""
    active = np.flatnonzero(plan_day >= 0)
    at = plan_day[active] * DAY_US + 10 * HOUR_US
    victims_parts, time_parts = [], []
    while len(active):
        gap = cadence[active] * np.where(
            rng.random(len(active)) < PLAN_SLIP, rng.uniform(1.1, 1.8, len(active)), rng.uniform(0.5, 1.0, len(active))
        )
        at = at + (gap * DAY_US).astype(np.int64)
        at = (at // DAY_US) * DAY_US + rng.integers(9 * HOUR_US, 17 * HOUR_US, size=len(active))
        keep = (at < stop_us[active]) & (at <= end_us)
        active, at = active[keep], at[keep]
        victims_parts.append(active)
        time_parts.append(at)
    if not victims_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(victims_parts), np.concatenate(time_parts)


__all__ = [
    "CHANNELS",
    "DUTIES",
    "FEEDBACK_QUESTIONS",
    "ISVA_STATUSES",
    "Responses",
    "VictimLife",
    "add_working_days",
    "build_feedback",
    "build_victim_life",
    "london_day",
]
