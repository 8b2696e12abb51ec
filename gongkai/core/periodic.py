"""`gongkai run-periodic`: the one entry point cron or a systemd timer calls.

Apps register their periodic jobs with @periodic_job; each job takes dry_run and returns a
short Chinese summary of what it did (or would do).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("gongkai.periodic")

_JOBS: list[tuple[str, Callable[..., str]]] = []


Job = Callable[..., str]


def periodic_job(name: str) -> Callable[[Job], Job]:
    def decorator(func: Job) -> Job:
        _JOBS.append((name, func))
        return func

    return decorator


def registered_jobs() -> list[tuple[str, Callable[..., str]]]:
    from gongkai.core.apps import import_app_modules

    import_app_modules("periodic")  # importing each app's `periodic` module registers its jobs
    return list(_JOBS)


def run_periodic(dry_run: bool = False) -> int:
    failures = 0
    for name, job in registered_jobs():
        try:
            summary = job(dry_run=dry_run)
            print(f"{name}: {summary}")
        except Exception:
            failures += 1
            logger.exception("periodic job failed job=%s", name)
            print(f"{name}: 失败（详见日志）")
    return 1 if failures else 0


def enqueue_periodic() -> int:
    """Queue every job as a background task (gongkai.core.tasks.run_periodic_job): any worker
    on any node runs it, with retries. The jobs are idempotent per day."""
    from gongkai.core.tasks import run_periodic_job

    for name, _job in registered_jobs():
        run_periodic_job.enqueue(name)
        print(f"{name}: 已加入后台任务队列")
    return 0
