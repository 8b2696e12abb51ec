"""`gongkai report annual … --json [--docx]`, the Word file read back, the PDF from LibreOffice."""

from __future__ import annotations

import io
import json

import pytest

from gongkai.cli import main
from gongkai.reports import exports, layout
from gongkai.reports.tests.conftest import COLS


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.django_db
def test_cli_json_for_one_organisation_by_short_name(world, dept_a, capsys):
    code, out, _ = run(capsys, "report", "annual", "--org", "市教育局", "--year", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"org", "year", "table2", "table3", "table4", "checks"}
    assert data["org"] == "济宁市教育局" and data["year"] == 2025
    assert list(data["table3"]) == list(layout.TABLE3_ROW_KEYS)
    assert tuple(data["table3"]["new"]) == COLS
    assert data["table3"]["new"]["total"] == 7
    assert data["table3"]["other_3"]["natural_person"] == 1
    assert list(data["table4"]) == ["review", "litigation_direct", "litigation_after_review"]
    assert data["table4"]["review"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert set(data["table2"]) == {
        "rule",
        "normative",
        "licensing",
        "penalty",
        "enforcement",
        "fees_wan_yuan",
    }
    assert data["table2"]["rule"] == {"issued": 0, "repealed": 0, "in_force": 0}
    # The drafted text still has the parts only the officer can write: blocking.
    levels = {c["code"].split(":")[0]: c["level"] for c in data["checks"]}
    assert levels["placeholder"] == "error"
    assert "identity" not in levels and "text" not in levels


@pytest.mark.django_db
def test_cli_org_all_is_the_governments_summary(world, government, capsys):
    code, out, _ = run(capsys, "report", "annual", "--org", "all", "--year", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["org"] == "济宁市人民政府" and data["scope"] == "summary"
    assert data["table3"]["new"]["total"] == 8


@pytest.mark.django_db
def test_cli_bad_input_is_explained_in_chinese(government, dept_a, capsys):
    code, _, err = run(capsys, "report", "annual", "--org", "市不存在局", "--year", "2025")
    assert code == 1 and "未找到机构“市不存在局”" in err
    code, _, err = run(capsys, "report", "annual", "--org", "市教育局", "--year", "1999")
    assert code == 1 and "年度 1999 无效" in err


def _table_with(doc, text):
    for table in doc.tables:
        if any(text in cell.text for row in table.rows for cell in row.cells):
            return table
    raise AssertionError(text)


@pytest.mark.django_db
def test_docx_has_the_official_table_layout(world, dept_a, tmp_path, capsys):
    from docx import Document

    path = tmp_path / "report.docx"
    code, _, _ = run(
        capsys, "report", "annual", "--org", "济宁市教育局", "--year", "2025", "--docx", str(path)
    )
    assert code == 0
    doc = Document(io.BytesIO(path.read_bytes()))
    assert doc.paragraphs[0].text == "济宁市教育局2025年政府信息公开工作年度报告"
    headings = [p.text for p in doc.paragraphs if p.text in dict(layout.SECTIONS).values()]
    assert headings == [title for _, title in layout.SECTIONS]

    t3 = _table_with(doc, "申请人情况")
    assert len(t3.columns) == 10
    assert len(t3.rows) == 3 + 2 + len(layout.OUTCOME_ROWS) + 1 + 1
    header = [[c.text for c in row.cells] for row in t3.rows[:3]]
    assert header[0][3:] == ["申请人情况"] * 7  # merged across the 7 number columns
    assert header[0][0] == layout.CORNER_NOTE
    assert header[1][3] == "自然人" and header[1][4:9] == ["法人或其他组织"] * 5
    assert header[1][9] == "总计" and header[2][9] == "总计"  # merged down
    assert header[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    body = {}
    for row in t3.rows[3:]:
        texts = [c.text for c in row.cells]
        label = texts[2] if texts[1] != texts[2] else texts[1]
        body[label] = [int(t) for t in texts[3:]]
    assert body["一、本年新收政府信息公开申请数量"] == [2, 1, 1, 1, 1, 1, 7]
    assert body["3.其他"] == [1, 0, 0, 0, 0, 0, 1]
    assert body["（七）总计"] == [3, 1, 1, 1, 1, 0, 7]
    assert body["四、结转下年度继续办理"] == [0, 0, 0, 0, 0, 1, 1]
    assert t3.rows[5].cells[0].text == "三、本年度办理结果"  # merged down the 22 result rows
    assert t3.rows[5 + len(layout.OUTCOME_ROWS)].cells[0].text == "三、本年度办理结果"
    assert t3.rows[7].cells[1].text == "（三）不予公开" == t3.rows[14].cells[1].text

    t4 = _table_with(doc, "复议后起诉")
    assert len(t4.columns) == 15
    assert [c.text for c in t4.rows[3].cells] == [
        "0",
        "0",
        "0",
        "1",
        "1",
        "1",
        "0",
        "0",
        "0",
        "1",
        "0",
        "0",
        "0",
        "1",
        "1",
    ]
    t2 = _table_with(doc, "第二十条第（一）项")
    assert [c.text for c in t2.rows[1].cells] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    from gongkai.core.documents import FANGSONG, HEITI, XIAOBIAOSONG

    styles = {p.style.name: p.style.font.name for p in doc.paragraphs}
    assert styles["公文标题"] == XIAOBIAOSONG.name and styles["一级标题"] == HEITI.name
    assert doc.styles["Normal"].font.name == FANGSONG.name


@pytest.mark.django_db
def test_xlsx_export_has_the_three_tables(world, dept_a):
    from openpyxl import load_workbook

    data = exports.to_xlsx(exports.document_for(dept_a, 2025))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼", "正文"]
    ws = wb["三、依申请公开"]
    rows = {r[0]: r[3:] for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["一、本年新收政府信息公开申请数量"] == (2, 1, 1, 1, 1, 1, 7)
    assert "A2:C4" in {str(m) for m in ws.merged_cells.ranges}


@pytest.mark.django_db
def test_pdf_renders_with_chinese_fonts(world, dept_a):
    assert exports.soffice(), "LibreOffice is installed by ./run test"
    pdf = exports.to_pdf(exports.document_for(dept_a, 2025))
    assert pdf.startswith(b"%PDF")
    assert b"NotoSerifCJK" in pdf or b"NotoSansCJK" in pdf  # embedded CJK fonts
