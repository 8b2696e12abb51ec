"""Large synthetic plans for the ledger bound test and bench/ledger.py."""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.orgs.models import Organisation, OrgKind
from gongkai.plans.models import Assignment, PlanKind, Task, WorkPlan


def big_plan(government: Organisation, tasks: int = 500, orgs: int = 50, per_task: int = 10):
    """A plan of `tasks` tasks in 10 sections and 50 groups, spread over `orgs` departments:
    each task has one lead and `per_task` responsible organisations (one assignment each);
    a third have due dates, some progress is accepted."""
    start = Organisation.objects.filter(government=government).count()
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"测试局{start + i:03d}",
                short_name=f"测{start + i:03d}",
                kind=OrgKind.DEPARTMENT,
                parent=government,
                government=government,
                order=i,
            )
            for i in range(orgs)
        ]
    )
    units = list(
        Organisation.objects.filter(government=government, name__startswith="测试局").order_by("id")
    )[-orgs:]
    plan = WorkPlan.objects.create(
        government=government,
        organisation=government,
        kind=PlanKind.TASK_TABLE,
        title=f"测试计划（{tasks}项）",
        year=2021,
        issued_on=date(2021, 3, 1),
    )
    Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                n=n,
                section=f"第{(n - 1) // 50 + 1}部分",
                subsection=f"任务组{(n - 1) // 10 + 1}",
                requirement=f"第{n}项任务的具体要求，做好相关信息公开工作。",
                due_on=date(2021, 3, 1) + timedelta(days=n % 300) if n % 3 == 0 else None,
            )
            for n in range(1, tasks + 1)
        ]
    )
    rows = list(Task.objects.filter(plan=plan).order_by("n"))
    leads, assignments = [], []
    for i, task in enumerate(rows):
        leads.append(Task.lead_orgs.through(task=task, organisation=units[i % orgs]))
        for k in range(per_task):
            org = units[(i + k) % orgs]
            assignments.append(
                Assignment(
                    task=task,
                    organisation=org,
                    due_on=task.due_on,
                    progress=(i * 7 + k * 13) % 101,
                    completed_on=date(2021, 6, 1) if (i + k) % 17 == 0 else None,
                )
            )
    Task.lead_orgs.through.objects.bulk_create(leads)
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    return plan
