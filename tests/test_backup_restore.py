"""Backup and restore (docs/deployment.md): deploy/backup.sh dumps a PostgreSQL database with audited
work in it, deploy/restore.sh restores the dump into a fresh database, and on the copy the audit log
verifies and every table holds as many rows as the original.

It runs in the PostgreSQL pass, on that pass's server: the database backed up starts as a copy of this
worker's migrated test database (`CREATE DATABASE ... TEMPLATE`), so it has every migration and the
reference data without migrating again; both databases are dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests import pgcluster
from tests.test_deploy_check import bluestone_command

ROOT = Path(__file__).resolve().parents[1]
# Transactional: the test database must have no open transaction (nor connection) while it is copied.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MAKE_WORK = """
from bluestone.audit.services import audit_record
from tests.factories import TeamFactory, UserFactory
team = TeamFactory.create(code="BKP", name="Backup team")
for n in range(3):
    user = UserFactory.create(username=f"backup-{n}", team=team)
    for action in ("consultation", "list"):
        audit_record(actor=user, action=action, details={"n": n})
"""


def _environment(url: str) -> dict[str, str]:
    pg_bin = str(pgcluster.find_binaries().initdb.parent)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BLUESTONE_", "DJANGO_", "DATABASE_URL"))}
    return base | {
        "DJANGO_SETTINGS_MODULE": "bluestone.settings.test",
        "DATABASE_URL": url,
        "PATH": f"{pg_bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "BLUESTONE": " ".join(bluestone_command()),
    }


def _run(args: list[str], url: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, env=_environment(url), cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts: dict[str, int] = {}
        for table in tables:
            row = connection.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
            assert row is not None
            counts[table] = int(row[0])
        return counts


def test_a_backup_restores_into_a_fresh_database_and_its_audit_log_verifies(tmp_path, migrated_postgres):
    assert shutil.which("sh")
    dump = tmp_path / "bluestone.dump"
    url = migrated_postgres
    _run([*bluestone_command(), "migrate", "--check", "--verbosity", "0"], url)  # nothing left to apply
    _run([*bluestone_command(), "shell", "--no-imports", "-c", MAKE_WORK], url)
    _run(["sh", str(ROOT / "deploy" / "backup.sh"), str(dump)], url)

    restored = f"{url}_restored"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.rsplit("/", 1)[1] + "_restored")))
    result = _run(["sh", str(ROOT / "deploy" / "restore.sh"), str(dump)], restored)

    original, copy = _row_counts(url), _row_counts(restored)

    assert "the audit log verifies" in result.stdout
    assert original["audit_event"] >= 6
    assert copy == original
