"""Victim-focused actions are a last resort: no start without a rationale of necessity and
proportionality, the victim's agreement (phone) or written notice (records), and a supervisor's
approval. Each refusal writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluestone.audit.models import AuditEvent
from bluestone.investigation.models import ApprovalState, Focus, IntrusiveKind, LineGroup, LineOfEnquiry, LineStatus
from bluestone.investigation.services import (
    line_add,
    line_update,
    plan_create,
    victim_action_decide,
    victim_action_request_approval,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RATIONALE = "Messages between the victim and the suspect on the night are a reasonable line of enquiry."


@pytest.fixture
def plan(case, investigator):
    return plan_create(actor=investigator, case=case)


@pytest.fixture
def phone(plan, investigator):
    return line_add(
        actor=investigator,
        plan=plan,
        group=LineGroup.SUSPECT,  # put in the victim's account group whatever is chosen
        title="Download the messages from the night",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    )


def _ask(line, actor, **overrides):
    arguments = {
        "actor": actor,
        "line": line,
        "rationale": RATIONALE,
        "less_intrusive_considered": "The suspect's phone first; screenshots offered by the victim.",
        "victim_agreed": True,
        "victim_notice_given": False,
    }
    return victim_action_request_approval(**(arguments | overrides))


def _state(line):
    return LineOfEnquiry.objects.get(pk=line.pk).approval_state


def test_a_victim_focused_action_is_counted_on_the_victim_side(phone):
    assert phone.group == LineGroup.VICTIM_ACCOUNT
    assert phone.focus == Focus.VICTIM
    assert phone.approval_state == ApprovalState.NOT_REQUESTED


def test_it_cannot_start_without_approval(phone, investigator):
    with pytest.raises(ValidationError) as raised:
        line_update(actor=investigator, line=phone, owner=investigator, due_on=None, status=LineStatus.IN_PROGRESS)
    assert "cannot start until a supervisor approves it" in raised.value.message_dict["status"][0]
    stored = LineOfEnquiry.objects.get(pk=phone.pk)
    assert stored.status == LineStatus.NOT_STARTED
    assert stored.started_at is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"rationale": "Because."}, "rationale"),
        ({"less_intrusive_considered": "  "}, "less_intrusive_considered"),
        ({"victim_agreed": False}, "victim_agreed"),
    ],
)
def test_asking_for_approval_without_the_gate_is_refused_and_writes_nothing(phone, investigator, overrides, field):
    logged = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        _ask(phone, investigator, **overrides)
    assert field in raised.value.message_dict
    assert _state(phone) == ApprovalState.NOT_REQUESTED
    assert AuditEvent.objects.count() == logged


def test_third_party_records_need_written_notice_to_the_victim(plan, investigator):
    records = line_add(
        actor=investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Counselling notes",
        intrusive_kind=IntrusiveKind.COUNSELLING_RECORDS,
    )
    with pytest.raises(ValidationError) as raised:
        _ask(records, investigator, victim_agreed=False, victim_notice_given=False)
    assert "written notice" in raised.value.message_dict["victim_notice_given"][0]
    _ask(records, investigator, victim_agreed=False, victim_notice_given=True)
    assert _state(records) == ApprovalState.REQUESTED


def test_only_the_case_teams_supervisor_decides(phone, investigator, supervisor):
    _ask(phone, investigator)
    with pytest.raises(PermissionDenied):
        victim_action_decide(actor=investigator, line=phone, approve=True)
    other_supervisor = UserFactory.create(role="supervisor")
    with pytest.raises(PermissionDenied):
        victim_action_decide(actor=other_supervisor, line=phone, approve=True)
    assert _state(phone) == ApprovalState.REQUESTED


def test_a_refusal_needs_a_reason(phone, investigator, supervisor):
    _ask(phone, investigator)
    with pytest.raises(ValidationError):
        victim_action_decide(actor=supervisor, line=phone, approve=False, note="")
    victim_action_decide(actor=supervisor, line=phone, approve=False, note="Try the suspect's phone first.")
    assert _state(phone) == ApprovalState.REFUSED
    with pytest.raises(ValidationError):
        line_update(actor=investigator, line=phone, owner=None, due_on=None, status=LineStatus.IN_PROGRESS)


def test_once_approved_it_can_start(phone, investigator, supervisor):
    _ask(phone, investigator)
    victim_action_decide(actor=supervisor, line=phone, approve=True, note="Proportionate: messages only.")
    stored = LineOfEnquiry.objects.get(pk=phone.pk)
    assert stored.approval_state == ApprovalState.APPROVED
    assert stored.decided_by == supervisor
    line_update(actor=investigator, line=stored, owner=investigator, due_on=None, status=LineStatus.IN_PROGRESS)
    assert LineOfEnquiry.objects.get(pk=phone.pk).started_at is not None


def test_an_ordinary_line_starts_and_finishes_with_a_result(plan, investigator):
    line = plan.lines.filter(group=LineGroup.SUSPECT).first()
    with pytest.raises(ValidationError) as raised:
        line_update(actor=investigator, line=line, owner=investigator, due_on=None, status=LineStatus.DONE, result="")
    assert "result" in raised.value.message_dict
    line_update(
        actor=investigator,
        line=line,
        owner=investigator,
        due_on=None,
        status=LineStatus.DONE,
        result="Two previous reports found",
        linked_evidence="AB/1",
    )
    stored = LineOfEnquiry.objects.get(pk=line.pk)
    assert stored.completed_at is not None
    assert stored.linked_evidence == "AB/1"


def test_officers_add_their_own_lines(plan, investigator):
    line = line_add(actor=investigator, plan=plan, group=LineGroup.CONTEXT, title="Check the taxi firm's records")
    assert line.focus == Focus.NEUTRAL
    assert line.approval_state == ApprovalState.NOT_NEEDED
    with pytest.raises(ValidationError) as raised:
        line_add(actor=investigator, plan=plan, group="nowhere", title="")
    assert {"group", "title"} <= set(raised.value.message_dict)
