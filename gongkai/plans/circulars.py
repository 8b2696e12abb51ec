"""督查通报第N期 as a Word document, from the numbers frozen in `Circular.data`.

A circular is read by leaders: its body is a summary — the totals, a table of the units with
tasks behind or overdue (counts by status, worst first), the longest-overdue tasks named — and
the full list of tasks behind or overdue is its annex (附件), a table on its own pages. The
layout is GB/T 9704's (gongkai.core.documents), with a 简报-style masthead.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkai.core.documents import OfficialDocument, date_cn

from .models import Circular

WORST_NAMED = 5  # the longest-overdue tasks named in the body
REQUIREMENT_CHARS = 40  # how much of a named task's requirement the body quotes
ANNEX_TITLE = "进度滞后和逾期未完成任务清单"


def _cn_date(iso: str) -> str:
    return date_cn(date.fromisoformat(iso))


def filename(circular: Circular) -> str:
    return f"督查通报第{circular.number}期.docx"


def _short(text: str, limit: int = REQUIREMENT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def worst_cases(data: dict, limit: int = WORST_NAMED) -> list[dict]:
    """The overdue tasks with the earliest due dates (the longest overdue at the period's end),
    each with `days` overdue."""
    end = date.fromisoformat(data["period_end"])
    overdue = [a for a in data["annex"] if a["status"] == "overdue" and a["due_on"]]
    overdue.sort(key=lambda a: (a["due_on"], a["organisation"], a["n"]))
    return [{**a, "days": (end - date.fromisoformat(a["due_on"])).days} for a in overdue[:limit]]


def unit_grid(data: dict) -> list[list]:
    """Counts by unit and status for the units with tasks behind or overdue, worst first (the
    order of `data["by_organisation"]`)."""
    header = ["序号", "单位", "任务数", "已完成", "进度滞后", "逾期未完成", "完成率"]
    rows: list[list] = [[(h, 1, 1) for h in header]]
    units = [u for u in data["by_organisation"] if u["behind"] or u["overdue"]]
    for i, u in enumerate(units, start=1):
        values = [i, u["name"], u["total"], u["done"], u["behind"], u["overdue"]]
        rows.append([(str(v), 1, 1) for v in values] + [(f"{u['rate']}%", 1, 1)])
    return rows


def annex_grid(data: dict) -> list[list]:
    """Every task behind or overdue: overdue first, then by unit and due date."""
    header = ["序号", "责任单位", "具体要求", "完成时限", "序时进度", "完成进度", "状态"]
    rows: list[list] = [[(h, 1, 1) for h in header]]
    items = sorted(
        data["annex"],
        key=lambda a: (a["status"] != "overdue", a["organisation"], a["due_on"] or "9", a["n"]),
    )
    for i, item in enumerate(items, start=1):
        values = [
            str(i),
            item["organisation"] + (f"（{item['period']}）" if item["period"] else ""),
            " ".join(item["requirement"].split()),
            _cn_date(item["due_on"]) if item["due_on"] else "无",
            f"{item['expected']}%" if item["expected"] is not None else "—",
            f"{item['progress']}%",
            item["status_label"],
        ]
        rows.append([(v, 1, 1) for v in values])
    return rows


def render_docx(circular: Circular) -> bytes:
    data = circular.data
    t = data["totals"]
    issuer = f"{data['government']}政务公开办公室"
    doc = OfficialDocument()
    doc.masthead(
        "政务公开工作督查通报",
        f"第{circular.number}期",
        issuer=issuer,
        on=timezone.localdate(circular.created_at) if circular.created_at else None,
    )
    doc.blank()
    doc.title(f"{data['plan_title']}落实情况通报")
    doc.blank()
    doc.text(
        f"按照《{data['plan_title']}》要求，现将{_cn_date(data['period_start'])}至"
        f"{_cn_date(data['period_end'])}任务落实情况通报如下。"
    )
    doc.heading("一、总体情况")
    doc.text(
        f"本期纳入督查的任务{t['tasks']}项、分解到各单位{t['assignments']}项，其中已完成"
        f"{t['done']}项，按序时推进{t['on_schedule']}项，尚未开始{t['not_started']}项，进度滞后"
        f"{t['behind']}项，逾期未完成{t['overdue']}项；本期报送落实情况{t['reported_in_period']}项。"
    )
    doc.heading("二、各单位落实情况")
    classes = data["classes"]
    done = classes.get("done") or []
    doc.text(f"全部完成的单位（{len(done)}个）：{'、'.join(done) if done else '无'}。")
    grid = unit_grid(data)
    if len(grid) > 1:
        doc.text(
            f"存在逾期未完成任务的单位{len(classes.get('overdue') or [])}个，"
            f"进度滞后的单位{len(classes.get('behind') or [])}个，各单位任务落实情况见下表。"
        )
        doc.table(grid, (12, 69, 15, 15, 15, 15, 15), left_columns=(1,), size=12)
    else:
        doc.text("本期没有进度滞后或逾期未完成任务的单位。")
    worst = worst_cases(data)
    if worst:
        doc.heading("三、逾期时间最长的任务")
        for i, a in enumerate(worst, start=1):
            doc.text(
                f"{i}.{a['organisation']}：{_short(a['requirement'])}（完成时限"
                f"{_cn_date(a['due_on'])}，已逾期{a['days']}天，完成进度{a['progress']}%）。"
            )
    doc.heading(f"{'四' if worst else '三'}、工作要求")
    doc.text(
        "请进度滞后和逾期未完成任务的单位对照附件逐项分析原因，明确整改措施和完成时限，"
        "及时在工作台账中报送落实情况。"
    )
    if data["annex"]:
        doc.attachments([ANNEX_TITLE])
        doc.annex(ANNEX_TITLE)
        doc.table(annex_grid(data), (10, 30, 64, 20, 11, 11, 10), left_columns=(1, 2))
    return doc.save()
