"""Stateless app nodes: health and readiness, the explicit migration step, sessions that
outlive the cache, a Redis outage degrading to misses, private files in private storage."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from gongkai.core import health


def test_healthz_answers_without_database_or_host_check(client):
    response = client.get("/healthz", HTTP_HOST="not-an-allowed-host.invalid")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_on_a_migrated_database(client, monkeypatch):
    monkeypatch.setattr(health, "_schema_ready", False)
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert health.pending_migrations() == []


@pytest.mark.django_db
def test_readyz_not_ready_while_a_migration_is_missing(client, monkeypatch):
    monkeypatch.setattr(health, "_schema_ready", False)
    from django.db.migrations.loader import MigrationLoader

    # The newest foi migration (a leaf: an applied leaf's parents are never re-planned).
    (leaf,) = [name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "foi"]
    MigrationRecorder(connection).migration_qs.filter(app="foi", name=leaf).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "1 migrations not applied" in response.content.decode()
    assert health.pending_migrations() == [f"foi.{leaf}"]


@pytest.mark.django_db
def test_session_survives_losing_the_cache(client, citizen):
    """cached_db: the session row is the truth; the cache (Redis) only speeds it up."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    key = client.session.session_key
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    cache = caches[settings.SESSION_CACHE_ALIAS]
    assert cache.get(KEY_PREFIX + key) is not None
    cache.delete(KEY_PREFIX + key)  # what a Redis restart does to every session
    response = client.get("/manage/")
    assert response.status_code != 302 or "/accounts/login" not in response["Location"]
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_unreachable_redis_reads_as_misses_and_counts_as_zero():
    from gongkai.core.cache import ResilientRedisCache

    dead = ResilientRedisCache(
        "redis://127.0.0.1:1/0",  # nothing listens on port 1
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    assert dead.get("k", "fallback") == "fallback"
    assert dead.add("k", 1) is False
    dead.set("k", 1)
    assert dead.incr("k") == 0
    assert dead.get_many(["a", "b"]) == {}
    assert dead.delete("k") is False


@pytest.mark.django_db
def test_rate_limit_fails_open_when_redis_is_down(rf):
    from gongkai.core.public_forms import rate_limited

    caches_conf = {
        "default": {
            "BACKEND": "gongkai.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=caches_conf, GONGKAI_RATE_LIMIT_ENABLED=True):
        request = rf.post("/", REMOTE_ADDR="203.0.113.9")
        assert rate_limited(request, "test", 1, 60) is False
        assert rate_limited(request, "test", 1, 60) is False


@pytest.mark.django_db
def test_id_proof_is_stored_in_private_storage(government, dept_a):
    from gongkai.core.storage import private_storage
    from gongkai.foi import actions
    from gongkai.foi.tests.conftest import asking, id_proof, person

    req, _ = actions.submit_online(
        government, dept_a, person(), asking(), idempotency_key="p-1", id_proof=id_proof()
    )
    field = req.requester.id_proof
    assert field.storage is private_storage()
    path = field.path
    assert path.startswith(str(settings.PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert field.read().startswith(b"\x89PNG")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
@pytest.mark.django_db(transaction=True)
def test_concurrent_migrate_runs_queue_on_the_advisory_lock():
    from gongkai.core import migrate as migrate_module

    holder = connections.create_connection("default")
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [migrate_module.MIGRATION_LOCK])
    done = threading.Event()

    def run():
        try:
            migrate_module.migrate(verbosity=0)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        waiting = 0
        for _ in range(600):
            with holder.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )
                waiting = cursor.fetchone()[0]
            if waiting:
                break
            done.wait(0.05)
        assert waiting == 1, "the second run must wait for the lock"
        assert not done.is_set()
    finally:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [migrate_module.MIGRATION_LOCK])
        holder.close()
    thread.join(120)
    assert done.is_set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
@pytest.mark.django_db(transaction=True)
def test_the_migration_lock_is_a_transaction_of_its_own_connection():
    """Behind PgBouncer's transaction pooling a session-level lock can be left behind or not
    exclude: while the migrations run, the lock is held by a transaction of another backend
    than the one migrating, and nothing of it is left afterwards."""
    from django.db.models.signals import pre_migrate

    from gongkai.core import migrate as migrate_module

    seen: list[tuple] = []

    def look(**kwargs):
        if seen:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT l.pid, l.granted, a.state, pg_backend_pid() FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                "AND (l.classid::bigint << 32) + l.objid::bigint = %s",
                [migrate_module.MIGRATION_LOCK],
            )
            seen.extend(cursor.fetchall())

    pre_migrate.connect(look, dispatch_uid="test-migration-lock")
    try:
        migrate_module.migrate(verbosity=0)
    finally:
        pre_migrate.disconnect(dispatch_uid="test-migration-lock")
    assert len(seen) == 1
    pid, granted, state, migrating = seen[0]
    assert granted and pid != migrating and state == "idle in transaction"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone()[0] == 0
