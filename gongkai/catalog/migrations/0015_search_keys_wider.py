"""Search keys with 30 bits of the object id instead of 20 (core.search.documents
`_ID_BITS`): two records published in the same second whose ids differed by a multiple of
2**20 had the same key, and the second one's entry could not be written (a province's
records imported with a date only share seconds by the hundred). Every key changes, so the
entries are rebuilt from the published records here, on both databases (an entry left with
an old key would sort wrongly and pass the visibility ceiling of the new keys); should the
rebuild fail, the index is emptied and `gongkai search reindex` fills it."""

from django.db import DatabaseError, migrations, transaction


def rebuild(apps, schema_editor):
    from gongkai.catalog.indexing import reindex_in_migration

    reindex_in_migration(apps, schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_search_dense_fts_rowid")]

    # Back: the old code's `gongkai search reindex` writes its keys again.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
