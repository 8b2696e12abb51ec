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

The package, one module per concern and per backend:

- ``index``: `SearchIndex`, the API (schema, writes, search), dispatching by database vendor;
- ``documents``: `Doc`, `SearchResult`, the entry key, filter values and tokens of a document;
- ``query``: a query string as phrases of index tokens;
- ``limits``: the bounds (count cap, candidate sets, query size), read at call time;
- ``sqlite.schema`` / ``postgres.schema``: each database's DDL and row encoding;
- ``sqlite.planner`` / ``postgres.planner``: each database's query planner.
"""

from gongkai.core.search.documents import Doc, SearchResult, publication_year, sort_key
from gongkai.core.search.index import SearchIndex
from gongkai.core.search.limits import COUNT_CAP
from gongkai.core.search.postgres.planner import forget_statistics
from gongkai.core.search.postgres.schema import PG_TABLE_OPTIONS, tsvector_literal
from gongkai.core.search.query import parse_query

__all__ = [
    "COUNT_CAP",
    "PG_TABLE_OPTIONS",
    "Doc",
    "SearchIndex",
    "SearchResult",
    "forget_statistics",
    "parse_query",
    "publication_year",
    "sort_key",
    "tsvector_literal",
]
