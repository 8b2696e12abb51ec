"""A corpus of work-plan documents in the layouts real governments publish (issue 16).

Each document is written by a generator in `documents.py` that imitates the layout and the
phrasing patterns of a real public document (named in its docstring) — column order, heading
levels, merged cells, blank cells, role phrases, deadline wording — in its own words. The
generator lays the document out from plain data (`Item`s under `Section`s and `Group`s) and
writes the expected parse from that same data, never from the parser's output.

Writers: .docx (python-docx, merged cells as Word merges them), .xlsx (openpyxl merged ranges),
Excel's 文本文件(制表符分隔) (quoted multi-line cells), a table pasted from a web page (one row a
line, tabs between cells), a table of runs of spaces, a table flattened to one cell a line, and
prose (key points) as .docx or pasted text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
import openpyxl


@dataclass
class Expected:
    """What the parser must return for one task (a row of the table or a numbered point)."""

    section: str
    subsection: str
    title: str
    requirement: str
    lead: list[str]
    responsible: list[str]
    due: date | None = None
    milestones: list[date] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)  # columns left blank: a warning each


@dataclass
class Fixture:
    name: str
    source: str  # the real document whose layout and phrasing this imitates
    filename: str
    data: bytes
    kind: str  # task_table / key_points
    title: str
    year: int
    doc_no: str | None
    issued_on: date | None
    level: str  # province / city / county / department
    rows: list[Expected]

    def write(self, directory: Path) -> Path:
        path = directory / self.filename
        path.write_bytes(self.data)
        return path


# --- writers ------------------------------------------------------------------------------------

MERGE_UP = object()  # this cell continues the cell above (a vertical merge)


@dataclass
class Table:
    """A grid: `header` and `rows`; a row that is a str is one cell merged across the table."""

    header: list[str]
    rows: list[list | str]
    header_rows: int = 1


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else [""]


def docx_bytes(before: list[str], table: Table | None, after: list[str] = ()) -> bytes:
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    if table is not None:
        width = len(table.header)
        grid = document.add_table(rows=0, cols=width)
        grid.style = "Table Grid"
        cells = grid.add_row().cells
        for cell, text in zip(cells, table.header, strict=True):
            cell.text = text
        previous = None
        for row in table.rows:
            cells = list(grid.add_row().cells)
            if isinstance(row, str):
                merged = cells[0].merge(cells[-1])
                merged.text = row
                previous = None
                continue
            for i, value in enumerate(row):
                if value is MERGE_UP:
                    previous[i] = previous[i].merge(cells[i])
                    cells[i] = previous[i]
                    continue
                paragraphs = _lines(value)
                cells[i].text = paragraphs[0]
                for extra in paragraphs[1:]:
                    cells[i].add_paragraph(extra)
            previous = list(cells)
    for text in after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(before: list[str], table: Table, sheet: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    width = len(table.header)
    r = 1
    for text in before:
        ws.cell(r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    for c, text in enumerate(table.header, 1):
        ws.cell(r, c, text)
    r += 1
    starts: dict[int, int] = {}
    for row in table.rows:
        if isinstance(row, str):
            ws.cell(r, 1, row)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
            continue
        for c, value in enumerate(row, 1):
            if value is MERGE_UP:
                first = starts[c]
                ranges = [
                    m for m in ws.merged_cells.ranges if m.min_col == c and m.min_row == first
                ]
                for m in ranges:
                    ws.merged_cells.remove(m)
                ws.merge_cells(start_row=first, start_column=c, end_row=r, end_column=c)
                continue
            starts[c] = r
            if value != "":
                ws.cell(r, c, value)
        r += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _flat_cells(table: Table) -> list[list[str]]:
    """The grid as an export writes it: merged text only in the first cell."""
    out = []
    width = len(table.header)
    for row in table.rows:
        if isinstance(row, str):
            out.append([row] + [""] * (width - 1))
        else:
            out.append(["" if v is MERGE_UP else v for v in row])
    return out


def excel_tsv_bytes(before: list[str], table: Table) -> bytes:
    """Excel's 文本文件(制表符分隔): CRLF lines, a cell with a line break or quote is quoted,
    saved as GB18030 (the ANSI code page of a Chinese Windows)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    width = len(table.header)
    for text in before:
        writer.writerow([text] + [""] * (width - 1))
    writer.writerow(table.header)
    for row in _flat_cells(table):
        writer.writerow(row)
    return out.getvalue().encode("gb18030")


def web_paste_bytes(before: list[str], table: Table) -> bytes:
    """A table copied from a web page into Notepad: one row a line, tabs between cells,
    trailing empty cells dropped, a cell's own line breaks turned into spaces."""
    lines = list(before)
    lines.append("\t".join(table.header))
    for row in _flat_cells(table):
        cells = [c.replace("\n", " ") for c in row]
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def spaced_bytes(before: list[str], table: Table, gap: str = "    ") -> bytes:
    """Columns separated by runs of spaces (a table retyped or exported as fixed text)."""
    lines = list(before)
    lines.append(gap.join(table.header))
    for row in _flat_cells(table):
        cells = [c.replace("\n", "") or "—" for c in row]
        lines.append(gap.join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def flattened_bytes(before: list[str], table: Table) -> bytes:
    """A web table copied as text that lost its grid: every non-empty cell on its own line."""
    lines = list(before) + list(table.header)
    for row in _flat_cells(table):
        lines += [c.replace("\n", "") for c in row if c]
    return ("\n".join(lines) + "\n").encode("utf-8")


def text_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
