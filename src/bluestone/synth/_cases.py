"""Cases, teams, officers, outcomes and timelines, drawn column by column with NumPy.

Every case gets a full trajectory (its eventual outcome and the investigation steps before it), and
then the clock stops at the end of the reporting window: what has not happened by then is not in
the extract. Open cases are therefore the recent and the slow ones, as in a real force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from bluestone.synth._reference import BoolArray, FloatArray, IntArray, ObjArray, Reference, blank

DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
MINUTE_US = 60_000_000
EPOCH = dt.date(1970, 1, 1)
DAYS_PER_YEAR = 365.2425

HOW_REPORTED = (
    "emergency_call",
    "non_emergency_call",
    "in_person",
    "online",
    "third_party",
    "sarc",
    "partner_agency",
)
# Children's cases come far more often through a parent, school or social care.
HOW_REPORTED_P: dict[bool, tuple[float, ...]] = {
    False: (0.24, 0.30, 0.14, 0.14, 0.07, 0.05, 0.06),
    True: (0.15, 0.22, 0.08, 0.05, 0.30, 0.03, 0.17),
}
THIRD_PARTY = HOW_REPORTED.index("third_party")
PARTNER_AGENCY = HOW_REPORTED.index("partner_agency")

RELATIONSHIPS = (
    "partner",
    "ex_partner",
    "family",
    "acquaintance",
    "online_contact",
    "position_of_trust",
    "stranger",
    "not_known",
)
RELATIONSHIP_P: dict[bool, tuple[float, ...]] = {
    False: (0.22, 0.20, 0.05, 0.26, 0.08, 0.03, 0.12, 0.04),
    True: (0.04, 0.02, 0.33, 0.25, 0.13, 0.12, 0.07, 0.04),
}
# A victim can name a partner or relative; a stranger or someone met online often stays unidentified.
NAMED_GIVEN_RELATIONSHIP = np.array([0.98, 0.98, 0.97, 0.93, 0.70, 0.97, 0.30, 0.15])

NO_SUSPECT, UNNAMED_SUSPECT, NAMED_SUSPECT = 0, 1, 2
WITHIN_DAYS, WITHIN_YEAR, YEARS_LATER = 0, 1, 2

# Home Office outcome codes that the timeline treats specially.
CHARGE, CPS_PUBLIC_INTEREST = 1, 9
NO_SUSPECT_VICTIM_DECLINES, VICTIM_SUPPORTS, VICTIM_WITHDREW = 14, 15, 16
POLICE_PUBLIC_INTEREST = 21
CAUTIONS = [2, 3]

LOCATIONS = np.array(
    [
        "Victim's home address",
        "Suspect's home address",
        "Other dwelling",
        "Street or open space",
        "Park",
        "Licensed premises",
        "Vehicle",
        "Hotel",
        "School or college",
        "Workplace",
        "Online",
    ],
    dtype=object,
)
LOCATION_P = np.array([0.30, 0.20, 0.12, 0.08, 0.04, 0.06, 0.05, 0.04, 0.03, 0.03, 0.05])
ONLINE_LOCATION = len(LOCATIONS) - 1

# Timeline order breaks ties between events at the same moment.
KINDS = (
    "reported",
    "recorded",
    "allocated",
    "victim_contacted",
    "suspect_identified",
    "suspect_arrested",
    "suspect_interviewed",
    "suspect_bailed",
    "suspect_rui",
    "file_to_cps",
    "victim_withdrew",
    "victim_reengaged",
    "charged",
    "outcome_recorded",
    "closed",
)
KIND = {k: i for i, k in enumerate(KINDS)}
SUMMARIES = (
    "Report received",
    "Recorded as a crime",
    "Allocated to the officer in the case",
    "First contact with the victim",
    "Suspect identified",
    "Suspect arrested",
    "Suspect interviewed under caution",
    "Released on pre-charge bail",
    "Released under investigation",
    "Investigation file sent to the CPS for a charging decision",
    "Victim no longer supports the investigation",
    "Victim supports the investigation again",
    "Suspect charged",
    "Outcome recorded",
    "Case closed",
    "Update to the victim",
)
FOLLOW_UP_SUMMARY = len(SUMMARIES) - 1

RATIONALES = {
    1: "CPS authorised a charge.",
    9: "CPS advised prosecution is not in the public interest.",
    10: "Formal action not in the public interest; reasons recorded by the supervisor.",
    14: "No suspect identified and the victim does not support further action.",
    15: "Victim supports action; evidence does not meet the test for a charge.",
    16: "Victim withdrew support; the evidence does not allow the case to proceed without it.",
    18: "All reasonable lines of enquiry completed; no suspect identified.",
    20: "Another force or agency has primacy for the investigation.",
    21: "Supervisor decision: further investigation is not proportionate; reasons recorded and victim told.",
}

RANKS = ("DC", "PC", "DS", "DI", "DCI", "STAFF")


def epoch_day(day: dt.date) -> int:
    return (day - EPOCH).days


@dataclass
class Force:
    """The teams, officers, cases and their outcomes and timelines, as columns."""

    # Teams and officers.
    team_names: ObjArray
    officer_collar: IntArray
    officer_rank: ObjArray
    officer_team: IntArray
    # Cases, in the order they were reported.
    offence: IntArray
    child: BoolArray
    rape: BoolArray
    reported_us: IntArray
    recorded_us: IntArray
    offence_from: IntArray
    offence_to: IntArray
    non_recent: BoolArray
    how_reported: IntArray
    location: IntArray
    location_present: BoolArray
    team: IntArray
    officer: IntArray  # -1 for a case not yet allocated
    status: ObjArray
    # The victim: female or not, and date of birth as a day number, that fit the offence class.
    victim_female: BoolArray
    victim_dob: IntArray
    suspect_kind: IntArray
    relationship: IntArray
    has_witness: BoolArray
    has_reporter: BoolArray
    # Outcomes (rows only for closed cases).
    outcome_case: IntArray
    outcome_code: IntArray
    outcome_day: IntArray
    outcome_rationale: ObjArray
    outcome_victim_informed: BoolArray
    # Events, sorted by case and time.
    event_case: IntArray
    event_us: IntArray
    event_kind: IntArray
    event_summary: IntArray

    @property
    def n(self) -> int:
        return len(self.offence)


def _lognormal(
    rng: np.random.Generator, median: FloatArray | float, sigma: FloatArray | float, size: int
) -> FloatArray:
    return np.asarray(median * np.exp(sigma * rng.standard_normal(size)), dtype=np.float64)


def _choice_by_flag(rng: np.random.Generator, flag: BoolArray, table: dict[bool, tuple[float, ...]]) -> IntArray:
    """One categorical draw per row, from one of two distributions picked by `flag`."""
    out = np.empty(len(flag), dtype=np.int64)
    for value in (False, True):
        rows = np.flatnonzero(flag == value)
        out[rows] = rng.choice(len(table[value]), size=len(rows), p=np.array(table[value]))
    return out


def _offence_dates(
    rng: np.random.Generator, ref: Reference, offence: IntArray, report_day: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """When each offence began and ended, and the victim's date of birth to fit the class's age band."""
    n = len(offence)
    offences = ref.offences
    child = offences.child[offence]
    # Age at the start of the offence, within the class's band: adults skew young, children spread evenly.
    low, high = offences.min_age[offence], offences.max_age[offence]
    adult_age = low + rng.gamma(1.6, 6.0, size=n)
    child_age = low + rng.random(n) * (high - low + 1)
    age_years = np.where(child, child_age, adult_age).clip(low, high + 0.999)
    age_days = (age_years * DAYS_PER_YEAR).astype(np.int64)

    # Reporting delay: many within days, some within the year, a substantial share years later
    # (more so for children, who often report as adults).
    delay_kind = _choice_by_flag(rng, child, {False: (0.55, 0.23, 0.22), True: (0.33, 0.22, 0.45)})
    days_soon = rng.exponential(1.5, size=n)
    days_months = np.exp(rng.uniform(np.log(8), np.log(364), size=n))
    # Nobody reports at 95: cap the years so the victim is at most about 90 at the report.
    max_years = np.maximum(1.0, 90.0 - age_years)
    years_later = np.exp(rng.uniform(0.0, np.log(np.minimum(35.0, max_years)), size=n)).clip(1.0, None)
    delay_days = np.select(
        [delay_kind == WITHIN_DAYS, delay_kind == WITHIN_YEAR], [days_soon, days_months], years_later * DAYS_PER_YEAR
    ).astype(np.int64)
    delay_days = np.where(delay_kind == YEARS_LATER, np.maximum(delay_days, 366), delay_days)
    offence_to = report_day - delay_days

    # Most offences are one date; abuse over a period is common for children and partners.
    period = rng.random(n) < np.where(child, 0.5, 0.2)
    length = _lognormal(rng, 60.0, 1.2, n).astype(np.int64)
    # Keep a child's period inside the class's age band.
    room = np.maximum(0, ((high + 1) * DAYS_PER_YEAR).astype(np.int64) - age_days - 1)
    length = np.where(period, np.minimum(length, np.where(child, room, 3650)), 0)
    offence_from = offence_to - length
    victim_dob = offence_from - age_days
    return offence_from, offence_to, victim_dob


def build_force(*, rng: np.random.Generator, ref: Reference, cases: int, end_date: dt.date, years: float) -> Force:
    n = cases
    end_day = epoch_day(end_date)
    # The last moment of the window: the extract is taken at midnight at the end of end_date.
    end_us = (end_day + 1) * DAY_US - 1
    window_days = max(1, round(years * DAYS_PER_YEAR))

    # Reports, in time order, so that crime references count up.
    report_day = end_day - rng.integers(0, window_days, size=n)
    report_us = np.sort(report_day * DAY_US + rng.integers(0, DAY_US, size=n))
    report_day = report_us // DAY_US
    recorded_us = np.minimum(
        report_us + (_lognormal(rng, 4.0, 1.0, n).clip(0.05, 48.0) * HOUR_US).astype(np.int64), end_us
    )

    offences = ref.offences
    offence = rng.choice(len(offences.codes), size=n, p=offences.p)
    child = offences.child[offence]
    rape = offences.is_rape[offence]

    offence_from, offence_to, victim_dob = _offence_dates(rng, ref, offence, report_day)
    non_recent = (report_day - offence_to) >= 365  # noqa: PLR2004 (a year)

    victim_female = rng.random(n) < offences.female_share[offence]
    how = _choice_by_flag(rng, child, HOW_REPORTED_P)
    location = rng.choice(len(LOCATIONS), size=n, p=LOCATION_P)
    location_present = rng.random(n) > 0.05  # noqa: PLR2004

    relationship = _choice_by_flag(rng, child, RELATIONSHIP_P)
    named = rng.random(n) < NAMED_GIVEN_RELATIONSHIP[relationship]
    suspect_kind = np.where(
        named,
        NAMED_SUSPECT,
        np.where(rng.random(n) < 0.6, UNNAMED_SUSPECT, NO_SUSPECT),  # noqa: PLR2004
    )
    has_witness = rng.random(n) < 0.22  # noqa: PLR2004
    has_reporter = (how == THIRD_PARTY) | ((how == PARTNER_AGENCY) & (rng.random(n) < 0.5))  # noqa: PLR2004

    # The eventual outcome and when it would be decided.
    mix = ref.outcomes
    code_pos = np.empty(n, dtype=np.int64)
    for is_rape in (0, 1):
        for is_named in (0, 1):
            rows = np.flatnonzero((rape == bool(is_rape)) & (named == bool(is_named)))
            code_pos[rows] = rng.choice(len(mix.codes), size=len(rows), p=mix.p[is_rape, is_named])
    code = mix.codes[code_pos]
    duration = np.maximum(3, _lognormal(rng, mix.median_days[code_pos], mix.sigma[code_pos], n)).astype(np.int64)
    decided_us = (report_day + duration) * DAY_US + rng.integers(8 * HOUR_US, 18 * HOUR_US, size=n)
    closed_us = decided_us + 10 * MINUTE_US
    has_outcome = closed_us <= end_us

    teams = _teams(rng, ref, n)
    team_names, officer_collar, officer_rank, officer_team, team, officer = teams
    timeline = _timeline(
        rng,
        recorded_us=recorded_us,
        report_us=report_us,
        decided_us=decided_us,
        code=code,
        named=named,
        has_outcome=has_outcome,
        end_us=end_us,
    )
    event_case, event_us, event_kind, event_summary, allocated_us, cps_us = timeline
    officer = np.where(allocated_us <= end_us, officer, -1)
    status = np.where(
        has_outcome,
        np.where(code == CHARGE, "charged", "closed"),
        np.where(cps_us <= end_us, "with_cps", np.where(officer >= 0, "under_investigation", "reported")),
    ).astype(object)

    outcome_case = np.flatnonzero(has_outcome)
    outcome_code = code[outcome_case]
    rationale = np.array([RATIONALES.get(int(c)) for c in mix.codes], dtype=object)[code_pos[outcome_case]]
    # Not every officer writes a rationale, except where the rules demand one.
    rationale = blank((rng.random(len(outcome_case)) >= 0.65) & (outcome_code != POLICE_PUBLIC_INTEREST), rationale)  # noqa: PLR2004
    informed = (rng.random(len(outcome_case)) < 0.93) | (outcome_code == POLICE_PUBLIC_INTEREST)  # noqa: PLR2004

    return Force(
        team_names=team_names,
        officer_collar=officer_collar,
        officer_rank=officer_rank,
        officer_team=officer_team,
        offence=offence,
        child=child,
        rape=rape,
        reported_us=report_us,
        recorded_us=recorded_us,
        offence_from=offence_from,
        offence_to=offence_to,
        non_recent=non_recent,
        how_reported=how,
        location=location,
        location_present=location_present,
        team=team,
        officer=officer,
        status=status,
        victim_female=victim_female,
        victim_dob=victim_dob,
        suspect_kind=suspect_kind,
        relationship=relationship,
        has_witness=has_witness,
        has_reporter=has_reporter,
        outcome_case=outcome_case,
        outcome_code=outcome_code,
        outcome_day=decided_us[outcome_case] // DAY_US,
        outcome_rationale=rationale,
        outcome_victim_informed=informed,
        event_case=event_case,
        event_us=event_us,
        event_kind=event_kind,
        event_summary=event_summary,
    )


def _teams(
    rng: np.random.Generator, ref: Reference, n: int
) -> tuple[ObjArray, IntArray, ObjArray, IntArray, IntArray, IntArray]:
    """About six RASSO teams for a mid-sized force's two years (7,200 cases), more for bigger forces."""
    n_teams = max(1, round(n / 1200))
    towns = ref.places.towns
    team_names = np.array(
        [
            f"RASSO {towns[t % len(towns)]}" + (f" {t // len(towns) + 1}" if t >= len(towns) else "")
            for t in range(n_teams)
        ],
        dtype=object,
    )
    # Per team: an inspector, two sergeants, detective constables, a constable or two and staff investigators.
    dcs = 6 + rng.poisson(2.0, size=n_teams)
    pcs = 1 + rng.integers(0, 2, size=n_teams)
    staff = 1 + rng.integers(0, 2, size=n_teams)
    counts = np.stack([dcs, pcs, np.full(n_teams, 2), np.ones(n_teams, dtype=np.int64), staff], axis=1)
    per_team = np.array(["DC", "PC", "DS", "DI", "STAFF"], dtype=object)
    officer_team = np.repeat(np.repeat(np.arange(n_teams), 5), counts.ravel())
    officer_rank = np.repeat(np.tile(per_team, n_teams), counts.ravel())
    # One chief inspector for every six teams.
    chiefs = np.arange(0, n_teams, 6)
    officer_team = np.concatenate([officer_team, chiefs])
    officer_rank = np.concatenate([officer_rank, np.full(len(chiefs), "DCI", dtype=object)])
    collar = rng.choice(90_000, size=len(officer_team), replace=False).astype(np.int64) + 10_000

    team = rng.choice(n_teams, size=n, p=rng.dirichlet(np.full(n_teams, 20.0)))
    # Investigators carry the cases, sergeants a few; uneven weights give a mix of caseloads.
    weight = np.select(
        [np.isin(officer_rank, ["DC", "PC", "STAFF"]), officer_rank == "DS"], [1.0, 0.15], 0.0
    ) * rng.gamma(2.0, 1.0, size=len(officer_team))
    order = np.argsort(officer_team, kind="stable")
    cumulative = np.cumsum(weight[order])
    team_end = cumulative[np.searchsorted(officer_team[order], np.arange(n_teams), side="right") - 1]
    team_start = team_end - np.bincount(officer_team, weights=weight, minlength=n_teams)
    target = team_start[team] + rng.random(n) * (team_end[team] - team_start[team])
    officer = order[np.minimum(np.searchsorted(cumulative, target, side="right"), len(order) - 1)]
    return team_names, collar, officer_rank, officer_team, team, officer


def _after(rng: np.random.Generator, span: FloatArray, start: IntArray, low: float, high: float) -> IntArray:
    """A moment after `start`, between `low` and `high` of the way through each case's span."""
    return start + (span * rng.uniform(low, high, size=len(span))).astype(np.int64) + 1


def _timeline(
    rng: np.random.Generator,
    *,
    recorded_us: IntArray,
    report_us: IntArray,
    decided_us: IntArray,
    code: IntArray,
    named: BoolArray,
    has_outcome: BoolArray,
    end_us: int,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """The events of every case, placed as fractions of the time from recording to the outcome.

    Fractions keep each step after the one it depends on and every step before the outcome, however
    quick the case; the investigative steps all fall in the first 30 per cent of the span.
    """
    n = len(code)
    span = (decided_us - recorded_us).astype(np.float64)

    allocated = recorded_us + np.minimum(_lognormal(rng, 20.0, 0.8, n) * HOUR_US, 0.03 * span).astype(np.int64) + 1
    contacted = allocated + np.minimum(_lognormal(rng, 10.0, 0.8, n) * HOUR_US, 0.03 * span).astype(np.int64) + 1
    identified = _after(rng, span, contacted, 0.0, 0.08)
    p_arrest = np.select(
        [
            code == CHARGE,
            np.isin(code, [*CAUTIONS, CPS_PUBLIC_INTEREST]),
            code == VICTIM_SUPPORTS,
            code == VICTIM_WITHDREW,
        ],
        [0.9, 0.8, 0.6, 0.35],
        0.5,
    )
    arrested_mask = named & (rng.random(n) < p_arrest)
    arrested = _after(rng, span, identified, 0.01, 0.15)
    interviewed_mask = (arrested_mask & (rng.random(n) < 0.95)) | (named & ~arrested_mask & (rng.random(n) < 0.2))  # noqa: PLR2004
    interviewed = np.where(
        arrested_mask, _after(rng, span, arrested, 0.0005, 0.01), _after(rng, span, identified, 0.02, 0.2)
    )
    released = _after(rng, span, interviewed, 0.0002, 0.002)
    bailed = rng.random(n) < 0.35  # noqa: PLR2004
    p_cps = np.select(
        [
            np.isin(code, [CHARGE, CPS_PUBLIC_INTEREST]),
            np.isin(code, CAUTIONS),
            code == VICTIM_SUPPORTS,
            code == VICTIM_WITHDREW,
        ],
        [1.0, 0.3, 0.25, 0.05],
        0,
    )
    cps_mask = named & (rng.random(n) < p_cps)
    cps = recorded_us + (span * rng.uniform(0.55, 0.9, size=n)).astype(np.int64)
    p_withdrew = np.select([code == VICTIM_WITHDREW, code == NO_SUSPECT_VICTIM_DECLINES], [1.0, 0.5], 0.03)
    withdrew_mask = rng.random(n) < p_withdrew
    withdrew = _after(rng, span, contacted, 0.05, 0.5)
    # A victim who withdrew but whose case went on to another outcome came back to it.
    reengaged_mask = withdrew_mask & ~np.isin(code, [NO_SUSPECT_VICTIM_DECLINES, VICTIM_WITHDREW])
    reengaged = _after(rng, span, withdrew, 0.02, 0.2)

    parts: list[tuple[IntArray, IntArray, int, int]] = []

    def add(mask: BoolArray | None, times: IntArray, kind: int, summary: int | None = None) -> None:
        rows = np.arange(n) if mask is None else np.flatnonzero(mask)
        parts.append((rows, times[rows], kind, kind if summary is None else summary))

    add(None, report_us, KIND["reported"])
    add(None, recorded_us, KIND["recorded"])
    add(None, allocated, KIND["allocated"])
    add(None, contacted, KIND["victim_contacted"])
    # Updates to the victim roughly monthly, up to three, while the case is open.
    for k in range(1, 4):
        follow_up = contacted + (k * rng.uniform(21, 35, size=n) * DAY_US).astype(np.int64)
        add(follow_up < decided_us, follow_up, KIND["victim_contacted"], FOLLOW_UP_SUMMARY)
    add(named, identified, KIND["suspect_identified"])
    add(arrested_mask, arrested, KIND["suspect_arrested"])
    add(interviewed_mask, interviewed, KIND["suspect_interviewed"])
    add(interviewed_mask & bailed, released, KIND["suspect_bailed"])
    add(interviewed_mask & ~bailed, released, KIND["suspect_rui"])
    add(cps_mask, cps, KIND["file_to_cps"])
    add(withdrew_mask, withdrew, KIND["victim_withdrew"])
    add(reengaged_mask, reengaged, KIND["victim_reengaged"])
    # The outcome's events appear exactly when the outcome row does.
    add(has_outcome & (code == CHARGE), decided_us - 2 * HOUR_US, KIND["charged"])
    add(has_outcome, decided_us, KIND["outcome_recorded"])
    add(has_outcome & (code != CHARGE), decided_us + 10 * MINUTE_US, KIND["closed"])

    case = np.concatenate([p[0] for p in parts])
    times = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int64) for p in parts])
    summary = np.concatenate([np.full(len(p[0]), p[3], dtype=np.int64) for p in parts])
    keep = times <= end_us
    case, times, kind, summary = case[keep], times[keep], kind[keep], summary[keep]
    order = np.lexsort((kind, times, case))
    cps_time = np.where(cps_mask, cps, np.iinfo(np.int64).max)
    return case[order], times[order], kind[order], summary[order], allocated, cps_time
