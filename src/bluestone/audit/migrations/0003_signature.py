"""Each entry is signed with the audit key (bluestone.audit.signing): two new columns.

On SQLite, adding a column that is not null makes Django rebuild the table (new table, copy, drop,
rename), which drops the append-only triggers of migration 0002: this migration creates them again.
PostgreSQL adds the columns in place and keeps its triggers. Entries written before this migration
have no signature; `verify` accepts them only when a later, signed entry vouches for them through
the chain (docs/security.md).
"""

from django.db import migrations, models

SQLITE_CREATE = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE on audit_event refused.');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: DELETE on audit_event refused.');
    END
    """,
]


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        # Undoing this migration rebuilds the table again: the first step, run last, restores them.
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="signature",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
