"""The steps of the catalogue's search that need no model: 「您是不是要找」 suggestions and
facet counts over a `SearchIndex`. `catalog.indexing` runs them on the records index through
the visibility gate; bench/search.py runs the same code on its generated index, so the
benchmark times what the portal runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gongkai.core import text
from gongkai.core.search import SearchIndex, limits

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from gongkai.core.search.vocabulary import Scope

# A query finding fewer records than this gets suggestions (「您是不是要找：…」).
SUGGEST_BELOW = 3
SUGGESTIONS = 3


def suggested_queries(
    index: SearchIndex,
    scope: Scope,
    query: str,
    finds: Callable[[str], bool],
    *,
    limit: int = SUGGESTIONS,
    connection: BaseDatabaseWrapper | None = None,
) -> list[str]:
    """The queries the citizen likely meant, most likely first: one term of the query
    replaced by a term of the scope's vocabulary (see core.search.vocabulary), each kept only
    when `finds(suggestion)` (the caller's check that it finds visible records)."""
    terms = text.query_parts(query).terms
    out: list[str] = []
    if not 0 < len(terms) <= 3:
        return out
    for i, term in enumerate(terms):
        for candidate, _ in index.near_terms(scope, term, limit=8, connection=connection):
            suggestion = " ".join((*terms[:i], candidate, *terms[i + 1 :]))
            if suggestion in out:
                continue
            if finds(suggestion):
                out.append(suggestion)
            if len(out) >= limit:
                return out
    return out


def facet_counts(
    index: SearchIndex,
    query: str,
    *,
    facets: Sequence[str],
    rows: Callable[[list[int]], Iterable[Sequence[object]]],
    filters: Mapping[str, object],
    values: Mapping[str, Iterable[object]] | None = None,
    connection: BaseDatabaseWrapper | None = None,
    **search: Any,
) -> dict[str, dict]:
    """{facet: {value: count}} over the records the query finds. Exact when the query finds
    at most COUNT_CAP records: one pass over `rows(ids)` (each row the facets' values, in
    the order of `facets`, of the visible records among ids); beyond, each value of `values`
    ({facet: [value, …]}) is counted by the index with that filter added, exact up to
    COUNT_CAP (COUNT_CAP + 1 meaning more)."""
    cap = limits.COUNT_CAP
    counts: dict[str, dict] = {name: {} for name in facets}
    matches = index.matching_ids(
        query, filters=filters, limit=cap + 1, connection=connection, **search
    )
    if len(matches) <= cap:
        for row in rows(matches):
            for name, value in zip(facets, row, strict=True):
                counts[name][value] = counts[name].get(value, 0) + 1
        return counts
    for name, options in (values or {}).items():
        for value in options:
            found = index.search(
                query,
                filters={**filters, name: value},
                sort="date",
                per_page=1,
                connection=connection,
                **search,
            )
            if found.total:
                counts[name][value] = found.total + (1 if found.capped else 0)
    return counts
