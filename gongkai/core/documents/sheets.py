"""A4 page setup for the .xlsx the platform generates (scoring sheets, the ledger, the annual
report's tables), so that they print like the Word documents: A4, the GB/T 9704 margins, the
title and header rows repeated on every page, as wide as the page, page numbers 「— 1 —」."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.worksheet import Worksheet

from . import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, SONGTI

TWIPS_PER_INCH = 1440
PAGE_NUMBER = f'&"{SONGTI.name}"&14— &P —'


def ruled(ws: Worksheet, first_row: int, widths: Sequence[float]) -> None:
    """Thin borders and wrapped text on the table from `first_row` down, bold centred headers
    in `first_row`, the title in row 1 merged across, and the column widths (characters)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if first_row > 1 and len(widths) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[first_row].height = 32  # two lines: heights do not grow when printed
    for row in ws.iter_rows(min_row=first_row, max_col=len(widths)):
        for cell in row:
            cell.border = border
            header = cell.row == first_row
            cell.alignment = Alignment(
                wrap_text=True,
                vertical="center",
                horizontal="center" if header or cell.column != 2 else "left",
            )
            if header:
                cell.font = Font(bold=True)


def a4(ws: Worksheet, *, title_rows: int = 0, landscape: bool = False) -> None:
    """Print `ws` on A4 with the type area's margins (turned for landscape, as in Word), the
    first `title_rows` rows on every page, fitted to the page width; page numbers at the
    outer corner (odd pages right, even pages left)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    top, right, bottom, left = MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT
    if landscape:  # the table head at the binding edge
        top, right, bottom, left = MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM
    margins = ws.page_margins
    margins.top, margins.right = top / TWIPS_PER_INCH, right / TWIPS_PER_INCH
    margins.bottom, margins.left = bottom / TWIPS_PER_INCH, left / TWIPS_PER_INCH
    margins.header, margins.footer = 0.5, bottom / TWIPS_PER_INCH - 0.28
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.HeaderFooter.differentOddEven = True
    ws.oddFooter.right.text = PAGE_NUMBER
    ws.evenFooter.left.text = PAGE_NUMBER
