"""The ledger page's query count does not grow with the plan (pinned; see bench/ledger.py)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import big_plan

# The ledger page of a plan with 500 tasks and 50 organisations, as the office and as a unit.
LEDGER_MAX_QUERIES = 8


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


def test_ledger_of_500_tasks_and_50_organisations_uses_bounded_queries(
    government, office, client, django_assert_max_num_queries
):
    small = big_plan(government, tasks=20, orgs=5, per_task=2)
    plan = big_plan(government, tasks=500, orgs=50, per_task=10)
    assert plan.tasks.count() == 500
    client.force_login(office)
    with django_assert_max_num_queries(LEDGER_MAX_QUERIES):
        resp = client.get(f"/manage/plans/{plan.pk}/")
    html = resp.content.decode()
    assert "共 5000 项任务分工（500 项任务）" in html
    # The same number of queries for a plan 250 times smaller, and with filters and paging.
    assert _queries(client, f"/manage/plans/{plan.pk}/") == _queries(
        client, f"/manage/plans/{small.pk}/"
    )
    with django_assert_max_num_queries(LEDGER_MAX_QUERIES):
        client.get(f"/manage/plans/{plan.pk}/?status=behind&page=3")
    with django_assert_max_num_queries(LEDGER_MAX_QUERIES):
        client.get(f"/manage/plans/{plan.pk}/dashboard/")
