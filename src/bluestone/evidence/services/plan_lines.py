"""A victim-focused action in the investigation plan and its request in the evidence register are one
decision: the supervisor who approves the action ("Download the victim's phone") authorises the
request that stands for it, and the reverse.

- Deciding the action decides each request of its kind that serves it and still awaits authorisation
  (investigation calls `requests_decide_with_line` through its decision followers).
- Deciding such a request decides the action too, while the action waits for approval
  (`digital_request_decide` calls the investigation's decision).
- A request recorded from an action already approved starts authorised by that approval; none can be
  recorded for an action a supervisor refused.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.core.text import in_sentence
from bluestone.evidence.models import DigitalRequest, RequestKind, RequestStatus
from bluestone.evidence.services._common import _request_logged
from bluestone.investigation.models import ApprovalState, IntrusiveKind, LineOfEnquiry

# The request a victim-focused action stands for: the phone by s.37, records as third-party material.
REQUEST_KIND_FOR_ACTION: dict[str, str] = {
    IntrusiveKind.PHONE_DOWNLOAD: RequestKind.VICTIM_DEVICE,
    IntrusiveKind.COUNSELLING_RECORDS: RequestKind.VICTIM_THIRD_PARTY,
    IntrusiveKind.MEDICAL_RECORDS: RequestKind.VICTIM_THIRD_PARTY,
    IntrusiveKind.SCHOOL_RECORDS: RequestKind.VICTIM_THIRD_PARTY,
    IntrusiveKind.SOCIAL_CARE_RECORDS: RequestKind.VICTIM_THIRD_PARTY,
}


def stands_for(line: LineOfEnquiry | None, kind: str) -> bool:
    """Whether a request of `kind` is the request the victim-focused action `line` stands for."""
    return line is not None and bool(line.intrusive_kind) and REQUEST_KIND_FOR_ACTION.get(line.intrusive_kind) == kind


def decided_with_action(entry: DigitalRequest) -> bool:
    """Whether a request awaiting authorisation is decided by the decision on its victim-focused action
    (the action still waits for approval): then Approvals shows the action alone, saying so."""
    line = entry.plan_line
    return (
        entry.status == RequestStatus.AWAITING_AUTHORISATION
        and line is not None
        and line.approval_state == ApprovalState.REQUESTED
        and stands_for(line, entry.kind)
    )


def requests_decided_with_lines(lines: list[LineOfEnquiry]) -> dict[Any, list[str]]:
    """For each victim-focused action waiting for approval, the requests in words that its decision
    decides too ("its request for data from a victim's device (PCSCA 2022 s.37)"), by the line's pk."""
    waiting = {line.pk: line for line in lines if line.approval_state == ApprovalState.REQUESTED}
    words: dict[Any, list[str]] = {}
    entries = DigitalRequest.objects.filter(
        plan_line_id__in=list(waiting), status=RequestStatus.AWAITING_AUTHORISATION
    ).order_by("created_at")
    for entry in entries:
        line = waiting.get(entry.plan_line_id) if entry.plan_line_id is not None else None
        if line is not None and stands_for(line, entry.kind):
            words.setdefault(line.pk, []).append(f"its request for {in_sentence(entry.get_kind_display())}")
    return words


def _awaiting_for(line: LineOfEnquiry) -> QuerySet[DigitalRequest]:
    kind = REQUEST_KIND_FOR_ACTION.get(line.intrusive_kind)
    return DigitalRequest.objects.filter(plan_line=line, kind=kind, status=RequestStatus.AWAITING_AUTHORISATION)


def line_decision_problems(actor: Any, line: LineOfEnquiry, approve: bool) -> list[str]:
    """Why a supervisor's decision on the action cannot also decide its requests."""
    waiting = _awaiting_for(line)
    if not waiting.exists():
        return []
    if not rules.test_rule("evidence.authorise_request", actor, line.plan.case):
        return ["Only a supervisor of the case's team can authorise the request that serves this action."]
    if waiting.filter(created_by=actor).exists():
        return [
            "You recorded the request in the evidence register that serves this action, "
            "so another supervisor must decide it."
        ]
    return []


def requests_decide_with_line(
    *, actor: User, line: LineOfEnquiry, approve: bool, note: str, request: HttpRequest | None = None
) -> list[str]:
    """Inside the action's decision: authorise (or not) each request that serves it and still waits.
    Returns what was decided, one sentence a request."""
    decided = []
    verdict = "authorised" if approve else "not authorised"
    for entry in _awaiting_for(line).order_by("created_at"):
        relock(entry)
        if entry.status != RequestStatus.AWAITING_AUTHORISATION:
            continue  # decided meanwhile, on its own page
        entry.status = RequestStatus.AUTHORISED if approve else RequestStatus.NOT_AUTHORISED
        entry.decided_by = actor
        entry.decided_at = clock.now()
        entry.decision_note = note.strip() or f"Decided with the action it serves: {line.title}."
        entry.updated_by = actor
        entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_by", "updated_at"])
        kind = in_sentence(entry.get_kind_display())
        _request_logged(
            actor=actor,
            entry=entry,
            request=request,
            action=AuditAction.ALTERATION,
            details={"what": "request decided with its line of enquiry", "status": entry.status, "line": str(line.pk)},
            timeline=f"Request {verdict} by {actor} with the action it serves: {kind}",
        )
        decided.append(f"The request for {kind} is {verdict} too.")
    return decided
