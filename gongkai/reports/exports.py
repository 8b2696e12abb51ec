"""Exports of an annual report: Word (.docx, the official tables with merged headers as in
published reports), Excel (.xlsx), PDF (LibreOffice from the .docx) and HTML (the catalog
record's body)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

from gongkai.core import files
from gongkai.reports import compiler, layout


class ExportError(Exception):
    pass


@dataclass
class Document:
    title: str
    organisation: str
    year: int
    scope: str
    sections: dict[str, str]
    tables: dict


def document_for(organisation, year: int, scope: str = "own", version=None) -> Document:
    """The saved report's version (latest unless given) or, without a saved report, the draft."""
    from gongkai.reports.models import AnnualReport

    if version is None:
        report = AnnualReport.objects.filter(
            organisation=organisation, year=year, scope=scope
        ).first()
        version = report.latest if report is not None else None
    if version is not None:
        sections, tables = version.sections, version.tables
    else:
        tables = compiler.compile_tables(organisation, year, scope)
        sections = compiler.draft_sections(organisation, year, scope, tables)
    suffix = {"summary": "（本级汇总）", "region": "（全域汇总）"}.get(scope, "")
    return Document(
        title=f"{organisation.name}{year}年政府信息公开工作年度报告{suffix}",
        organisation=organisation.name,
        year=year,
        scope=scope,
        sections=sections,
        tables=tables,
    )


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


# --- Table grids (shared by Word, Excel and HTML) ----------------------------------------------
# A grid is a list of rows of cells; a cell is (text, colspan, rowspan) or None where a merged
# cell covers the position.


def table2_grid(t2: dict) -> list[list]:
    rows: list[list] = []

    def heading(text):
        rows.append([(text, 4, 1), None, None, None])

    heading("第二十条第（一）项")
    rows.append([("信息内容", 1, 1)] + [(label, 1, 1) for _, label in layout.LIBRARY_MEASURES])
    for key, label in layout.LIBRARY_KEYS:
        rows.append(
            [(label, 1, 1)] + [(_fmt(t2[key][m]), 1, 1) for m, _ in layout.LIBRARY_MEASURES]
        )
    last_block = None
    for key, label, block, measure in layout.ENTERED_FIGURES:
        if block != last_block:
            heading(block)
            rows.append([("信息内容", 1, 1), (measure, 3, 1), None, None])
            last_block = block
        rows.append([(label, 1, 1), (_fmt(t2.get(key)), 3, 1), None, None])
    return rows


def table3_grid(t3: dict) -> list[list]:
    """10 columns: 3 label columns, then the 7 numbers."""
    cols = layout.TABLE3_COLUMN_KEYS

    def numbers(row):
        return [(_fmt(t3[row][c]), 1, 1) for c in cols]

    rows: list[list] = [
        [(layout.CORNER_NOTE, 3, 3), None, None, ("申请人情况", 7, 1)] + [None] * 6,
        [None] * 3 + [("自然人", 1, 2), ("法人或其他组织", 5, 1)] + [None] * 4 + [("总计", 1, 2)],
        [None] * 4 + [(label, 1, 1) for _, label in layout.TABLE3_COLUMNS[1:6]] + [None],
    ]
    for key in ("new", "carried_over"):
        rows.append([(layout.ROW_LABELS[key], 3, 1), None, None, *numbers(key)])
    n_results = len(layout.OUTCOME_ROWS) + 1  # + （七）总计
    first = True
    for outcome, label, subs in layout.OUTCOME_GROUPS:
        lead = [(layout.RESULTS_HEADING, 1, n_results)] if first else [None]
        first = False
        if not subs:
            rows.append([*lead, (label, 2, 1), None, *numbers(outcome)])
            continue
        for i, sub in enumerate(subs, start=1):
            group_cell = (label, 1, len(subs)) if i == 1 else None
            rows.append(
                (lead if i == 1 else [None]) + [group_cell, (sub, 1, 1)] + numbers(f"{outcome}_{i}")
            )
    rows.append([None, (layout.ROW_LABELS["outcome_total"], 2, 1), None, *numbers("outcome_total")])
    rows.append(
        [(layout.ROW_LABELS["carried_forward"], 3, 1), None, None, *numbers("carried_forward")]
    )
    return rows


def table4_grid(t4: dict) -> list[list]:
    results = [label for _, label in layout.TABLE4_RESULTS]
    rows: list[list[Any]] = [
        [("行政复议", 5, 1)] + [None] * 4 + [("行政诉讼", 10, 1)] + [None] * 9,
        [(r, 1, 2) for r in results]
        + [("未经复议直接起诉", 5, 1)]
        + [None] * 4
        + [("复议后起诉", 5, 1)]
        + [None] * 4,
        [None] * 5 + [(r, 1, 1) for r in results] * 2,
        [
            (_fmt(t4[g][k]), 1, 1)
            for g in layout.TABLE4_GROUP_KEYS
            for k in layout.TABLE4_RESULT_KEYS
        ],
    ]
    return rows


# --- Word ---------------------------------------------------------------------------------------
# The tables as the 30号 format prints them: label columns wide, number columns narrow (mm).
# 表三 needs a turned page: its longest label (「2.申请人逾期未按收费通知要求缴纳费用、行政机关
# 不再处理其政府信息公开申请」, 37 characters) takes two lines only in a 76 mm column of 小五,
# with the seven number columns wide enough for 「商业企业」 on one line.
TABLE_LAYOUTS = {
    # key: (grid function, table key, column widths, header rows, label columns, landscape, size)
    "proactive": (table2_grid, "table2", (60, 32, 32, 32), 0, (0,), False, 10.5),
    "requests": (table3_grid, "table3", (19, 25, 76, *[15] * 7), 3, (0, 1, 2), True, 9),
    "review": (table4_grid, "table4", (10.4,) * 15, 3, (), False, 10.5),
}


def to_docx(document: Document) -> bytes:
    """The report in the GB/T 9704 layout (gongkai.core.documents), 表三 on a turned page."""
    from gongkai.core.documents import OfficialDocument

    doc = OfficialDocument()
    doc.title(document.title)
    doc.blank()
    for key, title in layout.SECTIONS:
        doc.heading(title, 1)
        doc.texts((document.sections.get(key) or "").splitlines())
        if key not in TABLE_LAYOUTS:
            continue
        grid_of, table_key, widths, header_rows, label_columns, landscape, size = TABLE_LAYOUTS[key]
        if landscape:
            doc.section(landscape=True)
        table = doc.table(
            grid_of(document.tables[table_key]),
            widths,
            header_rows=header_rows,
            left_columns=label_columns,
            size=size,
        )
        if landscape:
            doc.section(landscape=False)
        else:
            doc.keep_together(table)  # a short table moves to the next page whole
            doc.blank()
    return doc.save()


# --- Excel ----------------------------------------------------------------------------------------


def to_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from gongkai.core.documents import sheets

    wb = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    tables = [
        ("二、主动公开", "proactive", table2_grid(document.tables["table2"])),
        ("三、依申请公开", "requests", table3_grid(document.tables["table3"])),
        ("四、复议诉讼", "review", table4_grid(document.tables["table4"])),
    ]
    wb.remove(wb.active)
    for name, key, grid in tables:
        ws = wb.create_sheet(name)
        ws.append([document.title])
        ws["A1"].font = Font(bold=True, size=13)
        for r, row in enumerate(grid, start=2):
            for c, cell in enumerate(row, start=1):
                ws.cell(r, c).border = border
                if cell is None:
                    continue
                text, colspan, rowspan = cell
                value = int(text) if text.isdigit() else (float(text) if _is_float(text) else text)
                ws.cell(r, c, value).alignment = Alignment(wrap_text=True, vertical="center")
                if colspan > 1 or rowspan > 1:
                    ws.merge_cells(
                        start_row=r,
                        start_column=c,
                        end_row=r + rowspan - 1,
                        end_column=c + colspan - 1,
                    )
        ws.column_dimensions["A"].width = 24
        header_rows = TABLE_LAYOUTS[key][3]
        sheets.a4(ws, title_rows=1 + header_rows, landscape=TABLE_LAYOUTS[key][5])
    ws = wb.create_sheet("正文")
    for key, title in layout.SECTIONS:
        ws.append([title])
        ws.append([document.sections.get(key) or ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return "." in text


# --- PDF ------------------------------------------------------------------------------------------


def soffice() -> str | None:
    return files.convert.soffice()


def to_pdf(document: Document) -> bytes:
    """The .docx converted by the sandboxed LibreOffice (core.files.convert)."""
    try:
        return files.convert_bytes(to_docx(document), ".docx", "pdf", "年度报告")
    except files.FileRefused as exc:
        raise ExportError(f"无法生成 PDF：{exc}") from exc


# --- HTML (the catalog record's body and the staff preview) ----------------------------------------


def grid_html(grid) -> str:
    out = ['<table class="data report-table">']
    for row in grid:
        out.append("<tr>")
        for cell in row:
            if cell is None:
                continue
            text, colspan, rowspan = cell
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                f' rowspan="{rowspan}"' if rowspan > 1 else ""
            )
            out.append(f"<td{attrs}>{escape(text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def to_html(document: Document) -> str:
    grids = {
        "proactive": table2_grid(document.tables["table2"]),
        "requests": table3_grid(document.tables["table3"]),
        "review": table4_grid(document.tables["table4"]),
    }
    parts = []
    for key, title in layout.SECTIONS:
        parts.append(f"<h2>{escape(title)}</h2>")
        for line in (document.sections.get(key) or "").splitlines():
            if line.strip():
                parts.append(f"<p>{escape(line.strip())}</p>")
        if key in grids:
            parts.append(grid_html(grids[key]))
    return "\n".join(parts)
