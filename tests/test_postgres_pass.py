"""Proof that the PostgreSQL pass of `make test` really runs on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import on_postgres


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_pass_runs_on_postgresql() -> None:
    from django.db import connection  # noqa: PLC0415

    assert on_postgres()
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL ")
    # Django made its own test database on the server that DATABASE_URL names.
    assert connection.settings_dict["NAME"].startswith("test_")
