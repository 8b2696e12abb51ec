"""GET /metrics: Prometheus text for the monitoring network only, with the task queue's state
(the replicas' gauges: portal/tests/test_replicas.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from prometheus_client.parser import text_string_to_metric_families

from gongkai.core import health
from gongkai.core.tasks import run_periodic_job
from gongkai.testing import run_queued_tasks


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.django_db
def test_metrics_show_readiness_and_the_task_queue(client, monkeypatch):
    monkeypatch.setattr(health, "_schema_ready", False)
    run_periodic_job.enqueue("core.expired_sessions")
    run_periodic_job.enqueue("core.expired_sessions")
    found = scrape(client, HTTP_HOST="not-an-allowed-host.invalid")
    assert found[("gongkai_ready", ())] == 1
    assert found[("gongkai_tasks", (("status", "READY"),))] == 2
    assert found[("gongkai_task_oldest_ready_seconds", ())] >= 0
    assert run_queued_tasks() == 2
    found = scrape(client)
    assert found[("gongkai_tasks", (("status", "SUCCESSFUL"),))] == 2
    assert ("gongkai_tasks", (("status", "READY"),)) not in found
    assert found[("gongkai_task_oldest_ready_seconds", ())] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.7"},  # the public
        {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},  # through the load balancer
        {"REMOTE_ADDR": "not an address"},
    ],
)
def test_metrics_answer_only_the_monitoring_network(client, settings, extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 404 and b"gongkai_" not in response.content
    settings.GONGKAI_METRICS_ALLOW = ["203.0.113.0/24"]
    allowed = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert allowed.status_code == 200 and b"gongkai_ready" in allowed.content
    assert client.get("/metrics").status_code == 404  # loopback no longer listed


def test_a_bad_metrics_network_fails_the_system_check(settings, capsys):
    from django.core.management.base import SystemCheckError

    settings.GONGKAI_METRICS_ALLOW = ["10.0.3.0/24", "10.0.3.x"]
    with pytest.raises(SystemCheckError, match=r"「10\.0\.3\.x」"):
        call_command("check")
