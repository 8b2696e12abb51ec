"""Search keys with 30 bits of the object id instead of 20 (core.search.documents
`_ID_BITS`): two records published in the same second whose ids differed by a multiple of
2**20 had the same key, and the second one's entry could not be written (a province's
records imported with a date only share seconds by the hundred). Every key changes, so the
entries are rebuilt from the published records here, on both databases (an entry left with
an old key would sort wrongly and pass the visibility ceiling of the new keys); should the
rebuild fail, the index is emptied and `gongkai search reindex` fills it."""

from django.db import DatabaseError, migrations, transaction


def rebuild(apps, schema_editor):
    from gongkai.catalog.indexing import RECORD_INDEX, reindex

    Record = apps.get_model("catalog", "Record")
    connection = schema_editor.connection
    if not Record.objects.filter(published_at__isnull=False).exists():
        return  # nothing indexed (a new database)
    try:
        with transaction.atomic(using=connection.alias):
            reindex()
    except DatabaseError as error:  # the live models ahead of this database's schema
        RECORD_INDEX.clear(connection)
        print(f"\n  search index emptied ({error}): run `gongkai search reindex`")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_search_dense_fts_rowid")]

    # Back: the old code's `gongkai search reindex` writes its keys again.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
