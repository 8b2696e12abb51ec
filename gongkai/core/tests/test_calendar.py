"""The working-day calendar: worked examples from the 2026 notice, properties, notice files,
and loading years into the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import calendar as cal
from gongkai.core.calendar import (
    CalendarData,
    DayOverride,
    NoticeError,
    YearSource,
    add_workdays,
    build_calendar,
    day_info,
    explain,
    is_workday,
    package_calendar,
    parse_notice,
    read_notice,
    unloaded_years_ahead,
    workdays_between,
    year_summary,
)

DATA = Path(cal.__file__).parent / "calendar_data"
EXAMPLE_YAML = DATA / "example-2027.yaml"
EXAMPLE_CSV = DATA / "example-2027.csv"
ONE = timedelta(days=1)

PKG = package_calendar()
EXAMPLE_2027 = read_notice(EXAMPLE_YAML)
WITH_2027 = build_calendar([EXAMPLE_2027])

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=-400, max_value=400)
calendars = st.sampled_from([PKG, WITH_2027])


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- Sources: the package and RULES.md §10 ------------------------------------------------------


def test_package_covers_2004_to_2026_and_nothing_later():
    assert set(PKG.years) == set(range(2004, 2027))
    assert all(src.kind == "package" for src in PKG.years.values())


def test_2026_has_248_working_days():
    assert year_summary(2026, calendar=PKG).workdays == 248
    assert workdays_between(d("2025-12-31"), d("2026-12-31"), calendar=PKG) == 248


def test_2026_matches_the_notice_table():
    # RULES.md §10: 国务院办公厅 2025-11-04.
    off = {
        "元旦": ("2026-01-01", "2026-01-03"),
        "春节": ("2026-02-15", "2026-02-23"),
        "清明节": ("2026-04-04", "2026-04-06"),
        "劳动节": ("2026-05-01", "2026-05-05"),
        "端午节": ("2026-06-19", "2026-06-21"),
        "中秋节": ("2026-09-25", "2026-09-27"),
        "国庆节": ("2026-10-01", "2026-10-07"),
    }
    for name, (first, last) in off.items():
        day = d(first)
        while day <= d(last):
            info = day_info(day, calendar=PKG)
            assert (info.is_workday, info.kind, info.name) == (False, "holiday", name), day
            day += ONE
        assert is_workday(d(last) + ONE, calendar=PKG) or (d(last) + ONE).weekday() >= 5
    make_up = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    for text in make_up:
        info = day_info(d(text), calendar=PKG)
        assert info.is_workday and info.kind == "makeup" and not info.provisional, text
    summary = year_summary(2026, calendar=PKG)
    assert sorted(day for day, _ in summary.make_up_days) == [d(t) for t in make_up]


def test_sunday_make_up_day_and_the_day_after_national_day():
    assert is_workday(d("2026-01-04"), calendar=PKG)  # Sunday, 元旦 调休上班
    assert day_info(d("2026-01-04"), calendar=PKG).label == "调休上班（元旦）"
    assert not is_workday(d("2026-10-07"), calendar=PKG)  # last day of 国庆节
    # 2026-10-08 is a Thursday after the 1–7 October break: an ordinary working day.
    assert is_workday(d("2026-10-08"), calendar=PKG)
    assert not is_workday(d("2026-10-04"), calendar=PKG)


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_agrees_with_the_package_for_every_known_day(day):
    assert is_workday(day, calendar=PKG) == chinese_calendar.is_workday(day)
    assert not day_info(day, calendar=PKG).provisional


# --- Worked examples ------------------------------------------------------------------------------


def test_worked_examples_from_rules():
    # Received Tue 2026-02-10: 7 wd 补正 → Thu 02-26; 20 wd reply → Mon 03-16.
    seven = add_workdays(d("2026-02-10"), 7, calendar=PKG)
    assert seven.date == d("2026-02-26") and not seven.provisional and seven.note == ""
    assert add_workdays(d("2026-02-10"), 20, calendar=PKG).date == d("2026-03-16")


def test_zero_and_negative():
    assert add_workdays(d("2026-02-10"), 0, calendar=PKG).date == d("2026-02-10")
    assert add_workdays(d("2026-02-15"), 0, calendar=PKG).date == d("2026-02-24")
    assert add_workdays(d("2026-02-24"), -1, calendar=PKG).date == d("2026-02-14")  # make-up Sat
    assert add_workdays(d("2026-03-16"), -20, calendar=PKG).date == d("2026-02-10")
    assert add_workdays(d("2026-02-22"), -1, calendar=PKG).date == d("2026-02-14")


def test_a_deadline_running_into_an_unknown_year_is_provisional():
    result = add_workdays(d("2026-12-21"), 20, calendar=PKG)
    # 8 working days left in December, then Monday–Friday in 2027 less the statutory days off:
    # 1 January (元旦) is never a working day, loaded or not (RULES.md §10, 国务院令第797号).
    assert result.date == d("2027-01-19")
    assert result.provisional and result.provisional_years == (2027,)
    assert result.note == "暂定：2027年节假日安排尚未载入"
    assert day_info(d("2027-01-01"), calendar=PKG).provisional
    assert not is_workday(d("2027-01-01"), calendar=PKG)  # a Friday, but 元旦 by statute
    # A deadline that stays inside 2026 is firm even in December.
    assert not add_workdays(d("2026-12-21"), 8, calendar=PKG).provisional


def test_loading_2027_makes_the_same_deadline_firm_and_applies_its_holidays():
    result = add_workdays(d("2026-12-21"), 20, calendar=WITH_2027)
    assert result.date == d("2027-01-19")  # 1 January 2027 is now 元旦
    assert not result.provisional
    assert not is_workday(d("2027-01-01"), calendar=WITH_2027)
    assert is_workday(d("2027-01-30"), calendar=WITH_2027)  # Saturday make-up in the example
    assert year_summary(2027, calendar=WITH_2027).workdays == 248
    assert WITH_2027.years[2027].kind == "loaded" and WITH_2027.years[2027].is_example


def test_unknown_years_count_monday_to_friday_less_the_statutory_days_off():
    empty = CalendarData({}, {})
    assert add_workdays(d("2031-01-06"), 1, calendar=empty).date == d("2031-01-07")  # Mon→Tue
    assert add_workdays(d("2031-01-10"), 1, calendar=empty).date == d("2031-01-13")  # Fri→Mon
    # 2031: 261 weekdays less 10 statutory days off on weekdays (元旦 Wed; 春节 Wed–Fri;
    # 劳动节 Thu–Fri; 端午 Tue 06-24; 国庆 Wed–Fri with 中秋 on 1 October).
    assert workdays_between(d("2030-12-31"), d("2031-12-31"), calendar=empty) == 251


def test_explain_lists_every_day():
    exp = explain(d("2026-02-10"), 7, calendar=PKG)
    assert exp.result.date == d("2026-02-26")
    counted = [s for s in exp.steps if s.ordinal]
    assert [s.ordinal for s in counted] == list(range(1, 8))
    assert counted[-1].day.date == d("2026-02-26")
    lines = exp.lines()
    assert "2026-02-14 周六 调休上班（春节），第4个工作日" in lines
    assert "2026-02-15 周日 放假（春节），不计" in lines
    assert lines[-1] == "结果：2026-02-26（周四）"
    assert "暂定" in explain(d("2026-12-21"), 20, calendar=PKG).lines()[-1]
    back = explain(d("2026-02-24"), -3, calendar=PKG)
    assert back.steps[0].line == "2026-02-12 周四 工作日，倒数第3个工作日"
    assert [s.ordinal for s in explain(d("2026-02-22"), 0, calendar=PKG).steps][-1] == 0


def test_bad_arguments():
    with pytest.raises(TypeError):
        add_workdays(datetime(2026, 2, 10, 9, 0), 7, calendar=PKG)
    with pytest.raises(TypeError):
        add_workdays(d("2026-02-10"), 7.0, calendar=PKG)
    with pytest.raises(ValueError, match="超出范围"):
        add_workdays(d("2026-02-10"), cal.MAX_WORKDAYS + 1, calendar=PKG)


# --- Dashboard warning ----------------------------------------------------------------------------


def test_unloaded_years_ahead():
    assert unloaded_years_ahead(d("2026-09-30"), calendar=PKG) == []
    assert unloaded_years_ahead(d("2026-10-01"), calendar=PKG) == [2027]
    assert unloaded_years_ahead(d("2026-12-31"), calendar=WITH_2027) == []
    assert unloaded_years_ahead(d("2027-03-01"), calendar=PKG) == [2027]
    assert unloaded_years_ahead(d("2027-10-01"), calendar=WITH_2027) == [2028]
    assert unloaded_years_ahead(d("2028-11-01"), calendar=WITH_2027) == [2028, 2029]
    assert "2027年节假日安排尚未载入" in cal.calendar_warning(d("2026-11-23"), calendar=PKG)
    assert cal.calendar_warning(d("2026-11-23"), calendar=WITH_2027) == ""


# --- Properties -----------------------------------------------------------------------------------


def _window(start: date, n: int, result: date) -> tuple[date, date]:
    if n > 0:
        return start + ONE, result
    if n == 0:
        return start, result
    return result, start - ONE


@given(calendars, dates, counts)
def test_the_result_is_a_working_day(c, start, n):
    assert is_workday(add_workdays(start, n, calendar=c).date, calendar=c)


@given(calendars, dates, st.integers(min_value=1, max_value=400))
def test_n_working_days_lie_in_start_exclusive_to_result(c, start, n):
    # Holds whether or not the start day is itself a working day: the start is never counted.
    result = add_workdays(start, n, calendar=c).date
    assert workdays_between(start, result, calendar=c) == n
    # … and the result is the first such day.
    assert workdays_between(start, result - ONE, calendar=c) == n - 1


@given(calendars, dates)
def test_zero_is_the_first_working_day_on_or_after_start(c, start):
    result = add_workdays(start, 0, calendar=c).date
    assert result == add_workdays(start - ONE, 1, calendar=c).date
    assert (result == start) == is_workday(start, calendar=c)


@given(calendars, dates, st.integers(min_value=1, max_value=400))
def test_negative_counts_back_over_start_exclusive(c, start, n):
    result = add_workdays(start, -n, calendar=c).date
    assert result < start
    # Working days in [result, start) number n.
    assert workdays_between(result - ONE, start - ONE, calendar=c) == n


@given(calendars, dates, counts, counts)
def test_monotone_in_n(c, start, n1, n2):
    r1 = add_workdays(start, n1, calendar=c).date
    r2 = add_workdays(start, n2, calendar=c).date
    if n1 < n2:
        assert r1 < r2
    elif n1 == n2:
        assert r1 == r2


@given(calendars, dates, st.integers(min_value=0, max_value=400))
def test_counting_back_undoes_counting_forward_from_a_working_day(c, start, n):
    start = add_workdays(start, 0, calendar=c).date  # a working day
    forward = add_workdays(start, n, calendar=c).date
    assert add_workdays(forward, -n, calendar=c).date == start


@given(calendars, dates, dates, dates)
def test_workdays_between_is_additive_and_matches_counting_day_by_day(c, a, b, m):
    assert workdays_between(a, b, calendar=c) == -workdays_between(b, a, calendar=c)
    total = workdays_between(a, m, calendar=c) + workdays_between(m, b, calendar=c)
    assert total == workdays_between(a, b, calendar=c)
    lo, hi = sorted((a, b))
    if (hi - lo).days <= 400:
        brute = sum(is_workday(lo + ONE * i, calendar=c) for i in range(1, (hi - lo).days + 1))
        assert abs(workdays_between(a, b, calendar=c)) == brute


@given(calendars, dates, counts)
def test_provisional_exactly_when_an_examined_day_is_in_an_unknown_year(c, start, n):
    result = add_workdays(start, n, calendar=c)
    first, last = _window(start, n, result.date)
    unknown = sorted(set(range(first.year, last.year + 1)) - set(c.years))
    assert list(result.provisional_years) == unknown
    assert result.provisional == bool(unknown)


@st.composite
def arbitrary_calendars(draw):
    """Random arrangements over 2030–2031, to test counting against any data."""
    days = draw(
        st.dictionaries(
            st.dates(min_value=date(2030, 1, 1), max_value=date(2031, 12, 31)),
            st.booleans(),
            max_size=60,
        )
    )
    # Keep some working day in every fortnight so counting always terminates quickly.
    overrides = {
        day: DayOverride(is_work, "测试")
        for day, is_work in days.items()
        if is_work or day.weekday() != 2
    }
    years = {2030: YearSource(2030, "loaded", "测试")}
    return CalendarData(years, overrides)


@given(arbitrary_calendars(), st.dates(date(2029, 12, 1), date(2031, 12, 31)), counts)
def test_properties_hold_for_any_arrangement(c, start, n):
    result = add_workdays(start, n, calendar=c)
    assert c.is_workday(result.date)
    if n > 0:
        assert workdays_between(start, result.date, calendar=c) == n
    lo, hi = sorted((start, result.date))
    brute = sum(c.is_workday(lo + ONE * i) for i in range(1, (hi - lo).days + 1))
    assert abs(workdays_between(start, result.date, calendar=c)) == brute


# --- Notice files -----------------------------------------------------------------------------------


def test_example_files_are_marked_and_agree():
    csv_notice = read_notice(EXAMPLE_CSV)
    for notice in (EXAMPLE_2027, csv_notice):
        assert notice.year == 2027 and notice.is_example
        assert "示例" in notice.title
    assert [(x.date, x.is_workday, x.name) for x in EXAMPLE_2027.days] == [
        (x.date, x.is_workday, x.name) for x in csv_notice.days
    ]
    assert EXAMPLE_2027.source_file == "example-2027.yaml"
    assert len(EXAMPLE_2027.make_up_days) == 5


GOOD_YAML = """\
年份: 2027
标题: 国务院办公厅关于2027年部分节假日安排的通知
节日:
  - 名称: 元旦
    放假: 2027-01-01 至 2027-01-03
  - 名称: 春节
    放假: 2027-02-05 至 2027-02-13
    调休上班: [2027-01-30, 2027-02-14]
"""


def _errors(text: str, fmt: str = "yaml") -> list[str]:
    with pytest.raises(NoticeError) as exc:
        parse_notice(text, fmt=fmt)
    return exc.value.errors


def test_a_good_file_parses():
    notice = parse_notice(GOOD_YAML, fmt="yaml")
    assert len(notice.days_off) == 12 and len(notice.make_up_days) == 2
    assert not notice.is_example


def test_a_bad_date_names_its_line():
    errors = _errors(GOOD_YAML.replace("2027-02-13", "2027-02-30"))
    assert errors == ["第7行：放假：日期「2027-02-30」无效（应为 YYYY-MM-DD 格式的有效日期）"]


def test_a_date_outside_the_year_names_its_line():
    errors = _errors(GOOD_YAML.replace("2027-01-30", "2028-01-29"))
    assert len(errors) == 1 and errors[0].startswith("第8行：日期 2028-01-29 与年份不符")
    errors = _errors(GOOD_YAML.replace("年份: 2027", "年份: 2028"))
    assert errors and all("与年份不符" in e for e in errors)


def test_late_december_of_the_previous_year_is_allowed():
    text = GOOD_YAML.replace("2027-01-01 至 2027-01-03", "2026-12-31 至 2027-01-03")
    notice = parse_notice(text, fmt="yaml")
    assert notice.days[0].date == d("2026-12-31")
    loaded = build_calendar([notice])
    assert not is_workday(d("2026-12-31"), calendar=loaded)  # notice 2027 wins for that day
    assert is_workday(d("2026-12-30"), calendar=loaded)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("2027-02-14]", "2027-02-15]"),
            "第8行：2027-02-15（周一）本来就是工作日，不能列为调休上班日",
        ),
        (("2027-01-30", "2027-01-02"), "第8行：日期 2027-01-02 重复（第5行已列出）"),
        (("放假: 2027-02-05 至 2027-02-13", "放假: [2027-02-05, 2027-02-13]"), "放假日期不连续"),
        (("年份: 2027\n", ""), "缺少「年份」"),
        (("年份: 2027", "年份: 27"), "第1行：年份「27」无效"),
        (("标题: 国务院办公厅关于2027年部分节假日安排的通知\n", ""), "缺少「标题」"),
        (("    放假: 2027-01-01", "    休息: 2027-01-01"), "第5行：未知的项目「休息」"),
        (("2027-02-05 至 2027-02-13", "2027-02-13 至 2027-02-05"), "结束日期早于开始日期"),
        (("  - 名称: 元旦\n", "  - 名称: 元旦\n    名称: 春节\n"), "「节日」重复出现"),
    ],
)
def test_invalid_files_are_refused(change, expected):
    errors = _errors(GOOD_YAML.replace(*change))
    assert any(expected in e for e in errors), errors


def test_holidays_must_be_a_list():
    text = GOOD_YAML.split("节日:")[0] + "节日: 元旦\n"
    assert _errors(text) == ["第3行：「节日」应为列表，每项包含 名称、放假、调休上班"]


def test_yaml_syntax_errors_name_the_line():
    errors = _errors(GOOD_YAML + "  - 名称: [未闭合\n")
    assert errors[0].startswith("第10行：YAML 格式错误") or errors[0].startswith("第11行")


def test_every_error_is_reported_at_once():
    text = GOOD_YAML.replace("2027-02-13", "2027-02-30").replace("2027-02-14]", "2027-02-15]")
    assert len(_errors(text)) == 2


GOOD_CSV = """\
# 注释行
年份,2027
标题,国务院办公厅关于2027年部分节假日安排的通知
节日,放假,调休上班
元旦,2027-01-01至2027-01-03,,
春节,2027-02-05 至 2027-02-13,2027-01-30；2027-02-14
"""


def test_csv_parses_and_names_lines():
    notice = parse_notice(GOOD_CSV, fmt="csv")
    assert len(notice.days_off) == 12 and len(notice.make_up_days) == 2
    errors = _errors(GOOD_CSV.replace("2027-01-30", "2027/13/01"), fmt="csv")
    assert errors == ["第6行：调休上班：日期「2027/13/01」无效（应为 YYYY-MM-DD 格式的有效日期）"]
    assert _errors(GOOD_CSV.replace("元旦,", "元旦,2027-01-04,x,y,"), fmt="csv")[0].startswith(
        "第5行：列数"
    )
    assert _errors(GOOD_CSV.replace("节日,放假,调休上班\n", ""), fmt="csv")[0].startswith(
        "第4行：未知的项目「元旦」"
    )


def test_read_notice_handles_encodings_and_file_problems(tmp_path):
    gbk = tmp_path / "2027.csv"
    gbk.write_bytes(GOOD_CSV.encode("gbk"))
    assert read_notice(gbk).source_file == "2027.csv"
    with pytest.raises(NoticeError, match="找不到文件"):
        read_notice(tmp_path / "missing.yaml")
    other = tmp_path / "2027.txt"
    other.write_text(GOOD_YAML)
    with pytest.raises(NoticeError, match="不支持的文件类型"):
        read_notice(other)
    with pytest.raises(NoticeError, match="文件内容为空"):
        parse_notice("", fmt="yaml")


# --- The database: loading years, the cached default, the signal ------------------------------


@pytest.fixture
def fresh_cache():
    cal.clear_cache()
    yield
    cal.clear_cache()


@pytest.mark.django_db
def test_the_default_calendar_is_the_package_until_a_year_is_loaded(fresh_cache):
    result = add_workdays(d("2026-12-21"), 20)
    assert (result.date, result.provisional) == (d("2027-01-19"), True)
    assert set(cal.default_calendar().years) == set(range(2004, 2027))


@pytest.mark.django_db
def test_loading_a_year_overrides_it_and_is_audited(
    fresh_cache, django_capture_on_commit_callbacks
):
    from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear

    received = []

    def receiver(sender, year, actor, **kwargs):
        # Receivers see the new arrangement already.
        received.append((year, actor, add_workdays(d("2026-12-21"), 20).date))

    cal.calendar_year_loaded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outcome = cal.load_notice(EXAMPLE_2027, actor="测试")
    finally:
        cal.calendar_year_loaded.disconnect(receiver)

    assert outcome.created and outcome.previous_source is None
    assert outcome.summary.workdays == 248
    assert received == [(2027, "测试", d("2027-01-19"))]
    row = CalendarYear.objects.get()
    assert (row.year, row.source_file, row.is_example) == (2027, "example-2027.yaml", True)
    assert CalendarDay.objects.count() == len(EXAMPLE_2027.days)

    result = add_workdays(d("2026-12-21"), 20)
    assert (result.date, result.provisional) == (d("2027-01-19"), False)
    assert not is_workday(d("2027-01-01"))

    event = AuditEvent.objects.get(action="calendar.load_year")
    assert event.object_type == "core.calendaryear" and event.object_id == "2027"
    assert event.actor_label == "测试"
    assert event.before["source"] is None and event.before["workdays"] == 254
    assert event.after["source"] == "loaded" and event.after["workdays"] == 248
    assert ["2027-01-30", "春节"] in event.after["make_up_days"]


@pytest.mark.django_db
def test_reloading_replaces_the_year(fresh_cache):
    from gongkai.core.models import AuditEvent, CalendarDay

    cal.load_notice(EXAMPLE_2027)
    smaller = parse_notice(GOOD_YAML, fmt="yaml")
    outcome = cal.load_notice(smaller, source_file="2027.yaml")
    assert not outcome.created and outcome.previous_source == "loaded"
    assert CalendarDay.objects.count() == len(smaller.days)
    assert is_workday(d("2027-10-04"))  # the example's 国庆节 is gone
    events = AuditEvent.objects.filter(action="calendar.load_year").order_by("id")
    assert [e.before["source"] for e in events] == [None, "loaded"]


@pytest.mark.django_db
def test_a_loaded_year_overrides_the_package(fresh_cache):
    assert is_workday(d("2026-10-08"))
    text = """\
年份: 2026
标题: 假想的2026年安排
节日:
  - 名称: 国庆节
    放假: 2026-10-01 至 2026-10-08
"""
    outcome = cal.load_notice(parse_notice(text, fmt="yaml"))
    assert outcome.previous_source == "package"
    assert not is_workday(d("2026-10-08"))
    assert is_workday(d("2026-02-16"))  # the package's 春节 no longer applies to 2026
    assert cal.default_calendar().years[2026].kind == "loaded"


@pytest.mark.django_db
def test_other_processes_notice_a_load_within_the_ttl(fresh_cache, monkeypatch):
    from django.utils import timezone

    from gongkai.core.models import CalendarDay, CalendarYear

    assert is_workday(d("2027-01-04"))  # cached: package only
    # Another process loads 2027 (written directly here), with a made-up day off on 4 January.
    year = CalendarYear.objects.create(year=2027, title="另一进程", loaded_at=timezone.now())
    CalendarDay.objects.create(year=year, date=d("2027-01-04"), is_workday=False, name="元旦")
    assert is_workday(d("2027-01-04"))  # still cached
    monkeypatch.setattr(cal, "CACHE_TTL_SECONDS", 0)
    assert not is_workday(d("2027-01-04"))


@pytest.mark.django_db
def test_the_database_refuses_a_day_outside_its_notice_year():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from gongkai.core.models import CalendarDay, CalendarYear

    year = CalendarYear.objects.create(year=2027, title="测试", loaded_at=timezone.now())
    CalendarDay.objects.create(year=year, date=d("2026-12-31"), is_workday=False, name="元旦")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarDay.objects.create(year=year, date=d("2026-11-30"), is_workday=False, name="x")
