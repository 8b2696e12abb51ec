"""Spreadsheets read within a row × column budget, whatever their declared <dimension> says.

A sheet's XML states where each cell is (`<c r="XFD1048576">`); calamine allocates the dense
grid from the first to the last cell that has a value (a Rust allocation failure aborts the
process), and openpyxl pads every row to the declared width. So before either sees an .xlsx,
`xlsx_extent` streams every worksheet's cells and refuses a sheet whose cells with values lie
beyond the budget; `read_rows` then reads only the rows and columns that hold data.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .archive import open_zip
from .errors import FileRefused
from .limits import limits

XLSX = (".xlsx", ".xlsm")
CALAMINE = (".xls", ".ods")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _too_big(label: str, sheet: str, rows: int, columns: int) -> FileRefused | None:
    lim = limits()
    if rows > lim["rows"]:
        return FileRefused(f"表格「{label}」的工作表「{sheet}」超过 {lim['rows']} 行上限。")
    if columns > lim["columns"]:
        return FileRefused(f"表格「{label}」的工作表「{sheet}」超过 {lim['columns']} 列上限。")
    return None


def sheet_extent(archive: zipfile.ZipFile, part: str, label: str) -> Extent:
    """The last row and column holding a value in one worksheet part, streamed (no tree is
    kept); refused as soon as it passes the budget."""
    from lxml import etree

    sheet = Path(part).stem
    rows = columns = 0
    row_at = 0
    with archive.open(part) as fh:
        context = etree.iterparse(
            fh,
            events=("start", "end"),
            tag=(f"{_MAIN}row", f"{_MAIN}c"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        )
        col_at = 0
        try:
            for event, element in context:
                if element.tag == f"{_MAIN}row":
                    if event == "start":
                        r = element.get("r")
                        row_at = int(r) if r and r.isdigit() else row_at + 1
                        col_at = 0
                    else:
                        element.clear()
                        parent = element.getparent()
                        if parent is not None:
                            while element.getprevious() is not None:
                                del parent[0]
                    continue
                if event == "start":
                    continue
                ref = _REF.match(element.get("r") or "")
                col_at = column_number(ref.group(1)) if ref else col_at + 1
                row = int(ref.group(2)) if ref else row_at
                if len(element):  # <v>, <is> or <f>: a value
                    rows, columns = max(rows, row), max(columns, col_at)
                    refused = _too_big(label, sheet, rows, columns)
                    if refused:
                        raise refused
                element.clear()
        except etree.XMLSyntaxError as exc:
            raise FileRefused(f"无法读取表格「{label}」：工作表「{sheet}」的 XML 已损坏。") from exc
    return Extent(rows, columns)


def xlsx_extent(source: bytes | str | Path, label: str) -> Extent:
    """The archive checked (size, entries, ratio, DTDs) and every worksheet within the budget;
    the largest extent over the sheets."""
    with open_zip(source, label) as archive:
        parts = [
            n
            for n in archive.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml") and "/_rels/" not in n
        ]
        extents = [sheet_extent(archive, part, label) for part in parts]
    return Extent(
        max((e.rows for e in extents), default=0), max((e.columns for e in extents), default=0)
    )


def check_workbook(source: bytes | str | Path, label: str, suffix: str | None = None) -> None:
    """Refuse a workbook that no reader may open: for .xlsx the archive and the cell budget;
    for .ods the archive (its cells are counted after calamine read them, in the child).
    `suffix` is the format (default: the label's extension)."""
    suffix = (suffix or Path(label).suffix).lower()
    if suffix in XLSX:
        xlsx_extent(source, label)
    elif suffix == ".ods":
        open_zip(source, label).close()


def _bounded_grid(values: list[list[Any]], label: str, sheet: str) -> list[list[Any]]:
    """Rows read by calamine (.xls, .ods), checked against the budget."""
    width = max((len(r) for r in values), default=0)
    refused = _too_big(label, sheet, len(values), width)
    if refused:
        raise refused
    return values


def read_rows(data: bytes, label: str, *, all_sheets: bool = False) -> list[list[Any]]:
    """The first sheet's rows (or every sheet's, one after another) as lists of cell values
    (None for an empty cell). .xlsx/.xlsm with openpyxl (read-only, bounded to the cells that
    hold data); .xls/.ods with calamine. Run it in `run_bounded` (see `read_sheet_rows`)."""
    suffix = Path(label).suffix.lower()
    if suffix in XLSX:
        extent = xlsx_extent(data, label)
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets = workbook.worksheets if all_sheets else workbook.worksheets[:1]
            rows: list[list[Any]] = []
            for sheet in sheets:
                if extent.rows and extent.columns:
                    rows.extend(
                        list(r)
                        for r in sheet.iter_rows(
                            max_row=extent.rows, max_col=extent.columns, values_only=True
                        )
                    )
            workbook.close()
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(f"无法读取表格「{label}」：不是有效的 Excel 文件。") from exc
        return rows
    if suffix in CALAMINE:
        if suffix == ".ods":
            open_zip(data, label).close()
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = workbook.sheet_names if all_sheets else workbook.sheet_names[:1]
            rows = []
            for name in names:
                values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                rows.extend(_bounded_grid(values, label, name))
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(f"无法读取表格「{label}」：不是有效的表格文件。") from exc
        return [[None if v == "" else v for v in row] for row in rows]
    raise FileRefused(f"不支持的表格格式「{suffix or '无扩展名'}」（「{label}」）。")


def read_sheet_rows(data: bytes, label: str, *, all_sheets: bool = False) -> list[list[Any]]:
    """`read_rows` in a child process under the memory and CPU limits."""
    from .sandbox import run_bounded

    return run_bounded(read_rows, data, label, all_sheets=all_sheets, label=label)
