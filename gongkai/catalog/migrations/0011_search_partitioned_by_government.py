"""The search index partitioned by government on PostgreSQL (issue 19): the table
``catalog_search`` becomes ``PARTITION BY LIST (government)``, with one partition per
government made when its first entry is written (`core.search.postgres.schema`
`ensure_partitions`), so that a government's portal search reads only its own entries. The
entries are rebuilt from the published records here, as 0009 did; should that fail, the
index is left empty and `gongkai search reindex` fills it. SQLite keeps its single table:
nothing to do there."""

from django.db import DatabaseError, migrations, transaction

# The DDL as of this migration, frozen (core.search's live DDL may change). The token
# function is 0009's (unchanged here); partitions are made by the live code as entries come.
FILTERS = ("government", "publisher", "genre", "topic", "year", "validity")
PARTITIONED = [
    "CREATE TABLE catalog_search (sort_key BIGINT NOT NULL, object_id BIGINT NOT NULL, published BIGINT NOT NULL, government BIGINT NOT NULL, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title text NOT NULL, body text NOT NULL, PRIMARY KEY (sort_key, government), UNIQUE (object_id, government)) PARTITION BY LIST (government)",
    "CREATE INDEX catalog_search_tsv ON catalog_search USING gin ((array_to_tsvector(gongkai_search_tokens(title, body)))) WITH (fastupdate = off)",
    *(
        f"CREATE INDEX IF NOT EXISTS catalog_search_{name} ON catalog_search ({name}, sort_key) "
        f"INCLUDE ({', '.join(n for n in FILTERS if n != name)})"
        for name in FILTERS
    ),
    "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term text NOT NULL, df integer NOT NULL, PRIMARY KEY (scope, term))",
]
# 0009's layout (one table), empty: `gongkai search reindex` of that code fills it.
SINGLE = [
    "CREATE TABLE catalog_search (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title text NOT NULL, body text NOT NULL) WITH (toast_tuple_target = 8160)",
    "CREATE INDEX catalog_search_tsv ON catalog_search USING gin ((array_to_tsvector(gongkai_search_tokens(title, body)))) WITH (fastupdate = off)",
    *(s for s in PARTITIONED if s.startswith("CREATE INDEX IF NOT EXISTS")),
    "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term text NOT NULL, df integer NOT NULL, PRIMARY KEY (scope, term))",
]
DROP = ["DROP TABLE IF EXISTS catalog_search_vocab", "DROP TABLE IF EXISTS catalog_search"]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.core.search.postgres.schema import forget_partitions

    from gongkai.catalog.indexing import RECORD_INDEX, reindex

    _run(schema_editor, DROP)
    forget_partitions(RECORD_INDEX)
    _run(schema_editor, PARTITIONED)
    Record = apps.get_model("catalog", "Record")
    if not Record.objects.filter(published_at__isnull=False).exists():
        return  # nothing to index (a new database)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            reindex()
    except DatabaseError as error:  # the live models ahead of this database's schema
        print(f"\n  search index left empty ({error}): run `gongkai search reindex`")


def back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _run(schema_editor, DROP)
    _run(schema_editor, SINGLE)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_record_public_by_genre")]

    operations = [migrations.RunPython(rebuild, back)]
