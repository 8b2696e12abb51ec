"""sitemap.xml: the public pages and every public record and interpretation of the site."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.catalog.visibility import public_interpretations, public_records


class _SiteSitemap(Sitemap):
    limit = 5000

    def __init__(self, government):
        self.government = government


class RecordSitemap(_SiteSitemap):
    changefreq = "monthly"

    def items(self):
        if self.government is None:
            return []
        return public_records(self.government).only("id", "updated_at").order_by("-id")

    def location(self, item):
        return reverse("portal:record", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class InterpretationSitemap(_SiteSitemap):
    changefreq = "monthly"

    def items(self):
        if self.government is None:
            return []
        return public_interpretations(self.government).only("id", "published_at").order_by("-id")

    def location(self, item):
        return reverse("portal:interpretation", args=[item.pk])

    def lastmod(self, item):
        return item.published_at


class PagesSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "portal:home",
            "portal:disclosure",
            "portal:policies",
            "portal:interpretations",
            "portal:records",
        ]

    def location(self, item):
        return reverse(item)


def sitemaps_for(government) -> dict:
    return {
        "pages": PagesSitemap(government),
        "records": RecordSitemap(government),
        "interpretations": InterpretationSitemap(government),
    }
