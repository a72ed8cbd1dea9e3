"""A `bluestone load` killed part-way (SIGKILL, no chance to clean up) leaves nothing, and a re-run completes.

Each test runs the real command in a child process against a database of its own, migrated: a SQLite
file in WAL mode (as `bluestone.settings.local` sets it) in the SQLite pass, and a database on the
PostgreSQL pass's server in that pass (copies of the worker's migrated test database). The child stops
in the middle of writing the persons table, with teams, officers and cases already written in its
open transaction, and says so; the test then kills it.
"""

from __future__ import annotations

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from bluestone.accounts.models import Officer, Team
from bluestone.audit.models import AuditEvent
from bluestone.cases.models import Case, CaseEvent, Involvement, Outcome, PersonRecord
from tests.loading.conftest import ExtractFactory

TABLES = [m._meta.db_table for m in (Team, Officer, Case, PersonRecord, Involvement, Outcome, CaseEvent)]
PAUSED = "paused while writing persons"

# The real command, with one change: the persons table's rows are handed over in two parts, and before
# the second the child reports that it is mid-write and waits to be killed.
CHILD = f"""
import sys, time
import django
django.setup()
from bluestone.cases import loading

def pausing(write):
    def wrapped(upsert, batches, **kwargs):
        if kwargs["label"] != "persons":
            return write(upsert, batches, **kwargs)
        def parts():
            for columns in batches:
                yield [column[:2] for column in columns]
                print({PAUSED!r}, flush=True)
                time.sleep(600)
        return write(upsert, parts(), **kwargs)
    return wrapped

loading.postgres.write = pausing(loading.postgres.write)
loading.sqlite.write = pausing(loading.sqlite.write)
from django.core.management import call_command
call_command("load", sys.argv[1])
"""


def _environment(database_url: str, var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bluestone.settings.local",
        "DATABASE_URL": database_url,
        "BLUESTONE_VAR_DIR": str(var),
    }


def _bluestone(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bluestone.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _kill_mid_load(env: dict[str, str], extract: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(extract)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        with selectors.DefaultSelector() as selector:
            assert child.stdout is not None
            selector.register(child.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=180)
            line = child.stdout.readline() if ready else ""
        assert line.strip() == PAUSED, f"the load did not reach the persons table: {line!r} {child.poll()}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll until `condition` holds (the server notices a dead client on its own schedule)."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting for {what}")
        time.sleep(0.2)


def _assert_reloaded(env: dict[str, str], extract: Path) -> None:
    rerun = _bluestone(env, "load", str(extract))
    assert rerun.returncode == 0, rerun.stderr
    assert "Loaded 2 teams, 2 officers, 3 cases, 4 persons" in rerun.stdout


@pytest.mark.own_database
def test_a_killed_load_on_sqlite_leaves_nothing_and_a_rerun_completes(
    make_extract: ExtractFactory, tmp_path: Path, migrated_sqlite: Path
) -> None:
    database = migrated_sqlite
    env = _environment(f"sqlite:///{database}", tmp_path / "var")
    extract = make_extract()
    migrated = _bluestone(env, "migrate", "--check", "--verbosity", "0")  # nothing left to apply
    assert migrated.returncode == 0, migrated.stderr

    _kill_mid_load(env, extract)

    # The killed transaction's pages are in the write-ahead log, never committed.
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES} == dict.fromkeys(TABLES, 0)  # noqa: S608
        assert db.execute(f'SELECT count(*) FROM "{AuditEvent._meta.db_table}"').fetchone() == (0,)  # noqa: S608
    _assert_reloaded(env, extract)
    with sqlite3.connect(database) as db:
        assert db.execute(f'SELECT count(*) FROM "{Case._meta.db_table}"').fetchone() == (3,)  # noqa: S608


# Transactional: the worker's test database is copied, which needs nobody connected to it.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_load_on_postgresql_leaves_nothing_and_a_rerun_completes(
    make_extract: ExtractFactory, tmp_path: Path, migrated_postgres: str
) -> None:
    extract = make_extract()
    url = migrated_postgres
    env = _environment(url, tmp_path / "var")
    migrated = _bluestone(env, "migrate", "--check", "--verbosity", "0")  # nothing left to apply
    assert migrated.returncode == 0, migrated.stderr

    _kill_mid_load(env, extract)

    with psycopg.connect(url, autocommit=True) as db:

        def others() -> int:
            row = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
            return row[0] if row else -1

        # The killed client's server process rolls its transaction back and ends, taking its staging tables.
        _wait_for(lambda: others() == 0, "the killed load's server process to end")
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone() for t in TABLES}  # noqa: S608
        assert counts == dict.fromkeys(TABLES, (0,))
        assert db.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'load\\_%'").fetchone() == (0,)
        assert db.execute(f'SELECT count(*) FROM "{AuditEvent._meta.db_table}"').fetchone() == (0,)  # noqa: S608

    _assert_reloaded(env, extract)
    with psycopg.connect(url) as db:
        assert db.execute(f'SELECT count(*) FROM "{Case._meta.db_table}"').fetchone() == (3,)  # noqa: S608
