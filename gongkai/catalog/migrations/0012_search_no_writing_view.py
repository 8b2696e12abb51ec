"""SQLite: the search index's rows and FTS5 tokens are written by two statements of many rows
(core.search.sqlite.schema.insert) instead of through the view ``catalog_search_w``, whose
INSTEAD OF trigger cost as much again as the writes (issue 18, build rate). The view and its
trigger go; nothing else changes (no reindex). PostgreSQL never had them."""

from django.db import migrations

# As catalog 0009 created them (frozen).
VIEW = [
    "CREATE VIEW catalog_search_w AS SELECT sort_key, object_id, published, government, publisher, genre, topic, year, validity, title, body, '' AS terms FROM catalog_search",
    "CREATE TRIGGER catalog_search_wi INSTEAD OF INSERT ON catalog_search_w BEGIN INSERT INTO catalog_search (sort_key, object_id, published, government, publisher, genre, topic, year, validity, title, body) VALUES (new.sort_key, new.object_id, new.published, new.government, new.publisher, new.genre, new.topic, new.year, new.validity, new.title, new.body); INSERT INTO catalog_search_fts (rowid, terms) VALUES (new.sort_key, new.terms); END",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_view(apps, schema_editor):
    _run(schema_editor, ["DROP VIEW IF EXISTS catalog_search_w"])  # its trigger goes with it


def create_view(apps, schema_editor):
    _run(schema_editor, VIEW)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_search_partitioned_by_government")]

    operations = [migrations.RunPython(drop_view, create_view)]
