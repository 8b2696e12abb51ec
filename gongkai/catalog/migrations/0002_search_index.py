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


def create_index(apps, schema_editor):
    INDEX.create(schema_editor.connection)


def drop_index(apps, schema_editor):
    INDEX.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
