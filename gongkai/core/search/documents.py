"""What an index entry is: the document an app writes, its key, its filter values and tokens,
and the result of a search."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.utils import timezone

from gongkai.core import text
from gongkai.core.search import limits

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex

# An entry's key: its publication second, then the low _ID_BITS bits of its object id, so
# that key order is publication order. Two entries of one second collide only when their ids
# differ by a multiple of 2**_ID_BITS: with 30 bits, not below 1,073,741,824 records (with 20,
# a province's millions of records imported with dates only, many of one second, did). The
# seconds keep 33 bits (to the year 2242) in a signed 64-bit integer.
_ID_BITS = 30
_ID_MASK = (1 << _ID_BITS) - 1


@dataclass
class Doc:
    """One searchable object. `filters` holds the values of the index's filter columns."""

    object_id: int
    published_at: dt.datetime
    title: str
    body: str = ""
    filters: Mapping[str, object] = field(default_factory=dict)


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    capped: bool
    page: int
    per_page: int
    query: str
    error: str = ""
    estimated: bool = False
    # 「您是不是要找」: queries the citizen likely meant (filled by the app; never run for them).
    suggestions: list[str] = field(default_factory=list)

    @property
    def total_label(self) -> str:
        """Exact up to COUNT_CAP, else "10,000+"; an estimate ("约 N") only above the cap."""
        if self.capped:
            return f"{limits.COUNT_CAP:,}+"
        if self.estimated and self.total > limits.COUNT_CAP:
            return f"约 {self.total:,}"
        return f"{self.total:,}"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def sort_key(published_at: dt.datetime, object_id: int) -> int:
    seconds = max(0, int(published_at.timestamp()))
    return (seconds << _ID_BITS) | (int(object_id) & _ID_MASK)


def key_ceiling(now: dt.datetime) -> int:
    return (max(0, int(now.timestamp())) << _ID_BITS) | _ID_MASK


def publication_year(published_at: dt.datetime, zone: dt.tzinfo | None = None) -> int:
    """The value of a "year" filter: the publication year in the current time zone (or
    `zone`, which a caller handling many documents looks up once)."""
    return published_at.astimezone(zone or timezone.get_current_timezone()).year


def year_keys(year: int) -> tuple[int, int] | None:
    """[first, after-last) sort_key of the records published in `year` (current time zone),
    or None for a year outside 1970–9998 (then the filter column decides)."""
    if not 1970 <= year < 9999:
        return None
    zone = timezone.get_current_timezone()
    start, end = (dt.datetime(y, 1, 1, tzinfo=zone) for y in (year, year + 1))
    return sort_key(start, 0), sort_key(end, 0)


def tag(name: str, value: object) -> str:
    """A filter value as one FTS5 token (SQLite): letters and digits only."""
    return "".join(ch for ch in f"{name}x{value}".lower() if ch.isascii() and ch.isalnum())


_PLAIN_WORD = re.compile(f"^[{text.WORD_CHARS}]+$", re.MULTILINE)


def clean_words(words: Iterable[str]) -> list[str]:
    """The distinct plain words (Chinese, ASCII letters and digits only), in order: one
    regular expression over the joined words instead of a test per word."""
    return list(dict.fromkeys(_PLAIN_WORD.findall("\n".join(words))))


class Terms:
    """What the index stores and indexes of a document: `title` and `body` as stored text
    (`text.index_text`), and `tokens`, the distinct index tokens of both
    (`text.index_terms`, computed when first asked for: PostgreSQL computes them itself),
    which are indexed but never stored: they are recomputed from the stored text when
    needed."""

    def __init__(self, title: str, body: str) -> None:
        self.title = title
        self.body = body

    @cached_property
    def tokens(self) -> set[str]:
        return stored_tokens(self.title, self.body)


def stored_tokens(title: str, body: str) -> set[str]:
    """The index tokens of a stored entry (its stored title and body): those of both texts
    joined by a space (no token spans a space)."""
    return text.index_terms(f"{title} {body}" if title and body else title or body)


def terms(doc: Doc) -> Terms:
    """The stored text and tokens of a document (computed once per Doc, so one Doc can be
    written to several databases)."""
    cached = doc.__dict__.get("_terms")
    if cached is None:
        title, body = text.index_text(doc.title), text.index_text(doc.body)
        cached = doc.__dict__["_terms"] = Terms(title, body)
    terms_: Terms = cached
    return terms_


def filter_values(index: SearchIndex, doc: Doc, zone: dt.tzinfo | None = None) -> list[object]:
    """The document's filter values, in the order of the index's `filters`."""
    return [
        publication_year(doc.published_at, zone) if kind == "year" else doc.filters.get(name)
        for name, kind in index.filters
    ]


def row_head(doc: Doc, values: Sequence[object]) -> tuple[object, ...]:
    """The first columns of an entry's row: key, object id, publication seconds, filter
    `values` (`filter_values`), then its stored title and body."""
    stored = terms(doc)
    return (
        sort_key(doc.published_at, doc.object_id),
        int(doc.object_id),
        max(0, int(doc.published_at.timestamp())),
        *values,
        stored.title,
        stored.body,
    )


def tags(index: SearchIndex, values: Sequence[object]) -> str:
    """The filter values as tag tokens (``genrexnormative``), space-separated."""
    return " ".join(
        tag(name, value)
        for (name, _), value in zip(index.filters, values, strict=True)
        if value not in (None, "")
    )


KEYS_PER_STATEMENT = 10_000


def object_ids(
    index: SearchIndex, cursor: CursorWrapper, keys: list[int], key: str = "sort_key"
) -> list[int]:
    """The object ids of these entry keys (values of the column `key`: ``seq`` on SQLite), in
    their order (read in chunks: a statement takes at most 32,766 parameters on SQLite and
    65,535 on PostgreSQL)."""
    by_key: dict[int, int] = {}
    for start in range(0, len(keys), KEYS_PER_STATEMENT):
        chunk = keys[start : start + KEYS_PER_STATEMENT]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT {key}, object_id FROM {index.table} WHERE {key} IN ({marks})",  # noqa: S608
            chunk,
        )
        by_key.update(cursor.fetchall())
    return [by_key[k] for k in keys if k in by_key]
