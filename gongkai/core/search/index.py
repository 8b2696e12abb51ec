"""`SearchIndex`: the one API an app uses — create the tables in a migration, write entries
with `upsert()` / `delete()` whenever what is public changes, rebuild it all with `rebuild()`,
query with `search()`. Each call goes to the backend of the connection's database (`sqlite`,
`postgres`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.db import connection as default_connection
from django.db import transaction

from gongkai.core import text
from gongkai.core.replicas import read_connection
from gongkai.core.search import documents, limits, vocabulary
from gongkai.core.search.documents import Doc, SearchResult, key_ceiling
from gongkai.core.search.postgres import planner as pg_planner
from gongkai.core.search.postgres import schema as pg_schema
from gongkai.core.search.query import parse
from gongkai.core.search.sqlite import planner as sqlite_planner
from gongkai.core.search.sqlite import schema as sqlite_schema
from gongkai.core.search.vocabulary import Counting, Scope

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper


_SCHEMAS = {"sqlite": sqlite_schema, "postgresql": pg_schema}


def _schema(vendor: str) -> ModuleType:
    try:
        return _SCHEMAS[vendor]
    except KeyError:
        raise NotImplementedError(f"search is not available on {vendor}") from None


@dataclass(frozen=True)
class SearchIndex:
    """A search table. `filters` are (column, kind) pairs usable in search(): kind "int",
    "text", or "year" (the publication year, derived by the index; see the package docstring).
    """

    table: str
    filters: tuple[tuple[str, str], ...] = ()
    # The filter column whose values scope the index's vocabulary (see `vocabulary`), or None.
    vocabulary: str | None = None
    # PostgreSQL: an "int" filter column to partition the table by (one partition per value,
    # made when its first entry is written); a search filtered by one value reads only that
    # partition. SQLite keeps one table.
    partition_by: str | None = None

    def __post_init__(self) -> None:
        if self.partition_by and (self.partition_by, "int") not in self.filters:
            raise ValueError(f"partition_by {self.partition_by!r} is not an int filter")

    # --- schema ---------------------------------------------------------------------------------

    def create(self, connection: BaseDatabaseWrapper | None = None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            for statement in self.create_sql(connection.vendor):
                cursor.execute(statement)

    def drop(self, connection: BaseDatabaseWrapper | None = None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            for statement in _schema(connection.vendor).drop_sql(self):
                cursor.execute(statement)

    def create_sql(self, vendor: str) -> list[str]:
        sql: list[str] = _schema(vendor).create_sql(self)
        return sql

    def filter_index_sql(self, vendor: str) -> list[str]:
        """(filter column, sort_key) indexes: a filtered query walks the newest matches of its
        filter instead of the whole table."""
        sql: list[str] = _schema(vendor).filter_index_sql(self)
        return sql

    # --- writing ----------------------------------------------------------------------------------

    terms = staticmethod(documents.terms)

    def upsert(self, docs: Iterable[Doc], connection: BaseDatabaseWrapper | None = None) -> int:
        """Replace the entries of these objects (delete then insert)."""
        connection = connection or default_connection
        docs = list(docs)
        if not docs:
            return 0
        self.delete([d.object_id for d in docs], connection=connection)
        return self.bulk_insert(docs, connection=connection)

    def bulk_insert(
        self, docs: Iterable[Doc], connection: BaseDatabaseWrapper | None = None
    ) -> int:
        """Insert entries for objects not yet in the index (COPY on PostgreSQL)."""
        connection = connection or default_connection
        docs = list(docs)
        counting = Counting()
        with connection.cursor() as cursor:
            written = self._write(cursor, connection.vendor, docs, counting)
            if self.vocabulary:
                vocabulary.add(self, cursor, counting.result())
        return written

    def rebuild(
        self,
        docs: Iterable[Doc],
        connection: BaseDatabaseWrapper | None = None,
        batch: int = 2000,
    ) -> int:
        """Replace every entry by entries for `docs` (a full reindex), in one transaction:
        until it commits, readers see the old entries on SQLite; on PostgreSQL, where the
        table is truncated and its token and filter indexes are dropped and built again
        after the load (one sorted build each instead of an insertion per entry), searches
        wait for it. A rebuild that fails leaves the old entries. `docs` is read once, in
        batches; give them in key order (publication time) where you can. The vocabulary of
        every batch after the first is counted in a child process (`vocabulary.Counting`)
        while the rows are written and the indexes built. Returns the count of entries
        written."""
        connection = connection or default_connection
        schema = _schema(connection.vendor)
        total = 0
        # VACUUM (PostgreSQL, for index-only scans) cannot run inside a transaction.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        counting = Counting(background=bool(self.vocabulary))
        with counting, transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                for statement in schema.before_rebuild_sql(self):
                    cursor.execute(statement)
                # PostgreSQL, partitioned: every partition is made again, loaded before its
                # keys and indexes are built and it is attached (`loaded`: their values).
                loaded: set[int] | None = None
                if self.partition_by and connection.vendor == "postgresql":
                    loaded = set(pg_schema.drop_partitions(self, cursor))
                    for value in loaded:
                        cursor.execute(pg_schema.partition_table_sql(self, value))
                if self.vocabulary:
                    vocabulary.forget()
                chunk: list[Doc] = []
                for doc in docs:
                    chunk.append(doc)
                    if len(chunk) >= batch:
                        total += self._write(cursor, connection.vendor, chunk, counting, loaded)
                        chunk = []
                total += self._write(cursor, connection.vendor, chunk, counting, loaded)
                for statement in schema.after_rebuild_sql(self):
                    cursor.execute(statement)
                for value in sorted(loaded or ()):
                    for statement in pg_schema.partition_attach_sql(self, value):
                        cursor.execute(statement)
                # (After the indexes: the child counts while the database builds them.)
                if self.vocabulary:
                    vocabulary.add(self, cursor, counting.result())
            if not vacuum:
                self.optimize(connection)
        if vacuum:
            self.optimize(connection)
        pg_planner.forget_statistics()
        return total

    def _write(
        self,
        cursor: Any,
        vendor: str,
        docs: list[Doc],
        counting: Counting,
        loaded: set[int] | None = None,
    ) -> int:
        """Write the entries of docs, adding their vocabulary terms to `counting`; with `loaded`
        (a rebuild of a partitioned index), into partition tables made here, not yet
        attached, whose values it collects."""
        if not docs:
            return 0
        schema = _schema(vendor)
        rows = schema.rows(self, docs)
        if self.partition_by and vendor == "postgresql":
            position = 3 + [n for n, _ in self.filters].index(self.partition_by)
            if loaded is not None:
                return self._load_partitions(cursor, rows, counting, loaded, position)
            pg_schema.ensure_partitions(self, cursor, {row[position] for row in rows})

        # The vocabulary (rjieba) is counted while the database takes the rows.
        schema.insert(self, cursor, rows, lambda: self._count_terms(rows, counting))
        return len(rows)

    def _count_terms(self, rows: list[tuple[Any, ...]], counting: Counting) -> None:
        """The vocabulary of these rows (`schema.rows`: `documents.row_head`, then the
        backend's own columns)."""
        if not self.vocabulary:
            return
        position = 3 + [n for n, _ in self.filters].index(self.vocabulary)
        title = 3 + len(self.filters)
        counting.add([(row[position], row[title], row[title + 1]) for row in rows])

    def _load_partitions(
        self,
        cursor: Any,
        rows: list[tuple[Any, ...]],
        counting: Counting,
        loaded: set[int],
        position: int,
    ) -> int:
        """A rebuild's rows of a partitioned index, each into its partition's bare table
        (made here when new); the vocabulary is counted while the first batch is taken."""
        by_value: dict[int, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_value.setdefault(int(row[position]), []).append(row)
        pending = [lambda: self._count_terms(rows, counting)]
        for value, part_rows in by_value.items():
            if value not in loaded:
                cursor.execute(pg_schema.partition_table_sql(self, value))
                loaded.add(value)
            part = replace(self, table=pg_schema.partition_table(self, value), partition_by=None)
            pg_schema.insert(part, cursor, part_rows, pending.pop() if pending else lambda: None)
        for meanwhile in pending:
            meanwhile()
        return len(rows)

    def delete(
        self, object_ids: Sequence[int], connection: BaseDatabaseWrapper | None = None
    ) -> None:
        connection = connection or default_connection
        ids = [int(i) for i in object_ids]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                deleted = _schema(connection.vendor).delete(self, cursor, chunk)
                if self.vocabulary:
                    vocabulary.remove(self, cursor, deleted)

    def clear(self, connection: BaseDatabaseWrapper | None = None) -> None:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608
            if self.vocabulary:
                cursor.execute(f"DELETE FROM {self.table}_vocab")  # noqa: S608
                vocabulary.forget()
            for statement in _schema(connection.vendor).after_clear_sql(self):
                cursor.execute(statement)

    def optimize(self, connection: BaseDatabaseWrapper | None = None) -> None:
        connection = connection or default_connection
        schema = _schema(connection.vendor)
        with connection.cursor() as cursor:
            for statement in schema.optimize_sql(self, connection.in_atomic_block):
                cursor.execute(statement)

    def count(self, connection: BaseDatabaseWrapper | None = None) -> int:
        connection = connection or default_connection
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608
            count: int = cursor.fetchone()[0]
            return count

    # --- reading ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, object] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        now: dt.datetime | None = None,
        connection: BaseDatabaseWrapper | None = None,
    ) -> SearchResult:
        """One page of object ids for query, newest-first or by relevance, and the count."""
        connection = connection or read_connection()
        terms, error, by_date = parse(query)
        if by_date:
            sort = "date"  # a document number without its year: every year's, newest first
        page = max(1, int(page or 1))
        result = SearchResult([], 0, False, page, per_page, text.normalize(query or ""), error)
        if error:
            return result
        now = now or dt.datetime.now(dt.UTC)
        ceiling = key_ceiling(now)
        offset = (page - 1) * per_page
        estimated = False
        if connection.vendor == "sqlite":
            sqlite_planner.fts5_tags(self, filters or {})  # validates the filter names
            with connection.cursor() as cursor:
                total, ids = sqlite_planner.search(
                    self, cursor, terms, query, filters or {}, ceiling, sort, offset, per_page
                )
        elif connection.vendor == "postgresql":
            pg_filters = pg_planner.parse_filters(self, filters or {})
            index = self._partition(connection, pg_filters)
            if index is None:
                return result  # no entry of that partition's value was ever written
            # SET LOCAL (planner hints) needs a transaction.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                total, ids, estimated = pg_planner.search(
                    index, cursor, terms, query, pg_filters, ceiling, sort, offset, per_page
                )
        else:
            raise NotImplementedError(connection.vendor)
        result.total = min(total, limits.COUNT_CAP)
        result.capped = total > limits.COUNT_CAP
        result.estimated = estimated and not result.capped
        result.ids = ids
        return result

    def matching_ids(
        self,
        query: str,
        *,
        filters: Mapping[str, object] | None = None,
        now: dt.datetime | None = None,
        connection: BaseDatabaseWrapper | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Every matching object id (up to `limit`), unranked (for checks and exports)."""
        connection = connection or read_connection()
        terms, error, _ = parse(query)
        if error:
            return []
        ceiling = key_ceiling(now or dt.datetime.now(dt.UTC))
        planner = sqlite_planner if connection.vendor == "sqlite" else pg_planner
        index: SearchIndex | None = self
        if connection.vendor == "postgresql":
            index = self._partition(connection, pg_planner.parse_filters(self, filters or {}))
        if index is None:
            return []
        # (PostgreSQL's planner hints are SET LOCAL: they need a transaction.)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            ids: list[int] = planner.matching_ids(
                index, cursor, terms, filters or {}, ceiling, limit
            )
            return ids

    def _partition(
        self, connection: BaseDatabaseWrapper, filters: pg_planner.PgFilters
    ) -> SearchIndex | None:
        """PostgreSQL: the index to search for these filters — the partition of their single
        value of the partition column (the filter kept: every entry there has it, and the
        planner takes the paths it takes on one table), None when that partition does not
        exist, or this index."""
        for name, values, _ in filters:
            if name == self.partition_by and len(values) == 1:
                value = int(values[0])
                if not pg_schema.partition_exists(self, connection, value):
                    return None
                return replace(
                    self, table=pg_schema.partition_table(self, value), partition_by=None
                )
        return self

    def near_terms(
        self,
        scope: Scope,
        term: str,
        *,
        limit: int = 10,
        connection: BaseDatabaseWrapper | None = None,
    ) -> list[tuple[str, int]]:
        """[(term, entries)] of the vocabulary of `scope` that `term` was likely meant to be,
        most likely first (see `vocabulary.near`)."""
        if not self.vocabulary:
            return []
        connection = connection or read_connection()
        with connection.cursor() as cursor:
            return vocabulary.near(self, cursor, scope, term, limit)
