"""What several of the evidence services share: what counts as a blank answer, the permission check,
and the s.62 entry (with its timeline entry) for a write to a request."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record
from bluestone.cases.entry import case_event_record
from bluestone.cases.models import Case, EventKind
from bluestone.evidence.models import DigitalRequest


def _blank(value: str) -> bool:
    return not value.strip()


def _require(rule: str, user: User, case: Case, message: str) -> None:
    if not rules.test_rule(rule, user, case):
        raise PermissionDenied(message)


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
