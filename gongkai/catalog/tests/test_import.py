import io

from openpyxl import Workbook

from gongkai.catalog import importer
from gongkai.catalog.models import Record
from gongkai.catalog.visibility import public_records


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = ["索引号", "标题", "文号", "发布日期", "体裁分类", "主题分类", "正文"]


def test_preview_reports_row_errors_and_nothing_is_imported(login, approver_a, dept_a):
    data = xlsx(
        [
            HEADER,
            [
                "A-1",
                "关于印发工作要点的通知",
                "济教发〔2020〕1号",
                "2020-03-01",
                "通知公告",
                "综合政务",
                "正文一",
            ],
            ["A-2", "", "", "2020/13/01", "不存在的体裁", "", ""],
        ]
    )
    preview = importer.preview(data)
    assert not preview.ok
    bad = preview.bad_rows[0]
    assert bad.number == 3
    assert "标题为空" in bad.errors and any("体裁分类" in e for e in bad.errors)
    client = login(approver_a)
    response = client.post(
        "/manage/catalog/import/",
        {"publisher": dept_a.pk, "file": io.BytesIO(data), "confirm": "1"},
    )
    assert "有错误的行" in response.content.decode()
    assert Record.objects.count() == 0


def test_import_commits_all_rows_once(login, approver_a, officer_b, dept_a):
    data = xlsx(
        [
            HEADER,
            [
                "A-1",
                "关于印发工作要点的通知",
                "济教发（2020）1号",
                "2020-03-01",
                "通知公告",
                "综合政务",
                "第一段\n第二段",
            ],
            ["A-2", "2020年部门预算", "", "2020年4月2日", "财政预决算", "财政、金融、审计", ""],
        ]
    )
    client = login(approver_a)
    response = client.post(
        "/manage/catalog/import/",
        {"publisher": dept_a.pk, "file": io.BytesIO(data), "confirm": "1"},
    )
    assert response.status_code == 302
    assert public_records().count() == 2
    rec = public_records().get(source_ref="A-1")
    assert rec.doc_no_key == "济教发〔2020〕1号" and rec.published_at.year == 2020
    # The same file again adds nothing.
    client.post(
        "/manage/catalog/import/",
        {"publisher": dept_a.pk, "file": io.BytesIO(data), "confirm": "1"},
    )
    assert Record.objects.count() == 2
    # An outsider cannot import into dept A (the publisher is not among their choices).
    other = login(officer_b).post(
        "/manage/catalog/import/",
        {"publisher": dept_a.pk, "file": io.BytesIO(data), "confirm": "1"},
    )
    assert "选择一个有效的选项" in other.content.decode() or other.status_code == 200
    assert Record.objects.count() == 2
