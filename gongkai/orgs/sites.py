"""Which tenant government's portal a request is for: by host name, by /s/<slug>/ path prefix,
or the default site."""

from __future__ import annotations

import copy
import uuid
from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest

from gongkai.orgs.models import Organisation

SITE_PREFIX = "/s/"
_CACHE_KEY = "orgs:site-map:v2"


class _SiteMap(TypedDict):
    hosts: dict[str, int]  # host name → government id
    slugs: dict[str, int]  # /s/<slug>/ → government id
    default: int | None
    token: str  # new each time the map is built: after any organisation change


def _site_map() -> _SiteMap:
    data: _SiteMap | None = cache.get(_CACHE_KEY)
    if data is None:
        hosts: dict[str, int] = {}
        slugs: dict[str, int] = {}
        first: int | None = None
        for gov in Organisation.objects.governments().active().order_by("order", "id"):
            first = first or gov.pk
            if gov.slug:
                slugs[gov.slug] = gov.pk
            for host in gov.site_hosts.split(","):
                if host.strip():
                    hosts[host.strip().lower()] = gov.pk
        default = slugs.get(settings.GONGKAI_DEFAULT_SITE) or first
        data = {"hosts": hosts, "slugs": slugs, "default": default, "token": uuid.uuid4().hex}
        cache.set(_CACHE_KEY, data, 60)
    return data


def clear_site_cache() -> None:
    cache.delete(_CACHE_KEY)


def default_government() -> Organisation | None:
    pk = _site_map()["default"]
    return Organisation.objects.filter(pk=pk).first() if pk else None


def government_by_slug(slug: str) -> Organisation | None:
    pk = _site_map()["slugs"].get(slug)
    return Organisation.objects.filter(pk=pk).first() if pk else None


def government_named(text: str | None) -> Organisation | None:
    """The government a command or an API call names: by site slug, else by full name; the
    default site when nothing is named."""
    if not text:
        return default_government()
    found = government_by_slug(text)
    if found is None:
        found = Organisation.objects.governments().active().filter(name=text).first()
    return found


def government_or_404(text: str | None) -> Organisation:
    """government_named, or the 404 「未找到该政府站点」 (API parameters)."""
    found = government_named(text)
    if found is None:
        raise Http404("未找到该政府站点")
    return found


def site_government(request: HttpRequest) -> Organisation:
    """The government whose portal this request is for (set by SiteMiddleware)."""
    government: Organisation | None = getattr(request, "government", None)
    if not government:
        raise Http404("尚未配置政府站点")
    return government


def resolve_site(host: str, path: str) -> tuple[int | None, str | None]:
    """Return (government pk, slug-prefix-or-None) for a host and a path."""
    pk, slug, _token = resolve_site_token(host, path)
    return pk, slug


# Per process: government id → (site-map token, the government as read then).
_governments: dict[int, tuple[str, Organisation | None]] = {}


def site_government_row(pk: int, token: str) -> Organisation | None:
    """The government `pk` (a copy per call), read again from the database only when the site
    map was rebuilt since (every organisation change clears it, and it lives a minute)."""
    found = _governments.get(pk)
    if found is None or found[0] != token:
        found = (token, Organisation.objects.filter(pk=pk).first())
        _governments[pk] = found
    return copy.copy(found[1])


def resolve_site_token(host: str, path: str) -> tuple[int | None, str | None, str]:
    """resolve_site, and the site map's token (for site_government_row)."""
    data = _site_map()
    token = data["token"]
    if path.startswith(SITE_PREFIX):
        slug = path[len(SITE_PREFIX) :].split("/", 1)[0]
        if slug in data["slugs"]:
            return data["slugs"][slug], slug, token
    host = host.split(":", 1)[0].lower()
    if host in data["hosts"]:
        return data["hosts"][host], None, token
    return data["default"], None, token
