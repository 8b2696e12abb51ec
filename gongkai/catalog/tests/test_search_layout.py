"""Migration 0013 (issue 19, point 7): the partitioned search index converted in place to three
indexes a partition is the layout that core.search creates (`create_sql`, `partition_sql`)."""

import datetime as dt
import importlib
from dataclasses import replace

from django.db import connection

from gongkai.catalog.indexing import RECORD_INDEX
from gongkai.core.search import Doc, SearchIndex
from gongkai.core.search.postgres import schema

migration = importlib.import_module(
    "gongkai.catalog.migrations.0013_search_partitions_three_indexes"
)

LAYOUT = SearchIndex(
    "test_layout", filters=(("org", "int"), ("genre", "text"), ("year", "year")), partition_by="org"
)
DOCS = [
    Doc(i, dt.datetime(2026, 1, i, tzinfo=dt.UTC), f"第{i}号政务公开通知", "", {"org": i % 2 + 1})
    for i in range(1, 7)
]


def layout(cursor, table):
    """Indexes and constraints of `table` and its partitions, table names made `T`."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass UNION SELECT %s ORDER BY 1",
        [table, table],
    )
    tables = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2, 3",
        [tables, tables],
    )
    return [tuple(v.replace(table, "T") for v in row) for row in cursor.fetchall()]


def old_layout(cursor, index):
    """`index` as catalog 0011 and the code before 0013 made it (frozen): keys, token index
    and a (column, sort_key) index per filter, on the parent and each partition."""
    t, part, names = index.table, index.partition_by, [n for n, _ in index.filters]

    def filter_indexes(table):
        return [
            f"CREATE INDEX {table}_{n} ON {table} ({n}, sort_key) "
            f"INCLUDE ({', '.join(o for o in names if o != n)})"
            for n in names
        ]

    cursor.execute(
        f"CREATE TABLE {t} (sort_key BIGINT NOT NULL, object_id BIGINT NOT NULL, "
        "published BIGINT NOT NULL, org BIGINT NOT NULL, genre TEXT, year BIGINT, "
        "title text NOT NULL, body text NOT NULL, PRIMARY KEY (sort_key, org), "
        "UNIQUE (object_id, org)) PARTITION BY LIST (org)"
    )
    for sql in [schema.tokens_index_sql(t), *filter_indexes(t)]:
        cursor.execute(sql)
    for value in (1, 2):
        p = schema.partition_table(index, value)
        for sql in [
            schema.partition_table_sql(index, value),
            f"ALTER TABLE {p} ADD CONSTRAINT {p}_pkey PRIMARY KEY (sort_key, {part})",
            f"ALTER TABLE {p} ADD CONSTRAINT {p}_object_id_{part}_key UNIQUE (object_id, {part})",
            schema.tokens_index_sql(p),
            *filter_indexes(p),
            f"ALTER TABLE {t} ATTACH PARTITION {p} FOR VALUES IN ({value})",
        ]:
            cursor.execute(sql)


def test_the_converted_partitioned_index_is_what_create_sql_makes(db):
    """0013's conversion of a partitioned index with entries in two partitions gives the
    indexes and constraints that `create_sql` and `partition_sql` give (three indexes a
    partition: a primary key carrying the other filter columns, the unique object id, the
    tokens), keeps every entry, and the token function no longer tries to be inlined; the
    catalogue's own migrated index has the layout of `create_sql`. SQLite: nothing to do."""
    if connection.vendor != "postgresql":
        migration.forwards(None, type("Editor", (), {"connection": connection}))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'catalog_search'")
            assert cursor.fetchone()[0] == 1
        return
    LAYOUT.create(connection)
    LAYOUT.bulk_insert(DOCS)
    with connection.cursor() as cursor:
        fresh = layout(cursor, LAYOUT.table)
    LAYOUT.drop(connection)
    with connection.cursor() as cursor:
        old_layout(cursor, LAYOUT)
        cursor.execute(f"ALTER FUNCTION {migration.FUNCTION} RESET search_path")
        LAYOUT.bulk_insert(DOCS)
        assert layout(cursor, LAYOUT.table) != fresh
        migration.convert(cursor, LAYOUT.table, "org", ("org", "genre", "year"))
        assert layout(cursor, LAYOUT.table) == fresh
        assert len([row for row in fresh if row[0] == "T_p1"]) == 2 + 3  # constraints, indexes
        cursor.execute(
            "SELECT proconfig FROM pg_proc WHERE oid = 'gongkai_search_tokens(text, text)'"
            "::regprocedure"
        )
        assert cursor.fetchone()[0] == ["search_path=pg_catalog"]
    assert LAYOUT.search("政务公开", filters={"org": 2}).ids == [5, 3, 1]
    assert sorted(LAYOUT.matching_ids("政务公开")) == [1, 2, 3, 4, 5, 6]
    LAYOUT.drop(connection)
    # The catalogue's index, as the migrations left it, against create_sql's.
    fresh_catalogue = replace(RECORD_INDEX, table="test_layout_catalogue")
    fresh_catalogue.create(connection)
    with connection.cursor() as cursor:
        made = layout(cursor, fresh_catalogue.table)
        migrated = layout(cursor, RECORD_INDEX.table)
    fresh_catalogue.drop(connection)
    assert [row[1:] for row in migrated if row[0] == "T"] == [
        row[1:] for row in made if row[0] == "T"
    ]
