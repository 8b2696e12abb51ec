"""`gongkai worker`: runs background tasks (django-tasks, database backend) on any node."""

from __future__ import annotations

from django.core.management import call_command


def run_worker(interval: float = 1.0, max_tasks: int | None = None) -> int:
    args = ["db_worker", "--interval", str(interval)]
    if max_tasks:
        args += ["--max-tasks", str(max_tasks)]
    call_command(*args)
    return 0
