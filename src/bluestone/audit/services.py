"""Writes to the audit log: appending an entry, and exporting entries (itself a logged disclosure)."""

from __future__ import annotations

import csv
import ipaddress
import json
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from django.db import connection, models, transaction
from django.http import HttpRequest

from bluestone.accounts.models import User
from bluestone.audit.chain import check_details, entry_hash, format_timestamp
from bluestone.audit.models import GENESIS_HASH, AuditAction, AuditEvent, AuditEventQuerySet
from bluestone.audit.selectors import require_auditor
from bluestone.audit.signing import entry_signature, keyring
from bluestone.core import clock

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# pg_advisory_xact_lock key that serialises appends to the chain ("bs-audit" in ASCII).
CHAIN_LOCK_KEY = int.from_bytes(b"bs-audit", "big")

USER_AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length or 512
RECIPIENT_MAX = AuditEvent._meta.get_field("recipient").max_length or 300

# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy set it,
    # and a deployment behind a proxy sets REMOTE_ADDR from it at the proxy or in middleware.
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def _id_of(value: models.Model | uuid.UUID | str | None) -> uuid.UUID | None:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        return uuid.UUID(value)
    return value.pk


def _chain_head() -> tuple[int, str]:
    """The sequence and hash of the last entry, after taking the chain lock where the engine needs it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    request: HttpRequest | None = None,
    # A case and a person record (`cases` sits above `audit`, so any model with a UUID key).
    case: models.Model | uuid.UUID | str | None = None,
    person: models.Model | uuid.UUID | str | None = None,
    object_type: str = "",
    object_id: str | uuid.UUID | int = "",
    justification: str = "",
    recipient: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the s.62 log and return it.

    Call it inside the transaction that does the audited work: it joins that transaction (a
    savepoint), so the work and its entry commit or roll back together.

    Concurrency: every entry's hash covers the previous entry's hash, so appends must be serialised.
    On PostgreSQL a transaction-level advisory lock (`pg_advisory_xact_lock(CHAIN_LOCK_KEY)`) is taken
    before the chain head is read and held until the caller's transaction ends; so audited
    transactions queue on it, and should call this late and commit promptly. It assumes READ
    COMMITTED (Django's default): under REPEATABLE READ the head read could predate the lock. On
    SQLite a writing transaction holds the database-wide write lock, so appends are serialised anyway
    (a concurrent writer waits, or fails with "database is locked"; it never forks the chain). On any
    engine the unique `sequence` and `hash` columns make a forked chain impossible: a writer that read
    a stale head fails its insert instead.

    The entry's hash is signed with the audit key (`bluestone.audit.signing`), which only the
    servers hold: `verify` refuses an entry that someone wrote straight into the table.

    Raises ValueError for an entry the log must not hold: break-glass access without a
    justification, a disclosure without a recipient, details that are not plain JSON.
    """
    event = _entry(
        actor=actor,
        action=action,
        request=request,
        case=case,
        person=person,
        object_type=object_type,
        object_id=object_id,
        justification=justification,
        recipient=recipient,
        details=details,
    )
    _append([event])
    return event


def audit_record_many(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    entries: Iterable[dict[str, Any]],
    request: HttpRequest | None = None,
) -> list[AuditEvent]:
    """Append several entries by one actor in one request (a page that shows many people), in order.

    Each of `entries` holds `audit_record`'s other arguments (case, person, object_type, object_id,
    justification, recipient, details). The entries are chained and signed exactly as `audit_record`
    would chain them one after the other, but the chain head is read once and the entries are
    written in one statement, so a page logs ten people in as many queries as it logs one.
    """
    events = [_entry(actor=actor, action=action, request=request, **entry) for entry in entries]
    _append(events)
    return events


def _entry(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    request: HttpRequest | None = None,
    case: models.Model | uuid.UUID | str | None = None,
    person: models.Model | uuid.UUID | str | None = None,
    object_type: str = "",
    object_id: str | uuid.UUID | int = "",
    justification: str = "",
    recipient: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """An entry checked and filled in, not yet chained: see `audit_record`."""
    action = AuditAction(action)
    if action == AuditAction.BREAK_GLASS and not justification.strip():
        raise ValueError("Break-glass access needs a justification: say why you need this record.")
    if action == AuditAction.DISCLOSURE and not recipient.strip():
        raise ValueError("A disclosure needs a recipient: say who receives the data.")
    if len(recipient) > RECIPIENT_MAX:
        raise ValueError(f"The recipient is longer than {RECIPIENT_MAX} characters.")
    details = dict(details or {})
    check_details(details)
    # Round-trip through JSON so that the hash covers exactly what the database will give back.
    details = json.loads(json.dumps(details))

    user = actor if isinstance(actor, User) else None
    return AuditEvent(
        occurred_at=clock.now(),
        actor=user,
        actor_username=user.get_username() if user else "",
        actor_role=user.role if user else "",
        action=action.value,
        object_type=object_type,
        object_id=str(object_id),
        case_id=_id_of(case),
        person_id=_id_of(person),
        justification=justification,
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:USER_AGENT_MAX],
        recipient=recipient,
        details=details,
    )


def _append(events: list[AuditEvent]) -> None:
    """Chain, sign and insert `events` after the current head, in one transaction (a savepoint)."""
    if not events:
        return
    ring = keyring()  # before any work: without the key, nothing is logged (ImproperlyConfigured)
    with transaction.atomic():
        sequence, prev_hash = _chain_head()
        for event in events:
            sequence += 1
            event.sequence = sequence
            event.prev_hash = prev_hash
            event.hash = entry_hash(_hashed_values(event))
            event.key_id = ring.current_id
            event.signature = entry_signature(ring, event.hash)
            prev_hash = event.hash
        if len(events) == 1:
            events[0].save()
        else:
            # The manager's queryset refuses bulk_create (it would skip the chain); these entries are
            # chained above, so they go in through the plain QuerySet's bulk_create, as one INSERT.
            super(AuditEventQuerySet, AuditEvent.objects.all()).bulk_create(events)


def _hashed_values(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": event.case_id,
        "person_id": event.person_id,
        "justification": event.justification,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "recipient": event.recipient,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


CSV_COLUMNS = (
    "sequence",
    "id",
    "occurred_at",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "justification",
    "recipient",
    "ip_address",
    "user_agent",
    "details",
    "prev_hash",
    "hash",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading apostrophe stops a spreadsheet from running text a user typed as a formula.
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def audit_events_csv(
    *,
    user: User,
    events: Iterable[AuditEvent],
    recipient: str,
    out: TextIO,
    request: HttpRequest | None = None,
    filters: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write `events` to `out` as CSV (one header row, then one row per entry) and log the export.

    Only auditors may export. The export is itself a disclosure of personal data, so it is recorded
    (recipient, row count, first and last sequence numbers, the filters used) in the same
    transaction; if that fails the caller gets the exception and must not deliver what was written.
    Cells that begin with a formula character get a leading apostrophe, so the file reads safely in
    a spreadsheet (and is not for re-verifying hashes: use `bluestone audit verify` on the database).
    """
    require_auditor(user)
    if not recipient.strip():
        raise ValueError("Say who will receive the export.")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    first_sequence: int | None = None
    last_sequence: int | None = None
    case_ids: set[uuid.UUID | None] = set()
    person_ids: set[uuid.UUID | None] = set()
    for event in events:
        writer.writerow(
            [
                _cell(event.sequence),
                _cell(event.id),
                _cell(format_timestamp(event.occurred_at)),
                _cell(event.actor_username),
                _cell(event.actor_role),
                _cell(event.action),
                _cell(event.object_type),
                _cell(event.object_id),
                _cell(event.case_id),
                _cell(event.person_id),
                _cell(event.justification),
                _cell(event.recipient),
                _cell(event.ip_address),
                _cell(event.user_agent),
                _cell(json.dumps(event.details, sort_keys=True, ensure_ascii=False)),
                _cell(event.prev_hash),
                _cell(event.hash),
            ]
        )
        rows += 1
        first_sequence = event.sequence if first_sequence is None else min(first_sequence, event.sequence)
        last_sequence = event.sequence if last_sequence is None else max(last_sequence, event.sequence)
        case_ids.add(event.case_id)
        person_ids.add(event.person_id)
    # An export about one case (or one person) is indexed under it, so "who saw this case" finds it.
    only_case = next(iter(case_ids)) if len(case_ids) == 1 else None
    only_person = next(iter(person_ids)) if len(person_ids) == 1 else None
    return audit_record(
        actor=user,
        action=AuditAction.DISCLOSURE,
        request=request,
        case=only_case,
        person=only_person,
        object_type="audit.AuditEvent",
        recipient=recipient,
        details={
            "format": "csv",
            "rows": rows,
            "first_sequence": first_sequence,
            "last_sequence": last_sequence,
            "filters": filters or {},
        },
    )
