"""Read replicas: which database a query reads from.

Writes, staff pages, logged-in users and every model of the session/auth/task machinery use the
primary (`default`). An anonymous GET or HEAD of a public page (portal, search, feeds, sitemap,
the public API) reads from a streaming replica (`replica1`, `replica2`, … from
DATABASE_REPLICA_URLS) — unless the reader must see a write the replica may not have replayed
yet:

- a visitor who has just submitted something carries the primary's WAL position of that write
  in a cookie (PIN_COOKIE, at most PIN_SECONDS old); until a replica has replayed past it, the
  visitor reads from the primary;
- a page-cache fill after an invalidation (gongkai.core.pagecache) asks for at least the
  invalidating write's position, so a lagging replica cannot put a withdrawn page back.

A replica that does not answer is left out for DOWN_SECONDS; a read that fails on a replica is
answered again from the primary. With no replica configured everything reads the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest
from django.http.response import HttpResponseBase

logger = logging.getLogger("gongkai.replicas")

PIN_COOKIE = "gk_lsn"
PIN_SECONDS = 10
DOWN_SECONDS = 5.0
STATUS_SECONDS = 0.5  # how long a replica's replayed position is trusted (a lower bound)

# Apps whose rows are read right after they are written by the same visitor, or that guard
# access: always the primary.
PRIMARY_APPS = frozenset(
    {"sessions", "auth", "accounts", "axes", "captcha", "django_tasks_db", "admin"}
)
STAFF_PREFIXES = ("/manage/", "/accounts/", "/django-admin/", "/captcha/")

_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "gongkai_read_alias", default=None
)


def replica_aliases() -> list[str]:
    configured = getattr(settings, "GONGKAI_READ_REPLICAS", None)
    if configured is not None:
        return list(configured)
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def parse_lsn(text: str | None) -> int | None:
    """'16/B374D848' → an integer that orders like the position."""
    if not text or "/" not in text:
        return None
    high, low = text.split("/", 1)
    try:
        return (int(high, 16) << 32) + int(low, 16)
    except ValueError:
        return None


def format_lsn(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


class _Status:
    """Per process: each replica's last known replayed position, or when it was found down."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.replayed: dict[str, tuple[float, int]] = {}
        self.down_until: dict[str, float] = {}

    def mark_down(self, alias: str) -> None:
        with self.lock:
            self.down_until[alias] = time.monotonic() + DOWN_SECONDS
            self.replayed.pop(alias, None)
        logger.warning("replica unavailable alias=%s", alias)
        with contextlib.suppress(DatabaseError):
            connections[alias].close()

    def position(self, alias: str) -> int | None:
        """The replica's replayed WAL position (possibly a moment old), None when down."""
        now = time.monotonic()
        with self.lock:
            if self.down_until.get(alias, 0) > now:
                return None
            cached = self.replayed.get(alias)
            if cached and now - cached[0] < STATUS_SECONDS:
                return cached[1]
        conn = connections[alias]
        lsn: int | None
        try:
            if conn.vendor != "postgresql":
                with conn.cursor() as cursor:  # a test mirror of an SQLite primary: current
                    cursor.execute("SELECT 1")
                lsn = 1 << 62
            else:
                with conn.cursor() as cursor:
                    # A server not in recovery (a promoted replica, a test mirror) is current.
                    cursor.execute(
                        "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                        " ELSE pg_current_wal_lsn() END)::text"
                    )
                    row = cursor.fetchone()
                lsn = parse_lsn(row[0] if row else None)
                if lsn is None:
                    raise DatabaseError("replica reports no replayed position")
        except DatabaseError:
            self.mark_down(alias)
            return None
        with self.lock:
            self.replayed[alias] = (now, lsn)
        return lsn


status = _Status()


def primary_position() -> int | None:
    """The primary's current WAL position (PostgreSQL), None elsewhere."""
    conn = connections["default"]
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return parse_lsn(cursor.fetchone()[0])


def choose_replica(min_lsn: int | None = None) -> str | None:
    """A replica that answers and has replayed min_lsn, else None (read the primary)."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = random.randrange(len(aliases))  # noqa: S311 (load spreading, not security)
    for alias in aliases[start:] + aliases[:start]:
        lsn = status.position(alias)
        if lsn is not None and (min_lsn is None or lsn >= min_lsn):
            return alias
    return None


class reading_from:
    """Context manager: reads of public models go to `alias` (None: the primary)."""

    def __init__(self, alias: str | None) -> None:
        self.alias = alias

    def __enter__(self) -> str | None:
        self.token = _read_alias.set(self.alias)
        return self.alias

    def __exit__(self, *exc: object) -> None:
        _read_alias.reset(self.token)


def current_read_alias() -> str | None:
    return _read_alias.get()


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        alias = _read_alias.get()
        if alias is None or model._meta.app_label in PRIMARY_APPS:
            return "default"
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == "default"


def _pinned_lsn(request: HttpRequest) -> int | None:
    raw = request.COOKIES.get(PIN_COOKIE, "")
    lsn_text, _, until = raw.partition("|")
    try:
        if float(until) < time.time():
            return None
    except ValueError:
        return None
    return parse_lsn(lsn_text)


def public_read(request: HttpRequest) -> bool:
    """An anonymous read of a public page: may be answered from a replica."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(STAFF_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_auth_user_id"))


class ReplicaRequest(HttpRequest):
    """A request as the replica and page-cache middleware leave it (declared for the type
    checker; the attributes are set on the request Django passes in)."""

    gk_min_lsn: int | None
    gk_read_alias: str | None
    gk_lsn_floor: int | None
    gk_replica_failed: str | None


class ReplicaMiddleware:
    """Routes a public read to a replica, pins a writer to the primary for PIN_SECONDS, and
    answers a read again from the primary when its replica fails mid-request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: ReplicaRequest) -> HttpResponseBase:
        if not replica_aliases():
            return self.get_response(request)
        alias = None
        if public_read(request):
            min_lsn = _pinned_lsn(request)
            floor = getattr(request, "gk_lsn_floor", None)  # a page-cache fill's (pagecache)
            if floor is not None:
                min_lsn = max(min_lsn or 0, floor)
            request.gk_min_lsn = min_lsn
            alias = choose_replica(min_lsn)
        request.gk_read_alias = alias
        with reading_from(alias):
            response = self.get_response(request)
        failed = getattr(request, "gk_replica_failed", None)
        if failed:
            status.mark_down(failed)
            request.gk_read_alias = None
            with reading_from(None):
                response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
            self._pin(response)
        return response

    def process_exception(self, request: ReplicaRequest, exception: Exception) -> None:
        alias = _read_alias.get()
        if alias is not None and isinstance(exception, DatabaseError):
            request.gk_replica_failed = alias
        return None

    @staticmethod
    def _pin(response: HttpResponseBase) -> None:
        try:
            lsn = primary_position()
        except DatabaseError:
            return
        if lsn is None:
            return
        until = int(time.time()) + PIN_SECONDS
        response.set_cookie(
            PIN_COOKIE,
            f"{format_lsn(lsn)}|{until}",
            max_age=PIN_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def read_connection() -> BaseDatabaseWrapper:
    """The connection raw-SQL reads of public data use (the search index): the replica chosen
    for this request, else the primary."""
    return connections[_read_alias.get() or "default"]
