"""Querysets compiled once per process, run again with new parameter values.

The public pages run the same few queries on every view with different values (a record's id,
the government, the current time, a browse filter). Building and compiling a Django queryset
costs several times what SQLite or PostgreSQL need to answer it, so a hot query is written once
as an ordinary queryset built from placeholders, compiled once per database alias, and then
executed with the placeholders replaced by the request's values. The rows become model instances
the way Django's own iterator makes them (select_related included), so the result is the list
the queryset itself would have returned.

    RECENT = CompiledQuery(
        Record,
        lambda p, variant: public_records(p.gov, p.now).filter(publisher_id=p.org)[:20],
        gov=int, now=datetime, org=int,
    )
    RECENT(gov=gov.pk, now=timezone.now(), org=7)

A query whose shape varies (which filters are set, the page's OFFSET, which Django writes into
the SQL) passes a hashable `variant` that `build` reads; each variant is compiled once.
With `count=True` the query answers the number of rows the queryset returns.

A placeholder is a value no real parameter takes (a large negative number, a datetime in the
year 1111, a marked string); each must reach the SQL parameters unchanged (so no `__year` or
`__contains` on a placeholder: give the bounds as placeholders instead; compiling fails when a
placeholder arrives changed). A variant may leave placeholders unused. The read
goes to the database the router picks for the model (a replica for an anonymous public read).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable
from types import SimpleNamespace
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

_KINDS = (int, str, dt.datetime)


def _placeholder(kind: type, n: int) -> Any:
    if kind is int:  # inside a 32-bit integer's range: Django drops out-of-range lookups
        return -1_987_654_321 - n
    if kind is str:
        return f"\x00gk-param-{n}\x00"
    if kind is dt.datetime:
        return dt.datetime(1111, 1, 1, 1, 1, 1, 1000 + n, tzinfo=dt.UTC)
    raise TypeError(f"unsupported parameter kind {kind!r}")


def _derived(value: Any) -> bool:
    """A parameter made from a placeholder rather than the placeholder itself."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -1_987_654_321 - 1000 < value <= -1_987_654_321
    return "gk-param-" in str(value) or str(value).startswith("1111-01-01")


class _Compiled:
    """One alias's compiled form: the SQL, the parameters with the placeholders' positions,
    and how a row becomes model instances (as django.db.models.query.ModelIterable does)."""

    def __init__(
        self,
        queryset: QuerySet,
        alias: str,
        placeholders: dict[str, Any],
        count: bool,
        counted: QuerySet | None = None,
    ) -> None:
        connection = connections[alias]
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        self.count = count
        if count:
            sql = f"SELECT COUNT(*) FROM ({sql}) gk_count"  # noqa: S608 (Django's SQL)
        if counted is not None:  # each row also carries the number of rows of `counted`
            if getattr(queryset, "_fields", None) is None:
                raise ValueError("a counted query returns values_list() rows")
            count_sql, count_params = counted.query.get_compiler(using=alias).as_sql()
            sql = (
                f"SELECT gk_rows.*, (SELECT COUNT(*) FROM ({count_sql}) gk_count)"  # noqa: S608
                f" FROM ({sql}) gk_rows"
            )
            params = (*count_params, *params)
        adapted = {name: self._adapt(connection, value) for name, value in placeholders.items()}
        self.slots: list[tuple[int, str]] = []
        for position, value in enumerate(params):
            name = next(
                (n for n, a in adapted.items() if type(value) is type(a) and value == a), None
            )
            if name is not None:
                self.slots.append((position, name))
            elif _derived(value):  # e.g. a `__contains` or `__year` lookup on a placeholder
                raise ValueError(f"a placeholder changed on its way into the SQL: {value!r}")
        self.sql, self.params = sql, list(params)
        self.compiler = compiler
        # The database's value converters, found once (they read only the settings, not the
        # compiling thread's connection state).
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("composite fields are not supported")
        self.converters = compiler.get_converters(fields)
        self.values_only = getattr(queryset, "_fields", None) is not None  # values_list()
        if not (count or self.values_only):
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            self.start, self.end = select_fields[0], select_fields[-1] + 1
            self.init_list = [f[0].target.attname for f in compiler.select[self.start : self.end]]
            self.populators = get_related_populators(  # type: ignore[call-arg]  # Django 5.2's
                klass_info, compiler.select, alias
            )
            self.annotations = dict(compiler.annotation_col_map or {})

    @staticmethod
    def _adapt(connection, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def run(self, alias: str, values: dict[str, Any]) -> list[Any]:
        connection = connections[alias]
        params = list(self.params)
        for position, name in self.slots:
            params[position] = self._adapt(connection, values[name])
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.count:
            return [rows[0][0]]
        converted = (
            self.compiler.apply_converters(rows, self.converters) if self.converters else rows
        )
        if self.values_only:
            return [tuple(row) for row in converted]
        out = []
        for row in converted:
            obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for attr, position in self.annotations.items():
                setattr(obj, attr, row[position])
            out.append(obj)
        return out


MAX_VARIANTS = 1024  # compiled forms kept per query (then the cache starts again)


class CompiledQuery:
    """A queryset built by `build(p, variant)` from placeholders p.<name>, compiled on first
    use per database alias and variant; calling it with the names' values (and the variant)
    returns the queryset's result list, or with count=True its number of rows. With
    `counted(p, variant)` (a values_list() query only), each row ends with the number of rows
    of that second queryset, found in the same statement (one round trip for a page of rows
    and its count; the outer query does not keep the rows' order: sort them again)."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[[SimpleNamespace, Hashable], QuerySet],
        *,
        count: bool = False,
        counted: Callable[[SimpleNamespace, Hashable], QuerySet] | None = None,
        **kinds: type,
    ) -> None:
        for kind in kinds.values():
            if kind not in _KINDS:
                raise TypeError(f"unsupported parameter kind {kind!r}")
        self.model = model
        self.build = build
        self.count = count
        self.counted = counted
        self.kinds = kinds
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}
        self._lock = threading.Lock()

    def _placeholders(self) -> dict[str, Any]:
        return {name: _placeholder(kind, n) for n, (name, kind) in enumerate(self.kinds.items())}

    def _for(self, alias: str, variant: Hashable) -> _Compiled:
        compiled = self._compiled.get((alias, variant))
        if compiled is None:
            with self._lock:
                placeholders = self._placeholders()
                p = SimpleNamespace(**placeholders)
                counted = self.counted(p, variant) if self.counted else None
                compiled = _Compiled(
                    self.build(p, variant), alias, placeholders, self.count, counted
                )
                if len(self._compiled) >= MAX_VARIANTS:
                    self._compiled.clear()
                self._compiled[(alias, variant)] = compiled
        return compiled

    def __call__(self, variant: Hashable = None, **values: Any) -> list[Any]:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected {sorted(self.kinds)}, got {sorted(values)}")
        for name, kind in self.kinds.items():
            if not isinstance(values[name], kind) or isinstance(values[name], bool):
                raise TypeError(f"{name}: expected {kind.__name__}")
        alias = router.db_for_read(self.model)
        return self._for(alias, variant).run(alias, values)
