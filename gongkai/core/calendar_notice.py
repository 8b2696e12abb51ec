"""Reading a State Council holiday notice (YAML or CSV) into a validated `Notice`.

Pure: no database, no Django. The file mirrors the notice's table — per holiday, the days
off and the weekend make-up working days (调休上班) — plus the notice's year and title.
Every problem is reported in Chinese with its line number, and nothing is returned unless
the whole file is valid, so a bad file never loads half a year. Format: docs/calendar.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import yaml

from gongkai.core.files import FileRefused, decode_text

MAX_HOLIDAY_SPAN_DAYS = 31

# Field names accepted in the file (Chinese, or English for scripts).
META_KEYS = {
    "年份": "year",
    "year": "year",
    "标题": "title",
    "title": "title",
    "文号": "document_number",
    "document_number": "document_number",
    "发布日期": "published_on",
    "published_on": "published_on",
    "链接": "source_url",
    "source_url": "source_url",
    "示例": "is_example",
    "example": "is_example",
    "节日": "holidays",
    "holidays": "holidays",
}
HOLIDAY_KEYS = {
    "节日": "name",
    "名称": "name",
    "name": "name",
    "放假": "off",
    "off": "off",
    "调休上班": "workdays",
    "workdays": "workdays",
}
_LABELS = {
    "year": "年份",
    "title": "标题",
    "document_number": "文号",
    "published_on": "发布日期",
    "source_url": "链接",
    "is_example": "示例",
    "holidays": "节日",
    "name": "节日",
    "off": "放假",
    "workdays": "调休上班",
}
_TRUE = {"是", "true", "yes", "1", "y"}
_FALSE = {"否", "false", "no", "0", "n", ""}
_DATE = re.compile(r"(\d{4})(?:-|/|\.|年)(\d{1,2})(?:-|/|\.|月)(\d{1,2})日?")
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|～|—|–)\s*")
_LIST_SEP = re.compile(r"[;；、，,\s]+")
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class NoticeDay:
    date: date
    is_workday: bool  # True: a weekend make-up working day; False: a day off
    name: str
    line: int = 0


@dataclass(frozen=True)
class Notice:
    """One year's arrangement: the days that differ from Monday–Friday, and where it came from."""

    year: int
    title: str
    days: tuple[NoticeDay, ...] = ()
    document_number: str = ""
    published_on: date | None = None
    source_url: str = ""
    is_example: bool = False
    source_file: str = ""
    loaded_at: dt.datetime | None = None

    @property
    def days_off(self) -> tuple[NoticeDay, ...]:
        return tuple(d for d in self.days if not d.is_workday)

    @property
    def make_up_days(self) -> tuple[NoticeDay, ...]:
        return tuple(d for d in self.days if d.is_workday)


class NoticeError(ValueError):
    """The file is not a valid notice; `errors` lists every problem (「第N行：…」)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _at(line: int, message: str) -> str:
    return f"第{line}行：{message}" if line else message


@dataclass
class _RawHoliday:
    line: int
    name: str = ""
    off: list[tuple[str, int]] = field(default_factory=list)
    workdays: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _Raw:
    meta: dict[str, tuple[str, int]] = field(default_factory=dict)
    holidays: list[_RawHoliday] = field(default_factory=list)
    holidays_malformed: bool = False  # already reported; do not also say "no holidays"


# --- Entry points -------------------------------------------------------------------------------


def read_notice(path: str | Path) -> Notice:
    """Read and validate a notice file (.yaml/.yml or .csv; UTF-8, or GBK as Excel saves it)."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}.get(suffix)
    if fmt is None:
        raise NoticeError([f"不支持的文件类型「{suffix or path.name}」：应为 .yaml、.yml 或 .csv"])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NoticeError([f"找不到文件：{path}"]) from None
    except OSError as exc:
        raise NoticeError([f"无法读取文件 {path}：{exc.strerror or exc}"]) from None
    try:
        text = decode_text(data, path.name)
    except FileRefused as exc:
        raise NoticeError([str(exc)]) from None
    return replace(parse_notice(text, fmt=fmt), source_file=path.name)


def parse_notice(text: str, *, fmt: str) -> Notice:
    """Parse and validate notice text; fmt is "yaml" or "csv". Raises NoticeError."""
    errors: list[str] = []
    if fmt == "yaml":
        raw = _raw_from_yaml(text, errors)
    elif fmt == "csv":
        raw = _raw_from_csv(text, errors)
    else:
        raise ValueError(f"unknown notice format {fmt!r}")
    notice = _assemble(raw, errors) if raw is not None else None
    if errors or notice is None:
        raise NoticeError(errors or ["文件内容为空"])
    return notice


# --- YAML -------------------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    line: int = node.start_mark.line
    return line + 1


def _scalars(node: yaml.Node, what: str, errors: list[str]) -> list[tuple[str, int]]:
    """A scalar or a list of scalars, as (text, line) pairs; YAML null/empty gives []."""
    if isinstance(node, yaml.ScalarNode):
        text = node.value.strip()
        if node.tag.endswith(":null") or text in ("", "~"):
            return []
        return [(text, _line(node))]
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                if item.value.strip():
                    items.append((item.value.strip(), _line(item)))
            else:
                errors.append(_at(_line(item), f"「{what}」的每一项应为日期或日期区间"))
        return items
    errors.append(_at(_line(node), f"「{what}」应为日期、日期区间或它们的列表"))
    return []


def _raw_from_yaml(text: str, errors: list[str]) -> _Raw | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(_at(mark.line + 1 if mark else 0, f"YAML 格式错误：{problem}"))
        return None
    if root is None:
        errors.append("文件内容为空")
        return None
    if not isinstance(root, yaml.MappingNode):
        errors.append(_at(_line(root), "文件应由「项目: 值」组成（年份、标题、节日……）"))
        return None
    raw = _Raw()
    for key_node, value in root.value:
        key, line = str(key_node.value).strip(), _line(key_node)
        name = META_KEYS.get(key)
        if name is None:
            errors.append(
                _at(
                    line,
                    f"未知的项目「{key}」（可用：年份、标题、文号、发布日期、链接、示例、节日）",
                )
            )
        elif name in raw.meta or (name == "holidays" and raw.holidays):
            errors.append(_at(line, f"「{_LABELS[name]}」重复出现"))
        elif name == "holidays":
            if not isinstance(value, yaml.SequenceNode):
                errors.append(_at(line, "「节日」应为列表，每项包含 名称、放假、调休上班"))
                raw.holidays_malformed = True
                continue
            for item in value.value:
                holiday = _yaml_holiday(item, errors)
                if holiday is not None:
                    raw.holidays.append(holiday)
        elif isinstance(value, yaml.ScalarNode):
            raw.meta[name] = (value.value.strip(), _line(value))
        else:
            errors.append(_at(line, f"「{_LABELS[name]}」应为单个值"))
    return raw


def _yaml_holiday(item: yaml.Node, errors: list[str]) -> _RawHoliday | None:
    if not isinstance(item, yaml.MappingNode):
        errors.append(_at(_line(item), "每个节日应包含 名称、放假、调休上班"))
        return None
    holiday = _RawHoliday(line=_line(item))
    seen = set()
    for key_node, value in item.value:
        key, line = str(key_node.value).strip(), _line(key_node)
        name = HOLIDAY_KEYS.get(key)
        if name is None:
            errors.append(_at(line, f"未知的项目「{key}」（节日可用：名称、放假、调休上班）"))
            continue
        if name in seen:
            errors.append(_at(line, f"「{_LABELS[name]}」重复出现"))
            continue
        seen.add(name)
        if name == "name":
            if not isinstance(value, yaml.ScalarNode):
                errors.append(_at(line, "节日名称应为文字"))
            else:
                holiday.name = value.value.strip()
        else:
            items = _scalars(value, _LABELS[name], errors)
            setattr(holiday, name, [p for text, ln in items for p in _split(text, ln)])
    return holiday


# --- CSV --------------------------------------------------------------------------------------


def _raw_from_csv(text: str, errors: list[str]) -> _Raw:
    raw = _Raw()
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()  # Excel pads rows with empty cells
            if not cells or cells[0].startswith("#"):
                continue
            if header is None and HOLIDAY_KEYS.get(cells[0]) == "name":
                header = _csv_header(cells, line, errors)
            elif header is None:
                _csv_meta(raw, cells, line, errors)
            else:
                _csv_holiday(raw, header, cells, line, errors)
    except csv.Error as exc:
        errors.append(_at(reader.line_num, f"CSV 格式错误：{exc}"))
    if header is None and not errors:
        errors.append("缺少节日表的表头行「节日,放假,调休上班」")
    return raw


def _csv_header(cells: list[str], line: int, errors: list[str]) -> list[str]:
    header = []
    for cell in cells:
        name = HOLIDAY_KEYS.get(cell)
        if name is None:
            errors.append(_at(line, f"未知的列「{cell}」（可用：节日、放假、调休上班）"))
        elif name in header:
            errors.append(_at(line, f"列「{cell}」重复"))
        header.append(name or "")
    if "off" not in header:
        errors.append(_at(line, "表头缺少「放假」列"))
    return header


def _csv_meta(raw: _Raw, cells: list[str], line: int, errors: list[str]) -> None:
    name = META_KEYS.get(cells[0])
    if name is None or name == "holidays":
        errors.append(
            _at(
                line,
                f"未知的项目「{cells[0]}」（表头前可用：年份、标题、文号、发布日期、链接、示例）",
            )
        )
    elif len(cells) > 2:
        errors.append(_at(line, f"「{cells[0]}」行应只有两列：项目,值"))
    elif name in raw.meta:
        errors.append(_at(line, f"「{_LABELS[name]}」重复出现"))
    else:
        raw.meta[name] = (cells[1] if len(cells) > 1 else "", line)


def _csv_holiday(
    raw: _Raw, header: list[str], cells: list[str], line: int, errors: list[str]
) -> None:
    if len(cells) > len(header):
        errors.append(_at(line, f"列数（{len(cells)}）多于表头（{len(header)}）"))
        return
    holiday = _RawHoliday(line=line)
    for name, cell in zip(header, cells, strict=False):
        if name == "name":
            holiday.name = cell
        elif name in ("off", "workdays"):
            setattr(holiday, name, _split(cell, line))
    raw.holidays.append(holiday)


# --- Validation -------------------------------------------------------------------------------


def _split(text: str, line: int) -> list[tuple[str, int]]:
    """「2027-01-30、2027-02-14」 or 「2027-02-05 至 2027-02-13」 → items (ranges kept whole)."""
    text = _RANGE_SEP.sub("至", text.strip())
    return [(part, line) for part in _LIST_SEP.split(text) if part]


def _parse_date(text: str) -> date | None:
    m = _DATE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _bad_date(text: str) -> str:
    return f"日期「{text}」无效（应为 YYYY-MM-DD 格式的有效日期）"


def _assemble(raw: _Raw, errors: list[str]) -> Notice | None:
    meta = raw.meta
    year = _year(meta, errors)
    title, title_line = meta.get("title", ("", 0))
    if not title:
        errors.append(_at(title_line, "缺少「标题」（国务院办公厅通知的标题）"))
    elif len(title) > 200:
        errors.append(_at(title_line, "标题过长（不超过200字）"))
    number, number_line = meta.get("document_number", ("", 0))
    if len(number) > 100:
        errors.append(_at(number_line, "文号过长（不超过100字）"))
    published = None
    if meta.get("published_on", ("", 0))[0]:
        text, line = meta["published_on"]
        published = _parse_date(text)
        if published is None:
            errors.append(_at(line, "发布日期：" + _bad_date(text)))
    url, url_line = meta.get("source_url", ("", 0))
    if url and (not re.match(r"https?://\S+$", url) or len(url) > 500):
        errors.append(_at(url_line, f"链接「{url}」无效（应以 http:// 或 https:// 开头）"))
    example_text, example_line = meta.get("is_example", ("", 0))
    if example_text.lower() not in _TRUE | _FALSE:
        errors.append(_at(example_line, f"「示例」应为 是 或 否，而不是「{example_text}」"))
    if not raw.holidays and not raw.holidays_malformed:
        errors.append("没有任何节日安排（「节日」为空）")

    days: list[NoticeDay] = []
    seen: dict[date, int] = {}

    def accept(d: date, is_workday: bool, name: str, line: int) -> None:
        if year is not None and not (d.year == year or (d.year == year - 1 and d.month == 12)):
            errors.append(
                _at(
                    line,
                    f"日期 {d} 与年份不符：这是{year}年的安排，只能包含{year}年"
                    f"（及{year - 1}年12月）的日期",
                )
            )
        elif d in seen:
            errors.append(_at(line, f"日期 {d} 重复（第{seen[d]}行已列出）"))
        else:
            seen[d] = line
            days.append(NoticeDay(d, is_workday, name, line))

    for h in raw.holidays:
        name = h.name
        if not name:
            errors.append(_at(h.line, "节日名称为空"))
        elif len(name) > 100:
            errors.append(_at(h.line, "节日名称过长"))
        if not h.off:
            errors.append(_at(h.line, f"{name or '节日'}：缺少放假日期"))
        off: list[date] = []
        for text, line in h.off:
            span = _parse_span(text, line, errors)
            for d in span:
                accept(d, False, name, line)
            off.extend(span)
        off.sort()
        gaps = [b for a, b in pairwise(off) if (b - a).days > 1]
        if gaps:
            errors.append(
                _at(
                    h.line,
                    f"{name}：放假日期不连续（{gaps[0]} 之前有间断），区间请写成「开始 至 结束」",
                )
            )
        for text, line in h.workdays:
            workday = _parse_date(text)
            if workday is None:
                errors.append(_at(line, "调休上班：" + _bad_date(text)))
            elif workday.weekday() < 5:
                errors.append(
                    _at(
                        line,
                        f"{workday}（周{_WEEKDAYS[workday.weekday()]}）本来就是工作日，"
                        "不能列为调休上班日",
                    )
                )
            else:
                accept(workday, True, name, line)

    if errors or year is None:
        return None
    return Notice(
        year=year,
        title=title,
        days=tuple(sorted(days, key=lambda d: d.date)),
        document_number=number,
        published_on=published,
        source_url=url,
        is_example=example_text.lower() in _TRUE,
    )


def _year(meta: Mapping[str, tuple[str, int]], errors: list[str]) -> int | None:
    text, line = meta.get("year", ("", 0))
    if not text:
        errors.append(_at(line, "缺少「年份」"))
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1949 <= int(text) <= 2200:
        errors.append(_at(line, f"年份「{text}」无效（应为四位数年份，如 2027）"))
        return None
    return int(text)


def _parse_span(text: str, line: int, errors: list[str]) -> list[date]:
    """「2027-02-05至2027-02-13」 or a single date → the days, inclusive."""
    parts = text.split("至")
    if len(parts) > 2:
        errors.append(_at(line, f"放假区间「{text}」应写成「开始 至 结束」"))
        return []
    ends = [_parse_date(p) for p in parts]
    for part, d in zip(parts, ends, strict=True):
        if d is None:
            errors.append(_at(line, "放假：" + _bad_date(part)))
    first, last = ends[0], ends[-1]
    if first is None or last is None:  # (ends has one or two items)
        return []
    if last < first:
        errors.append(_at(line, f"放假区间「{text}」的结束日期早于开始日期"))
        return []
    if (last - first).days >= MAX_HOLIDAY_SPAN_DAYS:
        errors.append(_at(line, f"放假区间「{text}」超过{MAX_HOLIDAY_SPAN_DAYS}天，请检查"))
        return []
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
