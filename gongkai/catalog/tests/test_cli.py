import datetime as dt
import json

from django.db import connection

from gongkai.catalog.indexing import RECORD_INDEX, reindex
from gongkai.catalog.models import Record
from gongkai.cli import main


def test_search_reindex_and_query(publish_record, capsys):
    record = publish_record(title="关于推进政务公开标准化的通知", doc_no="济教发〔2026〕2号")
    RECORD_INDEX.clear()
    assert main(["search", "query", "标准化", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 0
    assert main(["search", "reindex", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"indexed": 1, "entries": 1}
    assert main(["search", "query", "济教发[2026]2号", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["id"] == record.pk
    assert main(["search", "query", "，"]) == 2
    assert main(["catalog", "overdue", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []


def test_reindex_writes_entries_in_key_order(publish_record):
    """A full reindex writes the entries oldest first, whatever the records' creation order,
    so PostgreSQL's heap is in key order (see catalog.indexing.reindex)."""
    records = [publish_record(title=f"关于政务公开第{i}项工作的通知") for i in range(4)]
    for days, record in zip([3, 40, 1, 20], records, strict=True):
        Record.objects.filter(pk=record.pk).update(
            published_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC) - dt.timedelta(days=days)
        )
    assert reindex() == 4
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM catalog_search ORDER BY {order}")
        written = [row[0] for row in cursor.fetchall()]
    assert written == [records[i].pk for i in (1, 3, 0, 2)]


def test_the_layout_migrations_rebuild_the_index_as_a_reindex_would(publish_record, capsys):
    """Migrations 0009 (issue 18: stored text, tokens only in the database's index), 0011
    (issue 19: partitioned by government on PostgreSQL), 0012 (SQLite: no writing view), 0013
    (PostgreSQL: three indexes a partition) and 0014 (SQLite: a dense FTS5 rowid) drop or
    convert the search tables and fill them from the published records: after them, the same
    results as `gongkai search reindex`, vocabulary included. (0009's layout is no longer what
    the live code writes on either database: it leaves the index empty; on PostgreSQL 0011's
    is not either, and 0013 fills it; on SQLite 0014 does.)"""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    layouts = [
        importlib.import_module(f"gongkai.catalog.migrations.{name}")
        for name in (
            "0009_search_stored_text",
            "0011_search_partitioned_by_government",
            "0013_search_partitions_three_indexes",
        )
    ]
    no_view, dense = (
        importlib.import_module(f"gongkai.catalog.migrations.{name}")
        for name in ("0012_search_no_writing_view", "0014_search_dense_fts_rowid")
    )
    records = [
        publish_record(title="关于推进政务公开标准化的通知", doc_no="济教发〔2026〕2号"),
        publish_record(title="森林防火工作方案", body="<p>做好秋冬季森林防火工作。</p>"),
    ]
    queries = ["政务公开", "济教发[2026]2号", "森林防火", "防火 工作", "通知"]

    def state():
        with connection.cursor() as cursor:
            cursor.execute("SELECT scope, term, df FROM catalog_search_vocab ORDER BY 1, 2")
            vocab = cursor.fetchall()
        return [RECORD_INDEX.search(q).ids for q in queries], vocab

    assert reindex() == 2
    expected = state()
    assert expected[0][:3] == [[records[0].pk], [records[0].pk], [records[1].pk]]
    RECORD_INDEX.clear()
    assert state() == ([[]] * len(queries), [])
    # (The migrations use only their schema editor's connection.)
    for migration in layouts:
        fill = getattr(migration, "rebuild", None) or migration.forwards
        fill(apps, SimpleNamespace(connection=connection))
    no_view.drop_view(apps, SimpleNamespace(connection=connection))
    dense.dense(apps, SimpleNamespace(connection=connection))
    assert state() == expected
    assert "search index left empty" in capsys.readouterr().out  # 0009 (and 0011 on PostgreSQL)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'catalog_search'::regclass ORDER BY 1"
            )
            partitions = [row[0] for row in cursor.fetchall()]
        assert partitions == [f"catalog_search_p{records[0].government_id}"]


def test_migration_0014_numbers_an_existing_index_densely_and_back(publish_record):
    """Migration 0014 converts a filled index without reading the records (SQLite): back to
    0009's table, the FTS5 tokens are under each entry's key; forwards again, under ``seq``,
    SEQ_GAP apart in key order, and every search finds what it found before. PostgreSQL:
    nothing changes."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("gongkai.catalog.migrations.0014_search_dense_fts_rowid")
    records = [publish_record(title=f"关于政务公开第{i}项工作的通知") for i in range(3)]
    for days, record in zip([3, 40, 1], records, strict=True):
        Record.objects.filter(pk=record.pk).update(
            published_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC) - dt.timedelta(days=days)
        )
    assert reindex() == 3
    queries = ["政务公开", "第1项", "工作 通知"]
    expected = [RECORD_INDEX.search(q, sort="date").ids for q in queries]
    assert expected[0] == [records[i].pk for i in (2, 0, 1)]
    editor = SimpleNamespace(connection=connection)
    migration.keyed(apps, editor)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.rowid FROM catalog_search_fts f WHERE catalog_search_fts MATCH "
                "'\"公开\"' ORDER BY f.rowid DESC"
            )
            keys = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT sort_key FROM catalog_search ORDER BY sort_key DESC")
            assert keys == [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT name FROM pragma_table_info('catalog_search')")
            assert "seq" not in {row[0] for row in cursor.fetchall()}
    migration.dense(apps, editor)
    assert [RECORD_INDEX.search(q, sort="date").ids for q in queries] == expected
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq, object_id FROM catalog_search ORDER BY sort_key")
            assert cursor.fetchall() == [
                (migration.SEQ_GAP * (n + 1), records[i].pk) for n, i in enumerate((1, 0, 2))
            ]
            cursor.execute(
                "INSERT INTO catalog_search_fts(catalog_search_fts, rank) "
                "VALUES ('integrity-check', 0)"
            )


def test_the_search_index_is_written_without_a_view(db):
    """Migration 0012: SQLite's index rows and tokens are written directly (the writing view
    and its INSTEAD OF trigger of 0009 are gone); a reindex still fills the index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'catalog_search_w'")
        else:
            cursor.execute("SELECT viewname FROM pg_views WHERE viewname = 'catalog_search_w'")
        assert cursor.fetchall() == []


def test_the_wider_keys_migration_rewrites_every_entry(publish_record):
    """Migration 0015 (30 id bits in the key): entries written with the old keys (20 bits)
    are rebuilt with the new ones, and searches find what a reindex finds."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from gongkai.core.search.documents import sort_key

    migration = importlib.import_module("gongkai.catalog.migrations.0015_search_keys_wider")
    records = [publish_record(title=f"关于政务公开第{i}项工作的通知") for i in range(3)]
    assert reindex() == 3
    expected = RECORD_INDEX.search("政务公开", sort="date").ids
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id, published FROM catalog_search")
        rows = cursor.fetchall()
        for object_id, published in rows:  # the keys as the 20-bit layout wrote them
            cursor.execute(
                "UPDATE catalog_search SET sort_key = %s WHERE object_id = %s",
                [(published << 20) | (object_id & 0xFFFFF), object_id],
            )
    migration.rebuild(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id, sort_key FROM catalog_search ORDER BY object_id")
        keys = dict(cursor.fetchall())
    published = {r.pk: Record.objects.get(pk=r.pk).published_at for r in records}
    assert keys == {pk: sort_key(at, pk) for pk, at in published.items()}
    assert RECORD_INDEX.search("政务公开", sort="date").ids == expected
