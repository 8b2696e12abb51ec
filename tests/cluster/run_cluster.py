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
        for name in self.made_ns:
            subprocess.run(["ip", "netns", "pids", name], capture_output=True, check=False)
            pids = subprocess.run(
                ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
            ).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        if self.bridge:
            subprocess.run(["ip", "link", "del", BRIDGE], capture_output=True, check=False)
        shutil.rmtree(self.work, ignore_errors=True)


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


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.phase = "warm-up"
        self.keys: dict[str, dict[str, str]] = {"request": {}, "comment": {}}

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[(self.phase, what)] += n
            self.counts[("all", what)] += n


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
    tally.add(f"{kind} sent")
    attempt = 0
    while time.time() < stop_at:
        attempt += 1
        if attempt > 1:
            tally.add(f"{kind} retries")
        try:
            status, _headers, body = browser.request("POST", path, data, files)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
            continue
        if status == 302 or (status == 200 and kind == "comment" and "已收到" in body):
            with tally.lock:
                tally.keys[kind][key] = "acknowledged"
            tally.add(f"{kind} acknowledged")
            return
        if status in (400, 403, 429) and attempt > 3:
            tally.add(f"{kind} refused {status}")
            return
        time.sleep(0.5)


def citizen(tally: Tally, until: float, grace: float, consultation: int, dept: int, rng):
    while time.time() < until:
        kind = "request" if rng.random() < 0.6 else "comment"
        submit_with_retries(kind, tally, until + grace, consultation, dept)


def reader(tally: Tally, until: float, record_ids: list[int], rng):
    browser = Browser(timeout=10)
    while time.time() < until:
        path = rng.choice(
            ["/", "/disclosure/records/", "/policies/", "/search/?q=%E6%94%BF%E5%8A%A1",  # 政务
             f"/disclosure/records/{rng.choice(record_ids)}/"]
        )  # fmt: skip
        for attempt in range(2):  # a visitor reloads once
            try:
                status, _h, _b = browser.request(
                    "GET", path.replace("政务公开工作", "%E6%94%BF%E5%8A%A1")
                )
            except (OSError, http.client.HTTPException):
                status = 0
            if status in (200, 404):
                tally.add("reads answered")
                break
            tally.add("read errors (before reload)")
            tally.add(f"read error: HTTP {status or 'no answer'}")
            if attempt == 1:
                tally.add("reads failed")
            time.sleep(0.2)
        time.sleep(0.3)


def officer(tally: Tally, until: float, username: str, password: str, queue, queue_lock):
    browser = Browser(timeout=120)
    while True:
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
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(1)
    tally.add("officer logins")
    handled = 0
    while time.time() < until:
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
        with queue_lock:
            pk = queue.pop() if queue and handled < 3 else None
        if pk is None:
            time.sleep(1)
            continue
        for name, data in (
            ("receive", {}),
            ("request_correction", {"text": "请补充身份证明的清晰扫描件。", "days": "15"}),
        ):
            for _ in range(20):
                try:
                    status, headers, _body = browser.request(
                        "POST", f"/manage/foi/{pk}/do/{name}/", {**data}
                    )
                except (OSError, http.client.HTTPException):
                    time.sleep(0.5)
                    continue
                if status in (302, 400):  # done, or refused as already done (a retry)
                    break
                time.sleep(0.5)
        handled += 1
        tally.add("requests handled by officers")


# --- the run -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ci", action="store_true", help="small fixture and a short run")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--keep", action="store_true", help="leave the work dir for inspection")
    args = parser.parse_args(argv)
    seconds = args.seconds or (60 if args.ci else 180)
    scale, records = (0.02, 3000) if args.ci else (1.0, 100_000)
    if os.geteuid() != 0:
        print("集群测试需要 root（ip netns）。", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="gkc-", dir="/tmp"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    started = time.time()
    try:
        return run(cluster, work, seconds, scale, records, started)
    except BaseException:
        for path in sorted(cluster.logs.glob("*.log")):  # what each host said last
            lines = path.read_text(errors="replace").splitlines()[-12:]
            print(f"--- {path.name}\n" + "\n".join(line[:300] for line in lines))
        raise
    finally:
        if args.keep:
            print(f"(work dir kept: {work})")
            cluster.work = Path("/nonexistent-kept")
        cluster.cleanup()
        print(f"cleaned up namespaces and processes ({time.time() - started:.0f} s in all)")


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(cluster: Cluster, work: Path, seconds: float, scale: float, records: int, t0) -> int:
    results: list[tuple[str, str, bool]] = []

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

    log("Redis, SMTP sink")
    start_redis(cluster)
    mail_log = work / "mail.jsonl"
    cluster.start("mail", "mail", [PY, str(Path(__file__).with_name("smtp_sink.py")),
                                   ip("mail"), "2525", str(mail_log)])  # fmt: skip

    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")},
        "GONGKAI_ENV": "test",
        "SECRET_KEY": "cluster-test-" + uuid.uuid4().hex,
        "DATABASE_URL": f"postgres://postgres@{ip('db1')}:5432/gongkai",
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
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }

    def node_env(name: str) -> dict:
        data = work / f"{name}-data"
        data.mkdir(exist_ok=True)
        return {**env, "GONGKAI_DATA_DIR": str(data)}

    gongkai = str(VENV_BIN / "gongkai")
    log("two app nodes start on an empty database: not ready until `gongkai migrate`")
    for name in ("app1", "app2"):
        cluster.start(name, name, [gongkai, "serve", "--host", ip(name), "--port", "8000",
                                   "--workers", "2", "--no-worker"], env=node_env(name))  # fmt: skip
    for name in ("app1", "app2"):
        wait_for(lambda n=name: http_status(ip(n), 8000, "/healthz") == 200, f"{name} up", 180)
    not_ready = [http_status(ip(n), 8000, "/readyz") for n in ("app1", "app2")]
    check("nodes not ready before migrate (/readyz)", not_ready, not_ready == [503, 503])
    migrations = [
        subprocess.Popen(["ip", "netns", "exec", ns(n), gongkai, "migrate", "--verbosity", "0"],
                         env=node_env(n), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for n in ("app1", "app2")
    ]  # fmt: skip
    codes = [m.wait(timeout=900) for m in migrations]
    check("two concurrent `gongkai migrate` runs", codes, codes == [0, 0])
    wait_for(
        lambda: all(http_status(ip(n), 8000, "/readyz") == 200 for n in ("app1", "app2")),
        "nodes ready",
        60,
    )
    check("nodes ready after migrate", "200, 200", True)

    log(f"province fixture (scale {scale}, {records:,} records)")
    cluster.in_ns("app1", gongkai, "demo", "--province", "--scale", str(scale), "--records",
                  str(records), env=node_env("app1"), timeout=3600)  # fmt: skip
    base = work / "backups"
    log("base backup for the restore check (deploy/postgresql/base-backup.sh)")
    cluster.sh(*as_pg, str(ROOT / "deploy/postgresql/base-backup.sh"),
               f"postgres://postgres@{ip('db1')}/", str(base))  # fmt: skip

    cluster.start(
        "worker", "worker", [gongkai, "worker", "--interval", "0.5"], env=node_env("worker")
    )
    lb_env = {**env, "GONGKAI_LB_BIND_V4": ip("lb"), "GONGKAI_LB_BIND_V6": "::1",
              "GONGKAI_LB_PORT": "80", "GONGKAI_APP1": f"{ip('app1')}:8000",
              "GONGKAI_APP2": f"{ip('app2')}:8000"}  # fmt: skip
    cluster.sh("haproxy", "-c", "-q", "-f", str(ROOT / "deploy/haproxy/haproxy.cfg"), env=lb_env)
    cluster.start("lb", "lb", ["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy/haproxy.cfg")],
                  env=lb_env)  # fmt: skip
    if not wait_for(lambda: http_status(ip("lb"), 80, "/", SITE) == 200, "lb", 90, fail=False):
        for target, port in ((ip("app1"), 8000), (ip("lb"), 80)):
            began = time.time()
            try:
                conn = http.client.HTTPConnection(target, port, timeout=30)
                conn.request("GET", "/", headers={"Host": SITE})
                response = conn.getresponse()
                print(target, response.status, response.getheaders(), response.read()[:300])
            except Exception as exc:
                print(target, "error", repr(exc), f"{time.time() - began:.1f} s")
        raise RuntimeError("the load balancer does not answer")

    consultation = int(psql("db1", "SELECT id FROM participation_consultation ORDER BY id LIMIT 1",
                            db="gongkai"))  # fmt: skip
    province = int(psql("db1", "SELECT id FROM orgs_organisation WHERE slug='sd'", db="gongkai"))
    dept = int(psql("db1", f"SELECT min(id) FROM orgs_organisation WHERE parent_id={province}",
                    db="gongkai"))  # fmt: skip
    record_ids = [int(x) for x in psql(
        "db1", f"SELECT id FROM catalog_record WHERE government_id={province} LIMIT 200",
        db="gongkai").split()]  # fmt: skip

    tally = Tally()
    until = time.time() + seconds
    grace = 60
    queue: list[int] = []
    queue_lock = threading.Lock()
    threads = [threading.Thread(target=citizen, args=(tally, until, grace, consultation, dept,
                                random.Random(i))) for i in range(4)]  # fmt: skip
    threads += [threading.Thread(target=reader, args=(tally, until, record_ids, random.Random(100 + i)))
                for i in range(3)]  # fmt: skip
    threads += [threading.Thread(target=officer, args=(tally, until, "office-sd",
                "province-demo-pw-2026", queue, queue_lock)) for _ in range(2)]  # fmt: skip
    log(f"load through HAProxy for {seconds:.0f} s: 4 citizens, 3 readers, 2 officers")
    for t in threads:
        t.start()

    def fill_queue():
        rows = psql("db1", f"SELECT id FROM foi_inforequest WHERE state='submitted' AND "
                    f"government_id={province} ORDER BY id", db="gongkai").split()  # fmt: skip
        with queue_lock:
            seen = set(queue)
            queue.extend(int(r) for r in rows if int(r) not in seen)

    timeline = [
        (0.15, "app1 killed (SIGKILL)", lambda: cluster.kill("app1")),
        (0.30, "worker killed (SIGKILL)", lambda: cluster.kill("worker")),
        (0.40, "worker restarted", lambda: cluster.start(
            "worker", "worker", [gongkai, "worker", "--interval", "0.5"], env=node_env("worker"))),
        (0.50, "Redis restarted (SIGKILL, start)", lambda: (cluster.kill("redis"), start_redis(cluster))),
        (0.65, "replica stopped", lambda: cluster.kill("pg2", signal.SIGINT)),
        (0.85, "replica started again", lambda: start_replica(cluster, work, as_pg, wait=False)),
    ]  # fmt: skip
    begin = time.time()
    tally.phase = "normal"
    for at, label, action in timeline:
        while time.time() < begin + at * seconds:
            fill_queue()
            time.sleep(1)
        log(label)
        tally.phase = label
        action()
    while time.time() < until:
        fill_queue()
        time.sleep(1)
    tally.phase = "after the run"
    for t in threads:
        t.join(timeout=grace + 120)
    log("load done; waiting for the task queue to drain")
    drained = wait_for(lambda: int(psql("db1", "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                       "WHERE status IN ('READY','RUNNING') AND (run_after IS NULL OR run_after <= now())",
                       db="gongkai")) == 0, "task queue", 300, fail=False)  # fmt: skip

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
        check(f"{kind}s sent / acknowledged / stored (of ours)",
              f"{len(keys)} / {len(acked)} / {sum(1 for n in ours.values() if n)}",
              not missing and dupes == 0 and len(acked) > 0)  # fmt: skip
        check(f"{kind}s: acknowledged but missing, duplicates", f"{len(missing)}, {dupes}",
              not missing and dupes == 0)  # fmt: skip
    counts = {k[1]: v for k, v in tally.counts.items() if k[0] == "all"}
    check("officer sessions lost (login page instead of the staff page)",
          counts.get("officer sessions lost", 0), counts.get("officer sessions lost", 0) == 0)  # fmt: skip
    check("officer pages served / requests handled",
          f"{counts.get('officer pages', 0)} / {counts.get('requests handled by officers', 0)}",
          counts.get("requests handled by officers", 0) > 0)  # fmt: skip
    check("task queue drained", drained, bool(drained))
    task_rows = psql("db1", "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1",
                     db="gongkai")  # fmt: skip
    check("tasks by status", " ".join(task_rows.split()), "RUNNING" not in task_rows)
    mails = psql(
        "db1", "SELECT count(*), count(sent_at) FROM core_outboundmail", db="gongkai"
    ).split("|")
    sink = (
        [json.loads(line) for line in mail_log.read_text().splitlines()]
        if mail_log.exists()
        else []
    )
    ids = Counter(m["message_id"] for m in sink)
    check("mails queued / sent / in the SMTP sink (distinct)",
          f"{mails[0]} / {mails[1]} / {len(ids)}",
          int(mails[0]) > 0 and mails[0] == mails[1] == str(len(ids)))  # fmt: skip
    check("mails delivered twice (same Message-ID)", sum(1 for n in ids.values() if n > 1),
          all(n == 1 for n in ids.values()))  # fmt: skip
    docs = psql("db1", "SELECT count(*) FROM core_generateddocument", db="gongkai")
    files = list((work / "shared" / "private" / "documents").rglob("*.*"))
    check("letters rendered: rows / files in shared storage", f"{docs} / {len(files)}",
          int(docs) > 0 and int(docs) == len(files))  # fmt: skip
    phases = [p for p in ["normal", *[t[1] for t in timeline], "after the run"]]
    for phase in phases:
        answered = tally.counts.get((phase, "reads answered"), 0)
        failed = tally.counts.get((phase, "reads failed"), 0)
        errors = tally.counts.get((phase, "read errors (before reload)"), 0)
        if answered or failed:
            check(f"reads during «{phase}»: answered / errors / failed after a reload",
                  f"{answered} / {errors} / {failed}", answered > 0 and failed == 0)  # fmt: skip

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

    # --- the table ------------------------------------------------------------------------------
    print()
    print(f"cluster test: {seconds:.0f} s of load, {time.time() - t0:.0f} s in all")
    print("| phase | event | count |")
    print("|---|---|---|")
    for (phase, what), n in sorted(tally.counts.items(), key=lambda kv: (kv[0][0] != "all", kv[0])):
        if phase == "all":
            print(f"| all | {what} | {n} |")
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


def wait_for(predicate, what: str, seconds: float, fail: bool = True):
    deadline = time.time() + seconds
    while time.time() < deadline:
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


def pg_ready(host: str) -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", ip(host)], check=False).returncode == 0


def start_replica(cluster: Cluster, work: Path, as_pg: list[str], wait: bool = True) -> None:
    cluster.start("pg2", "db2", [*as_pg, str(PG_BIN / "postgres"), "-D", str(work / "pg2")])
    if wait:
        wait_for(lambda: pg_ready("db2"), "replica", 60)


def start_redis(cluster: Cluster) -> None:
    cluster.start("redis", "redis", ["redis-server", str(ROOT / "deploy/redis/redis.conf"),
                  "--bind", ip("redis"), "--maxmemory", "256mb", "--daemonize", "no"])  # fmt: skip
    wait_for(lambda: subprocess.run(["redis-cli", "-h", ip("redis"), "ping"], capture_output=True,
             check=False).stdout.strip() == b"PONG", "redis", 30)  # fmt: skip


def http_status(host: str, port: int, path: str, host_header: str = "localhost") -> int:
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": host_header})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


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
