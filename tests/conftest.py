"""Shared by the whole suite: which database this pass runs on, and what that means for `postgres` tests.

`make test` runs the suite twice: on SQLite (plain `pytest`) and on a throwaway PostgreSQL server
(`python -m tests.pgcluster -- pytest -m "not browser"`). Tests marked `postgres` are deselected in the
SQLite pass, visibly ("N deselected"), and all run in the PostgreSQL pass. Tests that use no database
(`uses_the_database`) are deselected in the PostgreSQL pass, visibly too: they ran in the first. A `postgres` test that
somehow runs on another database fails: it never skips, so CI cannot pass without exercising it.

Each test starts from the same reference data, whatever ran before it and on whichever xdist worker:
every worker keeps a copy of what its migrated test database holds (offence classes, outcome types,
the plan template, rights, sample and tactic types) and puts it back after each transactional test's
flush. Factory data is the same for a test in every run: factory-boy's random generator (and so its
Faker) is reseeded from the test's id, and every factory's sequence starts again from 0.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import factory.base
import factory.random
import pytest
from hypothesis import settings as hypothesis_settings

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# The synthetic forces (generated, and a linkage model trained, once per process), local Spark, and the
# OpenID provider of the single sign-on tests, for every test.
pytest_plugins = ["tests.forces", "tests.sparklocal", "tests.accounts.oidc.provider"]

POSTGRES_MARK = "postgres"


def on_postgres() -> bool:
    """Whether the default database of this run is PostgreSQL (no connection is opened to find out)."""
    from django.db import connection  # noqa: PLC0415  (settings are configured by pytest-django first)

    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_database() -> bool:
    """True on the PostgreSQL pass; for tests that check vendor-specific behaviour on either pass."""
    return on_postgres()


# The fixtures through which a test reaches the database (pytest-django's, and this suite's own).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "postgres_database",
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether a test reaches this pass's database: a `django_db` or `postgres` mark, or a database fixture.

    A test that reaches it only through a child process (a command run with this pass's DATABASE_URL)
    says so with the `django_db` mark or by asking for `postgres_database`.
    """
    if item.get_closest_marker("django_db") is not None or item.get_closest_marker(POSTGRES_MARK) is not None:
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_postgres():
        # The PostgreSQL pass repeats what touches the database. A test that does not (settings read in
        # a child process, pure functions, servers started on their own SQLite file) ran in the SQLite
        # pass already and would do the same thing again; it is deselected, visibly.
        elsewhere = [item for item in items if not uses_the_database(item)]
        if elsewhere:
            config.hook.pytest_deselected(items=elsewhere)
            items[:] = [item for item in items if uses_the_database(item)]
        return
    deselected = [item for item in items if item.get_closest_marker(POSTGRES_MARK) is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.get_closest_marker(POSTGRES_MARK) is None]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker(POSTGRES_MARK) is not None and not on_postgres():
        pytest.fail(
            f"{item.nodeid} is marked '{POSTGRES_MARK}' but the database is not PostgreSQL: run it with "
            "`python -m tests.pgcluster -- pytest ...` (or DATABASE_URL=postgres://...)",
            pytrace=False,
        )


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


# Hypothesis: in CI the same examples every run (derandomize), no example database written into the
# work tree, and the blob that reproduces a failure printed. `--hypothesis-seed` still overrides.
# No deadline in either: an example's time is the shared machine's load, not the code's (timings are
# measured in `make bench`, never asserted in tests).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
hypothesis_settings.register_profile("dev", print_blob=True, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if _in_ci() else "dev"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings  # noqa: PLC0415

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    where = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "default"
    verdict = "run" if on_postgres() else "are deselected"
    profile = hypothesis_settings.get_current_profile_name()
    derandomize = hypothesis_settings.get_profile(profile).derandomize
    return [
        f"database: {engine} ({where}); tests marked '{POSTGRES_MARK}' {verdict}",
        f"factory-boy: reseeded per test from its id; hypothesis profile '{profile}' (derandomize={derandomize})",
    ]


# --- Reference data, per worker ----------------------------------------------------------------------


@dataclass
class _Snapshot:
    """What this worker's freshly migrated test database held, and the means to write it back."""

    data: str
    blocker: object


_SNAPSHOT = pytest.StashKey[_Snapshot]()


_MIGRATED_FILE = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """pytest-django's test database (one per xdist worker), and a copy of the data the migrations put in it.

    On SQLite the freshly migrated database is also written to a file (SQLite's online backup, a few
    milliseconds), for the tests that run the command line against a database of their own
    (`migrated_sqlite`): they start from what `bluestone migrate` writes without migrating again.
    """
    from django.db import connection  # noqa: PLC0415

    with django_db_blocker.unblock():
        data = connection.creation.serialize_db_to_string()
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            path = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            request.config.stash[_MIGRATED_FILE] = path
    request.config.stash[_SNAPSHOT] = _Snapshot(data=data, blocker=django_db_blocker)


@pytest.fixture
def migrated_sqlite(django_db_setup: None, request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A SQLite database file of the test's own with every migration applied, as `bluestone migrate` leaves it.

    A copy of this worker's test database as it was straight after migrating (before any test wrote to
    it). Only on the SQLite pass, where the test database is SQLite.
    """
    source = request.config.stash.get(_MIGRATED_FILE, None)
    if source is None:
        pytest.fail("migrated_sqlite needs the SQLite pass (its test database is the source)", pytrace=False)
    copy = tmp_path / "bluestone.sqlite3"
    shutil.copyfile(source, copy)
    return copy


def _restore(snapshot: _Snapshot, connection: BaseDatabaseWrapper) -> None:
    """Write the snapshot back into the flushed database, with the primary keys it had.

    The flush's post_migrate signal has made the content types and permissions again, under new
    primary keys: they go first, so that the snapshot's own (which the rest of the data and Django's
    content type cache refer to) take their place.
    """
    from django.contrib.auth.models import Permission  # noqa: PLC0415
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    Permission.objects.all().delete()
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(snapshot.data)


def _is_transactional(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker is not None and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test's flush (its fixtures are finalised inside), put the reference data back.

    A flush empties every table. Restoring right after it, rather than before the next transactional
    test, means every later test on this worker, transactional or not and in whatever order xdist
    hands them out, finds the data the migrations loaded, with the same primary keys.
    """
    result = yield
    snapshot = item.config.stash.get(_SNAPSHOT, None)
    # After the session's last test the test database is gone already (its fixture is finalised in
    # that test's teardown), and no test needs the data.
    if snapshot is not None and _is_transactional(item) and nextitem is not None:
        from django.db import connection  # noqa: PLC0415

        from bluestone.core.models import OutcomeType  # noqa: PLC0415

        with snapshot.blocker.unblock():  # type: ignore[attr-defined]
            if not OutcomeType.objects.exists():
                _restore(snapshot, connection)
    return result


@pytest.fixture
def migrated_postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new database on the PostgreSQL pass's server: a copy of this worker's migrated test database.

    `CREATE DATABASE ... TEMPLATE`: every migration and the reference data, without migrating again. For
    transactional tests (nobody may be connected to a database while it is copied); dropped afterwards,
    with any database whose name it starts (a restored copy, say).
    """
    import psycopg  # noqa: PLC0415
    from django.db import connection, connections  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    if not on_postgres():
        pytest.fail("migrated_postgres needs the PostgreSQL pass (its test database is the template)", pytrace=False)
    template = connection.settings_dict["NAME"]
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"{template}_copy"
    connections.close_all()  # a database is copied only while nobody is connected to it
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            names = [
                row[0]
                for row in admin.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [name])
            ]
            for database in names:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


# --- Factories: the same data for a test in every run --------------------------------------------------


def _factories(base: type = factory.base.Factory) -> Iterator[type[factory.base.Factory]]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from _factories(subclass)


@pytest.fixture(autouse=True)
def _factories_start_afresh(request: pytest.FixtureRequest) -> None:
    """Reseed factory-boy's Faker from the test's id and restart every factory's sequences.

    Seeded from the id (a string, hashed the same way whatever PYTHONHASHSEED is), a test gets the same
    names, dates of birth and numbers in every run, alone or among others, on any xdist worker.
    """
    factory.random.reseed_random(request.node.nodeid)
    for factory_class in _factories():
        meta = factory_class._meta
        if meta.model is not None and meta.counter_reference is meta:
            factory_class.reset_sequence(0)


# --- Background tasks through the production backend --------------------------------------------------


@dataclass
class DatabaseTasks:
    """Tasks go to django-tasks' database backend, as in production; `run_worker` is `db_worker --batch`."""

    def run_worker(self) -> None:
        """Run every task that is ready, in this process, then return (the worker's own code path)."""
        from django.core.management import call_command  # noqa: PLC0415

        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, worker_id="test-worker")


@pytest.fixture
def database_tasks(settings) -> DatabaseTasks:
    """The production task backend instead of the immediate one the suite runs tasks with.

    Use it in a transactional test (`django_db(transaction=True)`): tasks are queued when the
    transaction that asked for them commits, and the worker reads them from the database.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return DatabaseTasks()
