"""The working-day calendar: the ONE place where every deadline is computed.

Which days are working days:
- years the `chinese-calendar` package knows (2004–2026 in 1.11): weekends, statutory holidays
  and 调休 make-up working days from the package;
- years loaded from a State Council notice (`gongkai calendar load-year FILE`, stored in
  CalendarYear/CalendarDay): the loaded arrangement, which overrides the package for that year;
- any other year (2027 until its notice is loaded): Monday–Friday less the statutory days off
  that 《全国年节及纪念日放假办法》 fixes whatever the notice will say (元旦, 春节 除夕–初三, 清明,
  劳动节 1–2 May, 端午, 中秋, 国庆 1–3 October; `gongkai.core.calendar_statutory`), and every
  result that depends on such a year is marked provisional (暂定).

The logic is plain functions over a `CalendarData` value, so it is tested without a database.
Every public function takes an optional `calendar=`; without it the cached DB-backed default
(`default_calendar()`) is used. Loading a year clears that cache and sends
`calendar_year_loaded` so apps that store deadlines can recompute them.

Counting convention (RULES.md §10): a period of n working days counts from the day after the
start day, and the result is always a working day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

import chinese_calendar
from chinese_calendar import constants as cc_constants
from django.dispatch import Signal

from gongkai.core.calendar_notice import Notice, NoticeDay, NoticeError, parse_notice, read_notice
from gongkai.core.calendar_statutory import RULE_FROM_YEAR, RULE_UNTIL_YEAR, statutory_days_off

if TYPE_CHECKING:
    from gongkai.core.actions import Actor
    from gongkai.core.workday_dates import Change

__all__ = [
    "CalendarData",
    "DayInfo",
    "Explanation",
    "LoadOutcome",
    "Notice",
    "NoticeError",
    "WorkdayResult",
    "YearSource",
    "YearSummary",
    "add_workdays",
    "build_calendar",
    "calendar_from_db",
    "calendar_warning",
    "calendar_year_loaded",
    "clear_cache",
    "day_info",
    "default_calendar",
    "explain",
    "is_workday",
    "load_notice",
    "package_calendar",
    "parse_notice",
    "provisional_note",
    "read_notice",
    "unloaded_years_ahead",
    "workdays_between",
    "year_summary",
]

logger = logging.getLogger("gongkai.calendar")

#: Sent (sender=CalendarYear, year=int, actor=…) after a year's arrangement is committed.
#: Receivers recompute the deadlines they store for that year (see docs/calendar.md).
calendar_year_loaded = Signal()

WEEKDAYS = "一二三四五六日"
MAX_WORKDAYS = 10_000  # |n| above this is a typo, not a deadline
PACKAGE_VERSION = getattr(chinese_calendar, "__version__", "")
PACKAGE_TITLE = f"chinese-calendar {PACKAGE_VERSION}".strip()
# Unknown years get the statutory days off up to this many years after the last known year
# (later dates count Monday–Friday only; no real deadline reaches that far).
FALLBACK_YEARS_AHEAD = 25
# How an unknown year is counted, in the Chinese texts that say so.
FALLBACK_RULE = "周一至周五并扣除法定节假日"
# The dashboard starts warning about next year's missing notice from this day (month, day).
WARN_FROM = (10, 1)
CACHE_TTL_SECONDS = 30.0

# Package holiday names are English; show the names the notices use.
_PACKAGE_NAMES = {h.value: h.chinese for h in cc_constants.Holiday} | {
    "Tomb-sweeping Day": "清明节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
}

# Day kinds
WORKDAY, WEEKEND, HOLIDAY, MAKEUP = "workday", "weekend", "holiday", "makeup"


def weekday_name(d: date) -> str:
    return "周" + WEEKDAYS[d.weekday()]


def provisional_note(years: Iterable[int]) -> str:
    """「暂定：2027年节假日安排尚未载入」 for the given unknown years ("" when none)."""
    years = sorted(set(years))
    if not years:
        return ""
    return "暂定：" + "、".join(f"{y}年" for y in years) + "节假日安排尚未载入"


# --- Plain data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearSource:
    """Where a known year's arrangement comes from: the package or a loaded notice."""

    year: int
    kind: str  # "package" | "loaded"
    title: str
    loaded_at: dt.datetime | None = None
    source_file: str = ""
    is_example: bool = False

    @property
    def label(self) -> str:
        if self.kind == "package":
            return self.title
        label = f"已载入：《{self.title}》"
        if self.is_example:
            label += "【示例数据】"
        return label


@dataclass(frozen=True)
class DayOverride:
    """A day the arrangement changes from the weekday rule (or names a holiday weekend)."""

    is_workday: bool
    name: str


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_workday: bool
    provisional: bool
    kind: str  # WORKDAY | WEEKEND | HOLIDAY | MAKEUP
    name: str = ""

    @property
    def label(self) -> str:
        text = {
            WORKDAY: "工作日",
            WEEKEND: "周末",
            HOLIDAY: f"放假（{self.name}）",
            MAKEUP: f"调休上班（{self.name}）",
        }[self.kind]
        return text + ("（暂定）" if self.provisional else "")


@dataclass(frozen=True)
class WorkdayResult:
    """A computed deadline. `provisional` when it depends on a year with no arrangement yet."""

    date: date
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def note(self) -> str:
        return provisional_note(self.provisional_years)


class CalendarData:
    """Known years and the days that differ from Monday–Friday. Immutable once built.

    `explicit` holds the days the package and the loaded notices list; `overrides` adds, for
    each year with no arrangement, its statutory days off (the 暂定 fallback).
    """

    def __init__(
        self, years: Mapping[int, YearSource], overrides: Mapping[date, DayOverride]
    ) -> None:
        self.years: dict[int, YearSource] = dict(sorted(years.items()))
        self.explicit: dict[date, DayOverride] = dict(sorted(overrides.items()))
        fallback = {
            d: DayOverride(False, name)
            for year in self._fallback_years()
            for d, name in statutory_days_off(year)
        }
        self.overrides: dict[date, DayOverride] = dict(sorted((fallback | self.explicit).items()))
        # Per-day deviation from the weekday rule (+1 make-up weekend, -1 weekday off), with
        # prefix sums, so counting working days over any span is two bisections.
        deltas = [
            (d.toordinal(), int(o.is_workday) - int(d.weekday() < 5))
            for d, o in self.overrides.items()
        ]
        deltas = [(o, x) for o, x in deltas if x]
        self._delta_ords = [o for o, _ in deltas]
        self._delta_sums = list(accumulate((x for _, x in deltas), initial=0))

    def __repr__(self) -> str:
        return f"<CalendarData years={min(self.years, default='-')}–{max(self.years, default='-')}>"

    def _fallback_years(self) -> list[int]:
        last = max(self.years, default=RULE_FROM_YEAR - 1)
        hi = min(max(last, RULE_FROM_YEAR) + FALLBACK_YEARS_AHEAD, RULE_UNTIL_YEAR)
        return [y for y in range(RULE_FROM_YEAR, hi + 1) if y not in self.years]

    def knows(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, d: date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return override.is_workday
        return d.weekday() < 5

    def day(self, d: date) -> DayInfo:
        provisional = d.year not in self.years
        override = self.overrides.get(d)
        weekday = d.weekday() < 5
        if override is None:
            return DayInfo(d, weekday, provisional, WORKDAY if weekday else WEEKEND)
        if override.is_workday:
            return DayInfo(d, True, provisional, MAKEUP if not weekday else WORKDAY, override.name)
        return DayInfo(d, False, provisional, HOLIDAY, override.name)

    def count(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative of the count in (b, a] when b < a."""
        if b < a:
            return -self.count(b, a)
        lo, hi = a.toordinal(), b.toordinal()
        deltas = (
            self._delta_sums[bisect_right(self._delta_ords, hi)]
            - self._delta_sums[bisect_right(self._delta_ords, lo)]
        )
        return _weekdays_through(hi) - _weekdays_through(lo) + deltas

    def unknown_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years touched by [first, last] that have no arrangement (provisional)."""
        lo, hi = sorted((first.year, last.year))
        return tuple(y for y in range(lo, hi + 1) if y not in self.years)

    def with_notice(self, notice: Notice) -> CalendarData:
        """This calendar with one more notice applied (what loading it would give)."""
        return _apply_notices(dict(self.years), dict(self.explicit), [notice])


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday days in [ordinal 1, ordinal]; ordinal 1 (0001-01-01) is a Monday."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


# --- Building calendars -------------------------------------------------------------------------


@cache
def package_calendar() -> CalendarData:
    """The chinese-calendar package alone (2004–2026 in 1.11)."""
    known = sorted(
        {d.year for d in cc_constants.holidays} | {d.year for d in cc_constants.workdays}
    )
    years = {y: YearSource(y, "package", PACKAGE_TITLE) for y in known}
    overrides = {
        d: DayOverride(False, _PACKAGE_NAMES.get(name, name))
        for d, name in cc_constants.holidays.items()
    }
    overrides |= {
        d: DayOverride(True, _PACKAGE_NAMES.get(name, name))
        for d, name in cc_constants.workdays.items()
    }
    return CalendarData(years, overrides)


def build_calendar(notices: Iterable[Notice] = (), *, package: bool = True) -> CalendarData:
    """The package (unless package=False) overlaid with the given notices."""
    base = package_calendar() if package else CalendarData({}, {})
    return _apply_notices(dict(base.years), dict(base.explicit), list(notices))


def _apply_notices(
    years: dict[int, YearSource], overrides: dict[date, DayOverride], notices: list[Notice]
) -> CalendarData:
    # Earlier years first, so notice Y+1's late-December changes win over year Y's data.
    for notice in sorted(notices, key=lambda n: n.year):
        years[notice.year] = YearSource(
            notice.year,
            "loaded",
            notice.title,
            loaded_at=notice.loaded_at,
            source_file=notice.source_file,
            is_example=notice.is_example,
        )
        # A loaded year replaces whatever was known for that year's dates.
        for d in [d for d in overrides if d.year == notice.year]:
            del overrides[d]
        for day in notice.days:
            overrides[day.date] = DayOverride(day.is_workday, day.name)
    return CalendarData(years, overrides)


# --- The API ----------------------------------------------------------------------------------


def _check_date(d: object, what: str = "日期") -> date:
    # datetime is a date subclass but never equals one: the overrides would silently miss.
    if isinstance(d, dt.datetime) or not isinstance(d, date):
        raise TypeError(
            f"{what} must be a datetime.date (use timezone.localdate(value) for a datetime), "
            f"got {d!r}"
        )
    return d


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {n!r}")
    if abs(n) > MAX_WORKDAYS:
        raise ValueError(f"工作日数超出范围（绝对值不得超过 {MAX_WORKDAYS}）：{n}")
    return n


def _walk(start: date, n: int, cal: CalendarData) -> tuple[date, date, date]:
    """(result, first, last): the deadline and the span of days its computation examined."""
    one = timedelta(days=1)
    if n > 0:
        d, left = start, n
        while left:
            d += one
            if cal.is_workday(d):
                left -= 1
        return d, start + one, d
    if n == 0:
        d = start
        while not cal.is_workday(d):
            d += one
        return d, start, d
    d, left = start, -n
    while left:
        d -= one
        if cal.is_workday(d):
            left -= 1
    return d, d, start - one


def add_workdays(start: date, n: int, *, calendar: CalendarData | None = None) -> WorkdayResult:
    """The n-th working day after `start` (counting from the next day).

    n = 0: start itself if it is a working day, else the next working day.
    n < 0: the |n|-th working day before start (start itself not counted).
    Forward, the working days in (start, result] number n; backward, those in [result, start)
    number |n|. The result is provisional when any examined day lies in an unknown year.
    """
    _check_date(start, "start")
    _check_n(n)
    cal = calendar or default_calendar()
    result, first, last = _walk(start, n, cal)
    return WorkdayResult(result, cal.unknown_years(first, last))


def is_workday(d: date, *, calendar: CalendarData | None = None) -> bool:
    """Whether d is a working day (Monday–Friday when d's year has no arrangement yet)."""
    _check_date(d)
    return (calendar or default_calendar()).is_workday(d)


def day_info(d: date, *, calendar: CalendarData | None = None) -> DayInfo:
    """Working day or not, whether provisional, and why (holiday name, 调休)."""
    _check_date(d)
    return (calendar or default_calendar()).day(d)


def workdays_between(a: date, b: date, *, calendar: CalendarData | None = None) -> int:
    """The number of working days in (a, b]; negative when b < a (-(count in (b, a]))."""
    _check_date(a, "a")
    _check_date(b, "b")
    return (calendar or default_calendar()).count(a, b)


@dataclass(frozen=True)
class ExplainStep:
    day: DayInfo
    ordinal: int | None  # k for the k-th working day counted, 0 for n = 0's result, None: skipped
    backward: bool = False

    @property
    def line(self) -> str:
        d = self.day
        text = f"{d.date:%Y-%m-%d} {weekday_name(d.date)} {d.label}"
        if self.ordinal is None:
            return text + "，不计"
        if self.ordinal == 0:
            return text + "，即为结果"
        return text + f"，{'倒数' if self.backward else ''}第{self.ordinal}个工作日"


@dataclass(frozen=True)
class Explanation:
    start: date
    n: int
    result: WorkdayResult
    steps: tuple[ExplainStep, ...] = field(default=())

    def lines(self) -> list[str]:
        s = self.start
        head = f"起算：{s:%Y-%m-%d}（{weekday_name(s)}），"
        if self.n > 0:
            head += f"自次日起计 {self.n} 个工作日"
        elif self.n == 0:
            head += "取当日（如为工作日）或其后第一个工作日"
        else:
            head += f"自前一日起向前倒数 {-self.n} 个工作日"
        r = self.result.date
        tail = f"结果：{r:%Y-%m-%d}（{weekday_name(r)}）"
        if self.result.provisional:
            tail += f"（{self.result.note}，该年按{FALLBACK_RULE}计算）"
        return [head, *(step.line for step in self.steps), tail]


def explain(start: date, n: int, *, calendar: CalendarData | None = None) -> Explanation:
    """add_workdays with every examined day and how it was counted, for officers."""
    cal = calendar or default_calendar()
    result = add_workdays(start, n, calendar=cal)
    _, first, last = _walk(start, n, cal)
    days = [cal.day(first + timedelta(days=i)) for i in range((last - first).days + 1)]
    if n < 0:
        days.reverse()  # number them from start backwards
    steps, k = [], 0
    for info in days:
        if not info.is_workday:
            steps.append(ExplainStep(info, None, n < 0))
        else:
            k += 1
            steps.append(ExplainStep(info, k if n else 0, n < 0))
    if n < 0:
        steps.reverse()
    return Explanation(start, n, result, tuple(steps))


# --- Years: coverage, warnings, summaries --------------------------------------------------------


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: YearSource | None  # None: unknown, counted Monday–Friday (暂定)
    workdays: int
    days_off: tuple[tuple[date, str], ...]
    make_up_days: tuple[tuple[date, str], ...]

    def as_dict(self) -> dict[str, object]:
        src = self.source
        return {
            "year": self.year,
            "source": src.kind if src else None,
            "title": src.title if src else "",
            "source_file": src.source_file if src else "",
            "loaded_at": src.loaded_at.isoformat() if src and src.loaded_at else None,
            "is_example": bool(src and src.is_example),
            "workdays": self.workdays,
            "days_off": [[d.isoformat(), name] for d, name in self.days_off],
            "make_up_days": [[d.isoformat(), name] for d, name in self.make_up_days],
        }


def year_summary(year: int, *, calendar: CalendarData | None = None) -> YearSummary:
    cal = calendar or default_calendar()
    days = [(d, o) for d, o in cal.overrides.items() if d.year == year]
    return YearSummary(
        year=year,
        source=cal.years.get(year),
        workdays=cal.count(date(year - 1, 12, 31), date(year, 12, 31)),
        days_off=tuple((d, o.name) for d, o in days if not o.is_workday),
        make_up_days=tuple((d, o.name) for d, o in days if o.is_workday),
    )


def unloaded_years_ahead(today: date, *, calendar: CalendarData | None = None) -> list[int]:
    """Years a deadline computed today may fall into that have no arrangement.

    This year if it is unknown; next year too once today is on or after 1 October (deadlines
    of 20 + 20 working days already reach into January by then).
    """
    _check_date(today, "today")
    cal = calendar or default_calendar()
    years = [today.year] if not cal.knows(today.year) else []
    if today >= date(today.year, *WARN_FROM) and not cal.knows(today.year + 1):
        years.append(today.year + 1)
    return years


def calendar_warning(today: date | None = None, *, calendar: CalendarData | None = None) -> str:
    """The dashboard's Chinese warning about missing holiday arrangements ("" when none)."""
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    years = unloaded_years_ahead(today, calendar=calendar)
    if not years:
        return ""
    named = "、".join(f"{y}年" for y in years)
    return (
        f"{named}节假日安排尚未载入：落在{named}的期限暂按{FALLBACK_RULE}计算并标为「暂定」。"
        f"国务院办公厅发布通知后，请用 gongkai calendar load-year 载入，暂定期限将重新计算。"
    )


# --- The database side: loading notices and the cached default ------------------------------


def calendar_from_db() -> CalendarData:
    """The package overlaid with every year loaded into the database (uncached)."""
    from gongkai.core.models import CalendarYear

    notices = [
        Notice(
            year=row.year,
            title=row.title,
            document_number=row.document_number,
            published_on=row.published_on,
            source_url=row.source_url,
            is_example=row.is_example,
            source_file=row.source_file,
            loaded_at=row.loaded_at,
            days=tuple(NoticeDay(d.date, d.is_workday, d.name) for d in row.days.all()),
        )
        for row in CalendarYear.objects.prefetch_related("days")
    ]
    return build_calendar(notices)


class _Cache:
    lock = threading.Lock()
    data: CalendarData | None = None
    stamp: tuple[int, dt.datetime | None] | None = None
    checked_at = 0.0


def _db_stamp() -> tuple[int, dt.datetime | None]:
    from django.db.models import Count, Max

    from gongkai.core.models import CalendarYear

    agg = CalendarYear.objects.aggregate(n=Count("year"), last=Max("loaded_at"))
    return (agg["n"], agg["last"])


def default_calendar() -> CalendarData:
    """The DB-backed calendar, cached per process.

    Cleared at once in the process that loads a year; other processes (several app servers,
    workers) notice within CACHE_TTL_SECONDS by re-checking a one-row stamp query.
    """
    with _Cache.lock:
        now = time.monotonic()
        if _Cache.data is not None and now - _Cache.checked_at < CACHE_TTL_SECONDS:
            return _Cache.data
        stamp = _db_stamp()
        if _Cache.data is None or stamp != _Cache.stamp:
            _Cache.data = calendar_from_db()
            _Cache.stamp = stamp
        _Cache.checked_at = now
        return _Cache.data


def clear_cache() -> None:
    """Forget the cached default calendar (tests that load years call this around them)."""
    with _Cache.lock:
        _Cache.data = None
        _Cache.stamp = None
        _Cache.checked_at = 0.0


@dataclass(frozen=True)
class LoadOutcome:
    year: int
    created: bool  # False: an earlier load of the year was replaced
    previous_source: str | None  # "package" | "loaded" | None
    summary: YearSummary
    # Stored working-day dates the load changed (gongkai.core.workday_dates.Change); empty
    # when the load ran inside an outer transaction (they are recomputed when it commits).
    changes: tuple[Change, ...] = ()

    @property
    def moved_earlier(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.moved_earlier)


def load_notice(
    notice: Notice, *, actor: Actor = None, source_file: str | None = None
) -> LoadOutcome:
    """Store a validated notice as the arrangement of its year, replacing any earlier load.

    All or nothing, audited (calendar.load_year, before/after summaries of the year). After
    commit the cache is cleared and `calendar_year_loaded` is sent.
    """
    from django.db import transaction
    from django.utils import timezone

    from gongkai.core.audit import record
    from gongkai.core.models import CalendarDay, CalendarYear

    source_file = notice.source_file if source_file is None else source_file
    with transaction.atomic():
        # Lock the year's row first, so a concurrent load of the same year waits for this one.
        CalendarYear.objects.select_for_update().filter(year=notice.year).first()
        current = calendar_from_db()
        before = year_summary(notice.year, calendar=current)
        row, created = CalendarYear.objects.update_or_create(
            year=notice.year,
            defaults={
                "title": notice.title,
                "document_number": notice.document_number,
                "published_on": notice.published_on,
                "source_url": notice.source_url,
                "source_file": source_file[:255],
                "is_example": notice.is_example,
                "loaded_at": timezone.now(),
            },
        )
        CalendarDay.objects.filter(year=row).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(year=row, date=d.date, is_workday=d.is_workday, name=d.name)
            for d in notice.days
        )
        after = year_summary(notice.year, calendar=current.with_notice(notice))
        record(
            actor,
            "calendar.load_year",
            row,
            before=_audit_view(before),
            after=_audit_view(after),
            note=f"载入{notice.year}年节假日安排：《{notice.title}》"
            + (f"（{source_file}）" if source_file else ""),
        )
        year = notice.year
        done: list[Change] = []
        transaction.on_commit(lambda: done.extend(_after_load(year, actor)))
    clear_cache()
    return LoadOutcome(
        year=notice.year,
        created=created,
        previous_source=before.source.kind if before.source else None,
        summary=after,
        changes=tuple(done),
    )


def _audit_view(summary: YearSummary) -> dict[str, object]:
    data = summary.as_dict()
    return {k: data[k] for k in ("source", "title", "workdays", "days_off", "make_up_days")}


def _after_load(year: int, actor: Actor) -> list[Change]:
    """Recompute every registered stored working-day date (gongkai.core.workday_dates), then
    tell the other receivers. Returns the changes."""
    from gongkai.core import workday_dates
    from gongkai.core.models import CalendarYear

    clear_cache()
    changes = workday_dates.recompute_all(year, actor)
    for receiver, result in calendar_year_loaded.send_robust(
        sender=CalendarYear, year=year, actor=actor
    ):
        if isinstance(result, Exception):
            logger.error(
                "calendar_year_loaded receiver failed year=%s receiver=%r",
                year,
                receiver,
                exc_info=result,
            )
    return changes
