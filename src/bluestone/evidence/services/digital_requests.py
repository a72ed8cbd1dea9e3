"""Digital and third-party requests: what an officer records, the checks the law asks for, a
supervisor's authorisation, the victim's refusal, completion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.cases.models import Case, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.core.text import in_sentence
from bluestone.evidence.models import (
    VICTIM_KINDS,
    DataCategory,
    DigitalRequest,
    HolderKind,
    NoticeElement,
    NoticeException,
    NoticeKind,
    RequestKind,
    RequestStatus,
)
from bluestone.evidence.services._common import _blank, _request_logged, _require
from bluestone.evidence.services.plan_lines import stands_for
from bluestone.investigation.models import ApprovalState, LineOfEnquiry
from bluestone.investigation.services import victim_action_decision_record


@dataclass(frozen=True)
class RequestDetails:
    """What an officer records for a request. Which fields matter depends on the kind."""

    kind: str
    line_of_enquiry: str = ""
    # The line of enquiry in the case's investigation plan, where there is one.
    plan_line: LineOfEnquiry | None = None
    purpose: str = ""
    necessity_rationale: str = ""
    less_intrusive_options: str = ""
    person: PersonRecord | None = None
    data_categories: Sequence[DataCategory] = ()
    scope_from: dt.date | None = None
    scope_to: dt.date | None = None
    selective_extraction: bool = False
    selective_extraction_detail: str = ""
    # A victim's device.
    given_voluntarily: bool | None = None
    victim_agreed: bool | None = None
    notice_given_on: dt.date | None = None
    notice_elements: Sequence[NoticeElement] = ()
    # Third-party material.
    holder: str = ""
    holder_kind: str = ""
    holder_believed_to_hold: bool | None = None
    material: str = ""
    relevance: str = ""
    substantial_probative_value: str = ""
    notice_exception: str = ""
    notice_exception_reason: str = ""
    # Suspects.
    legal_basis: str = ""


def required_notice_elements(kind: str) -> list[NoticeElement]:
    """The elements a written notice of this kind must hold (active reference rows)."""
    return list(NoticeElement.objects.filter(kind=kind, active=True).order_by("order"))


def _common_problems(details: RequestDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if _blank(details.line_of_enquiry):
        errors["line_of_enquiry"] = "Enter the reasonable line of enquiry this request serves."
    if _blank(details.purpose):
        errors["purpose"] = "Enter the purpose: what you hope the material will show."
    if _blank(details.necessity_rationale):
        errors["necessity_rationale"] = "Enter why the request is necessary and proportionate."
    if details.scope_from and details.scope_to and details.scope_to < details.scope_from:
        errors["scope_to"] = "The end of the date range must be the same as or after its start."
    return errors


def _person_problems(case: Case, details: RequestDetails) -> dict[str, str]:
    if details.person is None:
        return {}
    role = InvolvementRole.VICTIM if details.kind in VICTIM_KINDS else InvolvementRole.SUSPECT
    if not Involvement.objects.filter(case=case, person=details.person, role=role).exists():
        return {"person": f"Choose a {in_sentence(role.label)} on this case."}
    return {}


def _notice_problems(details: RequestDetails, kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.notice_given_on is None:
        errors["notice_given_on"] = "Enter the date the written notice was given."
    elif details.notice_given_on > clock.today():
        errors["notice_given_on"] = "The date the notice was given must be today or in the past."
    given = {element.code for element in details.notice_elements}
    missing = [element for element in required_notice_elements(kind) if element.code not in given]
    if missing:
        listed = "; ".join(element.text.lower() for element in missing)
        errors["notice_elements"] = f"The written notice must tell the person everything listed. Missing: {listed}."
    return errors


def _victim_device_problems(details: RequestDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.victim_agreed is None:
        errors["victim_agreed"] = "Record whether the victim agreed to the extraction."
    refused = details.victim_agreed is False
    if not refused and details.given_voluntarily is not True:
        errors["given_voluntarily"] = (
            "A victim's device can only be examined if they give it voluntarily: "
            "confirm it is given voluntarily, or do not make the request."
        )
    errors |= _notice_problems(details, NoticeKind.VICTIM_DEVICE)
    if _blank(details.less_intrusive_options):
        errors["less_intrusive_options"] = (
            "Enter the less intrusive options you considered (for example, screenshots the victim provides) "
            "and why they are not enough."
        )
    if not details.data_categories:
        errors["data_categories"] = "Choose the categories of data you need: only those the line of enquiry needs."
    if details.scope_from is None:
        errors["scope_from"] = "Enter the start of the period of data you need."
    if details.scope_to is None:
        errors.setdefault("scope_to", "Enter the end of the period of data you need.")
    if not details.selective_extraction and _blank(details.selective_extraction_detail):
        errors["selective_extraction"] = (
            "Confirm the extraction is limited to the scope, or explain why a selective extraction is not possible."
        )
    return errors


def _third_party_problems(details: RequestDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if _blank(details.holder):
        errors["holder"] = "Enter who holds the material."
    if details.holder_kind not in HolderKind.values:
        errors["holder_kind"] = "Choose what kind of organisation holds the material."
    if details.holder_believed_to_hold is not True:
        errors["holder_believed_to_hold"] = "You can only ask for material you believe the holder has: confirm it."
    if _blank(details.material):
        errors["material"] = "Enter the material you are asking for."
    if _blank(details.relevance):
        errors["relevance"] = "Enter how the material is relevant to the line of enquiry."
    if details.holder_kind == HolderKind.COUNSELLING and _blank(details.substantial_probative_value):
        errors["substantial_probative_value"] = (
            "Counselling records can only be asked for if they are likely to have substantial probative value: "
            "explain why they are."
        )
    if details.notice_exception:
        if details.notice_exception not in NoticeException.values:
            errors["notice_exception"] = "Choose why the victim is not being told."
        elif _blank(details.notice_exception_reason):
            errors["notice_exception_reason"] = "Explain why the exception applies to this victim."
        if details.notice_given_on is not None:
            errors["notice_exception"] = "Either record the notice given to the victim or an exception, not both."
    else:
        errors |= _notice_problems(details, NoticeKind.THIRD_PARTY)
        if details.notice_given_on is None:
            errors["notice_given_on"] = (
                "Enter the date the victim was given written notice, or choose the exception that applies."
            )
    return errors


def digital_request_problems(*, case: Case, details: RequestDetails) -> dict[str, str]:
    """Every reason the request cannot be recorded, by field. Empty when it can."""
    if details.kind not in RequestKind.values:
        return {"kind": "Choose what kind of request this is."}
    errors = _common_problems(details) | _person_problems(case, details)
    line = details.plan_line
    if line is not None and line.plan.case_id != case.pk:
        errors["plan_line"] = "Choose a line of enquiry from this case's investigation plan."
    elif line is not None and stands_for(line, details.kind) and line.approval_state == ApprovalState.REFUSED:
        errors["plan_line"] = (
            "A supervisor refused the action this request would serve, so it cannot be recorded. "
            "Ask for approval of the action again, or choose another line of enquiry."
        )
    if details.kind == RequestKind.VICTIM_DEVICE:
        errors = _victim_device_problems(details) | errors
    elif details.kind == RequestKind.VICTIM_THIRD_PARTY:
        errors = _third_party_problems(details) | errors
    return errors


def _approved_action(details: RequestDetails) -> LineOfEnquiry | None:
    """The victim-focused action, already approved, that this request stands for: its approval
    authorises the request (one approval for both)."""
    line = details.plan_line
    if stands_for(line, details.kind) and line is not None and line.approval_state == ApprovalState.APPROVED:
        return line
    return None


def _initial_status(details: RequestDetails) -> str:
    if details.kind == RequestKind.VICTIM_DEVICE and details.victim_agreed is False:
        return RequestStatus.VICTIM_REFUSED
    if details.kind in VICTIM_KINDS:
        if _approved_action(details) is not None:
            return RequestStatus.AUTHORISED
        return RequestStatus.AWAITING_AUTHORISATION
    # Suspect-focused requests need no supervisor's authorisation in Bluestone: the power used
    # (seizure on arrest, a production order, a communications data authorisation) has its own.
    return RequestStatus.AUTHORISED


REFUSAL_NOTE = "The victim's refusal is recorded. It does not by itself close the case."


def digital_request_create(
    *, actor: User, case: Case, details: RequestDetails, request: HttpRequest | None = None
) -> DigitalRequest:
    """Record a request in the case's register. Victim-focused requests wait for a supervisor.

    Raises ValidationError with every problem, writing nothing, when the request does not hold what
    the law asks (for a victim's device: given voluntarily, agreement, written notice with each of
    its elements, the rationale, less intrusive options, the scope).
    """
    _require("evidence.record_evidence", actor, case, "You cannot record evidence on this case.")
    errors = digital_request_problems(case=case, details=details)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    status = _initial_status(details)
    approved_by_line = _approved_action(details) if status == RequestStatus.AUTHORISED else None
    with transaction.atomic():
        entry = DigitalRequest.objects.create(
            case=case,
            kind=details.kind,
            person=details.person,
            status=status,
            line_of_enquiry=details.line_of_enquiry.strip(),
            plan_line=details.plan_line,
            purpose=details.purpose.strip(),
            necessity_rationale=details.necessity_rationale.strip(),
            less_intrusive_options=details.less_intrusive_options.strip(),
            scope_from=details.scope_from,
            scope_to=details.scope_to,
            selective_extraction=details.selective_extraction,
            selective_extraction_detail=details.selective_extraction_detail.strip(),
            given_voluntarily=details.given_voluntarily if details.kind == RequestKind.VICTIM_DEVICE else None,
            victim_agreed=details.victim_agreed if details.kind == RequestKind.VICTIM_DEVICE else None,
            agreement_recorded_at=now if details.kind == RequestKind.VICTIM_DEVICE else None,
            notice_given_on=details.notice_given_on if details.kind in VICTIM_KINDS else None,
            holder=details.holder.strip(),
            holder_kind=details.holder_kind,
            holder_believed_to_hold=details.holder_believed_to_hold,
            material=details.material.strip(),
            relevance=details.relevance.strip(),
            substantial_probative_value=details.substantial_probative_value.strip(),
            notice_exception=details.notice_exception,
            notice_exception_reason=details.notice_exception_reason.strip(),
            legal_basis=details.legal_basis.strip(),
            refused_at=now if status == RequestStatus.VICTIM_REFUSED else None,
            refusal_note=REFUSAL_NOTE if status == RequestStatus.VICTIM_REFUSED else "",
            decided_by=approved_by_line.decided_by if approved_by_line else None,
            decided_at=approved_by_line.decided_at if approved_by_line else None,
            decision_note=(
                f"Authorised when the action it serves was approved: {approved_by_line.title}."
                if approved_by_line
                else ""
            ),
            created_by=actor,
            updated_by=actor,
        )
        entry.data_categories.set(details.data_categories)
        if details.kind in VICTIM_KINDS:
            entry.notice_elements.set(details.notice_elements)
        refused = status == RequestStatus.VICTIM_REFUSED
        _request_logged(
            actor=actor,
            entry=entry,
            request=request,
            action=AuditAction.COLLECTION,
            details={
                "what": "request recorded",
                "kind": details.kind,
                "status": status,
                "plan_line": str(details.plan_line.pk) if details.plan_line else None,
                "authorised_with_line": approved_by_line is not None,
            },
            timeline=f"The victim refused: {in_sentence(entry.get_kind_display())}. {REFUSAL_NOTE}" if refused else "",
        )
    return entry


def _awaiting_authorisation(entry: DigitalRequest) -> dict[str, str]:
    if entry.status == RequestStatus.AWAITING_AUTHORISATION:
        return {}
    if entry.decided_at is not None:
        return {
            "decision": f"This request has already been decided: it is {in_sentence(entry.get_status_display())}. "
            "Nothing was changed."
        }
    return {
        "decision": f"This request is not awaiting authorisation (it is {in_sentence(entry.get_status_display())})."
    }


def digital_request_decide(
    *,
    actor: User,
    digital_request: DigitalRequest,
    authorise: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> DigitalRequest:
    """A supervisor authorises a victim-focused request, or declines it with a reason."""
    entry = digital_request
    _require(
        "evidence.authorise_request",
        actor,
        entry.case,
        "Only a supervisor of the case's team can authorise a request about a victim.",
    )
    errors = _awaiting_authorisation(entry)
    if not errors and entry.created_by_id == actor.pk:
        errors["decision"] = "You recorded this request, so another supervisor must decide it."
    if not authorise and _blank(note):
        errors["note"] = "Enter why the request is not authorised, so the officer knows what to do instead."
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        line = entry.plan_line
        if line is not None and stands_for(line, entry.kind):
            # The action before the request, the order its own decision takes them in: a supervisor
            # deciding the action while another decides the request waits, and never deadlocks.
            relock(line)
        # Two supervisors deciding at once: the second waits here for the first, then finds it decided.
        relock(entry)
        if problem := _awaiting_authorisation(entry):
            raise ValidationError(problem)
        entry.status = RequestStatus.AUTHORISED if authorise else RequestStatus.NOT_AUTHORISED
        entry.decided_by = actor
        entry.decided_at = now
        entry.decision_note = note.strip()
        entry.updated_by = actor
        entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_by", "updated_at"])
        verdict = "authorised" if authorise else "not authorised"
        _request_logged(
            actor=actor,
            entry=entry,
            request=request,
            action=AuditAction.ALTERATION,
            details={"what": "request decided", "status": entry.status},
            timeline=f"Request {verdict} by {actor}: {in_sentence(entry.get_kind_display())}",
        )
        # The action in the plan this request stands for, while it waits, is decided with it: one
        # decision for both (refused whole, with the request, if the action's own rules do not hold).
        if line is not None and stands_for(line, entry.kind) and line.approval_state == ApprovalState.REQUESTED:
            victim_action_decision_record(actor=actor, line=line, approve=authorise, note=note, request=request)
    return entry


def _check_still_open(entry: DigitalRequest) -> None:
    if entry.status not in (RequestStatus.AWAITING_AUTHORISATION, RequestStatus.AUTHORISED):
        raise ValidationError({"note": f"This request is already {in_sentence(entry.get_status_display())}."})


def digital_request_refusal_record(
    *, actor: User, digital_request: DigitalRequest, note: str = "", request: HttpRequest | None = None
) -> DigitalRequest:
    """The victim refuses, or withdraws their agreement. The request stops; the case does not."""
    entry = digital_request
    _require("evidence.record_evidence", actor, entry.case, "You cannot record evidence on this case.")
    if entry.kind not in VICTIM_KINDS:
        raise ValidationError({"note": "Only a request about a victim can be refused by the victim."})
    _check_still_open(entry)
    with transaction.atomic():
        relock(entry)
        _check_still_open(entry)
        entry.status = RequestStatus.VICTIM_REFUSED
        entry.refused_at = clock.now()
        entry.refusal_note = " ".join(part for part in (note.strip(), REFUSAL_NOTE) if part)
        entry.updated_by = actor
        entry.save(update_fields=["status", "refused_at", "refusal_note", "updated_by", "updated_at"])
        _request_logged(
            actor=actor,
            entry=entry,
            request=request,
            action=AuditAction.ALTERATION,
            details={"what": "victim refused", "status": entry.status},
            timeline=f"The victim refused: {in_sentence(entry.get_kind_display())}. {REFUSAL_NOTE}",
        )
    return entry


def _authorised(entry: DigitalRequest) -> dict[str, str]:
    if entry.status == RequestStatus.COMPLETED:
        return {"note": "This request has already been completed. Nothing was changed."}
    if entry.status != RequestStatus.AUTHORISED:
        return {"note": "Only an authorised request can be completed."}
    return {}


def digital_request_complete(
    *, actor: User, digital_request: DigitalRequest, note: str, request: HttpRequest | None = None
) -> DigitalRequest:
    """The material is obtained or the extraction done: the request leaves the open list."""
    entry = digital_request
    _require("evidence.record_evidence", actor, entry.case, "You cannot record evidence on this case.")
    errors = _authorised(entry)
    if not errors and _blank(note):
        errors["note"] = "Enter what was obtained, or why the request ended."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relock(entry)
        if problem := _authorised(entry):
            raise ValidationError(problem)
        entry.status = RequestStatus.COMPLETED
        entry.completed_at = clock.now()
        entry.completion_note = note.strip()
        entry.updated_by = actor
        entry.save(update_fields=["status", "completed_at", "completion_note", "updated_by", "updated_at"])
        _request_logged(
            actor=actor,
            entry=entry,
            request=request,
            action=AuditAction.ALTERATION,
            details={"what": "request completed"},
        )
    return entry
