from django.db import migrations

from gongkai.core.search import SearchIndex

# Frozen copy of catalog.indexing.RECORD_INDEX as of this migration.
INDEX = SearchIndex(
    "catalog_search",
    filters=(
        ("government", "int"),
        ("publisher", "int"),
        ("genre", "text"),
        ("topic", "text"),
        ("year", "int"),
        ("validity", "text"),
    ),
)


def create_filter_indexes(apps, schema_editor):
    """(filter, sort_key) indexes on PostgreSQL too (SQLite has had them since 0002): a
    filtered search walks the newest records of its filter."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in INDEX.filter_index_sql(connection.vendor):
            cursor.execute(statement)


def drop_filter_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _ in INDEX.filters:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX.table}_{name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_covering_public_indexes")]

    operations = [migrations.RunPython(create_filter_indexes, drop_filter_indexes)]
