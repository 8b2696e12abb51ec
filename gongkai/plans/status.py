"""Ledger statuses, computed from dates and accepted progress (pure functions, no database).

序时进度 (expected progress) is the share of calendar days elapsed from the start (the plan's
issue date, or the period's start for one period of a recurring task when that is later) to the
due date. An assignment is, in this order of precedence:

    done         accepted as complete (100%)
    overdue      past its due date and not done
    behind       has a due date and its accepted progress is below the expected progress
    not_started  no accepted progress yet
    on_schedule  otherwise

A task with no due date is never behind (nor overdue). A task's status is the worst of its
assignments' (done only when all are done).
"""

from __future__ import annotations

from datetime import date

from django.db import models


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    ON_SCHEDULE = "on_schedule", "按序时推进"
    BEHIND = "behind", "进度滞后"
    OVERDUE = "overdue", "逾期未完成"
    DONE = "done", "已完成"


BADGES = {
    TaskStatus.NOT_STARTED: "",
    TaskStatus.ON_SCHEDULE: "badge-ok",
    TaskStatus.BEHIND: "badge-warn",
    TaskStatus.OVERDUE: "badge-bad",
    TaskStatus.DONE: "badge-ok",
}
# Worst first: a task takes the first of these any assignment has.
SEVERITY = [
    TaskStatus.OVERDUE,
    TaskStatus.BEHIND,
    TaskStatus.ON_SCHEDULE,
    TaskStatus.NOT_STARTED,
    TaskStatus.DONE,
]


def expected_progress(start: date, due: date | None, today: date) -> int | None:
    """Percent of calendar days elapsed from start to due (0–100); None without a due date."""
    if due is None:
        return None
    if today >= due:
        return 100
    if today <= start or due <= start:
        return 0
    return int(100 * (today - start).days / (due - start).days)


def assignment_status(
    *, progress: int, completed: bool, start: date, due: date | None, today: date
) -> TaskStatus:
    if completed or progress >= 100:
        return TaskStatus.DONE
    if due is not None and today > due:
        return TaskStatus.OVERDUE
    expected = expected_progress(start, due, today)
    if expected is not None and progress < expected:
        return TaskStatus.BEHIND
    if progress == 0:
        return TaskStatus.NOT_STARTED
    return TaskStatus.ON_SCHEDULE


def combine(statuses) -> TaskStatus:
    """The status of a task from its assignments' statuses."""
    found = set(statuses)
    if not found:
        return TaskStatus.NOT_STARTED
    if found == {TaskStatus.DONE}:
        return TaskStatus.DONE
    if found <= {TaskStatus.DONE, TaskStatus.NOT_STARTED} and TaskStatus.DONE in found:
        return TaskStatus.ON_SCHEDULE
    for status in SEVERITY:
        if status in found:
            return status
    return TaskStatus.NOT_STARTED


def start_of(assignment, plan) -> date:
    start = plan.issued_on
    if assignment.period_start and assignment.period_start > start:
        start = assignment.period_start
    return start


def status_of(assignment, plan, today: date) -> TaskStatus:
    return assignment_status(
        progress=assignment.progress,
        completed=assignment.completed_on is not None,
        start=start_of(assignment, plan),
        due=assignment.due_on,
        today=today,
    )
