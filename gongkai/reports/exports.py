"""Exports of an annual report: Word (.docx, the official tables with merged headers as in
published reports), Excel (.xlsx), PDF (LibreOffice from the .docx) and HTML (the catalog
record's body)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape

from gongkai.reports import compiler, layout

FONT = "Noto Serif CJK SC"  # fonts-noto-cjk; Word substitutes 宋体 where it is missing
HEADING_FONT = "Noto Sans CJK SC"


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
    suffix = "（汇总）" if scope == "summary" else ""
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
    rows = [
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


# --- Word -----------------------------------------------------------------------------------------


def _set_fonts(run, size=None, bold=False, font=FONT):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _para(doc, text, size=12, bold=False, center=False, font=FONT, indent=True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _set_fonts(p.add_run(text), size, bold, font)
    return p


def _grid_to_docx(doc, grid, font_size=9, label_cols=1):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    n_rows, n_cols = len(grid), len(grid[0])
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, colspan, rowspan = cell
            target = table.cell(r, c)
            if colspan > 1 or rowspan > 1:
                target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            para = target.paragraphs[0]
            numeric = c >= label_cols and (text.replace(".", "", 1).isdigit() or text == "")
            para.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if numeric or r < 1 else WD_ALIGN_PARAGRAPH.LEFT
            )
            _set_fonts(para.add_run(text), font_size)
    return table


def to_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.shared import Cm

    doc = Docx()
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT
    )
    _para(doc, document.title, size=18, bold=True, center=True, font=HEADING_FONT)
    grids = {
        "proactive": (table2_grid(document.tables["table2"]), 1),
        "requests": (table3_grid(document.tables["table3"]), 3),
        "review": (table4_grid(document.tables["table4"]), 0),
    }
    for key, title in layout.SECTIONS:
        _para(doc, title, size=14, bold=True, font=HEADING_FONT, indent=False)
        for line in (document.sections.get(key) or "").splitlines():
            if line.strip():
                _para(doc, line.strip())
        if key in grids:
            grid, label_cols = grids[key]
            _grid_to_docx(doc, grid, label_cols=label_cols)
            doc.add_paragraph()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Excel ----------------------------------------------------------------------------------------


def to_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheets = [
        ("二、主动公开", table2_grid(document.tables["table2"])),
        ("三、依申请公开", table3_grid(document.tables["table3"])),
        ("四、复议诉讼", table4_grid(document.tables["table4"])),
    ]
    wb.remove(wb.active)
    for name, grid in sheets:
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
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: Document, timeout: int = 120) -> bytes:
    """The .docx converted by LibreOffice (headless, a private profile so parallel runs do not
    collide)."""
    binary = soffice()
    if binary is None:
        raise ExportError(
            "未安装 LibreOffice，无法生成 PDF（请安装 libreoffice-writer 和 fonts-noto-cjk）。"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-report-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "report.docx"
        source.write_bytes(to_docx(document))
        profile = (tmp_path / "profile").as_uri()
        try:
            subprocess.run(
                [
                    binary,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(tmp_path),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise ExportError(f"LibreOffice 转换 PDF 失败：{exc}") from exc
        pdf = tmp_path / "report.pdf"
        if not pdf.exists():
            raise ExportError("LibreOffice 未生成 PDF 文件。")
        return pdf.read_bytes()


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
