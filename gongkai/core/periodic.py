"""`gongkai run-periodic`: the one entry point cron or a systemd timer calls.

Apps register their periodic jobs with @periodic_job; each job takes dry_run and returns a
short Chinese summary of what it did (or would do).
"""

from __future__ import annotations

import datetime as dt
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


@periodic_job("core.abandoned_uploads")
def abandoned_uploads(dry_run: bool = False) -> str:
    """ID proofs kept for a form that was never sent again (core.pending_uploads), once the
    session that could use them has expired."""
    from django.conf import settings

    from gongkai.core import pending_uploads

    age = dt.timedelta(seconds=max(settings.SESSION_COOKIE_AGE, 24 * 3600))
    purged = pending_uploads.purge_abandoned(older_than=age, dry_run=dry_run)
    return f"{'将删除' if dry_run else '已删除'}过期的暂存上传文件 {purged} 个"


@periodic_job("core.expired_sessions")
def expired_sessions(dry_run: bool = False) -> str:
    """Expired browser sessions (Django's clearsessions)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    if dry_run:
        return f"将删除过期会话 {Session.objects.filter(expire_date__lt=timezone.now()).count()} 个"
    from django.core.management import call_command

    call_command("clearsessions")
    return "已删除过期会话"
