"""Reads of the audit log for the auditor's screens. Only users with the auditor role may call them.

They return lazy querysets, newest first. Looking at the access log is itself a consultation of
personal data: the screen that shows these results records it with `audit_record`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from bluestone.accounts.models import Role, User
from bluestone.audit.models import AuditAction, AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """Which entries to show. Dates are calendar days in the service's time zone, both inclusive."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actions: Collection[AuditAction | str] = ()

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("The 'from' date must be on or before the 'to' date.")
        for action in self.actions:
            AuditAction(action)  # ValueError names an unknown action

    def as_details(self) -> dict[str, object]:
        """The filters as plain JSON, for the log entry of an export."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "actions": sorted(str(AuditAction(action).value) for action in self.actions),
        }


def require_auditor(user: User) -> None:
    if not (user.is_active and user.role == Role.AUDITOR):
        raise PermissionDenied("Only auditors can read the audit log.")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(queryset: QuerySet[AuditEvent], filters: AuditFilters | None) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilters()
    if filters.date_from:
        queryset = queryset.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(occurred_at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.actions:
        queryset = queryset.filter(action__in=[AuditAction(action).value for action in filters.actions])
    return queryset.order_by("-occurred_at", "-sequence")


def audit_events_for_case(
    *, user: User, case_id: uuid.UUID, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """Who did what to this case and when."""
    require_auditor(user)
    return _filtered(AuditEvent.objects.filter(case_id=case_id), filters)


def audit_events_for_person(
    *, user: User, person_id: uuid.UUID, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """Who did what to this person record and when."""
    require_auditor(user)
    return _filtered(AuditEvent.objects.filter(person_id=person_id), filters)


def audit_events_by_actor(*, user: User, actor_id: int, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """Everything this member of staff did, as the log recorded it."""
    require_auditor(user)
    return _filtered(AuditEvent.objects.filter(actor_id=actor_id), filters)


# The account and access events an auditor reviews force-wide: failed sign-ins, lockouts, break glass.
SECURITY_ACTIONS = (AuditAction.SIGN_IN_FAILED, AuditAction.LOCKOUT, AuditAction.BREAK_GLASS)


def security_events(*, user: User, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """Failed sign-ins, lockouts and break-glass accesses across the force, newest first (`filters`
    may narrow them to one of those actions and to dates)."""
    require_auditor(user)
    filters = filters or AuditFilters()
    if any(AuditAction(action) not in SECURITY_ACTIONS for action in filters.actions):
        raise ValueError("Only failed sign-ins, lockouts and break-glass accesses are listed here.")
    return _filtered(AuditEvent.objects.filter(action__in=[a.value for a in SECURITY_ACTIONS]), filters)
