"""Shared by the whole suite: which database this pass runs on, and what that means for `postgres` tests.

`make test` runs the suite twice: on SQLite (plain `pytest`) and on a throwaway PostgreSQL server
(`python -m tests.pgcluster -- pytest -m "not browser"`). Tests marked `postgres` are deselected in the
SQLite pass, visibly ("N deselected"), and all run in the PostgreSQL pass. A `postgres` test that
somehow runs on another database fails: it never skips, so CI cannot pass without exercising it.
"""

from __future__ import annotations

import importlib
import os

import pytest

POSTGRES_MARK = "postgres"


def on_postgres() -> bool:
    """Whether the default database of this run is PostgreSQL (no connection is opened to find out)."""
    from django.db import connection  # noqa: PLC0415  (settings are configured by pytest-django first)

    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_database() -> bool:
    """True on the PostgreSQL pass; for tests that check vendor-specific behaviour on either pass."""
    return on_postgres()


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings  # noqa: PLC0415

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    where = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "default"
    verdict = "run" if on_postgres() else "are deselected"
    return f"database: {engine} ({where}); tests marked '{POSTGRES_MARK}' {verdict}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_postgres():
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


# (data migration module, a model it fills): the reference data outside core.
REFERENCE_MIGRATIONS = [
    ("bluestone.investigation.migrations.0002_default_plan_template", "investigation.PlanTemplate"),
    ("bluestone.victims.migrations.0002_rights", "victims.Right"),
    ("bluestone.evidence.migrations.0002_reference_data", "evidence.SampleType"),
    ("bluestone.suspects.migrations.0002_tactic_types", "suspects.TacticType"),
]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Put the reference data back for transactional tests.

    Migrations load it once, but a transactional test (live server, `transaction=True`) ends with a
    flush of every table, so the next such test would find no offence classes or outcome types.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional:
        return
    from bluestone.core.models import OffenceClass, OutcomeType  # noqa: PLC0415
    from bluestone.core.reference import reference_data_upsert  # noqa: PLC0415

    request.getfixturevalue("transactional_db")
    if not OutcomeType.objects.exists():
        reference_data_upsert(offence_class=OffenceClass, outcome_type=OutcomeType)
    # The other apps' reference data, loaded by their data migrations' `load(apps, schema_editor)`:
    # run again with the live app registry, each only if its table was emptied.
    from django.apps import apps as registry  # noqa: PLC0415

    for migration, model in REFERENCE_MIGRATIONS:
        if not registry.get_model(model).objects.exists():
            importlib.import_module(migration).load(registry, None)
