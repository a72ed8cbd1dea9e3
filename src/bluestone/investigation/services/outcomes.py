"""The case's outcome under the Home Office rules: proposed by the officer, signed off (closing the
case) or returned by a supervisor, the victim told, and the case reopened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.entry import case_event_record
from bluestone.cases.events import StaffApprovalAsked, StaffApprovalDecided, VictimToldOfOutcome
from bluestone.cases.facts import facts_refresh
from bluestone.cases.models import Case, CaseEvent, CaseStatus, EventKind, Involvement, Outcome, Role
from bluestone.cases.outcome_rules import OutcomeFacts, outcome_conflicts, outcome_problems
from bluestone.core import clock, events
from bluestone.core.locking import relock
from bluestone.core.models import OutcomeType
from bluestone.investigation.models import (
    Bail,
    BailStatus,
    CpsDecision,
    CpsStep,
    DecisionState,
    InvestigationPlan,
    LineOfEnquiry,
    LineStatus,
    OutcomeDecision,
)
from bluestone.investigation.services._common import _audit, _check_date_not_future, _require, moment_of
from bluestone.investigation.services.closure import closure_blockers
from bluestone.investigation.services.reviews import review_initial_delay


def victim_withdrawal_on_record(case: Case) -> bool:
    """The victim's withdrawal of support is on record when the latest of their withdrawals and
    re-engagements on the timeline is a withdrawal."""
    latest = (
        CaseEvent.objects.filter(case=case, kind__in=[EventKind.VICTIM_WITHDREW, EventKind.VICTIM_REENGAGED])
        .order_by("-occurred_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return latest == EventKind.VICTIM_WITHDREW


def has_named_suspect(case: Case) -> bool:
    suspects = Involvement.objects.filter(case=case, role=Role.SUSPECT).select_related("person")
    return any(involvement.person.is_named for involvement in suspects)


def _facts(case: Case, *, rationale: str, victim_informed: bool) -> OutcomeFacts:
    charged = CaseEvent.objects.filter(case=case, kind=EventKind.CHARGED).exists() or (
        CpsStep.objects.filter(case=case, decision=CpsDecision.CHARGE).exists()
    )
    return OutcomeFacts(
        has_named_suspect=has_named_suspect(case),
        victim_withdrawal_on_record=victim_withdrawal_on_record(case),
        rationale=rationale,
        victim_informed=victim_informed,
        charge_or_cps_charge_on_record=charged,
        suspects_on_bail=Bail.objects.filter(case=case, status=BailStatus.ACTIVE).count(),
        lines_not_started=LineOfEnquiry.objects.filter(plan__case=case, status=LineStatus.NOT_STARTED).count(),
    )


def _outcome_errors(*, case: Case, outcome_type: OutcomeType, rationale: str, victim_informed: bool) -> list[str]:
    facts = _facts(case, rationale=rationale, victim_informed=victim_informed)
    return outcome_problems(outcome_type=outcome_type, facts=facts)


def outcome_conflicts_for(*, case: Case, outcome_type: OutcomeType) -> list[str]:
    """Where the outcome contradicts the case's record (a supervisor may override them with a reason)."""
    return outcome_conflicts(outcome_type=outcome_type, facts=_facts(case, rationale="", victim_informed=False))


OVERRIDE_HINT = (
    "If the outcome is right although the record says otherwise, a supervisor can record it with an override "
    "and a reason."
)


def _override_problems(actor: User, case: Case, conflicts: list[str], override_reason: str) -> list[str]:
    if not conflicts:
        return []
    if not override_reason.strip():
        return [*conflicts, OVERRIDE_HINT]
    if not rules.test_rule("investigation.supervise_case", actor, case):
        return [*conflicts, "Only a supervisor of the case's team can override these checks."]
    return []


def _check_may_propose(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("This case is closed. A supervisor must reopen it before another outcome is proposed.")
    if OutcomeDecision.objects.filter(case=case, state=DecisionState.PROPOSED).exists():
        raise ValidationError("An outcome is already waiting for a supervisor's sign-off on this case.")


def _check_awaiting_sign_off(decision: OutcomeDecision) -> None:
    if decision.state != DecisionState.PROPOSED:
        raise ValidationError(
            f"This outcome has already been decided: it is {decision.get_state_display().lower()}. Nothing was changed."
        )


def outcome_propose(
    *,
    actor: User,
    case: Case,
    outcome_type: OutcomeType | None,
    decided_on: dt.date | None,
    rationale: str,
    victim_informed: bool = False,
    victim_informed_on: dt.date | None = None,
    victim_told_right_to_review: bool = False,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> OutcomeDecision:
    """Propose the case's outcome for a supervisor's sign-off, under the Home Office rules and the
    consistency rules (which only a supervisor may override, with a reason)."""
    errors: dict[str, Any] = {}
    _check_may_propose(case)
    if outcome_type is None:
        errors["outcome_type"] = "Choose the outcome."
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    _check_date_not_future(errors, "decided_on", decided_on, "of the decision")
    if not rationale.strip():
        errors["rationale"] = "Enter the rationale for the outcome."
    if victim_informed and victim_informed_on is None:
        errors["victim_informed_on"] = "Enter the date the victim was told."
    _check_date_not_future(errors, "victim_informed_on", victim_informed_on, "the victim was told")
    if outcome_type is not None:
        problems = _outcome_errors(
            case=case, outcome_type=outcome_type, rationale=rationale, victim_informed=victim_informed
        )
        conflicts = outcome_conflicts_for(case=case, outcome_type=outcome_type)
        problems += _override_problems(actor, case, conflicts, override_reason)
        if problems:
            errors["outcome_type"] = problems
    if errors:
        raise ValidationError(errors)
    assert outcome_type is not None  # noqa: S101
    assert decided_on is not None  # noqa: S101
    overridden = bool(conflicts) and bool(override_reason.strip())
    with transaction.atomic():
        relock(case)
        _check_may_propose(case)
        decision = OutcomeDecision.objects.create(
            case=case,
            outcome_type=outcome_type,
            decided_on=decided_on,
            rationale=rationale.strip(),
            victim_informed=victim_informed,
            victim_informed_on=victim_informed_on if victim_informed else None,
            victim_told_right_to_review=victim_informed and victim_told_right_to_review,
            proposed_by=actor,
            created_by=actor,
            override_reason=override_reason.strip() if overridden else "",
            override_by=actor if overridden else None,
            override_at=clock.now() if overridden else None,
        )
        _audit(
            actor=actor,
            action=AuditAction.COLLECTION,
            case=case,
            obj=decision,
            request=request,
            outcome=outcome_type.code,
            state="proposed",
            override=decision.override_reason or None,
            overridden_checks=conflicts if overridden else None,
        )
        # The team's supervisors are emailed a link to the sign-off page (victims.handlers).
        events.publish(
            StaffApprovalAsked(
                case_id=case.pk,
                path=reverse("investigation:outcome-sign-off", kwargs={"pk": case.pk, "decision": decision.pk}),
                actor_id=actor.pk,
            )
        )
    return decision


def _sign_off_problems(decision: OutcomeDecision, override_reason: str) -> tuple[list[str], list[str]]:
    """What stops the outcome closing the case, and the consistency checks an override answers for."""
    case = decision.case
    # The facts may have changed since the proposal (the victim re-engaged, say).
    problems = _outcome_errors(
        case=case,
        outcome_type=decision.outcome_type,
        rationale=decision.rationale,
        victim_informed=decision.victim_informed,
    )
    conflicts = outcome_conflicts_for(case=case, outcome_type=decision.outcome_type)
    if conflicts and not (decision.override_reason or override_reason.strip()):
        problems += [
            *conflicts,
            "Or, if the outcome is right although the record says otherwise, give the reason "
            "for overriding these checks.",
        ]
    problems += closure_blockers(case=case, decision=decision)
    return problems, conflicts


def outcome_sign_off(
    *,
    actor: User,
    decision: OutcomeDecision,
    approve: bool,
    note: str = "",
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> OutcomeDecision:
    """A supervisor signs the outcome off (the case closes with it) or returns it to the officer.

    Signing off is refused while the closure checklist has an open item (bail, a held exhibit, an open
    request, a Victims' Code duty, the victim not yet told), and while the outcome contradicts the
    record unless the supervisor overrides the consistency checks with a reason."""
    case = decision.case
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can sign off.")
    _check_awaiting_sign_off(decision)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why you are returning the outcome, so the officer knows what to do."})
    conflicts: list[str] = []
    if approve:
        problems, conflicts = _sign_off_problems(decision, override_reason)
        if problems:
            raise ValidationError(problems)
    overriding = approve and bool(conflicts) and not decision.override_reason and bool(override_reason.strip())
    now = clock.now()
    with transaction.atomic():
        # Of two sign-offs (or a sign-off and a return) at once, the second waits, then finds it decided.
        relock(decision)
        _check_awaiting_sign_off(decision)
        decision.state = DecisionState.SIGNED_OFF if approve else DecisionState.RETURNED
        decision.signed_off_by = actor
        decision.signed_off_at = now
        decision.supervisor_note = note.strip()
        decision.updated_by = actor
        if overriding:
            decision.override_reason = override_reason.strip()
            decision.override_by = actor
            decision.override_at = now
        decision.save()
        if approve:
            Outcome.objects.update_or_create(
                case=case,
                defaults={
                    "outcome_type": decision.outcome_type,
                    "decided_on": decision.decided_on,
                    "rationale": decision.rationale,
                    "victim_informed": decision.victim_informed,
                    "victim_informed_on": decision.victim_informed_on,
                    "updated_by": actor,
                    "created_by": actor,
                },
            )
            facts_refresh([case.pk])
            label = f"Outcome {decision.outcome_type.code}: {decision.outcome_type.name}"
            case_event_record(
                actor=actor, case=case, kind=EventKind.OUTCOME_RECORDED, occurred_at=now, summary=label, request=request
            )
            case_event_record(
                actor=actor, case=case, kind=EventKind.CLOSED, occurred_at=now, summary=label, request=request
            )
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, updated_by=actor, updated_at=now)
            case.status = CaseStatus.CLOSED
            if decision.victim_informed:
                # The duty to tell the victim, opened by the outcome just recorded, is met already.
                _victim_told_publish(actor, decision)
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=case,
            obj=decision,
            request=request,
            state=decision.state,
            override=decision.override_reason if overriding else None,
            overridden_checks=conflicts if overriding else None,
        )
        # The officer who proposed it is emailed that it was signed off or returned (victims.handlers).
        events.publish(
            StaffApprovalDecided(
                case_id=case.pk,
                path=reverse("investigation:outcome", kwargs={"pk": case.pk}),
                approved=approve,
                asker_id=decision.proposed_by_id,
                actor_id=actor.pk,
            )
        )
    return decision


def _victim_told_publish(actor: User, decision: OutcomeDecision) -> None:
    told_on = decision.victim_informed_on or clock.today()
    events.publish(
        VictimToldOfOutcome(
            case_id=decision.case_id,
            told_at=min(moment_of(told_on), clock.now()),
            right_to_review=decision.victim_told_right_to_review,
            actor_id=actor.pk,
        )
    )


def _outcome_in_force(decision: OutcomeDecision) -> dict[str, str]:
    if decision.state not in (DecisionState.PROPOSED, DecisionState.SIGNED_OFF):
        return {"told_on": "This outcome is no longer in force."}
    return {}


def outcome_victim_told_record(
    *,
    actor: User,
    decision: OutcomeDecision,
    told_on: dt.date | None,
    right_to_review: bool = False,
    request: HttpRequest | None = None,
) -> OutcomeDecision:
    """Record that the victim was told of an outcome (and, for a decision not to charge, of their right
    to ask for a review), before or after it was signed off."""
    errors: dict[str, str] = {}
    if told_on is None:
        errors["told_on"] = "Enter the date the victim was told."
    _check_date_not_future(errors, "told_on", told_on, "the victim was told")
    errors |= _outcome_in_force(decision)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(decision)
        if problem := _outcome_in_force(decision):
            raise ValidationError(problem)
        decision.victim_informed = True
        decision.victim_informed_on = told_on
        decision.victim_told_right_to_review = decision.victim_told_right_to_review or right_to_review
        decision.updated_by = actor
        decision.save()
        if decision.state == DecisionState.SIGNED_OFF:
            Outcome.objects.filter(case=decision.case).update(victim_informed=True, victim_informed_on=told_on)
            _victim_told_publish(actor, decision)
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=decision.case,
            obj=decision,
            request=request,
            victim_told=str(told_on),
            right_to_review=decision.victim_told_right_to_review,
        )
    return decision


def _closed_with(case: Case) -> OutcomeDecision:
    decision = OutcomeDecision.objects.filter(case=case, state=DecisionState.SIGNED_OFF).first()
    if case.status != CaseStatus.CLOSED or decision is None:
        raise ValidationError("Only a case closed with a signed-off outcome can be reopened.")
    return decision


def case_reopen(*, actor: User, case: Case, reason: str, request: HttpRequest | None = None) -> OutcomeDecision:
    """A supervisor reopens a closed case. The outcome it closed with stays in the history."""
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can reopen it.")
    _closed_with(case)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the case is being reopened."})
    now = clock.now()
    with transaction.atomic():
        relock(case)  # a second reopening at once waits here, then finds the case open
        decision = _closed_with(case)
        decision.state = DecisionState.REOPENED
        decision.reopened_by = actor
        decision.reopened_at = now
        decision.reopen_reason = reason.strip()
        decision.updated_by = actor
        decision.save()
        Outcome.objects.filter(case=case).delete()
        facts_refresh([case.pk])
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.UNDER_INVESTIGATION, updated_by=actor, updated_at=now)
        case.status = CaseStatus.UNDER_INVESTIGATION
        InvestigationPlan.objects.filter(case=case).update(next_review_due_at=now + review_initial_delay())
        case_event_record(
            actor=actor, case=case, kind=EventKind.REOPENED, occurred_at=now, summary=reason.strip(), request=request
        )
        _audit(actor=actor, action=AuditAction.ALTERATION, case=case, obj=decision, request=request, state="reopened")
    return decision
