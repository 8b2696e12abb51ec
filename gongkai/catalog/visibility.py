"""The ONE public gate of the disclosure catalogue.

A record reaches a public page, search hit, feed, sitemap or API response only through
`public_records()`: attribute 主动公开, status published (so not withdrawn), publication time
reached. Interpretations are public when published, their time reached and their policy public;
attachments when their record is public.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.catalog.models import (
    Attachment,
    Attribute,
    Interpretation,
    InterpretationStatus,
    Record,
    Status,
)


def public_q(prefix: str = "", government=None, now=None) -> Q:
    """The gate's condition on a Record reached through `prefix` (e.g. "policy__", or
    "records__" to count a column's public records)."""
    now = now or timezone.now()
    q = Q(
        **{
            f"{prefix}attribute": Attribute.PROACTIVE,
            f"{prefix}status": Status.PUBLISHED,
            f"{prefix}published_at__isnull": False,
            f"{prefix}published_at__lte": now,
            f"{prefix}withdrawn_at__isnull": True,
        }
    )
    if government is not None:
        q &= Q(**{f"{prefix}government": government})
    return q


def public_records(government=None, now=None) -> QuerySet[Record]:
    return Record.objects.filter(public_q("", government, now))


def public_interpretations(government=None, now=None) -> QuerySet[Interpretation]:
    now = now or timezone.now()
    return Interpretation.objects.filter(
        public_q("policy__", government, now),
        status=InterpretationStatus.PUBLISHED,
        published_at__isnull=False,
        published_at__lte=now,
    )


def public_attachments(government=None, now=None) -> QuerySet[Attachment]:
    return Attachment.objects.filter(public_q("record__", government, now))


def is_public(record: Record, now=None) -> bool:
    return public_records(now=now).filter(pk=record.pk).exists()


def get_public_record(government, pk) -> Record:
    """The public record or Http404 (the same answer for missing and not public)."""
    try:
        return (
            public_records(government)
            .select_related("publisher", "column", "catalogue", "superseded_by")
            .get(pk=pk)
        )
    except (Record.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该信息") from None
