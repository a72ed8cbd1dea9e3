"""Outcomes: the Home Office rules, a rationale, a supervisor's sign-off, the victim told; closing
and reopening keep their history. Outcome 16 needs the victim's withdrawal on the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind, Outcome
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import DecisionState, OutcomeDecision
from bluestone.investigation.services import (
    case_reopen,
    outcome_propose,
    outcome_sign_off,
    outcome_victim_told_record,
    victim_withdrawal_on_record,
)
from tests.factories import BASE_TIME

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 3)


def _propose(case, actor, code, **overrides):
    arguments = {
        "actor": actor,
        "case": case,
        "outcome_type": OutcomeType.objects.get(code=code),
        "decided_on": TODAY,
        "rationale": "The victim no longer supports the investigation and the evidence is insufficient.",
        "victim_informed": True,
        "victim_informed_on": TODAY,
        "victim_told_right_to_review": True,
    }
    return outcome_propose(**(arguments | overrides))


def _withdraw(case, actor, minutes=0):
    case_event_record(
        actor=actor,
        case=case,
        kind=EventKind.VICTIM_WITHDREW,
        occurred_at=BASE_TIME - dt.timedelta(hours=3, minutes=-minutes),
    )


def test_outcome_16_without_the_victims_withdrawal_on_record_is_refused(case, suspect, investigator):
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 16)
    assert "withdrawal of support on record" in raised.value.message_dict["outcome_type"][0]
    assert not OutcomeDecision.objects.exists()


def test_withdrawal_on_record_is_the_latest_of_withdrawal_and_reengagement(case, investigator):
    assert not victim_withdrawal_on_record(case)
    _withdraw(case, investigator)
    assert victim_withdrawal_on_record(case)
    case_event_record(actor=investigator, case=case, kind=EventKind.VICTIM_REENGAGED, occurred_at=BASE_TIME)
    assert not victim_withdrawal_on_record(case)


def test_named_suspect_rules_apply(case, investigator):
    # No suspect on the case: 15 needs one.
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 15)
    assert "named suspect" in raised.value.message_dict["outcome_type"][0]


def test_a_rationale_is_always_needed(case, investigator):
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 18, rationale="  ")
    assert "rationale" in raised.value.message_dict


def test_sign_off_closes_the_case_with_the_outcome(case, suspect, investigator, supervisor):
    _withdraw(case, investigator)
    decision = _propose(case, investigator, 16)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    with pytest.raises(PermissionDenied):
        outcome_sign_off(actor=investigator, decision=decision, approve=True)

    outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    outcome = Outcome.objects.get(case=case)
    assert outcome.outcome_type_id == 16
    assert outcome.victim_informed
    assert outcome.rationale.startswith("The victim no longer")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {EventKind.OUTCOME_RECORDED, EventKind.CLOSED} <= kinds


def test_sign_off_checks_the_rules_again(case, suspect, investigator, supervisor):
    _withdraw(case, investigator)
    decision = _propose(case, investigator, 16)
    case_event_record(actor=investigator, case=case, kind=EventKind.VICTIM_REENGAGED, occurred_at=BASE_TIME)
    with pytest.raises(ValidationError):
        outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    assert not Outcome.objects.filter(case=case).exists()


def test_a_returned_outcome_needs_a_note_and_leaves_the_case_open(case, investigator, supervisor):
    decision = _propose(case, investigator, 18)
    with pytest.raises(ValidationError):
        outcome_sign_off(actor=supervisor, decision=decision, approve=False)
    outcome_sign_off(actor=supervisor, decision=decision, approve=False, note="Check CCTV first")
    assert OutcomeDecision.objects.get(pk=decision.pk).state == DecisionState.RETURNED
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    # The officer may propose again.
    _propose(case, investigator, 18)


def test_reopening_keeps_the_history(case, investigator, supervisor):
    first = _propose(case, investigator, 18)
    outcome_sign_off(actor=supervisor, decision=first, approve=True)
    with pytest.raises(ValidationError):
        _propose(case, investigator, 18)
    with pytest.raises(ValidationError):
        case_reopen(actor=supervisor, case=case, reason="")

    case_reopen(actor=supervisor, case=case, reason="A suspect has been identified from DNA")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    assert not Outcome.objects.filter(case=case).exists()
    stored = OutcomeDecision.objects.get(pk=first.pk)
    assert stored.state == DecisionState.REOPENED
    assert stored.reopen_reason == "A suspect has been identified from DNA"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REOPENED).count() == 1

    second = _propose(case, investigator, 18)
    outcome_sign_off(actor=supervisor, decision=second, approve=True)
    assert OutcomeDecision.objects.filter(case=case).count() == 2


def test_the_case_closes_only_once_the_victim_is_told(case, investigator, supervisor):
    decision = _propose(case, investigator, 18, victim_informed=False, victim_informed_on=None)
    with pytest.raises(ValidationError) as raised:
        outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    assert "The victim has not been told of the outcome" in " ".join(raised.value.messages)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION

    outcome_victim_told_record(actor=investigator, decision=decision, told_on=TODAY)
    outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    assert Outcome.objects.get(case=case).victim_informed_on == TODAY


def test_outcome_21_needs_the_victim_told(case, suspect, investigator):
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 21, victim_informed=False, victim_informed_on=None)
    assert any("victim was told" in m for m in raised.value.message_dict["outcome_type"])
