"""考核: automatic scores from the ledger, the ranking and its export.

A period is a half-year (``2021-H1``, ``2021-H2``) or a year (``2021``). The ledger is read as
it stood at the period's end (or today, if earlier). Counted are the assignments due within the
period, plus those without a due date for the year and the second half-year.

- completion: weight × done / counted
- deduction:  weight − min(cap or weight, deduction × overdue + deduction / 2 × behind)
- manual:     entered by the office, between 0 and the weight
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongkai.core.actions import ActionError

from .ledger import ledger_rows
from .models import Assessment, Assignment, Indicator, IndicatorMethod, WorkPlan
from .status import TaskStatus

PERIOD = re.compile(r"^(\d{4})(?:-(H1|H2))?$")
TWO = Decimal("0.01")


def period_bounds(period: str) -> tuple[date, date]:
    m = PERIOD.match(period or "")
    if not m:
        raise ActionError(f"考核期「{period}」格式不对，应为 2021、2021-H1 或 2021-H2。")
    year, half = int(m.group(1)), m.group(2)
    if half == "H1":
        return date(year, 1, 1), date(year, 6, 30)
    if half == "H2":
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def period_label(period: str) -> str:
    m = PERIOD.match(period or "")
    if not m:
        return period
    return f"{m.group(1)}年" + {"H1": "上半年", "H2": "下半年"}.get(m.group(2) or "", "度")


def automatic_scores(plan: WorkPlan, period: str, today: date) -> dict:
    start, end = period_bounds(period)
    at = min(today, end)
    rows = ledger_rows(plan, Assignment.objects.filter(task__plan=plan), at)
    counted = [
        r
        for r in rows
        if (r.assignment.due_on and start <= r.assignment.due_on <= end)
        or (r.assignment.due_on is None and end.month == 12)
    ]
    per_org: dict[int, list] = {}
    for r in counted:
        per_org.setdefault(r.assignment.organisation_id, []).append(r.status)
    out = {}
    for indicator in plan.indicators.exclude(method=IndicatorMethod.MANUAL):
        for org_id, statuses in per_org.items():
            n = len(statuses)
            done = statuses.count(TaskStatus.DONE)
            overdue = statuses.count(TaskStatus.OVERDUE)
            behind = statuses.count(TaskStatus.BEHIND)
            if indicator.method == IndicatorMethod.COMPLETION:
                score = indicator.weight * done / n
                note = f"应完成{n}项，已完成{done}项"
            else:
                cap = indicator.cap if indicator.cap is not None else indicator.weight
                lost = indicator.deduction * overdue + indicator.deduction / 2 * behind
                score = indicator.weight - min(cap, lost)
                note = f"逾期{overdue}项、滞后{behind}项，扣{min(cap, lost).quantize(TWO)}分"
            out[(indicator.pk, org_id)] = (
                max(Decimal(0), Decimal(score)).quantize(TWO, ROUND_HALF_UP),
                note,
            )
    return out


@dataclass
class RankRow:
    organisation_id: int
    name: str
    scores: dict[int, Decimal] = field(default_factory=dict)
    rank: int = 0
    cells: list[Decimal | None] = field(default_factory=list)  # per indicator, for the page

    @property
    def total(self) -> Decimal:
        return sum(self.scores.values(), Decimal(0))


def ranking(plan: WorkPlan, period: str) -> tuple[list[Indicator], list[RankRow]]:
    indicators = list(plan.indicators.all())
    rows: dict[int, RankRow] = {}
    for a in Assessment.objects.filter(indicator__plan=plan, period=period).select_related(
        "organisation"
    ):
        row = rows.setdefault(a.organisation_id, RankRow(a.organisation_id, a.organisation.name))
        row.scores[a.indicator_id] = a.score
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.name))
    previous, rank = None, 0
    for i, row in enumerate(ordered, start=1):
        if row.total != previous:
            rank, previous = i, row.total
        row.rank = rank
    return indicators, ordered


def export_xlsx(plan: WorkPlan, period: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from gongkai.core.documents import sheets

    indicators, rows = ranking(plan, period)
    wb = Workbook()
    ws = wb.active
    ws.title = "考核得分"
    ws.append([f"{plan.title}　{period_label(period)}考核得分"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["名次", "单位"] + [f"{i.name}（{i.weight}分）" for i in indicators] + ["总分"])
    for row in rows:
        ws.append(
            [row.rank, row.name]
            + [float(row.scores.get(i.pk, 0)) for i in indicators]
            + [float(row.total)]
        )
    sheets.ruled(ws, 2, [6, 34] + [14] * len(indicators) + [10])
    sheets.a4(ws, title_rows=2, landscape=len(indicators) > 5)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
