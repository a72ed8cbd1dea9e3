"""Samples held for a sexual assault referral centre: stored, linked to a case, destroyed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, CaseStatus, EventKind
from bluestone.core import clock
from bluestone.core.locking import relock
from bluestone.core.text import in_sentence
from bluestone.evidence.clocks import sarc_retention_warning
from bluestone.evidence.models import SampleStatus, SampleType, SarcSample
from bluestone.evidence.services._common import _blank


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
        return {"crime_reference": f"These samples are already {in_sentence(sample.get_status_display())}."}
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
