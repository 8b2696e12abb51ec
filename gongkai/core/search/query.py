"""A query string as phrases of index tokens, and the checks of phrases on stored streams."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai.core import text
from gongkai.core.search import limits

if TYPE_CHECKING:
    from gongkai.core.search.index import SearchIndex

# One phrase of a query: its index tokens, each with whether it is a prefix token.
Phrase = list[tuple[str, bool]]


@dataclass(frozen=True)
class Term:
    """One term of a query (`text.query_parts`): its `needle` (the term as stored text, which
    every matching entry's stored title or body contains), the index `tokens` every matching
    entry has, and `prefixes`, tokens every matching entry has a token starting with (see
    `text.query_terms`)."""

    needle: str
    tokens: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def exact(self) -> bool:
        """Whether having the term's one token is having the term (no check on the text)."""
        return " " not in self.needle and len(self.tokens) + len(self.prefixes) == 1

    @property
    def phrase(self) -> Phrase:
        return [(t, False) for t in self.tokens] + [(p, True) for p in self.prefixes]


def parse(query: str) -> tuple[list[Term], str, bool]:
    """(terms, error, by_date) of a query: one `Term` per term of `text.query_parts` (the one
    query normalisation), or an error message in Chinese; `by_date`: the query names a
    document number without its year (newest first)."""
    normalized = text.normalize(query or "")
    if not normalized:
        return [], "请输入检索词。", False
    if len(normalized) > limits.MAX_QUERY_LENGTH:
        return [], f"检索词过长，请不超过{limits.MAX_QUERY_LENGTH}个字。", False
    parts = text.query_parts(normalized)
    if len(parts.terms) > limits.MAX_QUERY_PARTS:
        return [], f"检索词最多{limits.MAX_QUERY_PARTS}个，请用空格分隔。", False
    terms = []
    for part in parts.terms:
        needle, tokens, prefixes = text.query_terms(part)
        if needle:
            terms.append(Term(needle, tuple(tokens), tuple(prefixes)))
    terms = list(dict.fromkeys(terms))
    if not terms:
        return [], "检索词需包含汉字、字母或数字。", False
    return terms, "", parts.by_date


def parse_query(query: str) -> tuple[list[Phrase], str]:
    """The phrases of a query as token lists, or an error message in Chinese."""
    terms, error, _ = parse(query)
    return [term.phrase for term in terms], error


def index_query(terms: Sequence[Term]) -> tuple[list[str], list[str], list[Term]]:
    """(tokens, prefix tokens, terms to check) of a query: every term's tokens; prefix
    tokens only when no term has a token (a prefix of a common character costs a pass over
    much of the index, and the stored text decides anyway); and the terms whose presence
    those tokens do not prove, to be checked on the stored text of the candidates."""
    has_tokens = any(term.tokens for term in terms)
    tokens = list(dict.fromkeys(tok for term in terms for tok in term.tokens))
    prefixes = [] if has_tokens else list(dict.fromkeys(p for t in terms for p in t.prefixes))
    checks = [term for term in terms if not (term.exact and (term.tokens or not has_tokens))]
    return tokens, prefixes, checks


def text_check(terms: Sequence[Term], find: str) -> tuple[str, list[str]]:
    """SQL (" AND …") and parameters checking each term on the stored title or body of
    the row ``t``; `find` is the database's substring position function."""
    sql = "".join(f" AND ({find}(t.title, %s) > 0 OR {find}(t.body, %s) > 0)" for _ in terms)
    return sql, [term.needle for term in terms for _ in range(2)]


def rank_columns(
    index: SearchIndex, terms: Sequence[Term], query: str, find: str
) -> tuple[str, list[str]]:
    """SQL of the two ranking columns of the row ``t`` and their parameters: title hit (every
    term in the stored title) and the term frequency (occurrences in the title count five
    times)."""
    title = " AND ".join(f"{find}(t.title, %s) > 0" for _ in terms)
    params = [term.needle for term in terms]
    tf = " + ".join(
        "(5 * (length(t.title) - length(replace(t.title, %s, ''))) "
        f"+ length(t.body) - length(replace(t.body, %s, ''))) / {len(term.needle)}"
        for term in terms
    )
    params += [term.needle for term in terms for _ in range(2)]
    return f"({title}), ({tf})", params


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
