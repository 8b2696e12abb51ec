"""The peers bench/search.py times on the same rows as the portal's search: LIKE (the
baseline every engine's misses are counted against), PostgreSQL pg_trgm (GIN on title and
body; a count capped at COUNT_CAP + 1 and an exact one), SQLite FTS5 with the trigram
tokenizer, and Tantivy (tantivy-py, the optional `bench` extra).

Every peer gets the query as the portal normalises it (`text.query_parts`: traditional to
simplified, separators, document-number forms) and returns the newest 20 matches (by
publication) and a count; all terms must match, each in the title or the body.

- FTS5 trigram cannot use its index for a term under 3 characters (a full-text query finds
  no rows, LIKE scans the table): such terms are matched with LIKE on the records table,
  AND-ed with the trigram match of the longer terms.
- Tantivy: titles and bodies pre-split into character bigrams (split at whitespace, a
  one-character token between runs so a phrase cannot span two runs) and indexed with the
  whitespace tokenizer with positions (tantivy's n-gram tokenizer gives every gram the same
  position, so phrase queries cannot use it); a term is a phrase of its bigrams; counts are
  exact. A one-character term cannot be matched (counted as misses).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from pathlib import Path

PAGE = 20
_RUNS = re.compile(r"\S+")


# --- LIKE -----------------------------------------------------------------------------------


def like_where(terms, filters, column_prefix="") -> tuple[str, list]:
    p = column_prefix
    where = " AND ".join(f"({p}title LIKE %s OR {p}body LIKE %s)" for _ in terms) or "1 = 1"
    params = [v for t in terms for v in (f"%{t}%", f"%{t}%")]
    for name, value in filters.items():
        where += f" AND {p}{name} = %s"
        params.append(value)
    return where, params


@contextlib.contextmanager
def _plain_scan(conn):
    """A cursor on which PostgreSQL does not use the pg_trgm indexes (GIN is only used by
    bitmap scans), so LIKE stays LIKE when the pg_trgm peer's indexes exist."""
    from django.db import transaction

    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SET LOCAL enable_bitmapscan = off")
        yield cur


def like_run(conn, terms, filters):
    where, params = like_where(terms, filters)
    with _plain_scan(conn) as cur:
        cur.execute(
            f"SELECT id, title FROM bench_docs WHERE {where} ORDER BY published DESC LIMIT {PAGE}",
            params,
        )
        page = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM bench_docs WHERE {where}", params)
        return page, cur.fetchone()[0]


def like_ids(conn, terms, filters) -> set[int]:
    where, params = like_where(terms, filters)
    with _plain_scan(conn) as cur:
        cur.execute(f"SELECT id FROM bench_docs WHERE {where}", params)
        return {r[0] for r in cur.fetchall()}


# --- PostgreSQL pg_trgm -----------------------------------------------------------------------


def trgm_build(conn) -> float:
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in ("title", "body"):
            cur.execute(f"DROP INDEX IF EXISTS bench_docs_{column}_trgm")
            cur.execute(
                f"CREATE INDEX bench_docs_{column}_trgm ON bench_docs "
                f"USING gin ({column} gin_trgm_ops)"
            )
        cur.execute("ANALYZE bench_docs")
    return time.perf_counter() - started


def trgm_exists(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_docs_body_trgm') IS NOT NULL")
        return bool(cur.fetchone()[0])


def trgm_size(conn) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_relation_size('bench_docs_title_trgm') "
            "+ pg_relation_size('bench_docs_body_trgm')"
        )
        return int(cur.fetchone()[0])


def trgm_run(conn, terms, filters, exact=False):
    from gongkai.core.search import COUNT_CAP

    where, params = like_where(terms, filters)
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT id, title FROM bench_docs WHERE {where} ORDER BY published DESC LIMIT {PAGE}",
            params,
        )
        page = cur.fetchall()
        if exact:
            cur.execute(f"SELECT count(*) FROM bench_docs WHERE {where}", params)
        else:
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM bench_docs WHERE {where} "
                f"LIMIT {COUNT_CAP + 1}) s",
                params,
            )
        return page, cur.fetchone()[0]


def trgm_ids(conn, terms, filters) -> set[int]:
    where, params = like_where(terms, filters)
    with conn.cursor() as cur:
        cur.execute(f"SELECT id FROM bench_docs WHERE {where}", params)
        return {r[0] for r in cur.fetchall()}


# --- SQLite FTS5 trigram ----------------------------------------------------------------------


def fts5_build(conn) -> float:
    """An external-content FTS5 table over bench_docs; its rowid is bench_docs' rowid, which
    is publication order (the loader writes in that order), so the newest 20 are the last."""
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_trgm")
        cur.execute(
            "CREATE VIRTUAL TABLE bench_trgm USING fts5(title, body, content='bench_docs', "
            "content_rowid='rowid', tokenize='trigram')"
        )
        cur.execute("INSERT INTO bench_trgm(bench_trgm) VALUES ('rebuild')")
        cur.execute("INSERT INTO bench_trgm(bench_trgm) VALUES ('optimize')")
    return time.perf_counter() - started


def fts5_exists(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'bench_trgm'")
        return cur.fetchone() is not None


def sqlite_size(conn, prefix: str) -> int:
    """Bytes of the tables and indexes whose table name starts with prefix (dbstat)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN "
            "(SELECT name FROM sqlite_master WHERE tbl_name LIKE %s)",
            [prefix + "%"],
        )
        return int(cur.fetchone()[0])


def _fts5_where(terms, filters):
    long_terms = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    clauses, params = [], []
    if long_terms:
        clauses.append("bench_trgm MATCH %s")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    where, more = like_where(short, filters, "d.")
    return " AND ".join([*clauses, where]), params + more


def fts5_run(conn, terms, filters):
    from gongkai.core.search import COUNT_CAP

    where, params = _fts5_where(terms, filters)
    source = "bench_trgm JOIN bench_docs d ON d.rowid = bench_trgm.rowid"
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT d.id, d.title FROM {source} WHERE {where} "
            f"ORDER BY bench_trgm.rowid DESC LIMIT {PAGE}",
            params,
        )
        page = cur.fetchall()
        cur.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT {COUNT_CAP + 1})",
            params,
        )
        return page, cur.fetchone()[0]


def fts5_ids(conn, terms, filters) -> set[int]:
    where, params = _fts5_where(terms, filters)
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT d.id FROM bench_trgm JOIN bench_docs d ON d.rowid = bench_trgm.rowid "
            f"WHERE {where}",
            params,
        )
        return {r[0] for r in cur.fetchall()}


# --- Tantivy ----------------------------------------------------------------------------------


def bigrams(value: str) -> str:
    """Whitespace-separated character bigrams of each run of non-space characters, runs
    separated by a one-character token (never a bigram) so no phrase spans two runs."""
    out = []
    for run in _RUNS.findall(value):
        out.append(" ".join([run[i : i + 2] for i in range(len(run) - 1)]))
    return " | ".join(out)


class Tantivy:
    """A Tantivy index of bench_docs in `path` (built from `rows`, or opened when present)."""

    def __init__(self, path: Path):
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_integer_field("published", fast=True)
        builder.add_integer_field("year", indexed=True, fast=True)
        builder.add_text_field("genre", tokenizer_name="raw")
        for name in ("title", "body"):
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        self.schema = builder.build()
        self.path = path
        self.index = None
        self.searcher = None
        if path.is_dir() and tantivy.Index.exists(str(path)):
            self._open()

    def _open(self):
        self.index = self.tantivy.Index.open(str(self.path))
        self.index.reload()
        self.searcher = self.index.searcher()

    def build(self, rows) -> dict[str, float]:
        """rows: (id, title, body, published, genre, year). Returns seconds spent splitting
        into bigrams (Python) and in Tantivy (adding, committing, merging)."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        index = self.tantivy.Index(self.schema, path=str(self.path))
        writer = index.writer(heap_size=256_000_000)
        split = adding = 0.0
        for id_, title, body, published, genre, year in rows:
            t = time.perf_counter()
            doc = self.tantivy.Document(
                id=id_,
                published=published,
                year=year,
                genre=genre,
                title=bigrams(title),
                body=bigrams(body),
            )
            u = time.perf_counter()
            writer.add_document(doc)
            split += u - t
            adding += time.perf_counter() - u
        t = time.perf_counter()
        writer.commit()
        writer.wait_merging_threads()
        adding += time.perf_counter() - t
        self._open()
        return {"split": split, "tantivy": adding}

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def _query(self, terms, filters):
        t, schema = self.tantivy, self.schema
        must = []
        for term in terms:
            grams = [term[i : i + 2] for i in range(len(term) - 1)]
            if not grams:
                return t.Query.empty_query()
            either = []
            for field in ("title", "body"):
                if len(grams) == 1:
                    either.append(t.Query.term_query(schema, field, grams[0]))
                else:
                    either.append(t.Query.phrase_query(schema, field, grams))
            must.append(
                (t.Occur.Must, t.Query.boolean_query([(t.Occur.Should, q) for q in either]))
            )
        for name, value in filters.items():
            must.append((t.Occur.Must, t.Query.term_query(schema, name, value)))
        return t.Query.boolean_query(must)

    def run(self, terms, filters):
        found = self.searcher.search(
            self._query(terms, filters),
            PAGE,
            count=True,
            order_by_field="published",
            order=self.tantivy.Order.Desc,
        )
        ids = self.searcher.fast_field_values("id", [address for _, address in found.hits])
        return ids, found.count

    def ids(self, terms, filters) -> set[int]:
        query = self._query(terms, filters)
        count = self.searcher.search(query, 1, count=True).count
        if not count:
            return set()
        found = self.searcher.search(query, count, count=False)
        return set(self.searcher.fast_field_values("id", [a for _, a in found.hits]))
