"""The annual report layout (国办公开办函〔2021〕30号, RULES.md §2) as plain data.

A pure module: no database, no Django models. The keys are the ones the CLI JSON prints
(issue 7, point 8); the labels are the ones printed in published reports. Counting lives in
reports.counters, checking in reports.checks; both read their rows and columns from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

YEAR_MIN = 2008  # the first year of annual reports (the 2007 条例 came into force in 2008)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("review", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)
SECTION_TITLES = dict(SECTIONS)

# --- Table 三 ----------------------------------------------------------------------------------

# (key, label) in the report's column order; the five organisation kinds sit under
# 法人或其他组织. The keys are the foi RequesterKind codes.
TABLE3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
TABLE3_COLUMN_KEYS = tuple(key for key, _ in TABLE3_COLUMNS)
REQUESTER_COLUMNS = TABLE3_COLUMN_KEYS[:-1]
ORG_COLUMNS = TABLE3_COLUMN_KEYS[1:-1]
CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Outcome groups in the report's order: (outcome code, label, sub-row labels).
OUTCOME_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("disclosed", "（一）予以公开", ()),
    ("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    (
        "not_disclosed",
        "（三）不予公开",
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    (
        "cannot_provide",
        "（四）无法提供",
        ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"),
    ),
    (
        "not_processed",
        "（五）不予处理",
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
    (
        "other",
        "（六）其他处理",
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ),
    ),
)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    outcome: str = ""  # the foi outcome code for an outcome row
    reason: int | None = None  # the sub-reason number (1-based) for a sub-row


def _rows() -> tuple[Row, ...]:
    rows = [
        Row("new", "一、本年新收政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量"),
    ]
    for outcome, label, subs in OUTCOME_GROUPS:
        if not subs:
            rows.append(Row(outcome, label, outcome))
        for number, sub in enumerate(subs, start=1):
            rows.append(Row(f"{outcome}_{number}", sub, outcome, number))
    rows.append(Row("outcome_total", "（七）总计"))
    rows.append(Row("carried_forward", "四、结转下年度继续办理"))
    return tuple(rows)


TABLE3_ROWS: tuple[Row, ...] = _rows()
TABLE3_ROW_KEYS = tuple(row.key for row in TABLE3_ROWS)
# The 21 outcome rows under 三、本年度办理结果 that add up to （七）总计.
OUTCOME_ROWS: tuple[Row, ...] = tuple(row for row in TABLE3_ROWS if row.outcome)
OUTCOME_ROW_KEYS = tuple(row.key for row in OUTCOME_ROWS)
ROW_LABELS = {row.key: row.label for row in TABLE3_ROWS}
COLUMN_LABELS = dict(TABLE3_COLUMNS)
RESULTS_HEADING = "三、本年度办理结果"


def outcome_row_key(outcome: str, reason: int | None) -> str | None:
    """The table 三 row of a final outcome, e.g. ("other", 3) → "other_3"; None if no row."""
    for row in OUTCOME_ROWS:
        if row.outcome == outcome and (row.reason or None) == (reason or None):
            return row.key
    return None


def empty_table3() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(TABLE3_COLUMN_KEYS, 0) for row in TABLE3_ROW_KEYS}


def complete_table3(cells: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Fill in the derived cells of a table given per-requester-kind counts: the 总计 column
    and the （七）总计 row. Missing cells count as 0."""
    table = empty_table3()
    for row in TABLE3_ROW_KEYS:
        for col in REQUESTER_COLUMNS:
            table[row][col] = int((cells.get(row) or {}).get(col) or 0)
    for col in REQUESTER_COLUMNS:
        table["outcome_total"][col] = sum(table[row][col] for row in OUTCOME_ROW_KEYS)
    for row in TABLE3_ROW_KEYS:
        table[row]["total"] = sum(table[row][col] for col in REQUESTER_COLUMNS)
    return table


# --- Table 四 ----------------------------------------------------------------------------------

TABLE4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
TABLE4_GROUP_KEYS = tuple(key for key, _ in TABLE4_GROUPS)
TABLE4_GROUP_LABELS = dict(TABLE4_GROUPS)
TABLE4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
TABLE4_RESULT_KEYS = tuple(key for key, _ in TABLE4_RESULTS)


def empty_table4() -> dict[str, dict[str, int]]:
    return {group: dict.fromkeys(TABLE4_RESULT_KEYS, 0) for group in TABLE4_GROUP_KEYS}


def complete_table4(cells: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    table = empty_table4()
    for group in TABLE4_GROUP_KEYS:
        for key in TABLE4_RESULT_KEYS[:-1]:
            table[group][key] = int((cells.get(group) or {}).get(key) or 0)
        table[group]["total"] = sum(table[group][k] for k in TABLE4_RESULT_KEYS[:-1])
    return table


def table4_problems(table4: dict[str, dict[str, int]]) -> list[IdentityProblem]:
    """Every way a table 四 breaks its arithmetic: in each group, 结果维持 + 结果纠正 + 其他结果
    + 尚未审结 = 总计 (the same kind of check as table 三's)."""
    problems = []
    for group in TABLE4_GROUP_KEYS:
        values = table4.get(group) or {}
        parts = sum(int(values.get(k) or 0) for k in TABLE4_RESULT_KEYS[:-1])
        total = int(values.get("total") or 0)
        if parts != total:
            problems.append(IdentityProblem(group, "table4_sum", parts, total))
    return problems


# --- Table 二 ----------------------------------------------------------------------------------

LIBRARY_KEYS: tuple[tuple[str, str], ...] = (("rule", "规章"), ("normative", "行政规范性文件"))
LIBRARY_MEASURES: tuple[tuple[str, str], ...] = (
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
)
# Figures that come from other systems: entered or imported by the officer, with a source.
ENTERED_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    # key, 信息内容, block heading, measure heading
    ("licensing", "行政许可", "第二十条第（五）项", "本年处理决定数量"),
    ("penalty", "行政处罚", "第二十条第（六）项", "本年处理决定数量"),
    ("enforcement", "行政强制", "第二十条第（六）项", "本年处理决定数量"),
    ("fees_wan_yuan", "行政事业性收费", "第二十条第（八）项", "本年收费金额（单位：万元）"),
)
ENTERED_KEYS = tuple(key for key, *_ in ENTERED_FIGURES)
ENTERED_LABELS = {key: label for key, label, *_ in ENTERED_FIGURES}


def empty_table2() -> dict:
    table: dict = {
        key: dict.fromkeys(("issued", "repealed", "in_force"), 0) for key, _ in LIBRARY_KEYS
    }
    table.update(dict.fromkeys(ENTERED_KEYS))
    return table


def figure_value(key: str, value) -> int | float | None:
    """JSON form of an entered figure: counts as int, the fee amount as a float (万元)."""
    if value is None:
        return None
    if key == "fees_wan_yuan":
        return float(Decimal(value).quantize(Decimal("0.0001")))
    return int(value)


# --- Identity ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityProblem:
    column: str
    kind: str  # "identity" | "outcome_sum" | "column_sum"
    left: int
    right: int
    row: str = ""


def identity_problems(table3: dict[str, dict[str, int]]) -> list[IdentityProblem]:
    """Every way a table 三 breaks its arithmetic: per column 一 + 二 = 三(七) + 四, （七）总计 is
    the sum of the 22 outcome rows, and 总计 is the sum of the six requester columns."""
    problems = []
    for col in TABLE3_COLUMN_KEYS:
        cell = {row: int((table3.get(row) or {}).get(col) or 0) for row in TABLE3_ROW_KEYS}
        left = cell["new"] + cell["carried_over"]
        right = cell["outcome_total"] + cell["carried_forward"]
        if left != right:
            problems.append(IdentityProblem(col, "identity", left, right))
        outcome_sum = sum(cell[row] for row in OUTCOME_ROW_KEYS)
        if outcome_sum != cell["outcome_total"]:
            problems.append(IdentityProblem(col, "outcome_sum", outcome_sum, cell["outcome_total"]))
    for row in TABLE3_ROW_KEYS:
        values = table3.get(row) or {}
        parts = sum(int(values.get(col) or 0) for col in REQUESTER_COLUMNS)
        total = int(values.get("total") or 0)
        if parts != total:
            problems.append(IdentityProblem("total", "column_sum", parts, total, row))
    return problems


# --- The 2019 layout (国办公开办函〔2019〕60号, used for reports of years up to 2020) -----------

LAYOUT_2021 = "2021"
LAYOUT_2019 = "2019"
LAYOUT_LABELS = {
    LAYOUT_2021: "2021 版格式（国办公开办函〔2021〕30号：其他处理分 3 项）",
    LAYOUT_2019: "2019 版格式（国办公开办函〔2019〕60号：其他处理为一行）",
}
# In the 2019 layout （六）其他处理 is a single row; an imported 2019 table keeps it under
# other_3 (the catch-all sub-row) so that （七）总计 and the identity still add up.
LAYOUT_2019_OTHER_ROW = "other_3"


def layout_for_year(year: int) -> str:
    return LAYOUT_2019 if year <= 2020 else LAYOUT_2021


# --- Deadlines (条例第49条) --------------------------------------------------------------------

GOVERNMENT_KINDS = ("government", "county_government")


def deadline(org_kind: str, year: int, scope: str = "own"):
    """The publication deadline of a year's report: departments by 31 January, governments (and
    a government's summary) by 31 March of the following year."""
    import datetime as dt

    if scope in ("summary", "region") or org_kind in GOVERNMENT_KINDS:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)
