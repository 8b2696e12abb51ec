"""Numbers as Chinese documents write them: 「12」, 「１２」, 「1,234」, 「十二」, 「三十一」, 「两」,
「一百零五」, 「两万三千」, and years digit by digit, 「二〇二一」. The one parser; the task-table
deadlines and the annual report's text checks both use it."""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# A regular-expression class for a number written either way.
PATTERN = r"[0-9０-９][0-9０-９,，]*|[零〇一二两三四五六七八九十百千万]+"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def chinese_number(text: str) -> int | None:
    """The value of a number written in Arabic or Chinese numerals; None when it is not one."""
    text = text.strip().replace(",", "").replace("，", "").translate(_FULLWIDTH_DIGITS)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if not any(ch in UNITS for ch in text):
        if all(ch in DIGITS for ch in text):  # 二〇二一: digit by digit
            value = 0
            for ch in text:
                value = value * 10 + DIGITS[ch]
            return value
        return None
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
        else:
            return None
    return total + section + digit
