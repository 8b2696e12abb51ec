"""The fallback for a year without a loaded notice rests on the statutory days off.

RULES.md §10: 《全国年节及纪念日放假办法》 (国务院令第797号, in force 2025-01-01) fixes 元旦 1 Jan;
春节 除夕–初三; 清明 (the solar term); 劳动节 1–2 May; 端午 (lunar 5/5); 中秋 (lunar 8/15);
国庆 1–3 Oct. Whatever the State Council notice of a year adds, these are never working days.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import (
    CalendarData,
    add_workdays,
    build_calendar,
    day_info,
    is_workday,
    package_calendar,
    read_notice,
    year_summary,
)
from gongkai.core.calendar_statutory import statutory_days_off

PKG = package_calendar()
EMPTY = CalendarData({}, {})


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_new_years_day_and_chuxi_2027_are_never_working_days():
    """Issue 15 point 14: 2027-01-01 (元旦) and 除夕 2027-02-05 are Fridays, and not working days
    before 2027's notice is loaded (RULES.md §10, 国务院令第797号)."""
    for text, name in (("2027-01-01", "元旦"), ("2027-02-05", "春节")):
        info = day_info(d(text), calendar=PKG)
        assert not info.is_workday
        assert info.provisional and info.kind == "holiday" and info.name == name
        assert info.label == f"放假（{name}）（暂定）"
    # A weekday that no statute fixes stays a (provisional) working day.
    assert is_workday(d("2027-02-04"), calendar=PKG)
    assert day_info(d("2027-02-04"), calendar=PKG).provisional


def test_the_2027_fallback_lists_the_thirteen_statutory_days():
    """RULES.md §10: 13 days; 春节 runs from 除夕 (2027-02-05) to 初三 (2027-02-08)."""
    assert [(x.isoformat(), n) for x, n in statutory_days_off(2027)] == [
        ("2027-01-01", "元旦"),
        ("2027-02-05", "春节"),
        ("2027-02-06", "春节"),
        ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),
        ("2027-04-05", "清明节"),
        ("2027-05-01", "劳动节"),
        ("2027-05-02", "劳动节"),
        ("2027-06-09", "端午节"),
        ("2027-09-15", "中秋节"),
        ("2027-10-01", "国庆节"),
        ("2027-10-02", "国庆节"),
        ("2027-10-03", "国庆节"),
    ]
    summary = year_summary(2027, calendar=PKG)
    assert summary.source is None
    # 261 weekdays less the 7 statutory days that fall on a weekday.
    assert summary.workdays == 254
    assert (d("2027-02-08"), "春节") in summary.days_off


def test_a_deadline_over_the_spring_festival_skips_it_while_provisional():
    """第33条 20 working days, counted over 除夕–初三 2027 without a notice (RULES.md §10)."""
    result = add_workdays(d("2027-01-29"), 5, calendar=PKG)
    # Feb 1–4 count, Feb 5 (除夕) and Feb 8 (初三) do not, so the 5th is Tue Feb 9.
    assert result.date == d("2027-02-09") and result.provisional_years == (2027,)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_off_in_the_published_years(year):
    """Property against real notices: in every year published under 797号 (2025 and 2026, as
    the chinese-calendar package carries them), each statutory day the fallback uses is a day
    off. 2024 and earlier predate 797号 (除夕 2024-02-09 was a working day)."""
    days = statutory_days_off(year)
    assert len({x for x, _ in days}) == 13
    for day, name in days:
        assert not is_workday(day, calendar=PKG), (day, name)
        assert not day_info(day, calendar=PKG).provisional


def test_the_2026_table_of_rules_md_contains_the_statutory_days():
    """RULES.md §10's 2026 table (国务院办公厅 2025-11-04), checked independently of the package."""
    off = set()
    for first, last in [
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ]:
        a, b = d(first), d(last)
        off |= {a + timedelta(days=i) for i in range((b - a).days + 1)}
    assert {x for x, _ in statutory_days_off(2026)} <= off


def test_the_rule_is_not_applied_before_it_was_in_force():
    assert statutory_days_off(2024) == ()
    assert is_workday(d("2024-02-09"), calendar=PKG)  # 除夕 2024, a working day that year


def test_a_loaded_notice_replaces_the_fallback_for_its_year():
    notice = read_notice("gongkai/core/calendar_data/example-2027.yaml")
    loaded = build_calendar([notice])
    assert not day_info(d("2027-01-01"), calendar=loaded).provisional
    # The notice alone decides the year once loaded: a day it does not list is a weekday rule.
    listed = {x.date for x in notice.days}
    for day, _ in statutory_days_off(2027):
        assert (day in listed) or day.weekday() >= 5 or is_workday(day, calendar=loaded)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2027, max_value=2050))
def test_fallback_years_are_weekdays_less_exactly_the_statutory_days(year):
    """Property over many unpublished years: a day is off exactly when it is a weekend or a
    statutory day, every day is 暂定, and each holiday lies where the law puts it."""
    days = dict(statutory_days_off(year))
    names = " ".join(days.values())
    for n in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"):
        assert n in names
    spring = sorted(x for x, n in days.items() if "春节" in n)
    assert len(spring) == 4 and (spring[-1] - spring[0]).days == 3
    assert d(f"{year}-01-20") <= spring[0] <= d(f"{year}-02-19")
    qingming = [x for x, n in days.items() if "清明" in n]
    assert len(qingming) == 1 and qingming[0].month == 4 and 4 <= qingming[0].day <= 6
    start = date(year, 1, 1)
    for i in range((date(year + 1, 1, 1) - start).days):
        day = start + timedelta(days=i)
        info = day_info(day, calendar=EMPTY)
        assert info.provisional
        assert info.is_workday == (day.weekday() < 5 and day not in days), day
