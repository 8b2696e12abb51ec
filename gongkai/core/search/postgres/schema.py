# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input.
"""PostgreSQL storage: the table of entries (key, object id, date, filter columns, the stored
title and body); a GIN expression index over the tokens that `gongkai_search_tokens` computes
from the stored text (nothing of them stored beyond the index); (filter column, sort_key)
indexes carrying the other filter columns; a ``_vocab`` table for an index with a vocabulary.
With ``partition_by``, the table is partitioned by that column's value, one partition per value
made when its first entry is written, with indexes of its own name (`partition_sql`): only its
keys (`key_sql`, the primary key carrying the filter columns) and the token index, since a
statement over the parent is planned over every partition's every index. Rows of up to a page
stay in the table (``PG_TABLE_OPTIONS``), so checking a candidate reads one page. Bulk writes
use COPY; a full rebuild loads first and builds the indexes after (`before_rebuild_sql`,
`after_rebuild_sql`, `partition_attach_sql`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.search.documents import Doc, filter_values, row_head

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex

# PostgreSQL: keep rows of up to a page in the table itself (not compressed, not in TOAST),
# so checking a search candidate's stored text reads one page.
PG_TABLE_OPTIONS = "toast_tuple_target = 8160"
# The index tokens of an entry (`text.index_terms` of its stored title and body), computed
# by the database from the stored text: one function, whose GIN expression index is all the
# index stores of them. One pass over the characters pairs each with the next (a bigram, or
# the character alone at the end of its run); ASCII words whole; "#" + the suffixes (up to
# 12 digits) of each run of digits. `array_to_tsvector` drops duplicates.
# Its SET clause (the function needs nothing outside pg_catalog) also keeps the planner from
# trying to inline it, which parsed its body again for every partition a statement over a
# partitioned index is planned on (~15 % of that planning; no measurable cost per call).
TOKENS_FUNCTION = r"""CREATE OR REPLACE FUNCTION gongkai_search_tokens(title text, body text)
RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000
SET search_path = pg_catalog AS $$
SELECT ARRAY(SELECT CASE WHEN b = ' ' OR b IS NULL THEN a ELSE a || b END
             FROM unnest(string_to_array(s, NULL), string_to_array(substr(s, 2), NULL)) u(a, b)
             WHERE a <> ' ')
  || ARRAY(SELECT m[1] FROM regexp_matches(s, '(?:^| )([a-z][0-9a-z]*)', 'g') m)
  || ARRAY(SELECT '#' || substr(m[1], i) FROM regexp_matches(s, '(?:^| )([0-9]+)', 'g') m,
           generate_series(greatest(1, length(m[1]) - 11), length(m[1])) i)
FROM (SELECT title || ' ' || body AS s) x
$$"""
# The indexed expression, as queries must spell it (over the row ``t``).
TOKENS = "array_to_tsvector(gongkai_search_tokens(t.title, t.body))"


def create_sql(index: SearchIndex) -> list[str]:
    t = index.table
    part = index.partition_by
    cols = [
        f"{name} {'TEXT' if kind == 'text' else 'BIGINT'}" + (" NOT NULL" if name == part else "")
        for name, kind in index.filters
    ]
    if part:
        # One partition per value of the partition column (`ensure_partitions`); PostgreSQL
        # wants that column in every unique constraint, and storage options per partition.
        table = (
            f"CREATE TABLE {t} (sort_key BIGINT NOT NULL, object_id BIGINT NOT NULL, "
            f"published BIGINT NOT NULL, {', '.join(cols)}, title text NOT NULL, "
            f"body text NOT NULL, {', '.join(key_sql(index))}) PARTITION BY LIST ({part})"
        )
    else:
        table = (
            f"CREATE TABLE {t} (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL "
            f"UNIQUE, published BIGINT NOT NULL, {', '.join([*cols, ''])}"
            "title text NOT NULL, body text NOT NULL) "
            f"WITH ({PG_TABLE_OPTIONS})"
        )
    return [
        table,
        TOKENS_FUNCTION,
        tokens_index_sql(t),
        *filter_index_sql(index),
        *vocabulary_sql(index),
    ]


def key_sql(index: SearchIndex) -> list[str]:
    """A partitioned index's keys (each partition's too, `partition_attach_sql`): the primary
    key carries the other filter columns, so walking and counting a partition's entries of
    some filter values by key is index-only, and the object id is unique (`delete`). With
    the token index, that is all a partition has: a statement over the parent is planned
    over every partition's every index (157 partitions: a two-key lookup planned in 7.5 ms
    with 9 indexes a partition, 2 ms with these 3; BENCHMARKS.md), and a partition needs no
    index of the column it is partitioned by."""
    part = index.partition_by
    carried = [name for name, _ in index.filters if name != part]
    include = f" INCLUDE ({', '.join(carried)})" if carried else ""
    return [f"PRIMARY KEY (sort_key, {part}){include}", f"UNIQUE (object_id, {part})"]


def tokens_index_sql(table: str) -> str:
    """The GIN expression index of the tokens (on a partitioned table: of every partition)."""
    return (
        f"CREATE INDEX {table}_tsv ON {table} USING gin "
        f"((array_to_tsvector(gongkai_search_tokens(title, body)))) WITH (fastupdate = off)"
    )


# Partitions known to exist, per database and table: {(database, table): {value, ...}}.
_PARTITIONS: dict[tuple[str, str], set[int]] = {}


def partition_table(index: SearchIndex, value: int) -> str:
    """The partition of `index` holding the entries whose partition column is `value`."""
    return f"{index.table}_p{value}" if value >= 0 else f"{index.table}_m{-value}"


def partition_sql(index: SearchIndex, value: int) -> list[str]:
    """A partition made as the parent's others would be, then attached: its indexes are
    named after it (``<partition>_tsv`` …: the planner reads the statistics of its own tsv
    index), and ATTACH PARTITION takes only SHARE UPDATE EXCLUSIVE on the parent (searches
    and writes go on), where CREATE TABLE … PARTITION OF would lock it exclusively until the
    writing transaction ends."""
    return [partition_table_sql(index, value), *partition_attach_sql(index, value)]


def partition_table_sql(index: SearchIndex, value: int) -> str:
    """The partition's table alone: no keys, no indexes, not attached (a rebuild loads it
    first, then `partition_attach_sql` builds its indexes from the rows at once)."""
    p = partition_table(index, value)
    return f"CREATE TABLE {p} (LIKE {index.table} INCLUDING DEFAULTS) WITH ({PG_TABLE_OPTIONS})"


def partition_attach_sql(index: SearchIndex, value: int) -> list[str]:
    t, part = index.table, index.partition_by
    p = partition_table(index, value)
    primary, unique = key_sql(index)
    return [
        f"ALTER TABLE {p} ADD CONSTRAINT {p}_pkey {primary}",
        f"ALTER TABLE {p} ADD CONSTRAINT {p}_object_id_{part}_key {unique}",
        tokens_index_sql(p),
        f"ALTER TABLE {t} ATTACH PARTITION {p} FOR VALUES IN ({int(value)})",
    ]


def drop_partitions(index: SearchIndex, cursor: CursorWrapper) -> list[int]:
    """Drop every partition of a partitioned index and forget them; returns their values (a
    rebuild makes each again, also those it writes nothing into: another process may hold
    one as known, `ensure_partitions`)."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY 1",
        [index.table],
    )
    values = []
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP TABLE {name}")
        suffix = name[len(index.table) + 1 :]
        values.append(int(suffix[1:]) * (-1 if suffix[0] == "m" else 1))
    forget_partitions(index)
    return values


def ensure_partitions(index: SearchIndex, cursor: CursorWrapper, values: Iterable[object]) -> None:
    """Create the partitions of these values of the partition column that do not exist yet,
    under a transaction-level advisory lock (two writers of a new government's first entries
    create its partition once). Known partitions are cached per process, once committed."""
    key = (str(cursor.db.settings_dict.get("NAME")), index.table)
    known = _PARTITIONS.setdefault(key, set())
    missing = sorted({int(v) for v in values if v is not None} - known)  # type: ignore[call-overload]
    if not missing:
        return
    with transaction.atomic(using=cursor.db.alias):
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"gongkai:{index.table}"])
        for value in missing:
            cursor.execute("SELECT to_regclass(%s)", [partition_table(index, value)])
            if cursor.fetchone()[0] is None:
                for statement in partition_sql(index, value):
                    cursor.execute(statement)
    # (A partition created in a transaction that is rolled back does not exist.)
    transaction.on_commit(lambda: known.update(missing), using=cursor.db.alias)


def partition_exists(index: SearchIndex, connection: BaseDatabaseWrapper, value: int) -> bool:
    """Whether the partition of `value` exists (cached once seen outside a transaction, where
    what is seen is committed; partitions are only ever dropped with their table)."""
    key = (str(connection.settings_dict.get("NAME")), index.table)
    known = _PARTITIONS.setdefault(key, set())
    if value in known:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partition_table(index, value)])
        found = cursor.fetchone()[0] is not None
    if found and not connection.in_atomic_block:
        known.add(value)
    return found


def forget_partitions(index: SearchIndex) -> None:
    for key in [k for k in _PARTITIONS if k[1] == index.table]:
        del _PARTITIONS[key]


def vocabulary_sql(index: SearchIndex) -> list[str]:
    if not index.vocabulary:
        return []
    return [
        f"CREATE TABLE {index.table}_vocab (scope BIGINT NOT NULL, term text NOT NULL, "
        "df integer NOT NULL, PRIMARY KEY (scope, term))"
    ]


def filter_index_sql(index: SearchIndex) -> list[str]:
    """(filter column, sort_key) indexes, each carrying the other filter columns, so counting
    and walking the matches of several filters is index-only. A partitioned index has none:
    its primary key carries the filter columns instead (`key_sql`)."""
    t = index.table
    if index.partition_by:
        return []
    out = []
    for name, _ in index.filters:
        others = [n for n, _ in index.filters if n != name]
        include = f" INCLUDE ({', '.join(others)})" if others else ""
        out.append(f"CREATE INDEX IF NOT EXISTS {t}_{name} ON {t} ({name}, sort_key){include}")
    return out


def drop_sql(index: SearchIndex) -> list[str]:
    forget_partitions(index)  # (dropping a partitioned table drops its partitions)
    return [f"DROP TABLE IF EXISTS {index.table}_vocab", f"DROP TABLE IF EXISTS {index.table}"]


def rows(index: SearchIndex, docs: Iterable[Doc]) -> list[tuple[Any, ...]]:
    out = []
    zone = timezone.get_current_timezone()
    for doc in docs:
        values = filter_values(index, doc, zone)
        out.append(row_head(doc, values))
    return out


def columns(index: SearchIndex) -> list[str]:
    """The columns of a row of `rows`, in order."""
    return ["sort_key", "object_id", "published", *[n for n, _ in index.filters], "title", "body"]


def insert(
    index: SearchIndex,
    cursor: CursorWrapper,
    rows: list[tuple[Any, ...]],
    meanwhile: Callable[[], None],
) -> None:
    """Write rows with COPY, calling `meanwhile` once they are sent, while the database
    takes them (before waiting for it). (After a TRUNCATE in the same transaction, as in a
    rebuild, COPY fills pages without the free space map: the table is ~5 % larger than
    with INSERT, which backfills a page's free space with a later, smaller row.)"""
    copy_sql = f"COPY {index.table} ({', '.join(columns(index))}) FROM STDIN"
    with cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
        meanwhile()


# A full rebuild drops the indexes of the table, loads the rows and builds the indexes again
# from them (sorted, in memory: faster and tighter than maintaining them for each row — the
# token index costs ~2.3 ms of CPU an entry that way); the build's memory is raised for the
# transaction.
REBUILD_MEMORY = "256MB"


def before_rebuild_sql(index: SearchIndex) -> list[str]:
    """Empty the index for a rebuild (TRUNCATE: no dead rows left to vacuum) and drop the
    token and filter indexes, which `after_rebuild_sql` builds again."""
    t = index.table
    tables = [t, *([f"{t}_vocab"] if index.vocabulary else [])]
    dropped = [f"{t}_tsv", *(f"{t}_{name}" for name, _ in index.filters)]
    # (A partitioned table's partitions are dropped instead, `drop_partitions`, and made
    # again by the rebuild: loaded first, then indexed and attached.)
    drop = [] if index.partition_by else [f"DROP INDEX IF EXISTS {', '.join(dropped)}"]
    return [
        f"SET LOCAL maintenance_work_mem = '{REBUILD_MEMORY}'",
        *drop,
        f"TRUNCATE {', '.join(tables)}",
    ]


def after_rebuild_sql(index: SearchIndex) -> list[str]:
    if index.partition_by:
        return []
    return [tokens_index_sql(index.table), *filter_index_sql(index)]


def delete(
    index: SearchIndex, cursor: CursorWrapper, object_ids: Sequence[int]
) -> list[tuple[Any, str, str]]:
    """Delete entries; returns their (vocabulary scope, title, body) for `vocabulary.remove`,
    read by the same statement (a statement by object id over a partitioned index is planned
    over every partition: one, not a read and a delete)."""
    marks = ", ".join(["%s"] * len(object_ids))
    scope = f" RETURNING {index.vocabulary}, title, body" if index.vocabulary else ""
    cursor.execute(
        f"DELETE FROM {index.table} WHERE object_id IN ({marks}){scope}", list(object_ids)
    )
    return cursor.fetchall() if scope else []


def after_clear_sql(index: SearchIndex) -> list[str]:
    return []


def optimize_sql(index: SearchIndex, in_transaction: bool) -> list[str]:
    # VACUUM sets the visibility map, which index-only scans of the key need; it cannot run
    # inside a transaction.
    return [f"ANALYZE {index.table}" if in_transaction else f"VACUUM ANALYZE {index.table}"]
