"""The law of the request (issue 15): one function lists what the law allows now
(foi.rules.allowed_actions), every action checks it, and the views and the API offer exactly
those. Each test names the article it enforces."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import add_workdays
from gongkai.foi import actions, rules
from gongkai.foi.action_specs import ACTIONS
from gongkai.foi.actions import ActionError
from gongkai.foi.models import State

from .conftest import asking, person

pytestmark = pytest.mark.django_db


def _register(officer, org, arrived_on, **kw):
    req = actions.register(
        officer, org, person(**kw), asking(), channel="in_person", arrived_on=arrived_on
    )
    return actions.assign(officer, req, officer)


@pytest.fixture
def overdue(officer_a, dept_a):
    """Received in person 60 days ago: the 20-working-day period (第33条) has ended."""
    return _register(officer_a, dept_a, timezone.localdate() - timedelta(days=60))


def _names(req, on=None):
    return {a.name for a in rules.allowed_actions(req, on)}


def test_allowed_actions_while_running_give_their_last_lawful_day(received):
    # 条例第30条 (补正 within 7 wd), 第33条 (reply and extension within the period).
    today = timezone.localdate()
    found = {a.name: a for a in rules.allowed_actions(received, today)}
    assert found["request_correction"].last_day == add_workdays(today, 7).date
    assert "第三十条" in found["request_correction"].basis
    due = add_workdays(today, 20).date
    assert found["extend"].last_day == due and "第三十三条第二款" in found["extend"].basis
    assert found["fee"].last_day == due and found["draft_reply"].last_day == due
    assert {"lapse_correction", "fee_lapsed", "deliver", "review_case"}.isdisjoint(found)


def test_after_the_period_extension_and_fee_are_refused_consultation_pauses_nothing(
    overdue, approver_a, officer_a
):
    # 条例第33条第二款: the extension is approved within the period; 109号: the fee notice is
    # sent within the handling period. A third-party consultation (第32条) is still allowed.
    due = overdue.due_on
    assert due < timezone.localdate()
    names = _names(overdue)
    assert {"extend", "propose_extension", "fee"}.isdisjoint(names)
    assert {"third_party", "draft_reply", "review_case"} <= names
    with pytest.raises(ActionError, match=r"已届满.*第33条第二款"):
        actions.extend(approver_a, overdue, 10, "材料较多")
    with pytest.raises(ActionError, match=r"已届满.*109号"):
        actions.fee_notice(officer_a, overdue, "by_pages", 500)
    assert actions.clock_for(overdue).due == due


def test_request_page_and_api_offer_exactly_the_lawful_actions(overdue, officer_a, login):
    client = login(officer_a)
    html = client.get(reverse("foi_staff:detail", args=[overdue.pk])).content.decode()
    lawful = _names(overdue)
    for name, spec in ACTIONS.items():
        offered = f'id="action-{name}"' in html
        assert offered == (name in lawful and spec.allowed(officer_a, overdue)), name
    data = client.get(f"/api/foi/requests/{overdue.pk}/actions").json()
    assert {a["name"] for a in data} == lawful
    reply = next(a for a in data if a["name"] == "draft_reply")
    assert reply["last_day"] == overdue.due_on.isoformat() and reply["permitted"] is True
    response = client.post(
        reverse("foi_staff:action", args=[overdue.pk, "fee"]), {"scheme": "by_pages", "pages": 99}
    )
    assert response.status_code == 400


def test_a_closed_request_allows_only_what_follows_a_reply(received):
    # 条例第51条: review or litigation follows the reply; nothing reopens the clock.
    actions.withdraw(None, received, "不再需要")
    received.refresh_from_db()
    assert received.state == State.WITHDRAWN
    assert _names(received) == {"review_case", "note"}


def test_require_lawful_names_the_state_when_nothing_else_applies(received):
    with pytest.raises(ActionError, match="依法不能"):
        rules.require_lawful(received, "archive", date.today())


# --- Point 1: a period that has ended cannot be extended or suspended (条例第33条) -----------


def _pkg():
    from gongkai.core.calendar import package_calendar

    return package_calendar()


def test_clock_extension_or_pause_after_the_due_date_moves_nothing():
    # The case: due 2026-03-30, extension approved 04-20 → still 03-30 (第33条第二款).
    from gongkai.foi.clock import ClockEvent, compute

    received = add_workdays(date(2026, 3, 30), -20, calendar=_pkg()).date
    base = compute(received, [], calendar=_pkg())
    assert base.due == date(2026, 3, 30)
    late = [
        ClockEvent("extended", date(2026, 4, 20), 20),
        ClockEvent("third_party_started", date(2026, 4, 1)),
        ClockEvent("third_party_ended", date(2026, 4, 28)),
        ClockEvent("consultation_started", date(2026, 4, 2)),
        ClockEvent("fee_notice", date(2026, 4, 3)),
    ]
    clock = compute(received, late, calendar=_pkg(), today=date(2026, 5, 6))
    assert clock.due == date(2026, 3, 30) and clock.paused == ()
    assert clock.status(date(2026, 5, 6)) == "overdue"
    assert any("已届满" in n for n in clock.notes)
    # Within the period they count.
    timely = compute(received, [ClockEvent("extended", date(2026, 3, 30), 5)], calendar=_pkg())
    assert timely.due == add_workdays(date(2026, 3, 30), 5, calendar=_pkg()).date


def test_clock_a_correction_notice_after_7_working_days_does_not_restart_the_period():
    # 条例第30条: one notice within 7 working days; a late one neither pauses nor restarts.
    from gongkai.foi.clock import ClockEvent, compute

    received = date(2026, 3, 2)
    late_notice = add_workdays(received, 8, calendar=_pkg()).date
    clock = compute(
        received,
        [
            ClockEvent("correction_requested", late_notice, 10),
            ClockEvent("correction_received", late_notice + timedelta(days=5)),
        ],
        calendar=_pkg(),
    )
    assert clock.due == add_workdays(received, 20, calendar=_pkg()).date
    assert clock.paused == () and clock.start == received


def test_overdue_request_stays_overdue_after_a_late_third_party_consultation(overdue, officer_a):
    # 条例第32条 consultation is still allowed after the period (it protects the third party),
    # but 第33条: it pauses nothing, and the request stays on the overdue dashboard.
    from gongkai.foi.models import InfoRequest, overdue_q

    due = overdue.due_on
    req = actions.start_third_party(
        officer_a, overdue, name="济宁某某公司", concerns="涉及第三方商业秘密"
    )
    req.refresh_from_db()
    assert req.state == State.THIRD_PARTY and req.due_on == due and not req.clock_paused
    today = timezone.localdate()
    assert InfoRequest.objects.filter(overdue_q(today), pk=req.pk).exists()
    req = actions.end_third_party(officer_a, req, answer="objection", opinion="第三方不同意")
    req.refresh_from_db()
    assert req.due_on == due


# --- Point 8: lapsed requests end as 其他处理-1/-2 with a closed clock --------------------------


def test_periodic_job_ends_an_uncorrected_request_as_other_1(received, officer_a, monkeypatch):
    # 条例第30条: no correction in time without good reason → treated as abandoned.
    from gongkai.foi import periodic

    req = actions.request_correction(officer_a, received, "请写明年份", days=5)
    later = add_workdays(timezone.localdate(), 6).date
    monkeypatch.setattr(actions.base, "today", lambda: later)
    monkeypatch.setattr(periodic.timezone, "localdate", lambda *a: later)
    assert "1 件" in periodic.lapses(dry_run=True)
    assert "1 件" in periodic.lapses()
    req.refresh_from_db()
    assert (req.state, req.outcome, req.outcome_reason) == (State.LAPSED, "other", 1)
    assert req.finished_on == later and req.is_open is False
    assert actions.clock_for(req).status(later) == "closed"
    assert req.events.filter(kind="correction_lapsed", actor_label="系统").exists()


# --- Points 5, 6, 11: 按件 counting, the fee period from receipt, delivery records ------------


def test_by_count_fee_counts_per_applicant_agency_month_in_receipt_order(
    officer_a, officer_b, dept_a, dept_b
):
    # 109号 第四条 + RULES.md §12: the first of 11 same-day applications is the 1st, not the
    # 11th; applications to another organisation of the government do not count.
    today = timezone.localdate()
    other = [_register(officer_b, dept_b, today) for _ in range(3)]
    mine = [_register(officer_a, dept_a, today) for _ in range(11)]
    assert [actions.count_this_month(r) for r in mine] == list(range(1, 12))
    assert [actions.count_this_month(r) for r in other] == [1, 2, 3]
    with pytest.raises(ActionError, match="为零"):
        actions.fee_notice(officer_a, mine[0], "by_count")
    fee = actions.fee_notice(officer_a, mine[10], "by_count")
    assert (fee.quantity, fee.amount) == (11, 100)
    # A later application never raises an earlier one's fee.
    _register(officer_a, dept_a, today)
    assert actions.count_this_month(mine[10]) == 11


def test_fee_period_runs_from_receipt_of_the_notice_and_a_lapse_before_it_is_refused(
    received, officer_a, monkeypatch
):
    # 109号: pay within 20 working days from the day after RECEIVING the notice; the notice
    # says how to pay; a lapse before the last payment day is refused.
    fee = actions.fee_notice(officer_a, received, "by_pages", 150)
    letter = received.letters.get(kind="fee_notice")
    assert "缴费方式" in letter.body and "国库" in letter.body
    with pytest.raises(ActionError, match="尚未登记送达"):
        actions.fee_lapsed(officer_a, received)
    issued = fee.noticed_on
    got = issued + timedelta(days=3)
    monkeypatch.setattr(actions.base, "today", lambda: got)
    with pytest.raises(ActionError, match="邮件单号"):
        actions.record_delivery(officer_a, letter, channel="post", sent_on=issued, received_on=got)
    actions.record_delivery(
        officer_a, letter, channel="post", sent_on=issued, tracking_no="EMS1234", received_on=got
    )
    fee.refresh_from_db()
    assert fee.notice_received_on == got and fee.pay_by == add_workdays(got, 20).date
    letter.refresh_from_db()
    assert (letter.sent_on, letter.tracking_no, letter.delivered_on) == (issued, "EMS1234", got)
    last = fee.pay_by
    monkeypatch.setattr(actions.base, "today", lambda: last)
    with pytest.raises(ActionError, match="尚未届满"):
        actions.fee_lapsed(officer_a, received)
    monkeypatch.setattr(actions.base, "today", lambda: last + timedelta(days=1))
    req = actions.fee_lapsed(officer_a, received)
    assert (req.state, req.outcome, req.outcome_reason) == (State.LAPSED, "other", 2)
    from gongkai.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="foi.letter_delivery").count() == 1


def test_fee_pay_by_is_recomputed_when_a_years_holidays_are_loaded(
    officer_a, dept_a, monkeypatch, django_capture_on_commit_callbacks
):
    from gongkai.core import calendar as cal

    day = date(2026, 12, 15)
    monkeypatch.setattr(actions.base, "today", lambda: day)
    cal.clear_cache()
    req = _register(officer_a, dept_a, day)
    actions.fee_notice(officer_a, req, "by_pages", 150)
    letter = req.letters.get(kind="fee_notice")
    actions.record_delivery(officer_a, letter, channel="email", sent_on=day, received_on=day)
    fee = req.fee
    fee.refresh_from_db()
    assert fee.pay_by.year == 2027 and fee.pay_by_provisional
    notice = cal.read_notice(cal.__file__.replace("calendar.py", "calendar_data/example-2027.yaml"))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cal.load_notice(notice)
        fee.refresh_from_db()
        assert not fee.pay_by_provisional
        assert fee.pay_by == cal.add_workdays(day, 20).date
    finally:
        cal.clear_cache()


def test_reply_delivery_record_gives_remedy_periods_from_receipt(
    received, officer_a, approver_a, login, monkeypatch
):
    # 行政复议法第20条 (60 days) and 行政诉讼法第46条 (6 months) run from receipt.
    actions.draft_reply(officer_a, received, outcome="disclosed")
    actions.submit_reply(officer_a, received)
    actions.review_reply(approver_a, received, approve=True)
    actions.sign_reply(approver_a, received)
    letter = received.letters.get(kind="reply")
    got = letter.issued_on
    actions.record_delivery(officer_a, letter, channel="online", sent_on=got, received_on=got)
    received.refresh_from_db()
    assert received.state == State.DELIVERED
    html = login(officer_a).get(reverse("foi_staff:detail", args=[received.pk])).content.decode()
    review_by = got + timedelta(days=60)
    assert f"申请行政复议至 {review_by:%Y-%m-%d}" in html
    with pytest.raises(ActionError, match="不能修改"):
        actions.record_delivery(
            officer_a, letter, channel="online", sent_on=got, received_on=got - timedelta(days=1)
        )


# --- Point 10: 第31条(二) same-day confirmation of ordinary letters ---------------------------


def test_an_ordinary_letter_shows_the_day_it_arrives_and_a_late_confirmation_is_flagged(
    officer_a, dept_a, login
):
    today = timezone.localdate()
    letter = actions.register(
        officer_a, dept_a, person(), asking(), channel="post", arrived_on=today
    )
    old = actions.register(
        officer_a, dept_a, person(), asking(), channel="post", arrived_on=today - timedelta(days=2)
    )
    client = login(officer_a)
    html = client.get(reverse("foi_staff:list")).content.decode()
    assert 'id="unconfirmed"' in html and "今日到达，请今日确认" in html and "未当日确认" in html
    assert letter.state == State.SUBMITTED
    old = actions.confirm_receipt(officer_a, old, today)
    assert old.confirmed_late and old.events.get(kind="received").data == {"late": True}
    letter = actions.confirm_receipt(officer_a, letter, today)
    assert not letter.confirmed_late
    html = client.get(reverse("foi_staff:list")).content.decode()
    assert html.count("data-late-confirmation") == 1
    detail = client.get(reverse("foi_staff:detail", args=[old.pk])).content.decode()
    assert "迟延确认" in detail
