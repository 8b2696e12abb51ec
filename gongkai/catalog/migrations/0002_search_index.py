# ruff: noqa: E501
from django.db import migrations

# The search table's DDL as of this migration, frozen (core.search's live DDL may change).
SQLITE = [
    "CREATE TABLE catalog_search (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title_terms TEXT NOT NULL, body_terms TEXT NOT NULL, words TEXT NOT NULL, tags TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5(title_terms, body_terms, words, tags, content='catalog_search', content_rowid='sort_key')",
    "CREATE TRIGGER catalog_search_ai AFTER INSERT ON catalog_search BEGIN INSERT INTO catalog_search_fts(rowid, title_terms, body_terms, words, tags) VALUES (new.sort_key, new.title_terms, new.body_terms, new.words, new.tags); END",
    "CREATE TRIGGER catalog_search_ad AFTER DELETE ON catalog_search BEGIN INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_terms, body_terms, words, tags) VALUES ('delete', old.sort_key, old.title_terms, old.body_terms, old.words, old.tags); END",
    "CREATE INDEX catalog_search_government ON catalog_search (government, sort_key)",
    "CREATE INDEX catalog_search_publisher ON catalog_search (publisher, sort_key)",
    "CREATE INDEX catalog_search_genre ON catalog_search (genre, sort_key)",
    "CREATE INDEX catalog_search_topic ON catalog_search (topic, sort_key)",
    "CREATE INDEX catalog_search_year ON catalog_search (year, sort_key)",
    "CREATE INDEX catalog_search_validity ON catalog_search (validity, sort_key)",
]
POSTGRESQL = [
    "CREATE TABLE catalog_search (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, tsv tsvector NOT NULL, title_tsv tsvector NOT NULL, words_tsv tsvector NOT NULL) WITH (toast_tuple_target = 8160)",
    "CREATE INDEX catalog_search_tsv ON catalog_search USING gin (tsv) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS catalog_search_government ON catalog_search (government, sort_key) INCLUDE (publisher, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_publisher ON catalog_search (publisher, sort_key) INCLUDE (government, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_genre ON catalog_search (genre, sort_key) INCLUDE (government, publisher, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_topic ON catalog_search (topic, sort_key) INCLUDE (government, publisher, genre, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_year ON catalog_search (year, sort_key) INCLUDE (government, publisher, genre, topic, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_validity ON catalog_search (validity, sort_key) INCLUDE (government, publisher, genre, topic, year)",
]
DDL = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS catalog_search_fts", "DROP TABLE IF EXISTS catalog_search"],
    "postgresql": ["DROP TABLE IF EXISTS catalog_search"],
}


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements[schema_editor.connection.vendor]:
            cursor.execute(statement)


def create_index(apps, schema_editor):
    _run(schema_editor, DDL)


def drop_index(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
