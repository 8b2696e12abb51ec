"""Key-points layouts beyond the Tengzhou sample, and the parsers on arbitrary text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.plans.importers import ParseError, parse_text

POINTS = """\
某市人民政府办公室关于印发2022年政务公开工作要点的通知
某政办发〔2022〕3号
各区人民政府，市政府各部门：
现将要点印发给你们，请认真贯彻执行。
2022年某市政务公开工作要点
一、加强政策解读
（一）做好重大政策解读。围绕重点工作及时解读。（牵头单位：市政府办公室；责任单位：市发展改革委、市财政局）
（二）改进解读方式。推行政策施行后解读，6月底前完成评估。（市司法局牵头，市政府各部门、单位配合）
（三）加强回应关切。
二、夯实公开基础
（四）规范信息管理。每季度开展一次检查。
（1）清理规范性文件；
（2）更新政策文件库
对检查中发现的问题及时整改。
（五）加强平台建设。长期坚持，持续优化网站栏目。
各区各部门要抓好落实。
某市人民政府办公室
2022年1月5日
"""


@pytest.fixture(scope="module")
def plan():
    return parse_text(POINTS)


def test_kind_title_number_year(plan):
    assert plan.kind == "key_points"
    assert plan.title == "2022年某市政务公开工作要点"
    assert plan.doc_no == "某政办发〔2022〕3号"
    assert plan.year == 2022


def test_points_and_headings(plan):
    assert plan.sections == ["一、加强政策解读", "二、夯实公开基础"]
    # A point's title sentence is its `title` (issue 16); no （一） heading above: no subsection.
    assert [r.subsection for r in plan.rows] == [""] * 5
    assert [r.title for r in plan.rows] == [
        "（一）做好重大政策解读",
        "（二）改进解读方式",
        "（三）加强回应关切",
        "（四）规范信息管理",
        "（五）加强平台建设",
    ]
    # A point that is only its title sentence keeps it as the requirement.
    assert plan.rows[2].requirement == "加强回应关切"


def test_named_organisations_are_taken_out_of_the_requirement(plan):
    first, second = plan.rows[0], plan.rows[1]
    assert first.lead == ["市政府办公室"]
    assert first.responsible == ["市发展改革委", "市财政局"]
    assert first.requirement == "围绕重点工作及时解读。"
    assert second.lead == ["市司法局"]
    assert second.responsible == ["市政府各部门、单位"]
    assert second.requirement == "推行政策施行后解读，6月底前完成评估。"
    assert second.due == dt.date(2022, 6, 30)
    assert plan.rows[2].lead == [] and plan.rows[2].responsible == []


def test_sub_items_and_plain_paragraphs_continue_the_point(plan):
    fourth = plan.rows[3]
    assert fourth.requirement == (
        "每季度开展一次检查。\n（1）清理规范性文件；\n（2）更新政策文件库\n"
        "对检查中发现的问题及时整改。"
    )
    assert fourth.cycle == "quarterly"
    # Closing text after the last point is not part of it.
    assert plan.rows[4].requirement == "长期坚持，持续优化网站栏目。"
    assert plan.rows[4].cycle == "ongoing"
    assert plan.rows[4].source.to_dict() == {"kind": "line", "n": 15}


def test_short_numbered_line_is_a_heading_not_a_point():
    plan = parse_text(
        "1、 主动公开\n1.做好公开。按要求公开。\n2、 依申请公开\n2.提高质量。规范办理。\n"
    )
    assert plan.sections == ["1、主动公开", "2、依申请公开"]
    assert [r.title for r in plan.rows] == ["1.做好公开", "2.提高质量"]


def test_year_option_is_the_fallback(plan):
    text = "政务公开工作要点\n一、公开\n1.做好公开。6月底前完成。\n"
    assert parse_text(text).rows[0].due is None
    assert parse_text(text, year=2024).rows[0].due == dt.date(2024, 6, 30)
    assert parse_text(text, year=2024).year == 2024


def test_text_without_points_or_table():
    with pytest.raises(ParseError, match="也没有编号的工作要点"):
        parse_text("这是一段说明。\n没有编号。\n")


PARSER_ALPHABET = st.sampled_from(
    [
        *"\t\n一二三1２.、。；（）()工作任务牵头部门责任单位具体要求完成时限序号市局年月底前 ",
        *["\t工作任务\n\t牵头部门\n\t具体要求\n\n", "\t一、\n\n", "1.做好。", "一、公开\n"],
    ]
)


@settings(max_examples=300)
@given(st.lists(PARSER_ALPHABET, max_size=60).map("".join))
def test_parsers_never_crash_on_arbitrary_text(text):
    try:
        plan = parse_text(text, year=2021)
    except ParseError:
        return
    assert plan.kind in ("task_table", "key_points")
    for n, row in enumerate(plan.rows, 1):
        assert row.n == n
        # A blank 具体要求 cell is kept with a warning naming it, never silently (issue 16).
        assert row.requirement or any("补充具体要求" in w.message for w in row.warnings)
