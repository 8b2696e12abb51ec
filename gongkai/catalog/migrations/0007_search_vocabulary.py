from django.db import migrations

# The search index's vocabulary (core.search.vocabulary), frozen as of this migration: each
# entry's terms, and per government every term with the number of entries holding it. The
# vocabulary fills on the next `gongkai search reindex`.
ADD = {
    "sqlite": [
        "ALTER TABLE catalog_search ADD COLUMN vocab TEXT NOT NULL DEFAULT ''",
        "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term TEXT NOT NULL, "
        "df INTEGER NOT NULL, PRIMARY KEY (scope, term)) WITHOUT ROWID",
    ],
    "postgresql": [
        "ALTER TABLE catalog_search ADD COLUMN vocab text NOT NULL DEFAULT ''",
        "CREATE TABLE catalog_search_vocab (scope BIGINT NOT NULL, term text NOT NULL, "
        "df integer NOT NULL, PRIMARY KEY (scope, term))",
    ],
}
REMOVE = {
    "sqlite": [
        "DROP TABLE IF EXISTS catalog_search_vocab",
        "ALTER TABLE catalog_search DROP COLUMN vocab",
    ],
    "postgresql": [
        "DROP TABLE IF EXISTS catalog_search_vocab",
        "ALTER TABLE catalog_search DROP COLUMN vocab",
    ],
}


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements[schema_editor.connection.vendor]:
            cursor.execute(statement)


def add_vocabulary(apps, schema_editor):
    _run(schema_editor, ADD)


def remove_vocabulary(apps, schema_editor):
    _run(schema_editor, REMOVE)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_search_rows_inline_pg")]

    operations = [migrations.RunPython(add_vocabulary, remove_vocabulary)]
