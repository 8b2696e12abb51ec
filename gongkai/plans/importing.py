"""From a parsed document to what the preview shows and the import writes.

The parse (`importers.parse_file`) gives plain rows. Here each row's 牵头部门 and 责任单位 go
through ONE `orgs.resolver.Resolver` per import, whole cell at a time (the parser's name
lists joined back with 「、」, so prefixes and shared suffixes keep their context). Collectives
that are *selective* (「市政府有关部门、单位」) list candidates only: the officer narrows each
such collective once for the whole plan in the preview (`narrowing`: {collective text: [ids]};
a collective not narrowed yet keeps all its candidates).

Problems block the import (the message names the row); warnings are only highlighted.
"""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass, field
from datetime import date

from gongkai.orgs.models import Organisation
from gongkai.orgs.resolver import Resolver
from gongkai.plans.importers import KEY_POINTS, ParsedPlan, Source
from gongkai.plans.importers.duedates import due_from_cell

from .models import Cycle, PlanKind

COMMITMENT_MARK = "承诺事项"  # a task group about 公开承诺事项 is public by default
NAME_JOINER = "、"


def rows_for_preview(parsed: ParsedPlan) -> dict:
    """The parse as JSON for a PlanImport, names as editable text."""
    data = parsed.to_dict()
    for row in data["rows"]:
        row["lead_text"] = NAME_JOINER.join(row.pop("lead"))
        row["responsible_text"] = NAME_JOINER.join(row.pop("responsible"))
    return data


def where(row: dict) -> str:
    """「第3项（表格第5行）」: how messages name a row."""
    src = row.get("source") or {}
    try:
        place = Source(**src).describe()
    except TypeError:
        place = ""
    return f"第{row['n']}项" + (f"（{place}）" if place else "")


@dataclass
class CollectiveChoice:
    text: str
    members: list[Organisation]
    rows: list[int] = field(default_factory=list)


@dataclass
class PreviewRow:
    data: dict
    lead: list[Organisation]
    responsible: list[Organisation]
    unresolved_lead: list[str]
    unresolved_responsible: list[str]
    selective: list[str]
    problems: list[str]
    warnings: list[str]

    @property
    def n(self) -> int:
        return self.data["n"]


@dataclass
class Preview:
    kind: str
    rows: list[PreviewRow]
    collectives: dict[str, CollectiveChoice]

    @property
    def problems(self) -> list[str]:
        return [p for row in self.rows for p in row.problems]

    @property
    def warnings(self) -> list[str]:
        return [w for row in self.rows for w in row.warnings]

    @property
    def ok(self) -> bool:
        return not self.problems


def _orgs(resolution, narrowing: dict, collectives: dict, n: int) -> tuple[list, list[str]]:
    orgs = {m.organisation.pk: m.organisation for m in resolution.organisations}
    selective = []
    for coll in resolution.collectives:
        if not coll.selective:
            continue
        selective.append(coll.text)
        choice = collectives.setdefault(coll.text, CollectiveChoice(coll.text, list(coll.members)))
        if n not in choice.rows:
            choice.rows.append(n)
        chosen = narrowing.get(coll.text)
        for member in coll.members:
            if chosen is None or member.pk in chosen:
                orgs.setdefault(member.pk, member)
    return list(orgs.values()), selective


def build_preview(parsed: dict, government: Organisation, narrowing: dict | None = None) -> Preview:
    """Resolve every row (one Resolver for the whole import) and list what needs fixing."""
    resolver = Resolver(government)
    narrowing = {k: {int(i) for i in v} for k, v in (narrowing or {}).items()}
    collectives: dict[str, CollectiveChoice] = {}
    is_points = parsed.get("kind") == KEY_POINTS
    out = []
    for row in parsed["rows"]:
        lead_res = resolver.resolve(row.get("lead_text") or "")
        resp_res = resolver.resolve(row.get("responsible_text") or "")
        lead, sel_a = _orgs(lead_res, narrowing, collectives, row["n"])
        responsible, sel_b = _orgs(resp_res, narrowing, collectives, row["n"])
        problems, warnings = [], []
        label = where(row)
        if not (row.get("requirement") or "").strip():
            problems.append(f"{label}：缺少具体要求。")
        for name in lead_res.unresolved:
            problems.append(f"{label}：牵头部门中的「{name}」未能识别为本级机构，请改正。")
        for name in resp_res.unresolved:
            problems.append(f"{label}：责任单位中的「{name}」未能识别为本级机构，请改正。")
        if not is_points and not lead and not lead_res.unresolved:
            problems.append(f"{label}：缺少牵头部门。")
        if not is_points and lead and not responsible and not resp_res.unresolved:
            warnings.append(f"{label}：未列责任单位，由牵头部门落实。")
        if row.get("due") is None and not row.get("cycle"):
            warnings.append(f"{label}：未识别出完成时限（无时限的任务不计算序时进度）。")
        out.append(
            PreviewRow(
                row,
                lead,
                responsible,
                list(lead_res.unresolved),
                list(resp_res.unresolved),
                sel_a + sel_b,
                problems,
                warnings,
            )
        )
    return Preview(parsed.get("kind", ""), out, collectives)


def apply_due_text(row: dict, text: str, year: int | None) -> None:
    """The officer typed a 完成时限: read it like a 完成时限 cell."""
    text = text.strip()
    due = due_from_cell(text, year) if text else None
    row["due_text"] = text or None
    row["due"] = due.date.isoformat() if due and due.date else None
    row["cycle"] = due.cycle if due else None


def plan_kind(parsed: dict, parent_id: int | None, organisation, government) -> str:
    if parent_id is not None and organisation.pk != government.pk:
        return PlanKind.IMPLEMENTATION
    return parsed.get("kind") or PlanKind.TASK_TABLE


# --- periods of recurring tasks ----------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, pycal.monthrange(year, month)[1])


def periods(cycle: str | None, year: int, due: date | None, issued_on: date):
    """[(label, start, due)] for one task: one per period for a recurring task (periods that end
    before the plan was issued are skipped), else one without a label."""
    spans: list[tuple[str, date, date]] = []
    if cycle == Cycle.MONTHLY:
        spans = [(f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    elif cycle == Cycle.QUARTERLY:
        spans = [
            (f"{year}-Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)
        ]
    elif cycle == Cycle.HALF_YEARLY:
        spans = [
            (f"{year}-H1", date(year, 1, 1), date(year, 6, 30)),
            (f"{year}-H2", date(year, 7, 1), date(year, 12, 31)),
        ]
    elif cycle == Cycle.YEARLY:
        return [("", None, due or date(year, 12, 31))]
    else:  # no cycle, or ongoing (长期): one assignment, due only if the task has a date
        return [("", None, due)]
    kept = [s for s in spans if s[2] >= issued_on]
    return kept or spans[-1:]
