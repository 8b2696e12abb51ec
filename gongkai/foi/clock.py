"""The request clock: the reply due date derived from a request's events, with the steps that
explain it. Plain functions over plain data; every period comes from gongkai.core.calendar.

The rules (RULES.md §1(b)–(c)):
- the reply period is 20 working days from the legal receipt date (条例第33条), counted from the
  next day (core.calendar's convention);
- 补正 (第30条): the notice is due within 7 working days of receipt; while the request waits for
  the correction the clock stands still, and the period restarts from the day the corrected
  request arrives (earlier pauses no longer matter);
- third-party consultation (第32条) and consultation with other agencies (第34条, 会商) are not
  counted: a pause from day p to day e removes the working days in (p, e], so the due date
  moves by exactly that many working days; overlapping pauses count once;
- the fee notice pauses the clock too when settings.GONGKAI_FOI_FEE_PAUSES_CLOCK is on (the
  effect is UNCONFIRMED in RULES.md, hence a setting); payment is due within 20 working days of
  receiving the notice;
- one extension of at most 20 working days (第33条第二款);
- a third-party or 会商 pause counts at most 15 working days (第32条, 第34条: the answer is
  due within 15 working days, silence then decides), so a pause left open or recorded late never
  moves the due date further;
- a later deadline stated under 第35条 within the period (event deadline_set, data due_on)
  becomes the due date.

A result is 暂定 (provisional) when any step touches a year whose holiday notice is not loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gongkai.core import calendar as cal

REPLY_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
DEFAULT_CORRECTION_DAYS = 15
THIRD_PARTY_DAYS = 15
CONSULTATION_DAYS = 15
PAYMENT_DAYS = 20
MAX_EXTENSION_DAYS = 20
DUE_SOON_DAYS = 3

PAUSE_LABELS = {
    "third_party": "征求第三方意见",
    "consultation": "征求其他机关意见（会商）",
    "fee": "收费通知至缴费",
}
_PAUSE_START = {
    "third_party_started": "third_party",
    "consultation_started": "consultation",
    "fee_notice": "fee",
}
_PAUSE_END = {
    "third_party_ended": "third_party",
    "consultation_ended": "consultation",
    "fee_paid": "fee",
}


class ClockError(ValueError):
    """The events break a rule of the clock (a second extension, an extension over 20 days)."""


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: date
    days: int | None = None
    due_on: date | None = None  # deadline_set: the later deadline stated under 条例第35条

    @classmethod
    def of(cls, event: Any) -> ClockEvent:
        """From a stored RequestEvent (its data carries a 第35条 deadline as an ISO date)."""
        stated = (getattr(event, "data", None) or {}).get("due_on")
        return cls(event.kind, event.on, event.days, date.fromisoformat(stated) if stated else None)


@dataclass(frozen=True)
class Step:
    label: str
    start: date
    days: int
    end: date
    provisional_years: tuple[int, ...] = ()

    def detail(self, calendar: cal.CalendarData | None = None) -> list[str]:
        """Day-by-day lines from core.calendar.explain for this step."""
        return cal.explain(self.start, self.days, calendar=calendar).lines()


@dataclass
class Clock:
    received_on: date | None
    start: date | None = None
    start_label: str = ""
    receipt_label: str = ""
    steps: list[Step] = field(default_factory=list)
    due: date | None = None
    provisional_years: tuple[int, ...] = ()
    paused: tuple[str, ...] = ()  # open pauses: "correction", "third_party", …
    pause_since: date | None = None
    correction_notice_by: date | None = None
    correction_due: date | None = None
    third_party_due: date | None = None
    consultation_due: date | None = None
    payment_due: date | None = None
    extension_days: int = 0
    closed_on: date | None = None  # a lapse ended the request (条例第30条, 109号)
    notes: list[str] = field(default_factory=list)
    calendar: cal.CalendarData | None = field(default=None, repr=False, compare=False)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def provisional_note(self) -> str:
        return cal.provisional_note(self.provisional_years)

    @property
    def total_days(self) -> int:
        return sum(step.days for step in self.steps)

    @property
    def awaiting_correction(self) -> bool:
        return "correction" in self.paused

    def remaining(self, today: date) -> int | None:
        """Working days from today to the due date (negative when overdue)."""
        if self.due is None:
            return None
        return cal.workdays_between(today, self.due, calendar=self.calendar)

    def status(self, today: date) -> str:
        """'closed', 'paused', 'overdue', 'due_soon' (≤ 3 working days left), 'running' or
        'none'."""
        if self.closed_on is not None:
            return "closed"
        if self.paused:
            return "paused"
        if self.due is None:
            return "none"
        if today > self.due:
            return "overdue"
        if cal.workdays_between(today, self.due, calendar=self.calendar) <= DUE_SOON_DAYS:
            return "due_soon"
        return "running"

    def lines(self) -> list[str]:
        """The computation in words, one line per step."""
        out = []
        if self.received_on is None:
            return ["尚未确认受理：答复期限自法定收到日期起计算。"]
        out.append(f"法定收到日期：{self.received_on:%Y-%m-%d}（{self.receipt_label}）")
        if self.correction_notice_by:
            out.append(
                f"补正通知期限：收到申请之日起 {CORRECTION_NOTICE_DAYS} 个工作日内，"
                f"即 {self.correction_notice_by:%Y-%m-%d} 前（条例第30条）"
            )
        for step in self.steps:
            out.append(
                f"{step.label}：{step.start:%Y-%m-%d} 起 {step.days} 个工作日 → {step.end:%Y-%m-%d}"
            )
        out.extend(self.notes)
        if self.due:
            tail = f"答复期限：{self.due:%Y-%m-%d}（共 {self.total_days} 个工作日）"
            if self.provisional:
                tail += f"【{self.provisional_note}，按周一至周五计算，载入后自动重算】"
            out.append(tail)
        return out


def legal_receipt_date(
    channel: str,
    arrived_on: date | None,
    confirmed_on: date | None = None,
    signed_for: bool = False,
) -> tuple[date | None, str]:
    """The legal receipt date by channel (条例第31条) and the rule applied, in Chinese.

    None while the date depends on a confirmation that has not happened yet.
    """
    if channel == "in_person":
        return arrived_on, "当面提交，以提交之日为收到申请之日（条例第31条第（一）项）"
    if channel == "post" and signed_for:
        return (
            arrived_on,
            "以邮政、快递等方式提交，以签收之日为收到申请之日（条例第31条第（二）项）",
        )
    if channel == "post":
        return (
            confirmed_on,
            "平常信函无需签收，以政府信息公开工作机构与申请人确认之日为收到申请之日"
            "（条例第31条第（二）项）",
        )
    return (
        confirmed_on,
        "通过互联网渠道或者传真提交，以双方确认之日为收到申请之日（条例第31条第（三）项）",
    )


def _merge(intervals: list[tuple[date, date, str]]) -> list[tuple[date, date, list[str]]]:
    merged: list[tuple[date, date, list[str]]] = []
    for start, end, label in sorted(intervals, key=lambda x: (x[0], x[1])):
        if merged and start <= merged[-1][1]:
            s, e, labels = merged[-1]
            merged[-1] = (s, max(e, end), labels if label in labels else [*labels, label])
        else:
            merged.append((start, end, [label]))
    return merged


def _project(
    start: date,
    intervals: list[tuple[date, date, str]],
    extension: int,
    add: Callable[[date, int], date],
    calendar: cal.CalendarData | None,
) -> tuple[date, list[Step]]:
    """The due date from `start` with the counted pauses and the extension, and its steps."""
    label = "答复期限（条例第33条）"
    due = add(start, REPLY_DAYS)
    steps = [Step(label, start, REPLY_DAYS, due)]
    for began, ended, labels in _merge(intervals):
        k = cal.workdays_between(began, ended, calendar=calendar)
        if k <= 0:
            continue
        new_due = add(due, k)
        text = "、".join(labels)
        steps.append(Step(f"{text} {began:%Y-%m-%d} 至 {ended:%Y-%m-%d}，不计入", due, k, new_due))
        due = new_due
    if extension:
        new_due = add(due, extension)
        steps.append(Step("经负责人批准延长答复期限（条例第33条第二款）", due, extension, new_due))
        due = new_due
    return due, steps


def compute(
    received_on: date | None,
    events: Iterable[ClockEvent],
    *,
    receipt_label: str = "",
    fee_pauses: bool = True,
    today: date | None = None,
    calendar: cal.CalendarData | None = None,
) -> Clock:
    """The clock for a request received on `received_on` with the given events.

    Events are taken in date order. What happens after the period has ended cannot revive it
    (条例第33条): a pause or an extension counts only when it starts on or before the due date
    as it stands that day, and a 补正 notice counts only within its 7 working days (第30条).
    `today` is only used to project the due date of a request that is paused right now.
    """
    clock = Clock(
        received_on=received_on,
        start_label="法定收到日期",
        receipt_label=receipt_label or "法定收到日期",
        calendar=calendar,
    )
    if received_on is None:
        return clock
    years: set[int] = set()

    def add(start: date, n: int) -> date:
        result = cal.add_workdays(start, n, calendar=calendar)
        years.update(result.provisional_years)
        return result.date

    def peek(start: date, n: int) -> date:
        return cal.add_workdays(start, n, calendar=calendar).date

    clock.correction_notice_by = add(received_on, CORRECTION_NOTICE_DAYS)
    start = received_on
    intervals: list[tuple[date, date, str]] = []
    open_pauses: dict[str, date] = {}
    extension = 0
    extension_seen = False
    correction = "none"  # none | open | done | ignored

    def capped(which: str, began: date, ended: date) -> date:
        """A consultation pause counts at most its legal length (第32条, 第34条: 15 working
        days); after that silence decides and the period runs again."""
        limit = {"third_party": THIRD_PARTY_DAYS, "consultation": CONSULTATION_DAYS}.get(which)
        return min(ended, peek(began, limit)) if limit else ended

    stated: date | None = None  # 第35条

    def due_on(day: date) -> date:
        """The due date as it stands on `day` (open pauses counted up to that day)."""
        current = intervals + [
            (began, capped(which, began, max(began, day)), PAUSE_LABELS[which])
            for which, began in open_pauses.items()
        ]
        # A projection: the final computation (which repeats it) marks the years it touches.
        return _project(start, current, extension, peek, calendar)[0]

    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].on, pair[0]))
    for _, ev in ordered:
        kind = ev.kind
        if kind == "correction_requested":
            if correction != "none" or ev.on > clock.correction_notice_by:
                correction = "ignored" if correction == "none" else correction
                clock.notes.append(
                    f"{ev.on:%Y-%m-%d} 的补正通知超过收到申请之日起7个工作日"
                    f"（{clock.correction_notice_by:%Y-%m-%d}）或非首次，不中止也不重新计算"
                    "答复期限（条例第30条）"
                )
                continue
            correction = "open"
            open_pauses["correction"] = ev.on
            clock.correction_due = add(ev.on, ev.days or DEFAULT_CORRECTION_DAYS)
        elif kind == "correction_received":
            if correction != "open":
                continue
            # 条例第30条: the period runs again from the receipt of the corrected request.
            correction = "done"
            start = ev.on
            clock.start_label = "收到补正之日"
            intervals, open_pauses = [], {}
            clock.notes.append(f"{ev.on:%Y-%m-%d} 收到补正，答复期限自该日重新计算（条例第30条）")
        elif kind in _PAUSE_START:
            which = _PAUSE_START[kind]
            if which == "fee":
                clock.payment_due = add(ev.on, PAYMENT_DAYS)
            if which == "third_party":
                clock.third_party_due = add(ev.on, THIRD_PARTY_DAYS)
            if which == "consultation":
                clock.consultation_due = add(ev.on, CONSULTATION_DAYS)
            if which == "fee" and not fee_pauses:
                continue
            if correction == "open" or which in open_pauses:
                continue
            current = due_on(ev.on)
            if ev.on > current:
                clock.notes.append(
                    f"{ev.on:%Y-%m-%d} {PAUSE_LABELS[which]}开始时答复期限（{current:%Y-%m-%d}）"
                    "已届满，不暂停计时（条例第33条）"
                )
                continue
            open_pauses[which] = ev.on
        elif kind == "fee_notice_received":
            # 109号: payment is due within 20 working days from the day after receipt.
            clock.payment_due = add(ev.on, PAYMENT_DAYS)
        elif kind in _PAUSE_END:
            which = _PAUSE_END[kind]
            began = open_pauses.pop(which, None)
            if began is not None:
                intervals.append(
                    (began, capped(which, began, max(began, ev.on)), PAUSE_LABELS[which])
                )
        elif kind == "extended":
            if extension_seen:
                raise ClockError("答复期限只能延长一次（条例第33条第二款）。")
            days = ev.days or 0
            if not 1 <= days <= MAX_EXTENSION_DAYS:
                raise ClockError(f"延长期限应为 1–{MAX_EXTENSION_DAYS} 个工作日，收到 {days}。")
            extension_seen = True
            if correction == "open":
                continue
            current = due_on(ev.on)
            if ev.on > current:
                clock.notes.append(
                    f"{ev.on:%Y-%m-%d} 批准延期时答复期限（{current:%Y-%m-%d}）已届满，"
                    "延期不计入（条例第33条第二款）"
                )
                continue
            extension = days
        elif kind == "deadline_set" and ev.due_on is not None:
            # 条例第35条: reasonable reasons, a later deadline stated within the period.
            if correction != "open" and ev.on <= due_on(ev.on):
                stated = max(ev.due_on, stated or ev.due_on)
        elif kind in ("lapsed", "correction_lapsed", "fee_lapsed"):
            clock.closed_on = ev.on

    clock.start = start
    if correction == "open":
        clock.paused = ("correction",)
        clock.pause_since = open_pauses["correction"]
        clock.notes.append("待申请人补正：答复期限自收到补正之日起重新计算。")
        clock.provisional_years = tuple(sorted(years))
        return clock

    if open_pauses:
        clock.paused = tuple(sorted(open_pauses))
        clock.pause_since = min(open_pauses.values())
        until = max(today or clock.pause_since, clock.pause_since)
        for which, began in open_pauses.items():
            ended = capped(which, began, max(began, until))
            intervals.append((began, ended, PAUSE_LABELS[which] + "（进行中）"))
    due, steps = _project(start, intervals, extension, add, calendar)
    if stated is not None and stated > due:
        gap = cal.workdays_between(due, stated, calendar=calendar)
        steps.append(Step("确定延迟答复的合理期限（条例第35条）", due, gap, stated))
        due = stated
    if start != received_on:
        first = steps[0]
        steps[0] = Step("补正后重新计算答复期限", first.start, first.days, first.end)
    clock.steps = steps
    clock.extension_days = extension
    if clock.paused:
        clock.notes.append("暂停中：所示期限按暂停至今日计算，暂停结束后按实际不计入的工作日顺延。")
    # Mark each step provisional where its own span touches an unloaded year.
    clock.steps = [
        Step(
            s.label,
            s.start,
            s.days,
            s.end,
            cal.add_workdays(s.start, s.days, calendar=calendar).provisional_years,
        )
        for s in clock.steps
    ]
    clock.due = due
    clock.provisional_years = tuple(sorted(years))
    return clock


REVIEW_DAYS = 60  # 行政复议法第20条: 60 days from knowing of the act
LITIGATION_MONTHS = 6  # 行政诉讼法第46条: 6 months


def remedy_deadlines(received_on: date) -> tuple[date, date]:
    """(last day to apply for review, last day to sue), counted from the day the requester
    received the letter (the day itself not counted)."""
    from datetime import timedelta

    review_by = received_on + timedelta(days=REVIEW_DAYS)
    month = received_on.month - 1 + LITIGATION_MONTHS
    year, month = received_on.year + month // 12, month % 12 + 1
    day = received_on.day
    while True:
        try:
            litigation_by = date(year, month, day)
            break
        except ValueError:
            day -= 1
    return review_by, litigation_by
