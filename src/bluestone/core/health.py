"""Liveness and readiness for a load balancer or service manager (docs/deployment.md).

`/healthz` answers while the process serves requests, touching nothing else. `/readyz` answers 200
only when the database answers and every migration this code knows is applied, else 503 with which
check failed; neither says more (no versions, no names of tables).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_ready() -> tuple[bool, bool]:
    """(the database answers, every migration is applied)."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False, False
    return True, not plan


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    database, migrations = _database_ready()
    checks = {"database": "ok" if database else "failing", "migrations": "ok" if migrations else "pending"}
    ready = database and migrations
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
