"""Read routing: anonymous public reads go to a replica; writes, staff pages and a visitor
who has just written go to the primary. The replica here is a second connection alias to the
test database (the cluster test runs a real streaming replica)."""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalog.tests.conftest import publish_record  # noqa: F401  (fixture)
from gongkai.core import replicas
from gongkai.foi.tests.test_public import _data, _form

ALIAS = "mirror_test"
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", ALIAS])


def _add_alias(name: str, **changes) -> None:
    settings_dict = dict(connections.settings["default"])
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": "default"}
    settings_dict.update(changes)
    connections.settings[name] = settings_dict


# Collected before the test databases are set up, so the alias becomes a test mirror of default.
# Its name does not start with "replica": other tests never route to it.
_add_alias(ALIAS)


@pytest.fixture
def replica():
    with override_settings(GONGKAI_READ_REPLICAS=[ALIAS]):
        yield connections[ALIAS]
    replicas.status.replayed.clear()


@pytest.fixture
def record(publish_record):  # noqa: F811
    return publish_record(title="关于公布2026年重点工作的通知")


def _split(client, url, **kw):
    """(response, data queries on the replica, queries on the primary); the replica's status
    probe (its replayed WAL position) is not a data read."""
    with (
        CaptureQueriesContext(connections[ALIAS]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(url, **kw)
    data = [q for q in on_replica.captured_queries if "pg_is_in_recovery" not in q["sql"]]
    return response, len(data), len(on_primary)


def test_anonymous_portal_reads_use_the_replica(client, replica, record):
    for url in [
        reverse("portal:record", args=[record.pk]),
        reverse("portal:records"),
        reverse("portal:search") + "?q=重点工作",
        reverse("portal:records_rss"),
        reverse("portal:sitemap"),
        "/api/catalog/records/",
    ]:
        response, on_replica, on_primary = _split(client, url)
        assert response.status_code == 200, url
        assert on_replica > 0, url
        assert on_primary == 0, (url, on_primary)
    body = client.get(reverse("portal:record", args=[record.pk])).content.decode()
    assert "关于公布2026年重点工作的通知" in body


def test_staff_pages_and_logged_in_users_never_read_the_replica(
    client, replica, record, approver_a
):
    client.force_login(approver_a, backend="django.contrib.auth.backends.ModelBackend")
    for url in ["/manage/", reverse("portal:record", args=[record.pk])]:
        response, on_replica, on_primary = _split(client, url)
        assert response.status_code == 200, url
        assert on_replica == 0, url
        assert on_primary > 0, url


def test_a_submission_writes_and_reads_on_the_primary_only(client, replica, government, dept_a):
    html, key = _form(client)
    data = _data(dept_a, key, html)
    with CaptureQueriesContext(connections[ALIAS]) as on_replica:
        response = client.post(reverse("portal:foi_apply"), data)
    assert response.status_code == 302
    assert len(on_replica) == 0
    if connection.vendor == "postgresql":  # the primary's WAL position of the write, ≤ 10 s
        lsn, _, until = response.cookies[replicas.PIN_COOKIE].value.partition("|")
        assert replicas.parse_lsn(lsn) is not None
        assert 0 < float(until) - time.time() <= replicas.PIN_SECONDS
        assert response.cookies[replicas.PIN_COOKIE]["max-age"] == replicas.PIN_SECONDS
    assert data["captcha_1"]  # the form really carried a captcha


@pytest.mark.skipif(connection.vendor != "postgresql", reason="WAL positions are PostgreSQL's")
def test_a_pinned_visitor_reads_the_primary_until_the_replica_has_replayed(client, replica, record):
    url = reverse("portal:record", args=[record.pk])
    ahead = replicas.format_lsn(replicas.primary_position() + 10**12)  # not replayed anywhere
    client.cookies[replicas.PIN_COOKIE] = f"{ahead}|{time.time() + 10:.0f}"
    response, on_replica, on_primary = _split(client, url)
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0
    current = replicas.format_lsn(replicas.primary_position())
    client.cookies[replicas.PIN_COOKIE] = f"{current}|{time.time() + 10:.0f}"
    replicas.status.replayed.clear()
    response, on_replica, on_primary = _split(client, url)
    assert response.status_code == 200 and on_replica > 0 and on_primary == 0
    client.cookies[replicas.PIN_COOKIE] = f"{ahead}|{time.time() - 1:.0f}"  # expired pin
    response, on_replica, on_primary = _split(client, url)
    assert on_replica > 0 and on_primary == 0


def test_no_reachable_replica_reads_the_primary(client, replica, record):
    dead = connections[ALIAS]
    saved = dead.settings_dict  # a test mirror shares the primary's dict: replace, not edit
    if connection.vendor == "postgresql":
        dead.settings_dict = {**saved, "PORT": 1}  # nothing listens there
    else:
        dead.settings_dict = {**saved, "NAME": "/nonexistent-dir/replica.sqlite3"}
    dead.close()  # (an in-memory SQLite connection only closes once its name is a file's)
    try:
        with CaptureQueriesContext(connection) as on_primary:
            response = client.get(reverse("portal:record", args=[record.pk]))
        assert response.status_code == 200
        assert "关于公布2026年重点工作的通知" in response.content.decode()
        assert len(on_primary) > 0
        assert replicas.status.down_until[ALIAS] > time.monotonic()
    finally:
        dead.close()
        dead.settings_dict = saved
        replicas.status.down_until.pop(ALIAS, None)


def test_the_router_sends_every_write_to_the_primary(replica, record):
    from gongkai.catalog.models import Record

    with replicas.reading_from(ALIAS):
        assert Record.objects.db_manager().db == ALIAS  # reads: the replica
        assert replicas.ReplicaRouter().db_for_write(Record) == "default"
        from django.contrib.sessions.models import Session

        assert replicas.ReplicaRouter().db_for_read(Session) == "default"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="WAL positions are PostgreSQL's")
def test_a_cache_fill_after_a_withdrawal_never_reads_a_lagging_replica(
    client, replica, record, approver_a, page_cache
):
    from gongkai.catalog import actions

    page = reverse("portal:record", args=[record.pk])
    assert client.get(page)["X-Page-Cache"] == "miss"
    assert client.get(page)["X-Page-Cache"] == "hit"
    before = replicas.primary_position()
    actions.withdraw(approver_a, record, "内容有误，撤回")  # commits: the cache is invalidated
    # The replica has replayed only up to before the withdrawal (trusted for the next hour).
    replicas.status.replayed[ALIAS] = (time.monotonic() + 3600, before)
    response, on_replica, on_primary = _split(client, page)
    assert response.status_code == 404
    assert on_replica == 0 and on_primary > 0  # the fill read the primary
    replicas.status.replayed.clear()  # caught up: fills read the replica again
    response, on_replica, _ = _split(client, page)
    assert response.status_code == 404 and on_replica > 0


def test_metrics_show_each_replica_up_or_down(client, replica):
    """/metrics: gongkai_replica_up and, on PostgreSQL, the WAL not yet replayed."""
    from prometheus_client.parser import text_string_to_metric_families

    def scrape() -> dict[str, float]:
        text = client.get("/metrics").content.decode()
        return {
            s.name: s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.labels.get("replica") == ALIAS
        }

    found = scrape()
    assert found["gongkai_replica_up"] == 1
    if connection.vendor == "postgresql":
        assert found["gongkai_replica_lag_bytes"] >= 0
    replicas.status.mark_down(ALIAS)
    try:
        found = scrape()
        assert found["gongkai_replica_up"] == 0 and "gongkai_replica_lag_bytes" not in found
    finally:
        replicas.status.down_until.pop(ALIAS, None)
