"""The catalogue's search index (core.search) and how a record becomes an index entry.

Only records that are public now or scheduled to become public (attribute 主动公开, status
published) have an entry; the search itself only returns entries whose publication time has
come, and every hit is re-read through catalog.visibility.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.catalog.models import Attribute, Record, Status
from gongkai.core.search import Doc, SearchIndex

RECORD_INDEX = SearchIndex(
    "catalog_search",
    filters=(
        ("government", "int"),
        ("publisher", "int"),
        ("genre", "text"),
        ("topic", "text"),
        ("year", "year"),
        ("validity", "text"),
    ),
)


def indexable(record: Record) -> bool:
    return (
        record.attribute == Attribute.PROACTIVE
        and record.status == Status.PUBLISHED
        and record.published_at is not None
        and record.withdrawn_at is None
    )


def to_doc(record: Record) -> Doc:
    """The index entry of an indexable record (which has a publication time)."""
    if record.published_at is None:
        raise ValueError(f"record {record.pk} is not published: it has no index entry")
    return Doc(
        object_id=record.pk,
        published_at=record.published_at,
        title=record.title,
        body=record.search_text(),
        filters={
            "government": record.government_id,
            "publisher": record.publisher_id,
            "genre": record.genre,
            "topic": record.topic,
            "validity": record.validity,
        },
    )


def sync_record(record: Record) -> None:
    """Bring the record's index entry in line with the record (call inside the action)."""
    if indexable(record):
        RECORD_INDEX.upsert([to_doc(record)])
    else:
        RECORD_INDEX.delete([record.pk])


def reindex(records: Iterable[Record] | None = None, batch: int = 500) -> int:
    """Rebuild the index from the records (all of them by default). Returns the count."""
    if records is None:
        RECORD_INDEX.clear()
        records = Record.objects.filter(
            attribute=Attribute.PROACTIVE,
            status=Status.PUBLISHED,
            published_at__isnull=False,
            withdrawn_at__isnull=True,
        )
        # In key order (publication date), the order publishing appends them: PostgreSQL
        # keeps rows as written, and filtered counts read the filter indexes index-only,
        # checking the visibility map page of each row's heap page — few pages in key order.
        records = records.order_by("published_at", "pk").iterator(chunk_size=batch)
        insert = RECORD_INDEX.bulk_insert
    else:
        insert = RECORD_INDEX.upsert
    total, chunk = 0, []
    for record in records:
        if not indexable(record):
            RECORD_INDEX.delete([record.pk])
            continue
        chunk.append(to_doc(record))
        if len(chunk) >= batch:
            total += insert(chunk)
            chunk = []
    if chunk:
        total += insert(chunk)
    RECORD_INDEX.optimize()
    return total


def search_records(government, query: str, *, filters=None, sort="relevance", page=1, per_page=20):
    """One page of public records for the query: (SearchResult, records in result order).
    Hits are re-read through catalog.visibility, so the index can never leak anything."""
    from gongkai.catalog.visibility import public_records

    filters = dict(filters or {})
    if government is not None:
        filters["government"] = government.pk
    result = RECORD_INDEX.search(query, filters=filters, sort=sort, page=page, per_page=per_page)
    by_id = public_records(government).select_related("publisher").in_bulk(result.ids)
    return result, [by_id[i] for i in result.ids if i in by_id]
