"""Property test of the request clock (issue 15): random lifecycles, events in any order, dates
anywhere in 2025–2027.

- the due date equals that of an independent reference calculator (reference_clock.py, which
  imports neither the clock nor the calendar);
- a deadline never moves after it has passed: once the period has ended with no pause running,
  nothing that happens later changes the due date (条例第33条);
- pauses and an extension only ever count when they start within the period;
- the result is 暂定 exactly when it depends on a year whose holiday notice is not loaded.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import build_calendar, package_calendar, read_notice
from gongkai.foi.clock import ClockEvent, compute

from . import reference_clock as ref

NOTICE = read_notice(str(ref.DATA).replace(".csv", ".yaml"))
LOADED = build_calendar([NOTICE])  # the package (2025–2026) + the example 2027 notice
UNLOADED = package_calendar()  # 2027 unknown

received_dates = st.dates(date(2025, 1, 1), date(2027, 8, 31))

PAIRS = [
    ("third_party_started", "third_party_ended"),
    ("consultation_started", "consultation_ended"),
    ("fee_notice", "fee_paid"),
]


@st.composite
def lifecycles(draw):
    """A received date and events at random offsets, in any order, possibly late."""
    received = draw(received_dates)
    events = []
    if draw(st.booleans()):
        asked = received + timedelta(days=draw(st.integers(0, 16)))
        events.append(ClockEvent("correction_requested", asked, draw(st.integers(5, 15))))
        if draw(st.booleans()):
            back = asked + timedelta(days=draw(st.integers(0, 20)))
            events.append(ClockEvent("correction_received", back))
    for start_kind, end_kind in draw(st.lists(st.sampled_from(PAIRS), max_size=4)):
        begin = received + timedelta(days=draw(st.integers(0, 60)))
        events.append(ClockEvent(start_kind, begin))
        if draw(st.integers(0, 3)):
            events.append(ClockEvent(end_kind, begin + timedelta(days=draw(st.integers(0, 30)))))
    if draw(st.booleans()):
        on = received + timedelta(days=draw(st.integers(0, 60)))
        events.append(ClockEvent("extended", on, draw(st.integers(1, 20))))
    order = draw(st.permutations(range(len(events))))
    return received, [events[i] for i in order]


def _today(received, events):
    return max([received, *[e.on for e in events]])


def _clock(received, events, today, calendar=LOADED):
    return compute(received, events, today=today, calendar=calendar)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_due_date_equals_the_independent_reference(case):
    received, events = case
    today = _today(received, events)
    clock = _clock(received, events, today)
    assert clock.due == ref.reference_due(received, events, today)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_a_deadline_never_moves_after_it_has_passed(case):
    received, events = case
    today = _today(received, events)
    final = _clock(received, events, today).due
    for day in sorted({e.on for e in events}):
        before = [e for e in events if e.on < day]
        clock = _clock(received, before, day - timedelta(days=1))
        if clock.due is not None and not clock.paused and clock.due < day:
            # Passed before `day` with nothing running: whatever comes later changes nothing.
            assert final == clock.due, (day, clock.due, final)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_pauses_and_extension_count_only_when_started_within_the_period(case):
    received, events = case
    today = _today(received, events)
    final = _clock(received, events, today).due
    for ev in events:
        if ev.kind not in ("extended", *[a for a, _ in PAIRS]):
            continue
        earlier = [e for e in events if e.on < ev.on]
        clock = _clock(received, earlier, ev.on)
        if clock.due is None or clock.paused or ev.on <= clock.due:
            continue
        # Started after the period ended: dropping it (and its end) changes nothing.
        end = dict(PAIRS).get(ev.kind)
        rest = [e for e in events if e is not ev and not (end and e.kind == end)]
        if sum(e.kind == ev.kind for e in rest):
            continue  # another event of the same kind may pair with the end
        assert _clock(received, rest, today).due == final


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lifecycles())
def test_provisional_exactly_when_an_unloaded_year_is_touched(case):
    received, events = case
    today = _today(received, events)
    loaded = _clock(received, events, today)
    unloaded = _clock(received, events, today, calendar=UNLOADED)
    assert not loaded.provisional  # every year in reach is known
    computed = [
        loaded.due,
        loaded.correction_notice_by,
        loaded.correction_due,
        loaded.third_party_due,
        loaded.consultation_due,
        loaded.payment_due,
    ]
    touches_2027 = any(d is not None and d.year >= 2027 for d in computed)
    assert unloaded.provisional == touches_2027
    if not touches_2027:
        assert unloaded.due == loaded.due
