"""GET /metrics: the node's view of the platform for Prometheus, computed when scraped.

Answered by the health middleware (before the host check, like /readyz), and only to the
monitoring network: a request whose REMOTE_ADDR is in ``GONGKAI_METRICS_ALLOW`` (addresses or
networks; loopback by default) and that did not come through the load balancer (no
X-Forwarded-For). Everyone else gets 404. Nothing here names a person or a record: counts,
ages and positions only.

- ``gongkai_ready``: 1 when /readyz would answer 200 (database reachable, schema migrated).
- ``gongkai_tasks{status}``: background tasks by status (READY, RUNNING, FAILED, SUCCESSFUL…),
  one GROUP BY on the task table; alert on FAILED growing.
- ``gongkai_task_oldest_ready_seconds``: how long the oldest task due to run has waited (0
  when none): workers missing or too few.
- ``gongkai_replica_up{replica}`` / ``gongkai_replica_lag_bytes{replica}``: each read replica
  reachable, and the WAL the primary has written that it has not replayed (PostgreSQL).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


def networks() -> tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], list[str]]:
    """The networks of GONGKAI_METRICS_ALLOW, and the entries that are not one (a system
    check reports them; they allow nothing)."""
    good, bad = [], []
    for entry in settings.GONGKAI_METRICS_ALLOW:
        try:
            good.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            bad.append(entry)
    return good, bad


def allowed(request: HttpRequest) -> bool:
    """Whether this request comes from the monitoring network, not through the balancer."""
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in net for net in networks()[0])


class _Platform(Collector):
    def collect(self) -> Iterator[Metric]:
        from gongkai.core import health, replicas

        ready, _reason = health.readiness()
        yield GaugeMetricFamily(
            "gongkai_ready", "1 when the node may take traffic", value=int(ready)
        )
        yield from self._tasks()
        up = GaugeMetricFamily("gongkai_replica_up", "read replica reachable", labels=["replica"])
        lag = GaugeMetricFamily(
            "gongkai_replica_lag_bytes", "WAL written, not yet replayed", labels=["replica"]
        )
        primary = replicas.primary_position()
        for alias in replicas.replica_aliases():
            position = replicas.status.position(alias)
            up.add_metric([alias], int(position is not None))
            if position is not None and primary is not None:
                lag.add_metric([alias], max(0, primary - position))
        yield up
        yield lag

    @staticmethod
    def _tasks() -> Iterator[Metric]:
        from django_tasks_db.models import DBTaskResult

        by_status = GaugeMetricFamily("gongkai_tasks", "background tasks", labels=["status"])
        oldest = GaugeMetricFamily(
            "gongkai_task_oldest_ready_seconds", "wait of the oldest task due to run"
        )
        now = timezone.now()
        try:
            rows = DBTaskResult.objects.using("default").values("status").annotate(n=Count("id"))
            counts = {row["status"]: row["n"] for row in rows}
            due = (
                DBTaskResult.objects.using("default")
                .ready()
                .aggregate(first=Min("enqueued_at"))["first"]
            )
        except DatabaseError:
            return
        for status in sorted(counts):
            by_status.add_metric([status], counts[status])
        oldest.add_metric([], (now - due).total_seconds() if due else 0.0)
        yield by_status
        yield oldest


_registry = CollectorRegistry(auto_describe=False)
_registry.register(_Platform())


def response() -> HttpResponse:
    out = HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
    out["Cache-Control"] = "no-store"
    return out
