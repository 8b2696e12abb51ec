from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import get_script_prefix, set_script_prefix
from django.utils.functional import SimpleLazyObject

from gongkai.orgs.models import Organisation
from gongkai.orgs.sites import SITE_PREFIX, resolve_site_token, site_government_row


class SiteRequest(HttpRequest):
    """A request as SiteMiddleware leaves it (declared for the type checker)."""

    government: Organisation | None
    government_id: int | None
    site_token: str


class SiteMiddleware:
    """Sets request.government: the tenant whose site this request is for.

    A path /s/<slug>/… serves that government's site: the prefix is removed before URL
    resolution and added back to every reversed URL, so one set of views serves all sites.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponseBase:
        gov_pk, slug, token = resolve_site_token(request.get_host(), request.path_info)
        old_prefix = get_script_prefix()
        if slug is not None:
            prefix = SITE_PREFIX + slug
            request.path_info = request.path_info[len(prefix) :] or "/"
            set_script_prefix(old_prefix.rstrip("/") + prefix + "/")
        # A lazy proxy of the government (or of None), read once per process and site map.
        request.government = cast(
            "Organisation | None",
            SimpleLazyObject(lambda: site_government_row(gov_pk, token) if gov_pk else None),
        )
        request.government_id = gov_pk
        request.site_token = token  # changes whenever an organisation changes (orgs.sites)
        try:
            return self.get_response(request)
        finally:
            if slug is not None:
                set_script_prefix(old_prefix)
