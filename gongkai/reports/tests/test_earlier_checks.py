"""Issue 16: earlier reports — table 四 checked like table 三, the layout named, sums of rows
named together accepted in the text, every text-versus-table check acknowledgeable."""

from __future__ import annotations

import pytest

from gongkai.reports import checks, earlier, layout

from .test_checks import SECTIONS, tables

TABLE3_2021 = [
    "一、本年新收政府信息公开申请数量,5,0,0,0,0,0,5",
    "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0",
    "（一）予以公开,4,0,0,0,0,0,4",
    "（六）其他处理,3.其他,1,0,0,0,0,0,1",
    "（七）总计,5,0,0,0,0,0,5",
    "四、结转下年度继续办理,0,0,0,0,0,0,0",
]
# 行政复议 10 + 1 with 总计 0; 未经复议直接起诉 5 with 总计 0; 复议后起诉 balanced.
TABLE4_WRONG = "10,1,0,0,0,5,0,0,0,0,0,0,0,0,0"


def _csv(lines) -> bytes:
    return "\n".join(lines).encode("utf-8")


def test_table4_that_does_not_add_up_is_warned(tmp_path, capsys, dept_a):
    from gongkai.cli import main

    parsed = earlier.parse(_csv([*TABLE3_2021, TABLE4_WRONG]), "2023.csv", 2023)
    problems = layout.table4_problems(parsed.table4)
    assert [(p.column, p.left, p.right) for p in problems] == [
        ("review", 11, 0),
        ("litigation_direct", 5, 0),
    ]
    path = tmp_path / "2023.csv"
    path.write_bytes(_csv([*TABLE3_2021, TABLE4_WRONG]))
    assert main(["report", "import-earlier", str(path), "--org", "市教育局", "--year", "2023"]) == 0
    err = capsys.readouterr().err
    assert "表四“行政复议”：结果维持、结果纠正、其他结果、尚未审结之和为 11，但总计为 0" in err
    assert "表四“未经复议直接起诉”" in err


def test_table4_identity_blocks_a_report_being_written():
    t = tables(new=1, disclosed=1)
    t["table4"]["review"]["upheld"] = 2
    found = [c for c in checks.check_report(t, SECTIONS) if c.code.startswith("identity:table4")]
    assert found and found[0].blocking and "行政复议" in found[0].message


def test_the_layout_is_read_from_the_table_and_said(tmp_path, capsys, dept_a):
    from gongkai.cli import main

    one_row = [line.replace("（六）其他处理,3.其他,", "（六）其他处理,") for line in TABLE3_2021]
    parsed = earlier.parse(_csv(one_row), "2019.csv", 2019)
    assert parsed.layout == "2019" and "其他处理”为一行" in parsed.layout_note
    parsed = earlier.parse(_csv(TABLE3_2021), "2021.csv", 2021)
    assert parsed.layout == "2021" and "分项列出" in parsed.layout_note
    assert not [w for w in parsed.warnings if "通常使用" in w]
    # A 2019-layout table given as a 2022 report: said, and warned.
    parsed = earlier.parse(_csv(one_row), "2022.csv", 2022)
    assert parsed.layout == "2019"
    assert any("2022年度报告通常使用2021 版格式" in w for w in parsed.warnings)
    path = tmp_path / "2022.csv"
    path.write_bytes(_csv(one_row))
    assert main(["report", "import-earlier", str(path), "--org", "市教育局", "--year", "2022"]) == 0
    captured = capsys.readouterr()
    assert "格式：2019 版格式" in captured.out and "通常使用" in captured.err


@pytest.mark.parametrize(
    "text",
    [
        "予以公开及部分公开42件。",
        "予以公开和部分公开共42件。",
        "其中予以公开22件，部分公开20件。",
    ],
)
def test_sums_of_rows_named_together_are_valid(text):
    t = tables(new=42, disclosed=22, partly_disclosed=20)
    found = [
        c
        for c in checks.text_checks(dict(SECTIONS, requests=text), t)
        if c.code.startswith("text:")
    ]
    assert found == []


def test_a_wrong_sum_names_both_rows_and_can_be_acknowledged():
    t = tables(new=42, disclosed=22, partly_disclosed=20)
    sections = dict(SECTIONS, requests="予以公开及部分公开40件。")
    found = [c for c in checks.check_report(t, sections) if c.code.startswith("text:")]
    assert len(found) == 1 and found[0].blocking and found[0].acknowledgeable
    assert "予以公开与部分公开之和 40" in found[0].message and "42" in found[0].message
    acknowledged = {found[0].code: "文字按办结口径统计，2件在次年办结"}
    again = [
        c for c in checks.check_report(t, sections, (), acknowledged) if c.code.startswith("text:")
    ]
    assert again[0].level == "warning" and "已说明" in again[0].message
