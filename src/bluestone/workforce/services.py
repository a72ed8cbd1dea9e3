"""Writes for the workforce pages: each checks its rule and records an audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from bluestone.accounts.models import Officer, User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.core import clock
from bluestone.workforce import conf
from bluestone.workforce.models import CheckIn, CourseType, ExposureEntry, ExposureKind, Screening, TrainingRecord
from bluestone.workforce.selectors import profile_for

COURSE_FIELDS = ("name", "description", "valid_for_months", "refresher_every_months", "required", "active")


def _require(rule: str, user: User, obj: Any = None, message: str = "You cannot do that.") -> None:
    if not (rules.test_rule(rule, user, obj) if obj is not None else rules.test_rule(rule, user)):
        raise PermissionDenied(message)


def course_save(*, actor: User, course: CourseType | None, data: dict[str, Any]) -> CourseType:
    _require("workforce.manage_courses", actor, message="Only administrators keep the training courses.")
    clash = CourseType.objects.filter(name__iexact=data["name"])
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise ValidationError({"name": "There is already a course with this name: change that one instead"})
    with transaction.atomic():
        saved = course or CourseType(created_by=actor)
        for name in COURSE_FIELDS:
            setattr(saved, name, data[name])
        saved.updated_by = actor
        saved.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION if course else AuditAction.COLLECTION,
            object_type="workforce.CourseType",
            object_id=saved.pk,
            details={"fields": list(COURSE_FIELDS)},
        )
    return saved


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where it is shorter (31 January + 1: 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def course_dates(course: CourseType, achieved_on: dt.date) -> tuple[dt.date | None, dt.date | None]:
    expires = add_months(achieved_on, course.valid_for_months) if course.valid_for_months else None
    refresher = add_months(achieved_on, course.refresher_every_months) if course.refresher_every_months else None
    return expires, refresher


def training_record_add(
    *,
    actor: User,
    officer: Officer,
    course: CourseType,
    achieved_on: dt.date,
    expires_on: dt.date | None = None,
    refresher_due_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TrainingRecord:
    """Record a course an officer passed. Expiry and refresher default from the course's periods."""
    _require("workforce.manage_officer", actor, officer, "Only a supervisor of the officer's team records training.")
    if achieved_on > clock.today():
        raise ValidationError({"achieved_on": "The date achieved must be today or in the past"})
    default_expiry, default_refresher = course_dates(course, achieved_on)
    expires_on = expires_on or default_expiry
    refresher_due_on = refresher_due_on or default_refresher
    for name, value in (("expires_on", expires_on), ("refresher_due_on", refresher_due_on)):
        if value is not None and value <= achieved_on:
            raise ValidationError({name: "The date must be after the date achieved"})
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            officer=officer,
            course=course,
            achieved_on=achieved_on,
            expires_on=expires_on,
            refresher_due_on=refresher_due_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="workforce.TrainingRecord",
            object_id=record.pk,
            details={"officer_id": officer.pk, "course_id": course.pk},
        )
    return record


def profile_update(
    *, actor: User, officer: Officer, post: str, high_exposure: bool, request: HttpRequest | None = None
) -> None:
    _require("workforce.manage_officer", actor, officer, "Only a supervisor of the officer's team changes their post.")
    with transaction.atomic():
        profile = profile_for(officer)
        profile.post = post
        profile.high_exposure = high_exposure
        profile.updated_by = actor
        profile.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            request=request,
            object_type="workforce.OfficerProfile",
            object_id=profile.pk,
            details={"officer_id": officer.pk, "fields": ["post", "high_exposure"]},
        )


def check_in_record(
    *,
    actor: User,
    officer: Officer,
    held_on: dt.date,
    notes: str,
    support_offered: str,
    referred_to_occupational_health: bool,
    next_due_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """A supervisor records a wellbeing check-in they held. The audit entry holds no words of it."""
    _require("workforce.manage_officer", actor, officer, "Only a supervisor of the officer's team records a check-in.")
    if officer.user_id == actor.pk:
        raise ValidationError({"held_on": "Another supervisor holds your own check-ins"})
    if held_on > clock.today():
        raise ValidationError({"held_on": "The date of the check-in must be today or in the past"})
    next_due_on = next_due_on or held_on + dt.timedelta(days=conf.check_in_interval_days())
    if next_due_on <= held_on:
        raise ValidationError({"next_due_on": "The next check-in must be after this one"})
    with transaction.atomic():
        entry = CheckIn.objects.create(
            officer=officer,
            held_by=actor,
            held_on=held_on,
            notes=notes,
            support_offered=support_offered,
            referred_to_occupational_health=referred_to_occupational_health,
            next_due_on=next_due_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="workforce.CheckIn",
            object_id=entry.pk,
            details={"officer_id": officer.pk, "referred_to_occupational_health": referred_to_occupational_health},
        )
    return entry


def screening_record(
    *,
    actor: User,
    officer: Officer,
    held_on: dt.date,
    next_due_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Screening:
    _require("workforce.manage_officer", actor, officer, "Only a supervisor of the officer's team records a screening.")
    if held_on > clock.today():
        raise ValidationError({"held_on": "The date of the screening must be today or in the past"})
    next_due_on = next_due_on or held_on + dt.timedelta(days=conf.screening_interval_days())
    if next_due_on <= held_on:
        raise ValidationError({"next_due_on": "The next screening must be after this one"})
    with transaction.atomic():
        entry = Screening.objects.create(
            officer=officer, held_on=held_on, next_due_on=next_due_on, created_by=actor, updated_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="workforce.Screening",
            object_id=entry.pk,
            details={"officer_id": officer.pk},
        )
    return entry


MAX_HOURS_A_DAY = Decimal(24)


def exposure_log(
    *, actor: User, on: dt.date, kind: str, hours: Decimal, request: HttpRequest | None = None
) -> ExposureEntry:
    """An officer logs, for themselves, hours spent with traumatic material."""
    officer = getattr(actor, "officer", None)
    if officer is None or not rules.test_rule("workforce.view_own", actor):
        raise PermissionDenied("Only an officer logs their own exposure.")
    if kind not in ExposureKind.values:
        raise ValidationError({"kind": "Choose the kind of material"})
    if on > clock.today():
        raise ValidationError({"on": "The date must be today or in the past"})
    if not Decimal("0.1") <= hours <= MAX_HOURS_A_DAY:
        raise ValidationError({"hours": "Enter hours between 0.1 and 24"})
    with transaction.atomic():
        entry = ExposureEntry.objects.create(
            officer=officer, on=on, kind=kind, hours=hours, created_by=actor, updated_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            request=request,
            object_type="workforce.ExposureEntry",
            object_id=entry.pk,
            details={"officer_id": officer.pk},
        )
    return entry


def officer_view_record(*, user: User, officer: Officer, what: str, request: HttpRequest | None = None) -> None:
    """Log that `user` read an officer's workforce record (their training, wellbeing dates, caseload)."""
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        object_type="accounts.Officer",
        object_id=officer.pk,
        details={"view": what},
    )


def check_in_view_record(
    *, user: User, check_in: CheckIn, content_shown: bool, request: HttpRequest | None = None
) -> None:
    audit_record(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        object_type="workforce.CheckIn",
        object_id=check_in.pk,
        details={"officer_id": check_in.officer_id, "content_shown": content_shown},
    )


def officers_list_record(*, user: User, what: str, officer_ids: list[int], request: HttpRequest | None = None) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LIST,
        request=request,
        object_type="accounts.Officer",
        details={"list": what, "officer_ids": officer_ids},
    )
