"""Catalogue reindex benchmark: `gongkai search reindex` (catalog.indexing.reindex, i.e.
`SearchIndex.rebuild` over the records read from the ORM, with the organisation-name synonyms
and the vocabulary) over N generated records of bench/search.py's realistic text.

    GONGKAI_DATA_DIR=var/bench/reindex .venv/bin/python bench/reindex.py --records 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_reindex \\
        .venv/bin/python bench/reindex.py --records 20000

Migrates the database, creates the province fixture (`gongkai demo --province`, scaled down:
organisations for the synonyms) with N records once (a rerun reuses them), gives the records
bench/search.py's generated titles and bodies, then times `reindex()` --repeat times and
reports records/s. Set --profile to print a cProfile of one reindex.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("GONGKAI_ENV", "test")  # no DEBUG query log
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def prepare(records: int) -> None:
    """Migrate; the province fixture with `records` records; their text from bench/search.py."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from search import generate

    from gongkai.catalog.models import Record
    from gongkai.demo.province import build_province

    if Record.objects.exists():
        return
    build_province(scale=0.05, records=records)
    texts = generate(records)
    batch: list[Record] = []
    for record in Record.objects.order_by("pk").only("pk").iterator(chunk_size=2000):
        _, title, body, *_ = next(texts)
        record.title = title
        record.body = "".join(f"<p>{line}</p>" for line in body.split("\n"))
        batch.append(record)
        if len(batch) >= 2000:
            Record.objects.bulk_update(batch, ["title", "body"])
            batch = []
    Record.objects.bulk_update(batch, ["title", "body"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    from search import ensure_pg_database, server_cpu

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_pg_database(url)
    import django

    django.setup()
    from django.db import connection

    prepare(args.records)
    from gongkai.catalog.indexing import RECORD_INDEX, reindex

    print(f"{connection.vendor}, {args.records:,} records", flush=True)
    for _ in range(args.repeat):
        started, cpu, server = time.perf_counter(), time.process_time(), server_cpu(connection)
        count = reindex()
        seconds = time.perf_counter() - started
        used = time.process_time() - cpu + server_cpu(connection) - server
        print(
            f"  reindex: {count:,} entries in {seconds:.1f} s ({count / seconds:,.0f}/s); "
            f"CPU time (this process and the database's) {used:.1f} s ({count / used:,.0f}/s)"
        )
    assert RECORD_INDEX.count() == count
    if args.profile:
        cProfile.runctx(
            "reindex()",
            globals(),
            {"reindex": reindex},
            str(BASE_DIR / "var" / "bench" / "reindex.prof"),
        )
        pstats.Stats(str(BASE_DIR / "var" / "bench" / "reindex.prof")).sort_stats(
            "tottime"
        ).print_stats(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
