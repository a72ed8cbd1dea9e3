"""Liveness and readiness: /readyz answers 503 while a migration is not applied, 200 once all are."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_signing_in(client: Client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_answers_when_the_database_is_migrated(client: Client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok"}


def test_readiness_fails_while_a_migration_is_not_applied(client: Client):
    recorder = MigrationRecorder(connection)
    newest = recorder.migration_qs.filter(app="victims").order_by("-id").first()
    assert newest is not None
    newest.delete()  # as if the code were deployed before `bluestone migrate` ran

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "migrations": "pending"}}
    call_command("migrate", "victims", newest.name, fake=True, verbosity=0)


def test_health_endpoints_refuse_a_post(client: Client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
