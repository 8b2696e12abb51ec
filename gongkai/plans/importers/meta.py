"""Title, year, document number, 印发日期 and 发文机关 from the text around the tasks. Pure."""

from __future__ import annotations

import re
from datetime import date

from gongkai.core.numbers import chinese_number

from .document import one_line

# 济政办字〔2021〕18号, 鲁政办发[2021]5号
DOC_NO = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_SENTENCE_PUNCT = set("。；;：:，,！？!?")
_DATE_LINE = re.compile(
    r"^\S{0,2}(?:(?:19|20)\d{2}|二[〇零][〇零一二三四五六七八九]{2})\s*年"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\S{0,3}$"
)
_ATTACHMENT = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*$")
_BRACKETED = re.compile(r"^[（(【\[].*[）)】\]]$")
MAX_TITLE_LEN = 60
DOC_NO_LOOKAHEAD = 40


def find_doc_no(texts: list[str]) -> str | None:
    """The document's own number: a paragraph near the top that is (almost) only a number.

    A number quoted inside a sentence (「按照…（鲁政办发〔2021〕5号）要求」) is a reference to
    another document, not this one's number.
    """
    for text in texts[:DOC_NO_LOOKAHEAD]:
        line = one_line(text).strip()
        m = DOC_NO.search(line)
        if m and len(line) - len(m.group()) <= 4:
            return re.sub(r"\s+", "", m.group())
    return None


# A line that is only an organ's name (the signature above the date): 发文机关, not a title.
ISSUER = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|"
    r"委员会|局|厅|委|管委会|中心)$"
)
_ISSUED = re.compile(
    r"^\S{0,2}?((?:19|20)\d{2}|二[〇零○][〇零○一二三四五六七八九]{2})\s*年\s*"
    r"([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日\S{0,3}$"
)


def _cn_year(token: str) -> int | None:
    return chinese_number(token.replace("○", "〇"))


def find_issued_on(texts: list[str]) -> date | None:
    """印发日期: the first line that is only a date (「2021年4月28日」「二〇二一年四月二十八日」)."""
    for text in texts:
        m = _ISSUED.match(one_line(text).strip())
        if not m:
            continue
        year, month, day = (
            _cn_year(m.group(1)),
            chinese_number(m.group(2)),
            chinese_number(m.group(3)),
        )
        try:
            return date(year, month, day) if year and month and day else None
        except ValueError:
            continue
    return None


def find_issuer(texts: list[str]) -> str | None:
    """发文机关: an organ's name standing alone on the line above the 印发日期."""
    lines = [one_line(t).strip() for t in texts]
    for i, line in enumerate(lines):
        if _ISSUED.match(line) and i and ISSUER.match(lines[i - 1]):
            return lines[i - 1]
    return None


def is_title_candidate(text: str) -> bool:
    line = one_line(text).strip()
    if not 4 <= len(line) <= MAX_TITLE_LEN:
        return False
    if ISSUER.match(line) and not _YEAR_IN_TITLE.search(line):
        return False
    if any(ch in _SENTENCE_PUNCT for ch in line):
        return False
    if DOC_NO.search(line) or _DATE_LINE.match(line):
        return False
    return not (_ATTACHMENT.match(line) or _BRACKETED.match(line))


def pick_title(texts: list[str]) -> str | None:
    """The nearest title-like line above the tasks (the caller passes the lines above)."""
    for text in reversed(texts):
        if is_title_candidate(text):
            return one_line(text).strip()
    return None


def find_year(title: str | None, doc_no: str | None, fallback: int | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    if doc_no:
        m = DOC_NO.search(doc_no)
        if m:
            return int(m.group(1))
    return fallback
