"""`gongkai worker`: runs background tasks (django-tasks, database backend) on any node.

Any number of workers on any nodes take tasks from the one queue in the database (row locks:
each task is claimed by one worker). Each worker writes a heartbeat every HEARTBEAT seconds; a
task still marked running whose worker has not beaten for STALE seconds (the worker was killed,
its machine lost) goes back to the queue, and — the tasks being idempotent — its effect still
happens once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import TYPE_CHECKING

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

if TYPE_CHECKING:
    from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("gongkai.worker")

HEARTBEAT = 3.0
STALE = 15.0


def beat(worker_id: str) -> None:
    from gongkai.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "host": socket.gethostname()[:200]},
    )


def requeue_orphans(now: dt.datetime | None = None) -> int:
    """Put back the running tasks of workers that stopped beating; returns how many."""
    from django_tasks_db.models import DBTaskResult

    from gongkai.core.models import WorkerHeartbeat

    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - dt.timedelta(seconds=STALE)).values_list(
            "worker_id", flat=True
        )
    )
    orphans = [
        pk
        for pk, worker_ids, started in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "pk", "worker_ids", "started_at"
        )
        if (not worker_ids or worker_ids[-1] not in alive)
        and (started is None or started < now - dt.timedelta(seconds=STALE))
    ]
    if not orphans:
        return 0
    count = DBTaskResult.objects.filter(pk__in=orphans, status="RUNNING").update(
        status="READY", started_at=None
    )
    logger.warning("requeued tasks of stopped workers count=%s", count)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(hours=1)).delete()
    return count


def _heartbeat_loop(worker_id: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            beat(worker_id)
            requeue_orphans()
        except Exception:
            logger.exception("worker heartbeat failed worker=%s", worker_id)
        finally:
            connection.close()
        stop.wait(HEARTBEAT)


def make_worker(
    worker_id: str, *, interval: float = 1.0, batch: bool = False, max_tasks: int | None = None
) -> Worker:
    """django-tasks-db's worker loop over every queue of the default backend."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_worker(interval: float = 1.0, max_tasks: int | None = None) -> int:
    worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
    beat(worker_id)
    close_old_connections()
    stop = threading.Event()
    thread = threading.Thread(
        target=_heartbeat_loop, args=(worker_id, stop), name="heartbeat", daemon=True
    )
    thread.start()
    worker = make_worker(worker_id, interval=interval, max_tasks=max_tasks)
    worker.configure_signals()
    logger.info("worker started worker=%s", worker_id)
    try:
        worker.run()
    finally:
        stop.set()
    return 0
