"""The measures read from what the pillar apps record: Victims' Code duties, contact plans, ISVA
referrals, portal feedback, plans and lines of enquiry, phone returns, the repeat-suspect register,
disruption tactics and caseloads. None of these is in the extract.

As in `extract_based`, dates are days in Europe/London, converted by the caller, and the caller
passes only the records of the cases in scope.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bluestone.measures.period import Period
from bluestone.measures.rows import Row, count_row, ratio_row

# Fewer responses than this and a mean is not shown: it could reveal what one victim said.
SMALL_NUMBER = 5
FEEDBACK_QUESTIONS = ("voice", "respect", "neutrality", "trustworthiness", "overall")
PHONE_RETURN_TARGET = dt.timedelta(hours=24)
ISVA_ACCEPTED = "accepted"
ISVA_NOT_OFFERED = "not_offered"
FOCUS_SUSPECT = "suspect"
FOCUS_VICTIM = "victim"
APPROVED = "approved"
REFUSED = "refused"


@dataclass(frozen=True)
class Duty:
    """A Victims' Code duty: a right owed to a victim by a date."""

    right: str
    due_on: dt.date
    applies: bool  # False once marked not applicable
    met_on: dt.date | None


@dataclass(frozen=True)
class ContactPlan:
    """A victim's agreed contact plan, on an open case."""

    agreed_on: dt.date
    cadence_days: int
    last_contact_on: dt.date | None

    @property
    def next_due(self) -> dt.date:
        start = max(self.agreed_on, self.last_contact_on) if self.last_contact_on else self.agreed_on
        return start + dt.timedelta(days=self.cadence_days)


@dataclass(frozen=True)
class FeedbackResponse:
    answers: Mapping[str, int]  # question -> score


@dataclass(frozen=True)
class Line:
    """A line of enquiry on a case's plan, as far as the focus measures need it."""

    case_id: str
    focus: str  # suspect, victim or neutral
    started_at: dt.datetime | None
    needed: bool  # False when marked not needed
    victim_focused_action: bool  # an intrusive action on the victim (phone, records)
    approval_state: str


@dataclass(frozen=True)
class PhoneReturn:
    """A victim's phone taken on the return clock, and when the clock stopped (returned or replaced)."""

    taken_at: dt.datetime
    stopped_at: dt.datetime | None


def code_compliance(duties: Iterable[Duty], *, period: Period, as_of: dt.date, rights: Sequence[str] = ()) -> list[Row]:
    """Duties due in the period that were met by their due date, of those that applied and fell due.

    A duty still open whose due date is on or after `as_of` has not fallen due and is left out.
    """
    counted = [d for d in duties if d.due_on in period and d.applies and (d.met_on is not None or d.due_on < as_of)]
    on_time = Counter(d.right for d in counted if d.met_on is not None and d.met_on <= d.due_on)
    return code_compliance_counts(Counter(d.right for d in counted), on_time, rights=rights)


def code_compliance_counts(
    due: Mapping[str, int], on_time: Mapping[str, int], *, rights: Sequence[str] = ()
) -> list[Row]:
    """`code_compliance` from counts per right: the duties counted (due in the period, applied and
    fell due) and those of them met on time."""
    names = list(rights) + sorted({right for right, n in due.items() if n} - set(rights))
    return [
        ratio_row("code_compliance", "", sum(on_time.values()), sum(due.values())),
        *(ratio_row("code_compliance", right, on_time.get(right, 0), due.get(right, 0)) for right in names),
    ]


def contact_overdue(plans: Iterable[ContactPlan], *, as_of: dt.date) -> list[Row]:
    """Victims with a contact plan on an open case whose next contact was due before `as_of`."""
    plans = list(plans)
    return contact_overdue_counts(sum(1 for plan in plans if plan.next_due < as_of), plans=len(plans))


def contact_overdue_counts(overdue: int, *, plans: int) -> list[Row]:
    """`contact_overdue` from its counts: the contact plans on open cases, and the overdue ones."""
    return [ratio_row("contact_overdue", "", overdue, plans)]


def isva_referral(statuses: Iterable[str]) -> list[Row]:
    """Of the victims on the cohort's cases: referred to an ISVA (accepted), and offered one at all."""
    return isva_referral_counts(Counter(statuses))


def isva_referral_counts(victims_by_status: Mapping[str, int]) -> list[Row]:
    """`isva_referral` from the number of victims with each ISVA status."""
    victims = sum(victims_by_status.values())
    referred = victims_by_status.get(ISVA_ACCEPTED, 0)
    offered = victims - victims_by_status.get(ISVA_NOT_OFFERED, 0)
    return [
        ratio_row("isva_referral", "", referred, victims),
        ratio_row("isva_referral", "offered", offered, victims),
    ]


def feedback(responses: Iterable[FeedbackResponse]) -> list[Row]:
    """Responses in the period, and the mean score per question; no mean under 5 responses."""
    responses = list(responses)
    totals = {question: sum(r.answers[question] for r in responses) for question in FEEDBACK_QUESTIONS}
    return feedback_totals(len(responses), totals)


def feedback_totals(responses: int, totals: Mapping[str, int]) -> list[Row]:
    """`feedback` from the number of responses and the sum of the scores given to each question."""
    rows = [count_row("feedback", "", responses)]
    for question in FEEDBACK_QUESTIONS:
        mean = totals[question] / responses if responses >= SMALL_NUMBER else None
        rows.append(Row("feedback", question, None, responses, mean))
    return rows


def suspect_focus(lines: Iterable[Line]) -> list[Row]:
    """Cases whose first suspect-focused line started no later than their first victim-focused one.

    Counted over the cases where a suspect- or victim-focused line has started; lines marked not
    needed do not count.
    """
    first: dict[str, dict[str, dt.datetime]] = {}
    for line in lines:
        if line.needed and line.started_at is not None and line.focus in {FOCUS_SUSPECT, FOCUS_VICTIM}:
            seen = first.setdefault(line.case_id, {})
            if line.focus not in seen or line.started_at < seen[line.focus]:
                seen[line.focus] = line.started_at
    suspect_first = sum(
        1
        for seen in first.values()
        if FOCUS_SUSPECT in seen and (FOCUS_VICTIM not in seen or seen[FOCUS_SUSPECT] <= seen[FOCUS_VICTIM])
    )
    return suspect_focus_counts(suspect_first, cases=len(first))


def suspect_focus_counts(suspect_first: int, *, cases: int) -> list[Row]:
    """`suspect_focus` from its counts: the cases where a suspect- or victim-focused line has started,
    and those of them whose first suspect-focused line started no later than their first victim-focused one."""
    return [ratio_row("suspect_focus", "", suspect_first, cases)]


def victim_focused_actions(lines: Iterable[Line], *, cases: int) -> list[Row]:
    """Intrusive victim-focused actions per 100 cohort cases, and the share of decided ones approved."""
    by_state = Counter(line.approval_state for line in lines if line.victim_focused_action and line.needed)
    return victim_focused_action_counts(by_state, cases=cases)


def victim_focused_action_counts(actions_by_state: Mapping[str, int], *, cases: int) -> list[Row]:
    """`victim_focused_actions` from the number of needed intrusive actions in each approval state."""
    actions = sum(actions_by_state.values())
    approved = actions_by_state.get(APPROVED, 0)
    decided = approved + actions_by_state.get(REFUSED, 0)
    return [
        Row("victim_focused_actions", "per_100_cases", actions, cases, 100 * actions / cases if cases else None),
        ratio_row("victim_focused_actions", "approval_rate", approved, decided),
    ]


def phones_returned_24h(phones: Iterable[PhoneReturn]) -> list[Row]:
    """Victims' phones taken in the period that were back (or replaced) within 24 hours."""
    phones = list(phones)
    quick = sum(1 for p in phones if p.stopped_at is not None and p.stopped_at - p.taken_at <= PHONE_RETURN_TARGET)
    return [ratio_row("phones_returned_24h", "", quick, len(phones))]


def repeat_suspect_share(suspects: Iterable[str | None], cases_of_identity: Mapping[str, set[str]]) -> list[Row]:
    """Named suspects on cohort cases (their identities, or None where unlinked) who are suspects on
    more than one case."""
    suspects = list(suspects)
    repeat = sum(1 for identity in suspects if identity is not None and len(cases_of_identity.get(identity, ())) > 1)
    return repeat_suspect_counts(repeat, suspects=len(suspects))


def repeat_suspect_counts(repeat: int, *, suspects: int) -> list[Row]:
    """`repeat_suspect_share` from its counts: the named suspects on cohort cases, and those of them
    whose identity is a suspect on more than one case."""
    return [ratio_row("repeat_suspect_share", "", repeat, suspects)]


def disruption_tactics(started: Iterable[tuple[str, dt.date]], *, period: Period) -> list[Row]:
    """Disruption tactics in force that started in the period, in all and per kind of tactic."""
    by_kind = Counter(kind for kind, starts_on in started if starts_on in period)
    return [
        count_row("disruption_tactics", "", sum(by_kind.values())),
        *(count_row("disruption_tactics", kind, by_kind[kind]) for kind in sorted(by_kind)),
    ]


def open_caseload(open_cases_by_officer: Mapping[str, int]) -> list[Row]:
    """Open cases held by officers, per officer holding any."""
    held = sum(open_cases_by_officer.values())
    officers = sum(1 for n in open_cases_by_officer.values() if n)
    return [ratio_row("open_caseload_per_officer", "", held, officers)]
