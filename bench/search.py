"""Search benchmark: core.search (the portal's search) against LIKE '%…%' and peer engines,
on SQLite and PostgreSQL, over generated records of realistic Chinese government text.

    .venv/bin/python bench/search.py --records 100000
    .venv/bin/python bench/search.py --records 1000000 --pg postgres://postgres@127.0.0.1:5432/gongkai_bench_search
    .venv/bin/pip install -e '.[bench]'  # Tantivy, for --peers
    .venv/bin/python bench/search.py --records 100000 --reuse --peers --sampled --typos --facets

For each query it times, in one run and on the same table:
- ours: the search page's path — `SearchIndex.search(q, sort="relevance", per_page=20)`, the
  first page of 20 by relevance plus the count (exact up to 10,000, then "10,000+"), then
  reading the 20 hits' titles from the records table; when it finds fewer than
  SUGGEST_BELOW records, also the 「您是不是要找」 suggestions (catalog.searching, the portal's
  code, on the index's vocabulary);
- LIKE: the first page of 20 by date plus an exact count, with `title LIKE '%q%' OR body LIKE
  '%q%'` for each term on the records table;
- with --peers, pg_trgm (capped and exact count) or FTS5 trigram, and Tantivy (see
  search_peers.py), the newest 20 plus a count;
and counts the records LIKE finds that each engine misses, and the counts ours shows that
break the count rule (exact up to 10,000; 「约 N」 only above 10,000 and within ±10 %).
--sampled draws ≥ 30 queries a class with a fixed seed from the corpus's own vocabulary;
--typos reports the suggestions' top-1 / top-3 accuracy on a seeded typo set (homophones,
swapped and dropped characters; search_quality.py); --facets times the facet counts.

Data lives in var/bench (git-ignored; build times of the loads in search-builds.json, so
--reuse runs report them); the script checks free disk space first.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import search_peers as peers
import search_quality

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATA_DIR = BASE_DIR / "var" / "bench"
TIME_ZONE = ZoneInfo("Asia/Shanghai")  # the settings' TIME_ZONE (setup_django)
BYTES_PER_RECORD = {"sqlite": 14_000, "postgresql": 11_000}  # with the peers
BUILDS = DATA_DIR / "search-builds.json"  # build times of the loads, for --reuse runs
GOVERNMENT = 1  # every generated record's government: the vocabulary's scope
NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)

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
    """An empty index (its whole schema, as a migration creates it) and records table."""
    index.drop(conn)
    index.create(conn)
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_docs")
        cur.execute(
            "CREATE TABLE bench_docs (id BIGINT PRIMARY KEY, title TEXT NOT NULL, "
            "body TEXT NOT NULL, published BIGINT NOT NULL, genre TEXT, year INTEGER)"
        )


def _records(conn, rows, batch: int = 2000) -> None:
    """The generated records into bench_docs, the records table LIKE and the peers read."""
    from django.db import transaction

    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        for start in range(0, len(rows), batch):
            cur.executemany(
                "INSERT INTO bench_docs VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (i, t, b, int(p.timestamp()), g, y)
                    for i, t, b, p, g, y in rows[start : start + batch]
                ],
            )
        cur.execute("CREATE INDEX bench_docs_published ON bench_docs (published)")
    with conn.cursor() as cur:
        cur.execute(
            ("VACUUM ANALYZE" if conn.vendor == "postgresql" else "ANALYZE") + " bench_docs"
        )


def _docs(rows):
    """The index documents of the generated records (new `Doc` objects: a Doc keeps its
    tokens, so each database's build tokenises every record itself)."""
    from gongkai.core.search import Doc

    for i, title, body, published, genre, _ in rows:
        yield Doc(i, published, title, body, {"government": GOVERNMENT, "genre": genre})


def load(conns, index, records: int, records_table: bool = True) -> dict:
    """The generated records (in key order, publication date: as `gongkai search reindex`
    writes them and as publishing appends them) into each database's records table, then
    the index built from them with `SearchIndex.rebuild` — what `gongkai search reindex`
    runs: tokenise in this one process, write, build the indexes, ANALYZE — timed alone,
    one database after the other. PostgreSQL keeps rows in the order they were written,
    and an index-only scan of a filter column checks the visibility map page of each row's
    heap page: in key order those are few. Holds all records in memory (~1.5 GB at a
    million). Without `records_table` (`--reuse --rebuild`), the records table is kept and
    only the index is built again."""
    started = time.perf_counter()
    rows = sorted(generate(records), key=lambda r: (r[3], r[0]))
    spent = {"generate": time.perf_counter() - started}
    for conn in conns:
        if records_table:
            prepare(conn, index)
            t = time.perf_counter()
            _records(conn, rows)
            spent[f"{conn.vendor} records table"] = time.perf_counter() - t
        t, cpu, server = time.perf_counter(), time.process_time(), server_cpu(conn)
        child = _children_cpu()
        index.rebuild(_docs(rows), connection=conn)
        spent[conn.vendor] = time.perf_counter() - t
        spent[f"{conn.vendor} cpu"] = time.process_time() - cpu + server_cpu(conn) - server
        # The vocabulary's child process (`vocabulary.Counting`) works beside them.
        spent[f"{conn.vendor} child cpu"] = _children_cpu() - child
        print(
            f"  {conn.vendor}: index built in {spent[conn.vendor]:.0f} s "
            f"({records / spent[conn.vendor]:,.0f} records/s); CPU time (this process and "
            f"the database's) {spent[f'{conn.vendor} cpu']:.0f} s "
            f"({records / spent[f'{conn.vendor} cpu']:,.0f} records/s); beside them, the "
            f"vocabulary's child process {spent[f'{conn.vendor} child cpu']:.0f} s",
            flush=True,
        )
    return spent


def _children_cpu() -> float:
    """CPU seconds of this process's ended child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_cpu(conn) -> float:
    """CPU seconds used so far by the PostgreSQL backend of `conn` (0 on SQLite, which
    works in this process). With the machine shared, CPU time says what the build costs
    where wall time says how busy the machine was."""
    if conn.vendor != "postgresql":
        return 0.0
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_ours(conn, index, query, filters, now=NOW, per_page=20):
    result = index.search(
        query, filters=filters, sort="relevance", per_page=per_page, now=now, connection=conn
    )
    if result.ids:
        marks = ", ".join(["%s"] * len(result.ids))
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, title FROM bench_docs WHERE id IN ({marks})", result.ids)
            cur.fetchall()
    return result


def suggest(conn, index, query) -> list[str]:
    """The portal's 「您是不是要找」 code (catalog.searching) on the benchmark's index; a
    suggestion is kept when its search finds a record (the portal: a visible record)."""
    from gongkai.catalog.searching import suggested_queries

    def finds(suggestion):
        return bool(run_ours(conn, index, suggestion, {}, per_page=1).ids)

    return suggested_queries(index, GOVERNMENT, query, finds, connection=conn)


def portal_search(conn, index, query, filters):
    """What the search page runs: the search, then suggestions when it finds too little."""
    from gongkai.catalog.searching import SUGGEST_BELOW

    result = run_ours(conn, index, query, filters)
    if result.total < SUGGEST_BELOW:
        result.suggestions = suggest(conn, index, query)
    return result


def _terms(query) -> list[str]:
    from gongkai.core import text

    return list(text.query_parts(query).terms)


def engines(conn, index, with_peers, tantivy) -> dict:
    """{name: (run(query, filters), ids(query, filters) or None)} of the engines timed on
    this database: the portal's search and the peers (LIKE is timed apart)."""
    out = {
        "ours": (
            lambda q, f: portal_search(conn, index, q, f),
            lambda q, f: set(index.matching_ids(q, filters=f, now=NOW, connection=conn)),
        )
    }
    if not with_peers:
        return out
    if conn.vendor == "postgresql":
        out["pg_trgm"] = (
            lambda q, f: peers.trgm_run(conn, _terms(q), f),
            lambda q, f: peers.trgm_ids(conn, _terms(q), f),
        )
        out["pg_trgm exact"] = (lambda q, f: peers.trgm_run(conn, _terms(q), f, exact=True), None)
    else:
        out["FTS5 trigram"] = (
            lambda q, f: peers.fts5_run(conn, _terms(q), f),
            lambda q, f: peers.fts5_ids(conn, _terms(q), f),
        )
    if tantivy is not None:
        out["Tantivy"] = (
            lambda q, f: tantivy.run(_terms(q), f),
            lambda q, f: tantivy.ids(_terms(q), f),
        )
    return out


def timeit(func, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), percentile(times, 0.95)


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def count_problem(result, like_count) -> str:
    """Why the count shown is wrong against LIKE's exact count, or "": exact up to 10,000,
    "10,000+" only above, an estimate (「约 N」) only above 10,000 and within ±10 %."""
    from gongkai.core.search import COUNT_CAP

    if result.capped:
        return "" if like_count > COUNT_CAP else f"10,000+ for {like_count}"
    if result.estimated:
        if result.total <= COUNT_CAP:
            return f"estimate {result.total} at or under 10,000 ({like_count})"
        if abs(result.total - like_count) > 0.1 * like_count:
            return f"约 {result.total:,} for {like_count:,}"
        return ""
    return "" if result.total == like_count else f"{result.total} for {like_count}"


def check(conn, found, query, filters, result=None):
    """{engine: missed} against LIKE for one query, and the count problem of ours."""
    like = peers.like_ids(conn, _terms(query), filters)
    missed = {name: len(like - ids(query, filters)) for name, ids in found.items()}
    return missed, (count_problem(result, len(like)) if result is not None else ""), len(like)


def bench(conn, index, with_peers, tantivy, repeat, like_repeat):
    """The twelve named queries: p50 / p95 of each engine, LIKE's, misses against LIKE."""
    timed = engines(conn, index, with_peers, tantivy)
    found = {n: ids for n, (_, ids) in timed.items() if ids}
    rows = []
    for cls, query, filters in QUERIES:
        row = {"class": cls, "query": query + (f" {filters}" if filters else ""), "ms": {}}
        for name, (run, _) in timed.items():
            run(query, filters)  # warm-up
            row["ms"][name] = timeit(lambda r=run, q=query, f=filters: r(q, f), repeat)
        row["ms"]["LIKE"] = timeit(
            lambda q=query, f=filters: peers.like_run(conn, _terms(q), f), like_repeat
        )
        result = timed["ours"][0](query, filters)
        row["missed"], row["problem"], row["like_count"] = check(
            conn, found, query, filters, result
        )
        row["count"] = result.total_label
        rows.append(row)
        print(
            f"  {cls:10} {query:24} "
            + " | ".join(f"{n} {p50:.1f}/{p95:.1f}" for n, (p50, p95) in row["ms"].items())
            + f" ms | count {result.total_label} / {row['like_count']} | missed {row['missed']}"
            + (f" | COUNT {row['problem']}" if row["problem"] else ""),
            flush=True,
        )
    return rows


def table(rows) -> str:
    names = list(rows[0]["ms"])
    peers_ = [n for n in names if n not in ("ours", "LIKE")]
    out = [
        "| class | query | count (ours / LIKE) | ours p50 / p95 | LIKE p50 | speed-up (p50) | "
        + " | ".join(f"{n} p50 / p95" for n in peers_)
        + " | missed vs LIKE |",
        "|---" * (7 + len(peers_)) + "|",
    ]
    for r in rows:
        ms = r["ms"]
        missed = ", ".join(f"{n} {m}" for n, m in r["missed"].items())
        out.append(
            f"| {r['class']} | {r['query']} | {r['count']} / {r['like_count']:,} | "
            f"{ms['ours'][0]:.1f} / {ms['ours'][1]:.1f} ms | {ms['LIKE'][0]:.0f} ms | "
            f"{ms['LIKE'][0] / ms['ours'][0]:.0f}× | "
            + " | ".join(f"{ms[n][0]:.1f} / {ms[n][1]:.1f} ms" for n in peers_)
            + f" | {missed} |"
        )
    problems = [f"- {r['query']} shown {r['count']}: {r['problem']}" for r in rows if r["problem"]]
    out += ["", f"Counts shown by ours that break the count rule: {len(problems)}", *problems]
    return "\n".join(out)


def sampled_queries(conn, seed: int = 18, per_class: int = 30, sample: int = 2000):
    """Issue 18's sampled query classes, drawn with a fixed seed from the generated corpus's
    own vocabulary (a sample of `sample` records): single words and character bigrams by
    document-frequency decile, two- and three-term queries, phrases cut from bodies, filtered
    variants, document numbers in their three typed forms, traditional-character forms, and
    typos from the seeded typo set (`search_quality.typo_set`: homophones, swapped and
    dropped characters). ([(class, query, filters)], the typo set [(kind, typo, word)])."""
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

    def ranked(counter):
        """Most frequent first, ties in character order (a set's order varies by run)."""
        return [w for w, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

    def by_decile(counter):
        ranked_ = ranked(counter)
        step = max(1, len(ranked_) // 10)
        out = []
        for d in range(10):
            bucket = ranked_[d * step : (d + 1) * step] or ranked_
            out += rng.sample(bucket, min(len(bucket), max(1, per_class // 10)))
        return out[:per_class]

    single = by_decile(words)
    pool = [w for w in ranked(words)[:2000] if words[w] >= 5]
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
    corpus = "\n".join(t + "\n" + b for t, b, _, _ in docs)
    typos = search_quality.typo_set(ranked(words), corpus, per_kind=per_class)
    out += [("typo", typo, {}) for _, typo, _ in rng.sample(typos, per_class)]
    return out, typos


def bench_sampled(conn, index, with_peers, tantivy, repeat: int = 3):
    """p50 / p95 / max per sampled class and engine (each query timed `repeat` times, its
    median kept; LIKE once), misses against LIKE per engine, and the counts ours shows that
    break the count rule. Ours is the search page's path: the typo class (and any query
    finding fewer than SUGGEST_BELOW records) includes the suggestions' cost."""
    timed = engines(conn, index, with_peers, tantivy)
    found = {n: ids for n, (_, ids) in timed.items() if ids}
    per_class: dict = collections.defaultdict(lambda: collections.defaultdict(list))
    missed: dict = collections.defaultdict(collections.Counter)
    problems = []
    queries, typos = sampled_queries(conn)
    for cls, query, filters in queries:
        result = None
        for name, (run, _) in timed.items():
            run(query, filters)
            median, _ = timeit(lambda r=run, q=query, f=filters: r(q, f), repeat)
            per_class[cls][name].append(median)
            if name == "ours":
                result = run(query, filters)
        median, _ = timeit(lambda q=query, f=filters: peers.like_run(conn, _terms(q), f), 1)
        per_class[cls]["LIKE"].append(median)
        found_missed, problem, _ = check(conn, found, query, filters, result)
        missed[cls].update(found_missed)
        if problem:
            problems.append(f"{cls}: {query} {filters or ''} shown {result.total_label}: {problem}")
    names = list(next(iter(per_class.values())))
    out = [
        "| class | queries | " + " | ".join(f"{n} p50 / p95 / max" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for cls, by_engine in per_class.items():
        cells = []
        for name in names:
            times = sorted(by_engine[name])
            cells.append(
                f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f} / {times[-1]:.1f}"
            )
        out.append(f"| {cls} | {len(by_engine['ours'])} | " + " | ".join(cells) + " |")
        print(f"  {cls:14} " + " | ".join(f"{n} {c}" for n, c in zip(names, cells, strict=True)))
    out += [
        "",
        "Missed against LIKE (records, summed over the class's queries):",
        "",
        "| class | " + " | ".join(found) + " |",
        "|---|" + "---|" * len(found),
    ]
    for cls, counter in missed.items():
        out.append(f"| {cls} | " + " | ".join(str(counter[n]) for n in found) + " |")
    out += ["", f"Counts shown by ours that break the count rule: {len(problems)}"]
    out += [f"- {p}" for p in problems]
    print("\n".join(out[-len(problems) - 1 :]), flush=True)
    return "\n".join(out), typos


# PostgreSQL's planner choices before 2026-12-07 15:40 (main 315a27a): GIN asked for every
# token that is not common, and a walked sample only (`limits` values that restore them).
PLANNER_BEFORE = {"GIN_ENOUGH": -1, "SAMPLE_WALK_HITS": 0}


def bench_planner_ab(conn, index, repeat: int = 3) -> str:
    """PostgreSQL: ours with the planner's choices before (PLANNER_BEFORE) and now on the
    same rows in one run — the twelve named queries and the sampled classes, each query's
    two variants timed in turn (`repeat` times, median kept) — p50 / p95 / max per class,
    and the queries whose page or count differ between the two (none expected)."""
    from gongkai.core.search import limits

    now = {name: getattr(limits, name) for name in PLANNER_BEFORE}
    run = engines(conn, index, False, None)["ours"][0]

    def variant(settings, query, filters):
        for name, value in settings.items():
            setattr(limits, name, value)
        try:
            return run(query, filters)
        finally:
            for name, value in now.items():
                setattr(limits, name, value)

    per_class: dict = collections.defaultdict(lambda: collections.defaultdict(list))
    differ = []
    queries, _ = sampled_queries(conn)
    for cls, query, filters in [(f"named {c}", q, f) for c, q, f in QUERIES] + queries:
        results = {}
        for label, settings in (("before", PLANNER_BEFORE), ("now", now)):
            results[label] = variant(settings, query, filters)  # warm-up
            median, _ = timeit(lambda s=settings, q=query, f=filters: variant(s, q, f), repeat)
            per_class[cls.split()[0] if cls.startswith("named") else cls][label].append(median)
        a, b = results["before"], results["now"]
        if (a.ids, a.total_label) != (b.ids, b.total_label):
            differ.append(f"{cls}: {query} {filters or ''}: {a.total_label} / {b.total_label}")
    out = [
        "| class | queries | before p50 / p95 / max | now p50 / p95 / max |",
        "|---|---|---|---|",
    ]
    for cls, by_label in per_class.items():
        cells = []
        for label in ("before", "now"):
            times = sorted(by_label[label])
            cells.append(
                f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f} / {times[-1]:.1f}"
            )
        out.append(f"| {cls} | {len(by_label['now'])} | {cells[0]} | {cells[1]} |")
        print(f"  {cls:14} before {cells[0]} | now {cells[1]}", flush=True)
    out += ["", f"Queries whose page or count differ: {len(differ)}", *[f"- {d}" for d in differ]]
    return "\n".join(out)


def bench_typos(conn, index, typos) -> str:
    """Top-1 / top-3 accuracy of the portal's suggestions on the seeded typo set, and the
    latency of search plus suggestions per kind."""
    t = time.perf_counter()
    suggest(conn, index, typos[0][1])
    cold = (time.perf_counter() - t) * 1000
    stats, examples = search_quality.suggestion_accuracy(
        typos,
        lambda q: suggest(conn, index, q),
        lambda q: run_ours(conn, index, q, {}),
    )
    out = [
        "| kind | typos | top-1 | top-3 | no suggestion | typo found ≥ 3 records "
        "| search + suggestions p50 / p95 / max |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, s in stats.items():
        times = sorted(s["ms"])
        out.append(
            f"| {kind} | {s['n']} | {s['top1'] / s['n']:.2f} ({s['top1']}) | "
            f"{s['top3'] / s['n']:.2f} ({s['top3']}) | {s['none']} | {s['found']} | "
            f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f} / {times[-1]:.1f} ms |"
        )
    out.append(f"\nFirst suggestion call (loads the vocabulary into the cache): {cold:.0f} ms.")
    for kind, found in examples.items():
        out.append(f"Not first, {kind}: " + "; ".join(found))
    print("\n".join(out), flush=True)
    return "\n".join(out)


FACET_QUERIES = [
    ("公开", {}),
    ("政务公开", {}),
    ("专项资金", {}),
    ("乡村振兴", {}),
    ("冷链物流", {}),
    ("乡村振兴 专项资金", {}),
    ("优化营商环境", {"year": 2025}),
]


def bench_facets(conn, index) -> str:
    rows = search_quality.time_facets(
        conn,
        index,
        FACET_QUERIES,
        {"genre": GENRES, "year": list(range(2016, 2027))},
        NOW,
        lambda q, f: run_ours(conn, index, q, f),
    )
    out = ["| query | count | search p50 | facets p50 | facets / search |", "|---|---|---|---|---|"]
    for query, filters, label, search_ms, facets_ms in rows:
        out.append(
            f"| {query}{f' {filters}' if filters else ''} | {label} | {search_ms:.1f} ms | "
            f"{facets_ms:.1f} ms | {facets_ms / search_ms:.1f}× |"
        )
    print("\n".join(out), flush=True)
    return "\n".join(out)


# --- builds and sizes ---------------------------------------------------------------------------


def _builds() -> dict:
    return json.loads(BUILDS.read_text()) if BUILDS.exists() else {}


def _save_build(key: str, value) -> None:
    builds = _builds()
    builds[key] = value
    BUILDS.write_text(json.dumps(builds, indent=1))


def _db_key(conn) -> str:
    return f"{conn.vendor}:{Path(str(conn.settings_dict['NAME'])).name}"


def build_peers(conns, tantivy, reuse: bool) -> None:
    for conn in conns:
        key = _db_key(conn)
        exists = peers.trgm_exists if conn.vendor == "postgresql" else peers.fts5_exists
        if reuse and exists(conn):
            continue
        build = peers.trgm_build if conn.vendor == "postgresql" else peers.fts5_build
        print(f"building the {conn.vendor} peer index …", flush=True)
        _save_build(f"{key}:peer", build(conn))
    if tantivy is not None and not (reuse and tantivy.searcher is not None):
        print("building the Tantivy index …", flush=True)
        with conns[0].cursor() as cur:
            cur.execute("SELECT id, title, body, published, genre, year FROM bench_docs")
            spent = tantivy.build(iter(cur.fetchone, None))
        _save_build(f"tantivy:{tantivy.path.name}", spent)


def _text_and_index_bytes(conn) -> tuple[int, int]:
    """(bytes of title + body in UTF-8, bytes on disk of every table, index and FTS5 shadow
    table of the index `bench_search`)."""
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SELECT sum(octet_length(title) + octet_length(body)) FROM bench_docs")
            text_bytes = int(cur.fetchone()[0])
            cur.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'bench_search%%'"
            )
            return text_bytes, int(cur.fetchone()[0])
        cur.execute(
            "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))) FROM bench_docs"
        )
        text_bytes = int(cur.fetchone()[0])
    return text_bytes, peers.sqlite_size(conn, "bench_search")


def index_size(conn, spent: dict, records: int) -> str:
    """The index's size against its text and its build rate (targets: ≤ 2×, ≥ 2,000/s)."""
    text_bytes, ours = _text_and_index_bytes(conn)
    seconds, cpu = spent[conn.vendor], spent[f"{conn.vendor} cpu"]
    out = (
        f"text {text_bytes / 1e6:.1f} MB, index {ours / 1e6:.1f} MB ({ours / text_bytes:.2f}×), "
        f"built by SearchIndex.rebuild in {seconds:.0f} s ({records / seconds:,.0f} records/s), "
        f"CPU time {cpu:.0f} s ({records / cpu:,.0f} records/s)"
    )
    print(f"  {conn.vendor}: {out}", flush=True)
    return out


def sizes(conn, tantivy, records: int) -> str:
    """Index size on disk and build time of each engine on this database."""
    builds = _builds()
    key = _db_key(conn)
    text_bytes, ours = _text_and_index_bytes(conn)
    load = builds.get(key, {})
    rows = [
        (
            "ours (`core.search`)",
            ours,
            load.get("total"),
            "`SearchIndex.rebuild`: tokenise (one process), write, build the indexes, ANALYZE",
        )
    ]
    peer = builds.get(f"{key}:peer")
    if conn.vendor == "postgresql":
        rows.append(
            ("pg_trgm (GIN on title, body)", peers.trgm_size(conn), peer, "CREATE INDEX ×2")
        )
    else:
        rows.append(
            ("FTS5 trigram", peers.sqlite_size(conn, "bench_trgm"), peer, "rebuild + optimize")
        )
    if tantivy is not None:
        spent = builds.get(f"tantivy:{tantivy.path.name}", {})
        rows.append(
            (
                "Tantivy (bigrams, whitespace tokenizer)",
                tantivy.size(),
                sum(spent.values()) if spent else None,
                f"{spent.get('split', 0):.0f} s splitting into bigrams in Python, "
                f"{spent.get('tantivy', 0):.0f} s in Tantivy",
            )
        )
    out = [
        f"Text indexed (title + body, UTF-8): {text_bytes / 1e6:.1f} MB.",
        "",
        "| engine | index on disk | × text | build | records/s | build covers |",
        "|---|---|---|---|---|---|",
    ]
    for name, size, seconds, covers in rows:
        rate = f"{records / seconds:,.0f}" if seconds else "?"
        took = f"{seconds:.0f} s" if seconds else "?"
        out.append(
            f"| {name} | {size / 1e6:.1f} MB | {size / text_bytes:.1f}× | {took} | {rate} | "
            f"{covers} |"
        )
    print("\n".join(out), flush=True)
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
    parser.add_argument(
        "--rebuild", action="store_true", help="与 --reuse 同用：只重建索引（计时），再测查询"
    )
    parser.add_argument("--sampled", action="store_true", help="也测抽样的各类检索词（议题 18）")
    parser.add_argument("--no-named", action="store_true", help="不测固定的十二个检索词")
    parser.add_argument(
        "--peers", action="store_true", help="同时测 pg_trgm、FTS5 trigram 和 Tantivy"
    )
    parser.add_argument("--typos", action="store_true", help="测错别字集的建议准确率")
    parser.add_argument("--facets", action="store_true", help="测分面统计的耗时")
    parser.add_argument(
        "--planner-ab", action="store_true", help="PostgreSQL：新旧检索计划在同一批数据上对比"
    )
    args = parser.parse_args(argv)
    vendors = ([] if args.no_sqlite else ["sqlite"]) + ([] if args.no_pg else ["postgresql"])
    if not args.reuse:
        check_disk(args.records, vendors)
    if not args.no_pg:
        ensure_pg_database(args.pg)
    setup_django(None if args.no_pg else args.pg, args.sqlite_file)
    from django.db import connections

    from gongkai.core.search import SearchIndex

    index = SearchIndex(
        "bench_search",
        filters=(("government", "int"), ("genre", "text"), ("year", "year")),
        vocabulary="government",
    )
    report = [
        f"Command: `.venv/bin/python bench/search.py {' '.join(argv or sys.argv[1:])}`",
        f"Records: {args.records:,}",
    ]
    conns = [connections["default" if v == "sqlite" else "pg"] for v in vendors]
    if not args.reuse or args.rebuild:
        print(f"loading {args.records:,} records into {', '.join(vendors)} …", flush=True)
        spent = load(conns, index, args.records, records_table=not args.reuse)
        print(f"  loaded: {spent}", flush=True)
        for conn in conns:
            _save_build(_db_key(conn), {"total": spent[conn.vendor]})
        report.append(
            "Load (generate; records table; index built by SearchIndex.rebuild): "
            + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items())
        )
        for conn in conns:
            report.append(
                f"\n{conn.vendor}, index size:\n\n" + index_size(conn, spent, args.records)
            )
    tantivy = None
    if args.peers:
        try:
            tantivy = peers.Tantivy(DATA_DIR / f"tantivy-{Path(args.sqlite_file).stem}")
        except ImportError:
            print("tantivy is not installed (pip install -e '.[bench]'): timed without it")
        build_peers(conns, tantivy, args.reuse)
    for vendor, conn in zip(vendors, conns, strict=True):
        print(f"querying {vendor} …", flush=True)
        if args.peers:
            report.append(
                f"\n{vendor}, index size and build:\n\n" + sizes(conn, tantivy, args.records)
            )
        if not args.no_named:
            rows = bench(conn, index, args.peers, tantivy, args.repeat, args.like_repeat)
            report.append(f"\n{vendor} ({args.records:,} records):\n\n" + table(rows))
        typos = None
        if args.sampled:
            sampled, typos = bench_sampled(conn, index, args.peers, tantivy)
            report.append(f"\n{vendor}, sampled classes ({args.records:,} records):\n\n" + sampled)
        if args.typos:
            if typos is None:
                _, typos = sampled_queries(conn)
            report.append(
                f"\n{vendor}, suggestions on the seeded typo set:\n\n"
                + bench_typos(conn, index, typos)
            )
        if args.planner_ab and vendor == "postgresql":
            report.append(
                f"\n{vendor}, the planner's choices before and now:\n\n"
                + bench_planner_ab(conn, index)
            )
        if args.facets:
            report.append(
                f"\n{vendor}, facet counts against the search:\n\n" + bench_facets(conn, index)
            )
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
