"""The public catalogue pages' hot queries, compiled once per process (catalog.compiled).

Each starts from the public gate (catalog.visibility) like every public query; only the values
change per request: the government, the current time, a record's id, the browse filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from gongkai.catalog.compiled import CompiledQuery
from gongkai.catalog.models import LIBRARY_GENRES, Attachment, Interpretation, Record
from gongkai.catalog.visibility import public_attachments, public_interpretations, public_records
from gongkai.orgs.models import Organisation

# What a list row shows (portal/catalog/_record_table.html), in this order.
ROW_FIELDS = (
    "id",
    "title",
    "doc_no",
    "published_at",
    "validity",
    "publisher__name",
    "publisher__short_name",
)

# The columns the record page shows (portal/catalog/record.html).
RECORD_FIELDS = (
    "id",
    "title",
    "doc_no",
    "index_no",
    "written_on",
    "published_at",
    "topic",
    "genre",
    "keywords",
    "summary",
    "body",
    "validity",
    "validity_changed_on",
    "superseded_by",
    "publisher__name",
)

# The record with hints of what else its page may list: whether it has any attachment, any
# interpretation, any document it amends or repeals (of any status: the page asks the gate for
# them, only when there are some; most records have none, so their page is one query).
RECORD = CompiledQuery(
    Record,
    lambda p, _v: (
        public_records(p.gov, p.now)
        .select_related("publisher")
        .only(*RECORD_FIELDS)
        .annotate(
            any_attachments=Exists(Attachment.objects.filter(record_id=OuterRef("pk"))),
            any_interpretations=Exists(Interpretation.objects.filter(policy_id=OuterRef("pk"))),
            any_amended=Exists(Record.objects.filter(superseded_by_id=OuterRef("pk"))),
        )
        .filter(pk=p.pk)
    ),
    gov=int,
    now=dt.datetime,
    pk=int,
)
ATTACHMENTS = CompiledQuery(
    Attachment,
    lambda p, _v: public_attachments(p.gov, p.now).filter(record_id=p.pk).only("id", "name"),
    gov=int,
    now=dt.datetime,
    pk=int,
)
INTERPRETATIONS = CompiledQuery(
    Interpretation,
    lambda p, _v: (
        public_interpretations(p.gov, p.now).filter(policy_id=p.pk).only("id", "title", "kind")
    ),
    gov=int,
    now=dt.datetime,
    pk=int,
)
SUPERSEDED_BY = CompiledQuery(
    Record,
    lambda p, _v: public_records(p.gov, p.now).filter(pk=p.pk).only("id", "title"),
    gov=int,
    now=dt.datetime,
    pk=int,
)
# The documents a record amends or repeals: found through the foreign-key index first (few
# rows), then passed through the gate (SUPERSEDES).
SUPERSEDED_IDS = CompiledQuery(
    Record,
    lambda p, _v: Record.objects.filter(superseded_by_id=p.pk).order_by().values_list("pk"),
    pk=int,
)
PUBLISHER_NAMES = CompiledQuery(
    Organisation,
    lambda p, _v: (
        Organisation.objects.in_government(p.gov)
        .active()
        .order_by("order", "id")
        .values_list("id", "name")
    ),
    gov=int,
)
PUBLISHERS = CompiledQuery(
    Organisation,
    lambda p, _v: (
        Organisation.objects.in_government(p.gov)
        .active()
        .order_by("order", "id")
        .only("id", "name", "short_name")
    ),
    gov=int,
)

_YEAR = ("year_from", "year_to")

# Browse filters a list query takes, each a compiled parameter: name → (lookup, kind).
FILTERS: dict[str, tuple[str, type]] = {
    "publisher": ("publisher_id", int),
    "topic": ("topic", str),
    "genre": ("genre", str),
    "validity": ("validity", str),
    "year_from": ("published_at__gte", dt.datetime),  # with year_to: one BETWEEN (below)
    "year_to": ("published_at__lte", dt.datetime),
    "column": ("column_id", int),
    "catalogue": ("catalogue_id", int),
}


def _filtered(p, names: tuple[str, ...], library: bool):
    lookups = {FILTERS[name][0]: getattr(p, name) for name in names if name not in _YEAR}
    if "year_from" in names:  # BETWEEN, as Django's __year writes it: SQLite then seeks the
        lookups["published_at__range"] = (p.year_from, p.year_to)  # year, not >= and <
    qs = public_records(p.gov, p.now).filter(**lookups)
    if library and "genre" not in names:
        qs = qs.filter(genre__in=LIBRARY_GENRES)
    return qs


def _rows(p, variant):
    names, library, offset, limit = variant[:4]
    qs = _filtered(p, names, library).order_by("-published_at", "-id")
    return qs.values_list(*ROW_FIELDS)[offset : offset + limit]


def _capped_count(p, variant):
    names, library, cap = variant
    return _filtered(p, names, library).order_by().values("pk")[:cap]


_KINDS = {"gov": int, "now": dt.datetime, **{name: kind for name, (_l, kind) in FILTERS.items()}}


def _capped(p, variant):
    names, library, _offset, _limit, cap = variant
    return _capped_count(p, (names, library, cap))


_LIST_ROWS = CompiledQuery(Record, _rows, **_KINDS)  # type: ignore[arg-type]
_LIST_ROWS_COUNTED = CompiledQuery(Record, _rows, counted=_capped, **_KINDS)  # type: ignore[arg-type]
_LIST_COUNT = CompiledQuery(Record, _capped_count, count=True, **_KINDS)

# A value for each filter not set (the compiled form of a variant leaves it out of the SQL).
_UNSET: dict[str, Any] = {
    "publisher": 0,
    "topic": "",
    "genre": "",
    "validity": "",
    "year_from": dt.datetime(1, 1, 2, tzinfo=dt.UTC),
    "year_to": dt.datetime(1, 1, 2, tzinfo=dt.UTC),
    "column": 0,
    "catalogue": 0,
}


def _newest_first(row: tuple) -> tuple:  # ROW_FIELDS: published_at, id
    return (row[3], row[0])


class PublicList:
    """The public records matching browse filters (kwargs of catalog views' _browse_filters:
    publisher, topic, genre, validity, published_at__year, column, catalogue), newest first;
    `library` keeps the policy library's genres. rows() and capped_count() run compiled."""

    def __init__(self, gov_id: int, filters: dict[str, Any], *, library: bool = False) -> None:
        values = dict(_UNSET)
        for key, value in filters.items():
            if key == "published_at__year":  # the year in the current time zone, as __year
                tz = timezone.get_current_timezone()
                values["year_from"] = dt.datetime(value, 1, 1, tzinfo=tz)
                values["year_to"] = dt.datetime(value, 12, 31, 23, 59, 59, 999999, tzinfo=tz)
            elif key in ("publisher", "column", "catalogue"):
                values[key] = value if isinstance(value, int) else value.pk
            elif key in FILTERS:
                values[key] = str(value)
            else:
                raise ValueError(f"unknown browse filter {key!r}")
        set_names = {"year_from", "year_to"} if "published_at__year" in filters else set()
        set_names |= set(filters) & set(FILTERS)
        self.names = tuple(name for name in FILTERS if name in set_names)
        self.values = {"gov": gov_id, "now": timezone.now(), **values}
        self.library = library

    def rows(self, offset: int, limit: int) -> list[tuple]:
        """(ROW_FIELDS) of the rows offset … offset + limit."""
        return _LIST_ROWS((self.names, self.library, offset, limit), **self.values)

    def rows_and_count(self, offset: int, limit: int, cap: int) -> tuple[list[tuple], int]:
        """rows(offset, limit) and capped_count(cap), in one statement when the page has rows."""
        found = _LIST_ROWS_COUNTED((self.names, self.library, offset, limit, cap), **self.values)
        if not found:  # no rows: none at all on the first page, else count them (past the end)
            return [], self.capped_count(cap) if offset else 0
        total = found[0][-1]
        rows = sorted((row[:-1] for row in found), key=_newest_first, reverse=True)
        return rows, total

    def capped_count(self, cap: int) -> int:
        return _LIST_COUNT((self.names, self.library, cap), **self.values)[0]
