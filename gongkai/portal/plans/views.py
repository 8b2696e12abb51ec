"""Public pages of work plans: each public plan with the progress of its publicly committed
tasks (公开承诺事项). Read only through gongkai.plans.visibility."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gongkai.orgs.sites import site_government
from gongkai.plans import visibility
from gongkai.plans.status import BADGES, combine, status_of


def plan_list(request):
    plans = visibility.public_plans(site_government(request)).order_by("-year", "-issued_on")
    return render(request, "portal/plans/list.html", {"plans": plans, "nav": "plans"})


def plan_detail(request, pk):
    plan = visibility.public_plans(site_government(request)).filter(pk=pk).first()
    if plan is None:
        raise Http404("未找到该工作计划")
    today = timezone.localdate()
    # Tasks and assignments carry display attributes for the template (rows, status, badge),
    # which are not fields: Any, not the models.
    tasks: list[Any] = list(visibility.public_tasks(plan))
    for task in tasks:
        task.rows = []
        for a in task.assignments.all():
            a.status = status_of(a, plan, today)
            a.badge = BADGES[a.status]
            task.rows.append(a)
        task.status = combine(a.status for a in task.rows)
        task.badge = BADGES[task.status]
    return render(
        request,
        "portal/plans/detail.html",
        {"plan": plan, "tasks": tasks, "today": today, "nav": "plans"},
    )
