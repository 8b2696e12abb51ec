"""The ledger page (工作台账) for a plan of 500 tasks and 50 organisations: queries and time.

Run by hand: .venv/bin/python bench/ledger.py [--tasks 500] [--orgs 50] [--per-task 10]
Uses a throwaway test database (SQLite by default; DATABASE_URL for PostgreSQL). The query
bound is pinned in gongkai/plans/tests/test_ledger_scale.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--per-task", type=int, default=10)
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from gongkai.accounts.models import User
        from gongkai.orgs.models import Membership, Organisation, OrgKind, Role
        from gongkai.plans.tests.factories import big_plan

        gov = Organisation.objects.create(
            name="测试市人民政府", kind=OrgKind.GOVERNMENT, slug="bench"
        )
        office = User.objects.create_user(username="office", password="x")
        Membership.objects.create(user=office, organisation=gov, role=Role.OFFICE_ADMIN)
        start = time.perf_counter()
        plan = big_plan(gov, tasks=args.tasks, orgs=args.orgs, per_task=args.per_task)
        built = time.perf_counter() - start
        client = Client()
        client.force_login(office)
        for label, url in [
            ("ledger", f"/manage/plans/{plan.pk}/"),
            ("ledger, filtered", f"/manage/plans/{plan.pk}/?status=behind&page=2"),
            ("dashboard", f"/manage/plans/{plan.pk}/dashboard/"),
            ("export .xlsx", f"/manage/plans/{plan.pk}/ledger.xlsx"),
        ]:
            timings, queries = [], 0
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    resp = client.get(url)
                    timings.append(time.perf_counter() - t)
                assert resp.status_code == 200, resp.status_code
                queries = len(ctx.captured_queries)
            print(
                f"{label}: {queries} queries, best {min(timings) * 1000:.0f} ms "
                f"(mean {sum(timings) / len(timings) * 1000:.0f} ms)"
            )
        assignments = plan.tasks.model.objects.filter(plan=plan).values("assignments").count()
        print(
            f"plan: {args.tasks} tasks, {args.orgs} organisations, {assignments} assignments "
            f"(built in {built:.1f} s); database: {connection.vendor}"
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
