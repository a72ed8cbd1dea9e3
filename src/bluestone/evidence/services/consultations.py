"""The s.62 entries for reading evidence: a case's evidence pages, the SARC register, the
requests waiting for authorisation.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.models import AuditAction
from bluestone.audit.services import audit_record, audit_record_many


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
    audit_record_many(
        actor=user,
        action=AuditAction.CONSULTATION,
        request=request,
        entries=[
            {
                "case": case_id,
                "object_type": object_type,
                "object_id": object_id or case_id,
                "details": {"view": view, "person_ids": list(person_ids)},
            },
            *(
                {
                    "case": case_id,
                    "person": person_id,
                    "object_type": "cases.PersonRecord",
                    "object_id": person_id,
                    "details": {"shown_on": view},
                }
                for person_id in person_ids
            ),
        ],
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
