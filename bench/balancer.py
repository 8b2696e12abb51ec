"""Requests per second through HAProxy with one and with two app nodes, and the latency the
balancer and a read replica add (issue 19, point 7), on loopback.

    sudo .venv/bin/python bench/balancer.py --records 20000 --seconds 15

It builds, under var/bench/lb (removed at the end): its own PostgreSQL primary (port 5438) and a
streaming replica made with pg_basebackup (port 5439), the province fixture (`gongkai demo
--province`) on the primary, two app nodes (gunicorn with deploy/gunicorn.conf.py: 2 processes × 8 threads each) on
127.0.0.1:18101/18102, and HAProxy running deploy/haproxy/haproxy.cfg itself on 127.0.0.1:18080.
wrk (Debian package) drives each scenario: throughput with 16 connections, latency with one
connection (one request at a time), on three pages of the largest government's portal: one
record page again and again (the page cache answers it), record pages picked at random from
5,000, and searches of random two-word queries (380 of them) — the last two with a random
parameter the pages ignore, so that the page cache answers none of them (as a crawler's first
reads). Scenarios, in one run: a node directly; HAProxy with one
node in the pool; HAProxy with two; HAProxy with two whose public reads go to the replica.

What a 2-core machine can show: the balancer's and the replica's added latency per request,
and that a second node adds no throughput when wrk, HAProxy, both nodes and PostgreSQL share
two cores (the nodes compete for the same CPU). It cannot show how throughput scales with
nodes on separate machines; docs/deployment.md's sizing derives that from per-core rates.
Needs root (PostgreSQL runs as the postgres user), haproxy and wrk.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "lb"
PY_BIN = Path(sys.executable).parent
PRIMARY_PORT, REPLICA_PORT, LB_PORT = 5438, 5439, 18080
NODE_PORTS = (18101, 18102)
DOWN_PORT = 18109  # app2 of the one-node scenario: nothing listens there
NODE_WORKERS, NODE_THREADS = 2, 8  # per node: deploy/gunicorn.conf.py's default for one core


def pg_bin() -> Path:
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
    return Path(out.stdout.strip() or "/usr/lib/postgresql/15/bin")


def as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, cwd="/")


def db_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/gongkai"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")},
            "GONGKAI_ENV": "test",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "DATABASE_URL": db_url(PRIMARY_PORT),
            "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
            "GONGKAI_DATA_DIR": str(WORK / "data"),
            "GONGKAI_MEDIA_DIR": str(WORK / "shared" / "media"),
            "GONGKAI_PRIVATE_DIR": str(WORK / "shared" / "private"),
            "GONGKAI_TRUSTED_PROXY": "true",
            "LOG_LEVEL": "WARNING",
        }

    # --- processes ------------------------------------------------------------------------------

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = (WORK / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def gongkai(self, *args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run([str(PY_BIN / "gongkai"), *args], env=env or self.env, cwd=ROOT, check=True)

    # --- databases ------------------------------------------------------------------------------

    def start_cluster(self, name: str, port: int) -> None:
        data = WORK / name
        as_postgres(
            str(pg_bin() / "pg_ctl"), "-D", str(data), "-l", str(WORK / f"{name}.pg.log"),
            "-o", f"-p {port} -k {WORK} -c listen_addresses=127.0.0.1", "-w", "start",
        )  # fmt: skip

    def databases(self) -> None:
        if self.args.reuse and (WORK / "replica").exists():
            self.start_cluster("primary", PRIMARY_PORT)
            self.start_cluster("replica", REPLICA_PORT)
            self.gongkai("migrate", "--verbosity", "0")  # the code may be newer than the data
            return
        WORK.mkdir(parents=True, exist_ok=True)
        shutil.chown(WORK, "postgres")
        primary = WORK / "primary"
        as_postgres(str(pg_bin() / "initdb"), "-D", str(primary), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        self.start_cluster("primary", PRIMARY_PORT)
        as_postgres(str(pg_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
                    "-U", "postgres", "gongkai")  # fmt: skip
        self.gongkai("migrate", "--verbosity", "0")
        started = time.monotonic()
        self.gongkai("demo", "--province", "--scale", str(self.args.scale),
                     "--records", str(self.args.records))  # fmt: skip
        print(f"province fixture built in {time.monotonic() - started:.0f} s", flush=True)
        as_postgres(str(pg_bin() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
                    "-U", "postgres", "-D", str(WORK / "replica"), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        self.start_cluster("replica", REPLICA_PORT)

    # --- nodes and balancer ---------------------------------------------------------------------

    def nodes(self, *, replica: bool) -> None:
        """The nodes as gongkai-web.service runs them: gunicorn with deploy/gunicorn.conf.py."""
        for i, port in enumerate(NODE_PORTS, 1):
            self.stop(f"app{i}")
            # Each node's own data and runtime directory (gunicorn's control socket).
            data = str(WORK / f"app{i}-data")
            Path(data).mkdir(exist_ok=True)
            env = {**self.env, "GONGKAI_DATA_DIR": data, "XDG_RUNTIME_DIR": data,
                   "GONGKAI_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(NODE_WORKERS),
                   "GUNICORN_THREADS": str(NODE_THREADS)}  # fmt: skip
            if replica:
                env["DATABASE_REPLICA_URLS"] = db_url(REPLICA_PORT)
            self.start(f"app{i}", [str(PY_BIN / "gunicorn"), "config.wsgi:application",
                                   "-c", str(ROOT / "deploy/gunicorn.conf.py")], env)  # fmt: skip
        for port in NODE_PORTS:
            wait(lambda p=port: status(f"http://127.0.0.1:{p}/readyz") == 200, f"node :{port}")

    def balancer(self, pool: int) -> None:
        self.stop("lb")
        app2 = NODE_PORTS[1] if pool == 2 else DOWN_PORT
        env = {**self.env, "GONGKAI_LB_BIND_V4": "127.0.0.1", "GONGKAI_LB_BIND_V6": "::1",
               "GONGKAI_LB_PORT": str(LB_PORT), "GONGKAI_APP1": f"127.0.0.1:{NODE_PORTS[0]}",
               "GONGKAI_APP2": f"127.0.0.1:{app2}",
               "GONGKAI_NODE_MAXCONN": str(NODE_WORKERS * NODE_THREADS)}  # fmt: skip
        self.start("lb", ["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy/haproxy.cfg")], env)
        wait(lambda: servers_up() == pool, f"HAProxy with {pool} node(s) up")

    def cleanup(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        for name in ("replica", "primary"):
            if (WORK / name / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    as_postgres(str(pg_bin() / "pg_ctl"), "-D", str(WORK / name), "-m", "fast",
                                "-w", "stop")  # fmt: skip
        if not self.args.keep:
            shutil.rmtree(WORK, ignore_errors=True)


def status(url: str, host: str = "localhost") -> int:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def servers_up() -> int:
    try:
        with urllib.request.urlopen("http://127.0.0.1:8404/stats;csv", timeout=2) as r:
            rows = r.read().decode().splitlines()
    except OSError:
        return -1
    return sum(1 for row in rows if row.startswith("gongkai,app") and ",UP," in row)


def wait(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


WORDS = ["公开", "政务", "教育", "医疗", "养老", "就业", "住房", "交通", "环境", "财政", "预算",
         "审批", "补贴", "乡村振兴", "营商环境", "安全生产", "招生", "社保", "公积金", "规划"]  # fmt: skip


def targets() -> tuple[str, list[int]]:
    """(host name, public record ids) of the government with the most records."""
    import psycopg

    with psycopg.connect(db_url(PRIMARY_PORT).replace("postgres://", "postgresql://")) as conn:
        gov, host = conn.execute(
            "SELECT o.id, o.site_hosts FROM catalog_record r JOIN orgs_organisation o "
            "ON o.id = r.government_id WHERE o.site_hosts <> '' "
            "GROUP BY o.id, o.site_hosts ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        ids = [row[0] for row in conn.execute(
            "SELECT id FROM catalog_record WHERE government_id = %s AND status = 'published' "
            "AND attribute = 'proactive' AND withdrawn_at IS NULL ORDER BY id", [gov])]  # fmt: skip
    if not ids:
        raise SystemExit("no public record in the fixture")
    return str(host).replace(",", " ").split()[0], ids


def lua_paths(name: str, paths: list[str]) -> Path:
    """A wrk script requesting a random path of these on every request, with a random parameter
    the page ignores (`n=`), so no request is answered by the page cache."""
    quoted = ", ".join(f'"{urllib.parse.quote(p, safe="/?=&")}"' for p in paths)
    script = WORK / f"{name}.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        # A seed of its own for every thread and run: the same sequence twice would find the
        # warm-up's pages in the cache.
        "init = function(args)\n"
        "  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 10), 16) % 1000003)\n"
        "end\n"
        "request = function()\n"
        "  local path = paths[math.random(#paths)]\n"
        "  local sep = string.find(path, '?', 1, true) and '&' or '?'\n"
        "  return wrk.format(nil, path .. sep .. 'n=' .. math.random(1, 1000000000))\n"
        "end\n"
    )
    return script


def wrk(
    url: str, host: str, connections: int, seconds: int, script: Path | None
) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Host: {host}", *(["-s", str(script)] if script else []), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if m:
            found[f"p{pct}"] = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    found["errors"] = float(bad.group(1)) if bad else 0.0
    found["errors"] += sum(int(n) for n in socket.groups()) if socket else 0
    if os.environ.get("BENCH_VERBOSE"):
        print(out, flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--scale", type=float, default=0.05, help="province fixture scale")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep var/bench/lb afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept var/bench/lb")
    args = parser.parse_args(argv)
    if os.geteuid() != 0 or not shutil.which("haproxy") or not shutil.which("wrk"):
        raise SystemExit("需要 root 权限，以及 haproxy 和 wrk（apt-get install haproxy wrk）")
    if WORK.exists() and not args.reuse:
        shutil.rmtree(WORK)
    bench = Bench(args)
    rows: list[tuple[str, str, dict[str, float], dict[str, float]]] = []
    try:
        bench.databases()
        host, ids = targets()
        rng = random.Random(19)
        queries = [f"{a} {b}" for a in WORDS for b in WORDS if a != b]
        pages = {  # (first path, a wrk script picking a random path per request, or None)
            "record (one page: cached)": (f"/disclosure/records/{ids[0]}/", None),
            "record (random: uncached)": ("/", lua_paths("records", [
                f"/disclosure/records/{i}/" for i in rng.sample(ids, min(len(ids), 5000))])),
            "search (two-word: uncached)": ("/", lua_paths("search", [
                f"/search/?q={q}" for q in queries])),
        }  # fmt: skip
        direct = f"http://127.0.0.1:{NODE_PORTS[0]}"
        lb = f"http://127.0.0.1:{LB_PORT}"
        for scenario, replica, pool, base in (
            ("node directly", False, 0, direct),
            ("HAProxy, 1 node", False, 1, lb),
            ("HAProxy, 2 nodes", False, 2, lb),
            ("HAProxy, 2 nodes, reads on the replica", True, 2, lb),
        ):
            if scenario.startswith("node") or replica:
                bench.nodes(replica=replica)
            if pool:
                bench.balancer(pool)
            for page, (path, script) in pages.items():
                url = base + urllib.parse.quote(path, safe="/?=")
                wrk(url, host, 4, 3, script)  # warm-up (fills the cache for the cached page)
                load = wrk(url, host, args.connections, args.seconds, script)
                single = wrk(url, host, 1, max(5, args.seconds // 2), script)
                rows.append((scenario, page, load, single))
                print(scenario, page, load, single, flush=True)
    finally:
        bench.cleanup()
    print(f"\n{args.records:,} records, {args.connections} connections for throughput, one "
          "connection for latency; nodes: gunicorn, 2 processes × 8 threads each\n")  # fmt: skip
    print(
        "| scenario | page | req/s | p50 | p99 | latency, 1 connection: p50 | p99 | "
        "non-2xx or > 2 s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scenario, page, load, single in rows:
        print(f"| {scenario} | {page} | {load['rps']:.0f} | {load.get('p50', 0):.1f} ms | "
              f"{load.get('p99', 0):.1f} ms | {single.get('p50', 0):.2f} ms | "
              f"{single.get('p99', 0):.2f} ms | {load['errors'] + single['errors']:.0f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
