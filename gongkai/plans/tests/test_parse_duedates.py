"""Due dates and cycles from 完成时限 cells and requirement text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.plans.importers.duedates import CYCLES, Due, due_from_cell, due_from_text

Y = 2021

# (cell text, due, cycle)
CELL_CASES = [
    ("2021年年底前", date(2021, 12, 31), None),
    ("2021年底前", date(2021, 12, 31), None),
    ("年底前", date(2021, 12, 31), None),
    ("年内", date(2021, 12, 31), None),
    ("年内完成", date(2021, 12, 31), None),
    ("2022年年内", date(2022, 12, 31), None),
    ("6月底前", date(2021, 6, 30), None),
    ("2月底", date(2021, 2, 28), None),
    ("六月底前", date(2021, 6, 30), None),
    ("十二月底", date(2021, 12, 31), None),
    ("二〇二一年九月底前", date(2021, 9, 30), None),
    ("２０２１年６月３０日前", date(2021, 6, 30), None),
    ("3月31日前", date(2021, 3, 31), None),
    ("3月31日", date(2021, 3, 31), None),
    ("截至11月15日", date(2021, 11, 15), None),
    ("2021.6.30", date(2021, 6, 30), None),
    ("2021-06-30", date(2021, 6, 30), None),
    ("2021/6/30", date(2021, 6, 30), None),
    ("2021年6月", date(2021, 6, 30), None),
    ("6月前", date(2021, 5, 31), None),
    ("9月上旬", date(2021, 9, 10), None),
    ("9月中旬", date(2021, 9, 20), None),
    ("9月下旬", date(2021, 9, 30), None),
    ("上半年", date(2021, 6, 30), None),
    ("下半年", date(2021, 12, 31), None),
    ("2022年上半年", date(2022, 6, 30), None),
    ("第一季度", date(2021, 3, 31), None),
    ("三季度末", date(2021, 9, 30), None),
    ("2021年", date(2021, 12, 31), None),
    ("全年", date(2021, 12, 31), None),
    ("长期坚持", None, "ongoing"),
    ("持续推进", None, "ongoing"),
    ("常态化开展", None, "ongoing"),
    ("每月", None, "monthly"),
    ("每月10日前报送", None, "monthly"),  # a recurring day is not one date
    ("按月", None, "monthly"),
    ("每季度", None, "quarterly"),
    ("每季度末", None, "quarterly"),
    ("每半年", None, "half_yearly"),
    ("每年", None, "yearly"),
    ("年度", None, "yearly"),
    ("年底前完成，每季度报送进展", date(2021, 12, 31), "quarterly"),
    ("3月底前完成摸底，6月底前完成整改", date(2021, 6, 30), None),
    ("根据上级要求", None, None),
    ("2月30日前", None, None),
]


@pytest.mark.parametrize(("text", "due", "cycle"), CELL_CASES)
def test_due_from_cell(text, due, cycle):
    result = due_from_cell(text, Y)
    assert (result.date, result.cycle) == (due, cycle)
    assert result.text == text


# (requirement text, due, cycle, due_text): only unmistakable phrases count in running text.
TEXT_CASES = [
    (
        "2021年年底前，确保全市所有县级以上政府门户网站全部支持。",
        date(2021, 12, 31),
        None,
        "2021年年底前",
    ),
    ("年内新增20家以上。", date(2021, 12, 31), None, "年内"),
    ("6月底前完成清理。", date(2021, 6, 30), None, "6月底前"),
    ("于3月31日前报送。", date(2021, 3, 31), None, "3月31日前"),
    ("上半年完成评估。", date(2021, 6, 30), None, "上半年"),
    ("每季度通报一次。", None, "quarterly", "每季度"),
    ("每月调度，年底前完成。", date(2021, 12, 31), "monthly", "每月，年底前"),
    ("长期坚持，久久为功。", None, "ongoing", "长期坚持"),
    ("三年内完成治理。", None, None, None),
    ("开展政务公开工作半年、年终评估。", None, None, None),
    ("筑牢安全发展底线。", None, None, None),
    ("办好2021中国国际孔子文化节。", None, None, None),
    ("公开2021年重点任务的进展。", None, None, None),
    ("在年度预算中统筹考虑。", None, None, None),
    ("持续深化政府债务信息公开。", None, None, None),
    ("做好一季度经济数据发布。", None, None, None),
    ("每个开发区至少落地2个项目。", None, None, None),
    ("", None, None, None),
]


@pytest.mark.parametrize(("text", "due", "cycle", "due_text"), TEXT_CASES)
def test_due_from_text(text, due, cycle, due_text):
    assert due_from_text(text, Y) == Due(due, cycle, due_text)


def test_phrases_without_a_year_need_the_plan_year():
    assert due_from_text("6月底前完成。", None) == Due(None, None, "6月底前")
    assert due_from_cell("6月底前", None).date is None
    assert due_from_cell("2021年6月底前", None).date == date(2021, 6, 30)
    assert due_from_cell("年内", 1066).date is None  # not a plausible plan year


def test_empty_cell_is_no_due():
    assert due_from_cell("", Y) == Due()
    assert due_from_cell(None, Y) == Due()


DEADLINE_ALPHABET = st.sampled_from(
    [
        *"0123456789０１２３年月日号前底末内上下中旬半季度每第一二三四五六七八九十〇长期坚持，。 ",
        *["年底前", "月底前", "季度", "上半年", "每月", "2021", "〔", "．", "-", "/", "\n"],
    ]
)


@given(st.text(), st.one_of(st.none(), st.integers(-(10**6), 10**6)))
def test_never_crashes_on_arbitrary_text(text, year):
    for parse in (due_from_cell, due_from_text):
        result = parse(text, year)
        assert result.cycle is None or result.cycle in CYCLES
        assert result.date is None or isinstance(result.date, date)


@given(st.lists(DEADLINE_ALPHABET, max_size=30).map("".join), st.sampled_from([None, 2021, 2100]))
def test_never_crashes_on_deadline_like_text(text, year):
    for parse in (due_from_cell, due_from_text):
        result = parse(text, year)
        assert result.cycle is None or result.cycle in CYCLES
        if result.text is not None and parse is due_from_text:
            for phrase in result.text.split("，"):
                assert phrase in text
