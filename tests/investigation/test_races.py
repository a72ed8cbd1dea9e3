"""Decisions with a "must be awaiting X" rule: of two at once, the second is told it is already decided,
and nothing of it is written (no second row, timeline entry or audit entry).

Each scenario runs twice: two threads deciding at the same moment on PostgreSQL (tests.races), and on
any database one after the other with the second working from a copy loaded before the first decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bluestone.accounts.models import Rank, User
from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind, Involvement, Outcome
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import (
    ApprovalState,
    AuthorityLevel,
    Bail,
    BailAuthority,
    BailExtension,
    DecisionState,
    IntrusiveKind,
    InvestigationPlan,
    LineGroup,
    LineOfEnquiry,
    LineStatus,
    OutcomeDecision,
)
from bluestone.investigation.services import (
    bail_authority_revoke,
    bail_conditions_change,
    bail_extend,
    bail_extension_request,
    bail_record,
    case_reopen,
    line_add,
    line_update,
    outcome_propose,
    outcome_sign_off,
    outcome_victim_told_record,
    plan_create,
    victim_action_decide,
    victim_action_request_approval,
)
from tests.factories import OfficerFactory, UserFactory
from tests.races import Scenario, audited, decide_at_once, decide_one_after_the_other, exactly_one_won

TODAY = dt.date(2026, 3, 3)
RATIONALE = "Messages between the victim and the suspect on the night are a reasonable line of enquiry."


@dataclass
class World:
    case: Case
    suspect: Involvement
    investigator: User
    supervisor: User
    second_supervisor: User


def _approval_asked(w: World) -> LineOfEnquiry:
    plan = plan_create(actor=w.investigator, case=w.case)
    line = line_add(
        actor=w.investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Download the messages from the night",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    )
    return victim_action_request_approval(
        actor=w.investigator,
        line=line,
        rationale=RATIONALE,
        less_intrusive_considered="The suspect's phone first.",
        victim_agreed=True,
        victim_notice_given=False,
    )


def plan_line_approval(w: World) -> Scenario:
    pk = _approval_asked(w).pk

    def check() -> None:
        assert LineOfEnquiry.objects.get(pk=pk).approval_state == ApprovalState.APPROVED
        assert audited(pk, approval=["approved", "refused"]) == 1

    return Scenario(
        load=lambda: LineOfEnquiry.objects.get(pk=pk),
        first=lambda line: victim_action_decide(actor=w.supervisor, line=line, approve=True),
        second=lambda line: victim_action_decide(
            actor=w.second_supervisor, line=line, approve=False, note="Ask the victim for screenshots instead."
        ),
        refused_with="already been decided",
        check=check,
    )


def plan_line_approval_request(w: World) -> Scenario:
    plan = plan_create(actor=w.investigator, case=w.case)
    pk = line_add(
        actor=w.investigator,
        plan=plan,
        group=LineGroup.VICTIM_ACCOUNT,
        title="Ask for the counselling notes",
        intrusive_kind=IntrusiveKind.PHONE_DOWNLOAD,
    ).pk

    def ask(line: LineOfEnquiry) -> LineOfEnquiry:
        return victim_action_request_approval(
            actor=w.investigator,
            line=line,
            rationale=RATIONALE,
            less_intrusive_considered="The suspect's phone first.",
            victim_agreed=True,
            victim_notice_given=False,
        )

    def check() -> None:
        assert LineOfEnquiry.objects.get(pk=pk).approval_state == ApprovalState.REQUESTED
        assert audited(pk, approval="requested") == 1

    return Scenario(
        load=lambda: LineOfEnquiry.objects.get(pk=pk),
        first=ask,
        second=ask,
        refused_with="already been sent for approval",
        check=check,
    )


def plan_creation(w: World) -> Scenario:
    def check() -> None:
        assert InvestigationPlan.objects.filter(case=w.case).count() == 1
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.PLAN_CREATED).count() == 1

    return Scenario(
        load=lambda: Case.objects.get(pk=w.case.pk),
        first=lambda case: plan_create(actor=w.investigator, case=case),
        second=lambda case: plan_create(actor=w.investigator, case=case),
        refused_with="already has an investigation plan",
        check=check,
    )


def _propose(w: World, case: Case, code: int = 15, *, told: bool = False) -> OutcomeDecision:
    # A case closes only once the victim is told of the outcome and of the right to review (15).
    return outcome_propose(
        actor=w.investigator,
        case=case,
        outcome_type=OutcomeType.objects.get(code=code),
        decided_on=TODAY,
        rationale="The victim supports a prosecution but the evidence does not meet the test.",
        victim_informed=told,
        victim_informed_on=TODAY if told else None,
        victim_told_right_to_review=told,
    )


def outcome_proposal(w: World) -> Scenario:
    def check() -> None:
        assert OutcomeDecision.objects.filter(case=w.case, state=DecisionState.PROPOSED).count() == 1

    return Scenario(
        load=lambda: Case.objects.get(pk=w.case.pk),
        first=lambda case: _propose(w, case),
        second=lambda case: _propose(w, case),
        refused_with="already waiting for a supervisor's sign-off",
        check=check,
    )


def outcome_sign_off_race(w: World) -> Scenario:
    pk = _propose(w, w.case, told=True).pk

    def check() -> None:
        assert OutcomeDecision.objects.get(pk=pk).state == DecisionState.SIGNED_OFF
        assert Outcome.objects.filter(case=w.case).count() == 1
        assert Case.objects.get(pk=w.case.pk).status == CaseStatus.CLOSED
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.CLOSED).count() == 1
        assert audited(pk, state=["signed_off", "returned"]) == 1

    return Scenario(
        load=lambda: OutcomeDecision.objects.get(pk=pk),
        first=lambda decision: outcome_sign_off(actor=w.supervisor, decision=decision, approve=True),
        second=lambda decision: outcome_sign_off(
            actor=w.second_supervisor, decision=decision, approve=False, note="Check the CCTV first."
        ),
        refused_with="already been decided",
        check=check,
    )


def outcome_victim_told_after_return(w: World) -> Scenario:
    pk = _propose(w, w.case).pk

    def check() -> None:
        decision = OutcomeDecision.objects.get(pk=pk)
        assert (decision.state, decision.victim_informed) == (DecisionState.RETURNED, False)

    return Scenario(
        load=lambda: OutcomeDecision.objects.get(pk=pk),
        first=lambda decision: outcome_sign_off(actor=w.supervisor, decision=decision, approve=False, note="CCTV"),
        second=lambda decision: outcome_victim_told_record(actor=w.investigator, decision=decision, told_on=TODAY),
        refused_with="no longer in force",
        check=check,
    )


def case_reopening(w: World) -> Scenario:
    outcome_sign_off(actor=w.supervisor, decision=_propose(w, w.case, told=True), approve=True)

    def check() -> None:
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.REOPENED).count() == 1
        assert OutcomeDecision.objects.filter(case=w.case, state=DecisionState.REOPENED).count() == 1

    return Scenario(
        load=lambda: Case.objects.get(pk=w.case.pk),
        first=lambda case: case_reopen(actor=w.supervisor, case=case, reason="A suspect named by a witness"),
        second=lambda case: case_reopen(actor=w.second_supervisor, case=case, reason="New forensic results"),
        refused_with="Only a case closed with a signed-off outcome can be reopened",
        check=check,
    )


def _bail(w: World) -> Bail:
    return bail_record(
        actor=w.investigator,
        case=w.case,
        suspect=w.suspect,
        starts_on=dt.date(2026, 3, 2),
        conditions="Not to contact the victim",
        victim_views="The victim asked for a no-contact condition.",
    )


def bail_release(w: World) -> Scenario:
    def release(suspect: Involvement) -> Bail:
        return bail_record(
            actor=w.investigator,
            case=w.case,
            suspect=suspect,
            starts_on=dt.date(2026, 3, 2),
            conditions="Not to contact the victim",
            victim_views="The victim asked for a no-contact condition.",
        )

    def check() -> None:
        assert Bail.objects.filter(suspect=w.suspect).count() == 1
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.SUSPECT_BAILED).count() == 1

    return Scenario(
        load=lambda: Involvement.objects.get(pk=w.suspect.pk),
        first=release,
        second=release,
        refused_with="already on bail",
        check=check,
    )


def bail_extension(w: World) -> Scenario:
    pk = _bail(w).pk
    until = dt.date(2026, 8, 1)
    bail_extension_request(actor=w.investigator, bail=Bail.objects.get(pk=pk), until=until, reason="Phone download")

    def check() -> None:
        assert BailExtension.objects.filter(bail_id=pk).count() == 1
        bail = Bail.objects.get(pk=pk)
        assert (bail.expires_on, bail.extension_requested_until) == (until, None)
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.BAIL_EXTENDED).count() == 1

    return Scenario(
        load=lambda: Bail.objects.get(pk=pk),
        first=lambda bail: bail_extend(actor=w.supervisor, bail=bail, until=until, reason="Phone download awaited"),
        second=lambda bail: bail_extend(
            actor=w.second_supervisor, bail=bail, until=until, reason="Phone download awaited"
        ),
        refused_with="already been extended",
        check=check,
    )


def bail_conditions(w: World) -> Scenario:
    pk = _bail(w).pk

    def check() -> None:
        assert Bail.objects.get(pk=pk).conditions == "Not to enter Leeds"
        assert CaseEvent.objects.filter(case=w.case, kind=EventKind.BAIL_CONDITIONS_CHANGED).count() == 1

    return Scenario(
        load=lambda: Bail.objects.get(pk=pk),
        first=lambda bail: bail_conditions_change(
            actor=w.investigator, bail=bail, conditions="Not to enter Leeds", victim_views="Agreed by the victim."
        ),
        second=lambda bail: bail_conditions_change(
            actor=w.supervisor, bail=bail, conditions="Curfew 7pm to 7am", victim_views="Asked for a curfew."
        ),
        refused_with="changed this bail's conditions since you opened the page",
        check=check,
    )


def bail_authority_revoking(w: World) -> Scenario:
    authority = BailAuthority.objects.create(user=w.second_supervisor, level=AuthorityLevel.SUPERINTENDENT)
    admins = [UserFactory.create(username=f"admin.{n}", role="administrator", team=None) for n in (1, 2)]

    def check() -> None:
        assert not BailAuthority.objects.filter(pk=authority.pk).exists()
        assert audited(authority.pk, previous_level=AuthorityLevel.SUPERINTENDENT) == 1

    return Scenario(
        load=lambda: BailAuthority.objects.get(pk=authority.pk),
        first=lambda held: bail_authority_revoke(actor=admins[0], authority=held),
        second=lambda held: bail_authority_revoke(actor=admins[1], authority=held),
        refused_with="already been taken away",
        check=check,
    )


SCENARIOS: dict[str, Callable[[World], Scenario]] = {
    "plan_line_approval": plan_line_approval,
    "plan_line_approval_request": plan_line_approval_request,
    "plan_creation": plan_creation,
    "outcome_proposal": outcome_proposal,
    "outcome_sign_off": outcome_sign_off_race,
    "outcome_victim_told_after_return": outcome_victim_told_after_return,
    "case_reopening": case_reopening,
    "bail_release": bail_release,
    "bail_extension": bail_extension,
    "bail_conditions": bail_conditions,
    "bail_authority_revoke": bail_authority_revoking,
}


@pytest.fixture
def world(case, suspect, investigator, supervisor, team) -> World:
    # Both supervisors are inspectors, so that either may extend bail to 6 months.
    OfficerFactory.create(user=supervisor, team=team, rank=Rank.DI)
    second = UserFactory.create(username="di.second", role="supervisor", team=team)
    OfficerFactory.create(user=second, team=team, rank=Rank.DI)
    return World(case=case, suspect=suspect, investigator=investigator, supervisor=supervisor, second_supervisor=second)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCENARIOS)
def test_two_decisions_at_once_the_second_is_told_already_decided(name: str, world: World) -> None:
    scenario = SCENARIOS[name](world)
    exactly_one_won(scenario.at_once(), refused_with=scenario.refused_with)
    scenario.check()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_decision_on_an_out_of_date_page_is_told_already_decided(name: str, world: World) -> None:
    scenario = SCENARIOS[name](world)
    exactly_one_won(scenario.one_after_the_other(), refused_with=scenario.refused_with)
    scenario.check()


def _edit_due_date(w: World, line: LineOfEnquiry) -> LineOfEnquiry:
    return line_update(
        actor=w.investigator, line=line, owner=w.investigator, due_on=TODAY, status=LineStatus.NOT_STARTED
    )


@pytest.mark.django_db
def test_an_edit_from_an_out_of_date_page_keeps_the_supervisors_decision(world: World) -> None:
    # The officer's copy was loaded while the action waited for approval; saving it must not put
    # the approval back to "waiting".
    pk = _approval_asked(world).pk
    outcomes = decide_one_after_the_other(
        lambda: LineOfEnquiry.objects.get(pk=pk),
        lambda line: victim_action_decide(actor=world.supervisor, line=line, approve=True),
        lambda line: _edit_due_date(world, line),
    )
    assert [outcome.error for outcome in outcomes] == [None, None]
    line = LineOfEnquiry.objects.get(pk=pk)
    assert (line.approval_state, line.due_on) == (ApprovalState.APPROVED, TODAY)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_at_the_moment_of_the_decision_keeps_the_decision(world: World) -> None:
    pk = _approval_asked(world).pk
    outcomes = decide_at_once(
        lambda: victim_action_decide(actor=world.supervisor, line=LineOfEnquiry.objects.get(pk=pk), approve=True),
        lambda: _edit_due_date(world, LineOfEnquiry.objects.get(pk=pk)),
    )
    assert [outcome.error for outcome in outcomes] == [None, None]
    line = LineOfEnquiry.objects.get(pk=pk)
    assert (line.approval_state, line.due_on) == (ApprovalState.APPROVED, TODAY)
