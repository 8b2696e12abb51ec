"""Anonymous public pages cached per government in the shared cache (Redis).

A cached page is served before sessions, authentication and the view run, with an ETag and a
Last-Modified, and `Cache-Control: public, no-cache` so browsers and a CDN keep it and ask again
(a 304 costs nothing). Only anonymous visitors without a session get cached pages, and only
pages that set no cookie and vary on no cookie are stored: nothing personal is ever shared.

Invalidation is per government and exact: the actions that change what a public page shows
(INVALIDATING, named by their audit action) bump the government's generation when their
transaction commits. The primary's WAL position after that write is stored beside the
generation; a cache fill reads from a replica only once it has replayed past it
(gongkai.core.replicas), so a lagging replica cannot put a withdrawn page back. An entry also
expires after PAGE_TTL, the bound for an invalidation lost while Redis was unreachable.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe

if TYPE_CHECKING:
    from gongkai.core.replicas import ReplicaRequest

logger = logging.getLogger("gongkai.pagecache")

PAGE_TTL = 300
CACHE_CONTROL = "public, no-cache"
SKIP_PREFIXES = ("/manage/", "/accounts/", "/django-admin/", "/captcha/", "/static/", "/s/")
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Vary",
)
CACHEABLE_TYPES = (
    "text/html",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/xml",
)

# Audit action names whose commit changes what public pages of the government show.
INVALIDATING = frozenset(
    {
        # catalogue: publish, withdraw, edit, validity, attribute, files, interpretations
        "catalog.record.publish",
        "catalog.record.import",
        "catalog.record.update",
        "catalog.record.withdraw",
        "catalog.record.validity",
        "catalog.record.attribute",
        "catalog.attachment.add",
        "catalog.interpretation.create",
        "catalog.interpretation.publish",
        "catalog.interpretation.withdraw",
        "catalog.catalogue.create",
        "catalog.catalogue.update",
        "catalog.catalogue.delete",
        "catalog.column.create",
        "catalog.column.update",
        "catalog.column.activate",
        "catalog.column.deactivate",
        "catalog.cleanup.decide",
        "catalog.cleanup.close",
        "foi.convert_to_proactive",
        # participation: what the portal lists and answers
        "participation.catalogue.publish",
        "participation.comment.moderate",
        "participation.comment.dispose",
        "participation.consultation.publish",
        "participation.consultation.update",
        "participation.consultation.extend",
        "participation.consultation.close_early",
        "participation.consultation.withdraw",
        "participation.consultation.publish_feedback",
        "participation.decision.add",
        "participation.decision.adjust",
        "participation.decision.step",
        "participation.decision.result",
        "participation.enquiry.publish",
        "participation.enquiry.unpublish",
        "participation.hearing.publish",
        "participation.hearing.materials",
        "participation.hearing.outcome",
        "participation.message.publish",
        "participation.message.unpublish",
        "participation.message.answer",
        "participation.open_day.publish",
        "participation.open_day.cancel",
        "participation.open_day.sign_up",
        "participation.proposal.publish",
        "participation.concern.release",
        # plans, reports, organisations
        "plans.publish",
        "plans.circular_publish",
        "reports.publish",
        # organisations: names, contact details, review bodies and aliases are on public pages
        # (list rows, directory, guides, search synonyms)
        "orgs.rename",
        "orgs.create_organisation",
        "orgs.update_organisation",
        "orgs.remove_alias",
        "orgs.set_review_body",
    }
)


def _gen_key(gov_id: int) -> str:
    return f"pagecache:gen:{gov_id}"


def _lsn_key(gov_id: int) -> str:
    return f"pagecache:lsn:{gov_id}"


def _page_key(gov_id: int, request: HttpRequest) -> str:
    raw = "|".join(
        (
            "GET" if request.method == "HEAD" else str(request.method),
            request.get_host().lower(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
        )
    )
    return f"pagecache:page:{gov_id}:{hashlib.sha1(raw.encode()).hexdigest()}"  # noqa: S324


# --- invalidation ---------------------------------------------------------------------------------


def invalidate_government(gov_id: int | None) -> None:
    """After the current transaction commits: the government's cached pages are stale."""
    if gov_id:
        transaction.on_commit(lambda: _bump(gov_id))


def _bump(gov_id: int) -> None:
    from gongkai.core.replicas import format_lsn, primary_position

    try:
        lsn = primary_position()
    except DatabaseError:
        lsn = None
    if lsn is not None:  # first the position, then the generation a reader sees with it
        cache.set(_lsn_key(gov_id), format_lsn(lsn), None)
    try:
        cache.incr(_gen_key(gov_id))
    except ValueError:
        cache.set(_gen_key(gov_id), int(time.time() * 1000), None)


# Registered at start-up by orgs (orgs/apps.py): core imports no app.
# (host, path) -> (government id or None, slug or None)
SiteResolver = Callable[[str, str], tuple[int | None, str | None]]
SITE_RESOLVER: SiteResolver | None = None
# organisation id -> its government's id
GOVERNMENT_OF: Callable[[int], int | None] | None = None


def register(*, site_resolver: SiteResolver, government_of: Callable[[int], int | None]) -> None:
    global SITE_RESOLVER, GOVERNMENT_OF
    SITE_RESOLVER, GOVERNMENT_OF = site_resolver, government_of


def action_committed(action: str, organisation_id: int | None) -> None:
    """Called by audit.record for every action: invalidate when it is one of INVALIDATING."""
    if action not in INVALIDATING or not organisation_id:
        return
    gov_id = GOVERNMENT_OF(organisation_id) if GOVERNMENT_OF else None
    invalidate_government(gov_id or organisation_id)


# --- serving --------------------------------------------------------------------------------------


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not getattr(settings, "GONGKAI_PAGE_CACHE", True):
        return False
    if request.path_info.startswith(SKIP_PREFIXES):
        return False
    from gongkai.core.replicas import PIN_COOKIE

    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and PIN_COOKIE not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _not_modified(request: HttpRequest, etag: str, modified: float) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(modified) <= since


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Cookie" in response.get("Vary", "") and settings.CSRF_COOKIE_NAME in request.COOKIES:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    return response.get("Content-Type", "").split(";")[0].strip() in CACHEABLE_TYPES


class _TrackedQuery(QueryDict):
    """request.GET that remembers which parameters the view read. A page is stored only when
    every parameter of its URL was read: a parameter the page ignores (`?n=<random>`) would
    otherwise make each URL a new entry, and anyone could push the real pages out of the
    cache by varying it."""

    def __init__(self, source: QueryDict) -> None:
        super().__init__(mutable=True)
        for name, values in source.lists():
            self.setlist(name, values)
        self._mutable = False
        self.read: set[str] = set()
        self.read_all = False

    def _whole(self) -> None:
        self.read_all = True

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        self.read.add(key)
        return super().getlist(key, default)

    # Whoever takes the whole query (to copy it into links, say) depends on all of it.
    def copy(self) -> Any:  # a plain QueryDict: the copy needs no tracking
        self._whole()
        return QueryDict(self.urlencode(), mutable=True)

    def urlencode(self, safe: str | None = None) -> str:
        self._whole()
        return super().urlencode(safe)

    def lists(self) -> Any:
        self._whole()
        return super().lists()

    def items(self) -> Any:
        self._whole()
        return super().items()

    def dict(self) -> dict[str, Any]:
        self._whole()
        return super().dict()

    def __iter__(self) -> Any:
        self._whole()
        return super().__iter__()

    def unread(self) -> set[str]:
        if self.read_all:
            return set()
        return set(super().keys()) - self.read


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: ReplicaRequest) -> HttpResponseBase:
        if not _cacheable_request(request) or SITE_RESOLVER is None:
            return self.get_response(request)
        from gongkai.core.replicas import choose_replica, reading_from, replica_aliases

        # The site map is public data (cached for a minute): a replica may answer its refill.
        with reading_from(choose_replica() if replica_aliases() else None):
            gov_id, _slug = SITE_RESOLVER(request.get_host(), request.path_info)
        if gov_id is None:
            return self.get_response(request)
        key = _page_key(gov_id, request)
        found = cache.get_many([_gen_key(gov_id), _lsn_key(gov_id), key])
        generation = found.get(_gen_key(gov_id), 0)
        entry = found.get(key)
        if entry is not None and entry["gen"] == generation:
            return self._cached(request, entry)
        # A fill reads data at least as new as the last invalidating write.
        from gongkai.core.replicas import parse_lsn

        request.gk_lsn_floor = parse_lsn(found.get(_lsn_key(gov_id)))
        tracked = _TrackedQuery(request.GET) if request.GET else None
        if tracked is not None:
            request.GET = tracked  # type: ignore[assignment]  # a QueryDict, read-only
        response = self.get_response(request)
        if tracked is not None and tracked.unread():
            return response  # served, not stored: see _TrackedQuery
        if isinstance(response, HttpResponse) and _storable(request, response):
            content = response.content
            etag = '"' + hashlib.sha1(content).hexdigest()[:20] + '"'  # noqa: S324
            now = time.time()
            entry = {
                "gen": generation,
                "content": content,
                "headers": {h: response[h] for h in STORED_HEADERS if h in response},
                "etag": etag,
                "modified": now,
            }
            cache.set(key, entry, PAGE_TTL)
            response["ETag"] = etag
            response["Last-Modified"] = http_date(now)
            response["Cache-Control"] = CACHE_CONTROL
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cached(request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
        from django.http import HttpResponseNotModified

        response: HttpResponseBase

        if _not_modified(request, entry["etag"], entry["modified"]):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["content"] if request.method == "GET" else b"")
            for name, value in entry["headers"].items():
                response[name] = value
            if request.method == "HEAD":
                response["Content-Length"] = str(len(entry["content"]))
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["modified"])
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Page-Cache"] = "hit"
        return response
