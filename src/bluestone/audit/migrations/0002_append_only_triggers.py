"""The database refuses to change or delete audit entries, not just the application.

PostgreSQL: one trigger function raises on UPDATE and DELETE (per row) and on TRUNCATE (per
statement, when the table holds any row: emptying an empty table loses nothing, and the test
suite's flush between transactional tests truncates every table). SQLite: BEFORE UPDATE and BEFORE
DELETE triggers that RAISE(ABORT); SQLite has no TRUNCATE. Written by hand; the SQL is frozen here
on purpose rather than imported from the app.

On SQLite, a later migration that alters this table makes Django rebuild it (new table, copy,
drop, rename), which drops these triggers: such a migration must create them again. The tests
that try raw UPDATE and DELETE would catch the omission.
"""

from django.db import migrations

POSTGRES_CREATE = [
    """
    CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM audit_event) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'The audit log is append-only: % on % refused.', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Entries can only be added, by the application (bluestone.audit.services.audit_record).';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()
    """,
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]

SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE on audit_event refused.');
    END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: DELETE on audit_event refused.');
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        # No parameters, so that the driver leaves the % of PL/pgSQL's RAISE format alone.
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    # Other engines get no triggers: the application still refuses, and verify still detects.
    _run(schema_editor, {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
