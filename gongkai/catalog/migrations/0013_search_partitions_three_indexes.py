"""The partitioned search index with three indexes a partition (issue 19, point 7): a statement
over the parent (a search of all governments, a write by object id) is planned over every
partition's every index, 9 a partition until now. The six filter indexes go (a partition needs
no index of the government it holds; its primary key now carries the other filter columns, so
a government's filtered walks and counts stay index-only), leaving the primary key, the unique
object id and the token index. The token function gets a SET clause, which keeps the planner
from parsing its body again for every partition (it tried to inline it). Converted in place:
the index's entries stay; each partition's primary key is built again. An index that an earlier
migration left empty is filled here (0011 reindexes with the live code, whose partitions now
have this layout, which 0011's parent cannot take). SQLite: nothing to do."""

from django.db import DatabaseError, migrations, transaction

# As of this migration, frozen (core.search's live DDL may change).
TABLE, PART = "catalog_search", "government"
FILTERS = ("government", "publisher", "genre", "topic", "year", "validity")
FUNCTION = "gongkai_search_tokens(text, text)"


def _partitions(cursor, table):
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY 1",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def convert(cursor, table, part, filters):
    """The partitioned table `table` (by `part`) from (primary key, unique object id, token
    index, a (column, sort_key) index per filter) to (primary key carrying the other filter
    columns, unique object id, token index), each partition's named after it."""
    include = ", ".join(name for name in filters if name != part)
    key = f"PRIMARY KEY (sort_key, {part}) INCLUDE ({include})"
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for name in filters:
        cursor.execute(f"DROP INDEX IF EXISTS {table}_{name}")  # the partitions' go with it
    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
    for partition in _partitions(cursor, table):
        cursor.execute(f"ALTER TABLE {partition} ADD CONSTRAINT {partition}_pkey {key}")
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey {key}")  # attaches them
    cursor.execute(f"ALTER FUNCTION {FUNCTION} SET search_path = pg_catalog")


def revert(cursor, table, part, filters):
    cursor.execute(f"ALTER FUNCTION {FUNCTION} RESET search_path")
    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
    key = f"PRIMARY KEY (sort_key, {part})"
    for partition in _partitions(cursor, table):
        cursor.execute(f"ALTER TABLE {partition} ADD CONSTRAINT {partition}_pkey {key}")
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey {key}")
    for name in filters:
        include = ", ".join(n for n in filters if n != name)
        # (Each partition's index is made and attached under a name PostgreSQL chooses.)
        cursor.execute(
            f"CREATE INDEX {table}_{name} ON {table} ({name}, sort_key) INCLUDE ({include})"
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        convert(cursor, TABLE, PART, FILTERS)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")
        if cursor.fetchone()[0]:
            return
    from gongkai.catalog.indexing import reindex_in_migration

    reindex_in_migration(apps, schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        revert(cursor, TABLE, PART, FILTERS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_search_no_writing_view")]

    operations = [migrations.RunPython(forwards, backwards)]
