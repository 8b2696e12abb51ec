"""Plans' stored working-day date, registered with gongkai.core.workday_dates.

| stored date          | from                                           | pending while       |
|----------------------|------------------------------------------------|---------------------|
| Assignment.remind_on | due_on − 3 wd (rules.REMIND_BEFORE_WORKDAYS)   | not done, has a due |

Stored with `remind_on_provisional` (暂定). When a loaded notice moves a reminder day earlier,
the responsible organisation is alerted with a TaskReminder (the plans' own reminder mechanism,
shown on the plans home of its staff).
"""

from __future__ import annotations

from django.urls import reverse

from gongkai.core import workday_dates
from gongkai.core.workday_dates import WorkdayDate
from gongkai.plans import rules


def _pending():
    from gongkai.plans.models import Assignment

    return Assignment.objects.filter(
        due_on__isnull=False, completed_on__isnull=True, progress__lt=100
    ).select_related("task__plan")


def _alert(change, actor) -> None:
    from gongkai.plans.actions import remind_date_moved

    remind_date_moved(change.obj, change.text)


ENTRIES = [
    WorkdayDate(
        key="plans.assignment.remind_on",
        label="任务到期提醒日",
        model="plans.Assignment",
        field="remind_on",
        pending=_pending,
        compute=lambda a: rules.remind_day(a.due_on),
        alert=_alert,
        url=lambda a: reverse("plans_staff:assignment", args=[a.pk]),
        organisation_id=lambda a: a.organisation_id,
    ),
]


def register() -> None:
    for entry in ENTRIES:
        workday_dates.register(entry)
