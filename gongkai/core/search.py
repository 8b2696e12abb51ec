# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input;
# every value is a query parameter.
"""Full-text search over pre-segmented Chinese text, on SQLite FTS5 and on PostgreSQL.

An app declares one `SearchIndex` (a table name and its filter columns), creates its tables in
a migration (`index.create(schema_editor.connection)`), writes documents with `upsert()` /
`delete()` whenever what is public changes, and queries with `search()`. The index holds only
ids, dates, filter values and token text; the app re-reads the hits through its own
visibility gate, so a stale index entry can never show anything that is not public.

Tokens (from `core.text`):
- ``title_terms`` / ``body_terms``: the character-bigram streams (`text.char_stream`). A query
  string becomes a phrase of bigrams (`text.query_stream`), so every record whose text contains
  the string matches — including words that segmentation would split differently — and a
  document number matches in any bracket form (fold() maps them to 〔〕).
- ``words``: the rjieba words of the whole text (`text.search_words`), used for ranking.

Storage:
- SQLite: a plain table plus an external-content FTS5 table ``<table>_fts`` (default
  tokenizer) kept in step by triggers.
- PostgreSQL: the same table with ``tsv`` (title + body streams), ``title_tsv`` and
  ``words_tsv`` tsvector columns written as literals (no PostgreSQL parser involved); one GIN
  index on ``tsv``. Rows of up to a page stay in the table (``PG_TABLE_OPTIONS``), so checking
  a candidate reads one page; write entries in key order where you can (a full reindex does),
  since index-only scans of the filter indexes check the visibility map page of each row.
- Filters are tag lexemes (``genrexnormative``, ``yearx2024``) in the FTS5 ``tags`` column and in
  ``tsv``, so a filtered count is one index intersection on either database.
- A filter of kind ``"year"`` is the publication year in the current time zone (the settings'
  TIME_ZONE), which the index derives from ``published_at`` itself. Since the key begins with
  the publication time, PostgreSQL turns one year into a key range: a filtered count then walks
  exactly the matching entries of another filter's (column, sort_key) index, or of the key,
  instead of a whole year's entries. Changing TIME_ZONE therefore needs a reindex.

Known limit (PostgreSQL only): a tsvector keeps at most 256 positions of one lexeme, so in a
very long record a phrase passing through a token that occurs more than 256 times in it may be
missed after those occurrences. Records of ordinary length are not affected; SQLite FTS5 has no
such limit.

The primary key ``sort_key`` is ``(publication epoch seconds << 20) | (object id & 0xFFFFF)``,
so "newest first" is the key order and FTS5 walks its rowids backwards and stops after a page.

Ranking: scoring every match (bm25 / ts_rank) costs seconds for a term found in nearly every
record, so `search(sort="relevance")` scores a bounded candidate set: the newest
``CANDIDATES`` matches plus the newest ``TITLE_CANDIDATES`` matches in the title. Candidates
are ordered by title hit, then whole-word hit, then bm25 (SQLite) / ts_rank (PostgreSQL), then
date. Pages past the candidate set continue in date order. Counts are exact up to
``COUNT_CAP`` (10,000) and reported as "10,000+" beyond. On PostgreSQL a query whose every token
is frequent by the table statistics (``FREQUENT_MIN``) and frequent among the newest
``FREQUENT_SAMPLE`` records is "10,000+" without a GIN count; otherwise the count is exact,
except when more than COUNT_CAP records hold every token but too few of the newest of them
hold the phrase to say "10,000+": that count is an estimate (``SearchResult.estimated``).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from gongkai.core import text
from gongkai.core.replicas import read_connection

__all__ = [
    "COUNT_CAP",
    "Doc",
    "SearchIndex",
    "SearchResult",
    "parse_query",
]

COUNT_CAP = 10_000
CANDIDATES = 300
# SQLite: a phrase ending in a prefix token is checked on the stored streams of at most this
# many candidates (see _sqlite_trailing_prefix).
PHRASE_CHECK_ALL = 1000
BM25_MAX_MATCHES = 2000
TITLE_CANDIDATES = 100
# PostgreSQL: when the table statistics say every token of a query is in at least
# FREQUENT_MIN records, the newest FREQUENT_SAMPLE records are checked first; if the matches
# among them extrapolate to at least FREQUENT_MIN too, the count is "10,000+" without asking
# the GIN index for every match (which costs ~40 ms for a term in nearly every one of a
# million records).
FREQUENT_MIN = 3 * COUNT_CAP
FREQUENT_SAMPLE = 1000
# PostgreSQL: tokens in at least this share of the records are left out of the GIN query when
# the query has rarer ones, and checked on the candidates instead.
COMMON_SHARE = 0.25
STATS_TTL = 300.0
MAX_QUERY_PARTS = 8
MAX_QUERY_LENGTH = 100
_ID_BITS = 20
_ID_MASK = (1 << _ID_BITS) - 1
_PG_STATS: dict[tuple, tuple[float, float, dict[str, float]]] = {}


def forget_statistics() -> None:
    """Drop the cached PostgreSQL statistics (tests; after a bulk load)."""
    _PG_STATS.clear()


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

    @property
    def total_label(self) -> str:
        if self.capped:
            return f"{COUNT_CAP:,}+"
        return f"约 {self.total:,}" if self.estimated else f"{self.total:,}"

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


def _key_ceiling(now: dt.datetime) -> int:
    return (max(0, int(now.timestamp())) << _ID_BITS) | _ID_MASK


def publication_year(published_at: dt.datetime) -> int:
    """The value of a "year" filter: the publication year in the current time zone."""
    return published_at.astimezone(timezone.get_current_timezone()).year


def _year_keys(year: int) -> tuple[int, int] | None:
    """[first, after-last) sort_key of the records published in `year` (current time zone),
    or None for a year outside 1970–9998 (then the filter column decides)."""
    if not 1970 <= year < 9999:
        return None
    zone = timezone.get_current_timezone()
    start, end = (dt.datetime(y, 1, 1, tzinfo=zone) for y in (year, year + 1))
    return sort_key(start, 0), sort_key(end, 0)


def parse_query(query: str) -> tuple[list[list[tuple[str, bool]]], str]:
    """The phrases of a query (one per space-separated part) as token lists, or an error
    message in Chinese."""
    query = text.normalize(query or "")
    if not query:
        return [], "请输入检索词。"
    if len(query) > MAX_QUERY_LENGTH:
        return [], f"检索词过长，请不超过{MAX_QUERY_LENGTH}个字。"
    parts = [p for p in query.split(" ") if p]
    if len(parts) > MAX_QUERY_PARTS:
        return [], f"检索词最多{MAX_QUERY_PARTS}个，请用空格分隔。"
    phrases = [text.query_stream(p) for p in parts]
    phrases = [p for p in phrases if p]
    if not phrases:
        return [], "检索词需包含汉字、字母或数字。"
    return phrases, ""


def _tag(name: str, value) -> str:
    """A filter value as one FTS5 token (SQLite): letters and digits only."""
    return "".join(ch for ch in f"{name}x{value}".lower() if ch.isascii() and ch.isalnum())


def _fts5_expr(phrases) -> str:
    out = []
    for phrase in phrases:
        tokens = " ".join(tok for tok, _ in phrase)
        out.append(f'"{tokens}"' + (" *" if phrase[-1][1] else ""))
    return " AND ".join(out)


def _tsquery_and(phrases) -> str:
    """Every token of every phrase, ANDed (answered exactly by the GIN index alone)."""
    tokens = {f"'{tok}'" + (":*" if prefix else "") for phrase in phrases for tok, prefix in phrase}
    return " & ".join(sorted(tokens))


def _tag_query(groups) -> str:
    """Tag lexeme groups as a tsquery: any tag of a group, every group."""
    return " & ".join("(" + " | ".join(f"'{tag}'" for tag in g) + ")" for g in groups)


def _phrase_patterns(phrases) -> list[re.Pattern]:
    """A regular expression per phrase over a stored token stream (tokens joined by spaces):
    its tokens in a row, the last one as a prefix when it is a prefix token."""
    return [
        re.compile(
            r"(?:^| )"
            + re.escape(" ".join(tok for tok, _ in phrase))
            + ("" if phrase[-1][1] else r"(?= |$)")
        )
        for phrase in phrases
    ]


def _tsquery(phrases) -> str:
    out = []
    for phrase in phrases:
        tokens = " <-> ".join(f"'{tok}'" + (":*" if prefix else "") for tok, prefix in phrase)
        out.append(f"({tokens})")
    return " & ".join(out)


# PostgreSQL: keep rows of up to a page in the table itself. A record's tsvector (~4 KB for
# 500 characters, incompressible) would otherwise go to TOAST, and checking a candidate would
# cost a TOAST index lookup and two or three chunk reads: three times slower than one page.
PG_TABLE_OPTIONS = "toast_tuple_target = 8160"
_PG_MAX_POS = 16383
_PG_MAX_POSITIONS = 256
_CHUNK = 16000
_OVERLAP = MAX_QUERY_LENGTH + 10


def tsvector_literal(tokens: Sequence[str], positions: bool = True) -> str:
    """A tsvector literal for pre-tokenised text (no PostgreSQL parser involved).

    PostgreSQL caps positions at 16,383; a longer stream is cut into overlapping windows of
    16,000 tokens that each start again at position 1, so every phrase of up to
    MAX_QUERY_LENGTH tokens still lies wholly inside one window (recall is kept; overlapping
    windows can at worst add a false match)."""
    if not positions:
        return " ".join(f"'{t}'" for t in dict.fromkeys(tokens))
    found: dict[str, list[int]] = {}
    if len(tokens) <= _PG_MAX_POS:
        for i, tok in enumerate(tokens):
            found.setdefault(tok, []).append(i + 1)
    else:
        start = 0
        while start < len(tokens):
            for i, tok in enumerate(tokens[start : start + _CHUNK]):
                found.setdefault(tok, []).append(i + 1)
            start += _CHUNK - _OVERLAP
    out = []
    for tok, pos in found.items():
        pos = sorted(set(pos))[:_PG_MAX_POSITIONS]
        out.append(f"'{tok}':{','.join(map(str, pos))}")
    return " ".join(out)


def _clean_words(words):
    return [w for w in dict.fromkeys(words) if text.is_plain_word(w)]


def _words_query(query: str) -> list[str]:
    words = [w for w in text.segment(query) if w not in text.STOP_WORDS and text.is_plain_word(w)]
    return words[: MAX_QUERY_PARTS * 2]


def _pg_hits(rows) -> tuple[list[int], list[int]]:
    """(hit keys, title hit keys), newest first, from checked (key, in title, hit) rows."""
    found = {key: title for key, title, hit in rows if hit}
    hits = sorted(found, reverse=True)
    return hits, [k for k in hits if found[k]]


@dataclass(frozen=True)
class _PgScan:
    """The pieces of one PostgreSQL search: the ranking select and its parameters, the filter
    column conditions and their parameters, the key ceiling and the full condition."""

    select: str
    head: list
    cols: str
    col_params: list
    ceiling: int
    full_q: str


@dataclass(frozen=True)
class SearchIndex:
    """A search table. `filters` are (column, kind) pairs usable in search(): kind "int",
    "text", or "year" (the publication year, derived by the index; see the module docstring).
    """

    table: str
    filters: tuple[tuple[str, str], ...] = ()

    # --- schema ---------------------------------------------------------------------------------

    def create(self, connection=None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            for statement in self.create_sql(connection.vendor):
                cursor.execute(statement)

    def drop(self, connection=None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}_fts")
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def create_sql(self, vendor: str) -> list[str]:
        t = self.table
        cols = [f"{name} {'TEXT' if kind == 'text' else 'BIGINT'}" for name, kind in self.filters]
        if vendor == "sqlite":
            return [
                f"CREATE TABLE {t} (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL "
                f"UNIQUE, published BIGINT NOT NULL, {', '.join([*cols, ''])}"
                "title_terms TEXT NOT NULL, body_terms TEXT NOT NULL, words TEXT NOT NULL, "
                "tags TEXT NOT NULL)",
                f"CREATE VIRTUAL TABLE {t}_fts USING fts5(title_terms, body_terms, words, tags, "
                f"content='{t}', content_rowid='sort_key')",
                f"CREATE TRIGGER {t}_ai AFTER INSERT ON {t} BEGIN INSERT INTO {t}_fts(rowid, "
                "title_terms, body_terms, words, tags) VALUES (new.sort_key, new.title_terms, "
                "new.body_terms, new.words, new.tags); END",
                f"CREATE TRIGGER {t}_ad AFTER DELETE ON {t} BEGIN INSERT INTO {t}_fts({t}_fts, "
                "rowid, title_terms, body_terms, words, tags) VALUES ('delete', old.sort_key, "
                "old.title_terms, old.body_terms, old.words, old.tags); END",
                *self.filter_index_sql(vendor),
            ]
        if vendor == "postgresql":
            return [
                f"CREATE TABLE {t} (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL "
                f"UNIQUE, published BIGINT NOT NULL, {', '.join([*cols, ''])}"
                "tsv tsvector NOT NULL, title_tsv tsvector NOT NULL, words_tsv tsvector NOT NULL) "
                f"WITH ({PG_TABLE_OPTIONS})",
                f"CREATE INDEX {t}_tsv ON {t} USING gin (tsv) WITH (fastupdate = off)",
                *self.filter_index_sql(vendor),
            ]
        raise NotImplementedError(f"search is not available on {vendor}")

    def filter_index_sql(self, vendor: str) -> list[str]:
        """(filter column, sort_key) indexes: a filtered query walks the newest matches of its
        filter instead of the whole table. On PostgreSQL each carries the other filter columns,
        so counting and walking the matches of several filters is index-only."""
        t = self.table
        if vendor != "postgresql":
            return [f"CREATE INDEX {t}_{n} ON {t} ({n}, sort_key)" for n, _ in self.filters]
        out = []
        for name, _ in self.filters:
            others = [n for n, _ in self.filters if n != name]
            include = f" INCLUDE ({', '.join(others)})" if others else ""
            out.append(f"CREATE INDEX IF NOT EXISTS {t}_{name} ON {t} ({name}, sort_key){include}")
        return out

    # --- writing ----------------------------------------------------------------------------------

    @staticmethod
    def terms(doc: Doc) -> tuple[list[str], list[str], list[str]]:
        """(title bigram stream, body bigram stream, words) of a document (computed once per
        Doc, so one Doc can be written to several databases)."""
        cached = doc.__dict__.get("_terms")
        if cached is None:
            cached = doc.__dict__["_terms"] = (
                text.char_stream(doc.title),
                text.char_stream(doc.body),
                _clean_words(text.search_words(f"{doc.title}\n{doc.body}")),
            )
        return cached

    def _values(self, doc: Doc) -> list:
        """The document's filter values, in the order of `filters`."""
        return [
            publication_year(doc.published_at) if kind == "year" else doc.filters.get(name)
            for name, kind in self.filters
        ]

    def _rows(self, docs: Iterable[Doc], vendor: str) -> list[tuple]:
        rows = []
        for doc in docs:
            title, body, words = self.terms(doc)
            values = self._values(doc)
            tags = " ".join(
                _tag(name, value)
                for (name, _), value in zip(self.filters, values, strict=True)
                if value not in (None, "")
            )
            if vendor == "postgresql":
                text_columns = (
                    tsvector_literal(title + body) + "".join(f" '{tag}'" for tag in tags.split()),
                    tsvector_literal(title),
                    tsvector_literal(words, positions=False),
                )
            else:
                text_columns = (" ".join(title), " ".join(body), " ".join(words), tags)
            rows.append(
                (
                    sort_key(doc.published_at, doc.object_id),
                    int(doc.object_id),
                    max(0, int(doc.published_at.timestamp())),
                    *values,
                    *text_columns,
                )
            )
        return rows

    def _insert_sql(self, vendor: str) -> str:
        names = ["sort_key", "object_id", "published", *[n for n, _ in self.filters]]
        params = ", ".join(["%s"] * len(names))
        if vendor == "sqlite":
            return (
                f"INSERT INTO {self.table} ({', '.join(names)}, title_terms, body_terms, words, "
                f"tags) VALUES ({params}, %s, %s, %s, %s)"
            )
        return (
            f"INSERT INTO {self.table} ({', '.join(names)}, tsv, title_tsv, words_tsv) "
            f"VALUES ({params}, %s::tsvector, %s::tsvector, %s::tsvector)"
        )

    def upsert(self, docs: Iterable[Doc], connection=None) -> int:
        """Replace the entries of these objects (delete then insert)."""
        connection = connection or default_connection
        docs = list(docs)
        if not docs:
            return 0
        self.delete([d.object_id for d in docs], connection=connection)
        return self.bulk_insert(docs, connection=connection)

    def bulk_insert(self, docs: Iterable[Doc], connection=None) -> int:
        """Insert entries for objects not yet in the index (fast path for reindexing)."""
        connection = connection or default_connection
        vendor = connection.vendor
        rows = self._rows(docs, vendor)
        if not rows:
            return 0
        with connection.cursor() as cursor:
            cursor.executemany(self._insert_sql(vendor), rows)
        return len(rows)

    def delete(self, object_ids: Sequence[int], connection=None) -> None:
        connection = connection or default_connection
        ids = [int(i) for i in object_ids]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {self.table} WHERE object_id IN ({marks})", chunk)

    def clear(self, connection=None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            if connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {self.table}_fts({self.table}_fts) VALUES ('rebuild')")

    def optimize(self, connection=None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"INSERT INTO {self.table}_fts({self.table}_fts) VALUES ('optimize')"
                )
                cursor.execute(f"ANALYZE {self.table}")
            elif connection.in_atomic_block:
                cursor.execute(f"ANALYZE {self.table}")
            else:
                # VACUUM sets the visibility map, which index-only scans of the key need.
                cursor.execute(f"VACUUM ANALYZE {self.table}")

    def count(self, connection=None) -> int:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table}")
            return cursor.fetchone()[0]

    # --- reading ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, object] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        now: dt.datetime | None = None,
        connection=None,
    ) -> SearchResult:
        """One page of object ids for query, newest-first or by relevance, and the count."""
        connection = connection or read_connection()
        phrases, error = parse_query(query)
        page = max(1, int(page or 1))
        result = SearchResult([], 0, False, page, per_page, text.normalize(query or ""), error)
        if error:
            return result
        now = now or dt.datetime.now(dt.UTC)
        ceiling = _key_ceiling(now)
        offset = (page - 1) * per_page
        estimated = False
        if connection.vendor == "sqlite":
            self._fts5_tags(filters or {})  # validates the filter names
            with connection.cursor() as cursor:
                total, ids = self._sqlite(
                    cursor, phrases, query, filters or {}, ceiling, sort, offset, per_page
                )
        elif connection.vendor == "postgresql":
            pg_filters = self._pg_filters(filters or {})
            # SET LOCAL (planner hints) needs a transaction.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                total, ids, estimated = self._postgres(
                    cursor, phrases, query, pg_filters, ceiling, sort, offset, per_page
                )
        else:
            raise NotImplementedError(connection.vendor)
        result.total = min(total, COUNT_CAP)
        result.capped = total > COUNT_CAP
        result.estimated = estimated and not result.capped
        result.ids = ids
        return result

    def matching_ids(self, query: str, *, filters=None, now=None, connection=None) -> list[int]:
        """Every matching object id, unranked and uncapped (for checks and exports)."""
        connection = connection or read_connection()
        phrases, error = parse_query(query)
        if error:
            return []
        ceiling = _key_ceiling(now or dt.datetime.now(dt.UTC))
        t = self.table
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"SELECT t.object_id FROM {t}_fts f CROSS JOIN {t} t ON t.sort_key = f.rowid "
                    f"WHERE {t}_fts MATCH %s AND f.rowid <= %s",
                    [
                        "{title_terms body_terms} : ("
                        + _fts5_expr(phrases)
                        + ")"
                        + self._fts5_tags(filters or {}),
                        ceiling,
                    ],
                )
            else:
                tags = self._pg_tags(filters or {})
                cursor.execute(
                    f"SELECT t.object_id FROM {t} t WHERE t.tsv @@ %s::tsquery "
                    "AND t.sort_key <= %s" + (" AND t.tsv @@ %s::tsquery" if tags else ""),
                    [_tsquery(phrases), ceiling, *([tags] if tags else [])],
                )
            return [row[0] for row in cursor.fetchall()]

    def _sqlite(self, cursor, phrases, query, filters, ceiling, sort, offset, limit):
        """FTS5 only: filters are tag tokens in the FTS table, so no join is needed until the
        page's object ids are read."""
        t = self.table
        tags = self._fts5_tags(filters)
        if any(len(p) > 1 and p[-1][1] for p in phrases):
            found = self._sqlite_trailing_prefix(
                cursor, phrases, query, tags, ceiling, sort, offset, limit
            )
            if found is not None:
                return found
        expr = _fts5_expr(phrases)
        match = "{title_terms body_terms} : (" + expr + ")" + tags
        base = f"FROM {t}_fts WHERE {t}_fts MATCH %s AND rowid <= %s"
        # One pass gives the count (up to COUNT_CAP + 1) and, below the cap, every match
        # (FTS5 walks its doclists forwards faster than backwards).
        cursor.execute(f"SELECT rowid {base} LIMIT {COUNT_CAP + 1}", [match, ceiling])
        matches = sorted((r[0] for r in cursor.fetchall()), reverse=True)
        total = len(matches)
        if not matches:
            return 0, []
        if sort != "relevance" or offset + limit > CANDIDATES:
            page = matches[offset : offset + limit]
            if total > COUNT_CAP:
                cursor.execute(
                    f"SELECT rowid {base} ORDER BY rowid DESC LIMIT %s OFFSET %s",
                    [match, ceiling, limit, offset],
                )
                page = [r[0] for r in cursor.fetchall()]
            return total, self._object_ids(cursor, page)
        if total > COUNT_CAP:
            cursor.execute(
                f"SELECT rowid {base} ORDER BY rowid DESC LIMIT {CANDIDATES}", [match, ceiling]
            )
            matches = [r[0] for r in cursor.fetchall()]
        # bm25 needs corpus-wide statistics of each phrase, which FTS5 gathers by running
        # each phrase alone over the whole index: affordable only when each is in few records.
        cheap = total <= BM25_MAX_MATCHES and not any(phrase[-1][1] for phrase in phrases)
        if cheap and (len(phrases) > 1 or tags):
            cheap = all(self._fts5_rare(cursor, phrase) for phrase in phrases)
        keys = matches[:CANDIDATES]
        bm25: dict[int, float] = {}
        if cheap:
            cursor.execute(
                f"SELECT rowid, bm25({t}_fts, 5.0, 1.0, 0.0, 0.0) {base} "
                f"ORDER BY rowid DESC LIMIT {CANDIDATES}",
                [match, ceiling],
            )
            bm25 = dict(cursor.fetchall())
            # Few matches: older records matching in the title join the candidates too. (With
            # many, a title-only scan can cost a full pass over the body matches.)
            cursor.execute(
                f"SELECT rowid {base} ORDER BY rowid DESC LIMIT {TITLE_CANDIDATES}",
                ["title_terms : (" + expr + ")" + tags, ceiling],
            )
            keys = sorted(set(keys) | {row[0] for row in cursor.fetchall()}, reverse=True)
        ranked = self._sqlite_ranked(cursor, keys, phrases, query, bm25, check_body=False)
        return total, [object_id for _, object_id in ranked[offset : offset + limit]]

    def _sqlite_ranked(self, cursor, keys, phrases, query, bm25, *, check_body):
        """[(key, object_id)] of candidate keys (newest first), best first: title hits (every
        phrase in the title), then whole-word hits, then bm25, then the newest. The phrases
        are checked on the stored title streams (short: cheaper than asking FTS5 again); with
        `check_body`, keys whose title and body streams lack a phrase are dropped."""
        t = self.table
        patterns = _phrase_patterns(phrases)
        words = _words_query(query)
        word_keys: set[int] = set()
        if words:
            # Whole-word hits among the candidates' key range (the words column is stored
            # after the long body stream, so FTS5 answers this faster than the table).
            cursor.execute(
                f"SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH %s AND rowid <= %s "
                "AND rowid >= %s LIMIT 2000",
                ["words : (" + " AND ".join(f'"{w}"' for w in words) + ")", keys[0], keys[-1]],
            )
            word_keys = {row[0] for row in cursor.fetchall()}
        body = "body_terms" if check_body else "''"
        marks = ", ".join(["%s"] * len(keys))
        cursor.execute(
            f"SELECT sort_key, object_id, title_terms, {body} FROM {t} WHERE sort_key IN ({marks})",
            keys,
        )
        ranked = []
        for key, object_id, title, body_terms in cursor.fetchall():
            in_title = [bool(p.search(title)) for p in patterns]
            if check_body and not all(
                found or p.search(body_terms) for found, p in zip(in_title, patterns, strict=True)
            ):
                continue
            ranked.append((all(in_title), key in word_keys, -bm25.get(key, 0.0), key, object_id))
        ranked.sort(reverse=True)
        return [(r[3], r[4]) for r in ranked]

    def _sqlite_trailing_prefix(self, cursor, phrases, query, tags, ceiling, sort, offset, limit):
        """A phrase ending in a prefix token (济政办字〔2020〕1234号 may go on as 号文) makes
        FTS5 merge the doclists of every term with that prefix, a pass over much of the index
        for a common character. So match the phrases without their prefix tokens, and when at
        most PHRASE_CHECK_ALL records do, check the whole phrases on their stored token
        streams. None when there are more (the caller then asks FTS5 for the whole query)."""
        t = self.table
        trimmed = [p[:-1] if len(p) > 1 and p[-1][1] else p for p in phrases]
        match = "{title_terms body_terms} : (" + _fts5_expr(trimmed) + ")" + tags
        cursor.execute(
            f"SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH %s AND rowid <= %s "
            f"ORDER BY rowid DESC LIMIT {PHRASE_CHECK_ALL + 1}",
            [match, ceiling],
        )
        keys = [r[0] for r in cursor.fetchall()]
        if len(keys) > PHRASE_CHECK_ALL:
            return None
        if not keys:
            return 0, []
        hits = self._sqlite_ranked(cursor, keys, phrases, query, {}, check_body=True)
        if sort != "relevance":
            hits.sort(reverse=True)  # newest first
        return len(hits), [object_id for _, object_id in hits[offset : offset + limit]]

    def _fts5_rare(self, cursor, phrase) -> bool:
        """Whether the phrase alone is in at most BM25_MAX_MATCHES records (SQLite)."""
        t = self.table
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {t}_fts WHERE {t}_fts MATCH %s "
            f"LIMIT {BM25_MAX_MATCHES + 1})",
            ["{title_terms body_terms} : (" + _fts5_expr([phrase]) + ")"],
        )
        return cursor.fetchone()[0] <= BM25_MAX_MATCHES

    def _fts5_tags(self, filters: Mapping[str, object]) -> str:
        known = dict(self.filters)
        out = []
        for name, value in filters.items():
            if value is None or value == "":
                continue
            if name not in known:
                raise ValueError(f"unknown search filter {name!r}")
            values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
            if not values:
                out.append('tags : "nomatchxx"')
                continue
            out.append("tags : (" + " OR ".join(f'"{_tag(name, v)}"' for v in values) + ")")
        return "".join(f" AND {part}" for part in out)

    def _object_ids(self, cursor, keys: list[int]) -> list[int]:
        if not keys:
            return []
        marks = ", ".join(["%s"] * len(keys))
        cursor.execute(
            f"SELECT sort_key, object_id FROM {self.table} WHERE sort_key IN ({marks})", keys
        )
        by_key = dict(cursor.fetchall())
        return [by_key[k] for k in keys if k in by_key]

    def _pg_filters(self, filters: Mapping[str, object]) -> list[tuple[str, list, list[str]]]:
        """Filters as (column, values, tag lexemes): any value of a filter, all filters."""
        known = dict(self.filters)
        out = []
        for name, value in filters.items():
            if value is None or value == "":
                continue
            if name not in known:
                raise ValueError(f"unknown search filter {name!r}")
            values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
            typed = []
            for v in values:
                try:
                    typed.append(str(v) if known[name] == "text" else int(v))
                except (TypeError, ValueError):
                    continue  # matches nothing, like its tag
            out.append((name, typed, [_tag(name, v) for v in values] or ["nomatch"]))
        return out

    def _pg_columns(self, filters) -> tuple[str, list]:
        """The filters as conditions on the columns (and their parameters), so the planner can
        walk their (column, sort_key) indexes (`=` keeps a single value's index in key order).
        One year is a key range instead: the walk of another filter's index, or of the key,
        then visits only that year's entries."""
        kinds = dict(self.filters)
        sql, params = [], []
        for name, values, _ in filters:
            keys = _year_keys(values[0]) if kinds[name] == "year" and len(values) == 1 else None
            if keys:
                sql.append(" AND t.sort_key >= %s AND t.sort_key < %s")
                params.extend(keys)
            elif len(values) == 1:
                sql.append(f" AND t.{name} = %s")
                params.append(values[0])
            else:
                sql.append(f" AND t.{name} = ANY(%s)")
                params.append(values)
        return "".join(sql), params

    def _pg_tags(self, filters: Mapping[str, object]) -> str:
        """Filters as a tsquery over the tag lexemes stored in tsv (PostgreSQL)."""
        return _tag_query([tags for _, _, tags in self._pg_filters(filters)])

    def _pg_stats(self, cursor) -> tuple[float, dict[str, float]]:
        """(estimated rows, {lexeme: fraction of rows}) from PostgreSQL's statistics of tsv
        (most_common_elems, kept by ANALYZE / autovacuum), cached for STATS_TTL seconds."""
        key = (cursor.db.settings_dict.get("NAME"), self.table)
        cached = _PG_STATS.get(key)
        if cached and time.monotonic() - cached[0] < STATS_TTL:
            return cached[1], cached[2]
        cursor.execute(
            "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname AND s.attname = 'tsv' WHERE c.oid = %s::regclass",
            [self.table],
        )
        reltuples, elems, freqs = cursor.fetchone()
        rows = max(0.0, float(reltuples or 0))  # -1 before the first ANALYZE
        stats = dict(zip(elems or [], freqs or [], strict=False))
        _PG_STATS[key] = (time.monotonic(), rows, stats)
        return rows, stats

    def _postgres(self, cursor, phrases, query, filters, ceiling, sort, offset, limit):
        """GIN answers "which records contain all these tokens" exactly; checking token
        adjacency (a phrase) needs each record's tsvector (one page: 2 µs cached, ~10 µs from
        the OS cache), and GIN's cost grows with the posting lists of the tokens asked for
        (~40 ms for a token in every one of a million records). So, using the table
        statistics of each token:

        - every token frequent (FREQUENT_MIN): walk the newest records by key, which finds
          the candidates at once; if the matches among the newest FREQUENT_SAMPLE records
          extrapolate to FREQUENT_MIN, the count is "10,000+" and nothing else is read;
        - every token common (COMMON_SHARE) and filters set: count and walk the filter
          columns' covering indexes (index-only) and check the tokens on the newest;
        - otherwise ask GIN only for the tokens that are not frequent (a superset when some
          are left out), fetching up to COUNT_CAP + 1 keys in one pass, which gives the count
          and, when it is not capped, every candidate; the full condition (phrase adjacency,
          frequent tokens, filters) is checked on the candidates only — on all of them when
          they are at most COUNT_CAP (by row address, which that pass also returns), so the
          count is exact, else on the newest.

        A year filter is a key range in every pass (see `_pg_columns`).
        """
        t = self.table
        groups = [tags for _, _, tags in filters]
        tags = _tag_query(groups)
        q = _tsquery(phrases)
        full_q = q + (f" & {tags}" if tags else "")
        and_q = _tsquery_and(phrases) + (f" & {tags}" if tags else "")
        cols, col_params = self._pg_columns(filters)
        words = _words_query(query)
        wq = " & ".join(f"'{w}'" for w in words)
        # The columns ranking needs (ts_rank, title hit, whole-word hit); read only for the
        # newest hits and the newest title hits, never for every candidate.
        scan = _PgScan(
            select=(
                "SELECT t.sort_key, t.object_id, ts_rank(t.tsv, q), t.title_tsv @@ q, "
                f"(numnode(wq) > 0 AND t.words_tsv @@ wq) FROM {t} t, "
                "CAST(%s AS tsquery) q, CAST(%s AS tsquery) wq "
            ),
            head=[q, wq],
            cols=cols,
            col_params=col_params,
            ceiling=ceiling,
            full_q=full_q,
        )
        exact_tokens = all(len(p) == 1 for p in phrases)
        scan_limit = CANDIDATES * (1 if exact_tokens else 2)

        table_rows, stats = self._pg_stats(cursor)

        def frequent(token: str) -> bool:
            return stats.get(token, 0.0) * table_rows >= FREQUENT_MIN

        tokens = {tok for phrase in phrases for tok, prefix in phrase if not prefix}
        has_prefix = any(prefix for phrase in phrases for _, prefix in phrase)
        single = [g[0] for g in groups if len(g) == 1]
        share = 1.0  # of the records with every token and tag, were they independent
        for lexeme in tokens | set(single):
            share *= stats.get(lexeme, 0.0)
        if (
            not has_prefix
            and len(single) == len(groups)
            and table_rows >= FREQUENT_MIN
            and share * table_rows >= FREQUENT_MIN
        ):
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                scan.select + "WHERE t.sort_key <= %s AND t.sort_key >= COALESCE((SELECT "
                f"s.sort_key FROM {t} s WHERE s.sort_key <= %s ORDER BY s.sort_key DESC "
                f"OFFSET {FREQUENT_SAMPLE - 1} LIMIT 1), 0) AND t.tsv @@ %s::tsquery "
                f"ORDER BY t.sort_key DESC LIMIT {scan_limit}",
                [*scan.head, ceiling, ceiling, full_q],
            )
            rows = {r[0]: r for r in cursor.fetchall()}
            cursor.execute("SET LOCAL enable_bitmapscan = on")
            cursor.execute("SET LOCAL enable_seqscan = on")
            if len(rows) * table_rows / FREQUENT_SAMPLE >= FREQUENT_MIN:
                hits = sorted(rows, reverse=True)
                ids = self._pg_page(
                    cursor, scan, hits, [], COUNT_CAP + 1, sort, offset, limit, rows=rows
                )
                return COUNT_CAP + 1, ids, False

        # Ask GIN without the tokens found in most records (their posting lists cost the
        # most and narrow the least); they are checked on the candidates.
        def common(token: str) -> bool:
            return frequent(token) and stats.get(token, 0.0) >= COMMON_SHARE

        rare = sorted(tok for tok in tokens if not common(tok))
        if not rare and filters:
            # Every token is in most records, so the filters decide: count and walk the
            # filter columns' (column, sort_key) indexes, which carry the other filter
            # columns (index-only, no tsvector read); the tokens are checked on the newest.
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {t} t WHERE t.sort_key <= %s{cols} "
                f"LIMIT {COUNT_CAP + 1}) s",
                [ceiling, *col_params],
            )
            matched = cursor.fetchone()[0]
            if not matched:
                return 0, [], False
            cursor.execute(
                f"SELECT t.sort_key FROM {t} t WHERE t.sort_key <= %s{cols} "
                f"ORDER BY t.sort_key DESC LIMIT "
                f"{matched if matched <= COUNT_CAP else scan_limit}",
                [ceiling, *col_params],
            )
            keys = [r[0] for r in cursor.fetchall()]
            return self._pg_check(
                cursor, scan, keys, matched, False, scan_limit, sort, offset, limit
            )
        rare_groups = [g for g in groups if len(g) > 1 or not common(g[0])]
        if rare or rare_groups:
            gin_q = " & ".join(
                [*(f"'{tok}'" for tok in rare), *([_tag_query(rare_groups)] if rare_groups else [])]
            )
        else:
            gin_q = and_q
        complete = gin_q == and_q and exact_tokens  # a GIN match is a hit
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # The row addresses too: checking the candidates by address is a direct read of their
        # rows (a lookup by key went through the primary key's index first: ~3 µs more each).
        cursor.execute(
            f"SELECT t.sort_key, t.ctid::text FROM {t} t WHERE t.tsv @@ %s::tsquery "
            f"AND t.sort_key <= %s{cols} LIMIT {COUNT_CAP + 1}",
            [gin_q, ceiling, *col_params],
        )
        tids = dict(cursor.fetchall())
        keys = sorted(tids, reverse=True)
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_indexscan = on")
        matched = len(keys)
        if not matched:
            return 0, [], False
        if matched > COUNT_CAP:
            # Not every key came back: the newest candidates in key order (the planner picks
            # the GIN bitmap or a filter column's index).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT t.sort_key FROM {t} t WHERE t.sort_key <= %s{cols} "
                f"AND t.tsv @@ %s::tsquery ORDER BY t.sort_key DESC LIMIT {scan_limit}",
                [ceiling, *col_params, gin_q],
            )
            keys = [r[0] for r in cursor.fetchall()]
            cursor.execute("SET LOCAL enable_seqscan = on")
        return self._pg_check(
            cursor, scan, keys, matched, complete, scan_limit, sort, offset, limit, tids=tids
        )

    def _pg_check(
        self, cursor, scan, keys, matched, complete, scan_limit, sort, offset, limit, tids=None
    ):
        """(total, page ids, estimated) from candidate keys, newest first, of a superset of
        `matched` records (the matches themselves when `complete`); `tids`: their row
        addresses, when known. The full condition (phrase adjacency, common tokens, filters)
        is checked on every candidate when there are at most COUNT_CAP of them, so the count
        is exact — one tsvector read each, which the table keeps inline (see `create_sql`) —
        else on the newest `scan_limit`, and the count is then "10,000+" or estimated from
        them."""
        if complete:
            hits, titles, total, estimated = keys, [], matched, False
        else:
            checked = keys if matched <= COUNT_CAP else keys[:scan_limit]
            where, found = "t.sort_key = ANY(%s)", checked
            if tids is not None and matched <= COUNT_CAP:
                # By row address (`tids`: key -> ctid, from the same pass as `keys`).
                where, found = "t.ctid = ANY(%s::tid[])", [tids[k] for k in checked]
            # (The condition stays out of WHERE, so the planner cannot take it to the GIN index.)
            cursor.execute(
                f"SELECT t.sort_key, t.title_tsv @@ %s::tsquery, t.tsv @@ %s::tsquery "
                f"FROM {self.table} t WHERE {where}",
                [scan.head[0], scan.full_q, found],
            )
            # A row that a concurrent edit moved since the first pass is left out (until the
            # next search), and whatever took its address is not one of the keys.
            candidates = set(checked)
            hits, titles = _pg_hits(r for r in cursor.fetchall() if r[0] in candidates)
            total, estimated = len(hits), False
            if matched > COUNT_CAP:
                ratio = len(hits) / max(1, len(checked))
                if ratio >= 0.9:
                    total = COUNT_CAP + 1
                else:
                    # Too few hits among the newest candidates to say "10,000+".
                    total, estimated = max(len(hits), round(COUNT_CAP * ratio)), True
        ids = self._pg_page(cursor, scan, hits, titles, total, sort, offset, limit)
        return total, ids, estimated

    def _pg_page(self, cursor, scan, hits, titles, total, sort, offset, limit, rows=None):
        """The page's object ids from the hit keys found so far (newest first; `titles`: those
        matching in the title). By relevance, the newest CANDIDATES hits and the newest
        TITLE_CANDIDATES title hits are ranked (`rows`: their `scan.select` rows when already
        read): title hits first, then whole-word hits, then ts_rank, then the newest."""
        t = self.table
        if sort != "relevance" or offset + limit > CANDIDATES:
            if offset + limit > len(hits) and len(hits) < total:
                cursor.execute(
                    f"SELECT t.sort_key FROM {t} t WHERE t.sort_key <= %s{scan.cols} "
                    "AND t.tsv @@ %s::tsquery ORDER BY t.sort_key DESC LIMIT %s OFFSET %s",
                    [scan.ceiling, *scan.col_params, scan.full_q, limit, offset],
                )
                return self._object_ids(cursor, [r[0] for r in cursor.fetchall()])
            return self._object_ids(cursor, hits[offset : offset + limit])
        if rows is None:
            ranked_keys = sorted(
                set(hits[:CANDIDATES]) | set(titles[:TITLE_CANDIDATES]), reverse=True
            )
            rows = {}
            if ranked_keys:
                cursor.execute(
                    scan.select + "WHERE t.sort_key = ANY(%s)", [*scan.head, ranked_keys]
                )
                rows = {r[0]: r for r in cursor.fetchall()}
        if len(rows) < offset + limit and len(hits) < total:
            cursor.execute(
                scan.select + f"WHERE t.sort_key <= %s{scan.cols} AND t.tsv @@ %s::tsquery "
                f"ORDER BY t.sort_key DESC LIMIT {CANDIDATES}",
                [*scan.head, scan.ceiling, *scan.col_params, scan.full_q],
            )
            for r in cursor.fetchall():
                rows.setdefault(r[0], r)
        ranked = sorted(rows.values(), key=lambda r: (r[3], r[4], r[2], r[0]), reverse=True)
        return [r[1] for r in ranked[offset : offset + limit]]
