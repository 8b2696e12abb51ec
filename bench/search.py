"""Search benchmark: core.search (the portal's search) against LIKE '%…%', on SQLite and
PostgreSQL, over generated records of realistic Chinese government text.

    .venv/bin/python bench/search.py --records 100000
    .venv/bin/python bench/search.py --records 1000000 --pg postgres://postgres@127.0.0.1:5432/gongkai_bench_search

For each query class it times, in one run and on the same table:
- ours: `SearchIndex.search(q, sort="relevance", per_page=20)` — the first page of 20 by
  relevance plus the count (exact up to 10,000, then "10,000+") — followed by reading the 20
  hits' titles from the records table, which is what the portal does;
- LIKE: the first page of 20 by date plus an exact count, with `title LIKE '%q%' OR body LIKE
  '%q%'` on the records table;
and checks that every record LIKE finds is also found by ours (recall).

Data lives in var/bench (git-ignored); the script checks free disk space first.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATA_DIR = BASE_DIR / "var" / "bench"
TIME_ZONE = ZoneInfo("Asia/Shanghai")  # the settings' TIME_ZONE (setup_django)
BYTES_PER_RECORD = {"sqlite": 9_000, "postgresql": 9_000}

ORGS = [
    "市发展改革委",
    "市教育局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
    "市卫生健康委",
    "市应急局",
    "市市场监管局",
    "市行政审批服务局",
    "市大数据中心",
    "任城区政府",
    "兖州区政府",
    "曲阜市政府",
    "邹城市政府",
    "微山县政府",
]
SUBJECTS = [
    "政务公开工作",
    "政府信息公开",
    "重点项目建设",
    "安全生产检查",
    "义务教育招生",
    "城乡居民医疗保险",
    "农村危房改造",
    "公共资源交易",
    "财政预算执行",
    "社会救助",
    "就业创业扶持",
    "养老服务体系",
    "生态环境保护",
    "城市更新行动",
    "数字政府建设",
    "行政审批制度改革",
    "市场主体培育",
    "文化旅游融合",
    "交通基础设施",
    "水利工程建设",
]
VERBS = ["推进", "加强", "做好", "深化", "规范", "落实", "完善", "开展", "组织", "提升"]
PHRASES = [
    "各级各部门要高度重视，切实加强组织领导，明确责任分工，确保各项任务落到实处",
    "按照市委、市政府工作部署，坚持以人民为中心的发展思想，统筹推进各项工作",
    "进一步健全工作机制，强化督导检查，及时通报工作进展情况",
    "主动公开相关政策文件和执行情况，及时回应社会关切",
    "严格落实主体责任，加大资金投入，完善配套措施",
    "加强政策解读，通过政府网站、政务新媒体等渠道发布信息",
    "建立健全长效机制，推动工作制度化、规范化、标准化",
    "对工作中发现的问题，要建立台账，限期整改，确保整改到位",
    "有关情况请于每季度末前报送市政府办公室",
    "本通知自印发之日起施行，有效期至二〇二八年十二月三十一日",
    "做好信息公开工作，保障人民群众的知情权、参与权、表达权和监督权",
    "坚持依法行政，严格按照法定权限和程序履行职责",
]
# Rare words and phrases injected with a known probability (the "rare" and "phrase" classes).
RARE = [
    ("冷链物流", 0.002),
    ("无人机", 0.0005),
    ("黄河流域生态保护", 0.001),
    ("优化营商环境", 0.01),
    ("乡村振兴", 0.02),
    ("专项资金", 0.03),
]
GENRES = ["notice", "normative", "policy", "plan", "report", "statistics", "budget", "other"]
TITLE_KINDS = [
    "关于{verb}{subject}的通知",
    "{org}关于{verb}{subject}的实施意见",
    "{org}{year}年{subject}工作要点",
    "关于{subject}情况的通报",
    "{org}关于印发{subject}实施方案的通知",
]

QUERIES = [
    ("frequent", "公开", {}),
    ("frequent", "政务公开", {}),
    ("frequent", "工作", {}),
    ("rare", "冷链物流", {}),
    ("rare", "无人机", {}),
    ("phrase", "黄河流域生态保护", {}),
    ("phrase", "及时回应社会关切", {}),
    ("two-term", "乡村振兴 专项资金", {}),
    ("two-term", "公开 督导检查", {}),
    ("filtered", "公开", {"genre": "normative", "year": 2024}),
    ("filtered", "优化营商环境", {"year": 2025}),
    ("doc-number", "济政办字[2020]1234号", {}),
]


def check_disk(records: int, vendors: list[str]) -> None:
    need = sum(BYTES_PER_RECORD[v] for v in vendors) * records * 2
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(DATA_DIR).free
    if free < need:
        raise SystemExit(f"磁盘空间不足：需要约 {need / 1e9:.1f} GB，可用 {free / 1e9:.1f} GB。")
    print(f"free disk {free / 1e9:.1f} GB, need about {need / 1e9:.1f} GB")


def generate(n: int, seed: int = 20261123):
    """Yield (id, title, body, published_at, genre, year) of realistic government text."""
    rng = random.Random(seed)
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - start).total_seconds())
    for i in range(1, n + 1):
        published = start + dt.timedelta(seconds=rng.randrange(span))
        year = published.astimezone(TIME_ZONE).year  # the year the portal shows and filters
        org, subject, verb = rng.choice(ORGS), rng.choice(SUBJECTS), rng.choice(VERBS)
        title = rng.choice(TITLE_KINDS).format(org=org, subject=subject, verb=verb, year=year)
        doc_no = f"济政办字〔{2016 + i % 10}〕{i % 5000}号"
        paragraphs = [f"{doc_no}", "各县（市、区）人民政府，市政府各部门、单位："]
        for _ in range(rng.randint(5, 10)):
            sentence = "；".join(rng.sample(PHRASES, 2))
            paragraphs.append(f"为{verb}{rng.choice(SUBJECTS)}，{sentence}。")
        for word, p in RARE:
            if rng.random() < p:
                paragraphs.insert(rng.randrange(2, len(paragraphs)), f"重点支持{word}相关工作。")
        yield (i, title, "\n".join(paragraphs), published, rng.choice(GENRES), year)


def setup_django(pg_url: str | None, sqlite_name: str = "search.sqlite3"):
    import django
    from django.conf import settings

    databases = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / sqlite_name),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=OFF;"
                "PRAGMA cache_size=-200000;"
            },
        },
    }
    if pg_url:
        import dj_database_url

        databases["pg"] = dj_database_url.parse(pg_url)
    settings.configure(DATABASES=databases, USE_TZ=True, TIME_ZONE=TIME_ZONE.key, INSTALLED_APPS=[])
    django.setup()


def ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(conn, index):
    vendor = conn.vendor
    index.drop(conn)
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_docs")
        cur.execute(
            "CREATE TABLE bench_docs (id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
            "body TEXT NOT NULL, published BIGINT NOT NULL, genre TEXT, year INTEGER)"
        )
    statements = index.create_sql(vendor)
    deferred = [s for s in statements if s.startswith("CREATE INDEX")]
    with conn.cursor() as cur:
        for statement in statements:
            if statement not in deferred:
                cur.execute(statement)
    return deferred


def finish(conn, index, deferred):
    with conn.cursor() as cur:
        cur.execute("CREATE INDEX bench_docs_published ON bench_docs (published)")
        for statement in deferred:
            cur.execute(statement)
        cur.execute(
            ("VACUUM ANALYZE" if conn.vendor == "postgresql" else "ANALYZE") + " bench_docs"
        )
    index.optimize(conn)


def _batches(records: int, batch: int):
    """The generated records in key order (publication date), as `gongkai search reindex`
    writes them and as publishing appends them. PostgreSQL keeps rows in the order they were
    written, and an index-only scan of a filter column checks the visibility map page of each
    row's heap page: in key order those are few; in random order (a search index of ~1 row per
    page) that check tripled the filtered count (10 → 30 ms). SQLite's table is ordered by key
    anyway. Holds all records in memory (~1.5 GB at a million)."""
    rows = sorted(generate(records), key=lambda r: (r[3], r[0]))
    for start in range(0, len(rows), batch):
        yield rows[start : start + batch]


def _tokenise(rows, index, vendors):
    """Worker process: the index rows of one batch for each database, made by the index's own
    code (SearchIndex.rows: tokenisation and the tsvector literals)."""
    from gongkai.core.search import Doc

    docs = [Doc(r[0], r[3], r[1], r[2], {"genre": r[4]}) for r in rows]  # year: derived
    return {vendor: index.rows(docs, vendor) for vendor in vendors}


def load(conns, index, records: int, batch: int = 2000, workers: int = 0) -> dict:
    """One pass over the generated records, written to every database. Each record is
    tokenised once, by the index's own code, in `workers` processes (all cores by default)
    while this process writes."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    vendors = [c.vendor for c in conns]
    spent = {c.vendor: 0.0 for c in conns}
    deferred = {c.vendor: prepare(c, index) for c in conns}
    done = 0
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        pending = collections.deque()
        for generated in _batches(records, batch):
            pending.append((generated, pool.submit(_tokenise, generated, index, vendors)))
            if len(pending) < 8:  # a bounded queue of tokenised batches
                continue
            generated, future = pending.popleft()
            done += _write(conns, index, generated, future.result(), spent)
            if done % 50_000 == 0:
                print(f"  {done:,} records, {time.perf_counter() - started:.0f} s", flush=True)
        while pending:
            generated, future = pending.popleft()
            done += _write(conns, index, generated, future.result(), spent)
    for conn in conns:
        t = time.perf_counter()
        finish(conn, index, deferred[conn.vendor])
        spent[conn.vendor] += time.perf_counter() - t
    spent["total"] = time.perf_counter() - started
    return spent


def _write(conns, index, generated, index_rows, spent) -> int:
    from django.db import transaction

    rows = [(i, t, b, int(p.timestamp()), g, y) for i, t, b, p, g, y in generated]
    for conn in conns:
        t = time.perf_counter()
        with transaction.atomic(using=conn.alias), conn.cursor() as cur:
            cur.executemany("INSERT INTO bench_docs VALUES (%s, %s, %s, %s, %s, %s)", rows)
            cur.executemany(index.insert_sql(conn.vendor), index_rows[conn.vendor])
        spent[conn.vendor] += time.perf_counter() - t
    return len(rows)


def sizes(conn) -> str:
    """Index size (table, its indexes, FTS5 / TOAST) against the text it indexes (bytes)."""
    sql = {
        "sqlite": "SELECT (SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'bench_search%'), "
        "(SELECT sum(length(CAST(title || body AS BLOB))) FROM bench_docs)",
        "postgresql": "SELECT pg_total_relation_size('bench_search'), "
        "(SELECT sum(octet_length(title) + octet_length(body)) FROM bench_docs)",
    }[conn.vendor]
    with conn.cursor() as cur:
        cur.execute(sql)
        index, text = cur.fetchone()
    return (
        f"{conn.vendor}: index {index / 1e6:.1f} MB, text {text / 1e6:.1f} MB, {index / text:.2f}×"
    )


def like_sql(query: str, filters: dict) -> tuple[str, list]:
    parts = [p for p in query.replace("[", "〔").replace("]", "〕").split(" ") if p]
    where = " AND ".join("(title LIKE %s OR body LIKE %s)" for _ in parts)
    params = [v for p in parts for v in (f"%{p}%", f"%{p}%")]
    for name, value in filters.items():
        where += f" AND {name} = %s"
        params.append(value)
    return where, params


def run_like(conn, query, filters):
    where, params = like_sql(query, filters)
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT id, title FROM bench_docs WHERE {where} ORDER BY published DESC LIMIT 20",
            params,
        )
        page = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM bench_docs WHERE {where}", params)
        return page, cur.fetchone()[0]


def like_ids(conn, query, filters) -> set[int]:
    where, params = like_sql(query, filters)
    with conn.cursor() as cur:
        cur.execute(f"SELECT id FROM bench_docs WHERE {where}", params)
        return {r[0] for r in cur.fetchall()}


def run_ours(conn, index, query, filters, now):
    result = index.search(
        query, filters=filters, sort="relevance", per_page=20, now=now, connection=conn
    )
    if result.ids:
        marks = ", ".join(["%s"] * len(result.ids))
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, title FROM bench_docs WHERE id IN ({marks})", result.ids)
            cur.fetchall()
    return result


def timeit(func, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def bench(conn, index, repeat, like_repeat):
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    rows = []
    for cls, query, filters in QUERIES:
        run_ours(conn, index, query, filters, now)  # warm-up
        ours_p50, ours_p95 = timeit(
            lambda q=query, f=filters: run_ours(conn, index, q, f, now), repeat
        )
        result = run_ours(conn, index, query, filters, now)
        like_p50, like_p95 = timeit(lambda q=query, f=filters: run_like(conn, q, f), like_repeat)
        _, like_count = run_like(conn, query, filters)
        found = set(index.matching_ids(query, filters=filters, now=now, connection=conn))
        missing = like_ids(conn, query, filters) - found
        rows.append(
            {
                "class": cls,
                "query": query + (f" {filters}" if filters else ""),
                "count": result.total_label,
                "like_count": like_count,
                "p50": ours_p50,
                "p95": ours_p95,
                "like_p50": like_p50,
                "like_p95": like_p95,
                "speedup": like_p50 / ours_p50 if ours_p50 else float("inf"),
                "missing": len(missing),
            }
        )
        print(
            f"  {cls:10} {query:24} ours p50 {ours_p50:7.1f} p95 {ours_p95:7.1f} ms | "
            f"LIKE p50 {like_p50:8.1f} ms | count {result.total_label:>8} / {like_count:>7} "
            f"| missing {len(missing)}",
            flush=True,
        )
    return rows


def sampled_queries(conn, seed: int = 18, per_class: int = 30, sample: int = 2000):
    """Issue 18's sampled query classes, drawn with a fixed seed from the generated corpus's
    own vocabulary (a sample of `sample` records): single words and character bigrams by
    document-frequency decile, two- and three-term queries, phrases cut from bodies, filtered
    variants, document numbers in their three typed forms, traditional-character forms, and
    typos (an adjacent swap, a dropped or a doubled character). [(class, query, filters)]."""
    import re

    import opencc

    from gongkai.core import text

    rng = random.Random(seed)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT title, body, genre, year FROM bench_docs ORDER BY id LIMIT %s", [sample]
        )
        docs = cur.fetchall()
    words, bigrams = collections.Counter(), collections.Counter()
    for title, body, _, _ in docs:
        found = {w for w in text.search_words(title + body) if len(w) >= 2 and text.is_cjk(w[0])}
        words.update(found)
        runs = re.findall(r"[\u4e00-\u9fff]+", title + body)
        bigrams.update({r[i : i + 2] for r in runs for i in range(len(r) - 1)})

    def by_decile(counter):
        ranked = [w for w, _ in counter.most_common()]
        step = max(1, len(ranked) // 10)
        out = []
        for d in range(10):
            bucket = ranked[d * step : (d + 1) * step] or ranked
            out += rng.sample(bucket, min(len(bucket), max(1, per_class // 10)))
        return out[:per_class]

    single = by_decile(words)
    pool = [w for w, n in words.most_common(2000) if n >= 5]
    out = [("word-decile", w, {}) for w in single]
    out += [("bigram-decile", b, {}) for b in by_decile(bigrams)]
    out += [("two-term", " ".join(rng.sample(pool, 2)), {}) for _ in range(per_class)]
    out += [("three-term", " ".join(rng.sample(pool, 3)), {}) for _ in range(per_class)]
    for _ in range(per_class):
        body = rng.choice(docs)[1]
        runs = [r for r in re.findall(r"[\u4e00-\u9fff]{8,}", body)]
        run = rng.choice(runs) if runs else body[:8]
        start = rng.randrange(0, max(1, len(run) - 6))
        out.append(("phrase", run[start : start + rng.randint(4, 6)], {}))
    for _ in range(per_class):
        _, _, genre, year = rng.choice(docs)
        filters = rng.choice([{"genre": genre}, {"year": year}, {"genre": genre, "year": year}])
        out.append(("filtered", rng.choice(pool), filters))
    numbers = sorted(
        {m for _, body, _, _ in docs for m in re.findall(r"济政办字〔(\d{4})〕(\d+)号", body)}
    )
    for year, serial in rng.sample(numbers, min(per_class, len(numbers))):
        form = rng.choice(
            [
                f"济政办字{year}{serial}号",
                f"济政办字第{serial}号",
                f"济政办字（{year}）第{serial}号",
            ]
        )
        out.append(("doc-number", form, {}))
    s2t = opencc.OpenCC("s2t")
    out += [("traditional", s2t.convert(w), {}) for w in rng.sample(pool, per_class)]
    for w in rng.sample([w for w in pool if len(w) >= 3], per_class):
        i = rng.randrange(len(w) - 1)
        typo = rng.choice(
            [w[:i] + w[i + 1] + w[i] + w[i + 2 :], w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:]]
        )
        out.append(("typo", typo, {}))
    return out


def bench_sampled(conn, index, repeat: int = 3):
    """p50 / p95 / max per sampled class (each query timed `repeat` times, its median
    kept), and the records LIKE finds for the normalised query that ours misses."""
    from gongkai.core import text

    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    per_class: dict[str, list[float]] = collections.defaultdict(list)
    missed: collections.Counter = collections.Counter()
    for cls, query, filters in sampled_queries(conn):
        run_ours(conn, index, query, filters, now)
        median, _ = timeit(lambda q=query, f=filters: run_ours(conn, index, q, f, now), repeat)
        per_class[cls].append(median)
        plain = " ".join(text.query_parts(query).terms)
        found = set(index.matching_ids(query, filters=filters, now=now, connection=conn))
        missed[cls] += len(like_ids(conn, plain, filters) - found)
    out = [
        "| class | queries | p50 | p95 | max | missed vs LIKE |",
        "|---|---|---|---|---|---|",
    ]
    for cls, times in per_class.items():
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        out.append(
            f"| {cls} | {len(times)} | {statistics.median(times):.1f} ms | {p95:.1f} ms | "
            f"{times[-1]:.1f} ms | {missed[cls]} |"
        )
        print(
            f"  {cls:14} n={len(times)} p50 {statistics.median(times):.1f} p95 {p95:.1f} "
            f"max {times[-1]:.1f} ms missed {missed[cls]}",
            flush=True,
        )
    return "\n".join(out)


def table(rows) -> str:
    out = [
        "| class | query | count (ours / LIKE) | ours p50 | ours p95 | LIKE p50 | LIKE p95 "
        "| speed-up (p50) | missed vs LIKE |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['class']} | {r['query']} | {r['count']} / {r['like_count']:,} | "
            f"{r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['like_p50']:.0f} ms | "
            f"{r['like_p95']:.0f} ms | {r['speedup']:.0f}× | {r['missing']} |"
        )
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "BENCH_PG", "postgres://postgres@127.0.0.1:5432/gongkai_bench_search"
        ),
    )
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--sqlite-file", default="search.sqlite3")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--like-repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="不重新生成数据")
    parser.add_argument("--sampled", action="store_true", help="也测抽样的各类检索词（议题 18）")
    parser.add_argument("--no-named", action="store_true", help="不测固定的十二个检索词")
    args = parser.parse_args(argv)
    vendors = ([] if args.no_sqlite else ["sqlite"]) + ([] if args.no_pg else ["postgresql"])
    if not args.reuse:
        check_disk(args.records, vendors)
    if not args.no_pg:
        ensure_pg_database(args.pg)
    setup_django(None if args.no_pg else args.pg, args.sqlite_file)
    from django.db import connections

    from gongkai.core.search import SearchIndex

    index = SearchIndex("bench_search", filters=(("genre", "text"), ("year", "year")))
    report = [
        f"Command: `.venv/bin/python bench/search.py --records {args.records}`",
        f"Records: {args.records:,}",
    ]
    conns = [connections["default" if v == "sqlite" else "pg"] for v in vendors]
    if not args.reuse:
        print(f"loading {args.records:,} records into {', '.join(vendors)} …", flush=True)
        spent = load(conns, index, args.records)
        print(f"  loaded: {spent}", flush=True)
        report.append(
            "Load (generate + tokenise once + write): "
            + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items())
        )
    for vendor, conn in zip(vendors, conns, strict=True):
        report.append(sizes(conn))
        if not args.reuse:
            report[-1] += f"; load {args.records / spent['total']:.0f} records/s"
        print(report[-1], flush=True)
        print(f"querying {vendor} …", flush=True)
        if not args.no_named:
            rows = bench(conn, index, args.repeat, args.like_repeat)
            report.append(f"\n{vendor} ({args.records:,} records):\n\n" + table(rows))
        if args.sampled:
            sampled = bench_sampled(conn, index)
            report.append(f"\n{vendor}, sampled classes ({args.records:,} records):\n\n" + sampled)
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
