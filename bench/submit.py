"""Benchmark: 200 concurrent online applications against a running server on PostgreSQL.

    .venv/bin/python bench/submit.py                 # sets up a bench database, starts gunicorn
    .venv/bin/python bench/submit.py --url http://127.0.0.1:8000 --no-server   # a running server

Every client first opens the form (cookie + CSRF token + its own idempotency key), then all
post at once behind a barrier. Then the same 200 submissions are posted again with the same
idempotency keys (a double submit). Checks: exactly 200 requests saved, 200 unique tracking
codes, and every client was shown its own tracking code both times. The server must run with
GONGKAI_CAPTCHA_ENABLED=false and GONGKAI_RATE_LIMIT_ENABLED=false (bench-only switches that a
system check refuses in production). Results go to the "## Request submission" section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gongkai_bench"
SECTION = "## Request submission"


class Client:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as r:
            return r.read().decode()

    def post_multipart(self, path: str, fields: dict, files: dict) -> tuple[int, str, str]:
        boundary = uuid.uuid4().hex
        body = bytearray()
        for name, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            body += str(value).encode() + b"\r\n"
        for name, (filename, data, ctype) in files.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
            ).encode()
            body += data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        csrf = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        req = urllib.request.Request(
            self.base + path,
            data=bytes(body),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-CSRFToken": csrf,
                "Referer": self.base + path,
            },
            method="POST",
        )
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, r.geturl(), r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.geturl(), exc.read().decode(errors="replace")


VALID_ID = "370802199001011248"


def prepare(client: Client) -> dict:
    html = client.get("/foi/")
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)
    org = re.search(r'<option value="(\d+)"[^>]*>[^<]*教育局', html) or re.search(
        r'name="organisation"[^>]*>\s*<option value="(\d+)"', html
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return {"idempotency_key": key, "organisation": org.group(1), "csrfmiddlewaretoken": token}


def submit(client: Client, form: dict, n: int) -> tuple[int, str, float]:
    fields = {
        **form,
        "requester_kind": "natural_person",
        "name": f"压测申请人{n}",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": f"1390000{n:04d}",
        "email": f"bench{n}@example.com",
        "kind": "disclosure",
        "description": f"压测申请 {n}：2025年度部门预算公开说明",
        "info_form": "electronic",
        "delivery": "online",
    }
    started = time.perf_counter()
    status, _url, html = client.post_multipart(
        "/foi/", fields, {"id_proof": ("id.png", b"\x89PNG bench", "image/png")}
    )
    elapsed = time.perf_counter() - started
    code = re.search(r'id="tracking-code">([A-Z0-9]+)<', html)
    if status != 200 or code is None:
        return status, "", elapsed
    return status, code.group(1), elapsed


def wave(clients, forms, label) -> dict:
    results: list = [None] * len(clients)
    barrier = threading.Barrier(len(clients))

    def run(i):
        barrier.wait()
        try:
            results[i] = submit(clients[i], forms[i], i)
        except Exception as exc:  # counted as a failure below
            results[i] = (0, "", 0.0)
            print(f"client {i}: {exc}", file=sys.stderr)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times = sorted(r[2] for r in results)
    ok = [r for r in results if r[1]]
    return {
        "label": label,
        "ok": len(ok),
        "codes": [r[1] for r in results],
        "wall": wall,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "statuses": sorted({r[0] for r in results}),
    }


def setup_database(db_url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(db_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": db_url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    script = (
        "from gongkai.orgs.models import Organisation, OrgKind\n"
        "g = Organisation.objects.create(name='济宁市人民政府', kind=OrgKind.GOVERNMENT, slug='jining')\n"
        "Organisation.objects.create(name='济宁市教育局', short_name='市教育局', "
        "kind=OrgKind.DEPARTMENT, parent=g)\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True
    )


def count_saved(db_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        total, codes = conn.execute(
            "SELECT count(*), count(DISTINCT tracking_code) FROM foi_inforequest"
        ).fetchone()
    return total, codes


def write_results(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    new_section = SECTION + "\n\n" + text.strip() + "\n\n"
    if pattern.search(old):
        new = pattern.sub(lambda _: new_section, old)
    else:
        new = old.rstrip() + "\n\n" + new_section
    path.write_text(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL URL of the server's database")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-server", action="store_true", help="use a server already running")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()

    server = None
    if not args.no_server:
        setup_database(args.db)
        port = urllib.parse.urlparse(args.url).port or 8765
        env = {
            **os.environ,
            "DATABASE_URL": args.db,
            "GONGKAI_CAPTCHA_ENABLED": "false",
            "GONGKAI_RATE_LIMIT_ENABLED": "false",
            "DEBUG": "false",
            "GONGKAI_DATA_DIR": str(ROOT / "var" / "bench"),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(60):
            try:
                urllib.request.urlopen(args.url + "/foi/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
    try:
        clients = [Client(args.url) for _ in range(args.n)]
        forms = [prepare(c) for c in clients]
        first = wave(clients, forms, "first submission")
        second = wave(clients, forms, "repeat with the same idempotency keys")
        total, distinct = count_saved(args.db)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    same_codes = first["codes"] == second["codes"]
    passed = (
        first["ok"] == second["ok"] == args.n
        and total == distinct == args.n
        and len(set(first["codes"])) == args.n
        and same_codes
    )
    lines = [
        f"`bench/submit.py` — {time.strftime('%Y-%m-%d')}: {args.n} concurrent online applications "
        f"(multipart form with an ID-proof upload) against gunicorn ({args.workers} workers × "
        f"{args.threads} threads) on PostgreSQL, captcha and rate limit switched off for the "
        "benchmark; every client opens the form first, then all post at once.",
        "",
        "| wave | accepted | wall time | p50 | p95 | max | HTTP statuses |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in (first, second):
        lines.append(
            f"| {w['label']} | {w['ok']}/{args.n} | {w['wall']:.2f} s | {w['p50'] * 1000:.0f} ms "
            f"| {w['p95'] * 1000:.0f} ms | {w['max'] * 1000:.0f} ms | {', '.join(map(str, w['statuses']))} |"
        )
    lines += [
        "",
        f"Saved: {total} requests, {distinct} distinct tracking codes; the repeat wave returned "
        f"each client its own first tracking code: {'yes' if same_codes else 'NO'}. "
        f"Result: {'PASS' if passed else 'FAIL'}.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_results(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
