"""The real sample documents, as they are."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from gongkai.plans.importers import parse_file

from .conftest import JINING_DOCX, JINING_TXT, JINING_XLSX, TENGZHOU_TXT


def fields(row):
    return (row.section, row.subsection, row.requirement, row.lead, row.responsible)


@pytest.fixture(scope="module")
def jining():
    return {path.suffix: parse_file(path) for path in (JINING_TXT, JINING_DOCX, JINING_XLSX)}


@pytest.fixture(scope="module")
def tengzhou():
    return parse_file(TENGZHOU_TXT)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".xlsx"])
def test_jining_table_has_66_tasks_in_5_sections_and_21_groups(jining, suffix):
    plan = jining[suffix]
    assert plan.kind == "task_table"
    assert len(plan.rows) == 66
    assert [r.n for r in plan.rows] == list(range(1, 67))
    assert plan.sections == [
        "一、深化重点领域政府信息公开",
        "二、加强和改进政策发布解读回应",
        "三、强化公众参与推动高水平决策公开",
        "四、全面提升基层政务公开标准化规范化水平",
        "五、严格政务公开工作保障和落实",
    ]
    groups = [sub for _, sub in plan.groups]
    assert len(groups) == 21
    assert groups[0] == "（一）立足实施重大战略推进政务公开"
    assert groups[-1] == "（二十一）进一步抓好任务落实"
    assert plan.title == "2021年济宁市政务公开工作任务分解表"
    assert plan.year == 2021


@pytest.mark.parametrize("suffix", [".txt", ".xlsx"])
def test_the_three_forms_parse_to_the_same_rows(jining, suffix):
    reference = jining[".docx"].rows
    other = jining[suffix].rows
    for a, b in zip(reference, other, strict=True):
        assert fields(b) == fields(a), f"row {a.n}"
        assert (b.due, b.due_text, b.cycle) == (a.due, a.due_text, a.cycle)


def test_rows_match_the_word_table_cell_by_cell(jining, sample_rows):
    """Independent of the parser: python-docx's own reading of the sample table."""
    tasks = [r for r in sample_rows if r.section is None]
    plan = jining[".docx"]
    for row, sample in zip(plan.rows, tasks, strict=True):
        assert row.requirement == "\n".join(sample.requirement)
        if sample.task is not None:
            assert row.subsection == "".join(sample.task)


def test_word_document_number_and_row_sources(jining):
    plan = jining[".docx"]
    assert plan.doc_no == "济政办字〔2021〕18号"
    first = plan.rows[0]
    assert first.source.to_dict() == {"kind": "table_row", "n": 3, "table": 1}
    # The txt export keeps the whole notice: the number is found above the table too,
    # not the 鲁政办发〔2021〕5号 quoted inside the text.
    assert jining[".txt"].doc_no == "济政办字〔2021〕18号"
    assert jining[".txt"].rows[0].source.to_dict() == {"kind": "line", "n": 30}
    assert jining[".xlsx"].rows[0].source.to_dict() == {
        "kind": "table_row",
        "n": 5,
        "sheet": "任务分解表",
    }
    assert jining[".xlsx"].doc_no is None


def test_leads_split_one_per_line_and_collectives_stay_whole(jining):
    rows = jining[".docx"].rows
    assert rows[0].lead == ["市发展改革委", "市自然资源和规划局"]
    assert rows[0].responsible == [
        "市政府有关部门、单位",
        "各县（市、区）政府",
        "济宁高新区、太白湖新区、济宁经济技术开发区管委会",
    ]
    assert rows[1].responsible[0] == (
        "市生态环境局、市城乡水务局、市自然资源和规划局、市工业和信息化局、市教育局、"
        "市科技局等市政府有关部门、单位"
    )

    def starting(prefix):
        return next(r for r in rows if r.requirement.startswith(prefix))

    assert starting("坚决打好").responsible[1] == "任城区、兖州区政府"
    assert starting("2021年年底前").lead == ["市、县级政府办公室"]
    assert rows[7].lead == ["市政府各部门、单位"]
    assert "国网济宁供电公司" in rows[17].lead
    assert len(rows[17].lead) == 13
    assert rows[18].lead[-2:] == ["人民银行济宁市中心支行", "济宁银保监分局"]


def test_due_dates_from_the_requirements(jining):
    dated = {r.n: (r.due, r.due_text, r.cycle) for r in jining[".docx"].rows if r.due or r.cycle}
    year_end = dt.date(2021, 12, 31)
    assert dated == {
        23: (year_end, "年内", None),
        49: (year_end, "2021年年底前", None),
        55: (year_end, "2021年年底前", None),
    }


def test_json_shape(jining):
    data = jining[".docx"].to_dict()
    assert set(data) == {
        "kind",
        "title",
        "year",
        "doc_no",
        "issued_on",
        "issuer",
        "warnings",
        "rows",
    }
    row = data["rows"][54]
    assert set(row) == {
        "n",
        "section",
        "subsection",
        "title",
        "requirement",
        "lead",
        "responsible",
        "due",
        "due_text",
        "cycle",
        "milestones",
        "source",
        "warnings",
    }
    assert row["due"] == "2021-12-31"


def test_tengzhou_key_points_20_points_under_6_headings(tengzhou):
    assert tengzhou.kind == "key_points"
    assert tengzhou.title == "滕州市2021年政务公开工作要点"
    assert tengzhou.year == 2021
    assert tengzhou.doc_no is None
    assert tengzhou.sections == [
        "1、主动公开",
        "二、依申请公开",
        "三、政民互动",
        "四、公众参与",
        "五、标准化规范化建设",
        "六、保障和落实",
    ]
    assert len(tengzhou.rows) == 20
    assert [r.title.split(".")[0] for r in tengzhou.rows] == [str(i) for i in range(1, 21)]
    counts = [sum(1 for r in tengzhou.rows if r.section == s) for s in tengzhou.sections]
    assert counts == [7, 1, 3, 3, 2, 4]


def test_tengzhou_points_have_title_sentence_and_body(tengzhou):
    first = tengzhou.rows[0]
    assert first.title == "1.立足实施重大战略推进政务公开" and first.subsection == ""
    assert first.requirement.startswith("主动公开“十四五”规划")
    assert first.source.to_dict() == {"kind": "line", "n": 7}
    assert all(r.lead == [] and r.responsible == [] for r in tengzhou.rows)
    # The closing paragraph after point 20 is not part of it.
    assert tengzhou.rows[-1].requirement.endswith("未完成的要依法督促整改。")
    assert tengzhou.rows[14].due == dt.date(2021, 12, 31)
    assert tengzhou.rows[14].due_text == "2021年年底前"


def test_tengzhou_as_word_document_parses_the_same(tmp_path, tengzhou):
    document = docx.Document()
    for line in TENGZHOU_TXT.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "要点.docx"
    document.save(str(path))
    plan = parse_file(path)
    assert plan.kind == "key_points"
    assert plan.title == tengzhou.title
    assert [fields(r) for r in plan.rows] == [fields(r) for r in tengzhou.rows]
