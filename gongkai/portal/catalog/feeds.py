"""RSS and Atom feeds of the newest public records (through catalog.visibility)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.catalog.visibility import public_records


class LatestRecordsFeed(Feed):
    description = "最新主动公开的政府信息"

    def get_object(self, request, *args, **kwargs):
        return request.government

    def title(self, gov):
        return f"{gov.name if gov else '政务公开'} · 政府信息公开"

    def link(self, gov):
        return reverse("portal:disclosure")

    def items(self, gov):
        if gov is None:
            return []
        return list(
            public_records(gov)
            .select_related("publisher")
            .only("id", "title", "summary", "published_at", "publisher__name", "doc_no")
            .order_by("-published_at", "-id")[:50]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or (f"{item.publisher.name} {item.doc_no}".strip())

    def item_link(self, item):
        return reverse("portal:record", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.publisher.name


class LatestRecordsAtom(LatestRecordsFeed):
    feed_type = Atom1Feed
    subtitle = LatestRecordsFeed.description
