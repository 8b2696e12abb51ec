"""Per-address (and per-key) rate limits over the shared cache, and the client address.

The client address is REMOTE_ADDR, unless the deployment says a reverse proxy stands in front
(GONGKAI_TRUSTED_PROXY): then it is read from the proxy's header (GONGKAI_PROXY_HEADER,
X-Forwarded-For by default) — the address the trusted proxy appended, counted from the right,
so a client cannot choose its own address by sending the header itself.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote: str = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "GONGKAI_TRUSTED_PROXY", False):
        return remote
    header: str = getattr(settings, "GONGKAI_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
    hops: list[str] = [
        part.strip() for part in request.META.get(header, "").split(",") if part.strip()
    ]
    depth = max(1, getattr(settings, "GONGKAI_PROXY_COUNT", 1))
    if len(hops) >= depth:
        return hops[-depth]
    return hops[0] if hops else remote


def _window_key(key: str, window_seconds: int) -> str:
    return f"ratelimit:{key}:{int(time.time() // window_seconds)}"


def rate_limited_key(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True when it is beyond `limit` in the current window."""
    if not settings.GONGKAI_RATE_LIMIT_ENABLED:
        return False
    full = _window_key(key, window_seconds)
    cache.add(full, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=window_seconds + 5)
        count = 1
    return count > limit


def limit_reached(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """True when this address has already used up `limit` attempts of `scope` in the current
    window — without counting one (for checks that count only failures)."""
    if not settings.GONGKAI_RATE_LIMIT_ENABLED:
        return False
    key = _window_key(f"{scope}:{client_ip(request)}", window_seconds)
    return (cache.get(key) or 0) >= limit


def rate_limited(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """True when this address has already made `limit` attempts at `scope` in the current
    window. Counting happens here, so call it once per attempt."""
    return rate_limited_key(f"{scope}:{client_ip(request)}", limit, window_seconds)
