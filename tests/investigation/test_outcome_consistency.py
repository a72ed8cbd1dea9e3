"""Outcomes must agree with the record (issue 14, defect 4): outcome 1 needs a charge or a CPS decision
to charge; outcome 15 is refused while a suspect is on bail or lines of enquiry are not started. A
supervisor may override these checks with a reason, which is kept and audited; an officer may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bluestone.audit.models import AuditEvent
from bluestone.cases.models import Case, CaseStatus
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import CpsDecision, CpsStepKind, DecisionState
from bluestone.investigation.services import (
    bail_record,
    cps_step_record,
    outcome_propose,
    outcome_sign_off,
    plan_create,
)
from tests.dates import date_boxes

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 3)


def _propose(case, actor, code, **overrides):
    arguments = {
        "actor": actor,
        "case": case,
        "outcome_type": OutcomeType.objects.get(code=code),
        "decided_on": TODAY,
        "rationale": "The evidence does not meet the test for a charge.",
        "victim_informed": True,
        "victim_informed_on": TODAY,
        "victim_told_right_to_review": True,
    }
    return outcome_propose(**(arguments | overrides))


def test_outcome_1_needs_a_charge_or_a_cps_decision_to_charge(case, suspect, investigator):
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 1)
    assert "needs a charge or a CPS decision to charge on record" in raised.value.message_dict["outcome_type"][0]

    cps_step_record(
        actor=investigator, case=case, kind=CpsStepKind.DECISION, occurred_on=TODAY, decision=CpsDecision.CHARGE
    )
    assert _propose(case, investigator, 1).state == DecisionState.PROPOSED


def test_outcome_15_is_refused_while_a_suspect_is_on_bail_or_lines_are_not_started(case, suspect, investigator):
    plan = plan_create(actor=investigator, case=case)
    not_started = plan.lines.count()
    bail_record(
        actor=investigator,
        case=case,
        suspect=suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="",
        victim_views="The victim had no view on conditions.",
    )
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 15)
    problems = raised.value.message_dict["outcome_type"]
    assert any("still on pre-charge bail" in p for p in problems)
    assert any(f"{not_started} lines of enquiry have not been started" in p for p in problems)
    # An officer cannot override, even with a reason.
    with pytest.raises(ValidationError) as raised:
        _propose(case, investigator, 15, override_reason="The CPS advised that no charge is possible.")
    assert any("Only a supervisor" in p for p in raised.value.message_dict["outcome_type"])


def test_a_supervisor_overrides_with_a_reason_that_is_kept_and_audited(case, suspect, investigator, supervisor):
    plan_create(actor=investigator, case=case)
    decision = _propose(case, supervisor, 15, override_reason="The lines left are for a second suspect, now dead.")
    assert decision.override_reason == "The lines left are for a second suspect, now dead."
    assert decision.override_by == supervisor
    logged = AuditEvent.objects.get(object_id=str(decision.pk), details__state="proposed")
    assert logged.details["override"] == decision.override_reason
    assert any("not been started" in check for check in logged.details["overridden_checks"])

    outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_sign_off_needs_an_override_when_the_record_changed_after_the_proposal(case, suspect, investigator, supervisor):
    decision = _propose(case, investigator, 15)  # no plan yet: nothing is left not started
    plan_create(actor=investigator, case=case)
    with pytest.raises(ValidationError) as raised:
        outcome_sign_off(actor=supervisor, decision=decision, approve=True)
    assert any("give the reason for overriding" in m for m in raised.value.messages)

    outcome_sign_off(
        actor=supervisor, decision=decision, approve=True, override_reason="Those lines were done by another force."
    )
    decision.refresh_from_db()
    assert (decision.state, decision.override_by) == (DecisionState.SIGNED_OFF, supervisor)
    logged = AuditEvent.objects.get(object_id=str(decision.pk), details__state="signed_off")
    assert logged.details["override"] == "Those lines were done by another force."


def test_the_proposal_page_shows_the_conflict_beside_the_outcome(case, suspect, investigator, signed_in):
    response = signed_in(investigator).post(
        f"/cases/{case.pk}/outcome/propose/",
        {"outcome_type": "1", **date_boxes("decided_on", "3/3/2026"), "rationale": "Charged by another force."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Outcome 1 needs a charge or a CPS decision to charge on record" in html
