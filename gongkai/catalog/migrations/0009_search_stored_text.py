"""The search index in its second layout (issue 18): each entry stores its text once
(`core.text.index_text` of title and body) and the database indexes only which entries hold
which tokens — a contentless FTS5 table with detail=none on SQLite, a GIN expression index
of a tsvector without positions computed by the database from the stored text on PostgreSQL
— instead of token streams with positions. Phrases are checked on the stored text of the
candidates. The entries are rebuilt from the published records here (the
tokens come from the live `core.text`); should that fail, the index is left empty and
`gongkai search reindex` fills it."""

from django.db import DatabaseError, migrations, transaction

# The DDL as of this migration, frozen (core.search's live DDL may change).
SQLITE = [
    "CREATE TABLE catalog_search (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5(terms, content='', detail=none, columnsize=0, tokenize=\"unicode61 tokenchars '#'\")",
    "CREATE VIEW catalog_search_w AS SELECT sort_key, object_id, published, government, publisher, genre, topic, year, validity, title, body, '' AS terms FROM catalog_search",
    "CREATE TRIGGER catalog_search_wi INSTEAD OF INSERT ON catalog_search_w BEGIN INSERT INTO catalog_search (sort_key, object_id, published, government, publisher, genre, topic, year, validity, title, body) VALUES (new.sort_key, new.object_id, new.published, new.government, new.publisher, new.genre, new.topic, new.year, new.validity, new.title, new.body); INSERT INTO catalog_search_fts (rowid, terms) VALUES (new.sort_key, new.terms); END",
    "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL, PRIMARY KEY (scope, term)) WITHOUT ROWID",
]
POSTGRESQL = [
    "CREATE TABLE catalog_search (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title text NOT NULL, body text NOT NULL) WITH (toast_tuple_target = 8160)",
    "CREATE OR REPLACE FUNCTION gongkai_search_tokens(title text, body text)\nRETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$\nSELECT ARRAY(SELECT CASE WHEN b = ' ' OR b IS NULL THEN a ELSE a || b END\n             FROM unnest(string_to_array(s, NULL), string_to_array(substr(s, 2), NULL)) u(a, b)\n             WHERE a <> ' ')\n  || ARRAY(SELECT m[1] FROM regexp_matches(s, '(?:^| )([a-z][0-9a-z]*)', 'g') m)\n  || ARRAY(SELECT '#' || substr(m[1], i) FROM regexp_matches(s, '(?:^| )([0-9]+)', 'g') m,\n           generate_series(greatest(1, length(m[1]) - 11), length(m[1])) i)\nFROM (SELECT title || ' ' || body AS s) x\n$$",
    "CREATE INDEX catalog_search_tsv ON catalog_search USING gin ((array_to_tsvector(gongkai_search_tokens(title, body)))) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS catalog_search_government ON catalog_search (government, sort_key) INCLUDE (publisher, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_publisher ON catalog_search (publisher, sort_key) INCLUDE (government, genre, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_genre ON catalog_search (genre, sort_key) INCLUDE (government, publisher, topic, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_topic ON catalog_search (topic, sort_key) INCLUDE (government, publisher, genre, year, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_year ON catalog_search (year, sort_key) INCLUDE (government, publisher, genre, topic, validity)",
    "CREATE INDEX IF NOT EXISTS catalog_search_validity ON catalog_search (validity, sort_key) INCLUDE (government, publisher, genre, topic, year)",
    "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term text NOT NULL, df integer NOT NULL, PRIMARY KEY (scope, term))",
]
FILTERS = ("government", "publisher", "genre", "topic", "year", "validity")
DDL = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
DROP = {
    "sqlite": [
        "DROP TABLE IF EXISTS catalog_search_vocab",
        "DROP VIEW IF EXISTS catalog_search_w",
        "DROP TABLE IF EXISTS catalog_search_fts",
        "DROP TABLE IF EXISTS catalog_search",
    ],
    "postgresql": [
        "DROP TABLE IF EXISTS catalog_search_vocab",
        "DROP TABLE IF EXISTS catalog_search",
    ],
}
# The first layout (0002, 0006 and 0007), empty: `gongkai search reindex` fills it.
OLD = {
    "sqlite": [
        "CREATE TABLE catalog_search (sort_key INTEGER PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, title_terms TEXT NOT NULL, body_terms TEXT NOT NULL, words TEXT NOT NULL, tags TEXT NOT NULL, vocab TEXT NOT NULL DEFAULT '')",
        "CREATE VIRTUAL TABLE catalog_search_fts USING fts5(title_terms, body_terms, words, tags, content='catalog_search', content_rowid='sort_key')",
        "CREATE TRIGGER catalog_search_ai AFTER INSERT ON catalog_search BEGIN INSERT INTO catalog_search_fts(rowid, title_terms, body_terms, words, tags) VALUES (new.sort_key, new.title_terms, new.body_terms, new.words, new.tags); END",
        "CREATE TRIGGER catalog_search_ad AFTER DELETE ON catalog_search BEGIN INSERT INTO catalog_search_fts(catalog_search_fts, rowid, title_terms, body_terms, words, tags) VALUES ('delete', old.sort_key, old.title_terms, old.body_terms, old.words, old.tags); END",
        *(f"CREATE INDEX catalog_search_{n} ON catalog_search ({n}, sort_key)" for n in FILTERS),
        "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL, PRIMARY KEY (scope, term)) WITHOUT ROWID",
    ],
    "postgresql": [
        "CREATE TABLE catalog_search (sort_key BIGINT PRIMARY KEY, object_id BIGINT NOT NULL UNIQUE, published BIGINT NOT NULL, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, year BIGINT, validity TEXT, tsv tsvector NOT NULL, title_tsv tsvector NOT NULL, words_tsv tsvector NOT NULL, vocab text NOT NULL DEFAULT '') WITH (toast_tuple_target = 8160)",
        "CREATE INDEX catalog_search_tsv ON catalog_search USING gin (tsv) WITH (fastupdate = off)",
        *(s for s in POSTGRESQL if s.startswith("CREATE INDEX IF NOT EXISTS")),
        "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term text NOT NULL, df integer NOT NULL, PRIMARY KEY (scope, term))",
    ],
}


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements[schema_editor.connection.vendor]:
            cursor.execute(statement)


def rebuild(apps, schema_editor):
    _run(schema_editor, DROP)
    _run(schema_editor, DDL)
    Record = apps.get_model("catalog", "Record")
    if not Record.objects.filter(published_at__isnull=False).exists():
        return  # nothing to index (a new database)
    from gongkai.catalog.indexing import reindex

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            reindex()
    except DatabaseError as error:  # the live models ahead of this database's schema
        print(f"\n  search index left empty ({error}): run `gongkai search reindex`")


def back(apps, schema_editor):
    _run(schema_editor, DROP)
    _run(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_merge_vocabulary_workday_dates")]

    operations = [migrations.RunPython(rebuild, back)]
