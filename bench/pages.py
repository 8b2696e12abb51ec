"""Page benchmark: the public record page and list page against a bare Django view, served
the same way (Django's WSGI handler through the test client, in one process) in the same run,
at N records.

    .venv/bin/python bench/pages.py --records 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_pages \\
        .venv/bin/python bench/pages.py --records 100000

Each page is measured --seconds in all, in --rounds rounds interleaved with the others (the
median round counts), so that a change of the machine's load during the run meets every page.

The records are bulk-created directly (a benchmark fixture, not the publishing workflow).
Query counts of the list pages are pinned: the run fails if a page needs more queries.
Data lives in var/bench/pages (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DATA_DIR = BASE_DIR / "var" / "bench" / "pages"

# A list page: rows with the capped count, the form's publishers (first visit of a choice);
# the record page at most: the record, attachments, interpretations, the document amending it,
# those it amends (ids, then through the gate).
PINNED_QUERIES = {"list": 2, "list_filtered": 2, "record": 6, "policies": 2}


def setup(records: int):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GONGKAI_DATA_DIR", str(DATA_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("GONGKAI_ENV", "test")
    free = shutil.disk_usage(DATA_DIR).free
    need = records * 4_000
    if free < need * 2:
        raise SystemExit(f"磁盘空间不足：需要约 {need / 1e9:.1f} GB。")
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.pages_urls"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def fill(records: int) -> None:
    from django.utils import timezone

    from gongkai.catalog.models import Record
    from gongkai.demo.province import generated_record
    from gongkai.orgs.models import Organisation, OrgKind

    gov = Organisation.objects.filter(slug="bench").first()
    if gov is None:
        gov = Organisation.objects.create(
            name="基准测试市人民政府", kind=OrgKind.GOVERNMENT, slug="bench"
        )
    orgs = list(Organisation.objects.filter(government=gov).exclude(pk=gov.pk))
    for i in range(len(orgs), 20):
        orgs.append(
            Organisation.objects.create(
                name=f"基准测试部门{i}", kind=OrgKind.DEPARTMENT, parent=gov
            )
        )
    have = Record.objects.filter(government=gov).count()
    if have >= records:
        _analyze()
        return
    rng = random.Random(7)
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    batch = []
    started = time.perf_counter()
    for i in range(have, records):
        published = start + dt.timedelta(seconds=rng.randrange(330_000_000))
        org = orgs[i % len(orgs)]
        batch.append(
            generated_record(
                rng,
                government=gov,
                publisher=org,
                published=published,
                index_no=f"BENCH{org.pk:04d}/{i:08d}",
                title=f"关于做好第{i}项政务公开工作的通知",
                doc_no=f"基政发〔{published.year}〕{i}号",
                paragraphs=20,
                created_at=timezone.now(),
            )
        )
        if len(batch) >= 5000:
            Record.objects.bulk_create(batch)
            batch = []
            print(f"  {i + 1:,} records, {time.perf_counter() - started:.0f} s", flush=True)
    if batch:
        Record.objects.bulk_create(batch)
    _analyze()


def _analyze() -> None:
    """Statistics, and on PostgreSQL the visibility map that index-only scans need (what
    autovacuum keeps up to date on a live site)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(client, url, seconds=5.0):
    client.get(url)
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        n += 1
    return n / (time.perf_counter() - started)


def measure_interleaved(client, runs, seconds, rounds):
    """Requests per second of each (name, url, cached) in `runs`: `rounds` rounds, each page
    measured seconds/rounds per round in turn, the median round kept. The machine's load
    changes while a benchmark runs (other work on the same cores); interleaving makes every
    page, the bare view included, meet the same load, so the ratios of one run hold."""
    from django.conf import settings

    rates: dict[str, list[float]] = {name: [] for name, _url, _cached in runs}
    for _ in range(rounds):
        for name, url, cached in runs:
            settings.GONGKAI_PAGE_CACHE = cached
            client.cookies.clear()
            rates[name].append(measure(client, url, seconds / rounds))
    return {name: statistics.median(found) for name, found in rates.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--rounds", type=int, default=6, help="interleaved rounds (the median round counts)"
    )
    parser.add_argument("--fill-only", action="store_true")
    args = parser.parse_args(argv)
    setup(args.records)
    fill(args.records)
    if args.fill_only:
        return 0
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gongkai.catalog.models import Record

    record = Record.objects.order_by("-published_at").first()
    pages = {
        "bare": "/bench-bare/",
        "record": f"/disclosure/records/{record.pk}/",
        "list": "/disclosure/records/",
        "list_filtered": "/disclosure/records/?genre=normative&year=2024",
        "policies": "/policies/",
    }
    client = Client()
    runs, counts = [], {}
    # Uncached: the page cache off (every request renders); the bare view always so.
    settings.GONGKAI_PAGE_CACHE = False
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        n_queries = len(queries)  # read now: each request resets the connection's query log
        if name in PINNED_QUERIES and n_queries > PINNED_QUERIES[name]:
            raise SystemExit(f"{name}: {n_queries} queries > pinned {PINNED_QUERIES[name]}")
        runs.append((name, url, False))
        counts[name] = n_queries
    # Cached: an anonymous visitor's second read (gongkai.core.pagecache).
    settings.GONGKAI_PAGE_CACHE = True
    for name in ("record", "list", "policies"):
        url = pages[name]
        client.cookies.clear()
        assert client.get(url).get("X-Page-Cache") in ("miss", "hit"), url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)["X-Page-Cache"] == "hit", url
        runs.append((f"{name} (cached)", url, True))
        counts[f"{name} (cached)"] = len(queries)
    rates = measure_interleaved(client, runs, args.seconds, args.rounds)
    rows = [(name, url, rates[name], counts[name]) for name, url, _cached in runs]
    for name, url, rate, n_queries in rows:
        print(f"{name:18} {rate:8.1f} req/s  {n_queries} queries  {url}", flush=True)
    bare = rows[0][2]
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\n{connection.vendor}, {Record.objects.count():,} records, cache {cache_backend}\n")
    print("| page | URL | req/s | ratio to bare view | queries (pinned) |")
    print("|---|---|---|---|---|")
    for name, url, rate, nq in rows:
        pinned = PINNED_QUERIES.get(name, "")
        print(f"| {name} | `{url}` | {rate:.0f} | {rate / bare:.2f} | {nq} ({pinned}) |")
    ratio = {name: rate / bare for name, _url, rate, _nq in rows}
    targets = [
        ("cached record page ≥ 0.8", ratio["record (cached)"] >= 0.8),
        ("uncached record page ≥ 0.25", ratio["record"] >= 0.25),
        (
            "uncached list pages ≥ 0.2",
            min(ratio["list"], ratio["list_filtered"], ratio["policies"]) >= 0.2,
        ),
    ]
    print()
    for label, ok in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
