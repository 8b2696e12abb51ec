"""The ledger (工作台账): assignments with their computed status, summaries by organisation and
by section, the circular's frozen numbers and the .xlsx export.

Everything is read in a bounded number of queries: one for the assignments (with task and
organisation), one for the tasks' lead organisations; statuses are computed in Python.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from gongkai.orgs.models import Organisation

from .models import Assignment, Task, WorkPlan
from .status import BADGES, TaskStatus, combine, expected_progress, start_of, status_of


@dataclass
class LedgerRow:
    assignment: Assignment
    task: Task
    status: TaskStatus
    expected: int | None

    @property
    def badge(self) -> str:
        return BADGES[self.status]


def ledger_rows(plan: WorkPlan, assignments: QuerySet[Assignment], today: date) -> list[LedgerRow]:
    qs = (
        assignments.select_related("task", "organisation")
        .prefetch_related(
            Prefetch(
                "task__lead_orgs", queryset=Organisation.objects.only("id", "name", "short_name")
            )
        )
        .order_by("task__n", "organisation__order", "organisation_id", "period")
    )
    rows = []
    for a in qs:
        a.task.plan = plan
        rows.append(
            LedgerRow(
                a,
                a.task,
                status_of(a, plan, today),
                expected_progress(start_of(a, plan), a.due_on, today),
            )
        )
    return rows


def filter_rows(rows, *, organisation=None, section=None, status=None):
    out = rows
    if organisation:
        out = [r for r in out if r.assignment.organisation_id == organisation]
    if section:
        out = [r for r in out if r.task.section == section]
    if status:
        out = [r for r in out if r.status == status]
    return out


@dataclass
class Tally:
    key: str
    label: str
    total: int = 0
    done: int = 0
    behind: int = 0
    overdue: int = 0
    not_started: int = 0
    on_schedule: int = 0

    def add(self, status: TaskStatus) -> None:
        self.total += 1
        setattr(self, str(status), getattr(self, str(status)) + 1)

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def tally(rows, key_of, label_of) -> list[Tally]:
    out: dict = {}
    for r in rows:
        key = key_of(r)
        t = out.setdefault(key, Tally(str(key), label_of(r)))
        t.add(r.status)
    return list(out.values())


def by_organisation(rows) -> list[Tally]:
    tallies = tally(
        rows, lambda r: r.assignment.organisation_id, lambda r: r.assignment.organisation.name
    )
    return sorted(tallies, key=lambda t: (-(t.overdue + t.behind), -t.total, t.label))


def by_section(rows) -> list[Tally]:
    return tally(
        rows, lambda r: r.task.section or "（未分部分）", lambda r: r.task.section or "（未分部分）"
    )


def task_statuses(rows) -> dict[int, TaskStatus]:
    grouped = defaultdict(list)
    for r in rows:
        grouped[r.task.pk].append(r.status)
    return {task_id: combine(s) for task_id, s in grouped.items()}


def totals(rows) -> dict:
    counts = Counter(str(r.status) for r in rows)
    return {
        "assignments": len(rows),
        "tasks": len({r.task.pk for r in rows}),
        **{str(s): counts.get(str(s), 0) for s in TaskStatus},
    }


# --- circular ----------------------------------------------------------------------------------


def circular_data(plan: WorkPlan, period_start: date, period_end: date) -> dict:
    """The numbers of a circular, frozen as plain JSON: totals, organisations per class, and
    the annex of tasks that are behind or overdue at period_end."""
    rows = ledger_rows(plan, Assignment.objects.filter(task__plan=plan), period_end)
    orgs = by_organisation(rows)
    classes = {
        "done": [t.label for t in orgs if t.total and t.done == t.total],
        "overdue": [t.label for t in orgs if t.overdue],
        "behind": [t.label for t in orgs if t.behind and not t.overdue],
    }
    annex = [
        {
            "n": r.task.n,
            "requirement": r.task.requirement,
            "organisation": r.assignment.organisation.name,
            "period": r.assignment.period,
            "due_on": r.assignment.due_on.isoformat() if r.assignment.due_on else "",
            "expected": r.expected,
            "progress": r.assignment.progress,
            "status": str(r.status),
            "status_label": r.status.label,
        }
        for r in rows
        if r.status in (TaskStatus.OVERDUE, TaskStatus.BEHIND)
    ]
    reported = sum(
        1
        for r in rows
        if r.assignment.last_reported_on
        and period_start <= r.assignment.last_reported_on <= period_end
    )
    return {
        "plan_title": plan.title,
        "government": plan.government.name,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "totals": {**totals(rows), "reported_in_period": reported},
        "classes": classes,
        "by_organisation": [
            {
                "name": t.label,
                "total": t.total,
                "done": t.done,
                "behind": t.behind,
                "overdue": t.overdue,
                "rate": t.rate,
            }
            for t in orgs
        ],
        "annex": annex,
    }


# --- export ------------------------------------------------------------------------------------

EXPORT_HEADER = [
    "序号",
    "工作任务",
    "具体要求",
    "牵头部门",
    "责任单位",
    "周期",
    "完成时限",
    "序时进度",
    "完成进度",
    "状态",
    "最近报送",
]


def export_xlsx(plan: WorkPlan, rows: list[LedgerRow]) -> bytes:
    """The ledger as offices keep it: a title row, the header, one row per assignment, the
    工作任务 cell merged down over its rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment as Align
    from openpyxl.styles import Font

    from gongkai.core.documents import sheets

    wb = Workbook()
    ws = wb.active
    ws.title = "工作台账"
    ws.append([f"{plan.title}工作台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(EXPORT_HEADER))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Align(horizontal="center")
    ws.append(EXPORT_HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    wrap = Align(wrap_text=True, vertical="top")
    group_start, group, row_no = 3, None, 2
    for r in rows:
        a, t = r.assignment, r.task
        ws.append(
            [
                t.n,
                t.subsection,
                t.requirement,
                "、".join(o.name for o in t.lead_orgs.all()) or t.lead_text,
                a.organisation.name,
                a.period,
                a.due_on.isoformat() if a.due_on else (t.due_text or "无"),
                f"{r.expected}%" if r.expected is not None else "—",
                f"{a.progress}%",
                r.status.label,
                a.last_reported_on.isoformat() if a.last_reported_on else "",
            ]
        )
        row_no += 1
        for col in range(1, len(EXPORT_HEADER) + 1):
            ws.cell(row_no, col).alignment = wrap
        if t.subsection != group:
            if group is not None and row_no - 1 > group_start:
                ws.merge_cells(
                    start_row=group_start, start_column=2, end_row=row_no - 1, end_column=2
                )
            group, group_start = t.subsection, row_no
    if group is not None and row_no > group_start:
        ws.merge_cells(start_row=group_start, start_column=2, end_row=row_no, end_column=2)
    for letter, width in zip("ABCDEFGHIJK", (5, 16, 40, 16, 16, 8, 11, 8, 8, 10, 11), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    sheets.a4(ws, title_rows=2, landscape=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
