"""SQLite: the search index's FTS5 rowid becomes a dense numbering of the entries in key
order, ``seq`` (issue 18, index size: a posting's rowid delta takes one varint byte instead
of 4–5 with the key ``(seconds << 20) | id``; see core.search.sqlite.schema). The table is
made again with ``seq`` as its rowid and the key ``sort_key`` a unique column, its rows
copied numbered SEQ_GAP apart in key order, and the FTS5 tokens handed over again under the
new numbers, recomputed from each entry's stored text (no record is read). An index left
empty while records are published (0009 writes its layout with the live code, which now
writes ``seq``: it leaves the index empty on SQLite) is filled from the records as 0009 did;
should that fail, it stays empty and `gongkai search reindex` fills it. Going back makes
0009's table again, keyed by ``sort_key`` (its FTS5 tokens under the key). PostgreSQL:
nothing changes."""

from django.db import DatabaseError, migrations, transaction

from gongkai.core.search import SearchIndex

# As of this migration (frozen): the catalogue index's filter columns and the numbering gap.
FILTERS = (
    ("government", "int"),
    ("publisher", "int"),
    ("genre", "text"),
    ("topic", "text"),
    ("year", "year"),
    ("validity", "text"),
)
SEQ_GAP = 64
COLUMNS = (
    "sort_key, object_id, published, government, publisher, genre, topic, year, validity, "
    "title, body"
)
DENSE = [
    "CREATE TABLE catalog_search_new (seq INTEGER PRIMARY KEY, sort_key BIGINT NOT NULL UNIQUE, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title TEXT NOT NULL, body TEXT NOT NULL)",
    f"INSERT INTO catalog_search_new (seq, {COLUMNS}) SELECT row_number() OVER (ORDER BY sort_key) * {SEQ_GAP}, {COLUMNS} FROM catalog_search",
]
# 0009's table (the FTS5 rowid is the key).
KEYED = [
    "CREATE TABLE catalog_search_new (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title TEXT NOT NULL, body TEXT NOT NULL)",
    f"INSERT INTO catalog_search_new ({COLUMNS}) SELECT {COLUMNS} FROM catalog_search",
]
SWAP = [
    "DROP TABLE catalog_search",
    "ALTER TABLE catalog_search_new RENAME TO catalog_search",
]


def _convert(schema_editor, statements, rowid):
    if schema_editor.connection.vendor != "sqlite":
        return
    from gongkai.core.search.sqlite.schema import refill_fts

    index = SearchIndex("catalog_search", filters=FILTERS, vocabulary="government")
    with schema_editor.connection.cursor() as cursor:
        for statement in [*statements, *SWAP]:
            cursor.execute(statement)
        refill_fts(index, cursor, rowid)
        cursor.execute("INSERT INTO catalog_search_fts(catalog_search_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE catalog_search")


def dense(apps, schema_editor):
    _convert(schema_editor, DENSE, "seq")
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM catalog_search LIMIT 1")
        if cursor.fetchone() is not None:
            return
    from gongkai.catalog.indexing import reindex_in_migration

    reindex_in_migration(apps, schema_editor.connection)


def keyed(apps, schema_editor):
    _convert(schema_editor, KEYED, "sort_key")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_search_partitions_three_indexes")]

    operations = [migrations.RunPython(dense, keyed)]
