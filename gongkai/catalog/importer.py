"""Bulk import of existing records from a spreadsheet exported by an older website system.

`preview(data, government, publisher=…, actor=…)` reads the first sheet (.xlsx), maps its header
row onto record fields by the usual column names (标题/名称, 文号/发文字号, 成文日期, 发布日期,
索引号, 主题分类, 体裁分类, 关键词, 内容概述/摘要, 正文/内容, 有效性, 公开属性 with 不公开理由 and
依据, 发布机构), and checks every row before anything is written: the publisher of each row
(resolved like the units of a plan, within the government), the actor's right to import for
it, every date (a 发布日期 after today is refused here, not on confirm), the attribute.
`commit()` imports all rows in one transaction — or none when any row is wrong — through
`catalog.actions.import_record`, keeping the old 索引号 as `source_ref` so a second import of
the same file adds nothing.

公开属性 decides what becomes public: a 主动公开 row is registered as published on its 发布日期;
a 依申请公开 or 不予公开 row is imported as a draft with that attribute and is never published
(the public gate shows only 主动公开 records). When the column is there, an empty or unknown
value is a row error, never a default to public.

A new 索引号 is numbered in the document's own year (`index_no.year_of`): its 成文日期, else the
year of its 文号, else its 发布日期 — the last with a warning in the preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from gongkai.catalog import actions
from gongkai.catalog.models import Attribute, Genre, Record, Topic, Validity
from gongkai.core.files import FileRefused, check_content, read_sheet_rows
from gongkai.core.text import doc_no_year

if TYPE_CHECKING:
    from gongkai.orgs.models import Organisation

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
    "publisher": ("发布机构", "发布单位", "信息发布机构", "公开主体", "发布主体"),
}
MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    data: dict
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    publisher: Organisation | None = None  # the Organisation the row is imported for
    exists: bool = False  # its 索引号 was imported before: skipped on commit

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

    @property
    def warned_rows(self) -> list[Row]:
        return [r for r in self.rows if r.warnings]

    @property
    def new_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.exists]

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "columns": dict(self.mapping),
            "rows": [
                {
                    "row": r.number,
                    "title": r.data.get("title", ""),
                    "publisher": r.publisher.name if r.publisher is not None else None,
                    "attribute": r.data.get("attribute"),
                    "published_on": _iso(r.data.get("published_at")),
                    "index_year": r.data.get("index_year"),
                    "already_imported": r.exists,
                    "errors": list(r.errors),
                    "warnings": list(r.warnings),
                }
                for r in self.rows
            ],
        }


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


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


UNREADABLE = "无法读取该文件，请上传 Excel 文件（.xlsx 或 .xls）；WPS 表格请另存为 .xlsx。"


def _sheet_rows(data: bytes, name: str):
    """The first sheet's rows as tuples of values (.xlsx, .xls, .ods), read by
    `core.files.read_sheet_rows`: checked by content, within the row × column budget, in a
    child under the memory and CPU limits. A WPS .et gets a message saying how to save it as
    .xlsx. Raises ValueError (Chinese, naming the limit hit)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".et", ".ett", ".wps"):
        raise ValueError(
            f"“{name}”是 WPS 格式，请在 WPS 表格中“另存为” Excel 文件（.xlsx）后重新上传。"
        )
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        name = f"{name or '上传文件'}.xlsx"  # a file without a known extension is read as .xlsx
    try:
        check_content(data, name)
        return iter(read_sheet_rows(data, name))
    except FileRefused as exc:
        raise ValueError(str(exc)) from exc


def preview(
    data: bytes, government, *, publisher=None, actor=None, name: str = "upload.xlsx"
) -> Preview:
    """Read and check every row; nothing is written. `publisher` is for a sheet without a
    发布机构 column; `actor` (a user, or a str for the command line) is checked per row."""
    result = Preview()
    try:
        rows = _sheet_rows(data, name)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    header = next(rows, None)
    if not header:
        result.errors.append("表格为空。")
        return result
    columns = {}
    for index, name in enumerate(header):
        name = "".join(str(name or "").split())
        for fld, aliases in HEADER_ALIASES.items():
            if name in aliases and fld not in columns:
                columns[fld] = index
                result.mapping[fld] = name
    if "title" not in columns:
        result.errors.append("表头中没有“标题”或“名称”列。")
        return result
    if "publisher" not in columns and publisher is None:
        result.errors.append("表头中没有“发布机构”列，请选择发布机构或在表中加上“发布机构”列。")
        return result
    if "attribute" not in columns:
        result.warnings.append(
            "表头中没有“公开属性”列：全部行将按主动公开导入并登记为已发布。"
            "如表中有依申请公开或不予公开的信息，请先加上“公开属性”列。"
        )
    seen_refs: dict[str, int] = {}
    today = timezone.localdate()
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
            elif value is not None and value > today:
                row.errors.append(f"{label}“{value.isoformat()}”晚于今天")
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
        _index_year(row)
        ref = row.data["source_ref"]
        if ref:
            if ref in seen_refs:
                row.errors.append(f"索引号“{ref}”与第{seen_refs[ref]}行重复")
            else:
                seen_refs[ref] = number
        row.publisher = publisher
        if "publisher" in columns:
            row.data["publisher_text"] = str(raw.get("publisher") or "").strip()
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append("表格中没有数据行。")
    _resolve_publishers(result, government, publisher)
    _check_rows(result, actor)
    for row in result.rows:
        result.warnings += [f"第{row.number}行：{w}" for w in row.warnings]
    return result


def _index_year(row: Row) -> None:
    """The year a new 索引号 is numbered in (as `index_no.year_of` will compute it)."""
    data = row.data
    if data.get("written_on"):
        data["index_year"] = data["written_on"].year
    elif doc_no_year(data["doc_no"]):
        data["index_year"] = doc_no_year(data["doc_no"])
    elif data.get("published_at"):
        data["index_year"] = data["published_at"].year
        row.warnings.append(
            f"没有成文日期，文号中也没有年份：索引号按发布日期的年份（{data['index_year']}年）编号"
        )


def _resolve_publishers(result: Preview, government, default) -> None:
    """发布机构 per row, resolved within the government like the units of a plan: exactly one
    organisation; anything weaker than the full name or a declared alias is warned."""
    from gongkai.orgs.resolver import METHOD_LABELS, Method, OrganisationMatch, Resolver

    texts = {r.data["publisher_text"] for r in result.rows if r.data.get("publisher_text")}
    if not texts:
        for row in result.rows:
            if "publisher_text" in row.data and default is None:
                row.errors.append("发布机构为空")
        return
    resolver = Resolver(government)
    found: dict[str, OrganisationMatch | str] = {}
    for text in texts:
        resolution = resolver.resolve(text)
        orgs = {m.organisation.pk: m for m in resolution.organisations}
        if len(orgs) == 1 and not resolution.unresolved and not resolution.collectives:
            found[text] = next(iter(orgs.values()))
        elif not orgs:
            found[text] = f"发布机构“{text}”在本级机构中找不到"
        else:
            names = "、".join(m.organisation.name for m in orgs.values())
            found[text] = f"发布机构“{text}”对应多个机构（{names}），请写明一个"
    for row in result.rows:
        text = row.data.get("publisher_text")
        if not text:
            if default is None:
                row.errors.append("发布机构为空")
            continue
        match = found[text]
        if isinstance(match, str):
            row.errors.append(match)
            row.publisher = None
            continue
        row.publisher = match.organisation
        if match.method not in (Method.EXACT, Method.ALIAS):
            row.warnings.append(
                f"发布机构“{text}”按{METHOD_LABELS[match.method]}识别为"
                f"“{match.organisation.name}”，请核对"
            )


def _check_rows(result: Preview, actor) -> None:
    """The actor's right per row, and which 索引号 were imported before (one query)."""
    refs = [r.data["source_ref"] for r in result.rows if r.data["source_ref"] and r.publisher]
    existing = set(
        Record.objects.filter(source_ref__in=refs).values_list("publisher_id", "source_ref")
    )
    allowed: dict[tuple, bool] = {}
    for row in result.rows:
        if row.publisher is None:
            continue
        if (row.publisher.pk, row.data["source_ref"]) in existing:
            row.exists = True
            row.warnings.append(f"索引号“{row.data['source_ref']}”已导入过，将跳过")
        key = (row.publisher.pk, row.data.get("attribute"))
        if actor is not None and key[1]:
            if key not in allowed:
                allowed[key] = actions.may_import(actor, row.publisher, key[1])
            if not allowed[key]:
                row.errors.append(f"您不能为“{row.publisher.name}”导入信息")


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


RECORD_DATA: tuple[str, ...] = (
    "title",
    "doc_no",
    "written_on",
    "topic",
    "genre",
    "keywords",
    "summary",
)
RECORD_DATA += ("validity", "attribute", "attribute_reason", "attribute_basis")


@transaction.atomic
def commit(actor, result: Preview) -> dict:
    """Import every new row, or nothing (raises ActionError): 主动公开 rows as published
    records, the others as non-public drafts that are never published. Returns the counts."""
    if not result.ok:
        raise actions.ActionError("表格中有错误，未导入任何信息。")
    tz = timezone.get_current_timezone()
    counts = {"published": 0, "not_public": 0, "skipped": 0}
    for row in result.rows:
        if row.exists:
            counts["skipped"] += 1
            continue
        data = {name: row.data[name] for name in RECORD_DATA}
        published_on = row.data["published_at"]
        data["made_on"] = row.data["written_on"] or published_on
        data["body"] = "".join(f"<p>{escape(p)}</p>" for p in row.data["body"].splitlines() if p)
        record = actions.import_record(
            actor,
            row.publisher,
            data,
            source_ref=row.data["source_ref"],
            published_at=dt.datetime.combine(published_on, dt.time(9, 0), tzinfo=tz),
        )
        counts["published" if record.attribute == Attribute.PROACTIVE else "not_public"] += 1
    return counts


def summary(counts: dict) -> str:
    text = f"已导入 {counts['published']} 条主动公开信息（已登记为已发布）"
    if counts["not_public"]:
        text += f"，{counts['not_public']} 条依申请公开或不予公开信息（为草稿，不在网站发布）"
    if counts["skipped"]:
        text += f"，{counts['skipped']} 条此前已导入，已跳过"
    return text + "。"
