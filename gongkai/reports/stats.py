"""The statistics dashboards: chart definitions built from reports.counters (the same numbers as
the annual report). Every chart is plain data that the page draws with ECharts, shows as a
table and offers as a CSV download."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

from gongkai.reports import counters, layout

MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar | line | pie
    categories: list[str]
    series: list[dict]  # [{"name": ..., "data": [...]}]
    note: str = ""
    unit: str = "件"
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def rows(self) -> list[list]:
        """The table view: a header row, then one row per category."""
        header = ["项目"] + [s["name"] for s in self.series]
        return [header] + [
            [category] + [s["data"][i] for s in self.series]
            for i, category in enumerate(self.categories)
        ]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([self.title])
        writer.writerows(self.rows())
        return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly


def charts(target: counters.Target, year: int, government=None) -> list[Chart]:
    t3 = counters.table3(target, year)
    result = [
        Chart(
            "requests_by_month",
            f"{year}年各月新收政府信息公开申请",
            "bar",
            MONTHS,
            [{"name": "新收申请", "data": counters.requests_by_month(target, year)}],
        ),
    ]
    outcomes = []
    for outcome, label, _ in layout.OUTCOME_GROUPS:
        n = sum(t3[r.key]["total"] for r in layout.OUTCOME_ROWS if r.outcome == outcome)
        outcomes.append((label.split("（区分")[0].lstrip("（一二三四五六）"), n))
    result.append(
        Chart(
            "outcomes",
            f"{year}年办理结果",
            "pie",
            [o for o, _ in outcomes],
            [{"name": "件数", "data": [n for _, n in outcomes]}],
        )
    )
    kinds = layout.TABLE3_COLUMNS[:-1]
    result.append(
        Chart(
            "requester_kinds",
            f"{year}年新收申请的申请人类型",
            "bar",
            [label for _, label in kinds],
            [{"name": "新收申请", "data": [t3["new"][k] for k, _ in kinds]}],
        )
    )
    handling = counters.handling_days(target, year)
    days = list(handling["histogram"].items())
    note = (
        f"办结 {handling['count']} 件，平均 {handling['average']} 个工作日，最长 "
        f"{handling['worst']} 个工作日。"
        if handling["count"]
        else "本年度尚无办结的申请。"
    )
    result.append(
        Chart(
            "handling_days",
            f"{year}年办理用时（工作日）",
            "bar",
            [f"{d}个工作日" for d, _ in days],
            [{"name": "办结件数", "data": [n for _, n in days]}],
            note=note,
            extra={"average": handling["average"], "worst": handling["worst"]},
        )
    )
    by_column = counters.records_by_column_and_month(target, year)
    result.append(
        Chart(
            "records_by_column",
            f"{year}年各栏目每月发布信息",
            "line",
            MONTHS,
            [{"name": name, "data": data} for name, data in by_column.items()]
            or [{"name": "发布信息", "data": [0] * 12}],
            unit="条",
        )
    )
    plans = counters.plan_facts(target, year)
    if plans and plans.get("tasks"):
        done = int(plans["done"] or 0)
        result.append(
            Chart(
                "plan_completion",
                f"{year}年工作要点任务完成情况",
                "pie",
                ["已完成", "未完成"],
                [{"name": "任务", "data": [done, int(plans["tasks"]) - done]}],
                unit="项",
            )
        )
    if government is not None and target.is_summary:
        rows = counters.requests_by_organisation(government, year)[:30]
        result.append(
            Chart(
                "by_organisation",
                f"{year}年各机构新收与办结申请",
                "bar",
                [r["organisation__name"] for r in rows],
                [
                    {"name": "新收", "data": [r["new"] for r in rows]},
                    {"name": "办结", "data": [r["finished"] for r in rows]},
                    {"name": "办理中", "data": [r["open"] for r in rows]},
                ],
            )
        )
    return result
