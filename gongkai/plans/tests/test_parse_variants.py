"""Other layouts of the same table, written from the real .docx into tmp_path."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from gongkai.plans.importers import parse_file

from .conftest import HEADER, JINING_DOCX, sample_layout, write_docx, write_xlsx


def fields(row):
    return (row.section, row.subsection, row.requirement, row.lead, row.responsible)


@pytest.fixture(scope="module")
def reference():
    return [fields(r) for r in parse_file(JINING_DOCX).rows]


def test_rebuilt_table_parses_like_the_sample(tmp_path, sample_rows, reference):
    path = write_docx(tmp_path / "t.docx", HEADER, sample_layout(sample_rows, HEADER))
    assert [fields(r) for r in parse_file(path).rows] == reference


def test_six_columns_with_due_dates(tmp_path, sample_rows, reference):
    columns = ["序号", "工作任务", "牵头部门", "责任单位", "具体要求", "完成时限"]
    dues = {1: "2021年6月底前", 2: "每季度", 3: "长期坚持", 4: "3月31日前", 5: "上半年"}

    def extra(n, column):
        return str(n) if column == "序号" else dues.get(n, "")

    rows = sample_layout(sample_rows, columns, extra=extra)
    path = write_docx(
        tmp_path / "t.docx", columns, rows, merge_down=(1,), before=("2021年任务分解表",)
    )
    plan = parse_file(path)
    assert [fields(r) for r in plan.rows] == reference
    got = [(r.due, r.cycle, r.due_text) for r in plan.rows[:5]]
    assert got == [
        (dt.date(2021, 6, 30), None, "2021年6月底前"),
        (None, "quarterly", "每季度"),
        (None, "ongoing", "长期坚持"),
        (dt.date(2021, 3, 31), None, "3月31日前"),
        (dt.date(2021, 6, 30), None, "上半年"),
    ]
    # An empty 完成时限 cell falls back to the requirement text.
    assert plan.rows[54].due == dt.date(2021, 12, 31)
    assert plan.rows[54].due_text == "2021年年底前"


def test_leads_joined_on_one_line(tmp_path, sample_rows, reference):
    rows = copy.deepcopy(sample_rows)
    for row in rows:
        if row.section is None:
            row.lead = ["、".join(row.lead)]
            row.responsible = ["，".join(row.responsible)]
    path = write_docx(tmp_path / "t.docx", HEADER, sample_layout(rows, HEADER))
    assert [fields(r) for r in parse_file(path).rows] == reference


def test_lead_without_city_prefix_is_kept_as_written(tmp_path, sample_rows):
    rows = copy.deepcopy(sample_rows)
    tasks = [r for r in rows if r.section is None]
    tasks[0].lead = ["发展改革委", "市自然资源和规划局"]
    tasks[3].lead = ["发展改革委、工业和信息化局、市商务局、大数据中心"]
    path = write_docx(tmp_path / "t.docx", HEADER, sample_layout(rows, HEADER))
    plan = parse_file(path)
    assert plan.rows[0].lead == ["发展改革委", "市自然资源和规划局"]
    assert plan.rows[3].lead == ["发展改革委", "工业和信息化局", "市商务局", "大数据中心"]


def test_title_rows_above_the_header(tmp_path, sample_rows, reference):
    path = write_docx(
        tmp_path / "t.docx",
        HEADER,
        sample_layout(sample_rows, HEADER),
        before=("济政办字〔2021〕18号",),
        title_rows=("2021年济宁市政务公开工作任务分解表", "填报单位：市政府办公室"),
    )
    plan = parse_file(path)
    assert plan.title == "2021年济宁市政务公开工作任务分解表"
    assert plan.doc_no == "济政办字〔2021〕18号"
    assert [fields(r) for r in plan.rows] == reference


def test_year_from_the_document_number_or_the_option(tmp_path, sample_rows):
    layout = sample_layout(sample_rows, HEADER)
    numbered = write_docx(
        tmp_path / "a.docx", HEADER, layout, before=("鲁政办字〔2022〕7号", "任务分解表")
    )
    plan = parse_file(numbered, year=1999)
    assert (plan.title, plan.year) == ("任务分解表", 2022)
    assert plan.rows[54].due == dt.date(2021, 12, 31)  # 2021年年底前 names its year
    assert plan.rows[22].due == dt.date(2022, 12, 31)  # 年内: the plan's year

    bare = write_docx(tmp_path / "b.docx", HEADER, layout, before=("任务分解表",))
    assert parse_file(bare).year is None
    assert parse_file(bare).rows[22].due is None  # 年内, but which year?
    assert parse_file(bare, year=2023).rows[22].due == dt.date(2023, 12, 31)


def test_missing_task_cell_continues_the_row_above(tmp_path, sample_rows, reference):
    """No vertical merge at all: continuation rows just leave 工作任务 empty."""
    rows = sample_layout(sample_rows, HEADER, merged=False)
    path = write_docx(tmp_path / "t.docx", HEADER, rows, merge_down=())
    assert [fields(r) for r in parse_file(path).rows] == reference


def test_header_repeated_mid_table(tmp_path, sample_rows, reference):
    rows = sample_layout(sample_rows, HEADER)
    for at in (40, 20):
        rows.insert(at, list(HEADER))
    path = write_docx(tmp_path / "t.docx", HEADER, rows, merge_down=())
    plan = parse_file(path)
    assert [fields(r) for r in plan.rows] == reference


def test_columns_reordered_and_renamed(tmp_path, sample_rows, reference):
    order = ["具体要求", "责任单位", "工作任务", "牵头部门"]
    rows = sample_layout(sample_rows, order)
    renamed = ["工作要求", "配合单位", "任务", "牵头单位"]
    path = write_docx(tmp_path / "t.docx", renamed, rows, merge_down=(2,))
    assert [fields(r) for r in parse_file(path).rows] == reference


def test_table_split_over_two_tables(tmp_path, sample_rows, reference):
    """A table continued as a second table (same header) after a page break paragraph."""
    import docx

    rows = sample_layout(sample_rows, HEADER)
    first = write_docx(tmp_path / "a.docx", HEADER, rows[:30])
    second = write_docx(tmp_path / "b.docx", HEADER, rows[30:])
    document = docx.Document(str(first))
    document.add_paragraph("（续表）")
    body = document.element.body
    body.insert(len(body) - 1, copy.deepcopy(docx.Document(str(second)).tables[0]._tbl))
    path = tmp_path / "t.docx"
    document.save(str(path))
    plan = parse_file(path)
    # Row 30 of the layout is a continuation row: its group carries over to the second table.
    assert [fields(r) for r in plan.rows] == reference
    assert plan.rows[-1].source.table == 2


def test_xlsx_with_seq_column_and_merged_cells(tmp_path, sample_rows, reference):
    path = write_xlsx(tmp_path / "t.xlsx", sample_rows)
    plan = parse_file(path)
    assert plan.title == "2021年济宁市政务公开工作任务分解表"
    assert [fields(r) for r in plan.rows] == reference
    assert plan.rows[0].due == dt.date(2021, 6, 30)
    assert plan.rows[0].source.to_dict() == {"kind": "table_row", "n": 5, "sheet": "分解表"}


def test_xlsx_dates_and_numbers_in_cells(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "工作任务", "牵头单位", "具体要求", "完成时限"])
    sheet.append([1, "（一）公开", "市财政局", "做好预决算公开。", dt.datetime(2021, 9, 30)])
    sheet.append([2, None, "市财政局", "做好债务公开。", "每月"])
    path = tmp_path / "t.xlsx"
    workbook.save(str(path))
    plan = parse_file(path, year=2021)
    assert [(r.subsection, r.due, r.cycle) for r in plan.rows] == [
        ("（一）公开", dt.date(2021, 9, 30), None),
        ("（一）公开", None, "monthly"),
    ]
    assert plan.rows[0].due_text == "2021-09-30"
