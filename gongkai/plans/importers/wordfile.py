"""Read a .docx into paragraphs and tables (python-docx for the package, the XML directly).

Tables are laid out on their grid: a cell spanning columns (gridSpan) sits in its first
column, a cell merged down (vMerge) repeats the text of the cell it continues, and
gridBefore/gridAfter shift cells to their true columns. A row with one cell spanning the
whole grid is marked `merged_across` (a section row).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from .document import Paragraph, RawDocument, RawRow, RawTable, clean_lines
from .result import SOURCE_LINE, SOURCE_TABLE_ROW, ParseError, Source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _T = (f"{W}{t}" for t in ("p", "tbl", "tr", "tc", "r", "t"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{W}sdt", f"{W}sdtContent", f"{W}customXml"
_BREAKS = {f"{W}br", f"{W}cr"}
_TAB = f"{W}tab"
_VAL = f"{W}val"


def _children(element, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def paragraph_text(p) -> str:
    parts: list[str] = []
    for run in p.iter(_R):
        for child in run:
            if child.tag == _T:
                parts.append(child.text or "")
            elif child.tag in _BREAKS:
                parts.append("\n")
            elif child.tag == _TAB:
                parts.append(" ")
    return "".join(parts)


def _cell_text(tc) -> str:
    return clean_lines("\n".join(paragraph_text(p) for p in tc.iter(_P)))


def _int_attr(parent, tag: str, default: int) -> int:
    if parent is None:
        return default
    el = parent.find(f"{W}{tag}")
    if el is None:
        return default
    try:
        return int(el.get(_VAL, default))
    except ValueError:
        return default


def read_table(tbl, index: int) -> RawTable:
    grid = tbl.find(f"{W}tblGrid")
    width = len(grid.findall(f"{W}gridCol")) if grid is not None else 0
    layout: list[list[tuple[int, int, Any]]] = []  # per row: (column, span, tc)
    for tr in _children(tbl, _TR):
        tr_pr = tr.find(f"{W}trPr")
        col = _int_attr(tr_pr, "gridBefore", 0)
        cells = []
        for tc in _children(tr, _TC):
            span = max(1, _int_attr(tc.find(f"{W}tcPr"), "gridSpan", 1))
            cells.append((col, span, tc))
            col += span
        width = max(width, col + _int_attr(tr_pr, "gridAfter", 0))
        layout.append(cells)

    rows: list[RawRow] = []
    above: dict[int, str] = {}  # text of the cell a vertical merge continues, per column
    for n, cells in enumerate(layout, 1):
        texts = [""] * width
        for col, span, tc in cells:
            tc_pr = tc.find(f"{W}tcPr")
            vmerge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue":
                text = above.get(col, "")
            else:
                text = _cell_text(tc)
            texts[col] = text
            for c in range(col, col + span):
                above[c] = text if c == col else ""
        merged_across = len(cells) == 1 and cells[0][1] >= width > 1
        rows.append(
            RawRow(texts, Source(SOURCE_TABLE_ROW, n, table=index), merged_across=merged_across)
        )
    return RawTable(rows, index=index)


def read_docx(file: str | Path | IO[bytes], name: str | None = None) -> RawDocument:
    label = name or (Path(file).name if isinstance(file, str | Path) else "文档")
    try:
        document = Document(str(file) if isinstance(file, Path) else file)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(f"无法读取文件「{label}」：不是有效的 Word（.docx）文档。") from exc
    doc = RawDocument(label)
    body = document.element.body
    paragraph_n = 0
    table_n = 0
    for element in _body_blocks(body):
        if element.tag == _P:
            paragraph_n += 1
            text = clean_lines(paragraph_text(element))
            if text:
                doc.blocks.append(Paragraph(text, Source(SOURCE_LINE, paragraph_n)))
        else:
            table_n += 1
            doc.blocks.append(read_table(element, table_n))
    return doc


def _body_blocks(body):
    for child in body:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_blocks(content)
        elif child.tag == _CUSTOM_XML:
            yield from _body_blocks(child)
