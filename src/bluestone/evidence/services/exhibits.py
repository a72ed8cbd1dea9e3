"""Exhibits and their continuity: seized or received, moved, returned (a victim's phone within its
period), replaced, destroyed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
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
from bluestone.core.text import in_sentence
from bluestone.evidence.clocks import duration_words, phone_return_hours, phone_return_period
from bluestone.evidence.models import (
    DEVICE_KINDS,
    DigitalRequest,
    Exhibit,
    ExhibitMovement,
    ExhibitStatus,
    HowObtained,
    ItemKind,
    Owner,
    RequestKind,
    RequestStatus,
)
from bluestone.evidence.services._common import _blank, _require


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
            errors["person"] = f"Choose a {in_sentence(role.label)} on this case."
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
            f"Exhibit {exhibit.reference} ({in_sentence(exhibit.get_item_kind_display())}, "
            f"{in_sentence(exhibit.get_owner_display())}'s) {in_sentence(exhibit.get_how_obtained_display())}"
        )
        if on_clock:
            summary += f"; due back within {phone_return_hours()} hours"
        _timeline(actor, case.pk, EventKind.EVIDENCE_RECORDED, summary, request)
    return exhibit


def _last_moved_at(exhibit: Exhibit) -> dt.datetime | None:
    return exhibit.movements.order_by("-moved_at").values_list("moved_at", flat=True).first()


def _held_problem(exhibit: Exhibit) -> dict[str, str]:
    if exhibit.status != ExhibitStatus.HELD:
        return {"__all__": f"This exhibit has been {in_sentence(exhibit.get_status_display())}: it cannot move."}
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
        summary = f"Exhibit {exhibit.reference} ({in_sentence(exhibit.get_item_kind_display())}) returned"
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
