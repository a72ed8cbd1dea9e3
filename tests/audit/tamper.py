"""What a database administrator with full rights could do to the log, for tests that check we notice.

`database_refusal_lifted()` switches the append-only triggers off for the length of a with-block
(PostgreSQL: DISABLE TRIGGER USER; SQLite: drop them and create them again from their own SQL),
then raw SQL can alter, delete and renumber entries as an attacker with DBA rights would.
"""

# ruff: noqa: S608  (the table and column names are this module's constants; values are parameters)
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

if TYPE_CHECKING:
    from bluestone.audit.models import AuditEvent

TABLE = "audit_event"


def execute(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


@contextmanager
def database_refusal_lifted() -> Iterator[None]:
    if connection.vendor == "postgresql":
        # PostgreSQL will not alter a table with foreign-key checks still queued in this transaction.
        execute("SET CONSTRAINTS ALL IMMEDIATE")
        execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        triggers = cursor.fetchall()
    assert triggers, "expected the append-only triggers on the audit table"
    for name, _sql in triggers:
        execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _name, sql in triggers:
            execute(sql)


def set_column(sequence: int, column: str, value: Any) -> None:
    with database_refusal_lifted():
        assert execute(f"UPDATE {TABLE} SET {column} = %s WHERE sequence = %s", [value, sequence]) == 1


def delete_entry(sequence: int) -> None:
    with database_refusal_lifted():
        assert execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [sequence]) == 1


def swap_sequences(first: int, second: int) -> None:
    parked = 10**9
    with database_refusal_lifted():
        execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [parked, first])
        execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [first, second])
        execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [second, parked])


def delete_and_renumber(sequence: int) -> None:
    """Delete an entry and close the gap, as someone covering their tracks would."""
    with database_refusal_lifted():
        execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [sequence])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT sequence FROM {TABLE} WHERE sequence > %s ORDER BY sequence", [sequence])
            later = [row[0] for row in cursor.fetchall()]
        for old in later:
            execute(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [old - 1, old])


def purge() -> None:
    """Empty the log (for transactional tests, whose teardown truncates every table)."""
    with transaction.atomic(), database_refusal_lifted():
        execute(f"DELETE FROM {TABLE}")


def append_forged(**fields: Any) -> AuditEvent:
    """Append an entry as someone with the database's rights would: the right sequence, prev_hash and hash.

    The insert goes through the ORM only so that each column gets its engine's storage form (an
    INSERT typed by hand would be the same row); the signature is whatever the forger can make.
    """
    # Imported here: the flush plugin imports this module before Django is set up.
    from bluestone.audit.chain import entry_hash  # noqa: PLC0415
    from bluestone.audit.models import AuditEvent  # noqa: PLC0415
    from bluestone.audit.services import _hashed_values  # noqa: PLC0415
    from bluestone.core import clock  # noqa: PLC0415

    head = AuditEvent.objects.order_by("-sequence").first()
    event = AuditEvent(
        occurred_at=clock.now(),
        action="consultation",
        actor_username="",
        actor_role="",
        object_type="cases.Case",
        object_id="",
        justification="",
        user_agent="",
        recipient="",
        details={},
        sequence=(head.sequence if head else 0) + 1,
        prev_hash=head.hash if head else "0" * 64,
    )
    for name, value in fields.items():
        if name not in {"signature", "key_id"}:
            setattr(event, name, value)
    event.hash = entry_hash(_hashed_values(event))
    event.signature = fields.get("signature", "")
    event.key_id = fields.get("key_id", "")
    with database_refusal_lifted():
        event.save()
    return event


def cut_tail(count: int) -> None:
    """Delete the newest `count` entries."""
    with database_refusal_lifted():
        for _ in range(count):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(sequence) FROM {TABLE}")
                (last,) = cursor.fetchone()
            execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [last])
