# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input.
"""SQLite storage: a plain table holding each entry's key, filter values and stored text
(`text.index_text` of title and body), and a contentless FTS5 table ``<table>_fts`` with
``detail=none`` holding only which entries have which tokens (`text.index_terms`) and filter
tags. The tokens are never stored: an insert writes the row and hands FTS5 the tokens (two
statements of many rows each, in one transaction), and a delete recomputes them from the
stored text (SQLite 3.40 has no ``contentless_delete``). Phrases, title hits and prefixes
are checked on the stored text of the candidates (`instr`).

The FTS5 rowid is not the key but the entry's ``seq`` (the table's rowid): a dense numbering
in key order (issue 18, index size). FTS5 stores each posting as the varint delta from the
previous rowid: with the key ``(seconds << 20) | id`` that delta took 4–5 bytes, with ``seq``
it takes one. A rebuild and entries newer than every other get ``seq`` SEQ_GAP apart (a delta
under 128 is still one byte); an entry written between two others (back-dated, or older than
an entry scheduled for later) takes a number between theirs, and when there is none the
entries of the smallest aligned block of numbers around it that is sparse enough are numbered
again, evenly (`_relabel`: their FTS5 tokens recomputed from the stored text). Every order
the planner relies on (newest first, the key ceiling, sample windows) is the order of
``seq``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.search.documents import (
    KEYS_PER_STATEMENT,
    Doc,
    filter_values,
    row_head,
    stored_tokens,
    tags,
    terms,
)

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex

# Index tokens may hold "#" (digit-run suffixes, filter tags).
# No column sizes either (they serve bm25, which the ranking does not use).
FTS5_OPTIONS = "content='', detail=none, columnsize=0, tokenize=\"unicode61 tokenchars '#'\""


def fts5_tag(token: str) -> str:
    """A filter tag as an FTS5 token: "#" + the tag (apart from the text's tokens)."""
    return "#" + token


# The distance between the `seq` of entries written in key order (a rebuild; new entries):
# room for entries written between them later, with a posting delta of one varint byte.
SEQ_GAP = 64
# `_relabel`: an aligned block of 2**j numbers is numbered again when, with the new entries,
# it holds at most this share of them at j = 1, one SEQ_LEVEL_STEP less at each level above
# (so a block just numbered again has room before its parent block must be).
SEQ_FILL = 1.0
SEQ_LEVEL_STEP = 1 / 128


def create_sql(index: SearchIndex) -> list[str]:
    t = index.table
    cols = [f"{name} {'TEXT' if kind == 'text' else 'BIGINT'}" for name, kind in index.filters]
    return [
        f"CREATE TABLE {t} (seq INTEGER PRIMARY KEY, sort_key BIGINT NOT NULL UNIQUE, "
        f"object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, "
        f"{', '.join([*cols, ''])}title TEXT NOT NULL, body TEXT NOT NULL)",
        f"CREATE VIRTUAL TABLE {t}_fts USING fts5(terms, {FTS5_OPTIONS})",
        *filter_index_sql(index),
        *vocabulary_sql(index),
    ]


def vocabulary_sql(index: SearchIndex) -> list[str]:
    if not index.vocabulary:
        return []
    return [
        f"CREATE TABLE {index.table}_vocab (scope BIGINT NOT NULL, term TEXT NOT NULL, "
        "df INTEGER NOT NULL, PRIMARY KEY (scope, term)) WITHOUT ROWID"
    ]


def filter_index_sql(index: SearchIndex) -> list[str]:
    """None on SQLite: filters are tag tokens in the FTS5 table, and no query reads the
    filter columns by value."""
    return []


def drop_sql(index: SearchIndex) -> list[str]:
    return [
        f"DROP TABLE IF EXISTS {index.table}_vocab",
        f"DROP VIEW IF EXISTS {index.table}_w",  # the writing view of catalog 0009's layout
        f"DROP TABLE IF EXISTS {index.table}_fts",
        f"DROP TABLE IF EXISTS {index.table}",
    ]


def fts5_terms(tokens: Iterable[str], tag_tokens: str) -> str:
    """The FTS5 text of an entry: its tokens and its filter tags, space-separated."""
    out = " ".join(tokens)
    return out + "".join(f" {fts5_tag(tag)}" for tag in tag_tokens.split())


def rows(index: SearchIndex, docs: Iterable[Doc]) -> list[tuple[Any, ...]]:
    out = []
    zone = timezone.get_current_timezone()
    for doc in docs:
        values = filter_values(index, doc, zone)
        out.append(
            (
                *row_head(doc, values),
                fts5_terms(terms(doc).tokens, tags(index, values)),
            )
        )
    return out


def insert(
    index: SearchIndex,
    cursor: CursorWrapper,
    rows: list[tuple[Any, ...]],
    meanwhile: Callable[[], None],
) -> None:
    """Write rows (`rows`): each numbered (`seq`, see the module docstring), the table's
    columns, then the FTS5 text of each, in one transaction; then call `meanwhile` (SQLite
    works in this process: nothing overlaps)."""
    t = index.table
    names = ["seq", "sort_key", "object_id", "published", *[n for n, _ in index.filters]]
    names += ["title", "body"]
    rows = sorted(rows, key=lambda row: row[0])
    with transaction.atomic(using=cursor.db.alias):
        # Each part is written before the next is numbered: numbering one may move others.
        for part, seqs in _numbered(index, cursor, rows):
            cursor.executemany(
                f"INSERT INTO {t} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                [(seq, *row[:-1]) for seq, row in zip(seqs, part, strict=True)],
            )
            cursor.executemany(
                f"INSERT INTO {t}_fts (rowid, terms) VALUES (%s, %s)",
                [(seq, row[-1]) for seq, row in zip(seqs, part, strict=True)],
            )
    meanwhile()


def _numbered(
    index: SearchIndex, cursor: CursorWrapper, rows: list[tuple[Any, ...]]
) -> Iterator[tuple[list[tuple[Any, ...]], list[int]]]:
    """The rows of new entries (in key order, none in the table yet) in parts, each with the
    `seq` of its rows, in key order with the table's entries: SEQ_GAP apart after the last
    entry for keys past it, else spread over the free numbers between the neighbours of a
    part's keys; where there are too few, the entries around are numbered again first
    (`_relabel`). Write each part before asking for the next."""
    if not rows:
        return
    t = index.table
    cursor.execute(f"SELECT sort_key, seq FROM {t} ORDER BY sort_key DESC LIMIT 1")
    last = cursor.fetchone()
    if last is None or rows[0][0] > last[0]:
        start = last[1] if last else 0
        yield rows, [start + SEQ_GAP * (i + 1) for i in range(len(rows))]
        return
    # Rows between the same two entries (by key) make one part.
    parts: list[tuple[tuple[int | None, int | None], list[tuple[Any, ...]]]] = []
    for row in rows:
        cursor.execute(
            f"SELECT (SELECT sort_key FROM {t} WHERE sort_key < %s ORDER BY sort_key DESC "
            f"LIMIT 1), (SELECT sort_key FROM {t} WHERE sort_key > %s ORDER BY sort_key LIMIT 1)",
            [row[0], row[0]],
        )
        neighbours = cursor.fetchone()
        if parts and parts[-1][0] == neighbours:
            parts[-1][1].append(row)
        else:
            parts.append((neighbours, [row]))
    for (before, after), part in parts:
        low, high = _seqs(index, cursor, before, after)
        if high is not None and high - low <= len(part):
            _relabel(index, cursor, low, len(part))  # too few free numbers between
            low, high = _seqs(index, cursor, before, after)
        if high is None:
            yield part, [low + SEQ_GAP * (i + 1) for i in range(len(part))]
        else:
            step = (high - low) / (len(part) + 1)
            yield part, [low + int(step * (i + 1)) for i in range(len(part))]


def _seqs(
    index: SearchIndex, cursor: CursorWrapper, before: int | None, after: int | None
) -> tuple[int, int | None]:
    """The seq of the entries of keys `before` (0 for None) and `after` (None for None)."""
    cursor.execute(
        f"SELECT (SELECT seq FROM {index.table} WHERE sort_key = %s), "
        f"(SELECT seq FROM {index.table} WHERE sort_key = %s)",
        [before, after],
    )
    low, high = cursor.fetchone()
    return low or 0, high


def _relabel(index: SearchIndex, cursor: CursorWrapper, after: int, room: int) -> None:
    """Number again, evenly, the entries of the smallest aligned block of numbers holding
    `after` (a seq, or 0) that, with `room` more entries, is no fuller than its level allows
    (SEQ_FILL less SEQ_LEVEL_STEP a level), leaving `room` free numbers right after `after`.
    Each entry moved gets its FTS5 tokens again under its new number (recomputed from the
    stored text, as a delete does)."""
    t = index.table
    level = 1
    while True:
        size = 1 << level
        base = (after >> level) << level
        cursor.execute(
            f"SELECT count(*) FROM {t} WHERE seq >= %s AND seq < %s", [base, base + size]
        )
        count = cursor.fetchone()[0]
        first = max(base, 1)
        usable = base + size - first
        fill = SEQ_FILL - SEQ_LEVEL_STEP * (level - 1)
        if count + room <= max(fill, 0.5) * usable:
            break
        level += 1
    cursor.execute(
        f"SELECT seq FROM {t} WHERE seq >= %s AND seq < %s ORDER BY seq", [base, base + size]
    )
    old = [row[0] for row in cursor.fetchall()]
    # The room goes right after `after`: slots are numbered evenly, and the entries keep
    # theirs, skipping `room` slots after the one of `after`.
    slots = count + room
    step = usable / slots
    new: list[int] = []
    slot = 0
    for seq in old:
        new.append(first + int(step * slot))
        slot += 1
        if seq == after:
            slot += room
    if after < first or after not in old:
        # `after` is 0 (before every entry): the room is the block's first slots.
        new = [first + int(step * (room + i)) for i in range(len(old))]
    moves = [(o, n) for o, n in zip(old, new, strict=True) if o != n]
    if not moves:
        return
    names = [n for n, _ in index.filters]
    entries = []
    for start in range(0, len(moves), KEYS_PER_STATEMENT):
        chunk = [o for o, _ in moves[start : start + KEYS_PER_STATEMENT]]
        cursor.execute(
            f"SELECT seq, title, body{''.join(', ' + n for n in names)} FROM {t} "
            f"WHERE seq IN ({', '.join(['%s'] * len(chunk))})",
            chunk,
        )
        entries += cursor.fetchall()
    texts = {
        seq: fts5_terms(stored_tokens(title, body), tags(index, values))
        for seq, title, body, *values in entries
    }
    cursor.executemany(
        f"INSERT INTO {t}_fts ({t}_fts, rowid, terms) VALUES ('delete', %s, %s)",
        [(o, texts[o]) for o, _ in moves],
    )
    # Through negative numbers: a new number may be another entry's old one.
    cursor.executemany(f"UPDATE {t} SET seq = %s WHERE seq = %s", [(-n, o) for o, n in moves])
    cursor.executemany(f"UPDATE {t} SET seq = %s WHERE seq = %s", [(n, -n) for _, n in moves])
    cursor.executemany(
        f"INSERT INTO {t}_fts (rowid, terms) VALUES (%s, %s)", [(n, texts[o]) for o, n in moves]
    )


def before_rebuild_sql(index: SearchIndex) -> list[str]:
    """Empty the index (a rebuild fills it in the same transaction)."""
    vocab = [f"DELETE FROM {index.table}_vocab"] if index.vocabulary else []
    return [f"DELETE FROM {index.table}", *vocab, *after_clear_sql(index)]


def after_rebuild_sql(index: SearchIndex) -> list[str]:
    return []


def delete(
    index: SearchIndex, cursor: CursorWrapper, object_ids: Sequence[int]
) -> list[tuple[Any, str, str]]:
    """Delete entries: their FTS5 tokens first, recomputed from the stored text and filter
    values exactly as they were inserted (a contentless table needs them), then the rows.
    Returns the deleted entries' (vocabulary scope, title, body) for `vocabulary.remove`."""
    t = index.table
    marks = ", ".join(["%s"] * len(object_ids))
    names = [n for n, _ in index.filters]
    cursor.execute(
        f"SELECT seq, title, body{''.join(', ' + n for n in names)} FROM {t} "
        f"WHERE object_id IN ({marks})",
        list(object_ids),
    )
    found = cursor.fetchall()
    if not found:
        return []
    cursor.executemany(
        f"INSERT INTO {t}_fts ({t}_fts, rowid, terms) VALUES ('delete', %s, %s)",
        [
            (key, fts5_terms(stored_tokens(title, body), tags(index, values)))
            for key, title, body, *values in found
        ],
    )
    keys = [row[0] for row in found]
    cursor.execute(f"DELETE FROM {t} WHERE seq IN ({', '.join(['%s'] * len(keys))})", keys)
    if not index.vocabulary:
        return []
    scope = 3 + names.index(index.vocabulary)
    return [(row[scope], row[1], row[2]) for row in found]


def after_clear_sql(index: SearchIndex) -> list[str]:
    return [f"INSERT INTO {index.table}_fts({index.table}_fts) VALUES ('delete-all')"]


def optimize_sql(index: SearchIndex, in_transaction: bool) -> list[str]:
    return [
        f"INSERT INTO {index.table}_fts({index.table}_fts) VALUES ('optimize')",
        f"ANALYZE {index.table}",
    ]


def refill_fts(index: SearchIndex, cursor: CursorWrapper, rowid: str = "seq") -> int:
    """Empty the FTS5 table and hand it every entry's tokens again, recomputed from the stored
    text and filter values, under the table's column `rowid` (a migration that renumbers the
    entries; "sort_key" for the layout before ``seq``). Returns the entries written."""
    t = index.table
    names = [n for n, _ in index.filters]
    cursor.execute(f"INSERT INTO {t}_fts({t}_fts) VALUES ('delete-all')")
    written, last = 0, None
    while True:
        cursor.execute(
            f"SELECT {rowid}, title, body{''.join(', ' + n for n in names)} FROM {t}"
            + ("" if last is None else f" WHERE {rowid} > %s")
            + f" ORDER BY {rowid} LIMIT {KEYS_PER_STATEMENT}",
            [] if last is None else [last],
        )
        found = cursor.fetchall()
        if not found:
            return written
        cursor.executemany(
            f"INSERT INTO {t}_fts (rowid, terms) VALUES (%s, %s)",
            [
                (key, fts5_terms(stored_tokens(title, body), tags(index, values)))
                for key, title, body, *values in found
            ],
        )
        written += len(found)
        last = found[-1][0]
