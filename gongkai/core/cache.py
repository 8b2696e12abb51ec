"""Redis as a cache that an outage degrades instead of breaking.

Every app node shares one Redis for the page cache, rate limits and the session cache. When
Redis restarts (or is unreachable) a read is a miss, a write is dropped and a counter reads 0,
with a warning in the log: sessions come from the database (cached_db), pages are rendered,
rate limits fail open for the seconds Redis is away. Short socket timeouts (OPTIONS in
settings) keep a dead Redis from holding requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("gongkai.cache")

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY = 10.0  # seconds between two warnings of one outage


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning > _LOG_EVERY:
            ResilientRedisCache._last_warning = now
            logger.warning("redis unavailable op=%s error=%s", operation, exc)

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except OUTAGE as exc:
            self._failed("get", exc)
            return default

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except OUTAGE as exc:
            self._failed("get_many", exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except OUTAGE as exc:
            self._failed("has_key", exc)
            return False

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except OUTAGE as exc:
            self._failed("add", exc)
            return False

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except OUTAGE as exc:
            self._failed("set", exc)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except OUTAGE as exc:
            self._failed("set_many", exc)
            return list(data)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().touch(key, timeout, version)
        except OUTAGE as exc:
            self._failed("touch", exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except OUTAGE as exc:
            self._failed("delete", exc)
            return False

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except OUTAGE as exc:
            self._failed("delete_many", exc)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except OUTAGE as exc:
            self._failed("incr", exc)
            return 0
