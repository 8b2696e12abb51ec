"""Full-text search over pre-segmented Chinese text, on SQLite FTS5 and on PostgreSQL.

An app declares one `SearchIndex` (a table name and its filter columns), creates its tables in
a migration (`index.create(schema_editor.connection)`), writes documents with `upsert()` /
`delete()` whenever what is public changes, and queries with `search()`. The index holds only
ids, dates, filter values and token text; the app re-reads the hits through its own
visibility gate, so a stale index entry can never show anything that is not public.

What an entry stores and indexes (issue 18: the index was 5.6× the text it indexes and built
at ~180 records/s; see BENCHMARKS.md):
- ``title`` / ``body``: the text stored once, as `text.index_text` gives it — simplified,
  folded, its runs of word characters joined by single spaces (punctuation gone). A query
  term reduced the same way (its *needle*, `text.query_terms`) occurs in it exactly where
  the term's bigram phrase occurs in `text.char_stream` of the text, so every record whose
  text contains the query string is found, and a document number matches in any bracket form.
- the index tokens (`text.index_terms`): each distinct character bigram of the Chinese and
  digit runs, each run's last character, ASCII words whole, and "#" + each suffix (up to 12
  digits) of a run of digits — without positions. They are never stored: only the
  database's index of which entries hold which token is.
- the vocabulary (indexes with a `vocabulary` only): the words and title word pairs of the
  entries per scope, with the number of entries holding each (the ``_vocab`` table). An
  entry keeps no copy of its terms: deleting it recomputes them from its stored text.

A query asks the index for the entries holding every token of every term (candidates) and
checks the terms whose tokens do not prove them (two or more tokens, or a prefix) on the
candidates' stored text (`instr` / `strpos`): a phrase whose bigrams all occur apart is no
match. A number between other runs of a query (2020 and 1234 of 济政办字〔2020〕1234号) is one
"#" token, so a document number has few candidates although its digit bigrams are in most
records.

Storage:
- SQLite: a plain table (``seq``, key, filter values, stored text) and a contentless FTS5 table
  ``<table>_fts`` (``content=''``, ``detail=none``, one column of tokens and filter tags
  ``#genrexnormative``). A write inserts the rows, then hands FTS5 their tokens (two
  statements of many rows, in one transaction: a view with an INSTEAD OF trigger doing both
  cost twice as much); a delete recomputes them from the stored text and filter values
  (SQLite 3.40 has no ``contentless_delete``), so none is left behind.
- PostgreSQL: a plain table (key, filter values, stored text) with a GIN expression index
  over ``array_to_tsvector(gongkai_search_tokens(title, body))``: the database computes the
  tokens from the stored text (the function gives what `text.index_terms` gives; a test
  compares them), so nothing of them is stored beyond the GIN index. Computing them for a
  row costs far more than reading it, so the planner only ever answers the token
  expression with its index (bitmap scans; ``COST 10000``); rows are checked by `strpos`.
  Rows of up to a page stay in the table (``PG_TABLE_OPTIONS``), so checking a candidate
  reads one page; write entries in key order where you can (a full reindex does), since
  index-only scans of the filter indexes check the visibility map page of each row.
- Partitions (PostgreSQL, an index declared with ``partition_by``, an "int" filter column; the
  catalogue's by government): the table is ``PARTITION BY LIST`` of that column, one partition
  ``<table>_p<value>`` per value, made and attached when its first entry is written (under an
  advisory lock; known ones cached per process), with the parent's indexes under its own names.
  A search or `matching_ids` filtered by one value runs on that partition alone (none: no
  entry); any other runs on the parent, whose token statistics are those of the partitions
  summed. Every statement on the parent is planned over every partition (~20 ms at 157 on the
  loaded 2-core machine, see BENCHMARKS.md), so writes and searches of all values cost that
  more. SQLite keeps one table.
- Filters: tag tokens in FTS5 on SQLite (one index intersection); the filter columns on
  PostgreSQL, whose (column, sort_key) indexes carry the other filter columns.
- A filter of kind ``"year"`` is the publication year in the current time zone (the settings'
  TIME_ZONE), which the index derives from ``published_at`` itself. Since the key begins with
  the publication time, PostgreSQL turns one year into a key range: a filtered count then walks
  exactly the matching entries of another filter's (column, sort_key) index, or of the key,
  instead of a whole year's entries. Changing TIME_ZONE therefore needs a reindex.

A full reindex is `SearchIndex.rebuild(docs)`: one transaction that empties the index, writes
the entries in batches (COPY on PostgreSQL) with the vocabulary counted once for all of them,
and ANALYZEs (VACUUM ANALYZE on PostgreSQL after the commit, when not inside an outer
transaction). On PostgreSQL it empties the table with TRUNCATE, drops the token and filter
indexes and builds them again after the load (one sorted build each, `maintenance_work_mem`
raised for the transaction) instead of inserting every entry's ~300 tokens into the GIN index
one entry at a time (~2.3 ms of CPU an entry): searches and writes of the index wait for the
rebuild's lock until it commits. (A table partitioned by a filter column keeps its indexes,
each partition's named after it: they are maintained entry by entry, ~2.3 ms of CPU an entry.)
On SQLite readers see the old entries until it commits;
writers wait (up to the busy timeout).
A rebuild that fails leaves the old entries. `upsert` / `bulk_insert` keep each entry's GIN
insertion (publishing writes one entry at a time).

The entry key ``sort_key`` is ``(publication epoch seconds << 30) | (object id & (2**30 - 1))``,
so "newest first" is the key order (PostgreSQL's primary key). On SQLite the FTS5 rowid is
``seq``, a dense numbering of the entries in the same order (the table's rowid; the key is a
unique column), so a posting takes one byte and FTS5 walks its rowids backwards and stops
after a page; an entry written between two others takes a number between theirs, and entries
are numbered again where none is free (see ``sqlite.schema``).

Ranking: scoring every match costs seconds for a term found in nearly every record, so
`search(sort="relevance")` scores a bounded candidate set: the newest ``CANDIDATES`` matches
plus, when the matches are few, the newest ``TITLE_CANDIDATES`` matches in the title.
Candidates are ordered by title hit (every term in the stored title), then term frequency
(title occurrences count five times), then date. Pages past the candidate set continue in date
order. Counts are exact up to ``COUNT_CAP`` (10,000) and reported as "10,000+" beyond (on
SQLite the check of the stored text runs on the matches up to the cap in the same statement as
the FTS5 pass). To spare that check of up to 10,001 candidates, a query whose terms need it
(SQLite) or that the table statistics expect to be frequent (PostgreSQL) is first checked on a
sample of the key range (``limits.sample_windows``): ``SAMPLE_WINDOWS`` windows at seeded
random positions, about ``SAMPLE_ROWS`` entries in all, each entry's stored text checked. Every
entry is in a window with the same probability, so each window's hits, scaled, estimate the
matches; the count is "10,000+" only when their mean less ``CONFIDENCE_Z`` standard errors
(their spread over the windows) is above the cap (``limits.over_cap``). A term found only in
recent records falls in few windows and is counted exactly, as is a query near the cap. No
count is ever extrapolated (``SearchResult.estimated`` stays false; the label 「约 N」 exists
only for a count above the cap).

The package, one module per concern and per backend:

- ``index``: `SearchIndex`, the API (schema, writes, search), dispatching by database vendor;
- ``documents``: `Doc`, `SearchResult`, the entry key, filter values and tokens of a document;
- ``query``: a query string as terms (needle, tokens, prefix tokens) and their SQL checks;
- ``limits``: the bounds (count cap, candidate sets, query size), read at call time;
- ``sqlite.schema`` / ``postgres.schema``: each database's DDL and row encoding;
- ``sqlite.planner`` / ``postgres.planner``: each database's query planner.
"""

from gongkai.core.search.documents import Doc, SearchResult, publication_year, sort_key
from gongkai.core.search.index import SearchIndex
from gongkai.core.search.limits import COUNT_CAP
from gongkai.core.search.postgres.planner import forget_statistics
from gongkai.core.search.postgres.schema import PG_TABLE_OPTIONS
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
]
