# ruff: noqa: E501
from django.db import migrations

# The PostgreSQL filter indexes of the search table as of this migration, frozen.
FILTER_INDEXES = [
    "CREATE INDEX IF NOT EXISTS catalog_search_government ON catalog_search (government, sort_key) INCLUDE (publisher, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_publisher ON catalog_search (publisher, sort_key) INCLUDE (government, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_genre ON catalog_search (genre, sort_key) INCLUDE (government, publisher, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_topic ON catalog_search (topic, sort_key) INCLUDE (government, publisher, genre, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_year ON catalog_search (year, sort_key) INCLUDE (government, publisher, genre, topic, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_validity ON catalog_search (validity, sort_key) INCLUDE (government, publisher, genre, topic, year)",
]
FILTERS = ["government", "publisher", "genre", "topic", "year", "validity"]


def create_filter_indexes(apps, schema_editor):
    """(filter, sort_key) indexes on PostgreSQL too (SQLite has had them since 0002): a
    filtered search walks the newest records of its filter."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in FILTER_INDEXES:
            cursor.execute(statement)


def drop_filter_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in FILTERS:
            cursor.execute(f"DROP INDEX IF EXISTS catalog_search_{name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_covering_public_indexes")]

    operations = [migrations.RunPython(create_filter_indexes, drop_filter_indexes)]
