"""Public pages, feeds, sitemap and API of the catalogue."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.catalog.models import Genre, Validity


@pytest.fixture
def site(publish_record, approver_a):
    policy = publish_record(
        title="济宁市校外培训管理办法",
        genre=Genre.NORMATIVE,
        doc_no="济教发〔2026〕7号",
        interpretation="《济宁市校外培训管理办法》政策解读",
        body="<p>为规范校外培训，推进政务公开，制定本办法。</p>",
    )
    notice = publish_record(title="关于开展政府开放日活动的通知")
    actions.add_attachment(
        approver_a, notice, "报名表.docx", ContentFile(b"PK-docx", "报名表.docx")
    )
    return {"policy": policy, "notice": notice}


def test_disclosure_pages(client, site, dept_a, django_assert_max_num_queries):
    for url in [
        reverse("portal:disclosure"),
        reverse("portal:disclosure_org", args=[dept_a.pk]),
        reverse("portal:disclosure_guide", args=[dept_a.pk]),
        reverse("portal:disclosure_directory", args=[dept_a.pk]),
        reverse("portal:records"),
        reverse("portal:policies"),
        reverse("portal:interpretations"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(reverse("portal:disclosure_directory", args=[dept_a.pk])).content.decode()
    assert site["policy"].index_no in body
    with django_assert_max_num_queries(2):  # rows with the capped count, the form's publishers
        response = client.get(reverse("portal:records") + "?genre=normative")
    assert "济宁市校外培训管理办法" in response.content.decode()
    assert "关于开展政府开放日" not in response.content.decode()


def test_list_query_counts_are_pinned(client, publish_record, django_assert_max_num_queries):
    for i in range(25):
        publish_record(title=f"通知{i}")
    client.get(reverse("portal:records"))  # warm the site and years caches
    with django_assert_max_num_queries(1):  # the page of rows with the capped count
        assert client.get(reverse("portal:records")).status_code == 200
    with django_assert_max_num_queries(2):  # and the form's publishers (first visit)
        assert client.get(reverse("portal:policies")).status_code == 200
    with django_assert_max_num_queries(4):  # counts, publishers, latest, columns
        assert client.get(reverse("portal:disclosure")).status_code == 200


def test_record_page_links_interpretation_and_attachment(client, site):
    policy = site["policy"]
    page = client.get(reverse("portal:record", args=[policy.pk])).content.decode()
    assert "济教发〔2026〕7号" in page and policy.index_no in page
    interp = policy.interpretations.get()
    assert reverse("portal:interpretation", args=[interp.pk]) in page
    back = client.get(reverse("portal:interpretation", args=[interp.pk])).content.decode()
    assert reverse("portal:record", args=[policy.pk]) in back
    notice = site["notice"]
    att = notice.attachments.get()
    response = client.get(reverse("portal:record_attachment", args=[notice.pk, att.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK-docx"
    assert (
        client.get(reverse("portal:record_attachment", args=[policy.pk, att.pk])).status_code == 404
    )


def test_validity_banner_and_chain(client, site, publish_record, approver_a):
    newer = publish_record(
        title="济宁市校外培训管理办法（修订）", genre=Genre.NORMATIVE, interpretation="修订解读"
    )
    actions.change_validity(
        approver_a, site["policy"], Validity.REPEALED, by_record=newer, on=dt.date(2026, 11, 20)
    )
    page = client.get(reverse("portal:record", args=[site["policy"].pk])).content.decode()
    assert "本文件已废止" in page and reverse("portal:record", args=[newer.pk]) in page
    lib = client.get(reverse("portal:policies") + "?validity=in_force").content.decode()
    assert "（修订）" in lib and "济宁市校外培训管理办法</a>" not in lib


def test_search_page(client, site):
    page = client.get(reverse("portal:search"), {"q": "公开"}).content.decode()
    assert "找到 2 条结果" in page
    assert "<mark>公开</mark>" in page
    for form in ["济教发[2026]7号", "济教发（2026）7号", "济教发【2026】7号"]:
        page = client.get(reverse("portal:search"), {"q": form}).content.decode()
        assert "济宁市校外培训管理办法" in page, form
    page = client.get(reverse("portal:search"), {"q": "开放日", "genre": "bogus"}).content.decode()
    assert "体裁分类“bogus”无效" in page and "关于开展政府<mark>开放日</mark>活动的通知" in page
    page = client.get(reverse("portal:search"), {"q": "，，"}).content.decode()
    assert "检索词需包含汉字" in page


def test_search_and_browse_agree_on_the_year_at_new_year(client, publish_record):
    """年份 is the publication year in Beijing time on the search page (the index's key range
    on PostgreSQL) as on the browse list: 00:00 on 1 January belongs to the new year."""
    from gongkai.catalog.indexing import sync_record
    from gongkai.catalog.models import Record

    midnight = dt.datetime(2024, 12, 31, 16, 0, tzinfo=dt.UTC)  # 2025-01-01 00:00 in Beijing
    for title, at in [
        ("公开年末通知", midnight - dt.timedelta(seconds=1)),
        ("公开年初通知", midnight),
    ]:
        record = publish_record(title=title)
        Record.objects.filter(pk=record.pk).update(published_at=at)
        record.refresh_from_db()
        sync_record(record)
    for year, title, other in [("2024", "年末通知", "年初通知"), ("2025", "年初通知", "年末通知")]:
        found = client.get(reverse("portal:search"), {"q": "公开", "year": year}).content.decode()
        assert "找到 1 条结果" in found and title in found and other not in found, year
        listed = client.get(reverse("portal:records"), {"year": year}).content.decode()
        assert title in listed and other not in listed, year
    page = client.get(reverse("portal:search"), {"q": "公开", "year": "20x5"}).content.decode()
    assert "年份应为四位数字，已忽略该条件。" in page and "找到 2 条结果" in page


def test_bad_browse_input_gets_chinese_message(client, site):
    page = client.get(reverse("portal:records"), {"year": "abc", "org": "x"}).content.decode()
    assert "年份应为四位数字" in page and "发布机构不存在" in page


def test_feeds_sitemap_and_api(client, site):
    rss = client.get(reverse("portal:records_rss")).content.decode()
    assert "济宁市校外培训管理办法" in rss
    atom = client.get(reverse("portal:records_atom")).content.decode()
    assert "<feed" in atom and "关于开展政府开放日活动的通知" in atom
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    assert reverse("portal:record", args=[site["policy"].pk]) in sitemap
    data = client.get("/api/catalog/records/").json()
    assert data["count"] == 2
    detail = client.get(f"/api/catalog/records/{site['policy'].pk}/").json()
    assert detail["doc_no"] == "济教发〔2026〕7号" and len(detail["interpretation_ids"]) == 1
    assert client.get("/api/catalog/search/", {"q": "培训"}).json()["count"] == 1
    assert client.get("/api/catalog/records/?genre=bogus").status_code == 422
    assert client.get("/api/catalog/records/999999/").status_code == 404


def test_other_government_site_does_not_show_records(client, site, other_government):
    response = client.get(f"/s/tengzhou/disclosure/records/{site['policy'].pk}/")
    assert response.status_code == 404
    assert client.get("/api/catalog/records/?gov=tengzhou").json()["count"] == 0
