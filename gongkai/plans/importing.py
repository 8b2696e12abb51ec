"""From a parsed document to what the preview shows and the import writes.

The parse (`importers.parse_file`) gives plain rows. Here each row's 牵头部门 and 责任单位 go
through ONE `orgs.resolver.Resolver` per import, whole cell at a time (the parser's name
lists joined back with 「、」, so prefixes and shared suffixes keep their context). Collectives
that are *selective* (「市政府有关部门、单位」) list candidates only: the officer picks the
members of each such collective once for the whole plan in the preview (`narrowing`:
{collective text: [ids]}); until then the task keeps the collective as written
(`open_collectives`) and assigns nobody through it.

Whose document it is (`importers.scope`) decides whether names are resolved at all: a name in
another government's document (a province's, another city's) is never mapped to one of the
tenant's organisations; it is kept as written with a warning. The officer confirms or corrects
the inferred scope (`scope_confirmed`: "same" or "other").

Every name resolved by anything weaker than the full name or a declared alias (a borrowed
prefix or suffix, a conjunction, a fuzzy match) is listed for the officer to confirm; so is
every cell the parser could not read fully, every missed milestone, and a plan that looks
already imported (same 文号, same title and year, or mostly the same rows).

Problems block the import (the message names the row); warnings are only highlighted.
"""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from gongkai.core.text import normalize_doc_no
from gongkai.orgs.models import Organisation
from gongkai.orgs.resolver import METHOD_LABELS, Method, Resolver
from gongkai.plans.importers import KEY_POINTS, ParsedPlan, Source, scope
from gongkai.plans.importers.duedates import due_from_cell

from .models import Cycle, PlanKind, Task, WorkPlan

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
    open_collectives: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.data["n"]


@dataclass
class Preview:
    kind: str
    rows: list[PreviewRow]
    collectives: dict[str, CollectiveChoice]
    scope: scope.IssuerScope = field(default_factory=scope.IssuerScope)
    foreign: bool = False  # another government's document: names are kept as written
    duplicates: list = field(default_factory=list)  # WorkPlans this looks like
    document_warnings: list[str] = field(default_factory=list)
    document_problems: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.document_problems + [p for row in self.rows for p in row.problems]

    @property
    def warnings(self) -> list[str]:
        return self.document_warnings + [w for row in self.rows for w in row.warnings]

    @property
    def ok(self) -> bool:
        return not self.problems


def _orgs(resolution, narrowing: dict, collectives: dict, n: int) -> tuple[list, list[str], list]:
    """(organisations, selective collective texts, collectives still open)."""
    orgs = {m.organisation.pk: m.organisation for m in resolution.organisations}
    selective, still_open = [], []
    for coll in resolution.collectives:
        if not coll.selective:
            continue
        selective.append(coll.text)
        choice = collectives.setdefault(coll.text, CollectiveChoice(coll.text, list(coll.members)))
        if n not in choice.rows:
            choice.rows.append(n)
        chosen = narrowing.get(coll.text)
        if not chosen:
            still_open.append(coll.text)
            continue
        for member in coll.members:
            if member.pk in chosen:
                orgs.setdefault(member.pk, member)
    return list(orgs.values()), selective, still_open


STRONG_METHODS = (Method.EXACT, Method.ALIAS, Method.COLLECTIVE)


def document_scope(parsed: dict, government: Organisation) -> scope.IssuerScope:
    return scope.infer(
        title=parsed.get("title"),
        doc_no=parsed.get("doc_no"),
        issuer=parsed.get("issuer"),
        tenant=government.name,
    )


def duplicates(parsed: dict, government: Organisation) -> list:
    """Plans of this government that look like this document: the same 文号, the same title
    and year, or at least 80% of the same requirements."""
    plans = WorkPlan.objects.filter(government=government)
    found = {}
    doc_no = normalize_doc_no(parsed.get("doc_no") or "")
    if doc_no:
        for plan in plans.exclude(doc_no=""):
            if normalize_doc_no(plan.doc_no) == doc_no:
                found[plan.pk] = (plan, f"文号相同（{plan.doc_no}）")
    if parsed.get("title") and parsed.get("year"):
        for plan in plans.filter(title=parsed["title"], year=parsed["year"]):
            found.setdefault(plan.pk, (plan, "标题和年度相同"))
    texts = {(r.get("requirement") or "").strip() for r in parsed["rows"]} - {""}
    if texts:
        shared = dict(
            Task.objects.filter(plan__government=government, requirement__in=texts)
            .values_list("plan_id")
            .annotate(n=Count("id"))
            .values_list("plan_id", "n")
        )
        for plan in plans.filter(pk__in=[p for p, k in shared.items() if k >= 0.8 * len(texts)]):
            found.setdefault(plan.pk, (plan, f"{shared[plan.pk]} 项具体要求相同"))
    return list(found.values())


def build_preview(parsed: dict, government: Organisation, narrowing: dict | None = None) -> Preview:
    """Resolve every row (one Resolver for the whole import) and list what needs fixing."""
    resolver = Resolver(government)
    narrowing = {k: {int(i) for i in v} for k, v in (narrowing or {}).items()}
    collectives: dict[str, CollectiveChoice] = {}
    is_points = parsed.get("kind") == KEY_POINTS
    doc_scope = document_scope(parsed, government)
    confirmed = parsed.get("scope_confirmed")
    foreign = confirmed == "other" or (confirmed != "same" and doc_scope.same is False)
    today = timezone.localdate()
    out = []
    for row in parsed["rows"]:
        label = where(row)
        problems, warnings = [], []
        for w in row.get("warnings") or []:
            warnings.append(f"{label}「{w['column']}」：{w['message']}")
        if foreign:
            lead: list[Any] = []
            responsible: list[Any] = []
            sel, still_open = [], []
            for key in ("lead_text", "responsible_text"):
                if row.get(key):
                    warnings.append(
                        f"{label}：「{row[key]}」是{doc_scope.label}的机构，不对应本级机构，"
                        "保留原文，不分配任务。"
                    )
            lead_res = resp_res = None
        else:
            lead_res = resolver.resolve(row.get("lead_text") or "")
            resp_res = resolver.resolve(row.get("responsible_text") or "")
            lead, sel_a, open_a = _orgs(lead_res, narrowing, collectives, row["n"])
            responsible, sel_b, open_b = _orgs(resp_res, narrowing, collectives, row["n"])
            sel, still_open = sel_a + sel_b, open_a + open_b
            for name in lead_res.unresolved:
                problems.append(f"{label}：牵头部门中的「{name}」未能识别为本级机构，请改正。")
            for name in resp_res.unresolved:
                problems.append(f"{label}：责任单位中的「{name}」未能识别为本级机构，请改正。")
            for match in lead_res.organisations + resp_res.organisations:
                if match.method not in STRONG_METHODS:
                    score = f"，相似度{match.score:.0f}" if match.score is not None else ""
                    warnings.append(
                        f"{label}：「{match.text}」按{METHOD_LABELS[match.method]}识别为"
                        f"「{match.organisation.name}」{score}，请确认。"
                    )
            has_units = lead or responsible or still_open
            if not is_points and not has_units and not (lead_res.unresolved or resp_res.unresolved):
                warnings.append(f"{label}：未列牵头部门和责任单位，导入后请指定。")
            elif not is_points and not lead and responsible:
                warnings.append(f"{label}：未列牵头部门，由责任单位落实。")
            elif not is_points and lead and not responsible and not still_open:
                warnings.append(f"{label}：未列责任单位，由牵头部门落实。")
        if not (row.get("requirement") or "").strip():
            problems.append(f"{label}：缺少具体要求。")
        if row.get("due") is None and not row.get("cycle"):
            warnings.append(f"{label}：未识别出完成时限（无时限的任务不计算序时进度）。")
        for m in row.get("milestones") or []:
            if date.fromisoformat(m["date"]) < today:
                warnings.append(f"{label}：阶段时限 {m['date']}（{m['text']}）已过。")
        out.append(
            PreviewRow(
                row,
                lead,
                responsible,
                list(lead_res.unresolved) if lead_res else [],
                list(resp_res.unresolved) if resp_res else [],
                sel,
                problems,
                warnings,
                still_open,
            )
        )
    preview = Preview(parsed.get("kind", ""), out, collectives, doc_scope, foreign)
    _document_checks(preview, parsed, government)
    return preview


def _document_checks(preview: Preview, parsed: dict, government: Organisation) -> None:
    s = preview.scope
    if s.same is None and not parsed.get("scope_confirmed"):
        preview.document_warnings.append(
            "未能从文号、发文机关和标题判断文件所属的政府和层级，按本级文件识别机构名称，请确认。"
        )
    elif preview.foreign:
        preview.document_warnings.append(
            f"本文件为{s.label}文件（依据：{'；'.join(s.evidence) or '导入人确认'}），"
            "其中的机构名称不对应本级机构，保留原文。如确为本级文件，请确认后重新识别。"
        )
    for text in parsed.get("warnings") or []:
        preview.document_warnings.append(text)
    if not parsed.get("duplicate_ok"):
        preview.duplicates = duplicates(parsed, government)
        for plan, why in preview.duplicates:
            preview.document_problems.append(
                f"该文件可能已导入：《{plan.title}》（编号 {plan.pk}，{why}）。"
                "如确为另一份计划，请确认后再导入。"
            )


def all_candidates(parsed: dict, government: Organisation) -> dict[str, list[int]]:
    """A narrowing that picks every candidate of every selective collective (what the office
    does when all of them do take part)."""
    preview = build_preview(parsed, government)
    return {text: [m.pk for m in c.members] for text, c in preview.collectives.items()}


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
