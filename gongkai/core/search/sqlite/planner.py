# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input;
# every value is a query parameter.
"""The SQLite planner: the contentless FTS5 table gives the entries holding every token of
the query and its filter tags (candidates, newest first by rowid: an entry's ``seq``, which
numbers the entries in key order, see `schema`); the terms those tokens do
not prove are checked on the candidates' stored text (`instr`) in the same statement, so a
count is exact up to limits.COUNT_CAP — or "10,000+" when a sample of the key range proves
more (`over_cap`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gongkai.core.search import documents, limits
from gongkai.core.search.documents import tag
from gongkai.core.search.query import (
    Term,
    chosen_filters,
    index_query,
    rank_columns,
    text_check,
)
from gongkai.core.search.sqlite.schema import fts5_tag

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex


def fts5_expr(tokens: Sequence[str], prefixes: Sequence[str]) -> str:
    return " AND ".join([*(f'"{tok}"' for tok in tokens), *(f'"{p}" *' for p in prefixes)])


def _base(
    index: SearchIndex, terms: Sequence[Term], filters: Mapping[str, object], ceiling: int
) -> tuple[str, list[str | int]]:
    """FROM … WHERE of the matches (``f.rowid`` their keys) and its parameters."""
    t = index.table
    tokens, prefixes, checks = index_query(terms)
    match = fts5_expr(tokens, prefixes) + fts5_tags(index, filters)
    check, params = text_check(checks, "instr")
    join = f" CROSS JOIN {t} t ON t.seq = f.rowid" if checks else ""
    return (
        f"FROM {t}_fts f{join} WHERE {t}_fts MATCH %s AND f.rowid <= %s{check}",
        [match, ceiling, *params],
    )


def seq_ceiling(index: SearchIndex, cursor: CursorWrapper, ceiling: int) -> int:
    """The key ceiling (`documents.key_ceiling`) as a ceiling of ``seq``: the seq of the
    newest entry whose key is at most `ceiling` (0 when none is)."""
    cursor.execute(
        f"SELECT seq FROM {index.table} WHERE sort_key <= %s ORDER BY sort_key DESC LIMIT 1",
        [ceiling],
    )
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def object_ids(index: SearchIndex, cursor: CursorWrapper, seqs: list[int]) -> list[int]:
    return documents.object_ids(index, cursor, seqs, key="seq")


def matching_ids(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    filters: Mapping[str, object],
    ceiling: int,
    limit: int | None = None,
) -> list[int]:
    ceiling = seq_ceiling(index, cursor, ceiling)
    base, params = _base(index, terms, filters, ceiling)
    cursor.execute(f"SELECT f.rowid {base}" + (f" LIMIT {int(limit)}" if limit else ""), params)
    return object_ids(index, cursor, [row[0] for row in cursor.fetchall()])


def search(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    query: str,
    filters: Mapping[str, object],
    ceiling: int,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[int]]:
    """One forward pass gives the count (up to limits.COUNT_CAP + 1) and, below the cap,
    every match (FTS5 walks its doclists forwards faster than backwards). `ceiling` is a
    key ceiling; the statements compare seqs (`seq_ceiling`)."""
    ceiling = seq_ceiling(index, cursor, ceiling)
    base, params = _base(index, terms, filters, ceiling)
    if (
        index_query(terms)[2]
        and not chosen_filters(index, filters)
        and over_cap(index, cursor, terms, ceiling)
    ):
        if sort != "relevance" or offset + limit > limits.CANDIDATES:
            cursor.execute(
                f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return limits.COUNT_CAP + 1, object_ids(index, cursor, [r[0] for r in cursor])
        cursor.execute(
            f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT {limits.CANDIDATES}", params
        )
        newest = [r[0] for r in cursor.fetchall()]
        ranked = rank_candidates(index, cursor, newest, terms, query)
        return limits.COUNT_CAP + 1, [oid for _, oid in ranked[offset : offset + limit]]
    cursor.execute(f"SELECT f.rowid {base} LIMIT {limits.COUNT_CAP + 1}", params)
    matches = sorted((r[0] for r in cursor.fetchall()), reverse=True)
    total = len(matches)
    if not matches:
        return 0, []
    if sort != "relevance" or offset + limit > limits.CANDIDATES:
        page = matches[offset : offset + limit]
        if total > limits.COUNT_CAP:
            cursor.execute(
                f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            page = [r[0] for r in cursor.fetchall()]
        return total, object_ids(index, cursor, page)
    if total > limits.COUNT_CAP:
        cursor.execute(
            f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT {limits.CANDIDATES}", params
        )
        matches = [r[0] for r in cursor.fetchall()]
    keys = set(matches[: limits.CANDIDATES])
    if total <= limits.TITLE_CHECK_ALL:
        # Few matches: the newest older ones holding every term in the title join the
        # candidates (with many, reading every match's title costs too much).
        older = matches[limits.CANDIDATES :]
        if older:
            cursor.execute(
                f"SELECT seq FROM {index.table} t WHERE seq IN "
                f"({', '.join(['%s'] * len(older))})"
                + "".join(" AND instr(t.title, %s) > 0" for _ in terms)
                + f" ORDER BY seq DESC LIMIT {limits.TITLE_CANDIDATES}",
                [*older, *(term.needle for term in terms)],
            )
            keys |= {row[0] for row in cursor.fetchall()}
    ranked = rank_candidates(index, cursor, sorted(keys, reverse=True), terms, query)
    return total, [object_id for _, object_id in ranked[offset : offset + limit]]


def over_cap(
    index: SearchIndex,
    cursor: CursorWrapper,
    terms: Sequence[Term],
    ceiling: int,
) -> bool:
    """Checking the stored text of every candidate up to limits.COUNT_CAP + 1 hits costs
    ~3 µs each, so a query whose terms need that check is first checked on a sample of the
    range of seqs (`limits.sample_windows`, `limits.over_cap`, by the table's row count
    from ANALYZE; `ceiling` a seq): whether it proves more than limits.COUNT_CAP matches
    (else the caller counts)."""
    t = index.table
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if cursor.fetchone() is None:
        return False
    cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [t])
    rows = max((int(r[0].split()[0]) for r in cursor.fetchall()), default=0)
    # Each end of the range by its own subquery, which reads one end of the table
    # (SQLite scans the whole table for min() and max() in one select).
    cursor.execute(
        f"SELECT (SELECT min(seq) FROM {t}), (SELECT max(seq) FROM {t}), "
        f"(SELECT max(seq) FROM {t} WHERE seq <= %s)",
        [ceiling],
    )
    oldest, last, newest = cursor.fetchone()
    if newest is None:
        return False
    rows = rows * (newest - oldest + 1) / max(1, last - oldest + 1)
    windows = limits.sample_windows(
        "\x1f".join(term.needle for term in terms), oldest, newest, rows
    )
    if not windows:
        return False
    # A count per window: each window's entries walked by seq and every term checked on
    # their stored text (no FTS5 pass: it would go through every candidate). A quarter of
    # the windows first, which usually tells a query far below the cap.
    check, check_params = text_check(terms, "instr")
    hits: list[int] = []
    quarter = max(1, len(windows) // 4)
    for part in (windows[:quarter], windows[quarter:]):
        cursor.execute(
            f"WITH w(i, low, high) AS (VALUES {', '.join(['(%s, %s, %s)'] * len(part))}) "
            f"SELECT w.i, (SELECT count(*) FROM {t} t WHERE t.seq BETWEEN w.low AND "
            f"min(w.high, %s){check}) FROM w ORDER BY w.i",
            [*(v for i, w in enumerate(part) for v in (i, *w)), ceiling, *check_params],
        )
        hits += [r[1] for r in cursor.fetchall()]
        if limits.unlikely_over_cap(hits, windows, oldest, newest):
            return False
    return limits.over_cap(hits, windows, oldest, newest)


def rank_candidates(
    index: SearchIndex,
    cursor: CursorWrapper,
    keys: list[int],
    terms: Sequence[Term],
    query: str,
) -> list[tuple[int, int]]:
    """[(seq, object_id)] of candidate seqs, best first: title hits (every term in the
    title), then term frequency, then the newest."""
    columns, params = rank_columns(index, terms, query, "instr")
    marks = ", ".join(["%s"] * len(keys))
    cursor.execute(
        f"SELECT t.seq, t.object_id, {columns} FROM {index.table} t WHERE t.seq IN ({marks})",
        [*params, *keys],
    )
    ranked = sorted(
        ((bool(title), tf, key, object_id)) for key, object_id, title, tf in cursor.fetchall()
    )
    ranked.reverse()
    return [(r[2], r[3]) for r in ranked]


def fts5_tags(index: SearchIndex, filters: Mapping[str, object]) -> str:
    out = []
    for name, _kind, values in chosen_filters(index, filters):
        if not values:
            out.append('"#nomatchxx"')
            continue
        out.append("(" + " OR ".join(f'"{fts5_tag(tag(name, v))}"' for v in values) + ")")
    return "".join(f" AND {part}" for part in out)
