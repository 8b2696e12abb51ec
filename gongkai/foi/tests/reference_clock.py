"""An independent reference calculator of the reply due date, for the property test.

It imports nothing of gongkai: working days come from the `chinese-calendar` package for
2025–2026 and from the example 2027 notice in gongkai/core/calendar_data (read here as plain
data); the rules are re-implemented as a day-by-day walk instead of the clock's interval
arithmetic:

- 20 working days from receipt, counted from the next day (条例第33条);
- a working day does not count while a pause (third party 第32条, 会商 第34条, fee 109号) runs,
  from the day after it starts to the day it ends; a pause counts only if, on the day it
  starts, the period has not already ended; the same holds for an extension (第33条第二款);
- one 补正 notice within 7 working days of receipt stops the clock, and the period restarts
  from the day the corrected request arrives (第30条); a later notice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import chinese_calendar

DATA = Path(__file__).resolve().parents[2] / "core" / "calendar_data" / "example-2027.csv"
ONE = dt.timedelta(days=1)


def _dates(text: str) -> list[dt.date]:
    out = []
    for part in text.replace("；", "、").replace(";", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        if "至" in part:
            a, b = (dt.date.fromisoformat(x.strip()) for x in part.split("至"))
            while a <= b:
                out.append(a)
                a += ONE
        else:
            out.append(dt.date.fromisoformat(part))
    return out


@cache
def _notice_2027() -> tuple[frozenset, frozenset]:
    off, on = set(), set()
    rows = [r for r in csv.reader(DATA.read_text(encoding="utf-8").splitlines()) if r]
    body = False
    for row in rows:
        if row[0].startswith("#"):
            continue
        if row[0] == "节日":
            body = True
            continue
        if body:
            off.update(_dates(row[1]))
            if len(row) > 2:
                on.update(_dates(row[2]))
    return frozenset(off), frozenset(on)


def is_workday(d: dt.date) -> bool:
    if d.year <= 2026:
        return chinese_calendar.is_workday(d)
    if d.year == 2027:
        off, on = _notice_2027()
        if d in on:
            return True
        if d in off:
            return False
    return d.weekday() < 5


def nth_workday_after(start: dt.date, n: int) -> dt.date:
    d = start
    while n:
        d += ONE
        if is_workday(d):
            n -= 1
    return d


PAUSE_START = {"third_party_started": "tp", "consultation_started": "co", "fee_notice": "fee"}
PAUSE_END = {"third_party_ended": "tp", "consultation_ended": "co", "fee_paid": "fee"}


def reference_due(received: dt.date, events, today: dt.date) -> dt.date | None:
    """The due date, or None while the request awaits its correction."""
    notice_by = nth_workday_after(received, 7)
    start = received
    pauses: list[list] = []  # [begin, end or None]
    needed = 20
    correction = "none"
    extension_seen = False

    def running_on(day: dt.date) -> bool:
        """The period has not ended on `day`: day ≤ the due date as it stands that day."""
        spans = [(b, e if e is not None else max(b, day)) for b, e, _ in pauses]
        return day <= _walk(start, needed, spans)

    for ev in sorted(events, key=lambda e: e.on):  # stable: same-day events keep their order
        kind, on = ev.kind, ev.on
        if kind == "correction_requested":
            if correction == "none" and on <= notice_by:
                correction = "open"
            elif correction == "none":
                correction = "ignored"
        elif kind == "correction_received":
            if correction == "open":
                correction, start, pauses = "done", on, []
        elif kind in PAUSE_START:
            which = PAUSE_START[kind]
            if correction == "open":
                continue
            if any(p[2] == which and p[1] is None for p in pauses):
                continue
            if running_on(on):
                pauses.append([on, None, which])
        elif kind in PAUSE_END:
            which = PAUSE_END[kind]
            for p in pauses:
                if p[2] == which and p[1] is None:
                    p[1] = on
        elif kind == "extended":
            first = not extension_seen
            extension_seen = True
            if first and correction != "open" and running_on(on):
                needed += ev.days
    if correction == "open":
        return None
    until = max([today, *[p[0] for p in pauses if p[1] is None]])
    return _walk(start, needed, [(b, e if e is not None else until) for b, e, _ in pauses])


def _walk(start: dt.date, needed: int, spans) -> dt.date:
    """The day the `needed`-th counted working day after `start` falls on, where a working day
    in (b, e] of a pause span does not count. A pause begun on the due day itself suspends the
    rest of that day: the reply is then due on the last working day of the pause."""
    count, d = 0, start
    while count < needed:
        d += ONE
        if is_workday(d) and not any(b < d <= e for b, e in spans):
            count += 1
    merged: list[list] = []
    for b, e in sorted(spans):
        if merged and b <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([b, e])
    for b, e in merged:
        if b == d:
            last = d
            x = d + ONE
            while x <= e:
                if is_workday(x):
                    last = x
                x += ONE
            d = last
    return d
