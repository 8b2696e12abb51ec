from django.urls import reverse

from gongkai.catalog.indexing import search_records
from gongkai.catalog.models import Record, Validity
from gongkai.catalog.visibility import public_records


def test_demo_catalog_is_idempotent_and_searchable(db, client):
    from gongkai.demo import catalog
    from gongkai.demo.loader import load_demo

    assert load_demo()["created"] is True  # the demo loader runs the catalog demo
    count = Record.objects.count()
    assert catalog.load() is False
    assert Record.objects.count() == count

    sample = public_records().get(doc_no="济政办字〔2021〕18号")
    assert sample.publisher.name == "济宁市人民政府办公室"
    assert sample.attachments.get().name.endswith(".docx")
    gov = sample.government
    for q in ("济政办字[2021]18号", "任务分解表", "公开"):
        _, rows = search_records(gov, q)
        assert sample in rows, q
    assert public_records().filter(validity=Validity.REPEALED).count() == 1
    assert not public_records().filter(title__contains="信访").exists()
    page = client.get(reverse("portal:record", args=[sample.pk])).content.decode()
    assert "2021年济宁市政务公开工作任务分解表.docx" in page
