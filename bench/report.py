"""Time the annual report's table 三 at scale: 100,000 requests over 50 organisations → one
organisation's report and the government's summary, each compared in the same run with a single
hand-written SQL GROUP BY computing the same table 三 (target: within 3× of it).

Run by hand (a scratch database is created and filled once, then reused):

    .venv/bin/python bench/report.py                        # SQLite file in var/bench-report.sqlite3
    .venv/bin/python bench/report.py --db postgres://postgres@127.0.0.1:5432/gongkai_bench

It also checks that both ways give the same table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_REQUESTS = 100_000
N_ORGS = 50
YEAR = 2025


def _prepare_database(url: str) -> None:
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        base = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fill(seed: int = 7) -> None:
    """50 organisations under one government; 100,000 requests received 2023–2025 with every
    requester kind and outcome row; the last weeks of each year partly still open."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from gongkai.foi.models import InfoRequest, Requester
    from gongkai.orgs.models import Organisation, OrgKind
    from gongkai.reports import layout

    if InfoRequest.objects.count() >= N_REQUESTS:
        return
    rng = random.Random(seed)
    print(f"filling {N_REQUESTS} requests…", flush=True)
    with transaction.atomic():
        gov = Organisation.objects.create(
            name="基准市人民政府", kind=OrgKind.GOVERNMENT, slug="bench"
        )
        orgs = [
            Organisation(
                name=f"基准市第{i}局", kind=OrgKind.DEPARTMENT, parent=gov, government=gov, order=i
            )
            for i in range(N_ORGS - 1)
        ]
        Organisation.objects.bulk_create(orgs)
        orgs = [gov, *Organisation.objects.filter(parent=gov)]
        kinds = list(layout.REQUESTER_COLUMNS)
        weights = [70, 12, 3, 3, 7, 5]
        requesters = Requester.objects.bulk_create(
            [
                Requester(
                    kind=rng.choices(kinds, weights)[0],
                    name=f"申请人{i}",
                    id_type="resident_id",
                    id_number=f"{i:018d}",
                )
                for i in range(20_000)
            ],
            batch_size=5000,
        )
        outcomes = [(r.outcome, r.reason) for r in layout.OUTCOME_ROWS]
        start = dt.date(YEAR - 2, 1, 1)
        batch = []
        for i in range(N_REQUESTS):
            received = start + dt.timedelta(days=rng.randrange(3 * 365))
            days = rng.choice([3, 8, 15, 20, 28, 40, 60])
            finished = received + dt.timedelta(days=days)
            still_open = finished > dt.date(YEAR, 12, 31) or rng.random() < 0.01
            outcome, reason = rng.choice(outcomes)
            arrived = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
            batch.append(
                InfoRequest(
                    government=gov,
                    organisation=orgs[i % N_ORGS],
                    requester=requesters[rng.randrange(len(requesters))],
                    tracking_code=f"B{i:012d}",
                    description="基准",
                    channel="online",
                    arrived_at=arrived,
                    received_on=received,
                    finished_on=None if still_open else finished,
                    state="in_progress" if still_open else "archived",
                    outcome="" if still_open else outcome,
                    outcome_reason=None if still_open else reason,
                )
            )
            if len(batch) == 10_000:
                InfoRequest.objects.bulk_create(batch)
                batch.clear()
        InfoRequest.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


HAND_SQL = """
SELECT r.kind, i.outcome, i.outcome_reason,
       SUM(CASE WHEN i.received_on >= %(start)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.received_on < %(start)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.finished_on BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.finished_on IS NULL OR i.finished_on > %(end)s THEN 1 ELSE 0 END)
FROM foi_inforequest i JOIN foi_requester r ON r.id = i.requester_id
WHERE {scope} AND i.kind = 'disclosure' AND i.received_on IS NOT NULL
  AND i.received_on <= %(end)s AND (i.finished_on IS NULL OR i.finished_on >= %(start)s)
GROUP BY r.kind, i.outcome, i.outcome_reason
"""


def hand_table3(scope_sql: str, params: dict) -> dict:
    """The hand-written GROUP BY, assembled into the same table."""
    from django.db import connection

    from gongkai.reports import layout

    cells: dict = {row: {} for row in layout.TABLE3_ROW_KEYS}
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL.format(scope=scope_sql), params)
        for kind, outcome, reason, new, carried, finished, forward in cursor.fetchall():
            for row, n in (("new", new), ("carried_over", carried), ("carried_forward", forward)):
                cells[row][kind] = cells[row].get(kind, 0) + n
            if finished:
                key = layout.outcome_row_key(outcome, reason)
                cells[key][kind] = cells[key].get(kind, 0) + finished
    return layout.complete_table3(cells)


def _time(func, runs: int) -> tuple[float, object]:
    timings, result = [], None
    func()  # warm-up
    for _ in range(runs):
        t0 = time.perf_counter()
        result = func()
        timings.append(time.perf_counter() - t0)
    return statistics.median(timings), result


def main() -> int:
    parser = argparse.ArgumentParser(description="Time the annual report's counters.")
    parser.add_argument("--db", default=f"sqlite:///{ROOT / 'var' / 'bench-report.sqlite3'}")
    parser.add_argument("-n", "--runs", type=int, default=7)
    args = parser.parse_args()
    _prepare_database(args.db)
    _fill()

    import datetime as dt

    from django.db import connection

    from gongkai.orgs.models import Organisation
    from gongkai.reports import compiler, counters

    gov = Organisation.objects.get(slug="bench")
    org = Organisation.objects.filter(parent=gov).order_by("order").first()
    params = {
        "start": dt.date(YEAR, 1, 1),
        "end": dt.date(YEAR, 12, 31),
        "org": org.pk,
        "gov": gov.pk,
    }
    print(f"database: {connection.vendor}; requests: {N_REQUESTS}; organisations: {N_ORGS}")
    rows = []
    for label, target, scope_sql, owner, scope in (
        ("one organisation", counters.Target.of(org), "i.organisation_id = %(org)s", org, "own"),
        (
            "government summary",
            counters.Target.summary(gov),
            "i.government_id = %(gov)s",
            gov,
            "summary",
        ),
    ):
        t_ours, ours = _time(lambda t=target: counters.table3(t, YEAR), args.runs)
        t_hand, hand = _time(lambda s=scope_sql: hand_table3(s, params), args.runs)
        assert ours == hand, f"{label}: counters and the hand-written SQL disagree"
        t_full, _ = _time(lambda o=owner, s=scope: compiler.report_data(o, YEAR, s), args.runs)
        ratio = t_ours / t_hand
        rows.append((label, ours["new"]["total"], t_ours, t_hand, ratio, t_full))
        print(
            f"{label}: 新收 {ours['new']['total']}; table 三 {t_ours * 1000:.1f} ms, "
            f"hand SQL {t_hand * 1000:.1f} ms, ratio {ratio:.2f}×; whole report (3 tables "
            f"+ draft text + checks) {t_full * 1000:.1f} ms",
            flush=True,
        )
    print("\n| scope | 新收 | counters.table3 | hand-written GROUP BY | ratio | whole report |")
    print("|---|---|---|---|---|---|")
    for label, new, t_ours, t_hand, ratio, t_full in rows:
        print(
            f"| {label} | {new} | {t_ours * 1000:.1f} ms | {t_hand * 1000:.1f} ms | "
            f"{ratio:.2f}× | {t_full * 1000:.1f} ms |"
        )
    return 0 if all(r[4] <= 3 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
