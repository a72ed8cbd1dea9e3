"""Disruption tactics recorded against an identity, and which are overdue."""

from __future__ import annotations

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.suspects.models import CLOSED_TACTIC_STATUSES, Identity, TacticRecord, TacticStatus, TacticType


def _tactic_check(
    *, status: str, status_on: dt.date, starts_on: dt.date | None, ends_on: dt.date | None, review_on: dt.date | None
) -> None:
    errors: dict[str, str] = {}
    if status not in TacticStatus.values:
        errors["status"] = "Choose the tactic's status."
    if status_on > clock.today():
        errors["status_on"] = "The date of the status must be today or in the past."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date."
    if review_on is None and status not in CLOSED_TACTIC_STATUSES:
        errors["review_on"] = "Enter a review date: every tactic in force or being considered is reviewed."
    if errors:
        raise ValidationError(errors)


def tactic_record_create(
    *,
    actor: User,
    identity: Identity,
    tactic: TacticType,
    status: str,
    status_on: dt.date,
    owner: User,
    review_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> TacticRecord:
    if not rules.test_rule("suspects.manage_tactics", actor):
        raise PermissionDenied("Only analysts and supervisors record disruption tactics.")
    _tactic_check(status=status, status_on=status_on, starts_on=starts_on, ends_on=ends_on, review_on=review_on)
    with transaction.atomic():
        record = TacticRecord.objects.create(
            identity=identity,
            tactic=tactic,
            status=status,
            status_on=status_on,
            starts_on=starts_on,
            ends_on=ends_on,
            owner=owner,
            review_on=review_on,
            notes=notes.strip(),
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="suspects.TacticRecord",
            object_id=record.pk,
            details={"identity": str(identity.pk), "tactic": tactic.pk, "status": status},
        )
    return record


def tactic_record_update(
    *,
    actor: User,
    record: TacticRecord,
    status: str,
    status_on: dt.date,
    review_on: dt.date | None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> TacticRecord:
    if not rules.test_rule("suspects.manage_tactics", actor):
        raise PermissionDenied("Only analysts and supervisors record disruption tactics.")
    _tactic_check(
        status=status, status_on=status_on, starts_on=record.starts_on, ends_on=record.ends_on, review_on=review_on
    )
    changed = [
        name
        for name, value in (("status", status), ("status_on", status_on), ("review_on", review_on))
        if getattr(record, name) != value
    ]
    with transaction.atomic():
        record.status, record.status_on, record.review_on = status, status_on, review_on
        if notes.strip():
            record.notes = f"{record.notes}\n{notes.strip()}".strip()
            changed.append("notes")
        record.updated_by = actor
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="suspects.TacticRecord",
            object_id=record.pk,
            details={"identity": str(record.identity_id), "fields": changed},
        )
    return record


def overdue_tactics() -> Q:
    return Q(review_on__lt=clock.today()) & ~Q(status__in=CLOSED_TACTIC_STATUSES)
