"""Neither the application nor the database will change or delete an entry."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from bluestone.audit.models import AuditEvent, AuditLogIsAppendOnly
from bluestone.audit.verify import audit_log_verify
from tests.audit.tamper import TABLE, execute

pytestmark = pytest.mark.django_db


def test_saving_a_changed_entry_is_refused(chain: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(sequence=2)
    event.justification = "covering tracks"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.save(update_fields=["justification"])
    assert AuditEvent.objects.get(sequence=2).justification == ""


def test_deleting_an_entry_is_refused(chain: list[AuditEvent]) -> None:
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.get(sequence=2).delete()
    assert AuditEvent.objects.count() == 5


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda qs: qs.update(justification="x"), id="update"),
        pytest.param(lambda qs: qs.delete(), id="delete"),
        pytest.param(lambda qs: qs.bulk_update(list(qs), ["justification"]), id="bulk_update"),
        pytest.param(lambda qs: qs.bulk_create([AuditEvent(sequence=99, hash="f" * 64)]), id="bulk_create"),
        pytest.param(lambda qs: qs.update_or_create(sequence=1, defaults={"recipient": "x"}), id="update_or_create"),
    ],
)
def test_bulk_writes_through_the_queryset_are_refused(
    chain: list[AuditEvent], write: Callable[[object], object]
) -> None:
    with pytest.raises(AuditLogIsAppendOnly):
        write(AuditEvent.objects.all())
    with pytest.raises(AuditLogIsAppendOnly):
        write(AuditEvent._base_manager.all())
    assert audit_log_verify().intact
    assert AuditEvent.objects.count() == 5


def test_a_user_with_entries_cannot_be_deleted(chain: list[AuditEvent]) -> None:
    from django.db.models import ProtectedError  # noqa: PLC0415

    with pytest.raises(ProtectedError):
        chain[0].actor.delete()  # type: ignore[union-attr]


def test_no_permission_to_add_change_or_delete_entries_exists() -> None:
    from django.contrib.auth.models import Permission  # noqa: PLC0415

    codenames = set(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True))
    assert codenames == {"view_auditevent"}


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(f"UPDATE {TABLE} SET justification = 'covering tracks' WHERE sequence = 2", id="update"),  # noqa: S608
        pytest.param(f"DELETE FROM {TABLE} WHERE sequence = 2", id="delete"),  # noqa: S608
        pytest.param(f"DELETE FROM {TABLE}", id="delete-all"),  # noqa: S608
    ],
)
def test_the_database_refuses_update_and_delete_by_raw_sql(chain: list[AuditEvent], sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql)
    assert AuditEvent.objects.count() == 5
    assert audit_log_verify().intact


@pytest.mark.postgres
def test_postgresql_refuses_truncate_of_the_log(chain: list[AuditEvent]) -> None:
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # or PostgreSQL refuses for another reason: queued checks
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic():
        execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 5


@pytest.mark.postgres
def test_postgresql_lets_an_empty_log_be_truncated() -> None:
    # The test suite's flush truncates every table between transactional tests; nothing is lost.
    with transaction.atomic():
        execute(f"TRUNCATE {TABLE}")
    assert not AuditEvent.objects.exists()


def test_the_triggers_exist_on_this_engine() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {"audit_event_no_update_delete", "audit_event_no_truncate"}
        if connection.vendor == "postgresql"
        else {"audit_event_no_update", "audit_event_no_delete"}
    )
    assert names == expected


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(f"UPDATE {TABLE} SET justification = 'covering tracks' WHERE sequence = 2", id="update"),  # noqa: S608
        pytest.param(f"DELETE FROM {TABLE} WHERE sequence = 5", id="delete"),  # noqa: S608
        pytest.param(f"TRUNCATE {TABLE}", id="truncate"),
        pytest.param(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER", id="disable-triggers"),
        pytest.param(f"DROP TRIGGER audit_event_no_update_delete ON {TABLE}", id="drop-trigger"),
    ],
)
def test_postgresql_refuses_the_applications_own_role(chain: list[AuditEvent], sql: str) -> None:
    """As production connects (docs/deployment.md): a role with every table right, owning nothing."""
    role = f"bluestone_app_{uuid.uuid4().hex[:12]}"
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute(f"CREATE ROLE {role} NOSUPERUSER NOCREATEROLE NOBYPASSRLS")
    execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON {TABLE} TO {role}")
    execute(f"SET ROLE {role}")
    try:
        with pytest.raises(DatabaseError, match=r"append-only|must be owner"), transaction.atomic():
            execute(sql)
        # What the role may do: read the log and append to it.
        assert execute(f"SELECT 1 FROM {TABLE}") >= 0  # noqa: S608
    finally:
        execute("RESET ROLE")
    assert AuditEvent.objects.count() == 5
    assert audit_log_verify().intact
