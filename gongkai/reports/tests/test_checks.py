"""Checks: the identity per column, carry-over, numbers in the text vs the tables (pure)."""

from __future__ import annotations

from gongkai.reports import checks, layout


def tables(**cells) -> dict:
    """Tables from natural-person cells: tables(new=3, disclosed=2, carried_forward=1)."""
    t3 = layout.complete_table3({row: {"natural_person": n} for row, n in cells.items()})
    return {"table2": layout.empty_table2(), "table3": t3, "table4": layout.empty_table4()}


SECTIONS = {key: "已填写。" for key in layout.SECTION_KEYS}


def codes(found):
    return {(c.level, c.code.split(":")[0]) for c in found}


def test_balanced_table_has_no_identity_error():
    found = checks.identity_checks(tables(new=3, disclosed=2, carried_forward=1)["table3"])
    assert found == []


def test_identity_error_names_the_column_and_the_numbers():
    t3 = tables(new=3, disclosed=2, carried_forward=1)["table3"]
    t3["new"]["commercial"] = 1
    t3["new"]["total"] = 4
    found = checks.identity_checks(t3)
    assert [c.code for c in found] == ["identity:identity:commercial:", "identity:identity:total:"]
    assert all(c.blocking for c in found)
    assert "商业企业" in found[0].message and "= 1" in found[0].message
    assert "一 + 二 = 三(七) + 四" in found[0].message


def test_total_column_and_outcome_total_are_checked():
    t3 = tables(new=2, disclosed=2)["table3"]
    t3["disclosed"]["total"] = 3
    t3["outcome_total"]["natural_person"] = 1
    kinds = {c.code.split(":")[1] for c in checks.identity_checks(t3)}
    assert {"column_sum", "outcome_sum", "identity"} <= kinds


def test_carry_over_against_last_year_is_an_error_until_explained():
    t = tables(carried_over=2, disclosed=2)
    prev = [
        checks.PreviousTable("imported", "导入的2024年度报告", {"natural_person": 3, "total": 3})
    ]
    found = checks.check_report(t, SECTIONS, prev)
    carry = [c for c in found if c.code == "carry_over:imported"]
    assert carry and carry[0].blocking
    assert "本年上年结转 2，上年结转下年度 3" in carry[0].message
    found = checks.check_report(
        t, SECTIONS, prev, {"carry_over:imported": "2024年报告误将1件计入结转"}
    )
    carry = [c for c in found if c.code == "carry_over:imported"]
    assert carry[0].level == "warning" and "已说明" in carry[0].message
    matching = [checks.PreviousTable("platform", "2024", {"natural_person": 2, "total": 2})]
    assert not [
        c for c in checks.check_report(t, SECTIONS, matching) if c.code.startswith("carry_over")
    ]


def test_text_says_2_while_the_table_says_3():
    """The Changchun 2023 report: text 「共受理…2件」, table 新收 3."""
    t = tables(new=3, disclosed=3)
    sections = dict(SECTIONS, requests="本年度共受理政府信息公开申请2件，均已按时答复。")
    found = [c for c in checks.text_checks(sections, t) if c.code.startswith("text:")]
    assert len(found) == 1 and found[0].blocking
    assert "2" in found[0].message and "3" in found[0].message
    sections = dict(SECTIONS, requests="本年度共受理政府信息公开申请3件，其中予以公开3件。")
    assert not [c for c in checks.text_checks(sections, t) if c.code.startswith("text:")]


def test_text_numbers_in_chinese_numerals_and_several_facts():
    t = tables(new=12, carried_over=1, disclosed=10, other_3=2, carried_forward=1)
    ok = (
        "新收政府信息公开申请十二件，上年结转一件，予以公开10件，其他处理两件，"
        "结转下年度继续办理1件。"
    )
    assert not [
        c for c in checks.text_checks(dict(SECTIONS, requests=ok), t) if c.code.startswith("text:")
    ]
    bad = "新收申请12件，予以公开9件，其他处理2件。"
    found = [
        c for c in checks.text_checks(dict(SECTIONS, requests=bad), t) if c.code.startswith("text:")
    ]
    assert [c.code for c in found] == ["text:requests:予以公开:9"]
    # 「收到…申请 N 件」 may also mean 新收 + 上年结转.
    assert not [
        c
        for c in checks.text_checks(dict(SECTIONS, requests="共收到申请13件。"), t)
        if c.code.startswith("text:")
    ]


def test_dates_and_percentages_are_not_read_as_counts():
    t = tables(new=5, disclosed=5)
    text = "2025年12月收到申请5件，予以公开率100%。"
    assert not [
        c
        for c in checks.text_checks(dict(SECTIONS, requests=text), t)
        if c.code.startswith("text:")
    ]


def test_placeholders_block_and_empty_sections_warn():
    t = tables()
    sections = dict(SECTIONS, problems="【请补充：存在的问题】", other="")
    found = checks.text_checks(sections, t)
    assert ("error", "placeholder") in codes(found)
    assert ("warning", "empty") in codes(found)


def test_missing_table2_figures_warn():
    found = checks.table2_checks(layout.empty_table2())
    assert len(found) == 4 and not any(c.blocking for c in found)
    assert "行政许可" in found[0].message
