"""The `gongkai` command: demo, serve, migrate, worker, manage, run-periodic, and one group per
app.

Each app's group lives in gongkai/<app>/cli.py as `register(subparsers)`; handlers import
Django code only when they run. Every handler returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from gongkai.core.bootstrap import setup_django

GROUP_MODULES = [
    "gongkai.orgs.cli",
    "gongkai.core.cli",
    "gongkai.plans.cli",
    "gongkai.catalog.cli",
    "gongkai.foi.cli",
    "gongkai.participation.cli",
    "gongkai.reports.cli",
]

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(argv: list[str]) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *argv])
    return 0


def cmd_manage(args) -> int:
    return _manage(args.rest)


GUNICORN_CONF = BASE_DIR / "deploy" / "gunicorn.conf.py"


def _gunicorn(host: str, port: int, workers: int | None, threads: int | None = None) -> list[str]:
    """The node's gunicorn command: deploy/gunicorn.conf.py, the one configuration every node
    runs with (systemd unit, cluster test, benchmarks), with this command's bind and any
    process or thread count given on its command line."""
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    cmd += ["-c", str(GUNICORN_CONF), "--bind", f"{host}:{port}", "--chdir", str(BASE_DIR)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    return cmd


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gongkai.cli", "worker"], cwd=BASE_DIR)


def _serve(
    host: str, port: int, workers: int | None, with_worker: bool, threads: int | None = None
) -> int:
    worker = _start_worker() if with_worker else None
    server = subprocess.Popen(_gunicorn(host, port, workers, threads), cwd=BASE_DIR)

    def stop(signum, frame):
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)


def cmd_serve(args) -> int:
    """Start a node. The schema is not touched: `gongkai migrate` is the one step that changes
    it; until it has run, /readyz answers 503 and the load balancer sends no traffic."""
    setup_django()
    return _serve(
        args.host, args.port, args.workers, with_worker=not args.no_worker, threads=args.threads
    )


def cmd_migrate(args) -> int:
    setup_django()
    from gongkai.core.migrate import migrate

    return migrate(verbosity=args.verbosity)


def cmd_worker(args) -> int:
    setup_django()
    from gongkai.core.worker import run_worker

    return run_worker(interval=args.interval, max_tasks=args.max_tasks)


def demo_debug_env(args) -> None:
    """The demo shows the product: Chinese error pages, no debug page listing every route.
    DEBUG only when asked for (--debug, or DEBUG=1 in the environment); the server processes
    the demo starts inherit the setting."""
    if args.debug:
        os.environ["DEBUG"] = "1"
    else:
        os.environ.setdefault("DEBUG", "0")


def cmd_demo(args) -> int:
    demo_debug_env(args)
    setup_django()
    from django.core.management import call_command

    from gongkai.core.production import refuse_demo
    from gongkai.demo.loader import DEMO_PASSWORD, load_demo

    refuse_demo()  # production: ImproperlyConfigured, printed by main()
    print("正在准备数据库……", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.province:
        from gongkai.demo.province import build_province

        built = build_province(scale=args.scale, records=args.records)
        print(
            f"省级演示数据：{built['governments']} 个政府站点，{built['organisations']} 个机构，"
            f"{built['records']} 条政府信息",
            flush=True,
        )
        return 0
    summary = load_demo()
    print("演示数据：" + ("已创建" if summary["created"] else "已存在，未作改动"), flush=True)
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, label in summary["logins"]:
        print(f"  {username:<22} {label}")
    if args.no_serve:
        return 0
    print(f"门户网站： http://{args.host}:{args.port}/", flush=True)
    print(f"工作台：   http://{args.host}:{args.port}/manage/", flush=True)
    return _serve(args.host, args.port, workers=2, with_worker=True)


def cmd_run_periodic(args) -> int:
    setup_django()
    from gongkai.core.periodic import enqueue_periodic, run_periodic

    if args.enqueue:
        return enqueue_periodic()
    return run_periodic(dry_run=args.dry_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="gongkai 政务公开平台")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="创建演示数据并启动平台")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
    p.add_argument("--debug", action="store_true", help="开启 Django 调试模式（仅供开发）")
    p.add_argument("--province", action="store_true", help="创建省级集约化平台的数据（不启动服务）")
    p.add_argument("--scale", type=float, default=1.0, help="省级数据的规模系数（CI 用 0.02）")
    p.add_argument("--records", type=int, default=100_000, help="省级数据的政府信息条数")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="启动平台（gunicorn）")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--workers", type=int, help="gunicorn 进程数（默认：GUNICORN_WORKERS 或每核 2 个）"
    )
    p.add_argument("--threads", type=int, help="每个进程的线程数（默认：GUNICORN_THREADS 或 8）")
    p.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="升级数据库结构（多节点部署中唯一的迁移步骤，可重复运行）")
    p.add_argument("--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "worker", help="运行后台任务进程（邮件、文书生成、提醒、链接检查、重建索引）"
    )
    p.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
    p.add_argument("--max-tasks", type=int, default=None, help="运行这么多任务后退出")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("manage", help="运行任意 manage.py 命令", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    p = sub.add_parser("run-periodic", help="运行定时任务（供 cron/timer 调用）")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--enqueue", action="store_true", help="交给后台任务进程运行（多节点部署）")
    p.set_defaults(func=cmd_run_periodic)

    for name in GROUP_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        if argv[:1] == ["manage"]:
            return _manage(argv[1:])
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except ImproperlyConfigured as exc:  # e.g. production refusing an unsafe switch
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
