"""Read the tables of an earlier published report from .xlsx/.csv: the 2021 layout
(国办公开办函〔2021〕30号) or the 2019 layout used for the years up to 2020 (其他处理 a single row).

Rows are recognised by their labels as printed in reports (or by the JSON keys), whatever the
number of label columns; table 三 rows carry 7 numbers, the table 四 row 15.

The layout is read from the table itself — a single （六）其他处理 row is the 2019 layout, its
three sub-rows the 2021 one — and only when the table shows neither is it taken from the year;
`Parsed.layout_note` says which and why, and a layout that does not fit the year is warned.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.core.files import FileRefused, check_content, decode_text, limits, read_sheet_rows
from gongkai.reports import layout


class ParseError(Exception):
    pass


@dataclass
class Parsed:
    layout: str
    table3: dict
    table4: dict
    table2: dict = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    layout_note: str = ""
    warnings: list[str] = field(default_factory=list)


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_SUB = re.compile(r"^\s*(\d+)\s*[.．、]")
GROUP_WORDS = {
    "不予公开": "not_disclosed",
    "无法提供": "cannot_provide",
    "不予处理": "not_processed",
    "其他处理": "other",
}


def read_rows(data: bytes, name: str) -> list[list[str]]:
    """Every sheet's rows as text cells, read through `core.files` (content checked, CSV
    decoded as UTF-8 or GB18030, sheets within the row × column budget in a bounded child)."""
    lower = name.lower()
    if not lower.endswith((".csv", ".xlsx", ".xls")):
        raise ParseError("只支持 .xlsx、.xls 或 .csv 文件。")
    try:
        check_content(data, name)
        if lower.endswith(".csv"):
            text = decode_text(data, Path(name).name)
            rows = [list(r) for r in csv.reader(io.StringIO(text))]
            if len(rows) > limits()["rows"]:
                raise FileRefused(f"表格「{Path(name).name}」超过 {limits()['rows']} 行上限。")
            return rows
        rows = read_sheet_rows(data, name, all_sheets=True)
    except FileRefused as exc:
        raise ParseError(str(exc)) from exc
    return [["" if c is None else _cell(c) for c in r] for r in rows]


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _label_key(label: str, group: str | None) -> tuple[str | None, str | None]:
    """(row key, new group context) for a row label."""
    text = re.sub(r"\s+", "", label)
    if text in layout.TABLE3_ROW_KEYS:
        return text, group
    if "本年新收" in text or text.startswith("一、"):
        return "new", None
    if "上年结转" in text:
        return "carried_over", None
    if "结转下年" in text:
        return "carried_forward", None
    if "总计" in text and ("七" in text or text == "总计"):
        return "outcome_total", None
    if "部分公开" in text:
        return "partly_disclosed", None
    if "予以公开" in text:
        return "disclosed", None
    for word, outcome in GROUP_WORDS.items():
        if word in text:
            sub = _SUB.search(text.split(word, 1)[1])
            if sub:
                return f"{outcome}_{sub.group(1)}", outcome
            return outcome, outcome  # a group heading (or the 2019 single 其他处理 row)
    sub = _SUB.match(text)
    if sub and group:
        return f"{group}_{sub.group(1)}", group
    return None, group


def parse(data: bytes, name: str, year: int) -> Parsed:
    rows = read_rows(data, name)
    cells: dict[str, dict[str, int]] = {}
    table4_values: list[int] | None = None
    table2: dict = {}
    group = None
    single_other = False
    unknown = []
    for raw in rows:
        texts = [str(c).strip() for c in raw if str(c).strip()]
        numbers = [t for t in texts if _NUMBER.match(t)]
        labels = [t for t in texts if not _NUMBER.match(t)]
        label = "".join(labels)
        if len(numbers) == 15 and not label:
            table4_values = [int(float(n)) for n in numbers]
            continue
        if label in ("规章", "行政规范性文件", "规范性文件") and len(numbers) == 3:
            key: str | None = "rule" if label == "规章" else "normative"
            table2[key] = dict(
                zip(
                    ("issued", "repealed", "in_force"),
                    (int(float(n)) for n in numbers),
                    strict=True,
                )
            )
            continue
        key, group = _label_key(label, group)
        if key is None or len(numbers) < 7:
            if len(numbers) >= 7 and label:
                unknown.append(label)
            continue
        values = [int(float(n)) for n in numbers[-7:]]
        if key == "other":
            key, single_other = layout.LAYOUT_2019_OTHER_ROW, True
        if key not in layout.TABLE3_ROW_KEYS:
            unknown.append(label)
            continue
        cells[key] = dict(zip(layout.TABLE3_COLUMN_KEYS, values, strict=True))
    for required in ("new", "carried_over", "outcome_total", "carried_forward"):
        if required not in cells:
            raise ParseError(
                f"没有找到表三的“{layout.ROW_LABELS[required]}”行（需有 7 个数字：自然人、"
                "商业企业、科研机构、社会公益组织、法律服务机构、其他、总计）。"
            )
    table3 = layout.empty_table3()
    for key, row in cells.items():
        table3[key] = row
    table4 = layout.empty_table4()
    if table4_values:
        for i, group_key in enumerate(layout.TABLE4_GROUP_KEYS):
            table4[group_key] = dict(
                zip(layout.TABLE4_RESULT_KEYS, table4_values[i * 5 : i * 5 + 5], strict=True)
            )
    split_other = any(key.startswith("other_") for key in cells) and not single_other
    warnings = []
    if single_other:
        detected, why = layout.LAYOUT_2019, "表三的“其他处理”为一行"
    elif split_other:
        detected, why = layout.LAYOUT_2021, "表三的“其他处理”分项列出"
    else:
        detected = layout.layout_for_year(year)
        why = f"表三中没有“其他处理”行，按{year}年度推定"
    note = f"{layout.LAYOUT_LABELS[detected]}：{why}。"
    if detected != layout.layout_for_year(year) and (single_other or split_other):
        expected = layout.LAYOUT_LABELS[layout.layout_for_year(year)].split("（")[0]
        warnings.append(f"{year}年度报告通常使用{expected}，本表为{note}请核对年度。")
    if single_other:
        warnings.append(
            "2019 版格式的“其他处理”一行已记入 2021 版的“其他”分项（第3项），以便与本年度报告衔接。"
        )
    return Parsed(detected, table3, table4, table2, unknown, note, warnings)
