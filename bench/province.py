"""Province scale on PostgreSQL (issue 19): one government's portal search and browse list
with the search index partitioned by government, against the same queries on one
unpartitioned search table, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_province_bench \\
        .venv/bin/python bench/province.py --records 500000

Builds (once; `--reuse` keeps a built database) a province-shaped data set: 157 governments
(a province, 16 cities, 140 counties; records skewed: the province and three large cities
hold about a third, the counties ~0.2 % each), their departments, the catalogue's records
(titles and bodies from bench/search.py's generator vocabulary) written with COPY, and the
search index twice from the same rows: ``catalog_search`` (the catalogue's index, partitioned
by government, made by core.search's own DDL) and ``bench_single`` (one table, the layout
before). Indexes are built after the load; each step's time is printed and kept.

Then times, for a large city, a mid county and a small county: the portal search (a few of
bench/search.py's query classes, each query `--repeat` times, the median kept; the search and
the read of the page's records) and the browse list (first page and capped count in one
statement as the portal runs it; and filtered by genre and year), p50 / p95; the search
partitioned and unpartitioned; and a province-wide search (all governments) on both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from search import (  # noqa: E402
    GENRES,
    ORGS,
    PHRASES,
    RARE,
    SUBJECTS,
    TITLE_KINDS,
    VERBS,
    server_cpu,
)

TIME_ZONE = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
START = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
SINGLE = "bench_single"
# Government weights: the province, 3 large cities, 13 cities, 140 counties.
WEIGHTS = [6.0] + [40.0] * 3 + [8.0] * 13 + [1.0] * 140
TOPICS = ["general", "economy", "education", "health", "environment"]
QUERIES = [
    ("frequent", "公开"),
    ("frequent", "政务公开"),
    ("rare", "冷链物流"),
    ("rare", "无人机"),
    ("phrase", "黄河流域生态保护"),
    ("phrase", "及时回应社会关切"),
    ("two-term", "乡村振兴 专项资金"),
    ("two-term", "公开 督导检查"),
    ("doc-number", "政办字[2020]1234号"),
]


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("GONGKAI_ENV", "test")
    import django

    django.setup()


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("gk_province_"):
        raise SystemExit("bench/province.py only writes databases named gk_province_*")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Steps:
    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []

    def run(self, name: str, func, *args):
        started = time.monotonic()
        out = func(*args)
        self.times.append((name, time.monotonic() - started))
        print(f"  {name}: {self.times[-1][1]:.1f} s", flush=True)
        return out


def governments() -> list[tuple[int, float]]:
    """Create the province's governments and 6 departments each; [(government id, weight)]."""
    from gongkai.orgs.models import Organisation, OrgKind

    made: list[tuple[int, float]] = []
    names = ["山东省"] + [f"第{c}市" for c in range(1, 17)]
    names += [f"第{c // 9 + 1}市第{c % 9 + 1}县" for c in range(140)]
    for i, (name, weight) in enumerate(zip(names, WEIGHTS, strict=True)):
        gov = Organisation.objects.create(
            name=f"{name}人民政府", kind=OrgKind.GOVERNMENT, slug=f"g{i:03d}", order=i
        )
        made.append((gov.pk, weight))
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{n}{dept}", kind=OrgKind.DEPARTMENT, parent_id=g, government_id=g, order=d
            )
            for (g, _), n in zip(made, names, strict=True)
            for d, dept in enumerate(
                ["发展改革委", "教育局", "财政局", "生态环境局", "卫生健康委", "商务局"]
            )
        ]
    )
    return made


def generate(n: int, govs: list[tuple[int, float]], publishers: dict[int, list[int]], seed=19):
    """Yield records (id, government, publisher, title, body, published, genre, topic) in
    publication order, governments drawn by weight."""
    rng = random.Random(seed)
    ids, weights = [g for g, _ in govs], [w for _, w in govs]
    span = int((NOW - dt.timedelta(days=20) - START).total_seconds())
    stamps = sorted(rng.randrange(span) for _ in range(n))
    chosen = rng.choices(ids, weights, k=n)
    for i, (seconds, gov) in enumerate(zip(stamps, chosen, strict=True), start=1):
        published = START + dt.timedelta(seconds=seconds)
        year = published.astimezone(TIME_ZONE).year
        org, subject, verb = rng.choice(ORGS), rng.choice(SUBJECTS), rng.choice(VERBS)
        title = rng.choice(TITLE_KINDS).format(org=org, subject=subject, verb=verb, year=year)
        doc_no = f"政办字〔{2016 + i % 10}〕{i % 5000}号"
        paragraphs = [doc_no, "各县（市、区）人民政府，市政府各部门、单位："]
        for _ in range(rng.randint(5, 10)):
            sentence = "；".join(rng.sample(PHRASES, 2))
            paragraphs.append(f"为{verb}{rng.choice(SUBJECTS)}，{sentence}。")
        for word, p in RARE:
            if rng.random() < p:
                paragraphs.insert(rng.randrange(2, len(paragraphs)), f"重点支持{word}相关工作。")
        yield (
            i,
            gov,
            rng.choice(publishers[gov]),
            title,
            "\n".join(paragraphs),
            published,
            rng.choice(GENRES),
            rng.choice(TOPICS),
        )


def record_columns(cursor) -> dict[str, str]:
    """The NOT NULL columns of catalog_record without a default, and their types."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
        "'catalog_record' AND is_nullable = 'NO' AND column_default IS NULL"
    )
    return dict(cursor.fetchall())


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load(conn, url: str, records: int, govs, publishers) -> None:
    """COPY the records and the index entries (stored text made by core.search's own code)."""
    from gongkai.catalog.indexing import RECORD_INDEX
    from gongkai.core.search import Doc
    from gongkai.core.search.postgres import schema

    with conn.cursor() as cursor:
        required = record_columns(cursor)
    mine = {
        "id": None, "government_id": None, "publisher_id": None, "index_no": None,
        "title": None, "doc_no": "", "doc_no_key": "", "made_on": None, "published_at": None,
        "topic": None, "genre": None, "body": None, "attribute": "proactive",
        "validity": "in_force", "status": "published", "created_at": None, "updated_at": None,
    }  # fmt: skip
    defaults = {"boolean": "f", "integer": "0", "bigint": "0", "date": "2020-01-01"}
    extra = {c: defaults.get(t, "") for c, t in required.items() if c not in mine}
    cols = [*mine, *extra]
    entries = [
        "sort_key", "object_id", "published", "government", "publisher", "genre", "topic",
        "year", "validity", "title", "body",
    ]  # fmt: skip
    import psycopg

    with (
        psycopg.connect(url) as first,
        psycopg.connect(url) as second,
        first.cursor() as cur,
        cur.copy(f"COPY catalog_record ({', '.join(cols)}) FROM STDIN") as rec_copy,
        second.cursor() as cur2,
        cur2.copy(f"COPY bench_entries ({', '.join(entries)}) FROM STDIN") as entry_copy,
    ):
        buf_r, buf_e = io.StringIO(), io.StringIO()
        for n, (i, gov, pub, title, body, published, genre, topic) in enumerate(
            generate(records, govs, publishers), start=1
        ):
            values = {
                "id": i, "government_id": gov, "publisher_id": pub,
                "index_no": f"B{i:010d}", "title": title, "doc_no": "", "doc_no_key": "",
                "made_on": published.date(), "published_at": published, "topic": topic,
                "genre": genre, "body": body, "attribute": "proactive",
                "validity": "in_force", "status": "published", "created_at": published,
                "updated_at": published,
            }  # fmt: skip
            buf_r.write("\t".join(_copy_value(values.get(c, extra.get(c))) for c in cols))
            buf_r.write("\n")
            doc = Doc(i, published, title, body, {"government": gov, "publisher": pub,
                      "genre": genre, "topic": topic, "validity": "in_force"})  # fmt: skip
            row = schema.rows(RECORD_INDEX, [doc])[0]
            buf_e.write("\t".join(_copy_value(v) for v in row) + "\n")
            if n % 5000 == 0:
                rec_copy.write(buf_r.getvalue())
                entry_copy.write(buf_e.getvalue())
                buf_r, buf_e = io.StringIO(), io.StringIO()
            if n % 100_000 == 0:
                print(f"    {n:,} records generated", flush=True)
        rec_copy.write(buf_r.getvalue())
        entry_copy.write(buf_e.getvalue())


def build(conn, url: str, records: int, steps: Steps) -> None:
    from django.core.management import call_command

    from gongkai.catalog.indexing import RECORD_INDEX
    from gongkai.core.search.postgres import schema

    single = single_index()
    steps.run("migrate", call_command, "migrate", "--verbosity", "0")
    govs = steps.run("governments", governments)
    publishers: dict[int, list[int]] = {}
    from gongkai.orgs.models import Organisation, OrgKind

    for pk, gov in Organisation.objects.filter(kind=OrgKind.DEPARTMENT).values_list(
        "pk", "government_id"
    ):
        publishers.setdefault(gov, []).append(pk)
    with conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_entries")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_entries (sort_key BIGINT, object_id BIGINT, "
            "published BIGINT, government BIGINT, publisher BIGINT, genre TEXT, topic TEXT, "
            "year BIGINT, validity TEXT, title TEXT, body TEXT)"
        )
        # The record table's indexes after the load.
        cursor.execute(
            "SELECT indexdef, indexname FROM pg_indexes i WHERE tablename = 'catalog_record' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        record_indexes = cursor.fetchall()
        for _, name in record_indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}" CASCADE')
    steps.run("records and entries (generate, COPY)", load, conn, url, records, govs, publishers)
    with conn.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        steps.run("records: indexes", lambda: [cursor.execute(sql) for sql, _ in record_indexes])
        steps.run("records: VACUUM ANALYZE", cursor.execute, "VACUUM ANALYZE catalog_record")
        cursor.execute("CREATE INDEX ON bench_entries (sort_key)")
        for idx in (RECORD_INDEX, single):
            idx.drop(conn)
        # Both layouts, their indexes deferred to after the load (as bench/search.py does).
        deferred: list[str] = []
        for idx in (RECORD_INDEX, single):
            for sql in idx.create_sql("postgresql"):
                (deferred.append if sql.startswith("CREATE INDEX") else cursor.execute)(sql)
        for gov, _ in govs:
            for sql in schema.partition_sql(RECORD_INDEX, gov):
                if sql.startswith("CREATE INDEX"):
                    deferred.insert(0, sql)  # a partition's indexes before its parent's
                else:
                    cursor.execute(sql)
        cols = "sort_key, object_id, published, government, publisher, genre, topic, year, validity, title, body"
        for idx in (RECORD_INDEX, single):
            steps.run(
                f"{idx.table}: insert {records:,} entries in key order",
                cursor.execute,
                f"INSERT INTO {idx.table} ({cols}) SELECT {cols} FROM bench_entries ORDER BY sort_key",
            )
        for layout in (RECORD_INDEX.table, SINGLE):
            mine = [s for s in deferred if f" ON {layout}" in s]
            tsv = [s for s in mine if "USING gin" in s]
            steps.run(
                f"{layout}: token GIN index(es)", lambda m=tsv: [cursor.execute(s) for s in m]
            )
            rest = [s for s in mine if s not in tsv]
            steps.run(f"{layout}: filter indexes", lambda m=rest: [cursor.execute(s) for s in m])
        for idx in (RECORD_INDEX, single):
            steps.run(f"{idx.table}: VACUUM ANALYZE", cursor.execute, f"VACUUM ANALYZE {idx.table}")
        cursor.execute("DROP TABLE bench_entries")


def single_index():
    from dataclasses import replace

    from gongkai.catalog.indexing import RECORD_INDEX

    return replace(RECORD_INDEX, table=SINGLE, partition_by=None, vocabulary=None)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def search_once(conn, index, query, gov, filters=None):
    chosen = {**({"government": gov} if gov else {}), **(filters or {})}
    result = index.search(query, filters=chosen, per_page=20, now=NOW, connection=conn)
    if result.ids:
        with conn.cursor() as cursor:
            cursor.execute("SELECT id, title FROM catalog_record WHERE id = ANY(%s)", [result.ids])
            cursor.fetchall()
    return result


def filter_sets(conn, gov) -> list[dict]:
    """No filter; a genre; the government's largest publisher; a topic and a year."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT publisher_id FROM catalog_record WHERE government_id = %s "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            [gov],
        )
        publisher = cursor.fetchone()[0]
    year = NOW.astimezone(TIME_ZONE).year - 2
    return [{}, {"genre": "notice"}, {"publisher": publisher}, {"topic": "economy", "year": year}]


def measure(conn, repeat: int) -> str:
    from django.utils import timezone

    from gongkai.catalog.indexing import RECORD_INDEX
    from gongkai.core.search import forget_statistics
    from gongkai.portal.catalog.queries import PublicList

    single = single_index()
    forget_statistics()
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT government_id, count(*) FROM catalog_record GROUP BY 1 ORDER BY 2 DESC"
        )
        sizes = cursor.fetchall()
    total = sum(n for _, n in sizes)
    picks = [
        ("large city", sizes[0]),
        ("mid county", sizes[len(sizes) * 2 // 3]),
        ("small county", sizes[-1]),
    ]
    lines = [
        f"Records: {total:,} over {len(sizes)} governments (largest {sizes[0][1]:,}, "
        f"median {sizes[len(sizes) // 2][1]:,}, smallest {sizes[-1][1]:,}).",
        "",
        "| government (records) | what | partitioned p50 / p95 ms (CPU ms a search) "
        "| one table p50 / p95 ms (CPU) |",
        "|---|---|---|---|",
    ]
    with timezone.override(TIME_ZONE):
        # Warm both layouts alike (statistics, caches) before timing.
        for idx in (RECORD_INDEX, single):
            for _, query in QUERIES:
                search_once(conn, idx, query, picks[0][1][0])
        for label, (gov, n) in [*picks, ("province-wide", (None, total))]:
            # A large city's searches with the portal's filters too (its partition's walks
            # and counts of filter values by key).
            chosen_sets = filter_sets(conn, gov) if label == "large city" else [{}]
            for filters in chosen_sets:
                cells = []
                for idx in (RECORD_INDEX, single):
                    cpu = server_cpu(conn) + time.process_time()
                    times = [
                        timed(
                            lambda i=idx, q=q, g=gov, f=filters: search_once(conn, i, q, g, f),
                            repeat,
                        )
                        for _, q in QUERIES
                    ]
                    cpu = (server_cpu(conn) + time.process_time() - cpu) * 1000
                    cells.append(
                        f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f} "
                        f"(CPU {cpu / len(QUERIES) / repeat:.1f})"
                    )
                results = [
                    (
                        search_once(conn, RECORD_INDEX, q, gov, filters),
                        search_once(conn, single, q, gov, filters),
                    )
                    for _, q in QUERIES
                ]
                counts = sum((x.total, x.capped) != (y.total, y.capped) for x, y in results)
                order = sum(x.ids != y.ids for x, y in results)
                what = ", ".join(f"{k}={v}" for k, v in filters.items()) or "no filter"
                lines.append(
                    f"| {label} ({n:,}) | search, {len(QUERIES)} queries, {what} (counts differ: "
                    f"{counts}, pages differ: {order}) | {cells[0]} | {cells[1]} |"
                )
                print(lines[-1], flush=True)
            if gov is None:
                continue
            year = NOW.astimezone(TIME_ZONE).year - 2
            for what, filters in [
                ("browse list: first page + count", {}),
                ("browse list: 体裁 + 年份", {"genre": "notice", "published_at__year": year}),
            ]:
                times = []
                for page in range(1, 6):
                    found = PublicList(gov, filters)
                    times.append(
                        timed(
                            lambda f=found, p=page: f.rows_and_count((p - 1) * 20, 20, 2001), repeat
                        )
                    )
                cell = f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f}"
                lines.append(
                    f"| {label} ({n:,}) | {what} (pages 1–5) | {cell} (records table: one for both) | — |"
                )
                print(lines[-1], flush=True)
    return "\n".join(lines)


def planning(conn) -> str:
    """The planning time of a lookup of two keys (as `documents.object_ids` runs), on the
    partitioned parent and on one table: median of 7 in this warm session."""
    out = []
    with conn.cursor() as cursor:
        cursor.execute("SELECT sort_key FROM bench_single ORDER BY sort_key DESC LIMIT 2")
        keys = [r[0] for r in cursor.fetchall()]
        for table in ("catalog_search", SINGLE):
            times = []
            for _ in range(7):
                cursor.execute(
                    "EXPLAIN (ANALYZE, SUMMARY) SELECT sort_key, object_id FROM "
                    f"{table} WHERE sort_key IN (%s, %s)",
                    keys,
                )
                plan = [r[0] for r in cursor.fetchall()]
                times.append([float(x.split(": ")[1].split(" ")[0]) for x in plan if "Time:" in x])
            plan_ms, run_ms = (statistics.median(t[i] for t in times) for i in (0, 1))
            out.append(f"{table}: planning {plan_ms:.2f} ms, execution {run_ms:.2f} ms")
    return "Key lookup (two keys), " + "; ".join(out)


def search_planning(conn) -> str:
    """Each province-wide search's statements on each layout, replayed in a transaction (its
    SET LOCAL planner settings too) with EXPLAIN (ANALYZE, SUMMARY): statements on the index,
    their planning and execution ms summed, per query (the best of 3 replays)."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gongkai.catalog.indexing import RECORD_INDEX

    lines = [
        "| query | layout | statements | planning ms | execution ms |",
        "|---|---|---|---|---|",
    ]
    for _, query in QUERIES:
        for idx in (RECORD_INDEX, single_index()):
            with timezone.override(TIME_ZONE), CaptureQueriesContext(conn) as captured:
                search_once(conn, idx, query, None)
            sqls = [q["sql"] for q in captured.captured_queries]
            mine = [q for q in sqls if q.startswith("SELECT") and re.search(rf"\b{idx.table}\b", q)]
            best = None
            for _ in range(3):
                spent = [0.0, 0.0]
                with transaction.atomic(), conn.cursor() as cursor:
                    for sql in sqls:
                        if sql not in mine:
                            if sql.startswith("SET") or sql.startswith("RESET"):
                                cursor.execute(sql)
                            continue
                        cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql)
                        for (row,) in cursor.fetchall():
                            for i, name in enumerate(("Planning Time", "Execution Time")):
                                if row.startswith(name):
                                    spent[i] += float(row.split(": ")[1].split(" ")[0])
                best = spent if best is None or sum(spent) < sum(best) else best
            lines.append(f"| {query} | {idx.table} | {len(mine)} | {best[0]:.1f} | {best[1]:.1f} |")
    return "\n".join(lines)


def writes(conn, repeat: int = 200) -> str:
    """A record's index entry written again as publishing writes it (`upsert`: delete by
    object id over the parent, then insert into its government's partition), a random
    existing record each time, in a transaction rolled back: median wall ms, CPU ms each."""
    from django.db import transaction

    from gongkai.catalog.indexing import RECORD_INDEX
    from gongkai.core.search import Doc

    rng = random.Random(7)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT id, government_id, publisher_id, title, body, published_at, genre, topic "
            "FROM catalog_record ORDER BY random() LIMIT %s",
            [repeat],
        )
        rows = cursor.fetchall()
    rng.shuffle(rows)
    times = []
    cpu = server_cpu(conn) + time.process_time()
    with transaction.atomic():
        for i, gov, pub, title, body, published, genre, topic in rows:
            filters = {"government": gov, "publisher": pub, "genre": genre, "topic": topic}
            doc = Doc(i, published, title, body, {**filters, "validity": "in_force"})
            started = time.perf_counter()
            RECORD_INDEX.upsert([doc], connection=conn)
            times.append((time.perf_counter() - started) * 1000)
        transaction.set_rollback(True)
    cpu = (server_cpu(conn) + time.process_time() - cpu) * 1000 / len(rows)
    return f"Index write of one record (upsert, {len(rows)}): {statistics.median(times):.2f} ms median, CPU {cpu:.2f} ms"


def explain_lists(conn) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.portal.catalog.queries import PublicList

    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT government_id FROM catalog_record GROUP BY 1 ORDER BY count(*) LIMIT 1"
        )
        gov = cursor.fetchone()[0]
    out = []
    for filters in ({}, {"genre": "notice", "published_at__year": 2024}):
        with CaptureQueriesContext(connection) as queries:
            PublicList(gov, filters).rows_and_count(0, 20, 2001)
        with conn.cursor() as cursor:
            cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
            out.append("\n".join(r[0] for r in cursor.fetchall()))
    return "\n\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the database already built")
    parser.add_argument("--explain", action="store_true", help="print the browse lists' plans")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gk_province_bench")
    ensure_database(url, fresh=not args.reuse)
    setup(url)
    from django.db import connection

    steps = Steps()
    if not args.reuse:
        print(f"building {args.records:,} records", flush=True)
        build(connection, url, args.records, steps)
        print("| step | s |\n|---|---|")
        for name, spent in steps.times:
            print(f"| {name} | {spent:.0f} |")
    print(measure(connection, args.repeat))
    print(planning(connection))
    print(search_planning(connection))
    print(writes(connection))
    if args.explain:
        print(explain_lists(connection))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
