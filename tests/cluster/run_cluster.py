"""./run cluster-test: the province topology on one machine, with faults, checked end to end.

Network namespaces joined by veth pairs to one bridge are the machines: PostgreSQL primary
(db1), a streaming replica made with pg_basebackup (db2), Redis (redis), an SMTP sink (mail),
two app nodes (app1, app2), one worker (worker) and HAProxy (lb) running deploy/haproxy/
haproxy.cfg. The host drives a bounded load through HAProxy — citizens submitting requests and
comments with idempotency keys (retrying in-flight ones with the same key), readers of the portal
and its search, officers receiving requests and sending correction notices (a letter rendered
to .docx and .pdf, a mail) — and in the middle kills app1 (SIGKILL), kills the worker, restarts
Redis and stops the replica. Then it checks what must hold, prints a table and removes every
namespace, process and file it made (also on Ctrl-C or an error).

Only addresses of its own namespaces (NET below) and loopback are ever contacted.

    python tests/cluster/run_cluster.py [--ci] [--seconds N]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")
NET = "10.213.7"  # our own namespaces only
HOSTS = {
    "lb": 2,
    "db1": 11,
    "db2": 12,
    "redis": 13,
    "mail": 14,
    "app1": 21,
    "app2": 22,
    "worker": 31,
}
BRIDGE = "gkc-br0"
LOCK_FILE = "/run/gongkai-cluster-test.lock"
PGBOUNCER_PORT = 6432  # on the primary's host
SITE = "www.sd.gov.test"  # the province's portal (gongkai.demo.province)
PG_BIN = Path(
    subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    or "/usr/lib/postgresql/15/bin"
)


def ip(name: str) -> str:
    return f"{NET}.{HOSTS[name]}"


def ns(name: str) -> str:
    return f"gkc-{name}"


# --- processes and cleanup ---------------------------------------------------------------------


class Cluster:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.made_ns: list[str] = []
        self.bridge = False

    def sh(self, *cmd: str, check: bool = True, env=None, timeout: float = 600) -> str:
        result = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} → {result.returncode}\n{result.stderr[-3000:]}")
        return result.stdout

    def in_ns(self, host: str, *cmd: str, **kw) -> str:
        return self.sh("ip", "netns", "exec", ns(host), *cmd, **kw)

    def start(self, key: str, host: str, cmd: list[str], env=None) -> subprocess.Popen:
        log = open(self.logs / f"{key}.log", "ab")  # noqa: SIM115 (kept open for the process)
        proc = subprocess.Popen(
            ["ip", "netns", "exec", ns(host), *cmd],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=ROOT,
        )
        self.procs[key] = proc
        return proc

    def kill(self, key: str, sig=signal.SIGKILL) -> None:
        proc = self.procs.pop(key, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def network(self) -> None:
        self.sh("ip", "link", "add", BRIDGE, "type", "bridge")
        self.bridge = True
        self.sh("ip", "addr", "add", f"{NET}.1/24", "dev", BRIDGE)
        self.sh("ip", "link", "set", BRIDGE, "up")
        for host in HOSTS:
            name = ns(host)
            self.sh("ip", "netns", "add", name)
            self.made_ns.append(name)
            outside, inside = f"gkc-{host}-h", f"gkc-{host}-n"
            self.sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            self.sh("ip", "link", "set", inside, "netns", name)
            self.sh("ip", "link", "set", outside, "master", BRIDGE, "up")
            self.in_ns(host, "ip", "addr", "add", f"{ip(host)}/24", "dev", inside)
            self.in_ns(host, "ip", "link", "set", inside, "up")
            self.in_ns(host, "ip", "link", "set", "lo", "up")

    def cleanup(self) -> None:
        for key in list(self.procs):
            # PostgreSQL: a fast shutdown (SIGINT) frees its shared memory; others: SIGKILL.
            self.kill(key, signal.SIGINT if key.startswith("pg") else signal.SIGKILL)
        remove_hosts(self.made_ns, self.bridge)
        shutil.rmtree(self.work, ignore_errors=True)


def remove_hosts(namespaces: list[str], bridge: bool) -> None:
    """Kill every process left in the namespaces, delete them and the bridge."""
    for name in namespaces:
        pids = subprocess.run(
            ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        # The pair goes with the namespace, but only once its last process is gone: delete the
        # host's end now, so that a next run can create it again at once.
        subprocess.run(["ip", "link", "del", f"{name}-h"], capture_output=True, check=False)
    if bridge:
        subprocess.run(["ip", "link", "del", BRIDGE], capture_output=True, check=False)


# --- HTTP client with cookies ------------------------------------------------------------------


class Browser:
    """One visitor: its own cookies, requests to HAProxy for the province's site."""

    def __init__(self, timeout: float = 15) -> None:
        self.cookies: dict[str, str] = {}
        self.timeout = timeout

    def request(self, method: str, path: str, data: dict | None = None, files=None):
        conn = http.client.HTTPConnection(ip("lb"), 80, timeout=self.timeout)
        headers = {"Host": SITE, "User-Agent": "gongkai-cluster-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Referer"] = f"http://{SITE}{path}"
            if files:
                boundary = uuid.uuid4().hex
                body = _multipart(boundary, data, files)
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urlencode(data).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    val = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or val == '""':
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = val
            return response.status, dict(response.getheaders()), content.decode("utf-8", "replace")
        finally:
            conn.close()


def _multipart(boundary: str, data: dict, files: dict) -> bytes:
    out = []
    for key, value in data.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    for key, (filename, content, ctype) in files.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    if match is None:
        raise ValueError(f"no field {name}")
    return match.group(1)


# --- the load ------------------------------------------------------------------------------------


READ_TIMEOUT = 10.0  # a read is answered when HTTP 200 has arrived within this many seconds
RELOAD_AFTER = 1.0  # a visitor whose page failed reloads it once, a second later
LOAD = {"citizens": 4, "pause": 1.0}  # citizens, mean seconds between one's submissions
OFFICER_PAUSE = 6.0  # seconds between an officer's handled requests
NODE_WORKERS, NODE_THREADS = 2, 4  # gunicorn per app node on the 2-core machine
OFFICER_CASES = 4  # requests each officer handles (each: a letter in two formats and mails)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.times: dict[tuple[str, str], list[float]] = {}
        self.phase = "warm-up"
        self.phases: list[str] = []
        self.keys: dict[str, dict[str, str]] = {"request": {}, "comment": {}}
        self.handled: list[int] = []

    def set_phase(self, phase: str) -> None:
        with self.lock:
            self.phase = phase
            self.phases.append(phase)

    def add(self, what: str, n: int = 1, phase: str | None = None) -> None:
        with self.lock:
            self.counts[(phase or self.phase, what)] += n
            self.counts[("all", what)] += n

    def timed(self, what: str, seconds: float, phase: str | None = None) -> None:
        with self.lock:
            for key in ((phase or self.phase, what), ("all", what)):
                self.times.setdefault(key, []).append(seconds)

    def get(self, phase: str, what: str) -> int:
        return self.counts.get((phase, what), 0)

    def latency(self, phase: str, what: str) -> str:
        values = sorted(self.times.get((phase, what), []))
        if not values:
            return "–"
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        return f"{values[len(values) // 2]:.2f} / {p95:.2f} / {values[-1]:.2f}"


def submit_with_retries(kind: str, tally: Tally, stop_at: float, consultation: int, dept: int):
    """One citizen's submission: open the form, post it, and retry the same key until
    acknowledged (or the run's deadline)."""
    browser = Browser()
    path = "/foi/" if kind == "request" else f"/participation/consultations/{consultation}/"
    while True:  # opening the form is a read: retry until it works
        try:
            status, _h, html = browser.request("GET", path)
            if status == 200:
                key = _field(html, "idempotency_key")
                csrf = _field(html, "csrfmiddlewaretoken")
                break
        except (OSError, http.client.HTTPException, ValueError):
            pass
        if time.time() > stop_at:
            return
        time.sleep(0.5)
    if kind == "request":
        data = {
            "csrfmiddlewaretoken": csrf, "organisation": dept, "requester_kind": "natural_person",
            "name": "集群测试", "id_type": "resident_id", "id_number": "370802199001011248",
            "phone": "13800000000", "email": f"citizen-{key[:8]}@example.org",
            "kind": "disclosure", "description": f"集群测试申请 {key}",
            "info_form": "electronic", "delivery": "online", "idempotency_key": key,
        }  # fmt: skip
        files = {"id_proof": ("id.png", b"\x89PNG\r\n\x1a\ncluster", "image/png")}
    else:
        data = {"csrfmiddlewaretoken": csrf, "body": f"集群测试意见 {key}", "idempotency_key": key}
        files = None
    with tally.lock:
        tally.keys[kind][key] = "sent"
    tally.add(f"{kind}s sent")
    attempt = 0
    began = time.time()
    while time.time() < stop_at:
        attempt += 1
        if attempt > 1:
            tally.add(f"{kind} retries (same key)")
        try:
            status, headers, body = browser.request("POST", path, data, files)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
            continue
        location = headers.get("Location", "")
        if (status == 302 and "/accounts/login" not in location) or (
            status == 200 and kind == "comment" and "已收到" in body
        ):
            with tally.lock:
                tally.keys[kind][key] = "acknowledged"
            tally.add(f"{kind}s acknowledged")
            tally.timed("submission", time.time() - began)
            return
        if status in (400, 403, 429) and attempt > 3:
            tally.add(f"{kind} refused {status}")
            return
        time.sleep(0.5)


def citizen(tally: Tally, until: float, grace: float, consultation: int, dept: int, rng):
    while time.time() < until:
        kind = "request" if rng.random() < 0.6 else "comment"
        submit_with_retries(kind, tally, until + grace, consultation, dept)
        time.sleep(rng.uniform(0.5, 1.5) * LOAD["pause"])  # a bounded load


def reader(tally: Tally, until: float, record_ids: list[int], rng):
    """A portal visitor. A read is answered when HTTP 200 arrives within READ_TIMEOUT; a failed
    or slow read is reloaded once after RELOAD_AFTER, as a person would. Each read is counted
    in the phase it began in."""
    browser = Browser(timeout=READ_TIMEOUT)
    while time.time() < until:
        path = rng.choice(
            ["/", "/disclosure/records/", "/policies/", "/search/?q=%E6%94%BF%E5%8A%A1",  # 政务
             f"/disclosure/records/{rng.choice(record_ids)}/"]
        )  # fmt: skip
        phase = tally.phase
        outcome = "reads failed (also after the reload)"
        for attempt in range(2):
            began = time.time()
            try:
                status, _h, _b = browser.request("GET", path)
                why = f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                status, why = 0, type(exc).__name__
            elapsed = time.time() - began
            if status == 200 and elapsed <= READ_TIMEOUT:
                outcome = "reads answered" if attempt == 0 else "reads answered after a reload"
                tally.timed("read", elapsed, phase)
                break
            if status == 200:
                why = f"slower than {READ_TIMEOUT:.0f} s"
            tally.add(f"read error: {why} ({path.split('?')[0].rstrip('0123456789/') or '/'})",
                      phase=phase)  # fmt: skip
            if attempt == 0:
                time.sleep(RELOAD_AFTER)
        tally.add(outcome, phase=phase)
        time.sleep(0.3)


def officer(tally: Tally, until: float, username: str, password: str, queue, queue_lock):
    """An officer on the staff pages: the request list, then receiving a citizen's request and
    asking for a correction (a letter rendered by the worker in .docx and .pdf, mails to the
    citizen) — OFFICER_CASES of them, one every OFFICER_PAUSE seconds."""
    browser = Browser(timeout=60)
    while time.time() < until:
        try:
            status, _h, html = browser.request("GET", "/accounts/login/")
            csrf = _field(html, "csrfmiddlewaretoken")
            status, headers, _b = browser.request(
                "POST",
                "/accounts/login/",
                {"csrfmiddlewaretoken": csrf, "username": username, "password": password},
            )
            if status == 302:
                break
            tally.add(f"officer login refused: HTTP {status}")
        except (OSError, http.client.HTTPException, ValueError) as exc:
            tally.add(f"officer login error: {type(exc).__name__}")
        time.sleep(1)
    else:
        return
    tally.add("officer logins")
    handled = 0
    next_case = time.time()
    while time.time() < until:
        began = time.time()
        try:
            status, headers, _b = browser.request("GET", "/manage/foi/")
        except (OSError, http.client.HTTPException) as exc:
            tally.add(f"officer page error: {type(exc).__name__}")
            time.sleep(0.5)
            continue
        if status == 302 and "/accounts/login" in headers.get("Location", ""):
            tally.add("officer sessions lost")
            return
        if status != 200:
            tally.add(f"officer page error: HTTP {status}")
            time.sleep(0.5)
            continue
        tally.add("officer pages")
        tally.timed("officer page", time.time() - began)
        pk = None
        if handled < OFFICER_CASES and time.time() >= next_case:
            with queue_lock:
                pk = queue.pop(0) if queue else None
        if pk is None:
            time.sleep(1)
            continue
        done = all(
            _officer_action(browser, tally, pk, name, data)
            for name, data in (
                ("receive", {}),
                ("request_correction", {"text": "请补充身份证明的清晰扫描件。", "days": "15"}),
            )
        )
        handled += 1
        next_case = time.time() + OFFICER_PAUSE
        if done:
            with tally.lock:
                tally.handled.append(pk)
            tally.add("requests handled by officers")
        else:
            tally.add("requests officers failed to handle")


def _officer_action(browser: Browser, tally: Tally, pk: int, name: str, data: dict) -> bool:
    """POST one action; retried when no answer came (a 400 after a retry: done the first
    time). Returns whether the action is known to be done."""
    for attempt in range(20):
        began = time.time()
        try:
            status, _headers, _body = browser.request("POST", f"/manage/foi/{pk}/do/{name}/", data)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
            continue
        if status == 302:
            tally.timed("officer action", time.time() - began)
            return True
        if status == 400:
            tally.add(f"officer action {name}: HTTP 400" + (" after a retry" if attempt else ""))
            return attempt > 0
        tally.add(f"officer action {name}: HTTP {status}")
        time.sleep(0.5)
    return False


# --- the run -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ci", action="store_true", help="small fixture and a short run")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the work dir for inspection (the next run removes it)",
    )
    parser.add_argument("--citizens", type=int, default=4, help="citizens submitting at once")
    parser.add_argument("--citizen-pause", type=float, default=1.0,
                        help="mean seconds between one citizen's submissions (0: none)")  # fmt: skip
    args = parser.parse_args(argv)
    LOAD["citizens"], LOAD["pause"] = args.citizens, args.citizen_pause
    seconds = args.seconds or (60 if args.ci else 180)
    scale, records = (0.02, 3000) if args.ci else (1.0, 100_000)
    if os.geteuid() != 0:
        print("集群测试需要 root（ip netns）。", file=sys.stderr)
        return 2
    # One run at a time on a machine (the names and addresses are fixed); a later one waits.
    lock = open(LOCK_FILE, "w")  # noqa: SIM115 (held until the process exits)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"another cluster test is running; waiting for it ({LOCK_FILE})")
        fcntl.flock(lock, fcntl.LOCK_EX)
    remove_leftovers()
    work = Path(tempfile.mkdtemp(prefix="gkc-", dir="/tmp"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C, a CI runner's stop, a closed terminal: all end in the cleanup below (SIGINT too
    # when it was inherited as ignored, as by a background job).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    started = time.time()
    try:
        return run(cluster, work, seconds, scale, records, started)
    except BaseException:
        for path in sorted(cluster.logs.glob("*.log")):  # what each host said last
            lines = path.read_text(errors="replace").splitlines()[-12:]
            print(f"--- {path.name}\n" + "\n".join(line[:300] for line in lines))
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if args.keep:
            print(f"(work dir kept: {work})")
            cluster.work = Path("/nonexistent-kept")
        cluster.cleanup()
        left = [n for n in _netns_names() if n.startswith("gkc-")]
        print(f"cleaned up namespaces and processes ({time.time() - started:.0f} s in all)"
              + (f"; STILL PRESENT: {left}" if left else ""))  # fmt: skip


def _netns_names() -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def remove_leftovers() -> None:
    """What a run that was itself killed (SIGKILL, a lost machine) left behind: its namespaces
    with every process in them, the bridge, and its work directories."""
    stale = [n for n in _netns_names() if n.startswith("gkc-")]
    if stale:
        log(f"removing what an earlier run left: {', '.join(stale)}")
    # Every name this script uses, also links whose namespace name is already gone.
    remove_hosts(sorted(set(stale) | {ns(h) for h in HOSTS}), bridge=True)
    for old in Path("/tmp").glob("gkc-*"):
        if old.is_dir() and (old / "logs").is_dir():
            # A killed postmaster leaves its small System V segment; postmaster.pid names it.
            for pidfile in old.glob("**/postmaster.pid"):
                lines = pidfile.read_text(errors="replace").splitlines()
                if len(lines) >= 7 and len(lines[6].split()) == 2:
                    subprocess.run(["ipcrm", "-m", lines[6].split()[1]], capture_output=True,
                                   check=False)  # fmt: skip
            shutil.rmtree(old, ignore_errors=True)


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(cluster: Cluster, work: Path, seconds: float, scale: float, records: int, t0) -> int:
    results: list[tuple[str, str, bool]] = []

    facts: list[tuple[str, object]] = []  # measured, not checked

    def check(label: str, value, ok: bool) -> None:
        results.append((label, str(value), ok))

    log("network: bridge and namespaces")
    cluster.network()
    for d in ("pg1", "pg2", "sock1", "sock2", "archive", "backups", "shared", "restore", "sockr"):
        (work / d).mkdir()
    for d in ("pg1", "pg2", "sock1", "sock2", "archive", "backups", "restore", "sockr"):
        shutil.chown(work / d, "postgres")
        os.chmod(work / d, 0o700)
    as_pg = ["runuser", "-u", "postgres", "--"]

    log("PostgreSQL primary (deploy/postgresql/primary.conf)")
    cluster.sh(*as_pg, str(PG_BIN / "initdb"), "-D", str(work / "pg1"), "-U", "postgres",
               "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
    archive_cmd = (
        f"GONGKAI_WAL_ARCHIVE={work / 'archive'} {ROOT / 'deploy/postgresql/archive-wal.sh'} %p %f"
    )
    with open(work / "pg1" / "postgresql.conf", "a") as conf:
        conf.write(
            f"include '{ROOT / 'deploy/postgresql/primary.conf'}'\n"
            "# the test machine's sizes and addresses:\n"
            f"listen_addresses = '{ip('db1')}'\nport = 5432\n"
            f"unix_socket_directories = '{work / 'sock1'}'\n"
            "shared_buffers = 128MB\neffective_cache_size = 1GB\nmaintenance_work_mem = 64MB\n"
            "shared_preload_libraries = ''\nmax_connections = 100\n"
            f"archive_command = '{archive_cmd}'\n"
        )
    with open(work / "pg1" / "pg_hba.conf", "a") as hba:
        hba.write(f"host all all {NET}.0/24 trust\nhost replication all {NET}.0/24 trust\n")
    cluster.start("pg1", "db1", [*as_pg, str(PG_BIN / "postgres"), "-D", str(work / "pg1")])
    wait_for(lambda: pg_ready("db1"), "primary", 60)
    psql("db1", "CREATE DATABASE gongkai")
    psql("db1", "CREATE EXTENSION IF NOT EXISTS pg_trgm", db="gongkai")

    log("streaming replica (pg_basebackup -R, deploy/postgresql/replica.conf)")
    cluster.in_ns("db2", *as_pg, str(PG_BIN / "pg_basebackup"), "-h", ip("db1"), "-U",
                  "postgres", "-D", str(work / "pg2"), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
    with open(work / "pg2" / "postgresql.conf", "a") as conf:
        conf.write(
            f"include '{ROOT / 'deploy/postgresql/replica.conf'}'\n"
            f"listen_addresses = '{ip('db2')}'\nunix_socket_directories = '{work / 'sock2'}'\n"
            "shared_buffers = 128MB\neffective_cache_size = 1GB\n"
        )
    start_replica(cluster, work, as_pg)

    log("PgBouncer on the primary's host (deploy/pgbouncer/pgbouncer.ini, transaction pooling)")
    pgbouncer_ini = work / "pgbouncer.ini"
    pgbouncer_ini.write_text(pgbouncer_config(work))
    shutil.chown(pgbouncer_ini, "postgres")
    cluster.start("pgbouncer", "db1", [*as_pg, "pgbouncer", str(pgbouncer_ini)])
    wait_for(lambda: pg_ready("db1", PGBOUNCER_PORT), "pgbouncer", 30)

    log("Redis, SMTP sink")
    start_redis(cluster)
    mail_log = work / "mail.jsonl"
    cluster.start("mail", "mail", [PY, str(Path(__file__).with_name("smtp_sink.py")),
                                   ip("mail"), "2525", str(mail_log)])  # fmt: skip

    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")},
        "GONGKAI_ENV": "test",
        "SECRET_KEY": "cluster-test-" + uuid.uuid4().hex,
        # Through PgBouncer, as deploy/pgbouncer describes; the replica directly.
        "DATABASE_URL": f"postgres://postgres@{ip('db1')}:{PGBOUNCER_PORT}/gongkai",
        "GONGKAI_PGBOUNCER": "true",
        "DATABASE_REPLICA_URLS": f"postgres://postgres@{ip('db2')}:5432/gongkai",
        "REDIS_URL": f"redis://{ip('redis')}:6379/0",
        "GONGKAI_MEDIA_DIR": str(work / "shared" / "media"),
        "GONGKAI_PRIVATE_DIR": str(work / "shared" / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": ip("mail"),
        "EMAIL_PORT": "2525",
        "GONGKAI_CAPTCHA_ENABLED": "false",  # test-only switches (refused in production)
        "GONGKAI_RATE_LIMIT_ENABLED": "false",
        "GONGKAI_TRUSTED_PROXY": "true",
        "GONGKAI_METRICS_ALLOW": f"{NET}.1/32",  # the monitoring host: here, the test's host
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }

    def node_env(name: str) -> dict:
        data = work / f"{name}-data"
        data.mkdir(exist_ok=True)
        # XDG_RUNTIME_DIR: each node's own (gunicorn's control socket), as on separate machines
        return {**env, "GONGKAI_DATA_DIR": str(data), "XDG_RUNTIME_DIR": str(data)}

    gongkai = str(VENV_BIN / "gongkai")
    # The nodes run as gongkai-web.service runs them: gunicorn with deploy/gunicorn.conf.py,
    # sized for this machine (NODE_WORKERS × NODE_THREADS), HAProxy's maxconn per node to match.
    node_cmd = [str(VENV_BIN / "gunicorn"), "config.wsgi:application",
                "-c", str(ROOT / "deploy/gunicorn.conf.py")]  # fmt: skip
    log("two app nodes start on an empty database: not ready until `gongkai migrate`")
    for name in ("app1", "app2"):
        cluster.start(name, name, node_cmd, env={
            **node_env(name), "GONGKAI_BIND": f"{ip(name)}:8000", "GONGKAI_LB_ADDRESSES": ip("lb"),
            "GUNICORN_WORKERS": str(NODE_WORKERS), "GUNICORN_THREADS": str(NODE_THREADS)})  # fmt: skip
    for name in ("app1", "app2"):
        wait_for(lambda n=name: http_status(ip(n), 8000, "/healthz") == 200, f"{name} up", 180,
                 proc=cluster.procs[name])  # fmt: skip
    not_ready = [http_status(ip(n), 8000, "/readyz") for n in ("app1", "app2")]
    check("nodes not ready before migrate (/readyz)", not_ready, not_ready == [503, 503])
    migrations = [
        subprocess.Popen(["ip", "netns", "exec", ns(n), gongkai, "migrate", "--verbosity", "0"],
                         env=node_env(n), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for n in ("app1", "app2")
    ]  # fmt: skip
    codes = [m.wait(timeout=900) for m in migrations]
    check("two concurrent `gongkai migrate` runs", codes, codes == [0, 0])
    ready = wait_for(
        lambda: all(http_status(ip(n), 8000, "/readyz") == 200 for n in ("app1", "app2")),
        "nodes ready",
        60,
    )
    check("nodes ready after migrate (/readyz)", "200, 200", ready)

    log(f"province fixture (scale {scale}, {records:,} records)")
    cluster.in_ns("app1", gongkai, "demo", "--province", "--scale", str(scale), "--records",
                  str(records), env=node_env("app1"), timeout=3600)  # fmt: skip
    base = work / "backups"
    log("base backup for the restore check (deploy/postgresql/base-backup.sh)")
    cluster.sh(*as_pg, str(ROOT / "deploy/postgresql/base-backup.sh"),
               f"postgres://postgres@{ip('db1')}/", str(base))  # fmt: skip

    worker_cmd = [gongkai, "worker", "--interval", "0.5"]
    cluster.start("worker", "worker", worker_cmd, env=node_env("worker"))
    lb_env = {**env, "GONGKAI_LB_BIND_V4": ip("lb"), "GONGKAI_LB_BIND_V6": "::1",
              "GONGKAI_LB_PORT": "80", "GONGKAI_APP1": f"{ip('app1')}:8000",
              "GONGKAI_APP2": f"{ip('app2')}:8000",
              "GONGKAI_NODE_MAXCONN": str(NODE_WORKERS * NODE_THREADS)}  # fmt: skip
    cluster.sh("haproxy", "-c", "-q", "-f", str(ROOT / "deploy/haproxy/haproxy.cfg"), env=lb_env)
    cluster.start("lb", "lb", ["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy/haproxy.cfg")],
                  env=lb_env)  # fmt: skip
    if not wait_for(lambda: http_status(ip("lb"), 80, "/", SITE) == 200, "lb", 90, fail=False):
        raise RuntimeError("the load balancer does not answer")

    consultation = int(psql("db1", "SELECT id FROM participation_consultation ORDER BY id LIMIT 1",
                            db="gongkai"))  # fmt: skip
    province = int(psql("db1", "SELECT id FROM orgs_organisation WHERE slug='sd'", db="gongkai"))
    dept = int(psql("db1", f"SELECT min(id) FROM orgs_organisation WHERE parent_id={province}",
                    db="gongkai"))  # fmt: skip
    record_ids = [int(x) for x in psql(
        "db1", f"SELECT id FROM catalog_record WHERE government_id={province} LIMIT 200",
        db="gongkai").split()]  # fmt: skip

    # Warm-up, as before a node takes traffic: each page kind a few times on each node, so the
    # first measured reads do not pay for the processes' first imports and template compiles.
    warm = ["/", "/disclosure/records/", "/policies/", "/search/?q=%E6%94%BF%E5%8A%A1", "/foi/",
            f"/participation/consultations/{consultation}/", "/accounts/login/",
            *[f"/disclosure/records/{pk}/" for pk in record_ids[:3]]]  # fmt: skip
    log(f"warm-up: {len(warm)} pages × 4 on each node")
    for name in ("app1", "app2"):
        for _round in range(4):
            for path in warm:
                http_status(ip(name), 8000, path, SITE, timeout=30)

    tally = Tally()
    until = time.time() + seconds
    grace = 60
    queue: list[int] = []
    taken: set[int] = set()
    queue_lock = threading.Lock()
    threads = [threading.Thread(target=citizen, args=(tally, until, grace, consultation, dept,
                                random.Random(i)), daemon=True) for i in range(LOAD["citizens"])]  # fmt: skip
    threads += [threading.Thread(target=reader, args=(tally, until, record_ids, random.Random(100 + i)),
                                 daemon=True) for i in range(3)]  # fmt: skip
    threads += [threading.Thread(target=officer, args=(tally, until, "office-sd",
                "province-demo-pw-2026", queue, queue_lock), daemon=True) for _ in range(2)]  # fmt: skip
    log(
        f"load through HAProxy for {seconds:.0f} s: {LOAD['citizens']} citizens (one submission "
        f"each per ~{LOAD['pause']:g} s), 3 readers, 2 officers"
    )
    tally.set_phase("normal")
    for t in threads:
        t.start()

    def fill_queue():
        rows = psql("db1", f"SELECT id FROM foi_inforequest WHERE state='submitted' AND "
                    f"government_id={province} ORDER BY id", db="gongkai").split()  # fmt: skip
        with queue_lock:
            fresh = [int(r) for r in rows if int(r) not in taken]
            taken.update(fresh)  # each request is given to one officer once
            queue.extend(fresh)

    killed_task: list[str] = []

    def kill_worker_mid_task() -> None:
        """SIGKILL the worker while it runs a task (waiting up to 20 s for one to run)."""
        deadline = time.time() + 20
        running = ""
        while not running and time.time() < deadline:
            running = psql("db1", "SELECT id || ' ' || task_path || ' ' || (args_kwargs->'args')::text "
                           "FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' LIMIT 1",
                           db="gongkai")  # fmt: skip
            if not running:
                time.sleep(0.1)
        cluster.kill("worker")
        killed_task.append(running)
        log(f"  … the task it was running: {running.split(' ', 1)[-1] if running else 'none'}")

    timeline = [
        (0.15, "app1 killed (SIGKILL)", lambda: cluster.kill("app1")),
        (0.30, "worker killed (SIGKILL) while running a task", kill_worker_mid_task),
        (0.40, "worker restarted", lambda: cluster.start("worker", "worker", worker_cmd,
                                                         env=node_env("worker"))),
        (0.50, "Redis restarted (SIGKILL, start)", lambda: (cluster.kill("redis"), start_redis(cluster))),
        (0.65, "replica stopped", lambda: cluster.kill("pg2", signal.SIGINT)),
        (0.85, "replica started again", lambda: start_replica(cluster, work, as_pg, wait=False)),
    ]  # fmt: skip
    begin = time.time()
    for at, label, action in timeline:
        while time.time() < begin + at * seconds:
            fill_queue()
            time.sleep(1)
        log(label)
        tally.set_phase(label)
        action()
    while time.time() < until:
        fill_queue()
        time.sleep(1)
    tally.set_phase("after the load")
    for t in threads:
        t.join(timeout=grace + 120)
    log("load done; waiting for the task queue to drain (retries included)")
    drained = wait_for(lambda: int(psql("db1", "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                       "WHERE status IN ('READY', 'RUNNING')", db="gongkai")) == 0,
                       "task queue", 150, fail=False)  # fmt: skip

    # --- what must hold -------------------------------------------------------------------------
    for kind, table in (("request", "foi_inforequest"), ("comment", "participation_comment")):
        keys = tally.keys[kind]
        acked = {k for k, v in keys.items() if v == "acknowledged"}
        rows = psql("db1", f"SELECT idempotency_key::text FROM {table} WHERE idempotency_key IS NOT NULL",
                    db="gongkai").split()  # fmt: skip
        stored = Counter(r.replace("-", "") for r in rows)
        ours = {k: stored.get(k.replace("-", ""), 0) for k in keys}
        dupes = sum(1 for n in ours.values() if n > 1)
        missing = [k for k in acked if ours[k] != 1]
        retries = tally.get("all", f"{kind} retries (same key)")
        check(f"{kind}s sent / acknowledged / stored (retries with the same key)",
              f"{len(keys)} / {len(acked)} / {sum(1 for n in ours.values() if n)} ({retries})",
              not missing and dupes == 0 and len(acked) > 0)  # fmt: skip
        check(f"{kind}s acknowledged but not stored / stored twice", f"{len(missing)} / {dupes}",
              not missing and dupes == 0)  # fmt: skip

    redis_at = tally.phases.index("Redis restarted (SIGKILL, start)")
    pages_after = sum(tally.get(p, "officer pages") for p in tally.phases[redis_at:])
    lost = tally.get("all", "officer sessions lost")
    check("officer sessions lost / staff pages served after the Redis restart", f"{lost} / {pages_after}",
          lost == 0 and pages_after > 0)  # fmt: skip
    handled = list(tally.handled)
    check("officers: requests handled (received, correction asked) / failed",
          f"{len(handled)} / {tally.get('all', 'requests officers failed to handle')}",
          len(handled) > 0 and tally.get("all", "requests officers failed to handle") == 0)  # fmt: skip

    # Tasks: every task enqueued (a retry is the same task again) completed; its effect once.
    check("task queue drained (retries included, within 150 s)", drained, bool(drained))
    tasks = json.loads(psql("db1", "SELECT coalesce(json_agg(json_build_object('id', id, 'path', "
                            "task_path, 'args', args_kwargs, 'status', status, 'exc', "
                            "exception_class_path)), '[]') FROM django_tasks_database_dbtaskresult",
                            db="gongkai"))  # fmt: skip
    logical: dict[tuple, list[dict]] = {}
    for t in tasks:
        kwargs = {k: v for k, v in (t["args"].get("kwargs") or {}).items() if k != "attempt"}
        key = (t["path"].rsplit(".", 1)[-1], json.dumps(t["args"].get("args")),
               json.dumps(kwargs, sort_keys=True))  # fmt: skip
        logical.setdefault(key, []).append(t)
    completed = [k for k, runs in logical.items() if any(r["status"] == "SUCCESSFUL" for r in runs)]
    failed_runs = Counter(t["exc"].rsplit(".", 1)[-1] for t in tasks if t["status"] == "FAILED")
    kinds = Counter(k[0] for k in logical)
    check("tasks enqueued / completed (by task) — failed runs retried",
          f"{len(logical)} / {len(completed)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
          f" — {sum(failed_runs.values())} {dict(failed_runs) or ''}",
          len(logical) > 0 and len(completed) == len(logical))  # fmt: skip
    in_flight = killed_task[0].split(" ", 1) if killed_task and killed_task[0] else None
    if in_flight:
        status, runs = psql("db1", "SELECT status, jsonb_array_length(worker_ids) FROM "
                            f"django_tasks_database_dbtaskresult WHERE id = '{in_flight[0]}'",
                            db="gongkai").split("|")  # fmt: skip
        check("the task the worker was killed in: taken up again (workers that ran it), status",
              f"{in_flight[1]} ({runs}) → {status}", status == "SUCCESSFUL" and int(runs) >= 2)  # fmt: skip
    else:
        check("the task the worker was killed in", "no task was running within 20 s", False)

    ids = ",".join(str(pk) for pk in handled) or "0"
    letters = psql(
        "db1", f"SELECT id FROM foi_letter WHERE request_id IN ({ids})", db="gongkai"
    ).split()
    docs = json.loads(psql("db1", "SELECT coalesce(json_agg(json_build_object('key', key, 'fmt', fmt, "
                           "'file', file)), '[]') FROM core_generateddocument WHERE kind = 'foi.letter'",
                           db="gongkai"))  # fmt: skip
    private = work / "shared" / "private"
    expected = {(pk, fmt) for pk in letters for fmt in ("docx", "pdf")}
    found = Counter((d["key"], d["fmt"]) for d in docs)
    on_disk = [p for p in (private / "documents").rglob("*") if p.is_file()]
    pdfs_ok = all((private / d["file"]).read_bytes()[:5] == b"%PDF-" for d in docs
                  if d["fmt"] == "pdf" and (private / d["file"]).is_file())  # fmt: skip
    check("letters of handled requests / stored documents (docx+pdf) / files in shared storage",
          f"{len(letters)} / {len(docs)} / {len(on_disk)}",
          len(letters) >= len(handled) > 0 and set(found) == expected
          and all(n == 1 for n in found.values()) and len(on_disk) == len(docs)
          and all((private / d["file"]).is_file() for d in docs) and pdfs_ok)  # fmt: skip
    outbox = psql("db1", "SELECT message_id, sent_at IS NOT NULL FROM core_outboundmail",
                  db="gongkai").split()  # fmt: skip
    sent = {line.split("|")[0] for line in outbox if line.endswith("|t")}
    sink = (
        [json.loads(line) for line in mail_log.read_text().splitlines()]
        if mail_log.exists()
        else []
    )
    delivered = Counter(m["message_id"] for m in sink)
    check("mails queued / sent / in the SMTP sink (distinct Message-IDs)",
          f"{len(outbox)} / {len(sent)} / {len(delivered)}",
          len(outbox) > 0 and len(sent) == len(outbox) and set(delivered) == sent)  # fmt: skip
    # SMTP has one window no sender can close: killed after the server took the message, before
    # the outbox row was marked sent. The retry repeats the same Message-ID (receivers drop it),
    # and only the mail whose delivery the worker was killed in may be in the sink twice.
    repeat_ok = set()
    if in_flight and in_flight[1].startswith("gongkai.core.tasks.deliver_mail "):
        mail_id = int(json.loads(in_flight[1].split(" ", 1)[1])[0])
        repeat_ok.add(psql("db1", f"SELECT message_id FROM core_outboundmail WHERE id = {mail_id}",
                           db="gongkai"))  # fmt: skip
    repeated = {m for m, n in delivered.items() if n > 1}
    check("mails in the sink twice (same Message-ID) / of them the one the worker was killed in",
          f"{len(repeated)} / {len(repeated & repeat_ok)}", repeated <= repeat_ok)  # fmt: skip

    fault_phases = tally.phases[: tally.phases.index("after the load")]
    for phase in fault_phases:
        first = tally.get(phase, "reads answered")
        reloaded = tally.get(phase, "reads answered after a reload")
        failed = tally.get(phase, "reads failed (also after the reload)")
        check(f"reads during «{phase}»: answered / after a reload / failed",
              f"{first} / {reloaded} / {failed}", first + reloaded > 0 and failed == 0)  # fmt: skip

    try:
        stats = haproxy_stats()
    except (OSError, http.client.HTTPException, KeyError) as exc:
        stats = {}
        check("HAProxy statistics (http://lb:8404/stats;csv)", repr(exc), False)
    empty: dict[str, str] = {}
    app1, app2 = stats.get("app1", empty), stats.get("app2", empty)
    backend = stats.get("BACKEND", empty)
    check("app1 (killed) taken out by the health check: status, times marked down",
          f"{app1.get('status')}, {app1.get('chkdown')}", app1.get("status") == "DOWN" and int(app1.get("chkdown") or 0) >= 1)  # fmt: skip
    check("app2 (the survivor) kept in the pool: status, times marked down, failed checks",
          f"{app2.get('status')}, {app2.get('chkdown')}, {app2.get('chkfail')}",
          app2.get("status") == "UP" and app2.get("chkdown") == "0")  # fmt: skip
    facts.append(("HAProxy: requests retried / redispatched to the other node",
                  f"{backend.get('wretr')} / {backend.get('wredis')}"))  # fmt: skip
    facts.append(("HAProxy: most requests queued at the balancer (maxconn per node reached)",
                  backend.get("qmax")))  # fmt: skip
    facts.append(("HAProxy: connection / response errors",
                  f"{backend.get('econ') or 0} / {backend.get('eresp') or 0}"))  # fmt: skip

    try:
        xacts = pgbouncer_transactions()
        check(
            "transactions the nodes ran through PgBouncer (transaction pooling)", xacts, xacts > 0
        )
    except subprocess.SubprocessError as exc:
        check(
            "transactions the nodes ran through PgBouncer (transaction pooling)", repr(exc), False
        )

    metrics = node_metrics("app2")
    check(
        "/metrics of app2: ready / replica up / tasks failed; through HAProxy",
        f"{metrics.get('gongkai_ready')} / {metrics.get('gongkai_replica_up')} / "
        f"{metrics.get('gongkai_tasks{FAILED}', 0)}; {http_status(ip('lb'), 80, '/metrics', SITE)}",
        metrics.get("gongkai_ready") == 1
        and metrics.get("gongkai_tasks{FAILED}", 0) == 0
        and http_status(ip("lb"), 80, "/metrics", SITE) == 403,
    )

    log("replica catching up")
    caught = wait_for(lambda: replica_caught_up(), "replica caught up", 120, fail=False)
    n_primary = psql("db1", "SELECT count(*) FROM foi_inforequest", db="gongkai")
    n_replica = psql("db2", "SELECT count(*) FROM foi_inforequest", db="gongkai") if caught else "?"
    check("replica caught up (requests on primary / replica)", f"{n_primary} / {n_replica}",
          bool(caught) and n_primary == n_replica)  # fmt: skip

    log("point-in-time restore from the base backup and the WAL archive")
    last = psql("db1", "SELECT pg_walfile_name(pg_switch_wal())")  # the segment just closed
    wait_for(lambda: (work / "archive" / last).exists(), "archived WAL", 120, fail=False)
    stamp = sorted(p for p in base.iterdir() if p.is_dir())[-1]
    cluster.sh(*as_pg, str(ROOT / "deploy/postgresql/restore.sh"), str(stamp), str(work / "archive"),
               str(work / "restore" / "data"))  # fmt: skip
    with open(work / "restore" / "data" / "postgresql.auto.conf", "a") as conf:
        conf.write(f"listen_addresses = ''\nport = 5499\nunix_socket_directories = '{work / 'sockr'}'\n"
                   "archive_mode = off\n")  # fmt: skip
    cluster.start(
        "pg-restore",
        "db1",
        [*as_pg, str(PG_BIN / "postgres"), "-D", str(work / "restore" / "data")],
    )
    restored = wait_for(lambda: restore_count(work) is not None, "restored server", 180, fail=False)
    n_restored = restore_count(work) if restored else "?"
    check("restored database: requests (primary / restored)", f"{n_primary} / {n_restored}",
          str(n_restored) == n_primary)  # fmt: skip

    # --- the tables -----------------------------------------------------------------------------
    print()
    print(f"cluster test: {seconds:.0f} s of load, {time.time() - t0:.0f} s in all; a read is "
          f"answered when HTTP 200 arrives within {READ_TIMEOUT:.0f} s, a failed read is reloaded "
          f"once after {RELOAD_AFTER:.0f} s")  # fmt: skip
    print()
    print("| phase (from) | reads answered / after a reload / failed | read s p50 / p95 / max "
          "| submissions acknowledged | officer pages |")  # fmt: skip
    print("|---|---|---|---|---|")
    for phase in tally.phases:
        reads = " / ".join(
            str(tally.get(phase, w))
            for w in (
                "reads answered",
                "reads answered after a reload",
                "reads failed (also after the reload)",
            )
        )
        acked = tally.get(phase, "requests acknowledged") + tally.get(
            phase, "comments acknowledged"
        )
        print(f"| {phase} | {reads} | {tally.latency(phase, 'read')} | {acked} "
              f"| {tally.get(phase, 'officer pages')} |")  # fmt: skip
    print()
    print("| event (whole run) | count | s p50 / p95 / max |")
    print("|---|---|---|")
    for (phase, what), n in sorted(tally.counts.items()):
        if phase == "all":
            print(f"| {what} | {n} | |")
    for what, value in facts:
        print(f"| {what} | {value} | |")
    for what in ("submission", "officer page", "officer action"):
        print(f"| {what} latency | {len(tally.times.get(('all', what), []))} "
              f"| {tally.latency('all', what)} |")  # fmt: skip
    failed_reads = tally.get("all", "reads failed (also after the reload)")
    if failed_reads or tally.get("all", "reads answered after a reload"):
        lines = (cluster.logs / "lb.log").read_text(errors="replace").splitlines()
        errors = [line for line in lines if re.search(r" (5\d\d|-1) \d+ ", line)]
        print(f"\nHAProxy's log of the {len(errors)} requests answered 5xx or not at all "
              "(termination state: sQ = queue timeout, SC = refused, SH = node died):")  # fmt: skip
        for line in errors[:15]:
            print("   ", line[:240])
    print()
    print("| check | found | result |")
    print("|---|---|---|")
    for label, value, ok in results:
        print(f"| {label} | {value} | {'PASS' if ok else 'FAIL'} |")
    passed = sum(ok for *_x, ok in results)
    failed = len(results) - passed
    print(f"\n{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


# --- helpers -------------------------------------------------------------------------------------


def wait_for(predicate, what: str, seconds: float, fail: bool = True, proc=None):
    """Poll predicate until true; False (or an error when fail) after `seconds`, or at once
    when `proc`, the process that should make it true, has exited."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited ({proc.returncode})")
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(0.5)
    if fail:
        raise RuntimeError(f"timed out waiting for {what}")
    return False


def psql(host: str, sql: str, db: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", ip(host), "-U", "postgres", "-d", db, "-XAtqc", sql],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return result.stdout.strip()


def pg_ready(host: str, port: int = 5432) -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", ip(host), "-p", str(port)], check=False
        ).returncode
        == 0
    )


def pgbouncer_config(work: Path) -> str:
    """deploy/pgbouncer/pgbouncer.ini with this machine's addresses and trust auth: its pool
    mode and sizes are the deployment's own. (PgBouncer's %include cannot be used: the
    included [pgbouncer] settings do not survive a second [pgbouncer] section.)"""
    users = work / "pgbouncer-users.txt"
    users.write_text('"postgres" ""\n')
    shutil.chown(users, "postgres")
    ours = {
        "listen_addr": ip("db1"),
        "listen_port": str(PGBOUNCER_PORT),
        "auth_type": "trust",
        "auth_file": str(users),
        "admin_users": "postgres",
        "unix_socket_dir": "",
        "logfile": "",
        "pidfile": "",
    }
    out, section = [], ""
    for line in (ROOT / "deploy/pgbouncer/pgbouncer.ini").read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            if section == "pgbouncer":
                out += [f"{k} = {v}" for k, v in ours.items()]
            section = stripped.strip("[]")
            out.append(line)
            if section == "databases":
                out.append(f"gongkai = host={ip('db1')} port=5432 dbname=gongkai")
            continue
        key = stripped.split("=", 1)[0].strip()
        if section == "databases" and key and not key.startswith(";"):
            continue  # the deployment's hosts: replaced above
        if section == "pgbouncer" and key in ours:
            continue
        out.append(line)
    if section == "pgbouncer":
        out += [f"{k} = {v}" for k, v in ours.items()]
    return "\n".join(out) + "\n"


def pgbouncer_transactions() -> int:
    """Transactions PgBouncer has passed to the gongkai database (its SHOW STATS)."""
    result = subprocess.run(
        ["psql", "-h", ip("db1"), "-p", str(PGBOUNCER_PORT), "-U", "postgres", "-d", "pgbouncer",
         "-XAtc", "SHOW STATS"],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    for row in result.stdout.split("\n"):
        cells = row.split("|")
        if cells[0] == "gongkai":
            return int(cells[1])  # total_xact_count
    return 0


def start_replica(cluster: Cluster, work: Path, as_pg: list[str], wait: bool = True) -> None:
    cluster.start("pg2", "db2", [*as_pg, str(PG_BIN / "postgres"), "-D", str(work / "pg2")])
    if wait:
        wait_for(lambda: pg_ready("db2"), "replica", 60)


def start_redis(cluster: Cluster) -> None:
    cluster.start("redis", "redis", ["redis-server", str(ROOT / "deploy/redis/redis.conf"),
                  "--bind", ip("redis"), "--maxmemory", "256mb", "--daemonize", "no"])  # fmt: skip
    wait_for(lambda: subprocess.run(["redis-cli", "-h", ip("redis"), "ping"], capture_output=True,
             check=False).stdout.strip() == b"PONG", "redis", 30)  # fmt: skip


def http_status(
    host: str, port: int, path: str, host_header: str = "localhost", timeout: float = 5
) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host_header})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def node_metrics(name: str) -> dict[str, float]:
    """A node's /metrics (gongkai.core.metrics) as {name or name{status}: value}; {} if none."""
    conn = http.client.HTTPConnection(ip(name), 8000, timeout=10)
    try:
        conn.request("GET", "/metrics")
        response = conn.getresponse()
        text = response.read().decode()
        if response.status != 200:
            return {}
    except (OSError, http.client.HTTPException):
        return {}
    finally:
        conn.close()
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        key, value = line.rsplit(" ", 1)
        if 'status="' in key:
            key = key.split("{")[0] + "{" + key.split('status="')[1].split('"')[0] + "}"
        else:
            key = key.split("{")[0]
        found[key] = float(value)
    return found


def haproxy_stats() -> dict[str, dict[str, str]]:
    """The gongkai backend's rows of HAProxy's CSV statistics, by server name (and BACKEND)."""
    conn = http.client.HTTPConnection(ip("lb"), 8404, timeout=10)
    try:
        conn.request("GET", "/stats;csv")
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    lines = text.lstrip("# ").splitlines()
    rows = csv.DictReader(lines)
    return {row["svname"]: row for row in rows if row["pxname"] == "gongkai"}


def replica_caught_up() -> bool:
    primary = psql("db1", "SELECT pg_current_wal_lsn()")
    return psql("db2", f"SELECT pg_last_wal_replay_lsn() >= '{primary}'::pg_lsn") == "t"


def restore_count(work: Path):
    result = subprocess.run(
        ["psql", "-h", str(work / "sockr"), "-p", "5499", "-U", "postgres", "-d", "gongkai",
         "-XAtqc", "SELECT pg_is_in_recovery(), count(*) FROM foi_inforequest"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        return None
    recovering, count = result.stdout.strip().split("|")
    return None if recovering == "t" else count


if __name__ == "__main__":
    sys.exit(main())
