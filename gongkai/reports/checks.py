"""Checks before a report is published: blocking errors and warnings, each explained in Chinese.

`check_report` is pure (plain tables and texts in, checks out); `previous_tables` reads last
year's report (published on the platform, or imported) for the carry-over check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from gongkai.core import numbers
from gongkai.reports import layout

ERROR = "error"
WARNING = "warning"
PLACEHOLDER = "【请补充"


@dataclass
class Check:
    level: str  # error | warning
    code: str  # stable identifier (acknowledgements refer to it)
    message: str
    acknowledgeable: bool = False
    explanation: str = ""  # the officer's explanation of an acknowledged check

    @property
    def blocking(self) -> bool:
        return self.level == ERROR

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PreviousTable:
    source: str  # "platform" | "imported"
    label: str  # e.g. 「2024年度报告（平台发布）」
    carried_forward: dict[str, int]


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.blocking]


# --- Identity ----------------------------------------------------------------------------------


def identity_checks(table3: dict) -> list[Check]:
    checks = []
    for p in layout.identity_problems(table3):
        col = layout.COLUMN_LABELS[p.column]
        if p.kind == "identity":
            cell = {row: table3[row][p.column] for row in layout.TABLE3_ROW_KEYS}
            message = (
                f"表三“{col}”列不平衡：本年新收 {cell['new']} + 上年结转 {cell['carried_over']}"
                f" = {p.left}，而办理结果总计 {cell['outcome_total']} + 结转下年度 "
                f"{cell['carried_forward']} = {p.right}。两者应相等（一 + 二 = 三(七) + 四）；"
                "请检查是否有申请缺少办结日期或办理结果。"
            )
        elif p.kind == "outcome_sum":
            message = f"表三“{col}”列：各项办理结果之和为 {p.left}，但（七）总计为 {p.right}。"
        else:
            message = (
                f"表三“{layout.ROW_LABELS[p.row]}”行：各类申请人之和为 {p.left}，"
                f"但总计列为 {p.right}。"
            )
        checks.append(Check(ERROR, f"identity:{p.kind}:{p.column}:{p.row}", message))
    return checks


def table4_checks(table4: dict) -> list[Check]:
    return [
        Check(
            ERROR,
            f"identity:table4:{p.column}",
            f"表四“{layout.TABLE4_GROUP_LABELS[p.column]}”：结果维持、结果纠正、其他结果、"
            f"尚未审结之和为 {p.left}，但总计为 {p.right}。",
        )
        for p in layout.table4_problems(table4)
    ]


# --- Carry-over ----------------------------------------------------------------------------------


def carry_over_checks(table3: dict, previous: list[PreviousTable]) -> list[Check]:
    checks = []
    this = table3["carried_over"]
    for prev in previous:
        diffs = [
            f"{layout.COLUMN_LABELS[col]}：本年上年结转 {this.get(col, 0)}，"
            f"上年结转下年度 {int(prev.carried_forward.get(col) or 0)}"
            for col in layout.TABLE3_COLUMN_KEYS
            if int(this.get(col) or 0) != int(prev.carried_forward.get(col) or 0)
        ]
        if diffs:
            checks.append(
                Check(
                    ERROR,
                    f"carry_over:{prev.source}",
                    f"本年“上年结转”与{prev.label}的“结转下年度”不一致（"
                    + "；".join(diffs)
                    + "）。请核对上年报告和历史申请台账；确因上年报告有误的，请在报告中说明原因。",
                    acknowledgeable=True,
                )
            )
    return checks


# --- Numbers typed in the text vs the tables -----------------------------------------------------

NUMBER = numbers.PATTERN
_CLAUSE = r"[^，。；;,\n：:（(]"


@dataclass(frozen=True)
class TextFact:
    pattern: str  # the phrase that introduces the number
    label: str  # what the table calls it
    unit: str = "件|条|个"


TEXT_FACTS: tuple[TextFact, ...] = (
    TextFact(r"(?:新收|收到|新受理|受理)(?:各类|政府信息公开|依申请公开)*申请", "本年新收申请"),
    TextFact(r"上年结转", "上年结转申请"),
    TextFact(r"结转(?:至|到)?下(?:一)?年(?:度)?", "结转下年度申请"),
    TextFact(r"(?:办结|答复|办理完毕)(?:政府信息公开|依申请公开)?申请", "办理结果总计"),
    TextFact(r"予以公开", "予以公开"),
    TextFact(r"部分公开", "部分公开"),
    TextFact(r"不予公开", "不予公开"),
    TextFact(r"无法提供", "无法提供"),
    TextFact(r"不予处理", "不予处理"),
    TextFact(r"其他处理", "其他处理"),
    TextFact(r"行政复议", "行政复议总计", "件|起|宗|个"),
    TextFact(r"行政诉讼", "行政诉讼总计", "件|起|宗|个"),
)


def _fact_values(fact: TextFact, tables: dict) -> set[int]:
    t3 = tables["table3"]
    t4 = tables["table4"]

    def total(row):
        return int(t3[row]["total"])

    def group(outcome):
        return sum(total(r.key) for r in layout.OUTCOME_ROWS if r.outcome == outcome)

    label = fact.label
    if label == "本年新收申请":
        # 「受理/收到…申请 N 件」 is read as 新收, or as 新收 + 上年结转 (both are common).
        return {total("new"), total("new") + total("carried_over")}
    if label == "上年结转申请":
        return {total("carried_over")}
    if label == "结转下年度申请":
        return {total("carried_forward")}
    if label == "办理结果总计":
        return {total("outcome_total")}
    if label == "行政复议总计":
        return {int(t4["review"]["total"])}
    if label == "行政诉讼总计":
        direct, after = (
            int(t4[k]["total"]) for k in ("litigation_direct", "litigation_after_review")
        )
        return {direct + after, direct, after}
    outcome = {
        "予以公开": "disclosed",
        "部分公开": "partly_disclosed",
        "不予公开": "not_disclosed",
        "无法提供": "cannot_provide",
        "不予处理": "not_processed",
        "其他处理": "other",
    }[label]
    return {group(outcome)}


@dataclass
class Statement:
    """A number in the text and every fact it is stated for: 「予以公开22件」 names one;
    「予以公开及部分公开42件」 names two, and then the number is their sum."""

    facts: list[TextFact]
    number: int
    excerpt: str


def text_numbers(text: str) -> list[Statement]:
    """The statements found in a text, one per number."""
    found: dict[int, Statement] = {}
    for fact in TEXT_FACTS:
        regex = re.compile(
            rf"{fact.pattern}(?:{_CLAUSE}){{0,16}}?(?<![0-9０-９年月日第.．])({NUMBER})\s*(?:{fact.unit})(?!工作日|月|小时)"
        )
        for match in regex.finditer(text):
            number = numbers.chinese_number(match.group(1))
            if number is None:
                continue
            statement = found.get(match.start(1))
            if statement is not None:
                statement.facts.append(fact)
                continue
            start = max(match.start() - 8, 0)
            excerpt = text[start : match.end()].replace("\n", " ")
            found[match.start(1)] = Statement([fact], number, excerpt)
    return [found[k] for k in sorted(found)]


def _statement_values(statement: Statement, tables: dict) -> set[int]:
    """What the tables allow for a statement: the fact's value, or the sum of the facts named
    together (each fact may allow several readings)."""
    values = {0}
    for fact in statement.facts:
        values = {v + w for v in values for w in _fact_values(fact, tables)}
    return values


def text_checks(sections: dict[str, str], tables: dict) -> list[Check]:
    checks = []
    for key, title in layout.SECTIONS:
        text = sections.get(key) or ""
        if PLACEHOLDER in text:
            checks.append(
                Check(
                    ERROR,
                    f"placeholder:{key}",
                    f"“{title}”中还有待补充的内容（{PLACEHOLDER}…】），请填写后再发布。",
                )
            )
        if not text.strip():
            checks.append(Check(WARNING, f"empty:{key}", f"“{title}”尚未填写。"))
        for statement in text_numbers(text):
            expected = _statement_values(statement, tables)
            number = statement.number
            if number in expected:
                continue
            label = "与".join(f.label for f in statement.facts)
            total = "之和" if len(statement.facts) > 1 else ""
            shown = "或".join(str(v) for v in sorted(expected))
            checks.append(
                Check(
                    ERROR,
                    f"text:{key}:{label}:{number}",
                    f"“{title}”写明“…{statement.excerpt}”，即{label}{total} {number}，"
                    f"但表格中为 {shown}。文字与表格应当一致，请修改文字或核对表格；"
                    "确有理由（如统计口径不同）的，请说明理由。",
                    acknowledgeable=True,
                )
            )
    return checks


# --- Table 二 ------------------------------------------------------------------------------------


def table2_checks(table2: dict, sources: dict[str, str] | None = None) -> list[Check]:
    checks = []
    for key, label, block, measure in layout.ENTERED_FIGURES:
        if table2.get(key) is None:
            checks.append(
                Check(
                    WARNING,
                    f"table2_missing:{key}",
                    f"表二{block}“{label}”的{measure}尚未填写。该数据来自其他业务系统，"
                    "请填写并注明来源；确实没有的请填 0。",
                )
            )
    return checks


# --- All checks -----------------------------------------------------------------------------------


def check_report(
    tables: dict,
    sections: dict[str, str],
    previous: Sequence[PreviousTable] = (),
    acknowledged: dict[str, str] | None = None,
) -> list[Check]:
    acknowledged = acknowledged or {}
    checks = (
        identity_checks(tables["table3"])
        + table4_checks(tables.get("table4") or {})
        + carry_over_checks(tables["table3"], list(previous))
        + text_checks(sections, tables)
        + table2_checks(tables["table2"])
    )
    for check in checks:
        explanation = (acknowledged.get(check.code) or "").strip()
        if check.acknowledgeable and explanation:
            check.level = WARNING
            check.explanation = explanation
            check.message += f"（已说明：{explanation}）"
    checks.sort(key=lambda c: (c.level != ERROR, c.code))
    return checks


def previous_tables(organisation, year: int, scope: str = "own") -> list[PreviousTable]:
    """Last year's 结转下年度 row: from the report published on the platform and from an
    imported earlier report (either may be missing)."""
    from gongkai.reports.models import AnnualReport, EarlierReport, ReportStatus

    previous = []
    report = (
        AnnualReport.objects.filter(
            organisation=organisation, year=year - 1, scope=scope, status=ReportStatus.PUBLISHED
        )
        .prefetch_related("versions")
        .first()
    )
    if report is not None:
        version = max(report.versions.all(), key=lambda v: v.number, default=None)
        if version is not None and version.tables.get("table3"):
            previous.append(
                PreviousTable(
                    "platform",
                    f"{year - 1}年度报告（平台发布）",
                    version.tables["table3"]["carried_forward"],
                )
            )
    earlier = EarlierReport.objects.filter(
        organisation=organisation, year=year - 1, scope=scope
    ).first()
    if earlier is not None and earlier.table3.get("carried_forward"):
        previous.append(
            PreviousTable(
                "imported", f"导入的{year - 1}年度报告", earlier.table3["carried_forward"]
            )
        )
    return previous
