"""Victim-focused actions (a phone download, third-party records): the rationale, the victim's
agreement or notice, and a supervisor's approval before they go ahead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.events import StaffApprovalAsked, StaffApprovalDecided
from bluestone.core import clock
from bluestone.core.events import publish
from bluestone.core.locking import relock
from bluestone.investigation.extensions import line_decision_follow, line_decision_problems
from bluestone.investigation.models import ApprovalState, IntrusiveKind, InvestigationPlan, LineGroup, LineOfEnquiry
from bluestone.investigation.services._common import _audit, _require
from bluestone.investigation.services.plans import line_add

# The victim-focused actions where the law asks for the victim's informed agreement (a device the
# victim gives voluntarily: Police, Crime, Sentencing and Courts Act 2022, s.37); third-party
# material needs written notice to the victim instead (Victims and Prisoners Act 2024).
NEEDS_AGREEMENT = {IntrusiveKind.PHONE_DOWNLOAD}


NEEDS_NOTICE = {
    IntrusiveKind.COUNSELLING_RECORDS,
    IntrusiveKind.MEDICAL_RECORDS,
    IntrusiveKind.SCHOOL_RECORDS,
    IntrusiveKind.SOCIAL_CARE_RECORDS,
}


MIN_RATIONALE = 20


def _gate_problems(
    *,
    kind: str,
    rationale: str,
    less_intrusive_considered: str,
    victim_agreed: bool,
    victim_notice_given: bool,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(rationale.strip()) < MIN_RATIONALE:
        errors["rationale"] = (
            "Explain why this action is necessary and proportionate for a reasonable line of enquiry "
            f"(at least {MIN_RATIONALE} characters)."
        )
    if not less_intrusive_considered.strip():
        errors["less_intrusive_considered"] = "Say what less intrusive ways of getting this were considered."
    if kind in NEEDS_AGREEMENT and not victim_agreed:
        errors["victim_agreed"] = (
            "The victim's phone can be downloaded only with their informed agreement. Record that they agreed, "
            "or do not go ahead."
        )
    if kind in NEEDS_NOTICE and not victim_notice_given:
        errors["victim_notice_given"] = (
            "The victim must be given written notice of what is asked for, why and how it will be handled. "
            "Record that notice was given."
        )
    return errors


def _check_not_yet_requested(line: LineOfEnquiry) -> None:
    if line.approval_state in (ApprovalState.REQUESTED, ApprovalState.APPROVED):
        raise ValidationError("This action has already been sent for approval.")


def _check_awaiting_approval(line: LineOfEnquiry) -> None:
    if line.approval_state in (ApprovalState.APPROVED, ApprovalState.REFUSED):
        raise ValidationError(
            f"This action has already been decided: it was {line.get_approval_state_display().lower()}. "
            "Nothing was changed."
        )
    if line.approval_state != ApprovalState.REQUESTED:
        raise ValidationError("This action is not waiting for approval.")


def victim_action_request_approval(
    *,
    actor: User,
    line: LineOfEnquiry,
    rationale: str,
    less_intrusive_considered: str,
    victim_agreed: bool,
    victim_notice_given: bool,
    request: HttpRequest | None = None,
) -> LineOfEnquiry:
    """Ask a supervisor to approve a victim-focused action, with its rationale and the victim's agreement
    or notice. Refused, writing nothing, without them."""
    if not line.is_victim_focused_action:
        raise ValidationError("Only a victim-focused action needs a supervisor's approval.")
    _check_not_yet_requested(line)
    errors = _gate_problems(
        kind=line.intrusive_kind,
        rationale=rationale,
        less_intrusive_considered=less_intrusive_considered,
        victim_agreed=victim_agreed,
        victim_notice_given=victim_notice_given,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(line)
        _check_not_yet_requested(line)
        line.rationale = rationale.strip()
        line.less_intrusive_considered = less_intrusive_considered.strip()
        line.victim_agreed = victim_agreed
        line.victim_notice_given = victim_notice_given
        line.approval_state = ApprovalState.REQUESTED
        line.approval_requested_at = clock.now()
        line.approval_requested_by = actor
        line.decided_by, line.decided_at, line.decision_note = None, None, ""
        line.updated_by = actor
        line.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=line.plan.case,
            obj=line,
            request=request,
            approval="requested",
        )
        # The supervisors are emailed a link to the page where they decide (victims.handlers).
        publish(StaffApprovalAsked(case_id=line.plan.case_id, path=_decide_path(line), actor_id=actor.pk))
    return line


def _decide_path(line: LineOfEnquiry) -> str:
    return reverse("investigation:line-decide", kwargs={"pk": line.plan.case_id, "line": line.pk})


@dataclass(frozen=True)
class LineDecision:
    line: LineOfEnquiry
    # What the decision decided besides the line, in words: "The request for ... is authorised too."
    also_decided: list[str]


def victim_action_decide(
    *, actor: User, line: LineOfEnquiry, approve: bool, note: str = "", request: HttpRequest | None = None
) -> LineOfEnquiry:
    """A supervisor of the case's team approves or refuses a victim-focused action."""
    return victim_action_decision_record(actor=actor, line=line, approve=approve, note=note, request=request).line


def victim_action_decision_record(
    *, actor: User, line: LineOfEnquiry, approve: bool, note: str = "", request: HttpRequest | None = None
) -> LineDecision:
    """A supervisor of the case's team approves or refuses a victim-focused action, and with it what
    stands for the action in other apps (its request in the evidence register), in one transaction."""
    case = line.plan.case
    _require(actor, "investigation.supervise_case", case, "Only a supervisor of the case's team can decide this.")
    _check_awaiting_approval(line)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why you are refusing the action, so the officer knows what to do."})
    if approve:
        # The gate is checked again: what was asked for must still hold together.
        errors = _gate_problems(
            kind=line.intrusive_kind,
            rationale=line.rationale,
            less_intrusive_considered=line.less_intrusive_considered,
            victim_agreed=line.victim_agreed,
            victim_notice_given=line.victim_notice_given,
        )
        if errors:
            raise ValidationError(list(errors.values()))
    # The decision also decides what stands for the action elsewhere (its request in the evidence
    # register): refused whole when it could not.
    if problems := line_decision_problems(actor=actor, line=line, approve=approve):
        raise ValidationError(problems)
    with transaction.atomic():
        # Of two supervisors deciding at once, the second waits here and then finds it decided.
        relock(line)
        _check_awaiting_approval(line)
        line.approval_state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
        line.decided_by = actor
        line.decided_at = clock.now()
        line.decision_note = note.strip()
        line.updated_by = actor
        line.save()
        _audit(
            actor=actor,
            action=AuditAction.ALTERATION,
            case=case,
            obj=line,
            request=request,
            approval=line.approval_state,
        )
        also = line_decision_follow(actor=actor, line=line, approve=approve, note=line.decision_note, request=request)
        # Who asked is emailed that it was decided, with a link to the line (victims.handlers).
        asker_id = line.approval_requested_by_id
        if asker_id is None and case.officer is not None:
            asker_id = case.officer.user_id
        publish(
            StaffApprovalDecided(
                case_id=case.pk,
                path=reverse("investigation:line", kwargs={"pk": case.pk, "line": line.pk}),
                approved=approve,
                asker_id=asker_id,
                actor_id=actor.pk,
            )
        )
    return LineDecision(line=line, also_decided=also)


# Words that mark a line of enquiry as probing the victim: their device, or records about them held by
# others. A line whose words match but which is not classed as a victim-focused action is questioned
# (the officer confirms it is not one), so the gate cannot be side-stepped by writing it as free text.
_VICTIM = r"(victim|complainant|survivor|injured party|\bip\b)"
_DEVICE = r"(phone|mobile|handset|device|laptop|tablet|computer|messages|social media)"
_RECORDS_HELD = (
    r"(counselling|counseling|therapy|therapist|medical|\bgp\b|hospital|school|social care|social services"
    r"|mental health)"
)
_VICTIM_FOCUSED_PATTERNS = (
    # "the victim's phone" (an apostrophe, typed or curly, or none): \W+ covers it.
    re.compile(_VICTIM + r"\W*s?\W+(\w+\W+){0,3}?" + _DEVICE, re.IGNORECASE),
    re.compile(r"(download|extract|examine|image)\w*\W+(\w+\W+){0,3}?" + _VICTIM, re.IGNORECASE),
    re.compile(_RECORDS_HELD + r"\W+(\w+\W+){0,2}?(records?|notes|files?)", re.IGNORECASE),
)


def reads_as_victim_focused(*texts: str) -> bool:
    """Whether the words of a line of enquiry read as a victim-focused action (a download of the victim's
    device, or their counselling, medical, school or social care records)."""
    joined = " ".join(texts)
    return any(pattern.search(joined) for pattern in _VICTIM_FOCUSED_PATTERNS)


def victim_action_add(
    *,
    actor: User,
    plan: InvestigationPlan,
    title: str,
    intrusive_kind: str,
    rationale: str,
    less_intrusive_considered: str,
    victim_agreed: bool,
    victim_notice_given: bool,
    guidance: str = "",
    owner: User | None = None,
    due_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> LineOfEnquiry:
    """Add a victim-focused action and ask for its approval in one step: the rationale, the less
    intrusive ways considered and the victim's agreement or notice are given once, with the line.
    Refused, writing nothing, unless every part holds."""
    errors = {}
    if intrusive_kind not in IntrusiveKind.values:
        errors["intrusive_kind"] = "Choose the kind of victim-focused action."
    errors |= _gate_problems(
        kind=intrusive_kind,
        rationale=rationale,
        less_intrusive_considered=less_intrusive_considered,
        victim_agreed=victim_agreed,
        victim_notice_given=victim_notice_given,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line = line_add(
            actor=actor,
            plan=plan,
            group=LineGroup.VICTIM_ACCOUNT,
            title=title,
            guidance=guidance,
            owner=owner,
            due_on=due_on,
            intrusive_kind=intrusive_kind,
            request=request,
        )
        return victim_action_request_approval(
            actor=actor,
            line=line,
            rationale=rationale,
            less_intrusive_considered=less_intrusive_considered,
            victim_agreed=victim_agreed,
            victim_notice_given=victim_notice_given,
            request=request,
        )
