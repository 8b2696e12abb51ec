"""The request clock: worked examples against the 2026 notice and properties (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import add_workdays, is_workday, package_calendar, workdays_between
from gongkai.foi.clock import ClockError, ClockEvent, compute, legal_receipt_date

PKG = package_calendar()  # 2004–2026 known; 2027 unknown → provisional


def d(text: str) -> date:
    return date.fromisoformat(text)


def clock(received, *events, **kw):
    return compute(received, list(events), calendar=PKG, **kw)


# --- Worked examples (RULES.md §10, the 2026 notice) -----------------------------------------


def test_rules_worked_example_february_2026():
    c = clock(d("2026-02-10"))
    assert c.correction_notice_by == d("2026-02-26")  # 7 wd across the Spring Festival
    assert c.due == d("2026-03-16")  # 20 wd
    assert not c.provisional
    assert c.lines()[-1] == "答复期限：2026-03-16（共 20 个工作日）"


def test_national_day_and_make_up_saturday():
    # 9-29, 9-30, [10-1…10-7 off], 10-8, 10-9, Sat 10-10 (调休上班), then 15 more.
    assert clock(d("2026-09-28")).due == d("2026-10-30")


def test_third_party_pause_over_qingming():
    base = clock(d("2026-03-02"))
    assert base.due == d("2026-03-30")
    c = clock(
        d("2026-03-02"),
        ClockEvent("third_party_started", d("2026-03-10")),
        ClockEvent("third_party_ended", d("2026-03-20")),
    )
    # (3-10, 3-20] holds 8 working days; 8 after 3-30 skips 清明 (4-4…4-6) → 4-10.
    assert c.steps[1].days == 8
    assert c.due == d("2026-04-10")
    assert c.third_party_due == add_workdays(d("2026-03-10"), 15, calendar=PKG).date


def test_correction_restarts_the_period():
    c = clock(
        d("2026-03-02"),
        ClockEvent("correction_requested", d("2026-03-05"), 10),
        ClockEvent("correction_received", d("2026-03-12")),
    )
    assert c.start == d("2026-03-12")
    assert c.due == add_workdays(d("2026-03-12"), 20, calendar=PKG).date == d("2026-04-10")
    waiting = clock(d("2026-03-02"), ClockEvent("correction_requested", d("2026-03-05"), 10))
    assert waiting.due is None and waiting.awaiting_correction
    assert waiting.correction_due == d("2026-03-19")


def test_extension_once_and_at_most_20():
    c = clock(d("2026-02-10"), ClockEvent("extended", d("2026-03-02"), 20))
    assert c.due == add_workdays(d("2026-03-16"), 20, calendar=PKG).date == d("2026-04-14")
    with pytest.raises(ClockError, match="只能延长一次"):
        clock(
            d("2026-02-10"),
            ClockEvent("extended", d("2026-03-02"), 5),
            ClockEvent("extended", d("2026-03-03"), 5),
        )
    with pytest.raises(ClockError, match="1–20"):
        clock(d("2026-02-10"), ClockEvent("extended", d("2026-03-02"), 21))


def test_fee_notice_pauses_only_when_the_setting_says_so():
    events = [ClockEvent("fee_notice", d("2026-03-03")), ClockEvent("fee_paid", d("2026-03-10"))]
    paused = compute(d("2026-03-02"), events, calendar=PKG, fee_pauses=True)
    running = compute(d("2026-03-02"), events, calendar=PKG, fee_pauses=False)
    assert workdays_between(running.due, paused.due, calendar=PKG) == 5
    assert running.due == d("2026-03-30")
    assert paused.payment_due == running.payment_due == d("2026-03-31")


def test_december_2026_request_due_in_2027_is_provisional():
    c = clock(d("2026-12-15"))
    assert c.due.year == 2027
    assert c.provisional and c.provisional_years == (2027,)
    assert "暂定" in c.lines()[-1]
    # Counted Monday–Friday less the statutory days off (元旦 2027-01-01) until 2027's notice
    # is loaded (RULES.md §10).
    assert c.due == d("2027-01-13")
    assert clock(d("2026-11-02")).provisional is False


def test_receipt_date_by_channel():
    arrived, confirmed = d("2026-03-02"), d("2026-03-04")
    assert legal_receipt_date("in_person", arrived)[0] == arrived
    assert legal_receipt_date("post", arrived, None, signed_for=True)[0] == arrived
    assert legal_receipt_date("post", arrived, confirmed)[0] == confirmed
    assert legal_receipt_date("post", arrived, None)[0] is None
    for channel in ("online", "fax", "email"):
        received, rule = legal_receipt_date(channel, arrived, confirmed)
        assert received == confirmed and "双方确认" in rule


def test_open_pause_projects_to_today():
    c = clock(
        d("2026-03-02"),
        ClockEvent("consultation_started", d("2026-03-10")),
        today=d("2026-03-13"),
    )
    assert c.paused == ("consultation",)
    assert c.status(d("2026-03-13")) == "paused"
    assert c.due == add_workdays(d("2026-03-30"), 3, calendar=PKG).date


# --- Properties -----------------------------------------------------------------------------

received_dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=200, deadline=None)
@given(received_dates)
def test_due_date_is_a_working_day(received):
    c = clock(received)
    assert is_workday(c.due, calendar=PKG)
    assert workdays_between(received, c.due, calendar=PKG) == 20


@settings(max_examples=200, deadline=None)
@given(received_dates, st.integers(0, 25), st.integers(0, 40))
def test_a_pause_of_k_working_days_moves_the_due_date_by_k(received, offset, length):
    start = received + timedelta(days=offset)
    end = start + timedelta(days=length)
    k = workdays_between(start, end, calendar=PKG)
    base = clock(received)
    paused = clock(
        received,
        ClockEvent("third_party_started", start),
        ClockEvent("third_party_ended", end),
    )
    assert workdays_between(base.due, paused.due, calendar=PKG) == k
    assert is_workday(paused.due, calendar=PKG)


@settings(max_examples=200, deadline=None)
@given(received_dates, st.integers(-5, 30), st.integers(1, 20))
def test_an_extension_moves_the_due_date_by_at_most_20_and_only_once(received, offset, n):
    base = clock(received)
    on = received + timedelta(days=max(offset, 0))
    extended = clock(received, ClockEvent("extended", on, n))
    moved = workdays_between(base.due, extended.due, calendar=PKG)
    # 条例第33条第二款: an extension approved after the period has ended moves nothing.
    assert moved == (n if on <= base.due else 0) and n <= 20
    with pytest.raises(ClockError):
        clock(received, ClockEvent("extended", on, n), ClockEvent("extended", on, 1))


pause_kinds = st.sampled_from(
    [
        ("third_party_started", "third_party_ended"),
        ("consultation_started", "consultation_ended"),
        ("fee_notice", "fee_paid"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    received_dates,
    st.lists(st.tuples(pause_kinds, st.integers(0, 30), st.integers(0, 20)), max_size=3),
    st.one_of(st.none(), st.integers(1, 20)),
    st.one_of(st.none(), st.tuples(st.integers(0, 6), st.integers(0, 20))),
)
def test_the_explanation_steps_add_up_to_the_due_date(received, pauses, ext, correction):
    events = []
    if correction:
        asked = received + timedelta(days=correction[0])
        events += [
            ClockEvent("correction_requested", asked, 15),
            ClockEvent("correction_received", asked + timedelta(days=correction[1])),
        ]
    for (begin, end), offset, length in pauses:
        start = received + timedelta(days=offset)
        events += [ClockEvent(begin, start), ClockEvent(end, start + timedelta(days=length))]
    if ext:
        events.append(ClockEvent("extended", received + timedelta(days=10), ext))
    c = clock(received, *events)
    total = 0
    previous = c.start
    for step in c.steps:
        assert step.start == previous
        assert add_workdays(step.start, step.days, calendar=PKG).date == step.end
        assert step.days > 0
        total += step.days
        previous = step.end
    assert previous == c.due
    assert total == c.total_days == workdays_between(c.start, c.due, calendar=PKG)
    assert is_workday(c.due, calendar=PKG)
    assert c.lines()[-1].startswith(f"答复期限：{c.due:%Y-%m-%d}")


def test_step_detail_lists_every_day():
    c = clock(d("2026-02-10"))
    detail = c.steps[0].detail(calendar=PKG)
    assert detail[0].startswith("起算：2026-02-10")
    assert any("春节" in line and "不计" in line for line in detail)
    assert detail[-1].startswith("结果：2026-03-16")
