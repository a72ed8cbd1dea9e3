"""Writes for evidence: requests and their decisions, exhibits and their continuity, SARC samples.

Each service checks everything first and raises one ValidationError holding every problem (a message
per field, saying what to do), so nothing is half-written; then it writes in one transaction with
its s.62 entry and, where the case's story changes, a timeline entry (`cases.entry.case_event_record`,
which tells the other apps: the victims app listens for PROPERTY_RETURNED).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseStatus, EventKind, Involvement, PersonRecord
from bluestone.cases.models import Role as InvolvementRole
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.evidence.clocks import duration_words, phone_return_hours, phone_return_period, sarc_retention_warning
from bluestone.evidence.models import (
    DEVICE_KINDS,
    VICTIM_KINDS,
    DataCategory,
    DigitalRequest,
    Exhibit,
    ExhibitMovement,
    ExhibitStatus,
    HolderKind,
    HowObtained,
    ItemKind,
    NoticeElement,
    NoticeException,
    NoticeKind,
    Owner,
    RequestKind,
    RequestStatus,
    SampleStatus,
    SampleType,
    SarcSample,
)
from bluestone.investigation.models import LineOfEnquiry

# --- Views of personal data (s.62 consultations) ------------------------------------------------


def evidence_view_record(
    *,
    user: User,
    case_id: uuid.UUID,
    view: str,
    object_type: str,
    object_id: uuid.UUID | str = "",
    person_ids: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> None:
    """Log that `user` read a page of a case's evidence, with an entry per person shown on it."""
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        case=case_id,
        object_type=object_type,
        object_id=object_id or case_id,
        details={"view": view, "person_ids": list(person_ids)},
    )
    for person_id in person_ids:
        audit_record(
            actor=user,
            action=AuditAction.CONSULTATION,
            request=request,
            case=case_id,
            person=person_id,
            object_type="cases.PersonRecord",
            object_id=person_id,
            details={"shown_on": view},
        )


def sarc_view_record(
    *,
    user: User,
    view: str,
    object_id: uuid.UUID | str = "",
    count: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Log a look at the SARC register (a list) or at one entry of it (a consultation)."""
    audit_record(
        actor=user,
        action=AuditAction.LIST if count is not None else AuditAction.CONSULTATION,
        request=request,
        object_type="evidence.SarcSample",
        object_id=object_id,
        details={"view": view} | ({"count": count} if count is not None else {}),
    )


def requests_list_view_record(*, user: User, count: int, request: HttpRequest | None = None) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="evidence.DigitalRequest",
        details={"list": "requests to authorise", "count": count},
    )


# --- Requests ------------------------------------------------------------------------------------


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


def _blank(value: str) -> bool:
    return not value.strip()


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
        return {"person": f"Choose a {role.label.lower()} on this case."}
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
    if details.plan_line is not None and details.plan_line.plan.case_id != case.pk:
        errors["plan_line"] = "Choose a line of enquiry from this case's investigation plan."
    if details.kind == RequestKind.VICTIM_DEVICE:
        errors = _victim_device_problems(details) | errors
    elif details.kind == RequestKind.VICTIM_THIRD_PARTY:
        errors = _third_party_problems(details) | errors
    return errors


def _require(rule: str, user: User, case: Case, message: str) -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied(message)


def _initial_status(details: RequestDetails) -> str:
    if details.kind == RequestKind.VICTIM_DEVICE and details.victim_agreed is False:
        return RequestStatus.VICTIM_REFUSED
    if details.kind in VICTIM_KINDS:
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
            },
            timeline=f"The victim refused: {entry.get_kind_display().lower()}. {REFUSAL_NOTE}" if refused else "",
        )
    return entry


def _request_logged(
    *,
    actor: User,
    entry: DigitalRequest,
    request: HttpRequest | None,
    action: AuditAction,
    details: dict[str, Any],
    timeline: str = "",
) -> None:
    """A write to a request, in the s.62 log, and on the case's timeline when `timeline` says what."""
    audit_record(
        actor=actor,
        action=action,
        request=request,
        case=entry.case_id,
        person=entry.person_id,
        object_type="evidence.DigitalRequest",
        object_id=entry.pk,
        details=details,
    )
    if timeline:
        case_event_record(
            actor=actor, case=entry.case_id, kind=EventKind.EVIDENCE_RECORDED, summary=timeline, request=request
        )


def _awaiting_authorisation(entry: DigitalRequest) -> dict[str, str]:
    if entry.status == RequestStatus.AWAITING_AUTHORISATION:
        return {}
    if entry.decided_at is not None:
        return {
            "decision": f"This request has already been decided: it is {entry.get_status_display().lower()}. "
            "Nothing was changed."
        }
    return {"decision": f"This request is not awaiting authorisation (it is {entry.get_status_display().lower()})."}


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
            timeline=f"Request {verdict} by {actor}: {entry.get_kind_display().lower()}",
        )
    return entry


def _check_still_open(entry: DigitalRequest) -> None:
    if entry.status not in (RequestStatus.AWAITING_AUTHORISATION, RequestStatus.AUTHORISED):
        raise ValidationError({"note": f"This request is already {entry.get_status_display().lower()}."})


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
            timeline=f"The victim refused: {entry.get_kind_display().lower()}. {REFUSAL_NOTE}",
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


# --- Exhibits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExhibitDetails:
    reference: str
    description: str
    owner: str
    item_kind: str
    how_obtained: str
    obtained_at: dt.datetime | None
    obtained_from: str  # where it came from: the first "from" of its continuity
    handled_by: str  # who took or received it
    location: str  # where it is stored
    person: PersonRecord | None = None
    digital_request: DigitalRequest | None = None


def is_victim_phone(*, owner: str, item_kind: str) -> bool:
    """A victim's phone runs the return clock."""
    return owner == Owner.VICTIM and item_kind == ItemKind.MOBILE_PHONE


def _when_problems(name: str, when: dt.datetime | None, *, not_before: dt.datetime | None, what: str) -> dict[str, str]:
    if when is None:
        return {name: f"Enter the date and time {what}."}
    if when > clock.now():
        return {name: f"The date and time {what} must be now or in the past."}
    if not_before is not None and when < not_before:
        return {name: f"The date and time {what} cannot be before the exhibit's last movement."}
    return {}


def _exhibit_problems(case: Case, details: ExhibitDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if _blank(details.reference):
        errors["reference"] = "Enter the exhibit reference, for example AB/1."
    elif Exhibit.objects.filter(case=case, reference__iexact=details.reference.strip()).exists():
        errors["reference"] = "This case already has an exhibit with that reference: enter another."
    if _blank(details.description):
        errors["description"] = "Enter a description of the exhibit."
    if details.owner not in Owner.values:
        errors["owner"] = "Choose whose it is."
    if details.item_kind not in ItemKind.values:
        errors["item_kind"] = "Choose what kind of item it is."
    if details.how_obtained not in HowObtained.values:
        errors["how_obtained"] = "Choose whether it was seized or received."
    errors |= _when_problems("obtained_at", details.obtained_at, not_before=None, what="it was taken")
    for name, label in (
        ("obtained_from", "where it came from"),
        ("handled_by", "who took it"),
        ("location", "where it is stored"),
    ):
        if _blank(getattr(details, name)):
            errors[name] = f"Enter {label}."
    if details.person is not None and details.owner in (Owner.VICTIM, Owner.SUSPECT):
        role = InvolvementRole(details.owner)
        if not Involvement.objects.filter(case=case, person=details.person, role=role).exists():
            errors["person"] = f"Choose a {role.label.lower()} on this case."
    errors |= _victim_device_exhibit_problems(case, details)
    return errors


def _victim_device_exhibit_problems(case: Case, details: ExhibitDetails) -> dict[str, str]:
    # A victim's device is examined only with their agreement (s.37): it comes in under an
    # authorised request of this case, given voluntarily, never seized.
    if details.owner != Owner.VICTIM or details.item_kind not in DEVICE_KINDS:
        return {}
    errors: dict[str, str] = {}
    found = details.digital_request
    if (
        found is None
        or found.case_id != case.pk
        or found.kind != RequestKind.VICTIM_DEVICE
        or found.status != RequestStatus.AUTHORISED
    ):
        errors["digital_request"] = (
            "A victim's device can only be taken under an authorised request for data from it: "
            "choose the authorised request, or record one and have it authorised first."
        )
    if details.how_obtained != HowObtained.RECEIVED:
        errors["how_obtained"] = "A victim's device is given voluntarily, never seized: choose 'Given voluntarily'."
    return errors


def _timeline(actor: User, case_id: uuid.UUID, kind: str, summary: str, request: HttpRequest | None) -> None:
    case_event_record(actor=actor, case=case_id, kind=kind, summary=summary[:500], request=request)


def exhibit_create(*, actor: User, case: Case, details: ExhibitDetails, request: HttpRequest | None = None) -> Exhibit:
    """Record an exhibit seized or received, with the first link of its continuity.

    A victim's phone starts the return clock: due back within `BLUESTONE_PHONE_RETURN_HOURS`.
    """
    _require("evidence.record_evidence", actor, case, "You cannot record evidence on this case.")
    errors = _exhibit_problems(case, details)
    if errors:
        raise ValidationError(errors)
    assert details.obtained_at is not None  # noqa: S101 (checked above)
    now = clock.now()
    on_clock = is_victim_phone(owner=details.owner, item_kind=details.item_kind)
    with transaction.atomic():
        exhibit = Exhibit.objects.create(
            case=case,
            reference=details.reference.strip().upper(),
            description=details.description.strip(),
            owner=details.owner,
            person=details.person,
            item_kind=details.item_kind,
            how_obtained=details.how_obtained,
            obtained_at=details.obtained_at,
            request=details.digital_request,
            location=details.location.strip(),
            return_due_at=details.obtained_at + phone_return_period() if on_clock else None,
            created_by=actor,
            updated_by=actor,
        )
        ExhibitMovement.objects.create(
            exhibit=exhibit,
            from_location=details.obtained_from.strip(),
            to_location=exhibit.location,
            handled_by=details.handled_by.strip(),
            moved_at=details.obtained_at,
            reason=exhibit.get_how_obtained_display(),
            recorded_by=actor,
            recorded_at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            case=case,
            person=details.person,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "exhibit recorded", "owner": exhibit.owner, "item_kind": exhibit.item_kind},
        )
        summary = (
            f"Exhibit {exhibit.reference} ({exhibit.get_item_kind_display().lower()}, "
            f"{exhibit.get_owner_display().lower()}'s) {exhibit.get_how_obtained_display().lower()}"
        )
        if on_clock:
            summary += f"; due back within {phone_return_hours()} hours"
        _timeline(actor, case.pk, EventKind.EVIDENCE_RECORDED, summary, request)
    return exhibit


def _last_moved_at(exhibit: Exhibit) -> dt.datetime | None:
    return exhibit.movements.order_by("-moved_at").values_list("moved_at", flat=True).first()


def _held_problem(exhibit: Exhibit) -> dict[str, str]:
    if exhibit.status != ExhibitStatus.HELD:
        return {"__all__": f"This exhibit has been {exhibit.get_status_display().lower()}: it cannot move."}
    return {}


def _movement_append(
    *, actor: User, exhibit: Exhibit, to_location: str, handled_by: str, moved_at: dt.datetime, reason: str
) -> ExhibitMovement:
    movement = ExhibitMovement.objects.create(
        exhibit=exhibit,
        from_location=exhibit.location,
        to_location=to_location,
        handled_by=handled_by,
        moved_at=moved_at,
        reason=reason,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    exhibit.location = to_location
    return movement


def _moved_since(exhibit: Exhibit, *, seen_at: str, moved_at: dt.datetime) -> dict[str, str]:
    """An exhibit moved by someone else while this movement was being entered: it no longer starts
    where the officer saw it."""
    last = _last_moved_at(exhibit)
    if exhibit.location != seen_at or (last is not None and moved_at < last):
        return {
            "__all__": f"This exhibit has been moved since you opened the page: it is now at {exhibit.location}. "
            "Nothing was changed. Check its continuity and try again."
        }
    return {}


def exhibit_move(
    *,
    actor: User,
    exhibit: Exhibit,
    to_location: str,
    handled_by: str,
    moved_at: dt.datetime | None,
    reason: str,
    request: HttpRequest | None = None,
) -> ExhibitMovement:
    """Add a link to the exhibit's continuity: from where it is now, to where, who, when and why."""
    _require("evidence.record_evidence", actor, exhibit.case, "You cannot record evidence on this case.")
    errors = _held_problem(exhibit)
    if _blank(to_location):
        errors["to_location"] = "Enter where the exhibit went."
    elif to_location.strip() == exhibit.location:
        errors["to_location"] = "The exhibit is already there: enter where it went."
    if _blank(handled_by):
        errors["handled_by"] = "Enter who moved it."
    if _blank(reason):
        errors["reason"] = "Enter why it moved, for example 'to the lab for examination'."
    errors |= _when_problems("moved_at", moved_at, not_before=_last_moved_at(exhibit), what="it moved")
    if errors:
        raise ValidationError(errors)
    assert moved_at is not None  # noqa: S101
    seen_at = exhibit.location
    with transaction.atomic():
        # The continuity runs from where the exhibit is now, so read that under the lock.
        relock(exhibit)
        if problem := _held_problem(exhibit) or _moved_since(exhibit, seen_at=seen_at, moved_at=moved_at):
            raise ValidationError(problem)
        movement = _movement_append(
            actor=actor,
            exhibit=exhibit,
            to_location=to_location.strip(),
            handled_by=handled_by.strip(),
            moved_at=moved_at,
            reason=reason.strip(),
        )
        exhibit.updated_by = actor
        exhibit.save(update_fields=["location", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=exhibit.case_id,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "exhibit moved", "movement_id": movement.pk},
        )
    return movement


def exhibit_return(
    *,
    actor: User,
    exhibit: Exhibit,
    returned_to: str,
    returned_at: dt.datetime | None,
    authority: str,
    handled_by: str,
    request: HttpRequest | None = None,
) -> Exhibit:
    """Give an exhibit back, with the authority for it. A victim's phone stops its clock and keeps
    its time to return; a victim's property is a PROPERTY_RETURNED entry (Victims' Code)."""
    _require("evidence.record_evidence", actor, exhibit.case, "You cannot record evidence on this case.")
    errors = _held_problem(exhibit)
    if _blank(returned_to):
        errors["returned_to"] = "Enter who it was given back to."
    if _blank(authority):
        errors["authority"] = "Enter the authority for returning it (who decided, and why it is no longer needed)."
    if _blank(handled_by):
        errors["handled_by"] = "Enter who handed it back."
    errors |= _when_problems("returned_at", returned_at, not_before=_last_moved_at(exhibit), what="it was returned")
    if errors:
        raise ValidationError(errors)
    assert returned_at is not None  # noqa: S101
    with transaction.atomic():
        relock(exhibit)
        if problem := _held_problem(exhibit):
            raise ValidationError(problem)
        _movement_append(
            actor=actor,
            exhibit=exhibit,
            to_location=f"Returned to {returned_to.strip()}",
            handled_by=handled_by.strip(),
            moved_at=returned_at,
            reason="Returned",
        )
        exhibit.status = ExhibitStatus.RETURNED
        exhibit.returned_at = returned_at
        exhibit.returned_to = returned_to.strip()
        exhibit.seconds_to_return = int((returned_at - exhibit.obtained_at).total_seconds())
        exhibit.disposed_at = returned_at
        exhibit.disposal_authority = authority.strip()
        exhibit.disposed_by = actor
        exhibit.updated_by = actor
        exhibit.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=exhibit.case_id,
            person=exhibit.person_id,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "exhibit returned", "seconds_to_return": exhibit.seconds_to_return},
        )
        summary = f"Exhibit {exhibit.reference} ({exhibit.get_item_kind_display().lower()}) returned"
        if exhibit.return_due_at is not None:
            took = duration_words(returned_at - exhibit.obtained_at)
            in_time = "within" if returned_at <= exhibit.return_due_at else "later than"
            summary += f" after {took}, {in_time} the {phone_return_hours()} hours allowed"
        kind = EventKind.PROPERTY_RETURNED if exhibit.owner == Owner.VICTIM else EventKind.EVIDENCE_RECORDED
        _timeline(actor, exhibit.case_id, kind, summary, request)
    return exhibit


def _replacement_problem(exhibit: Exhibit) -> dict[str, str]:
    if exhibit.return_due_at is None:
        return {"__all__": "Only a victim's phone has a return clock to stop."}
    if exhibit.replacement_provided_at is not None or exhibit.status != ExhibitStatus.HELD:
        return {"__all__": "The victim already has their phone back or a replacement."}
    return {}


def exhibit_replacement_record(
    *, actor: User, exhibit: Exhibit, provided_at: dt.datetime | None, request: HttpRequest | None = None
) -> Exhibit:
    """A replacement phone with the victim's number and data was provided: the return clock stops."""
    _require("evidence.record_evidence", actor, exhibit.case, "You cannot record evidence on this case.")
    errors = _replacement_problem(exhibit)
    errors |= _when_problems(
        "provided_at", provided_at, not_before=exhibit.obtained_at, what="the replacement was provided"
    )
    if errors:
        raise ValidationError(errors)
    assert provided_at is not None  # noqa: S101
    with transaction.atomic():
        relock(exhibit)
        if problem := _replacement_problem(exhibit):
            raise ValidationError(problem)
        exhibit.replacement_provided_at = provided_at
        exhibit.updated_by = actor
        exhibit.save(update_fields=["replacement_provided_at", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=exhibit.case_id,
            person=exhibit.person_id,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "replacement phone provided"},
        )
        took = duration_words(provided_at - exhibit.obtained_at)
        _timeline(
            actor,
            exhibit.case_id,
            EventKind.EVIDENCE_RECORDED,
            f"Replacement phone provided to the victim {took} after exhibit {exhibit.reference} was taken",
            request,
        )
    return exhibit


def exhibit_destroy(
    *,
    actor: User,
    exhibit: Exhibit,
    authority: str,
    destroyed_at: dt.datetime | None,
    confirmed: bool,
    request: HttpRequest | None = None,
) -> Exhibit:
    """Record an exhibit's destruction, with its authority. Refused while its case is open."""
    _require(
        "evidence.destroy_exhibit", actor, exhibit.case, "Only a supervisor of the case's team can destroy an exhibit."
    )
    errors = _held_problem(exhibit)
    if exhibit.case.status != CaseStatus.CLOSED:
        errors["__all__"] = (
            "This exhibit belongs to a case that is still open, so it cannot be destroyed. "
            "Keep it until the case is closed, or return it."
        )
    if _blank(authority):
        errors["authority"] = "Enter the authority for destroying it (the decision and who made it)."
    if not confirmed:
        errors["confirmed"] = "Confirm that the exhibit is to be destroyed."
    errors |= _when_problems("destroyed_at", destroyed_at, not_before=_last_moved_at(exhibit), what="it was destroyed")
    if errors:
        raise ValidationError(errors)
    assert destroyed_at is not None  # noqa: S101
    with transaction.atomic():
        relock(exhibit)
        if problem := _held_problem(exhibit):
            raise ValidationError(problem)
        _movement_append(
            actor=actor,
            exhibit=exhibit,
            to_location="Destroyed",
            handled_by=str(actor),
            moved_at=destroyed_at,
            reason="Destroyed",
        )
        exhibit.status = ExhibitStatus.DESTROYED
        exhibit.disposed_at = destroyed_at
        exhibit.disposal_authority = authority.strip()
        exhibit.disposed_by = actor
        exhibit.updated_by = actor
        exhibit.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=exhibit.case_id,
            object_type="evidence.Exhibit",
            object_id=exhibit.pk,
            details={"what": "exhibit destroyed"},
        )
        _timeline(
            actor, exhibit.case_id, EventKind.EVIDENCE_RECORDED, f"Exhibit {exhibit.reference} destroyed", request
        )
    return exhibit


# --- SARC samples --------------------------------------------------------------------------------


def _require_sarc(actor: User) -> None:
    if not rules.test_rule("evidence.view_sarc_register", actor):
        raise PermissionDenied("The SARC sample register is for the SARC liaison role.")


def sarc_sample_create(
    *,
    actor: User,
    sarc_reference: str,
    collected_on: dt.date | None,
    sample_types: Sequence[SampleType],
    storage_location: str,
    consent_recorded_on: dt.date | None,
    consent_note: str = "",
    request: HttpRequest | None = None,
) -> SarcSample:
    """Register samples a SARC holds for someone who has not reported to the police."""
    _require_sarc(actor)
    errors: dict[str, str] = {}
    if _blank(sarc_reference):
        errors["sarc_reference"] = "Enter the SARC's reference for the samples."
    elif SarcSample.objects.filter(sarc_reference__iexact=sarc_reference.strip()).exists():
        errors["sarc_reference"] = "Samples with that SARC reference are already registered."
    if collected_on is None:
        errors["collected_on"] = "Enter the date the samples were collected."
    elif collected_on > clock.today():
        errors["collected_on"] = "The date the samples were collected must be today or in the past."
    if not sample_types:
        errors["sample_types"] = "Choose the types of sample held."
    if _blank(storage_location):
        errors["storage_location"] = "Enter where the samples are stored."
    if consent_recorded_on is None:
        errors["consent_recorded_on"] = "Enter the date the person consented to the samples being stored."
    elif consent_recorded_on > clock.today():
        errors["consent_recorded_on"] = "The date of consent must be today or in the past."
    if errors:
        raise ValidationError(errors)
    assert collected_on is not None  # noqa: S101 (checked above)
    assert consent_recorded_on is not None  # noqa: S101
    with transaction.atomic():
        sample = SarcSample.objects.create(
            sarc_reference=sarc_reference.strip().upper(),
            collected_on=collected_on,
            storage_location=storage_location.strip(),
            consent_recorded_on=consent_recorded_on,
            consent_note=consent_note.strip(),
            created_by=actor,
            updated_by=actor,
        )
        sample.sample_types.set(sample_types)
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="evidence.SarcSample",
            object_id=sample.pk,
            details={"what": "SARC samples registered"},
        )
    return sample


def _stored(sample: SarcSample) -> dict[str, str]:
    if sample.status != SampleStatus.STORED:
        return {"crime_reference": f"These samples are already {sample.get_status_display().lower()}."}
    return {}


def sarc_sample_link(
    *, actor: User, sample: SarcSample, crime_reference: str, request: HttpRequest | None = None
) -> SarcSample:
    """The person has reported: link the samples to the case, which governs their retention from now."""
    _require_sarc(actor)
    errors: dict[str, str] = {}
    case = Case.objects.filter(crime_reference__iexact=crime_reference.strip()).first() if crime_reference else None
    if problem := _stored(sample):
        errors = problem
    elif _blank(crime_reference):
        errors["crime_reference"] = "Enter the crime reference of the person's report."
    elif case is None:
        errors["crime_reference"] = "There is no case with that crime reference: check it with the investigating team."
    if errors:
        raise ValidationError(errors)
    assert case is not None  # noqa: S101
    with transaction.atomic():
        relock(sample)
        if problem := _stored(sample):
            raise ValidationError(problem)
        sample.status = SampleStatus.LINKED
        sample.case = case
        sample.linked_at = clock.now()
        sample.linked_by = actor
        sample.updated_by = actor
        sample.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=case,
            object_type="evidence.SarcSample",
            object_id=sample.pk,
            details={"what": "SARC samples linked to a case"},
        )
        # The SARC liaison sees no case content; the entry tells the case team.
        case_event_record(
            actor=actor,
            case=case,
            kind=EventKind.EVIDENCE_RECORDED,
            summary=f"SARC samples {sample.sarc_reference} linked to this case: the case now governs their retention",
            request=request,
        )
    return sample


def _destroy_problem(sample: SarcSample) -> dict[str, str]:
    if sample.status == SampleStatus.DESTROYED:
        return {"__all__": "These samples have already been destroyed. Nothing was changed."}
    if sample.status == SampleStatus.LINKED:
        if sample.case is not None and sample.case.status != CaseStatus.CLOSED:
            return {
                "__all__": "These samples are linked to a case that is still open, so they cannot be destroyed: "
                "the case governs their retention."
            }
        return {}
    warning = sarc_retention_warning(sample.collected_on)
    if not warning.expired:
        return {
            "__all__": f"These samples must be kept until {warning.until.day} {warning.until:%B %Y}: "
            "they cannot be destroyed before then."
        }
    return {}


def sarc_sample_destroy(
    *, actor: User, sample: SarcSample, authority: str, confirmed: bool, request: HttpRequest | None = None
) -> SarcSample:
    """Record the destruction of samples at the end of retention. Never automatic: a person must
    confirm it, with the authority. Refused before the retention date, and while a linked case is open."""
    _require_sarc(actor)
    errors = _destroy_problem(sample)
    if _blank(authority):
        errors["authority"] = "Enter the authority for destroying the samples."
    if not confirmed:
        errors["confirmed"] = "Confirm that the samples are to be destroyed."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Two people confirming the destruction at once: the second waits, then finds it recorded.
        relock(sample)
        if problem := _destroy_problem(sample):
            raise ValidationError(problem)
        sample.status = SampleStatus.DESTROYED
        sample.destroyed_at = clock.now()
        sample.destruction_authority = authority.strip()
        sample.destroyed_by = actor
        sample.updated_by = actor
        sample.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            case=sample.case_id,
            object_type="evidence.SarcSample",
            object_id=sample.pk,
            details={"what": "SARC samples destroyed"},
        )
    return sample
