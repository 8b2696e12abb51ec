from django.db import migrations


def keep_rows_inline(apps, schema_editor):
    """PostgreSQL: keep each record's tsvector in its table row instead of TOAST (checking a
    search candidate then reads one page), and rewrite the rows already indexed so they move
    in (`|| ''` makes a new value; an unchanged one would keep its TOAST pointer). The GIN
    index is rebuilt afterwards rather than updated row by row."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # core.search.PG_TABLE_OPTIONS, frozen here.
        cursor.execute("ALTER TABLE catalog_search SET (toast_tuple_target = 8160)")
        cursor.execute("DROP INDEX IF EXISTS catalog_search_tsv")
        cursor.execute("UPDATE catalog_search SET tsv = tsv || ''::tsvector")
        cursor.execute(
            "CREATE INDEX catalog_search_tsv ON catalog_search USING gin (tsv) "
            "WITH (fastupdate = off)"
        )


def back_to_default(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE catalog_search RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search_filter_indexes_pg")]

    operations = [migrations.RunPython(keep_rows_inline, back_to_default)]
