"""Read a workbook (.xlsx, .xls, .ods) with python-calamine: one RawTable per sheet.

Merged ranges are filled with their top-left value, so a 工作任务 cell merged down repeats on
every row it covers; a range covering a whole row's width marks the row `merged_across`.
Numbers that are whole print without '.0'; dates print as ISO dates.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from .document import RawDocument, RawRow, RawTable
from .result import SOURCE_TABLE_ROW, ParseError, Source


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta | time):
        return str(value)
    return str(value)


def _read_sheet(workbook: CalamineWorkbook, name: str, index: int) -> RawTable:
    sheet = workbook.get_sheet_by_name(name)
    values = sheet.to_python(skip_empty_area=False)
    width = max((len(r) for r in values), default=0)
    grid = [[cell_text(v) for v in row] + [""] * (width - len(row)) for row in values]
    used = [i for i in range(width) if any(row[i] for row in grid)]
    first_col, last_col = (used[0], used[-1]) if used else (0, 0)
    across: set[int] = set()
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        if r0 >= len(grid) or c0 >= width:
            continue
        anchor = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r][c] = anchor
        if r0 == r1 and c0 <= first_col and c1 >= last_col and last_col > first_col:
            across.add(r0)
    rows = [
        RawRow(cells, Source(SOURCE_TABLE_ROW, r + 1, sheet=name), merged_across=r in across)
        for r, cells in enumerate(grid)
    ]
    return RawTable(rows, index=index, sheet=name)


def read_workbook(path: str | Path, name: str | None = None) -> RawDocument:
    label = name or Path(path).name
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        doc = RawDocument(label)
        for index, sheet_name in enumerate(workbook.sheet_names, 1):
            doc.blocks.append(_read_sheet(workbook, sheet_name, index))
    except (CalamineError, OSError, ValueError) as exc:
        raise ParseError(f"无法读取文件「{label}」：不是有效的 Excel 工作簿（{exc}）。") from exc
    return doc
