"""The catalogue's search index (core.search) and how a record becomes an index entry.

Only records that are public now or scheduled to become public (attribute 主动公开, status
published) have an entry; the search itself only returns entries whose publication time has
come, and every hit is re-read through catalog.visibility.

Organisation names are search synonyms: an entry's text ends with every name (全称, 简称,
aliases) of its publisher and of each organisation of its government that the record names
in any of its forms, so 发改委 finds a record that says 发展和改革委员会 and the other way
round. Changing an organisation's names therefore needs a reindex (`gongkai search reindex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from gongkai.catalog import searching
from gongkai.catalog.models import Attribute, Record, Status
from gongkai.catalog.searching import SUGGEST_BELOW, SUGGESTIONS, suggested_queries
from gongkai.core import text
from gongkai.core.search import Doc, SearchIndex, limits

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
    vocabulary="government",
    # PostgreSQL: one partition per government (issue 19): a government's portal search reads
    # only its own entries, whatever the province holds.
    partition_by="government",
)


def indexable(record: Record) -> bool:
    return (
        record.attribute == Attribute.PROACTIVE
        and record.status == Status.PUBLISHED
        and record.published_at is not None
        and record.withdrawn_at is None
    )


# Names shorter than this are not synonyms (two characters match too much).
MIN_SYNONYM_LENGTH = 3


@dataclass(frozen=True)
class Synonyms:
    """The organisation names of one government: each organisation's names, and one pattern
    finding any of them in a text."""

    names: dict[int, tuple[str, ...]]
    owners: dict[str, set[int]]
    pattern: re.Pattern | None

    @classmethod
    def of(cls, government_id: int | None) -> Synonyms:
        from gongkai.orgs.models import Organisation, OrganisationAlias

        names: dict[int, list[str]] = {}
        rows = list(
            Organisation.objects.filter(government_id=government_id).values_list(
                "pk", "name", "short_name"
            )
        )
        # The name without the government's place (济宁市发展和改革委员会 → 发展和改革委员会),
        # except the government's own offices (人民政府办公室 is every government's).
        place = next((n for pk, n, _ in rows if pk == government_id), "").removesuffix("人民政府")
        for pk, name, short in rows:
            names[pk] = [name, short]
            rest = name.removeprefix(place) if place else name
            if rest != name and not rest.startswith("人民政府"):
                names[pk].append(rest)
        for org_id, alias in OrganisationAlias.objects.filter(
            government_id=government_id
        ).values_list("organisation_id", "alias"):
            names.setdefault(org_id, []).append(alias)
        clean = {
            pk: tuple(dict.fromkeys(n for n in (text.normalize(x) for x in found) if n))
            for pk, found in names.items()
        }
        owners: dict[str, set[int]] = {}
        for pk, found in clean.items():
            for name in found:
                if len(name) >= MIN_SYNONYM_LENGTH:
                    owners.setdefault(name, set()).add(pk)
        alternatives = sorted(owners, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
        return cls(clean, owners, pattern)

    def line(self, body: str, publisher_id: int | None) -> str:
        """Every name of the publisher and of the organisations the body names."""
        found = {publisher_id} if publisher_id in self.names else set()
        if self.pattern is not None:
            for match in self.pattern.finditer(text.normalize(text.simplify(body))):
                found |= self.owners[match.group(0)]
        return " ".join(dict.fromkeys(n for pk in sorted(found) for n in self.names[pk]))


def to_doc(record: Record, synonyms: Synonyms | None = None) -> Doc:
    """The index entry of an indexable record (which has a publication time)."""
    if record.published_at is None:
        raise ValueError(f"record {record.pk} is not published: it has no index entry")
    synonyms = synonyms or Synonyms.of(record.government_id)
    body = record.search_text()
    names = synonyms.line(f"{record.title}\n{body}", record.publisher_id)
    return Doc(
        object_id=record.pk,
        published_at=record.published_at,
        title=record.title,
        body=f"{body}\n{names}" if names else body,
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
    """Rebuild the index from the records (all of them by default: `SearchIndex.rebuild`, one
    transaction). Returns the count."""
    if records is None:
        every = Record.objects.filter(
            attribute=Attribute.PROACTIVE,
            status=Status.PUBLISHED,
            published_at__isnull=False,
            withdrawn_at__isnull=True,
        )
        # In key order (publication date), the order publishing appends them: PostgreSQL
        # keeps rows as written, and filtered counts read the filter indexes index-only,
        # checking the visibility map page of each row's heap page — few pages in key order.
        ordered = every.order_by("published_at", "pk").iterator(chunk_size=2000)
        return RECORD_INDEX.rebuild(_docs(ordered))
    total, chunk = 0, []
    synonyms: dict[int, Synonyms] = {}
    for record in records:
        if not indexable(record):
            RECORD_INDEX.delete([record.pk])
            continue
        chunk.append(record)
        if len(chunk) >= batch:
            total += RECORD_INDEX.upsert(_docs(chunk, synonyms))
            chunk = []
    if chunk:
        total += RECORD_INDEX.upsert(_docs(chunk, synonyms))
    RECORD_INDEX.optimize()
    return total


def reindex_in_migration(apps, connection) -> None:
    """A migration's fill of the search index from the published records (the layout
    migrations 0013–0015): nothing on a new database; should the live code not fit this
    database's schema yet, the index is left empty (a partial or old-layout index is never
    kept) and `gongkai search reindex` fills it after the migrations."""
    from django.db import DatabaseError, transaction

    if not apps.get_model("catalog", "Record").objects.filter(published_at__isnull=False).exists():
        return  # nothing to index (a new database)
    try:
        with transaction.atomic(using=connection.alias):
            reindex()
    except DatabaseError as error:  # the live models ahead of this database's schema
        RECORD_INDEX.clear(connection)
        print(f"\n  search index left empty ({error}): run `gongkai search reindex`")


def _docs(records: Iterable[Record], synonyms: dict[int, Synonyms] | None = None) -> Iterator[Doc]:
    """The index entries of indexable records (the synonyms of each government read once,
    kept in `synonyms`)."""
    synonyms = {} if synonyms is None else synonyms
    for record in records:
        if not indexable(record):
            continue
        if record.government_id not in synonyms:
            synonyms[record.government_id] = Synonyms.of(record.government_id)
        yield to_doc(record, synonyms[record.government_id])


def search_records(
    government,
    query: str,
    *,
    filters=None,
    sort="relevance",
    page=1,
    per_page=20,
    suggest=True,
    title: str = "",
):
    """One page of public records for the query: (SearchResult, records in result order).
    Hits are re-read through catalog.visibility, so the index can never leak anything; and
    when the index is stale (entries of records that are no longer public), the count and
    the page both come from the visible records, never a count above missing hits."""
    from gongkai.catalog.visibility import public_records

    filters = dict(filters or {})
    if government is not None:
        filters["government"] = government.pk
    visible = public_records(government).select_related("publisher")
    title_terms = text.query_parts(title).terms
    if title_terms:
        result = _in_title(visible, f"{query} {title}", title_terms, filters, page, per_page)
        by_id = visible.in_bulk(result.ids)
        return result, [by_id[i] for i in result.ids if i in by_id]
    result = RECORD_INDEX.search(query, filters=filters, sort=sort, page=page, per_page=per_page)
    by_id = visible.in_bulk(result.ids)
    if len(by_id) < len(result.ids):
        result = _without_stale(result, visible, query, filters, sort)
        by_id = visible.in_bulk(result.ids)
    if suggest and not result.error and result.total < SUGGEST_BELOW:
        result.suggestions = suggestions(government, query)
    return result, [by_id[i] for i in result.ids if i in by_id]


def suggestions(government, query: str, *, limit: int = SUGGESTIONS) -> list[str]:
    """The queries the citizen likely meant, most likely first: one term of the query
    replaced by a term of the government's vocabulary (the words and titles of its public
    records, see core.search.vocabulary), each checked to find public records through the
    visibility gate. Shown for the citizen to run; never run in the query's place."""
    if government is None:
        return []

    def finds(suggestion: str) -> bool:
        return bool(search_records(government, suggestion, per_page=1, suggest=False)[1])

    return suggested_queries(RECORD_INDEX, government.pk, query, finds, limit=limit)


def as_you_type(government, query: str, *, limit: int = 8) -> list[dict]:
    """Titles and document numbers of public records for a query being typed (two
    characters at least), through the visibility gate."""
    if government is None or len(text.normalize(query).replace(" ", "")) < 2:
        return []
    result, records = search_records(government, query, per_page=limit, suggest=False)
    if result.error:
        return []
    return [{"id": r.pk, "title": r.title, "doc_no": r.doc_no} for r in records]


def _without_stale(result, visible, query, filters, sort):
    """The result recomputed over the visible records only: the index's matches (up to the
    cap) less those that are not public, counted, and the page taken from the index's order
    with the stale entries left out. The stale entries then leave the index (it only ever
    holds what `indexable` allows), so the other pages agree with this one."""
    cap = limits.COUNT_CAP
    limit = cap + 1
    while True:
        matches = RECORD_INDEX.matching_ids(query, filters=filters, limit=limit)
        shown = set(visible.filter(pk__in=matches).values_list("pk", flat=True))
        stale = set(matches) - shown
        if len(matches) < limit or len(shown) > cap:
            break  # every match read, or more than the cap visible
        limit = cap + 1 + len(stale)
    offset = (result.page - 1) * result.per_page
    window = RECORD_INDEX.search(
        query, filters=filters, sort=sort, page=1, per_page=offset + result.per_page + len(stale)
    )
    ids = [i for i in window.ids if i not in stale][offset : offset + result.per_page]
    total = len(matches) - len(stale)
    RECORD_INDEX.delete(sorted(stale))
    return replace(result, ids=ids, total=min(total, cap), capped=total > cap, estimated=False)


def _in_title(visible, query, title_terms, filters, page, per_page):
    """Advanced search with terms required in the title: the index's matches of the whole
    query (up to the cap) whose titles hold every title term, counted exactly, newest first."""
    cap = limits.COUNT_CAP
    result = RECORD_INDEX.search(query, filters=filters, sort="date", page=1, per_page=1)
    if result.error:
        return result
    matches = RECORD_INDEX.matching_ids(query, filters=filters, limit=cap + 1)
    found = visible.filter(pk__in=matches)
    for term in title_terms:
        found = found.filter(title__contains=term)
    ids = list(found.order_by("-published_at", "-pk").values_list("pk", flat=True)[: cap + 1])
    offset = (max(1, int(page or 1)) - 1) * per_page
    return replace(
        result,
        ids=ids[offset : offset + per_page],
        total=min(len(ids), cap),
        capped=len(ids) > cap,
        page=max(1, int(page or 1)),
        per_page=per_page,
        estimated=False,
    )


FACETS = ("publisher", "topic", "genre", "year", "validity")


def facet_counts(government, query: str, *, filters=None, values=None) -> dict[str, dict]:
    """{facet: {value: count}} over the public records the query finds, for 发布机构, 主题,
    体裁, 年份 and 有效性 (see catalog.searching.facet_counts)."""
    from django.utils import timezone

    from gongkai.catalog.visibility import public_records

    filters = dict(filters or {})
    if government is not None:
        filters["government"] = government.pk

    def rows(ids: list[int]):
        found = (
            public_records(government)
            .filter(pk__in=ids)
            .values_list("publisher_id", "topic", "genre", "published_at", "validity")
        )
        for publisher, topic, genre, published_at, validity in found:
            yield publisher, topic, genre, timezone.localtime(published_at).year, validity

    return searching.facet_counts(
        RECORD_INDEX, query, facets=FACETS, rows=rows, filters=filters, values=values
    )
