"""Import past requests from an officer's ledger (依申请公开登记台账), .xlsx or .csv.

The header row holds the keys below or their Chinese labels (docs/foi-import.md). Every row is
checked first; any error → nothing is imported and every problem is reported by row in Chinese.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from gongkai.core.files import (
    FileRefused,
    check_content,
    decode_text,
    limits,
    read_sheet_rows,
    run_bounded,
)

from .models import (
    OUTCOME_REASONS,
    Channel,
    InfoRequest,
    Outcome,
    RequesterKind,
    valid_outcome,
)

if TYPE_CHECKING:
    from os import PathLike

    from django.core.files import File

    from gongkai.core.actions import Actor
    from gongkai.orgs.models import Organisation

COLUMNS = {
    "ref": ("登记编号", "编号", "申请编号"),
    "org": ("办理机关", "受理机关", "机关"),
    "received_on": ("收到日期", "受理日期", "收到申请日期"),
    "channel": ("申请渠道", "渠道", "申请方式"),
    "requester_kind": ("申请人类型", "申请人情况"),
    "finished_on": ("办结日期", "答复日期"),
    "outcome": ("办理结果", "答复类型"),
    "outcome_reason": ("理由序号", "具体理由", "细分理由"),
    "description": ("申请内容", "申请信息内容"),
    "requester_name": ("申请人", "申请人姓名或名称"),
}
REQUIRED = ("ref", "org", "received_on", "channel", "requester_kind")

CHANNEL_LABELS = {
    "网上申请": Channel.ONLINE,
    "网上": Channel.ONLINE,
    "在线申请": Channel.ONLINE,
    "当面提交": Channel.IN_PERSON,
    "当面": Channel.IN_PERSON,
    "现场": Channel.IN_PERSON,
    "信函": Channel.POST,
    "邮寄": Channel.POST,
    "传真": Channel.FAX,
    "电子邮件": Channel.EMAIL,
    "邮件": Channel.EMAIL,
}
KIND_LABELS = {label: code for code, label in RequesterKind.choices} | {
    "法律服务机构": RequesterKind.LEGAL_SERVICE,
    "其他组织": RequesterKind.OTHER_ORG,
    "公民": RequesterKind.NATURAL_PERSON,
}
OUTCOME_LABELS = {label: code for code, label in Outcome.choices} | {
    "区分处理": Outcome.PARTLY_DISCLOSED,
}


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "created": self.created, "rows": self.rows, "errors": self.errors}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes, name: str) -> list[list[str]]:
    """The ledger's rows as text cells, read through `core.files` (content checked, CSV
    decoded as UTF-8 or GB18030, a sheet within the row × column budget in a bounded child).
    Raises ValueError (Chinese, naming the limit hit)."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError("只接受 .xlsx 或 .csv 文件。")
    try:
        check_content(data, name)
        if suffix == ".csv":
            return run_bounded(_csv_rows, decode_text(data, Path(name).name), label=name)
        return [[_cell(c) for c in row] for row in read_sheet_rows(data, name)]
    except FileRefused as exc:
        raise ValueError(str(exc)) from exc


def _csv_rows(text: str) -> list[list[str]]:
    rows = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    limit = limits()["rows"]
    if len(rows) > limit:
        raise FileRefused(f"表格超过 {limit} 行上限。")
    return rows


def _header(row: list[str]) -> tuple[dict[str, int], list[str]]:
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    lookup: dict[str, str] = {}
    for key, labels in COLUMNS.items():
        lookup[key] = key
        for label in labels:
            lookup[label] = key
    for i, title in enumerate(row):
        title = title.strip()
        if not title:
            continue
        column = lookup.get(title) or lookup.get(title.lower())
        if column is None:
            unknown.append(title)
        elif column not in mapping:
            mapping[column] = i
    return mapping, unknown


def _date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError


def import_file(
    file: File[Any] | str | PathLike[str],
    government: Organisation,
    *,
    actor: Actor = None,
    filename: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    name: str = filename or getattr(file, "name", "") or ""
    data = file.read() if hasattr(file, "read") else Path(file).read_bytes()
    return import_bytes(data, name, government, actor=actor, dry_run=dry_run)


def import_bytes(
    data: bytes,
    name: str,
    government: Organisation,
    *,
    actor: Actor = None,
    dry_run: bool = False,
) -> ImportResult:
    from gongkai.orgs.resolver import Resolver

    result = ImportResult()
    try:
        rows = read_rows(data, name)
    except ValueError as exc:
        result.errors.append(str(exc))
        return result
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        result.errors.append("文件为空，没有表头行。")
        return result
    header, _unknown = _header(rows[0])
    missing = [k for k in REQUIRED if k not in header]
    if missing:
        labels = "、".join(f"{k}（{COLUMNS[k][0]}）" for k in missing)
        result.errors.append(f"表头缺少必填列：{labels}。")
        return result
    resolver = Resolver(government)
    seen_refs: dict[str, int] = {}
    existing = set(
        InfoRequest.objects.filter(government=government)
        .exclude(ref="")
        .values_list("ref", flat=True)
    )
    parsed = []
    today = timezone.localdate()
    for number, row in enumerate(rows[1:], start=2):
        result.rows += 1

        def get(key: str, row: list[str] = row) -> str:
            return row[header[key]].strip() if key in header and header[key] < len(row) else ""

        errors = []
        ref = get("ref")
        if not ref:
            errors.append("登记编号（ref）不能为空")
        elif ref in existing:
            errors.append(f"登记编号「{ref}」已存在")
        elif ref in seen_refs:
            errors.append(f"登记编号「{ref}」与第 {seen_refs[ref]} 行重复")
        else:
            seen_refs[ref] = number
        org = None
        org_text = get("org")
        if not org_text:
            errors.append("办理机关（org）不能为空")
        else:
            resolution = resolver.resolve(org_text)
            orgs = {m.organisation.pk: m.organisation for m in resolution.organisations}
            if len(orgs) == 1 and not resolution.unresolved:
                org = next(iter(orgs.values()))
            elif not orgs:
                errors.append(f"办理机关「{org_text}」无法识别")
            else:
                names = "、".join(o.name for o in orgs.values())
                errors.append(f"办理机关「{org_text}」对应多个机关（{names}），请写明一个")
        try:
            received_on = _date(get("received_on"))
            if received_on is None:
                errors.append("收到日期（received_on）不能为空")
            elif received_on > today:
                errors.append(f"收到日期 {received_on} 晚于今天")
        except ValueError:
            received_on = None
            errors.append(f"收到日期「{get('received_on')}」格式不正确（应为 2026-03-02）")
        try:
            finished_on = _date(get("finished_on"))
        except ValueError:
            finished_on = None
            errors.append(f"办结日期「{get('finished_on')}」格式不正确（应为 2026-03-02）")
        if finished_on and received_on and finished_on < received_on:
            errors.append("办结日期早于收到日期")
        channel_text = get("channel")
        channel = (
            channel_text if channel_text in Channel.values else CHANNEL_LABELS.get(channel_text)
        )
        if channel is None:
            errors.append(
                f"申请渠道「{channel_text}」无法识别（可填 online、in_person、post、fax、email 或 网上申请、当面提交、信函、传真、电子邮件）"
            )
        kind_text = get("requester_kind")
        kind = kind_text if kind_text in RequesterKind.values else KIND_LABELS.get(kind_text)
        if kind is None:
            errors.append(
                f"申请人类型「{kind_text}」无法识别（可填 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）"
            )
        outcome_text = get("outcome")
        outcome = (
            outcome_text if outcome_text in Outcome.values else OUTCOME_LABELS.get(outcome_text, "")
        )
        reason_text = get("outcome_reason")
        reason = None
        if outcome_text and not outcome:
            errors.append(f"办理结果「{outcome_text}」不是年度报告中的类别")
        if reason_text:
            if not reason_text.isdigit():
                errors.append(f"理由序号「{reason_text}」应为数字")
            else:
                reason = int(reason_text)
        if outcome:
            problem = valid_outcome(outcome, reason)
            if problem:
                errors.append(problem.rstrip("。"))
        elif reason is not None:
            errors.append("填写了理由序号但没有办理结果")
        if finished_on and not outcome:
            errors.append("已办结的申请须填写办理结果")
        if outcome and not finished_on:
            errors.append("填写了办理结果但没有办结日期")
        if errors:
            result.errors.append(f"第 {number} 行：" + "；".join(errors) + "。")
            continue
        parsed.append(
            {
                "ref": ref,
                "org": org,
                "received_on": received_on,
                "finished_on": finished_on,
                "channel": channel,
                "kind": kind,
                "outcome": outcome,
                "reason": reason if outcome in OUTCOME_REASONS else None,
                "description": get("description") or "（历史台账导入）",
                "name": get("requester_name") or "（历史台账导入）",
            }
        )
    if result.errors or dry_run:
        return result
    from .actions.ledger import import_ledger

    result.created = import_ledger(actor, government, parsed, source=name)
    return result
