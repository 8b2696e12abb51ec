# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input.
"""SQLite storage: a plain table plus an external-content FTS5 table ``<table>_fts`` (default
tokenizer) kept in step by triggers; filter values are tag tokens in the FTS5 ``tags`` column
and (column, sort_key) indexes on the table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gongkai.core.search.documents import Doc, filter_values, sort_key, tags, terms
from gongkai.core.search.vocabulary import doc_terms

if TYPE_CHECKING:
    from gongkai.core.search.index import SearchIndex


def create_sql(index: SearchIndex) -> list[str]:
    t = index.table
    cols = [f"{name} {'TEXT' if kind == 'text' else 'BIGINT'}" for name, kind in index.filters]
    return [
        f"CREATE TABLE {t} (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL "
        f"UNIQUE, published BIGINT NOT NULL, {', '.join([*cols, ''])}"
        "title_terms TEXT NOT NULL, body_terms TEXT NOT NULL, words TEXT NOT NULL, "
        "tags TEXT NOT NULL, vocab TEXT NOT NULL DEFAULT '')",
        f"CREATE VIRTUAL TABLE {t}_fts USING fts5(title_terms, body_terms, words, tags, "
        f"content='{t}', content_rowid='sort_key')",
        f"CREATE TRIGGER {t}_ai AFTER INSERT ON {t} BEGIN INSERT INTO {t}_fts(rowid, "
        "title_terms, body_terms, words, tags) VALUES (new.sort_key, new.title_terms, "
        "new.body_terms, new.words, new.tags); END",
        f"CREATE TRIGGER {t}_ad AFTER DELETE ON {t} BEGIN INSERT INTO {t}_fts({t}_fts, "
        "rowid, title_terms, body_terms, words, tags) VALUES ('delete', old.sort_key, "
        "old.title_terms, old.body_terms, old.words, old.tags); END",
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
    """(filter column, sort_key) indexes: a filtered query walks the newest matches of its
    filter instead of the whole table."""
    t = index.table
    return [f"CREATE INDEX {t}_{n} ON {t} ({n}, sort_key)" for n, _ in index.filters]


def drop_sql(index: SearchIndex) -> list[str]:
    return [
        f"DROP TABLE IF EXISTS {index.table}_vocab",
        f"DROP TABLE IF EXISTS {index.table}_fts",
        f"DROP TABLE IF EXISTS {index.table}",
    ]


def rows(index: SearchIndex, docs: Iterable[Doc]) -> list[tuple[Any, ...]]:
    out = []
    for doc in docs:
        title, body, words = terms(doc)
        values = filter_values(index, doc)
        out.append(
            (
                sort_key(doc.published_at, doc.object_id),
                int(doc.object_id),
                max(0, int(doc.published_at.timestamp())),
                *values,
                " ".join(title),
                " ".join(body),
                " ".join(words),
                tags(index, values),
                " ".join(doc_terms(doc)) if index.vocabulary else "",
            )
        )
    return out


def insert_sql(index: SearchIndex) -> str:
    names = ["sort_key", "object_id", "published", *[n for n, _ in index.filters]]
    params = ", ".join(["%s"] * len(names))
    return (
        f"INSERT INTO {index.table} ({', '.join(names)}, title_terms, body_terms, words, "
        f"tags, vocab) VALUES ({params}, %s, %s, %s, %s, %s)"
    )


def after_clear_sql(index: SearchIndex) -> list[str]:
    return [f"INSERT INTO {index.table}_fts({index.table}_fts) VALUES ('rebuild')"]


def optimize_sql(index: SearchIndex, in_transaction: bool) -> list[str]:
    return [
        f"INSERT INTO {index.table}_fts({index.table}_fts) VALUES ('optimize')",
        f"ANALYZE {index.table}",
    ]
