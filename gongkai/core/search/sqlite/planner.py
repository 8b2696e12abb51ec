# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input;
# every value is a query parameter.
"""The SQLite planner: FTS5 only. Filters are tag tokens in the FTS table, so no join is
needed until the page's object ids are read; a count is exact up to limits.COUNT_CAP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gongkai.core.search import limits
from gongkai.core.search.documents import object_ids, tag
from gongkai.core.search.query import Phrase, chosen_filters, phrase_patterns, words_query

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex


def fts5_expr(phrases: Sequence[Phrase]) -> str:
    out = []
    for phrase in phrases:
        tokens = " ".join(tok for tok, _ in phrase)
        out.append(f'"{tokens}"' + (" *" if phrase[-1][1] else ""))
    return " AND ".join(out)


def match_all(index: SearchIndex, phrases: Sequence[Phrase], filters: Mapping[str, object]) -> str:
    """The FTS5 MATCH expression of the phrases in title or body, and the filters."""
    return "{title_terms body_terms} : (" + fts5_expr(phrases) + ")" + fts5_tags(index, filters)


def matching_ids(
    index: SearchIndex,
    cursor: CursorWrapper,
    phrases: Sequence[Phrase],
    filters: Mapping[str, object],
    ceiling: int,
    limit: int | None = None,
) -> list[int]:
    t = index.table
    cursor.execute(
        f"SELECT t.object_id FROM {t}_fts f CROSS JOIN {t} t ON t.sort_key = f.rowid "
        f"WHERE {t}_fts MATCH %s AND f.rowid <= %s" + (f" LIMIT {int(limit)}" if limit else ""),
        [match_all(index, phrases, filters), ceiling],
    )
    return [row[0] for row in cursor.fetchall()]


def search(
    index: SearchIndex,
    cursor: CursorWrapper,
    phrases: Sequence[Phrase],
    query: str,
    filters: Mapping[str, object],
    ceiling: int,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[int]]:
    """FTS5 only: filters are tag tokens in the FTS table, so no join is needed until the
    page's object ids are read."""
    t = index.table
    tags = fts5_tags(index, filters)
    if any(len(p) > 1 and p[-1][1] for p in phrases):
        found = trailing_prefix(index, cursor, phrases, query, tags, ceiling, sort, offset, limit)
        if found is not None:
            return found
    expr = fts5_expr(phrases)
    match = "{title_terms body_terms} : (" + expr + ")" + tags
    base = f"FROM {t}_fts WHERE {t}_fts MATCH %s AND rowid <= %s"
    # One pass gives the count (up to limits.COUNT_CAP + 1) and, below the cap, every match
    # (FTS5 walks its doclists forwards faster than backwards).
    cursor.execute(f"SELECT rowid {base} LIMIT {limits.COUNT_CAP + 1}", [match, ceiling])
    matches = sorted((r[0] for r in cursor.fetchall()), reverse=True)
    total = len(matches)
    if not matches:
        return 0, []
    if sort != "relevance" or offset + limit > limits.CANDIDATES:
        page = matches[offset : offset + limit]
        if total > limits.COUNT_CAP:
            cursor.execute(
                f"SELECT rowid {base} ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [match, ceiling, limit, offset],
            )
            page = [r[0] for r in cursor.fetchall()]
        return total, object_ids(index, cursor, page)
    if total > limits.COUNT_CAP:
        cursor.execute(
            f"SELECT rowid {base} ORDER BY rowid DESC LIMIT {limits.CANDIDATES}", [match, ceiling]
        )
        matches = [r[0] for r in cursor.fetchall()]
    # bm25 needs corpus-wide statistics of each phrase, which FTS5 gathers by running
    # each phrase alone over the whole index: affordable only when each is in few records.
    cheap = total <= limits.BM25_MAX_MATCHES and not any(phrase[-1][1] for phrase in phrases)
    if cheap and (len(phrases) > 1 or tags):
        cheap = all(fts5_rare(index, cursor, phrase) for phrase in phrases)
    keys = matches[: limits.CANDIDATES]
    bm25: dict[int, float] = {}
    if cheap:
        cursor.execute(
            f"SELECT rowid, bm25({t}_fts, 5.0, 1.0, 0.0, 0.0) {base} "
            f"ORDER BY rowid DESC LIMIT {limits.CANDIDATES}",
            [match, ceiling],
        )
        bm25 = dict(cursor.fetchall())
        # Few matches: older records matching in the title join the candidates too. (With
        # many, a title-only scan can cost a full pass over the body matches.)
        cursor.execute(
            f"SELECT rowid {base} ORDER BY rowid DESC LIMIT {limits.TITLE_CANDIDATES}",
            ["title_terms : (" + expr + ")" + tags, ceiling],
        )
        keys = sorted(set(keys) | {row[0] for row in cursor.fetchall()}, reverse=True)
    ranked = rank_candidates(index, cursor, keys, phrases, query, bm25, check_body=False)
    return total, [object_id for _, object_id in ranked[offset : offset + limit]]


def rank_candidates(
    index: SearchIndex,
    cursor: CursorWrapper,
    keys: list[int],
    phrases: Sequence[Phrase],
    query: str,
    bm25: Mapping[int, float],
    *,
    check_body: bool,
) -> list[tuple[int, int]]:
    """[(key, object_id)] of candidate keys (newest first), best first: title hits (every
    phrase in the title), then whole-word hits, then bm25, then the newest. The phrases
    are checked on the stored title streams (short: cheaper than asking FTS5 again); with
    `check_body`, keys whose title and body streams lack a phrase are dropped."""
    t = index.table
    patterns = phrase_patterns(phrases)
    words = words_query(query)
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


def trailing_prefix(
    index: SearchIndex,
    cursor: CursorWrapper,
    phrases: Sequence[Phrase],
    query: str,
    tags: str,
    ceiling: int,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[int, list[int]] | None:
    """A phrase ending in a prefix token (济政办字〔2020〕1234号 may go on as 号文) makes
    FTS5 merge the doclists of every term with that prefix, a pass over much of the index
    for a common character. So match the phrases without their prefix tokens, and when at
    most limits.PHRASE_CHECK_ALL records do, check the whole phrases on their stored token
    streams. None when there are more (the caller then asks FTS5 for the whole query)."""
    t = index.table
    trimmed = [p[:-1] if len(p) > 1 and p[-1][1] else p for p in phrases]
    match = "{title_terms body_terms} : (" + fts5_expr(trimmed) + ")" + tags
    cursor.execute(
        f"SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH %s AND rowid <= %s "
        f"ORDER BY rowid DESC LIMIT {limits.PHRASE_CHECK_ALL + 1}",
        [match, ceiling],
    )
    keys = [r[0] for r in cursor.fetchall()]
    if len(keys) > limits.PHRASE_CHECK_ALL:
        return None
    if not keys:
        return 0, []
    hits = rank_candidates(index, cursor, keys, phrases, query, {}, check_body=True)
    if sort != "relevance":
        hits.sort(reverse=True)  # newest first
    return len(hits), [object_id for _, object_id in hits[offset : offset + limit]]


def fts5_rare(index: SearchIndex, cursor: CursorWrapper, phrase: Phrase) -> bool:
    """Whether the phrase alone is in at most limits.BM25_MAX_MATCHES records (SQLite)."""
    t = index.table
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {t}_fts WHERE {t}_fts MATCH %s "
        f"LIMIT {limits.BM25_MAX_MATCHES + 1})",
        ["{title_terms body_terms} : (" + fts5_expr([phrase]) + ")"],
    )
    count: int = cursor.fetchone()[0]
    return count <= limits.BM25_MAX_MATCHES


def fts5_tags(index: SearchIndex, filters: Mapping[str, object]) -> str:
    out = []
    for name, _kind, values in chosen_filters(index, filters):
        if not values:
            out.append('tags : "nomatchxx"')
            continue
        out.append("tags : (" + " OR ".join(f'"{tag(name, v)}"' for v in values) + ")")
    return "".join(f" AND {part}" for part in out)
