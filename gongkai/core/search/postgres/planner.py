# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input;
# every value is a query parameter.
"""The PostgreSQL planner: GIN answers "which records contain all these tokens" exactly;
phrase adjacency, common tokens and filters are checked on bounded candidate sets, chosen
with the table statistics of each token (see `search`)."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from gongkai.core.search import limits
from gongkai.core.search.documents import object_ids, tag, year_keys
from gongkai.core.search.postgres.schema import TOKENS
from gongkai.core.search.query import (
    Phrase,
    Term,
    chosen_filters,
    rank_columns,
    text_check,
)

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex

# Parsed filters: (column, typed values, tag lexemes), see `parse_filters`.
PgFilters = list[tuple[str, list[str | int], list[str]]]
# A `_PgScan.select` row: (sort_key, object_id, title hit, term frequency).
RankRow = tuple[Any, ...]
# A query parameter of a filter condition (see `columns`).
SQLParam = str | int | list[str | int]

_PG_STATS: dict[tuple[Hashable, ...], tuple[float, float, dict[str, float]]] = {}
# Per filter column: ({value as text: share of the rows}, share of each other value).
ColumnShares = dict[str, tuple[dict[str, float], float]]
_PG_COLUMN_STATS: dict[tuple[Hashable, ...], tuple[float, ColumnShares]] = {}


def forget_statistics() -> None:
    """Drop the cached PostgreSQL statistics (tests; after a bulk load)."""
    _PG_STATS.clear()
    _PG_COLUMN_STATS.clear()


def _tsquery_and(phrases: Sequence[Phrase]) -> str:
    """Every token of every phrase, ANDed (answered exactly by the GIN index alone)."""
    tokens = {f"'{tok}'" + (":*" if prefix else "") for phrase in phrases for tok, prefix in phrase}
    return " & ".join(sorted(tokens))


def _pg_hits(rows: Iterable[tuple[int, bool, bool]]) -> tuple[list[int], list[int]]:
    """(hit keys, title hit keys), newest first, from checked (key, in title, hit) rows."""
    found = {key: title for key, title, hit in rows if hit}
    hits = sorted(found, reverse=True)
    return hits, [k for k in hits if found[k]]


@dataclass(frozen=True)
class _PgScan:
    """The pieces of one PostgreSQL search: the ranking select and its parameters, the filter
    column conditions and their parameters, the key ceiling, the full condition on a row
    (every term on its stored text: never the token expression, which is computed, not
    stored) and the GIN condition (every token), each with its parameters, and the title
    hit condition; `parts`: the partition column's value of the keys read so far (of a
    partitioned index), so that reading those keys again plans and reads their partitions
    alone (`_in_partitions`)."""

    select: str
    head: list[str]
    cols: str
    col_params: list[SQLParam]
    ceiling: int
    full: str
    full_params: list[str]
    gin: str
    gin_params: list[str]
    title: str
    title_params: list[str]
    parts: dict[int, int] = field(default_factory=dict)


def _full(terms: Sequence[Term]) -> tuple[str, list[str]]:
    """The full condition of a query on the row ``t`` (see `_PgScan`) and its parameters."""
    check, params = text_check(terms, "strpos")
    return check.removeprefix(" AND "), params


def _gin(terms: Sequence[Term]) -> tuple[str, list[str]]:
    """The condition on the GIN index of every token of the query, and its parameters."""
    return f"{TOKENS} @@ %s::tsquery", [_tsquery_and([term.phrase for term in terms])]


def matching_ids(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    filters: Mapping[str, object],
    ceiling: int,
    limit: int | None = None,
) -> list[int]:
    t = index.table
    full, full_params = _full(terms)
    gin, gin_params = _gin(terms)
    cols, col_params = columns(index, parse_filters(index, filters))
    _bitmap_only(cursor)
    try:
        cursor.execute(
            f"SELECT t.object_id FROM {t} t WHERE {gin} AND t.sort_key <= %s{cols} AND {full}"
            + (f" LIMIT {int(limit)}" if limit else ""),
            [*gin_params, ceiling, *col_params, *full_params],
        )
        return [row[0] for row in cursor.fetchall()]
    finally:
        _planner_defaults(cursor)


def search(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    query: str,
    filters: PgFilters,
    ceiling: int,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[int], bool]:
    """See `_search`; the planner settings it changes are restored afterwards."""
    _serial(cursor)
    try:
        return _search(index, cursor, terms, query, filters, ceiling, sort, offset, limit)
    finally:
        _planner_defaults(cursor)


def _search(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    query: str,
    filters: PgFilters,
    ceiling: int,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[int], bool]:
    """GIN answers "which records contain all these tokens" exactly; checking a term on a
    candidate's stored text reads its row (a page: ~10 µs from the OS cache, and PostgreSQL
    15 reads it even to count a bitmap), and GIN's cost grows with the posting lists of the
    tokens asked for (~40 ms for a token in every one of a million records). So, using the
    table statistics of each token:

    - the query expected (rarest token of each term, terms independent) to find at least
      limits.SAMPLE_FROM records: a sample of the key range first (`_sampled_over_cap`); when
      its lower confidence bound is above limits.COUNT_CAP the count is "10,000+" and the page
      comes from walking the newest entries by key;
    - every token common (limits.COMMON_SHARE) and filters set: count and walk the filter
      columns' covering indexes (index-only) and check the tokens on the newest;
    - otherwise ask GIN for the tokens that are not common (a superset when some are left
      out). When a GIN match is a hit (every term one token, all asked for), its keys up to
      limits.COUNT_CAP + 1 are the count; else every candidate, up to limits.CHECK_ALL, is
      checked on its stored text in the same pass, which gives the exact count and every
      hit. Past the cap the newest hits come from walking the newest entries by key when they
      are dense (`_walk_newest`), else from GIN in key order.

    A year filter is a key range in every pass (see `_pg_columns`).
    """
    t = index.table
    phrases = [term.phrase for term in terms]
    and_q = _tsquery_and(phrases)
    full, full_params = _full(terms)
    gin, gin_params = _gin(terms)
    cols, col_params = columns(index, filters)
    # The columns ranking needs (title hit, term frequency); read only for
    # the newest hits and the newest title hits, never for every candidate.
    rank, rank_params = rank_columns(index, terms, query, "strpos")
    scan = _PgScan(
        select=f"SELECT t.sort_key, t.object_id, {rank} FROM {t} t ",
        head=rank_params,
        cols=cols,
        col_params=col_params,
        ceiling=ceiling,
        full=full,
        full_params=full_params,
        gin=gin,
        gin_params=gin_params,
        title="(" + " AND ".join("strpos(t.title, %s) > 0" for _ in terms) + ")",
        title_params=[term.needle for term in terms],
    )
    # The partition column, read with the keys of a partitioned index (`_keys`).
    part = f", t.{index.partition_by}" if index.partition_by else ""
    exact_tokens = all(term.exact for term in terms)
    scan_limit = limits.CANDIDATES * (1 if exact_tokens else 2)

    table_rows, stats = statistics(index, cursor)

    def frequent(token: str) -> bool:
        return stats.get(token, 0.0) * table_rows >= limits.COUNT_CAP

    has_prefix = any(prefix for phrase in phrases for _, prefix in phrase)
    # The matches expected from the statistics: a term is in at most as many records as its
    # rarest token (the tokens of one word go together), terms independent of each other.
    # (`hit_share`: of the entries the filters leave, the share expected to match.)
    hit_share = 1.0
    for term in terms:
        hit_share *= min((stats.get(tok, 0.0) for tok in term.tokens), default=0.0)
    expected = table_rows * filter_share(index, cursor, filters) * hit_share

    # Ask GIN without the tokens found in most records (their posting lists cost the
    # most and narrow the least); they are checked on the candidates.
    def common(token: str) -> bool:
        return frequent(token) and stats.get(token, 0.0) >= limits.COMMON_SHARE

    rare = _gin_tokens(terms, stats, table_rows, common)
    if not has_prefix and expected >= limits.SAMPLE_FROM:
        # Likely more than the cap: a sample of the key range decides first.
        # (The entries its filters other than a key range leave, which the sample walks.)
        filtered = table_rows * filter_share(index, cursor, filters, ranges=False)
        sample = None
        if rare and hit_share * limits.SAMPLE_ROWS < limits.SAMPLE_WALK_HITS:
            # The sample reads only the entries having the rarest token: GIN is asked for
            # that one alone, so that PostgreSQL estimates its entries by its statistics and
            # ANDs them with the windows' key ranges (for several tokens it estimates a few
            # rows and reads every candidate, the ranges a filter on them).
            rarest = min(rare, key=lambda tok: stats.get(tok, 0.0))
            sample = (filtered * stats.get(rarest, 0.0), f"'{rarest}'")
        newest = _sampled_over_cap(index, cursor, scan, terms, filtered, sample)
        if newest is not None:
            hits = sorted(newest, reverse=True)
            ids = page_ids(
                index,
                cursor,
                scan,
                hits,
                [],
                limits.COUNT_CAP + 1,
                sort,
                offset,
                limit,
                rows=newest,
            )
            return limits.COUNT_CAP + 1, ids, False

    if not rare and filters:
        # Every token is in most records, so the filters decide: count and walk the
        # filter columns' (column, sort_key) indexes, which carry the other filter
        # columns (index-only, no tsvector read); the tokens are checked on the newest.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {t} t WHERE t.sort_key <= %s{cols} "
            f"LIMIT {limits.COUNT_CAP + 1}) s",
            [ceiling, *col_params],
        )
        matched: int = cursor.fetchone()[0]
        if not matched:
            return 0, [], False
        cursor.execute(
            f"SELECT t.sort_key{part} FROM {t} t WHERE t.sort_key <= %s{cols} "
            f"ORDER BY t.sort_key DESC LIMIT "
            f"{matched if matched <= limits.COUNT_CAP else scan_limit}",
            [ceiling, *col_params],
        )
        keys = _keys(scan, cursor.fetchall())
        _bitmap_only(cursor)
        return check(index, cursor, scan, keys, matched, False, scan_limit, sort, offset, limit)
    gin_q = " & ".join(f"'{tok}'" for tok in rare) if rare else and_q
    complete = gin_q == and_q and exact_tokens  # a GIN match is a hit
    # From here on the token expression is only ever answered by its GIN index (computing
    # it for a row costs far more than reading the row).
    _bitmap_only(cursor)
    if not complete:
        # Every candidate checked on its stored text in one pass, which gives the exact count
        # (up to the cap) and every hit, when GIN gives fewer than limits.CHECK_ALL of them.
        cursor.execute(
            f"SELECT t.sort_key, {scan.title}, {scan.full}{part} FROM {t} t WHERE {TOKENS} @@ "
            f"%s::tsquery AND t.sort_key <= %s{cols} LIMIT {limits.CHECK_ALL}",
            [*scan.title_params, *full_params, gin_q, ceiling, *col_params],
        )
        rows = cursor.fetchall()
        _keys(scan, [(r[0], *r[3:]) for r in rows])
        checked = [r[:3] for r in rows]
        if len(checked) < limits.CHECK_ALL:
            hits, titles = _pg_hits(checked)
            total = min(len(hits), limits.COUNT_CAP + 1)
            if not total:
                return 0, [], False
            return (
                total,
                page_ids(index, cursor, scan, hits, titles, total, sort, offset, limit),
                False,
            )
    # The row addresses too: checking the candidates by address is a direct read of their
    # rows (a lookup by key went through the primary key's index first: ~3 µs more each).
    # (Of a partitioned table: the partition's name too, since a row address is per table.)
    address = "t.tableoid::regclass::text || ' ' || " if index.partition_by else ""
    cursor.execute(
        f"SELECT t.sort_key, {address}t.ctid::text{part} FROM {t} t WHERE {TOKENS} @@ "
        f"%s::tsquery AND t.sort_key <= %s{cols} LIMIT {limits.COUNT_CAP + 1}",
        [gin_q, ceiling, *col_params],
    )
    found = cursor.fetchall()
    _keys(scan, [(r[0], *r[2:]) for r in found])
    tids: dict[int, str] = {r[0]: r[1] for r in found}
    keys = sorted(tids, reverse=True)
    matched = len(keys)
    if not matched:
        return 0, [], False
    if matched > limits.COUNT_CAP:
        # Not every key came back. The newest hits by walking the newest entries, when they
        # are dense enough (sorting every candidate by key reads each one's page).
        newest = _walk_newest(index, cursor, scan)
        if len(newest) >= limits.CANDIDATES:
            total = matched if complete else _count_hits(index, cursor, scan)
            hits = sorted(newest, reverse=True)
            ids = page_ids(index, cursor, scan, hits, [], total, sort, offset, limit, rows=newest)
            return total, ids, False
        # Else the newest candidates in key order.
        cursor.execute(
            f"SELECT t.sort_key{part} FROM {t} t WHERE t.sort_key <= %s{cols} "
            f"AND {TOKENS} @@ %s::tsquery ORDER BY t.sort_key DESC LIMIT {scan_limit}",
            [ceiling, *col_params, gin_q],
        )
        keys = _keys(scan, cursor.fetchall())
    return check(
        index, cursor, scan, keys, matched, complete, scan_limit, sort, offset, limit, tids=tids
    )


def _gin_tokens(
    terms: Sequence[Term],
    stats: Mapping[str, float],
    table_rows: float,
    common: Callable[[str], bool],
) -> list[str]:
    """The tokens to ask GIN for, by the statistics: every token but the common ones — or,
    when each term's rarest token (terms independent of each other) already expects at most
    limits.GIN_ENOUGH candidates, only those and the tokens with at most limits.GIN_CHEAP
    entries. A term's other tokens mostly come with its rarest (the bigrams of one word:
    乡村振兴's 乡村, 村振, 振兴), so they narrow little, while GIN reads every entry of each
    token it is asked for (资金, in 74 % of a million records, cost 60 ms of the 73 ms of
    乡村振兴 专项资金's candidates); the candidates are checked on their stored text anyway."""
    every = sorted({tok for term in terms for tok in term.tokens if not common(tok)})
    chosen: set[str] = set()
    expected = table_rows
    for term in terms:
        tokens = [tok for tok in term.tokens if not common(tok)]
        if not tokens:
            continue
        rarest = min(tokens, key=lambda tok: stats.get(tok, 0.0))
        expected *= stats.get(rarest, 0.0)
        chosen.add(rarest)
        chosen.update(tok for tok in tokens if stats.get(tok, 0.0) * table_rows <= limits.GIN_CHEAP)
    return sorted(chosen) if expected <= limits.GIN_ENOUGH else every


def _sampled_over_cap(
    index: SearchIndex,
    cursor: CursorWrapper,
    scan: _PgScan,
    terms: Sequence[Term],
    table_rows: float,
    candidates: tuple[float, str] | None = None,
) -> dict[int, RankRow] | None:
    """The newest hits (`scan.select` rows by key, up to limits.CANDIDATES) when a sample of the key
    range proves more than limits.COUNT_CAP matches (`limits.sample_windows`,
    `limits.over_cap`: each window's entries walked by key and checked on the stored text),
    else None. `table_rows`: the entries the filters other than a key range leave (so a
    selective filter widens the windows to hold about limits.SAMPLE_ROWS of its entries). The newest hits come from walking at most limits.WALK_ROWS of the newest
    entries by key; page_ids asks GIN for more when they are too few for the page.

    With `candidates` (the GIN candidates expected over those entries, and the tsquery of
    the tokens GIN is asked for), the windows hold about limits.SAMPLE_ROWS candidates and
    only those are read: one statement, GIN's bitmap ANDed with the windows' key ranges,
    each candidate checked on its stored text. A term in 2 % of a million records (20,000
    matches) gave 40 hits in a sample of 2,000 entries, too few to conclude, and every
    candidate was checked (234 ms); 2,000 of its candidates read this way prove "10,000+"."""
    t = index.table
    oldest, newest, first, last = _key_range(index, cursor, scan)
    if oldest is None:
        return None
    share = (newest - oldest + 1) / max(1, last - first + 1)
    rows = (candidates[0] if candidates else table_rows) * share
    windows = limits.sample_windows(
        "\x1f".join(term.needle for term in terms), oldest, newest, rows
    )
    if not windows:
        return None
    if candidates:
        return _sampled_candidates(index, cursor, scan, candidates[1], windows, oldest, newest)
    cursor.execute("SET LOCAL enable_bitmapscan = off")
    hits: list[int] = []
    quarter = max(1, len(windows) // 4)
    for part in (windows[:quarter], windows[quarter:]):
        # A count per window, its entries walked by key and checked on the stored text; a
        # quarter of the windows first, which usually tells a query far below the cap.
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {t} t WHERE t.sort_key >= w.lo AND "
            f"t.sort_key <= least(w.hi, %s){scan.cols} AND {scan.full}) FROM "
            "unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS w(lo, hi, i) ORDER BY w.i",
            [
                scan.ceiling,
                *scan.col_params,
                *scan.full_params,
                [w[0] for w in part],
                [w[1] for w in part],
            ],
        )
        hits += [r[0] for r in cursor.fetchall()]
        if limits.unlikely_over_cap(hits, windows, oldest, newest):
            break
    if not limits.over_cap(hits, windows, oldest, newest):
        cursor.execute("SET LOCAL enable_bitmapscan = on")
        return None
    return _walk_newest(index, cursor, scan)


def _sampled_candidates(
    index: SearchIndex,
    cursor: CursorWrapper,
    scan: _PgScan,
    gin_q: str,
    windows: Sequence[tuple[int, int]],
    oldest: int,
    newest: int,
) -> dict[int, RankRow] | None:
    """`_sampled_over_cap` on the GIN candidates in the windows (at most
    limits.SAMPLE_CANDIDATES_MAX read: past that the statistics were far off, and the query
    is counted instead)."""
    ranges = " OR ".join(["t.sort_key BETWEEN %s AND %s"] * len(windows))
    _bitmap_only(cursor)
    cursor.execute(
        f"SELECT t.sort_key, {scan.full} FROM {index.table} t WHERE {TOKENS} @@ %s::tsquery "
        f"AND t.sort_key <= %s{scan.cols} AND ({ranges}) LIMIT {limits.SAMPLE_CANDIDATES_MAX}",
        [
            *scan.full_params,
            gin_q,
            scan.ceiling,
            *scan.col_params,
            *(key for window in windows for key in window),
        ],
    )
    found = cursor.fetchall()
    if len(found) >= limits.SAMPLE_CANDIDATES_MAX:
        return None
    keys = sorted(key for key, hit in found if hit)
    hits = [bisect.bisect_right(keys, hi) - bisect.bisect_left(keys, lo) for lo, hi in windows]
    if not limits.over_cap(hits, windows, oldest, newest):
        return None
    return _walk_newest(index, cursor, scan)


def _key_range(
    index: SearchIndex, cursor: CursorWrapper, scan: _PgScan
) -> tuple[Any, Any, Any, Any]:
    """The ends of the key range, the filtered one (up to the ceiling) and the table's: one
    end of an index each. Unfiltered, the table's ends are the range's unless past the
    ceiling (each end a statement planned over every partition of a partitioned index:
    asking for two ends instead of four halves it)."""
    t = index.table
    if scan.cols:
        cursor.execute(
            f"SELECT (SELECT min(t.sort_key) FROM {t} t WHERE t.sort_key <= %s{scan.cols}), "
            f"(SELECT max(t.sort_key) FROM {t} t WHERE t.sort_key <= %s{scan.cols}), "
            f"(SELECT min(sort_key) FROM {t}), (SELECT max(sort_key) FROM {t})",
            [scan.ceiling, *scan.col_params, scan.ceiling, *scan.col_params],
        )
        oldest, newest, first, last = cursor.fetchone()
        return oldest, newest, first, last
    cursor.execute(f"SELECT (SELECT min(sort_key) FROM {t}), (SELECT max(sort_key) FROM {t})")
    first, last = cursor.fetchone()
    if first is None or first > scan.ceiling:
        return None, None, first, last
    if last > scan.ceiling:  # entries published in the future
        cursor.execute(f"SELECT max(t.sort_key) FROM {t} t WHERE t.sort_key <= %s", [scan.ceiling])
        return first, cursor.fetchone()[0], first, last
    return first, last, first, last


def _walk_newest(index: SearchIndex, cursor: CursorWrapper, scan: _PgScan) -> dict[int, RankRow]:
    """The newest hits (`scan.select` rows by key, up to limits.CANDIDATES) among the newest
    limits.WALK_ROWS entries, walked by key and checked on their stored text. Leaves the
    planner to bitmap scans (`_bitmap_only`)."""
    t = index.table
    cursor.execute("SET LOCAL enable_indexscan = on")
    cursor.execute("SET LOCAL enable_bitmapscan = off")
    cursor.execute(
        scan.select.replace(
            f"FROM {t} t ",
            f"FROM (SELECT * FROM {t} t WHERE t.sort_key <= %s{scan.cols} "
            f"ORDER BY t.sort_key DESC LIMIT {limits.WALK_ROWS}) t ",
        )
        + f"WHERE {scan.full} ORDER BY t.sort_key DESC LIMIT {limits.CANDIDATES}",
        [*scan.head, scan.ceiling, *scan.col_params, *scan.full_params],
    )
    found = {r[0]: r for r in cursor.fetchall()}
    cursor.execute("SET LOCAL enable_bitmapscan = on")
    _bitmap_only(cursor)
    return found


def _count_hits(index: SearchIndex, cursor: CursorWrapper, scan: _PgScan) -> int:
    """The hits up to limits.COUNT_CAP + 1, counted on the GIN candidates' stored text."""
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {index.table} t WHERE t.sort_key <= %s"
        f"{scan.cols} AND {scan.gin} AND {scan.full} LIMIT {limits.COUNT_CAP + 1}) s",
        [scan.ceiling, *scan.col_params, *scan.gin_params, *scan.full_params],
    )
    count: int = cursor.fetchone()[0]
    return count


def check(
    index: SearchIndex,
    cursor: CursorWrapper,
    scan: _PgScan,
    keys: list[int],
    matched: int,
    complete: bool,
    scan_limit: int,
    sort: str,
    offset: int,
    limit: int,
    tids: Mapping[int, str] | None = None,
) -> tuple[int, list[int], bool]:
    """(total, page ids, estimated) from candidate keys, newest first, of a superset of
    `matched` records (the matches themselves when `complete`); `tids`: their row
    addresses, when known. The full condition (phrase adjacency, common tokens, filters)
    is checked on every candidate when there are at most limits.COUNT_CAP of them, so the count
    is exact — one row read each, by its address, the stored text inline in the row — else on
    the newest `scan_limit`, and the hits are then counted up to the cap."""
    if complete:
        titles: list[int]
        hits, titles, total, estimated = keys, [], matched, False
    else:
        checked = keys if matched <= limits.COUNT_CAP else keys[:scan_limit]
        within, within_params = _in_partitions(index, scan, checked)
        where = f"t.sort_key = ANY(%s){within}"
        tables: dict[str, list[int] | list[str]] = {index.table: checked}
        if tids is not None and matched <= limits.COUNT_CAP:
            # By row address (`tids`: key -> ctid, from the same pass as `keys`; of a
            # partitioned table "partition ctid", each partition read for its own rows).
            where, by_table = "t.ctid = ANY(%s::tid[])", dict[str, list[str]]()
            within_params = []
            for k in checked:
                table, _, ctid = tids[k].rpartition(" ")
                by_table.setdefault(table or index.table, []).append(ctid)
            tables = dict(by_table)
        # (The condition stays out of WHERE, so the planner cannot take it to the GIN index.)
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT t.sort_key, {scan.title}, {scan.full} FROM {table} t WHERE {where}"
                for table in tables
            ),
            [
                param
                for addresses in tables.values()
                for param in (*scan.title_params, *scan.full_params, addresses, *within_params)
            ],
        )
        # A row that a concurrent edit moved since the first pass is left out (until the
        # next search), and whatever took its address is not one of the keys.
        candidates = set(checked)
        hits, titles = _pg_hits(r for r in cursor.fetchall() if r[0] in candidates)
        total, estimated = len(hits), False
        if matched > limits.COUNT_CAP:
            # More than COUNT_CAP candidates: count the hits, stopping past the cap. A count
            # is exact up to COUNT_CAP or "10,000+", never extrapolated from the newest
            # candidates (that showed 「约 3,750」 for 9,852).
            total = max(len(hits), _count_hits(index, cursor, scan))
    ids = page_ids(index, cursor, scan, hits, titles, total, sort, offset, limit)
    return total, ids, estimated


def page_ids(
    index: SearchIndex,
    cursor: CursorWrapper,
    scan: _PgScan,
    hits: list[int],
    titles: list[int],
    total: int,
    sort: str,
    offset: int,
    limit: int,
    rows: dict[int, RankRow] | None = None,
) -> list[int]:
    """The page's object ids from the hit keys found so far (newest first; `titles`: those
    matching in the title). By relevance, the newest limits.CANDIDATES hits and the newest
    limits.TITLE_CANDIDATES title hits are ranked (`rows`: their `scan.select` rows when already
    read): title hits first, then term frequency, then the newest."""
    t = index.table
    if sort != "relevance" or offset + limit > limits.CANDIDATES:
        if offset + limit > len(hits) and len(hits) < total:
            cursor.execute(
                f"SELECT t.sort_key FROM {t} t WHERE t.sort_key <= %s{scan.cols} "
                f"AND {scan.gin} AND {scan.full} ORDER BY t.sort_key DESC LIMIT %s OFFSET %s",
                [
                    scan.ceiling,
                    *scan.col_params,
                    *scan.gin_params,
                    *scan.full_params,
                    limit,
                    offset,
                ],
            )
            return object_ids(index, cursor, [r[0] for r in cursor.fetchall()])
        return _object_ids(index, cursor, scan, hits[offset : offset + limit])
    if rows is None:
        ranked_keys = sorted(
            set(hits[: limits.CANDIDATES]) | set(titles[: limits.TITLE_CANDIDATES]), reverse=True
        )
        rows = {}
        if ranked_keys:
            within, params = _in_partitions(index, scan, ranked_keys)
            cursor.execute(
                scan.select + f"WHERE t.sort_key = ANY(%s){within}",
                [*scan.head, ranked_keys, *params],
            )
            rows = {r[0]: r for r in cursor.fetchall()}
    if len(rows) < offset + limit and len(hits) < total:
        cursor.execute(
            scan.select + f"WHERE t.sort_key <= %s{scan.cols} AND {scan.gin} AND {scan.full} "
            f"ORDER BY t.sort_key DESC LIMIT {limits.CANDIDATES}",
            [*scan.head, scan.ceiling, *scan.col_params, *scan.gin_params, *scan.full_params],
        )
        for r in cursor.fetchall():
            rows.setdefault(r[0], r)
    ranked = sorted(rows.values(), key=lambda r: (bool(r[2]), r[3], r[0]), reverse=True)
    return [r[1] for r in ranked[offset : offset + limit]]


def _keys(scan: _PgScan, rows: Iterable[tuple[Any, ...]]) -> list[int]:
    """The keys of (key[, partition value]) rows, remembering their partitions in `scan`."""
    keys = []
    for row in rows:
        keys.append(row[0])
        if len(row) > 1:
            scan.parts[row[0]] = row[1]
    return keys


def _in_partitions(index: SearchIndex, scan: _PgScan, keys: list[int]) -> tuple[str, list[Any]]:
    """A condition keeping a lookup of these keys on their partitions, when each one's is
    known (a statement over a partitioned index is planned over every partition it may read:
    over all 157, planning a lookup of a page of keys costs ~2 ms and reading it probes every
    partition's key index for every key; over the few holding them, a fraction), else none."""
    if not index.partition_by or not keys or any(k not in scan.parts for k in keys):
        return "", []
    return f" AND t.{index.partition_by} = ANY(%s)", [sorted({scan.parts[k] for k in keys})]


def _object_ids(
    index: SearchIndex, cursor: CursorWrapper, scan: _PgScan, keys: list[int]
) -> list[int]:
    """`documents.object_ids` of a page of keys, on their partitions alone when known."""
    within, params = _in_partitions(index, scan, keys)
    if not within:
        return object_ids(index, cursor, keys)
    cursor.execute(
        f"SELECT t.sort_key, t.object_id FROM {index.table} t WHERE t.sort_key = ANY(%s)" + within,
        [keys, *params],
    )
    by_key = dict(cursor.fetchall())
    return [by_key[k] for k in keys if k in by_key]


def parse_filters(index: SearchIndex, filters: Mapping[str, object]) -> PgFilters:
    """Filters as (column, values, tag lexemes): any value of a filter, all filters."""
    out = []
    for name, kind, values in chosen_filters(index, filters):
        typed: list[str | int] = []
        for v in values:
            try:
                # A filter value is any object; one int() refuses matches nothing (below).
                typed.append(str(v) if kind == "text" else int(v))  # type: ignore[call-overload]
            except (TypeError, ValueError):
                continue  # matches nothing, like its tag
        out.append((name, typed, [tag(name, v) for v in values] or ["nomatch"]))
    return out


def columns(index: SearchIndex, filters: PgFilters) -> tuple[str, list[SQLParam]]:
    """The filters as conditions on the columns (and their parameters), so the planner can
    walk their (column, sort_key) indexes (`=` keeps a single value's index in key order).
    One year is a key range instead: the walk of another filter's index, or of the key,
    then visits only that year's entries."""
    kinds = dict(index.filters)
    sql: list[str] = []
    params: list[SQLParam] = []
    for name, values, _ in filters:
        # A "year" column's values are ints (`parse_filters`).
        keys = (
            year_keys(cast(int, values[0])) if kinds[name] == "year" and len(values) == 1 else None
        )
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


def _planner_defaults(cursor: CursorWrapper) -> None:
    for setting in ("seqscan", "indexscan", "bitmapscan"):
        cursor.execute(f"SET LOCAL enable_{setting} = on")
    cursor.execute("RESET jit")
    cursor.execute("RESET max_parallel_workers_per_gather")
    cursor.execute("RESET work_mem")


def _bitmap_only(cursor: CursorWrapper) -> None:
    """Plan the rest of the transaction with bitmap scans (or index-only scans) only: never
    a walk that computes the token expression row by row; and `_serial`: without JIT or
    parallel workers, since
    the token expression's cost (COST 10000) made PostgreSQL compile the plan (2 s of JIT
    for a 30 ms GIN pass over 157 partitions) and start workers for what one reads faster."""
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_indexscan = off")
    _serial(cursor)


def _serial(cursor: CursorWrapper) -> None:
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    # A frequent token's bitmap must stay exact: a lossy one (over work_mem, 4MB by default:
    # ~300,000 entries) makes PostgreSQL recheck every row of its lossy pages, computing the
    # token expression for each (~0.25 ms): at 1,000,000 records 公开 + a genre + a year took
    # 2.5 s that way and 0.18 s with an exact bitmap (which needs ~24MB there). Only a bitmap
    # that large uses the memory.
    cursor.execute(f"SET LOCAL work_mem = '{limits.SEARCH_WORK_MEM}'")


def filter_share(
    index: SearchIndex, cursor: CursorWrapper, filters: PgFilters, ranges: bool = True
) -> float:
    """The share of the entries these filters leave, from PostgreSQL's statistics of their
    columns (most common values, distinct values), filters independent of each other; a
    column without statistics leaves every entry. Without `ranges`, a filter that `columns`
    makes a key range (one year) is left out."""
    kinds = dict(index.filters)
    shares = _column_statistics(index, cursor)
    share = 1.0
    for name, values, _ in filters:
        if not ranges and kinds[name] == "year" and len(values) == 1:
            continue
        if name in shares:
            common, other = shares[name]
            share *= min(1.0, sum(common.get(str(v), other) for v in values))
    return share


def _column_statistics(index: SearchIndex, cursor: CursorWrapper) -> ColumnShares:
    """`ColumnShares` of the filter columns (of a partitioned table: over all its partitions,
    which ANALYZE of the parent keeps), cached for limits.STATS_TTL seconds."""
    key: tuple[Hashable, ...] = (cursor.db.settings_dict.get("NAME"), index.table)
    cached = _PG_COLUMN_STATS.get(key)
    if cached and time.monotonic() - cached[0] < limits.STATS_TTL:
        return cached[1]
    table_rows = statistics(index, cursor)[0]
    cursor.execute(
        "SELECT s.attname, s.most_common_vals::text::text[], s.most_common_freqs, "
        "s.n_distinct, s.null_frac FROM pg_stats s "
        "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = ANY(%s)",
        [index.table, [name for name, _ in index.filters]],
    )
    shares: ColumnShares = {}
    for name, values, freqs, n_distinct, null_frac in cursor.fetchall():
        common = dict(zip(values or [], freqs or [], strict=False))
        # n_distinct < 0: minus the distinct values' share of the rows.
        distinct = -n_distinct * table_rows if n_distinct < 0 else n_distinct
        rest = max(0.0, 1.0 - (null_frac or 0.0) - sum(common.values()))
        shares[name] = (common, rest / max(1.0, distinct - len(common)))
    _PG_COLUMN_STATS[key] = (time.monotonic(), shares)
    return shares


def statistics(index: SearchIndex, cursor: CursorWrapper) -> tuple[float, dict[str, float]]:
    """(estimated rows, {lexeme: fraction of rows}) from PostgreSQL's statistics of tsv
    (most_common_elems, kept by ANALYZE / autovacuum), cached for limits.STATS_TTL seconds."""
    key: tuple[Hashable, ...] = (cursor.db.settings_dict.get("NAME"), index.table)
    cached = _PG_STATS.get(key)
    if cached and time.monotonic() - cached[0] < limits.STATS_TTL:
        return cached[1], cached[2]
    # Of each leaf of the tsv index (the index itself, or each partition's of a partitioned
    # table, whose own has no statistics), weighted by its table's rows.
    cursor.execute(
        "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
        "FROM (SELECT %s::regclass AS relid UNION SELECT relid FROM pg_partition_tree(%s)) p "
        "JOIN pg_index i ON i.indexrelid = p.relid JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_class x ON x.oid = p.relid AND x.relkind = 'i' "
        "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = x.relname",
        [f"{index.table}_tsv"] * 2,
    )
    rows = 0.0
    stats: dict[str, float] = {}
    for reltuples, elems, freqs in cursor.fetchall():
        leaf_rows = max(0.0, float(reltuples or 0))  # -1 before the first ANALYZE
        rows += leaf_rows
        for elem, freq in zip(elems or [], freqs or [], strict=False):
            stats[elem] = stats.get(elem, 0.0) + freq * leaf_rows
    stats = {elem: weighted / rows for elem, weighted in stats.items()} if rows else {}
    _PG_STATS[key] = (time.monotonic(), rows, stats)
    return rows, stats
