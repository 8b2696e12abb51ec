"""Task tables: find the header by meaning, then read sections, task groups and tasks.

Works on `RawTable`s from any reader. Columns are found by what the header says, not where it
is. A row merged across the table (or one lone text in the 工作任务/序号 column) is a heading:
「一、…」 opens a section, 「（一）…」 a task group (`subsection`). A cell numbered 「一、」 or
「（一）」 in the 工作任务 column, or in a column the header does not name (a first column merged
down over its items), is such a heading too. Any other 工作任务 text is the item's own `title`;
an empty 工作任务 cell continues the title above (Word's vertical merge, or a merged cell that
an export left empty). A row that repeats the header (a table continued on a new page) is
skipped.

A blank cell never rejects the document: the row is kept with a warning naming the column
(an empty 具体要求 takes the item's title or group as its text, for the officer to complete).
Role phrases in a unit cell are split: 「办公室牵头，各科室配合」 gives a lead and a responsible
unit whatever the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import RawRow, RawTable, clean_lines, one_line, squeeze
from .duedates import due_from_cell, due_from_text, milestones
from .orgnames import split_org_names, split_roles
from .result import ParseError, PlanRow

TASK = "task"
LEAD = "lead"
RESPONSIBLE = "responsible"
REQUIREMENT = "requirement"
DUE = "due"
SEQ = "seq"

# Exact header texts first; then keywords, checked in this order (时限要求 is a due column,
# 牵头责任单位 a lead column, 任务要求 a requirement column).
EXACT_HEADERS = {
    "工作任务": TASK,
    "任务": TASK,
    "重点任务": TASK,
    "主要任务": TASK,
    "任务名称": TASK,
    "任务分类": TASK,
    "工作事项": TASK,
    "事项": TASK,
    "具体任务": REQUIREMENT,
    "任务内容": REQUIREMENT,
    "任务要求": REQUIREMENT,
    "具体要求": REQUIREMENT,
    "工作要求": REQUIREMENT,
    "工作内容": REQUIREMENT,
    "具体内容": REQUIREMENT,
    "主要内容": REQUIREMENT,
    "工作措施": REQUIREMENT,
    "牵头部门": LEAD,
    "牵头单位": LEAD,
    "牵头科室": LEAD,
    "牵头责任单位": LEAD,
    "责任单位": RESPONSIBLE,
    "配合单位": RESPONSIBLE,
    "责任科室": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
    "配合部门": RESPONSIBLE,
    "参与单位": RESPONSIBLE,
    "完成时限": DUE,
    "时限要求": DUE,
    "完成时间": DUE,
    "时间节点": DUE,
    "时限": DUE,
    "序号": SEQ,
    "编号": SEQ,
}
KEYWORD_HEADERS = [
    (SEQ, ("序号", "编号")),
    (DUE, ("时限", "时间", "期限", "节点")),
    (LEAD, ("牵头",)),
    (RESPONSIBLE, ("责任", "配合", "协办", "参与", "协同")),
    (REQUIREMENT, ("要求", "内容", "措施", "目标")),
    (TASK, ("任务", "事项")),
]
MULTI_COLUMN_ROLES = (LEAD, RESPONSIBLE)
MAX_HEADER_LEN = 12

CN_NUM = "[一二三四五六七八九十百〇零]+"
SECTION_ORDINAL = re.compile(rf"^{CN_NUM}\s*[、.．]")
GROUP_ORDINAL = re.compile(rf"^[（(]\s*{CN_NUM}\s*[）)]")


def header_role(text: str) -> str | None:
    """The meaning of one header cell, or None."""
    t = squeeze(text)
    t = re.sub(r"[（(][^）)]*[）)]$", "", t)  # 完成时限（截止日期）
    if not t or len(t) > MAX_HEADER_LEN:
        return None
    if t in EXACT_HEADERS:
        return EXACT_HEADERS[t]
    for role, keywords in KEYWORD_HEADERS:
        if any(k in t for k in keywords):
            return role
    return None


@dataclass(frozen=True)
class Columns:
    """Which grid columns hold which role."""

    task: int | None
    requirement: int | None
    due: int | None
    seq: int | None
    lead: tuple[int, ...]
    responsible: tuple[int, ...]

    @property
    def signature(self) -> tuple:
        return (self.task, self.requirement, self.due, self.seq, self.lead, self.responsible)


def map_header(cells: list[str]) -> Columns | None:
    """Columns if these cells look like a task-table header, else None.

    A header names at least two of 工作任务 / 牵头部门 / 责任单位 / 具体要求 / 完成时限, one of
    them 工作任务, 牵头部门 or 具体要求, and has no long cell (a task row always has one).
    """
    if any(len(squeeze(c)) > MAX_HEADER_LEN for c in cells if c):
        return None
    found: dict[str, list[int]] = {}
    for i, cell in enumerate(cells):
        role = header_role(cell) if cell else None
        if role is None:
            continue
        if role in found and role not in MULTI_COLUMN_ROLES:
            continue
        found.setdefault(role, []).append(i)
    roles = set(found) - {SEQ}
    if len(roles) < 2 or not roles & {TASK, LEAD, REQUIREMENT}:
        return None

    def first(role: str) -> int | None:
        return found[role][0] if role in found else None

    return Columns(
        task=first(TASK),
        requirement=first(REQUIREMENT),
        due=first(DUE),
        seq=first(SEQ),
        lead=tuple(found.get(LEAD, ())),
        responsible=tuple(found.get(RESPONSIBLE, ())),
    )


def find_header(table: RawTable) -> tuple[int, Columns] | None:
    for i, row in enumerate(table.rows):
        columns = map_header([clean_lines(c) for c in row.cells])
        if columns is not None:
            return i, columns
    return None


def require_requirement_column(row: RawRow, columns: Columns) -> None:
    if columns.requirement is None:
        names = "、".join(k for k, v in EXACT_HEADERS.items() if v == REQUIREMENT)
        raise ParseError(
            f"{row.source.describe()}的表头缺少「具体要求」列，无法确定每项任务的内容"
            f"（可识别的列名：{names}）。"
        )


@dataclass
class TableState:
    """Carried from row to row, and from one table to the next when a table continues."""

    section: str = ""
    subsection: str = ""
    title: str = ""
    columns: Columns | None = None
    width: int = 0
    signature: tuple | None = None
    labels: dict[int, str] | None = None  # header text per column, for messages

    def use_header(self, cells: list[str], columns: Columns) -> None:
        self.columns = columns
        self.labels = {i: squeeze(c) for i, c in enumerate(cells) if c}


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def _heading_text(row: RawRow, cells: list[str], columns: Columns) -> str | None:
    """The heading if this row is a section or task-group row, else None."""
    filled = {i: c for i, c in enumerate(cells) if c}
    if not filled:
        return None
    distinct = set(filled.values())
    if row.merged_across and len(distinct) == 1:
        return one_line(next(iter(distinct)))
    heading_columns = {columns.task, columns.seq} - {None}
    if len(distinct) == 1 and set(filled) <= heading_columns:
        return one_line(next(iter(distinct)))
    return None


def read_rows(
    table: RawTable,
    state: TableState,
    year: int | None,
    start: int,
    out: list[PlanRow],
) -> None:
    """Read task rows of `table` from row index `start` into `out`, updating `state`."""
    columns = state.columns
    assert columns is not None
    for row in table.rows[start:]:
        cells = [clean_lines(c) for c in row.cells]
        if not any(cells):
            continue
        again = map_header(cells)
        if again is not None:  # a header repeated on a new page, or a new table's header
            require_requirement_column(row, again)
            state.use_header(cells, again)
            columns = again
            continue
        seq = _cell(cells, columns.seq)
        if seq.isdigit() and not any(c for i, c in enumerate(cells) if i != columns.seq):
            continue  # a numbered but otherwise empty row
        heading = _heading_text(row, cells, columns)
        if heading is not None:
            _open_heading(state, heading, merged=row.merged_across)
            continue
        _headings_in_cells(state, cells, columns)
        task = _cell(cells, columns.task)
        if task and not _is_ordinal_heading(task):
            state.title = _strip_heading(task)
        elif columns.task is not None and not task and not row.merged_across:
            pass  # an empty 工作任务 cell: the title above continues (a vertical merge)
        out.append(_task_row(row, cells, columns, state, year, len(out) + 1))


def _strip_heading(text: str) -> str:
    return one_line(text).strip().rstrip("。；;：:").strip()


def _is_ordinal_heading(text: str) -> bool:
    line = one_line(text).strip()
    return bool(SECTION_ORDINAL.match(line) or GROUP_ORDINAL.match(line))


def _open_heading(state: TableState, heading: str, *, merged: bool) -> None:
    heading = _strip_heading(heading)
    if GROUP_ORDINAL.match(heading) or (not merged and not SECTION_ORDINAL.match(heading)):
        if heading != state.subsection:
            state.subsection, state.title = heading, ""
    elif heading != state.section:
        state.section, state.subsection, state.title = heading, "", ""


def _headings_in_cells(state: TableState, cells: list[str], columns: Columns) -> None:
    """「一、…」 or 「（一）…」 in the 工作任务 column or an unnamed column (merged down)."""
    named = {columns.requirement, columns.due, columns.seq, *columns.lead, *columns.responsible}
    for i, cell in enumerate(cells):
        if i in named or not cell or not _is_ordinal_heading(cell):
            continue
        if len(one_line(cell)) > MAX_HEADING_LEN:
            continue
        _open_heading(state, cell, merged=bool(SECTION_ORDINAL.match(one_line(cell).strip())))


MAX_HEADING_LEN = 60
BLANK_MARKS = ("—", "－", "-", "/", "／", "无", "——")


def _blank(text: str) -> bool:
    return not text or text.strip() in BLANK_MARKS


def _task_row(
    row: RawRow, cells: list[str], columns: Columns, state: TableState, year, n: int
) -> PlanRow:
    labels = state.labels or {}
    requirement = _cell(cells, columns.requirement)
    warnings: list[tuple[str, str]] = []
    if _blank(requirement):
        requirement = state.title or state.subsection
        warnings.append(
            (
                labels.get(columns.requirement, "具体要求")
                if columns.requirement is not None
                else "具体要求",
                "单元格为空，已暂以工作任务名称代替，请补充具体要求"
                if requirement
                else "单元格为空，请补充具体要求",
            )
        )
    lead, responsible = _units(cells, columns)
    if columns.lead and all(_blank(_cell(cells, i)) for i in columns.lead):
        warnings.append((labels.get(columns.lead[0], "牵头单位"), "单元格为空，请补充牵头单位"))
    elif (
        not columns.lead
        and columns.responsible
        and all(_blank(_cell(cells, i)) for i in columns.responsible)
    ):
        label = labels.get(columns.responsible[0], "责任单位")
        warnings.append((label, "单元格为空，请补充责任单位"))
    due_cell = _cell(cells, columns.due)
    if columns.due is not None and _blank(due_cell):
        warnings.append((labels.get(columns.due, "完成时限"), "单元格为空，请补充完成时限"))
        due_cell = ""
    due = due_from_cell(due_cell, year) if due_cell else due_from_text(requirement, year)
    if due_cell and due.date is None and due.cycle is None:
        warnings.append(
            (
                labels.get(columns.due, "完成时限") if columns.due is not None else "完成时限",
                f"「{due_cell}」无法识别为日期或周期",
            )
        )
    out = PlanRow(
        n=n,
        section=state.section,
        subsection=state.subsection,
        title=state.title,
        requirement=requirement,
        lead=lead,
        responsible=responsible,
        due=due.date,
        due_text=due.text,
        cycle=due.cycle,
        source=row.source,
        milestones=milestones(due),
    )
    for column, message in warnings:
        out.warn(column, message)
    return out


def _units(cells: list[str], columns: Columns) -> tuple[list[str], list[str]]:
    """Lead and responsible names; a role phrase in any unit cell decides by itself."""
    lead: list[str] = []
    responsible: list[str] = []
    for indexes, default in ((columns.lead, lead), (columns.responsible, responsible)):
        for i in indexes:
            text = _cell(cells, i)
            if _blank(text):
                continue
            roles = split_roles(text)
            if roles is None:
                default += [n for n in split_org_names(text) if n not in default]
                continue
            lead += [n for n in roles[0] if n not in lead]
            responsible += [n for n in roles[1] if n not in responsible]
    return lead, responsible


def read_task_tables(
    tables: list[tuple[RawTable, bool]], year: int | None
) -> tuple[list[PlanRow], RawTable | None, int]:
    """Rows from the first table with a header and the tables that continue it.

    `tables` pairs each table with whether it directly follows the previous one (no text in
    between). A later table continues the first when it has the same header, or when it
    directly follows with the same width and no header (a table split over pages).
    Returns the rows, the first task table and the index of its header row (rows above it
    are title rows).
    """
    state = TableState()
    rows: list[PlanRow] = []
    first: RawTable | None = None
    header_at = -1
    for table, adjacent in tables:
        width = max((len(r.cells) for r in table.rows), default=0)
        found = find_header(table)
        if first is None:
            if found is None:
                continue
            first, (header_at, columns) = table, found
        elif found is not None:
            _, columns = found
            if columns.signature != state.signature:
                continue
        elif adjacent and width == state.width:
            read_rows(table, state, year, 0, rows)
            continue
        else:
            continue
        require_requirement_column(table.rows[found[0]], columns)
        state.use_header([clean_lines(c) for c in table.rows[found[0]].cells], columns)
        state.width = width
        state.signature = columns.signature
        read_rows(table, state, year, found[0] + 1, rows)
    return rows, first, header_at
