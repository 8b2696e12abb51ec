"""The staff home page as a daily desk: what falls due today and this week across requests,
messages and other public interaction (veto risks first), consultations, plan tasks and
publication windows, by unit, each line one click from its item; and the trends of the last
twelve months as small charts.

Counts come from SQL aggregation (one query per source for the by-unit table, one per trend);
the lines are bounded lists (LINES per source), so the page costs the same for a county and a
province.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse

from gongkai.catalog.models import Attribute, Record, Status
from gongkai.foi.access import requests_for, waiting_for
from gongkai.foi.models import RUNNING_STATES, State
from gongkai.orgs.access import organisations_for
from gongkai.participation.dashboard import dashboard_items
from gongkai.plans.models import Assignment

LINES = 30  # lines shown per source; the counts cover everything
UNPUBLISHED = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)


@dataclass
class Line:
    when: str  # "overdue" | "today" | "week" | "veto"
    kind: str
    title: str
    url: str
    due: dt.date | None
    unit: str = ""
    detail: str = ""

    @property
    def badge(self) -> str:
        return {"veto": "badge-bad", "overdue": "badge-bad", "today": "badge-warn"}.get(
            self.when, ""
        )

    @property
    def when_label(self) -> str:
        return {"veto": "否决项风险", "overdue": "已超期", "today": "今天到期", "week": "本周到期"}[
            self.when
        ]


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends today's week."""
    return today + dt.timedelta(days=6 - today.weekday())


def _when(due: dt.date | None, today: dt.date) -> str:
    if due is None or due > today:
        return "week"
    return "today" if due == today else "overdue"


def _bucket_counts(qs, date_field: str, unit_id: str, unit_name: str, today, end):
    """Per unit: overdue, due today, due later this week — one aggregate query."""
    return (
        qs.values(unit_id, unit_name)
        .annotate(
            overdue=Count("pk", filter=Q(**{f"{date_field}__lt": today})),
            today=Count("pk", filter=Q(**{date_field: today})),
            week=Count("pk", filter=Q(**{f"{date_field}__gt": today, f"{date_field}__lte": end})),
        )
        .order_by()
    )


def _requests(user, today, end):
    due = requests_for(user).filter(state__in=RUNNING_STATES, due_on__lte=end)
    lines = [
        Line(
            _when(r.due_on, today),
            "依申请公开",
            f"{r.ref or r.tracking_code} {r.description[:30]}",
            reverse("foi_staff:detail", args=[r.pk]),
            r.due_on,
            r.organisation.name,
            "答复期限",
        )
        for r in due.select_related("organisation").order_by("due_on", "id")[:LINES]
    ]
    unconfirmed = requests_for(user).filter(state=State.SUBMITTED).select_related("organisation")
    lines += [
        Line(
            "today",
            "依申请公开",
            f"{r.tracking_code} {r.description[:30]}",
            reverse("foi_staff:detail", args=[r.pk]),
            today,
            r.organisation.name,
            "待确认受理（平常信函须在收到当日确认）",
        )
        for r in unconfirmed.order_by("arrived_at", "id")[:LINES]
    ]
    counts = _bucket_counts(due, "due_on", "organisation_id", "organisation__name", today, end)
    return lines, counts


def _records(org_ids, today, end):
    due = Record.objects.filter(
        attribute=Attribute.PROACTIVE,
        status__in=UNPUBLISHED,
        publish_due_on__lte=end,
        publisher_id__in=org_ids,
    )
    lines = [
        Line(
            _when(r.publish_due_on, today),
            "主动公开",
            r.title,
            reverse("catalog_staff:record", args=[r.pk]),
            r.publish_due_on,
            r.publisher.name,
            "20个工作日公开期限",
        )
        for r in due.select_related("publisher")
        .only("id", "title", "publish_due_on", "publisher__name")
        .order_by("publish_due_on", "id")[:LINES]
    ]
    counts = _bucket_counts(due, "publish_due_on", "publisher_id", "publisher__name", today, end)
    return lines, counts


def _tasks(org_ids, today, end):
    due = Assignment.objects.filter(
        completed_on__isnull=True, due_on__lte=end, organisation_id__in=org_ids
    )
    # One line per task and due date (a task shared by 30 units is one line, not 30).
    grouped = (
        due.values("task_id", "task__plan_id", "task__title", "task__requirement", "due_on")
        .annotate(units=Count("pk"), first=Min("pk"), unit=Min("organisation__name"))
        .order_by("due_on", "task_id")[:LINES]
    )
    lines = [
        Line(
            _when(row["due_on"], today),
            "工作任务",
            (row["task__title"] or row["task__requirement"])[:60],
            reverse("plans_staff:assignment", args=[row["first"]])
            if row["units"] == 1
            else reverse("plans_staff:ledger", args=[row["task__plan_id"]]),
            row["due_on"],
            row["unit"] if row["units"] == 1 else f"{row['units']} 个责任单位",
            "未完成",
        )
        for row in grouped
    ]
    counts = _bucket_counts(due, "due_on", "organisation_id", "organisation__name", today, end)
    return lines, counts


def _interaction(user, today, end):
    lines = []
    for item in dashboard_items(user):
        due = item.due.date() if isinstance(item.due, dt.datetime) else item.due
        if item.level == "veto":
            when = "veto"
        elif item.level in ("overdue", "missed") or (due and due < today):
            if item.level == "missed":
                continue  # a deadline already missed for good: the timeliness page shows it
            when = "overdue"
        elif due is None or due > end:
            continue
        else:
            when = _when(due, today)
        lines.append(Line(when, item.kind, item.title, item.url, due, "", item.detail))
    return lines[: LINES * 2]


ORDER = {"veto": 0, "overdue": 1, "today": 2, "week": 3}


def desk(user, today: dt.date) -> dict:
    end = week_end(today)
    org_ids = organisations_for(user).values("pk")
    request_lines, request_counts = _requests(user, today, end)
    record_lines, record_counts = _records(org_ids, today, end)
    task_lines, task_counts = _tasks(org_ids, today, end)
    lines = request_lines + record_lines + task_lines + _interaction(user, today, end)
    lines.sort(key=lambda line: (ORDER[line.when], line.due or dt.date.max, line.kind))

    sources = ("requests", "records", "tasks")
    units: dict[str, dict] = defaultdict(
        lambda: {"overdue": 0, "today": 0, "week": 0, **dict.fromkeys(sources, 0)}
    )
    for source, rows, unit_key in (
        ("requests", request_counts, "organisation__name"),
        ("records", record_counts, "publisher__name"),
        ("tasks", task_counts, "organisation__name"),
    ):
        for row in rows:
            unit = units[row[unit_key]]
            for bucket in ("overdue", "today", "week"):
                unit[bucket] += row[bucket]
                unit[source] += row[bucket]
    by_unit = sorted(
        ({"name": name, **counts} for name, counts in units.items()),
        key=lambda u: (-u["overdue"], -u["today"], -u["week"], u["name"]),
    )
    return {
        "week_end": end,
        "lines": lines,
        "veto": [line for line in lines if line.when == "veto"],
        "overdue": [line for line in lines if line.when == "overdue"],
        "today": [line for line in lines if line.when == "today"],
        "week": [line for line in lines if line.when == "week"],
        "by_unit": by_unit,
        "inbox": {
            "review": waiting_for(user, "review").count(),
            "sign": waiting_for(user, "sign").count(),
        },
    }


def _months(today: dt.date, n: int = 12) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def trends(user, today: dt.date) -> list[dict]:
    """Monthly series for the last twelve months, as bars for an SVG chart: requests received
    and records published. One aggregate query each."""
    months = _months(today)
    start = months[0]
    org_ids = organisations_for(user).values("pk")
    series = [
        (
            "依申请公开：每月收到申请",
            requests_for(user).filter(arrived_at__date__gte=start),
            "arrived_at",
        ),
        (
            "主动公开：每月发布政府信息",
            Record.objects.filter(
                publisher_id__in=org_ids, status=Status.PUBLISHED, published_at__date__gte=start
            ),
            "published_at",
        ),
    ]
    charts = []
    for title, qs, field in series:
        rows = qs.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk"))
        by_month = {
            (row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]): row[
                "n"
            ]
            for row in rows.order_by()
        }
        values = [by_month.get(month, 0) for month in months]
        charts.append(_chart(title, months, values))
    return charts


def _chart(title: str, months: list[dt.date], values: list[int]) -> dict:
    """Bar geometry for a 12-bar SVG (viewBox 0 0 360 150; bars 24 wide, 30 apart)."""
    top = max(values) or 1
    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        height = round(110 * value / top)
        bars.append(
            {
                "x": 6 + 30 * i,
                "y": 120 - height,
                "height": height,
                "value": value,
                "label": f"{month.month}月",
                "title": f"{month:%Y年%m月}：{value}",
                "text_x": 18 + 30 * i,
                "value_y": 120 - height - 4,
            }
        )
    return {"title": title, "bars": bars, "total": sum(values), "max": max(values)}
