# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input.
"""SQLite storage: a plain table holding each entry's key, filter values and stored text
(`text.index_text` of title and body), and a contentless FTS5 table ``<table>_fts`` with
``detail=none`` holding only which entries have which tokens (`text.index_terms`) and filter
tags. The tokens are never stored: an insert writes the row and hands FTS5 the tokens (two
statements of many rows each, in one transaction), and a delete recomputes them from the
stored text (SQLite 3.40 has no ``contentless_delete``). Phrases, title hits and prefixes
are checked on the stored text of the candidates (`instr`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.search.documents import (
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


def create_sql(index: SearchIndex) -> list[str]:
    t = index.table
    cols = [f"{name} {'TEXT' if kind == 'text' else 'BIGINT'}" for name, kind in index.filters]
    return [
        f"CREATE TABLE {t} (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL "
        f"UNIQUE, published BIGINT NOT NULL, {', '.join([*cols, ''])}"
        "title TEXT NOT NULL, body TEXT NOT NULL)",
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
    """Write rows (`rows`): the table's columns, then the FTS5 text of each, in one
    transaction; then call `meanwhile` (SQLite works in this process: nothing overlaps)."""
    t = index.table
    names = ["sort_key", "object_id", "published", *[n for n, _ in index.filters]]
    names += ["title", "body"]
    with transaction.atomic(using=cursor.db.alias):
        cursor.executemany(
            f"INSERT INTO {t} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
            [row[:-1] for row in rows],
        )
        cursor.executemany(
            f"INSERT INTO {t}_fts (rowid, terms) VALUES (%s, %s)",
            [(row[0], row[-1]) for row in rows],
        )
    meanwhile()


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
        f"SELECT sort_key, title, body{''.join(', ' + n for n in names)} FROM {t} "
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
    cursor.execute(f"DELETE FROM {t} WHERE sort_key IN ({', '.join(['%s'] * len(keys))})", keys)
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
