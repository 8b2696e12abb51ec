"""A query string as phrases of index tokens, and the checks of phrases on stored streams."""

from __future__ import annotations

import re

from gongkai.core import text
from gongkai.core.search import limits


def parse_query(query: str) -> tuple[list[list[tuple[str, bool]]], str]:
    """The phrases of a query (one per space-separated part) as token lists, or an error
    message in Chinese."""
    query = text.normalize(query or "")
    if not query:
        return [], "请输入检索词。"
    if len(query) > limits.MAX_QUERY_LENGTH:
        return [], f"检索词过长，请不超过{limits.MAX_QUERY_LENGTH}个字。"
    parts = [p for p in query.split(" ") if p]
    if len(parts) > limits.MAX_QUERY_PARTS:
        return [], f"检索词最多{limits.MAX_QUERY_PARTS}个，请用空格分隔。"
    phrases = [text.query_stream(p) for p in parts]
    phrases = [p for p in phrases if p]
    if not phrases:
        return [], "检索词需包含汉字、字母或数字。"
    return phrases, ""


def phrase_patterns(phrases) -> list[re.Pattern]:
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
    words = [w for w in text.segment(query) if w not in text.STOP_WORDS and text.is_plain_word(w)]
    return words[: limits.MAX_QUERY_PARTS * 2]
