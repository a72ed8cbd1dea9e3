"""The app-record measures' definitions, on hand-made records."""

from __future__ import annotations

import datetime as dt

from bluestone.measures import Period, Row
from bluestone.measures import records as m

D = dt.date
UTC = dt.UTC
MARCH = Period(D(2025, 3, 1), D(2025, 3, 31))


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=UTC)


def test_code_compliance_counts_duties_due_in_the_period_that_applied_and_fell_due() -> None:
    duties = [
        m.Duty("update", D(2025, 3, 5), applies=True, met_on=D(2025, 3, 5)),  # on time
        m.Duty("update", D(2025, 3, 6), applies=True, met_on=D(2025, 3, 8)),  # late
        m.Duty("update", D(2025, 3, 7), applies=True, met_on=None),  # overdue
        m.Duty("update", D(2025, 3, 9), applies=False, met_on=None),  # not applicable
        m.Duty("update", D(2025, 3, 30), applies=True, met_on=None),  # not yet due on as_of
        m.Duty("assess", D(2025, 3, 1), applies=True, met_on=D(2025, 2, 27)),
        m.Duty("assess", D(2025, 4, 1), applies=True, met_on=None),  # due after the period
    ]
    rows = m.code_compliance(duties, period=MARCH, as_of=D(2025, 3, 30), rights=["assess", "update", "isva"])
    assert rows == [
        Row("code_compliance", "", 2, 4, 0.5),
        Row("code_compliance", "assess", 1, 1, 1.0),
        Row("code_compliance", "update", 1, 3, 1 / 3),
        Row("code_compliance", "isva", 0, 0, None),
    ]


def test_contact_is_overdue_when_the_cadence_from_the_later_of_agreement_and_last_contact_has_passed() -> None:
    plans = [
        m.ContactPlan(D(2025, 3, 1), 7, last_contact_on=None),  # due 8 March: overdue on the 10th
        m.ContactPlan(D(2025, 3, 1), 7, last_contact_on=D(2025, 3, 6)),  # due 13 March
        m.ContactPlan(D(2025, 3, 3), 7, last_contact_on=D(2025, 2, 1)),  # due 10 March: not before it
    ]
    assert m.contact_overdue(plans, as_of=D(2025, 3, 10)) == [Row("contact_overdue", "", 1, 3, 1 / 3)]


def test_isva_referral_and_offer_rates() -> None:
    rows = m.isva_referral(["accepted", "declined", "offered", "not_offered"])
    assert rows == [Row("isva_referral", "", 1, 4, 0.25), Row("isva_referral", "offered", 3, 4, 0.75)]


def test_feedback_means_are_suppressed_under_five_responses() -> None:
    answers = {q: 4 for q in m.FEEDBACK_QUESTIONS}
    four = m.feedback([m.FeedbackResponse(answers)] * 4)
    assert four[0] == Row("feedback", "", 4, None, 4.0)
    assert all(row.value is None and row.denominator == 4 for row in four[1:])
    five = m.feedback([m.FeedbackResponse({**answers, "voice": v}) for v in (1, 2, 3, 4, 5)])
    assert {row.breakdown: row.value for row in five[1:]} == {
        "voice": 3.0,
        "respect": 4.0,
        "neutrality": 4.0,
        "trustworthiness": 4.0,
        "overall": 4.0,
    }


def line(case: str, focus: str, started: dt.datetime | None, **kw: object) -> m.Line:
    fields: dict[str, object] = {"needed": True, "victim_focused_action": False, "approval_state": "not_needed"}
    fields.update(kw)
    return m.Line(case, focus, started, **fields)  # type: ignore[arg-type]


def test_suspect_focus_compares_the_first_started_lines_of_each_focus() -> None:
    lines = [
        line("a", "suspect", at(2)),
        line("a", "victim", at(3)),  # a: suspect first
        line("b", "victim", at(1)),
        line("b", "suspect", at(4)),  # b: victim first
        line("c", "suspect", at(5)),  # c: only suspect
        line("d", "victim", at(5)),
        line("d", "suspect", at(1), needed=False),  # d: the suspect line was not needed
        line("e", "suspect", None),
        line("e", "neutral", at(1)),  # e: nothing focused has started: not counted
    ]
    assert m.suspect_focus(lines) == [Row("suspect_focus", "", 2, 4, 0.5)]


def test_victim_focused_actions_per_100_cases_and_approval_rate() -> None:
    lines = [
        line("a", "victim", None, victim_focused_action=True, approval_state="approved"),
        line("a", "victim", None, victim_focused_action=True, approval_state="refused"),
        line("b", "victim", None, victim_focused_action=True, approval_state="requested"),
        line("b", "victim", None, victim_focused_action=True, approval_state="approved", needed=False),
        line("b", "victim", at(1)),  # victim-focused, but not an intrusive action
    ]
    assert m.victim_focused_actions(lines, cases=12) == [
        Row("victim_focused_actions", "per_100_cases", 3, 12, 25.0),
        Row("victim_focused_actions", "approval_rate", 1, 2, 0.5),
    ]


def test_a_phone_counts_as_returned_within_24_hours_to_the_second() -> None:
    phones = [
        m.PhoneReturn(at(1), at(2)),  # exactly 24 hours
        m.PhoneReturn(at(1), at(2) + dt.timedelta(seconds=1)),
        m.PhoneReturn(at(1), None),
    ]
    assert m.phones_returned_24h(phones) == [Row("phones_returned_24h", "", 1, 3, 1 / 3)]


def test_repeat_suspects_are_identities_suspected_on_more_than_one_case() -> None:
    cases_of = {"p": {"c1", "c2"}, "q": {"c3"}}
    assert m.repeat_suspect_share(["p", "q", None, "p"], cases_of) == [Row("repeat_suspect_share", "", 2, 4, 0.5)]


def test_disruption_tactics_count_those_started_in_the_period_by_kind() -> None:
    started = [("sro", D(2025, 3, 2)), ("sro", D(2025, 3, 31)), ("shpo", D(2025, 3, 9)), ("sro", D(2025, 4, 1))]
    assert m.disruption_tactics(started, period=MARCH) == [
        Row("disruption_tactics", "", 3, None, 3.0),
        Row("disruption_tactics", "shpo", 1, None, 1.0),
        Row("disruption_tactics", "sro", 2, None, 2.0),
    ]


def test_open_caseload_is_per_officer_holding_any() -> None:
    assert m.open_caseload({"a": 3, "b": 5, "c": 0}) == [Row("open_caseload_per_officer", "", 8, 2, 4.0)]
    assert m.open_caseload({}) == [Row("open_caseload_per_officer", "", 0, 0, None)]
