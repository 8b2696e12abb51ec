"""The annual report in the GB/T 9704 layout, its tables as the 30号 format prints them."""

from __future__ import annotations

import io

import pytest

from gongkai.core.documents import inspect
from gongkai.reports import exports, layout


def _labels() -> set[str]:
    """Every row and column label of 表二, 表三 and 表四."""
    labels = {label for _, label in layout.TABLE3_COLUMNS}
    labels |= {row.label for row in layout.TABLE3_ROWS} | {layout.RESULTS_HEADING}
    labels |= {label for _, label, _ in layout.OUTCOME_GROUPS}
    labels |= {label for _, label in layout.TABLE4_GROUPS} | {r for _, r in layout.TABLE4_RESULTS}
    labels |= {label for _, label in layout.LIBRARY_KEYS + layout.LIBRARY_MEASURES}
    labels |= {label for _, label, *_ in layout.ENTERED_FIGURES}
    return labels


@pytest.mark.django_db
def test_report_pages_tables_and_labels(world, dept_a):
    document = exports.document_for(dept_a, 2025)
    docx, pdf = exports.to_docx(document), exports.to_pdf(document)
    assert inspect.problems(docx, pdf) == []

    # 表三 on turned pages, the others portrait; header rows repeat, no row splits.
    orientations = [s["orient"] for s in inspect.sections(docx)]
    assert orientations == ["portrait", "landscape", "portrait"]
    table2, table3, table4 = inspect.tables(docx)
    assert [r["header"] for r in table3] == [True] * 3 + [False] * (len(table3) - 3)
    assert [r["header"] for r in table4][:3] == [True] * 3
    assert all(r["cant_split"] for t in (table2, table3, table4) for r in t)

    pages = inspect.pdf_pages(pdf, with_tables=True)
    turned = [p for p in pages if p.landscape]
    assert len(turned) == 2  # 表三 runs over two pages and its header is printed on both
    for page in turned:
        assert "申请人情况" in "".join(c.text for c in page.chars)

    # Every label on one or two lines.
    labels, seen = _labels(), set()
    for page in pages:
        for table in page.tables:
            for row in table:
                for cell in row:
                    if cell and cell.replace("\n", "") in labels:
                        seen.add(cell.replace("\n", ""))
                        assert cell.count("\n") <= 1, (
                            f"「{cell}」 takes {cell.count(chr(10)) + 1} lines"
                        )
    assert labels - seen == set()  # every label was found in a table


@pytest.mark.django_db
def test_report_xlsx_prints_on_a4_with_title_rows(world, dept_a):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exports.to_xlsx(exports.document_for(dept_a, 2025))))
    ws = wb["三、依申请公开"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
