"""Bulk import of existing records from a spreadsheet exported by an older website system.

`preview(data)` reads the first sheet (.xlsx), maps its header row onto record fields by the
usual column names (标题/名称, 文号/发文字号, 成文日期, 发布日期, 索引号, 主题分类, 体裁分类, 关键词,
内容概述/摘要, 正文/内容, 有效性, 公开属性 with 不公开理由 and 依据), and checks every row.
`commit()` imports all rows in one transaction — or none when any row is wrong — keeping the old
索引号 as `source_ref` so a second import of the same file adds nothing.

公开属性 decides what becomes public: a 主动公开 row is registered as published on its 发布日期;
a 依申请公开 or 不予公开 row is imported as a draft with that attribute and is never published
(the public gate shows only 主动公开 records). When the column is there, an empty or unknown
value is a row error, never a default to public.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from gongkai.catalog import actions, rules
from gongkai.catalog.models import Attribute, Genre, Record, Topic, Validity

HEADER_ALIASES = {
    "title": ("标题", "名称", "信息名称", "文件名称"),
    "doc_no": ("文号", "发文字号", "发文号"),
    "written_on": ("成文日期", "生成日期"),
    "published_at": ("发布日期", "发布时间", "公开日期"),
    "source_ref": ("索引号", "原索引号", "编号"),
    "topic": ("主题分类", "主题"),
    "genre": ("体裁分类", "体裁", "文种"),
    "keywords": ("关键词", "主题词"),
    "summary": ("内容概述", "摘要"),
    "body": ("正文", "内容"),
    "validity": ("有效性", "时效"),
    "attribute": ("公开属性", "公开方式", "公开类型"),
    "attribute_reason": ("不公开理由", "不予公开理由", "不公开原因", "理由"),
    "attribute_basis": ("不公开依据", "法律依据", "依据"),
}
MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    data: dict
    errors: list[str] = field(default_factory=list)

    @property
    def attribute_label(self) -> str:
        value = self.data.get("attribute")
        return Attribute(value).label if value else "（无法识别）"


@dataclass
class Preview:
    mapping: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


def _label_map(choices) -> dict[str, str]:
    out = {}
    for value, label in choices.choices:
        out[label] = value
        out[value] = value
        for part in label.replace("、", "，").split("，"):
            out.setdefault(part, value)
    return out


TOPICS, GENRES = _label_map(Topic), _label_map(Genre)
#: Every way an old system's export writes 公开属性 (the 2019 条例 names and older ones).
ATTRIBUTES = {
    **_label_map(Attribute),
    "主动": Attribute.PROACTIVE,
    "依申请": Attribute.ON_REQUEST,
    "依申请公开": Attribute.ON_REQUEST,
    "不公开": Attribute.WITHHELD,
    "不予公开": Attribute.WITHHELD,
    "免予公开": Attribute.WITHHELD,
    "免于公开": Attribute.WITHHELD,
    "非公开": Attribute.WITHHELD,
}
VALIDITIES = {
    **_label_map(Validity),
    "有效": Validity.IN_FORCE,
    "废止": Validity.REPEALED,
    "失效": Validity.EXPIRED,
}


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")[:3]))
    except ValueError:
        return "invalid"


def preview(data: bytes) -> Preview:
    from openpyxl import load_workbook

    result = Preview()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        result.errors.append("无法读取该文件，请上传 Excel（.xlsx）文件。")
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        result.errors.append("表格为空。")
        return result
    columns = {}
    for index, name in enumerate(header):
        name = str(name or "").strip()
        for fld, aliases in HEADER_ALIASES.items():
            if name in aliases and fld not in columns:
                columns[fld] = index
                result.mapping[fld] = name
    if "title" not in columns:
        result.errors.append("表头中没有“标题”或“名称”列。")
        return result
    if "attribute" not in columns:
        result.warnings.append(
            "表头中没有“公开属性”列：全部行将按主动公开导入并登记为已发布。"
            "如表中有依申请公开或不予公开的信息，请先加上“公开属性”列。"
        )
    seen_refs = set()
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(f"一次最多导入{MAX_ROWS}行。")
            break
        raw = {f: values[i] if i < len(values) else None for f, i in columns.items()}
        row = Row(number, {})
        title = str(raw.get("title") or "").strip()
        if not title:
            row.errors.append("标题为空")
        row.data["title"] = title[:300]
        for fld in ("doc_no", "keywords", "summary", "body", "source_ref"):
            row.data[fld] = str(raw.get(fld) or "").strip()
        for fld, label in (("written_on", "成文日期"), ("published_at", "发布日期")):
            value = _date(raw.get(fld))
            if value == "invalid":
                row.errors.append(f"{label}“{raw.get(fld)}”无法识别")
                value = None
            row.data[fld] = value
        if row.data["published_at"] is None and not any("发布日期" in e for e in row.errors):
            row.errors.append("发布日期为空")
        for fld, table, label, default in (
            ("topic", TOPICS, "主题分类", Topic.GENERAL),
            ("genre", GENRES, "体裁分类", Genre.OTHER),
            ("validity", VALIDITIES, "有效性", Validity.IN_FORCE),
        ):
            value = str(raw.get(fld) or "").strip()
            if not value:
                row.data[fld] = default
            elif value in table:
                row.data[fld] = table[value]
            else:
                row.errors.append(f"{label}“{value}”无法识别")
        _read_attribute(row, raw, "attribute" in columns)
        ref = row.data["source_ref"]
        if ref:
            if ref in seen_refs:
                row.errors.append(f"索引号“{ref}”在表中重复")
            seen_refs.add(ref)
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append("表格中没有数据行。")
    return result


def _read_attribute(row: Row, raw: dict, has_column: bool) -> None:
    """公开属性 of a row; with the column present a blank or unknown value is an error."""
    row.data["attribute_reason"] = str(raw.get("attribute_reason") or "").strip()
    row.data["attribute_basis"] = str(raw.get("attribute_basis") or "").strip()
    if not has_column:
        row.data["attribute"] = Attribute.PROACTIVE
        return
    value = "".join(str(raw.get("attribute") or "").split())
    if not value:
        row.errors.append("公开属性为空（应为主动公开、依申请公开或不予公开）")
        row.data["attribute"] = None
    elif value in ATTRIBUTES:
        row.data["attribute"] = ATTRIBUTES[value]
    else:
        row.errors.append(f"公开属性“{value}”无法识别（应为主动公开、依申请公开或不予公开）")
        row.data["attribute"] = None


@transaction.atomic
def commit(user, publisher, result: Preview) -> int:
    """Import every row, or nothing (raises ActionError): 主动公开 rows as published records,
    the others as non-public drafts that are never published."""
    if not rules.can_publish_record(user, Record(publisher=publisher)):
        raise actions.ActionError("导入已发布的信息须由本机构负责人或政务公开办公室操作。")
    if not result.ok:
        raise actions.ActionError("表格中有错误，未导入任何信息。")
    existing = set(
        Record.objects.filter(
            publisher=publisher,
            source_ref__in=[r.data["source_ref"] for r in result.rows if r.data["source_ref"]],
        ).values_list("source_ref", flat=True)
    )
    count = 0
    tz = timezone.get_current_timezone()
    for row in result.rows:
        data = dict(row.data)
        if data["source_ref"] and data["source_ref"] in existing:
            continue
        published_on = data.pop("published_at")
        source_ref = data.pop("source_ref")
        data["made_on"] = data.get("written_on") or published_on
        data["body"] = "".join(f"<p>{_escape(p)}</p>" for p in data["body"].splitlines() if p)
        record = actions.create_record(user, publisher, data, source_ref=source_ref)
        if record.attribute == Attribute.PROACTIVE:
            actions.record_past_publication(
                user, record, dt.datetime.combine(published_on, dt.time(9, 0), tzinfo=tz)
            )
        count += 1
    return count


def _escape(text):
    from django.utils.html import escape

    return escape(text)
