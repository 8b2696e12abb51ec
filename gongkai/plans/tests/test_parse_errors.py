"""Errors name the place and the problem, in Chinese."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess

import docx
import pytest

from gongkai.core.files import convert
from gongkai.plans.importers import ParseError, parse_file, parse_text

from .conftest import HEADER, JINING_DOCX, sample_layout, write_docx


def test_table_without_requirement_column(tmp_path, sample_rows):
    columns = ["工作任务", "牵头部门", "责任单位"]
    path = write_docx(tmp_path / "t.docx", columns, sample_layout(sample_rows, columns))
    with pytest.raises(ParseError) as exc:
        parse_file(path)
    message = str(exc.value)
    assert "表格第1行" in message
    assert "缺少「具体要求」列" in message


def test_row_with_empty_requirement(tmp_path, sample_rows):
    rows = copy.deepcopy(sample_rows)
    tasks = [r for r in rows if r.section is None]
    tasks[9].requirement = []  # task 10, in group （三）
    path = write_docx(tmp_path / "t.docx", HEADER, sample_layout(rows, HEADER))
    plan = parse_file(path)  # issue 16: a blank cell never rejects the file
    assert len(plan.rows) == 66
    row = plan.rows[9]
    # Header row 1, section row 2, tasks 1-10 in rows 3-12.
    assert row.source.describe() == "表格第12行"
    assert [(w.column, w.message) for w in row.warnings] == [
        ("具体要求", "单元格为空，已暂以工作任务名称代替，请补充具体要求")
    ]
    assert row.requirement == "（三）聚焦优化营商环境推进政务公开"
    assert "表格第12行（第10项）「具体要求」：单元格为空" in plan.all_warnings[-1]


def test_text_row_with_empty_requirement_names_the_line():
    text = "\t工作任务\n\t牵头部门\n\t具体要求\n\n\t（一）公开\n\t市财政局\n\t\n\n"
    plan = parse_text(text)
    assert plan.rows[0].source.describe() == "第5行"
    assert plan.rows[0].warnings[0].column == "具体要求"


def test_no_header_and_no_points(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于做好有关工作的通知")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "电话"
    path = tmp_path / "x.docx"
    document.save(str(path))
    with pytest.raises(ParseError, match=r"既没有可识别表头的任务表.*也没有编号的工作要点"):
        parse_file(path)


def test_unknown_format(tmp_path):
    path = tmp_path / "plan.pages"
    path.write_bytes(b"PK")
    with pytest.raises(ParseError, match=re.escape("不支持的文件格式「.pages」")):
        parse_file(path)
    broken = tmp_path / "plan.pdf"  # PDFs are read now (issue 16); a broken one is named
    broken.write_bytes(b"%PDF-1.4")
    with pytest.raises(ParseError, match=re.escape("「plan.pdf」：不是有效的 PDF 文件")):
        parse_file(broken)


def test_missing_file(tmp_path):
    with pytest.raises(ParseError, match=re.escape("找不到文件「none.docx」")):
        parse_file(tmp_path / "none.docx")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad.docx", r"「bad\.docx」的内容与扩展名 \.docx 不符"),
        ("bad.xlsx", r"「bad\.xlsx」的内容与扩展名 \.xlsx 不符"),
    ],
)
def test_unreadable_file(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(ParseError, match=message):
        parse_file(path)


def test_binary_file_named_txt(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02" * 10)
    with pytest.raises(ParseError, match="这不是文本文件"):
        parse_file(path)


def test_doc_refused_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "soffice", lambda: None)
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ParseError, match="服务器未安装 LibreOffice"):
        parse_file(path)


def test_doc_converted_with_libreoffice(tmp_path):
    assert shutil.which("soffice"), "LibreOffice is installed by ./run test"
    # The sample's body ends with the table and no paragraph after it, which Word repairs on
    # opening but LibreOffice does not (it flattens the table). Save it as Word would.
    document = docx.Document(str(JINING_DOCX))
    document.add_paragraph("")
    source = tmp_path / "plan.docx"
    document.save(str(source))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    plan = parse_file(tmp_path / "out" / "plan.doc")
    reference = parse_file(JINING_DOCX)
    assert len(plan.rows) == 66
    assert [(r.subsection, r.requirement, r.lead) for r in plan.rows] == [
        (r.subsection, r.requirement, r.lead) for r in reference.rows
    ]
