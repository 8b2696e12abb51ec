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
