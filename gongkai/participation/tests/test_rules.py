"""Pure rules: the period checks, masking and the sensitive-word check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.participation import moderation, rules
from gongkai.participation.export import safe_cell
from gongkai.participation.models import DocumentKind, mask_name


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(1, 60))
def test_major_decision_period_rule(opens_on, days):
    closes_on = opens_on + dt.timedelta(days=days - 1)
    errors = rules.consultation_period_errors(DocumentKind.MAJOR_DECISION, opens_on, closes_on, "")
    assert bool(errors) == (days < 30)
    assert not rules.consultation_period_errors(
        DocumentKind.MAJOR_DECISION, opens_on, closes_on, "紧急"
    )
    assert not rules.consultation_period_errors(DocumentKind.POLICY, opens_on, closes_on, "")


def test_closing_before_opening_is_refused():
    errors = rules.consultation_period_errors(
        DocumentKind.POLICY, dt.date(2026, 5, 2), dt.date(2026, 5, 1), ""
    )
    assert errors == {"closes_on": "截止日期不能早于开始日期。"}


@given(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)))
def test_three_month_line_is_between_89_and_92_days(received):
    veto = rules.message_veto_at(received)
    assert dt.timedelta(days=89) <= veto - received <= dt.timedelta(days=92)
    assert rules.message_warn_from(received) < veto


def test_hearing_materials_due_is_seven_days_before():
    from django.utils import timezone

    held = timezone.make_aware(dt.datetime(2026, 7, 20, 9, 0))
    assert rules.hearing_materials_due(held) == dt.date(2026, 7, 13)


@pytest.mark.django_db
def test_legality_review_counts_working_days_with_holidays():
    # 2026-02-13 (Fri) → 2026-02-27 (Fri): the Spring Festival (Feb 15–23 off, Feb 14 and 28 make-up
    # days) leaves only Feb 14 (make-up Sat), 24, 25, 26, 27.
    assert "仅5个工作日" in rules.legality_review_error(dt.date(2026, 2, 13), dt.date(2026, 2, 27))
    assert rules.legality_review_error(dt.date(2026, 3, 2), dt.date(2026, 3, 11)) == ""
    assert "须填写" in rules.legality_review_error(None, dt.date(2026, 3, 11))


def test_periods_can_be_overridden(settings):
    assert rules.period("enquiry_workdays") == 5
    settings.GONGKAI_PARTICIPATION_PERIODS = {"enquiry_workdays": 7}
    assert rules.period("enquiry_workdays") == 7


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("建议提高补助标准", []),
        ("专业代开发票", ["代开发票"]),
        ("代 开·发 票，量大从优", ["代开发票"]),
        ("ＳＢ政府", ["sb"]),
        ("这是SBS系统的问题", []),
        ("详见 https://spam.example", ["链接"]),
        ("你们这些狗官，网络赌博", ["狗官", "网络赌博"]),
    ],
)
def test_sensitive_word_check(text, hits):
    assert moderation.check(text) == hits


def test_extra_words_from_settings(settings):
    settings.GONGKAI_SENSITIVE_WORDS = ["测试禁词"]
    assert moderation.check("含有测试禁词的意见") == ["测试禁词"]


def test_clean_text_removes_control_characters_but_keeps_markup():
    assert moderation.clean_text(" <b>意见</b>\x00\r\n第二行 ") == "<b>意见</b>\n第二行"


def test_mask_name():
    assert [mask_name(n) for n in ["张三", "欧阳娜娜", "李", "", "  "]] == [
        "张*",
        "欧***",
        "李*",
        "匿名",
        "匿名",
    ]


def test_safe_cell_defuses_formulas():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("正常意见") == "正常意见" and safe_cell(3) == 3
