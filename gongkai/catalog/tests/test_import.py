import datetime as dt
import io
import json

from django.utils import timezone
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
    preview = importer.preview(data, dept_a.government, publisher=dept_a)
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


# --- publisher per row, checks in the preview, numbering year, the command (issue 16) ---------

ROW_HEADER = ["索引号", "标题", "文号", "成文日期", "发布日期", "发布机构", "公开属性"]


def test_publisher_per_row_is_resolved_within_the_government(
    office, dept_a, dept_b, other_government
):
    data = xlsx(
        [
            ROW_HEADER,
            ["A-1", "教育通知", "", "2021-03-01", "2021-03-02", "济宁市教育局", "主动公开"],
            ["A-2", "预算公开", "", "2021-03-01", "2021-03-02", "市财政局", "主动公开"],
            ["A-3", "外市文件", "", "2021-03-01", "2021-03-02", "滕州市教育局", "主动公开"],
            ["A-4", "无机构", "", "2021-03-01", "2021-03-02", "", "主动公开"],
        ]
    )
    preview = importer.preview(data, dept_a.government, actor=office)
    assert [r.publisher for r in preview.rows[:2]] == [dept_a, dept_b]
    assert {r.number: r.errors for r in preview.bad_rows} == {
        4: ["发布机构“滕州市教育局”在本级机构中找不到"],
        5: ["发布机构为空"],
    }


def test_every_row_is_checked_in_the_preview(approver_a, dept_a, dept_b):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    data = xlsx(
        [
            ROW_HEADER,
            ["B-1", "明天的通知", "", "2021-03-01", future, "市教育局", "主动公开"],
            ["B-2", "财政局的通知", "", "2021-03-01", "2021-03-02", "市财政局", "主动公开"],
            ["B-3", "好的通知", "", "2021-03-01", "2021-03-02", "市教育局", "主动公开"],
            ["B-3", "重复的索引号", "", "2021-03-01", "2021-03-02", "市教育局", "主动公开"],
        ]
    )
    preview = importer.preview(data, dept_a.government, actor=approver_a)
    assert {r.number: r.errors for r in preview.bad_rows} == {
        2: [f"发布日期“{future}”晚于今天"],
        3: ["您不能为“济宁市财政局”导入信息"],
        5: ["索引号“B-3”与第4行重复"],
    }


def test_index_number_is_in_the_documents_own_year(approver_a, dept_a):
    data = xlsx(
        [
            ["索引号", "标题", "文号", "成文日期", "发布日期"],
            ["C-1", "有成文日期", "济教发〔2019〕3号", "2020-12-30", "2021-01-05"],
            ["C-2", "只有文号", "济教发[2019]4号", "", "2021-01-05"],
            ["C-3", "什么都没有", "", "", "2021-01-05"],
        ]
    )
    preview = importer.preview(data, dept_a.government, publisher=dept_a, actor=approver_a)
    assert preview.ok
    assert [r.data["index_year"] for r in preview.rows] == [2020, 2019, 2021]
    assert preview.warnings[-1].startswith("第4行：没有成文日期，文号中也没有年份")
    importer.commit(approver_a, preview)
    years = {r.source_ref: r.index_no.split("/")[1][:4] for r in Record.objects.all()}
    assert years == {"C-1": "2020", "C-2": "2019", "C-3": "2021"}


def test_command_line_import_is_all_or_nothing(tmp_path, capsys, dept_a, dept_b):
    from gongkai.cli import main

    good = tmp_path / "good.xlsx"
    good.write_bytes(
        xlsx(
            [
                ROW_HEADER,
                ["D-1", "教育通知", "", "2021-03-01", "2021-03-02", "市教育局", "主动公开"],
                ["D-2", "内部纪要", "", "2021-03-01", "2021-03-02", "市财政局", "不予公开"],
            ]
        )
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            [
                ROW_HEADER,
                ["E-1", "教育通知", "", "2021-03-01", "2021-03-02", "市教育局", "主动公开"],
                ["E-2", "", "", "2021-03-01", "2021-03-02", "市财政局", "保密"],
            ]
        )
    )
    assert main(["catalog", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "未导入任何数据" in err and "第3行：标题为空；公开属性“保密”无法识别" in err
    assert main(["catalog", "import", str(good), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and [r["publisher"] for r in out["rows"]] == ["济宁市教育局", "济宁市财政局"]
    assert Record.objects.count() == 0
    assert main(["catalog", "import", str(good), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == {"published": 1, "not_public": 1, "skipped": 0}
    assert public_records().get().source_ref == "D-1"
    assert main(["catalog", "import", str(good)]) == 0
    assert "2 条此前已导入，已跳过" in capsys.readouterr().out
    assert Record.objects.count() == 2
    assert main(["catalog", "import", str(tmp_path / "none.xlsx")]) == 2


def test_old_xls_imports_like_xlsx_and_wps_et_says_how_to_save(tmp_path, capsys, dept_a):
    import shutil
    import subprocess

    from gongkai.cli import main

    source = tmp_path / "records.xlsx"
    source.write_bytes(
        xlsx(
            [
                ROW_HEADER,
                ["F-1", "教育通知", "", "2021-03-01", "2021-03-02", "市教育局", "主动公开"],
                ["F-2", "内部纪要", "", "2021-03-01", "2021-03-02", "市教育局", "不予公开"],
            ]
        )
    )
    assert shutil.which("soffice"), "LibreOffice is installed by ./run test"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    xls = tmp_path / "records.xls"
    assert main(["catalog", "import", str(xls), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["attribute"]) for r in out["rows"]] == [
        ("教育通知", "proactive"),
        ("内部纪要", "withheld"),
    ]
    assert main(["catalog", "import", str(xls), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"]["published"] == 1
    assert public_records().get().source_ref == "F-1"
    et = tmp_path / "records.et"
    shutil.copy(xls, et)  # WPS 表格 .et: a message saying how to save it
    assert main(["catalog", "import", str(et)]) == 1
    assert "请在 WPS 表格中“另存为” Excel 文件（.xlsx）" in capsys.readouterr().err
