import json

from gongkai.catalog.indexing import RECORD_INDEX
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
