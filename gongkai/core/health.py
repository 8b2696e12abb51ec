"""Health endpoints for the load balancer and the orchestrator, answered before any other
middleware (no host check, no HTTPS redirect, no session, no site lookup):

- GET /healthz — the process is alive: always 200 while it can answer.
- GET /readyz — this node may take traffic: 200 when the primary database answers and every
  migration this code knows is applied, else 503 with the reason. A node started before
  `gongkai migrate` has run stays out of the pool until it has.
- GET /metrics — Prometheus metrics of the platform, to the monitoring network only
  (gongkai.core.metrics).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger("gongkai.health")

_schema_ready = False
_lock = threading.Lock()


def pending_migrations(alias: str = "default") -> list[str]:
    """Migrations of this code not yet applied to the database `alias`."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]


def readiness() -> tuple[bool, str]:
    global _schema_ready
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return False, f"database unavailable: {exc.__class__.__name__}"
    if not _schema_ready:
        with _lock:
            try:
                pending = pending_migrations()
            except DatabaseError as exc:
                return False, f"cannot read migrations: {exc.__class__.__name__}"
            if pending:
                return False, f"{len(pending)} migrations not applied (run gongkai migrate)"
            # A schema only moves forward while this code runs: check once.
            _schema_ready = True
    return True, "ready"


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if path == "/healthz":
            return _plain(200, "ok")
        if path == "/readyz":
            ready, reason = readiness()
            if not ready:
                logger.info("not ready: %s", reason)
            return _plain(200 if ready else 503, reason)
        if path == "/metrics":
            from gongkai.core import metrics

            if not metrics.allowed(request):
                return _plain(404, "not found")
            return metrics.response()
        return self.get_response(request)


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
