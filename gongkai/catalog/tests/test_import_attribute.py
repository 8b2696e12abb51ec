"""The catalogue import honours 公开属性: a non-public row never reaches any public channel.

Issue 16 (severe): the import ignored the column and published every row. Each non-public
spelling an old system's export uses is imported as a draft with that attribute; the public
pages, the search page, the feeds, the sitemap and the API show only the 主动公开 rows.
"""

import io

import pytest
from django.urls import reverse

from gongkai.catalog import importer
from gongkai.catalog.models import Attribute, Record, Status
from gongkai.catalog.visibility import public_records

from .test_import import xlsx

HEADER = [
    "索引号",
    "标题",
    "文号",
    "成文日期",
    "发布日期",
    "体裁分类",
    "公开属性",
    "不公开理由",
    "依据",
]

# (公开属性 cell, the attribute it means)
NON_PUBLIC = [
    ("依申请公开", Attribute.ON_REQUEST),
    ("依申请", Attribute.ON_REQUEST),
    ("不予公开", Attribute.WITHHELD),
    ("不公开", Attribute.WITHHELD),
    ("免予公开", Attribute.WITHHELD),
    ("非公开", Attribute.WITHHELD),
    (" 不予 公开 ", Attribute.WITHHELD),
]
PUBLIC = ["主动公开", "主动"]


def _sheet():
    rows = [HEADER]
    for n, value in enumerate(PUBLIC, start=1):
        rows.append(
            [
                f"P-{n}",
                f"公开通知甲{n}号关于开放日",
                "",
                "2021-03-01",
                "2021-03-02",
                "行政规范性文件",
                value,
                "",
                "",
            ]
        )
    for n, (value, _attr) in enumerate(NON_PUBLIC, start=1):
        rows.append(
            [
                f"N-{n}",
                f"内部研判纪要秘{n}号关于开放日",
                f"济内〔2021〕{n}号",
                "2021-03-01",
                "2021-03-02",
                "行政规范性文件",
                value,
                "涉及内部事务信息",
                "条例第十六条",
            ]
        )
    return xlsx(rows)


def test_non_public_rows_are_imported_as_non_public_drafts(approver_a, dept_a):
    preview = importer.preview(_sheet(), dept_a.government, publisher=dept_a, actor=approver_a)
    assert preview.ok, [r.errors for r in preview.rows]
    assert importer.commit(approver_a, preview) == {
        "published": len(PUBLIC),
        "not_public": len(NON_PUBLIC),
        "skipped": 0,
    }
    for n, (_value, attr) in enumerate(NON_PUBLIC, start=1):
        record = Record.objects.get(source_ref=f"N-{n}")
        assert record.attribute == attr
        assert record.status == Status.DRAFT and record.published_at is None
        assert record.attribute_reason == "涉及内部事务信息"
        assert record.attribute_basis == "条例第十六条"
    assert set(public_records().values_list("source_ref", flat=True)) == {"P-1", "P-2"}


def test_no_public_channel_shows_a_non_public_row(client, login, approver_a, dept_a):
    response = login(approver_a).post(
        "/manage/catalog/import/",
        {"publisher": dept_a.pk, "file": io.BytesIO(_sheet()), "confirm": "1"},
    )
    assert response.status_code == 302
    client.logout()
    hidden = list(Record.objects.filter(source_ref__startswith="N-"))
    shown = list(Record.objects.filter(source_ref__startswith="P-"))
    assert len(hidden) == len(NON_PUBLIC) and len(shown) == len(PUBLIC)
    pages = [
        reverse("portal:disclosure"),
        reverse("portal:disclosure_org", args=[dept_a.pk]),
        reverse("portal:disclosure_directory", args=[dept_a.pk]),
        reverse("portal:records"),
        reverse("portal:records") + "?year=2021",
        reverse("portal:policies"),
        reverse("portal:search") + "?q=开放日",
        reverse("portal:search") + "?q=纪要",
        reverse("portal:records_rss"),
        reverse("portal:records_atom"),
        reverse("portal:sitemap"),
        "/api/catalog/records/",
        "/api/catalog/search/?q=开放日",
        "/api/catalog/search/?q=纪要",
    ]
    everything = ""
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        everything += answer.content.decode()
    for record in shown:
        assert record.title in everything
    for record in hidden:
        assert record.title not in everything
        assert record.doc_no not in everything
        assert reverse("portal:record", args=[record.pk]) not in everything
        assert client.get(reverse("portal:record", args=[record.pk])).status_code == 404
        assert client.get(f"/api/catalog/records/{record.pk}/").status_code == 404
    assert client.get("/api/catalog/search/?q=纪要").json()["count"] == 0


@pytest.mark.parametrize("value", ["", "部分公开", "待定"])
def test_blank_or_unknown_attribute_refuses_the_whole_file(approver_a, dept_a, value):
    data = xlsx(
        [
            HEADER,
            ["P-1", "公开通知甲", "", "2021-03-01", "2021-03-02", "通知公告", "主动公开", "", ""],
            ["N-1", "内部研判纪要", "", "2021-03-01", "2021-03-02", "通知公告", value, "", ""],
        ]
    )
    preview = importer.preview(data, dept_a.government, publisher=dept_a, actor=approver_a)
    assert not preview.ok
    assert [r.number for r in preview.bad_rows] == [3]
    assert "公开属性" in preview.bad_rows[0].errors[0]
    with pytest.raises(importer.actions.ActionError):
        importer.commit(approver_a, preview)
    assert Record.objects.count() == 0


def test_without_the_column_the_preview_warns_that_rows_will_be_published(dept_a):
    data = xlsx([["标题", "发布日期"], ["公开通知甲", "2021-03-02"]])
    preview = importer.preview(data, dept_a.government, publisher=dept_a)
    assert preview.ok
    assert any("公开属性" in w for w in preview.warnings)
