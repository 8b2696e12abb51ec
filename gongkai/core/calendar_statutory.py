"""The statutory days off that no State Council notice can take away (pure; no Django).

《全国年节及纪念日放假办法》, as amended by 国务院令第797号 (in force 2025-01-01), fixes 13 days
off for everyone (RULES.md §10):

    元旦    1 January                              1 day
    春节    除夕 to 初三 (lunar 12/last – 1/3)      4 days
    清明节  the day of the 清明 solar term          1 day
    劳动节  1–2 May                                 2 days
    端午节  lunar 5/5                               1 day
    中秋节  lunar 8/15                              1 day
    国庆节  1–3 October                             3 days

The yearly notice only adds to these (bridging days, 调休). So a year whose notice is not loaded
yet is counted Monday–Friday *less these days*, every result still marked 暂定. Lunar dates and
the solar term come from `lunar-python` (a maintained calendar library), never from a table
written here.

Only the 797号 rule is encoded: it applies from 2025. Earlier years are covered by the
`chinese-calendar` package (2004–2026) and `statutory_days_off` returns nothing for them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from lunar_python import Lunar

#: The first year the 797号 list applies to (in force 2025-01-01).
RULE_FROM_YEAR = 2025
#: lunar-python's reliable range ends well beyond this; later years count Monday–Friday only.
RULE_UNTIL_YEAR = 2199
RULE_TITLE = "《全国年节及纪念日放假办法》（国务院令第797号修订）"


def _solar(lunar: Lunar) -> date:
    s = lunar.getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


@cache
def statutory_days_off(year: int) -> tuple[tuple[date, str], ...]:
    """The statutory days off of `year` as (date, holiday name), in date order.

    A day that two holidays share (中秋 on 1–3 October) appears once, named after both.
    Empty for years the 797号 rule does not cover (before 2025, after RULE_UNTIL_YEAR).
    """
    if not RULE_FROM_YEAR <= year <= RULE_UNTIL_YEAR:
        return ()
    new_year = Lunar.fromYmd(year, 1, 1)
    spring = _solar(new_year)
    qingming = new_year.getJieQiTable()["清明"]
    days: dict[date, list[str]] = {}

    def add(d: date, name: str) -> None:
        assert d.year == year, (d, name)  # every one of these falls inside its own year
        days.setdefault(d, []).append(name)

    add(date(year, 1, 1), "元旦")
    for offset in (-1, 0, 1, 2):  # 除夕, 初一, 初二, 初三
        add(spring + timedelta(days=offset), "春节")
    add(date(qingming.getYear(), qingming.getMonth(), qingming.getDay()), "清明节")
    add(date(year, 5, 1), "劳动节")
    add(date(year, 5, 2), "劳动节")
    add(_solar(Lunar.fromYmd(year, 5, 5)), "端午节")
    add(_solar(Lunar.fromYmd(year, 8, 15)), "中秋节")
    for day in (1, 2, 3):
        add(date(year, 10, day), "国庆节")
    return tuple((d, "、".join(names)) for d, names in sorted(days.items()))
