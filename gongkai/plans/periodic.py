"""Periodic work of plans: reminders to organisations whose tasks are behind or overdue."""

from __future__ import annotations

from gongkai.core.periodic import periodic_job


@periodic_job("plans.reminders")
def reminders(dry_run: bool = False) -> str:
    from .actions import send_reminders

    n = send_reminders(dry_run=dry_run)
    return f"{'将' if dry_run else '已'}向进度滞后或逾期的任务分工发送催办提醒 {n} 条"
