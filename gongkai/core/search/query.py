"""A query string as phrases of index tokens, and the checks of phrases on stored streams."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gongkai.core import text
from gongkai.core.search import limits

if TYPE_CHECKING:
    from gongkai.core.search.index import SearchIndex

# One phrase of a query: its index tokens, each with whether it is a prefix token.
Phrase = list[tuple[str, bool]]


def parse(query: str) -> tuple[list[Phrase], str, bool]:
    """(phrases, error, by_date) of a query: one phrase of tokens per term of
    `text.query_parts` (the one query normalisation), or an error message in Chinese;
    `by_date`: the query names a document number without its year (newest first)."""
    normalized = text.normalize(query or "")
    if not normalized:
        return [], "请输入检索词。", False
    if len(normalized) > limits.MAX_QUERY_LENGTH:
        return [], f"检索词过长，请不超过{limits.MAX_QUERY_LENGTH}个字。", False
    parts = text.query_parts(normalized)
    if len(parts.terms) > limits.MAX_QUERY_PARTS:
        return [], f"检索词最多{limits.MAX_QUERY_PARTS}个，请用空格分隔。", False
    phrases = [text.query_stream(p) for p in parts.terms]
    phrases = [p for p in phrases if p]
    if not phrases:
        return [], "检索词需包含汉字、字母或数字。", False
    return phrases, "", parts.by_date


def parse_query(query: str) -> tuple[list[Phrase], str]:
    """The phrases of a query as token lists, or an error message in Chinese."""
    phrases, error, _ = parse(query)
    return phrases, error


def phrase_patterns(phrases: Sequence[Phrase]) -> list[re.Pattern[str]]:
    """A regular expression per phrase over a stored token stream (tokens joined by spaces):
    its tokens in a row, the last one as a prefix when it is a prefix token."""
    return [
        re.compile(
            r"(?:^| )"
            + re.escape(" ".join(tok for tok, _ in phrase))
            + ("" if phrase[-1][1] else r"(?= |$)")
        )
        for phrase in phrases
    ]


def words_query(query: str) -> list[str]:
    normalized = " ".join(text.query_parts(query).terms)
    words = [
        w for w in text.segment(normalized) if w not in text.STOP_WORDS and text.is_plain_word(w)
    ]
    return words[: limits.MAX_QUERY_PARTS * 2]


def chosen_filters(
    index: SearchIndex, filters: Mapping[str, object]
) -> list[tuple[str, str, list[object]]]:
    """The filters that choose something, as (name, column type, values): any value of a
    filter, all filters. An unknown filter name is a programming error."""
    known = dict(index.filters)
    out = []
    for name, value in filters.items():
        if value is None or value == "":
            continue
        if name not in known:
            raise ValueError(f"unknown search filter {name!r}")
        values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
        out.append((name, known[name], values))
    return out
