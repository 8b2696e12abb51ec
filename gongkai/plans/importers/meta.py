"""Title, year and document number from the text around the tasks. Pure."""

from __future__ import annotations

import re

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


def is_title_candidate(text: str) -> bool:
    line = one_line(text).strip()
    if not 4 <= len(line) <= MAX_TITLE_LEN:
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
