"""Due dates and cycles from Chinese deadline phrases. Pure: no Django, no I/O.

Two entry points:

* `due_from_cell(text, year)` reads a 完成时限 cell, where the whole cell is about time
  (「2021年6月底前」「每季度」「长期坚持」「2021年」).
* `due_from_text(text, year)` looks for a deadline inside a requirement sentence, where only
  unmistakable phrases count (「2021年年底前」「6月底前」「年内」「每月」); a bare 「2021年」 or
  「年度」 in running text is not a deadline.

`year` is the plan's year, used when a phrase names no year (「6月底前」); when it is unknown such
phrases give no date. A phrase that names a date but not a real one (「2月30日」) gives no date.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from datetime import date

from gongkai.core.numbers import chinese_number

MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
ONGOING = "ongoing"
CYCLES = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY, ONGOING)

MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass(frozen=True)
class Due:
    date: date | None = None
    cycle: str | None = None
    text: str | None = None  # the cell as written, or the phrases recognised in free text
    # Earlier deadlines stated with it (「10月底前编制完成，年底前全部公开」): (date, phrase).
    milestones: tuple[tuple[datetime.date, str], ...] = ()  # (`date` is the field above)


NO_DUE = Due()

# Length-preserving normalisation, so that match spans index the original text.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．／－　", "0123456789./- ")


def _valid_year(year: int | None) -> int | None:
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    year = _valid_year(year)
    if year is None or month is None or not 1 <= month <= 12:
        return None
    if day is None:
        return _month_end(year, month)
    try:
        return date(year, month, day)
    except ValueError:
        return None


_Y = r"(?:(?P<y>(?:19|20)\d{2}|[二][〇零][〇零一二三四五六七八九]{2})\s*年)"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
_NOT_DIGIT_BEFORE = r"(?<![\d一二三四五六七八九十])"
_BEFORE = r"(?:之前|以前|前)"

# Each rule: (name, regex, modes). Modes: "cell" (a 完成时限 cell) and/or "text" (free text).
_DATE_RULES: list[tuple[str, re.Pattern[str], frozenset[str]]] = []


def _rule(name: str, pattern: str, *modes: str) -> None:
    _DATE_RULES.append((name, re.compile(pattern), frozenset(modes)))


_BOTH = ("cell", "text")
# 2021-06-30, 2021.6.30, 2021/6/30
_rule("iso", r"(?<!\d)(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)", *_BOTH)
# 3月31日前, 2021年3月31日之前
_rule("day_before", _NOT_DIGIT_BEFORE + _Y + r"?" + _M + r"\s*" + _D + r"\s*" + _BEFORE, *_BOTH)
# 截至3月31日
_rule("day_until", r"(?:截至|截止到?|到)\s*" + _Y + r"?" + _M + r"\s*" + _D, *_BOTH)
# 3月31日 (a cell holds only time)
_rule("day", _NOT_DIGIT_BEFORE + _Y + r"?" + _M + r"\s*" + _D, "cell")
# 6月底前, 6月末, 2021年6月底
_rule(
    "month_end",
    _NOT_DIGIT_BEFORE + _Y + r"?" + _M + r"\s*(?P<p>底|末|下旬)" + _BEFORE + r"?",
    *_BOTH,
)
# 6月上旬/中旬
_rule(
    "month_part",
    _NOT_DIGIT_BEFORE + _Y + r"?" + _M + r"\s*(?P<p>上旬|中旬)" + _BEFORE + r"?",
    *_BOTH,
)
# 6月前 (strictly before June: the end of May)
_rule("month_before", _NOT_DIGIT_BEFORE + _Y + r"?" + _M + r"\s*" + _BEFORE, "cell")
# 2021年6月, 6月
_rule("month", _NOT_DIGIT_BEFORE + _Y + r"?" + _M, "cell")
# 上半年 / 下半年
_rule("half", _Y + r"?(?P<h>上|下)半年(?:底|末)?" + _BEFORE + r"?", *_BOTH)
# 第一季度末, 二季度前
_rule(
    "quarter_text",
    _Y + r"?第?(?P<q>[一二三四1-4])季度(?:(?:末|底)" + _BEFORE + r"?|" + _BEFORE + r"|内)",
    *_BOTH,
)
_rule("quarter", _Y + r"?第?(?P<q>[一二三四1-4])季度(?:末|底)?", "cell")
# 2021年年底前, 2021年底, 年底前, 年末
_rule("year_end", r"(?:" + _Y + r"年?|年)(?:底|末)" + _BEFORE + r"?", *_BOTH)
# 年内 (but not 三年内, 半年内)
_rule("within_year", r"(?:" + _Y + r"年?|(?<![\d一二三四五六七八九十两几多半数])年)内", *_BOTH)
# 年终, 全年 (cell only: 年终评估 in running text is not a deadline)
_rule("year_end_cell", _Y + r"?(?:年终|全年)", "cell")
# 2021年 (cell only)
_rule("year", _Y, "cell")

_CYCLE_RULES: list[tuple[str, re.Pattern[str], frozenset[str]]] = [
    (HALF_YEARLY, re.compile(r"每半年|半年一次|每年两次"), frozenset(_BOTH)),
    (MONTHLY, re.compile(r"每个?月|按月|逐月"), frozenset(_BOTH)),
    (MONTHLY, re.compile(r"(?<![\d一二三四五六七八九十])月度"), frozenset({"cell"})),
    (QUARTERLY, re.compile(r"每个?季度?|按季度?|逐季"), frozenset(_BOTH)),
    (QUARTERLY, re.compile(r"(?<![一二三四1-4])季度"), frozenset({"cell"})),
    (YEARLY, re.compile(r"每年度?|按年度?|逐年|每一年"), frozenset(_BOTH)),
    (YEARLY, re.compile(r"(?<![\d〇零一二三四五六七八九])年度"), frozenset({"cell"})),
    (ONGOING, re.compile(r"长期坚持"), frozenset(_BOTH)),
    (ONGOING, re.compile(r"长期|持续|常态化|经常性|日常"), frozenset({"cell"})),
]


def _date_from(name: str, m: re.Match[str], year: int | None) -> date | None:
    groups = m.groupdict()
    y = chinese_number(groups["y"]) if groups.get("y") else year
    month = chinese_number(groups["m"]) if groups.get("m") else None
    day = chinese_number(groups["d"]) if groups.get("d") else None
    if name in {"iso", "day_before", "day_until", "day"}:
        return _safe_date(y, month, day) if day is not None else None
    if name == "month_end":
        return _safe_date(y, month, None)
    if name == "month_part":
        return _safe_date(y, month, 10 if groups["p"] == "上旬" else 20)
    if name == "month_before":
        if month is None or y is None:
            return None
        return _safe_date(y - 1, 12, None) if month == 1 else _safe_date(y, month - 1, None)
    if name == "month":
        return _safe_date(y, month, None)
    if name == "half":
        return _safe_date(y, 6 if groups["h"] == "上" else 12, None)
    if name in {"quarter", "quarter_text"}:
        q = "一二三四".find(groups["q"]) + 1 or int(groups["q"])
        return _safe_date(y, q * 3, None)
    # year_end, within_year, year_end_cell, year
    return _safe_date(y, 12, 31)


def _find_dates(text: str, year: int | None, mode: str) -> list[tuple[int, int, date | None]]:
    """All deadline phrases, non-overlapping, preferring earlier and then longer matches."""
    found: list[tuple[int, int, date | None]] = []
    for name, pattern, modes in _DATE_RULES:
        if mode not in modes:
            continue
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            found.append((m.start(), m.end(), _date_from(name, m, year)))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    chosen: list[tuple[int, int, date | None]] = []
    for start, end, value in found:
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, value))
    return chosen


def _find_cycle(text: str, mode: str) -> tuple[int, int, str] | None:
    best: tuple[int, int, str] | None = None
    for cycle, pattern, modes in _CYCLE_RULES:
        if mode not in modes:
            continue
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end(), cycle)
    return best


def _parse(text: str | None, year: int | None, mode: str) -> Due:
    if not text or not text.strip():
        return NO_DUE
    original = text
    norm = text.translate(_FULLWIDTH)
    year = _valid_year(year)
    dates = _find_dates(norm, year, mode)
    cycle = _find_cycle(norm, mode)
    # Several deadlines in one text (3月底前…，6月底前…): the task is due at the last one; the
    # earlier ones are its milestones.
    dated = [(start, end, value) for start, end, value in dates if value is not None]
    best = max(dated, key=lambda d: d[2]) if dated else (dates[0] if dates else None)
    due_date = best[2] if best else None
    milestones: dict[date, str] = {}
    for start, end, value in sorted(dated, key=lambda d: d[2]):
        if due_date is not None and value < due_date and value not in milestones:
            milestones[value] = original[start:end].strip()
    earlier = tuple(milestones.items())
    if mode == "cell":
        return Due(due_date, cycle[2] if cycle else None, original.strip(), earlier)
    spans = sorted(s for s in (*[d for d in dated if d[2] in milestones], best, cycle) if s)
    if not spans:
        return NO_DUE
    phrase = "，".join(original[s[0] : s[1]].strip() for s in spans)
    return Due(due_date, cycle[2] if cycle else None, phrase, earlier)


def due_from_cell(text: str | None, year: int | None) -> Due:
    """A 完成时限 cell: a date, a cycle, both or neither; `text` is the cell as written."""
    return _parse(text, year, "cell")


def due_from_text(text: str | None, year: int | None) -> Due:
    """A deadline stated inside a requirement; `text` is the phrase found (or None)."""
    return _parse(text, year, "text")


def milestones(due: Due) -> list:
    """The earlier deadlines of `due` as `result.Milestone`s."""
    from .result import Milestone

    return [Milestone(d, text) for d, text in due.milestones]
