"""Probes for load balancers and orchestrators: unauthenticated, cheap, JSON."""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrated = False  # once every migration is applied it stays so for this process (new code means a restart)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database answers and every migration of this code is applied: 200, else 503 with the reason."""
    global _migrated
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if pending:
                return JsonResponse({"status": "migrations_pending", "pending": len(pending)}, status=503)
            _migrated = True
    except DatabaseError as exc:  # the probe answers "not ready"; it does not fail
        return JsonResponse({"status": "database_unavailable", "error": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok"})
