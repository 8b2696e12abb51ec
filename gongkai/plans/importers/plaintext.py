"""Read a text file into paragraphs and at most one table.

Four table layouts are recognised, tried in this order; text with none of them is paragraphs
(key points). A table that cannot be placed cell by cell is an error naming the line — never a
guess:

1. Word's plain-text export (below);
2. tab-separated rows: Excel's 文本文件(制表符分隔) (cells with line breaks quoted) and a table
   copied from Word or a web page (one row a line; trailing empty cells may be missing);
3. columns separated by runs of spaces (two or more), one row a line;
4. a table whose grid was lost: every cell on its own line, the header first; rows are cut by
   the number of header cells and checked against the 序号 column.

Word's plain-text export:
In the export a table cell starts on a line opening with a tab; further paragraphs of the cell
follow on lines without one; rows are separated by blank lines, except that a cell may itself
hold an empty paragraph. So the text is first cut into blank-line-separated groups of cells,
and groups are joined into rows by the number of header columns: a lone one-cell group is a
row merged across (a section), otherwise groups are added up until the row is full.

Outside the table every non-empty line is a paragraph, numbered by its line in the file.
Word's '[bookmark: …]' markers are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from gongkai.core.files import FileRefused, decode_text

from .document import Paragraph, RawDocument, RawRow, RawTable, clean_lines
from .result import SOURCE_LINE, ParseError, Source
from .tabular import GROUP_ORDINAL, SECTION_ORDINAL, header_role, map_header

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def decode(data: bytes, label: str) -> str:
    try:
        return decode_text(data, label)
    except FileRefused as exc:
        raise ParseError(str(exc)) from exc


def read_text_file(path: str | Path, name: str | None = None) -> RawDocument:
    label = name or Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(f"无法读取文件「{label}」：{exc.strerror or exc}。") from exc
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"无法读取文件「{label}」：这不是文本文件。")
    return read_text(decode(data, label), label)


def _is_cell_start(line: str) -> bool:
    return line.startswith("\t")


def _find_header(lines: list[str]) -> tuple[int, int] | None:
    """(first line, number of columns) of the first run of tab lines that reads as a header."""
    i = 0
    while i < len(lines):
        if not _is_cell_start(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and _is_cell_start(lines[j]):
            j += 1
        cells = [c for line in lines[i:j] for c in line.split("\t")[1:]]
        if len(cells) >= 2 and map_header(cells) is not None:
            return i, len(cells)
        i = j
    return None


def _cell_groups(lines: list[str], start: int, end: int) -> list[list[tuple[int, list[str]]]]:
    """Blank-line-separated groups of cells; each cell is (first line number, paragraphs)."""
    groups: list[list[tuple[int, list[str]]]] = []
    group: list[tuple[int, list[str]]] = []
    blank = False
    for k in range(start, end):
        line = lines[k]
        if _is_cell_start(line):
            if blank and group:
                groups.append(group)
                group = []
            for part in line.split("\t")[1:]:
                group.append((k + 1, [part]))
            blank = False
        elif not line.strip():
            blank = True
        elif group:
            group[-1][1].append(line)
            blank = False
    if group:
        groups.append(group)
    return groups


def _rows(groups: list[list[tuple[int, list[str]]]], width: int) -> list[RawRow]:
    rows: list[RawRow] = []
    pending: list[tuple[int, list[str]]] = []

    def flush() -> None:
        if pending:
            texts = [clean_lines("\n".join(paras)) for _, paras in pending]
            merged = len(pending) == 1 and width > 1
            texts += [""] * (width - len(texts))
            rows.append(RawRow(texts, Source(SOURCE_LINE, pending[0][0]), merged_across=merged))
            pending.clear()

    for i, group in enumerate(groups):
        if not pending and len(group) == 1:
            following = len(groups[i + 1]) if i + 1 < len(groups) else 0
            if following != width - 1:  # not a cell with a trailing empty paragraph
                pending.extend(group)
                flush()
                continue
        if pending and len(pending) + len(group) > width:
            flush()
        for cell in group:
            pending.append(cell)
            if len(pending) == width:
                flush()
    flush()
    return rows


def read_text(text: str, name: str = "文本") -> RawDocument:
    lines = [_BOOKMARK.sub("", line.rstrip("\r")) for line in text.split("\n")]
    doc = RawDocument(name)
    header = _find_header(lines)

    def add_paragraphs(start: int, end: int) -> None:
        for k in range(start, end):
            line = clean_lines(lines[k])
            if line:
                doc.blocks.append(Paragraph(line, Source(SOURCE_LINE, k + 1)))

    if header is None:
        for reader in (_delimited, _spaced, _flattened):
            found = reader(lines)
            if found is not None:
                start, table = found
                add_paragraphs(0, start)
                doc.blocks.append(table)
                return doc
        add_paragraphs(0, len(lines))
        return doc
    start, width = header
    last = max(k for k in range(len(lines)) if _is_cell_start(lines[k]))
    end = last + 1
    while end < len(lines) and lines[end].strip() and not _is_cell_start(lines[end]):
        end += 1
    add_paragraphs(0, start)
    doc.blocks.append(RawTable(_rows(_cell_groups(lines, start, end), width)))
    add_paragraphs(end, len(lines))
    return doc


# --- tab-separated, space-separated and flattened tables -------------------------------------

_SPACE_RUN = re.compile(r"(?:[ \u3000]{2,}|\t)")


def _row(cells: list[str], line: int, width: int) -> RawRow:
    cells = [clean_lines(c) for c in cells]
    filled = [i for i, c in enumerate(cells) if c]
    cells += [""] * (width - len(cells))
    merged = len(filled) == 1 and filled[0] == 0 and width > 1
    return RawRow(cells, Source(SOURCE_LINE, line), merged_across=merged)


def _too_wide(line: int, got: int, width: int, how: str) -> ParseError:
    return ParseError(
        f"第{line}行{how}得到{got}列，比表头的{width}列多，无法确定各列的内容。"
        "请检查该行是否多了分隔符，或改用 Word/Excel 原文件上传。"
    )


def _tab_cells(line: str) -> list[str]:
    if "\t" not in line.strip("\t"):
        return []
    cells = [c.strip() for c in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _space_cells(line: str) -> list[str]:
    return [c for c in _SPACE_RUN.split(line.strip(" \u3000")) if c]


def _header_line(lines: list[str], split, minimum: int) -> tuple[int, list[str]] | None:
    for i, line in enumerate(lines):
        cells = split(line)
        if len(cells) >= minimum and map_header(cells) is not None:
            return i, cells
    return None


def _delimited(lines: list[str]) -> tuple[int, RawTable] | None:
    """Tab-separated rows (Excel's text export, or a table pasted from Word or a web page)."""
    found = _header_line(lines, _tab_cells, 2)
    if found is None:
        return None
    i, cells = found
    width = len(cells)
    reader = csv.reader(io.StringIO("\n".join(lines[i:])), delimiter="\t")
    rows: list[RawRow] = []
    before = 0
    for record in reader:
        first = i + before + 1
        before = reader.line_num
        while record and not record[-1].strip():
            record.pop()
        if not record:
            continue
        if len(record) > width:
            raise _too_wide(first, len(record), width, "按制表符分列")
        rows.append(_row(record, first, width))
    return i, RawTable(rows)


def _spaced(lines: list[str]) -> tuple[int, RawTable] | None:
    """Columns separated by runs of two or more spaces (or full-width spaces)."""
    found = _header_line(lines, _space_cells, 3)
    if found is None:
        return None
    i, cells = found
    width = len(cells)
    rows: list[RawRow] = []
    for k in range(i, len(lines)):
        line = lines[k].strip(" \u3000")
        if not line:
            continue
        record = _space_cells(line)
        if len(record) > width:
            raise _too_wide(k + 1, len(record), width, "按连续空格分列")
        if 1 < len(record) < width:
            raise ParseError(
                f"第{k + 1}行按连续空格分列得到{len(record)}列，比表头的{width}列少，"
                "无法确定哪一列为空。请在空单元格处填写“—”，或改用 Word/Excel 原文件上传。"
            )
        rows.append(_row(record, k + 1, width))
    return i, RawTable(rows)


def _flattened(lines: list[str]) -> tuple[int, RawTable] | None:
    """Every cell on its own line: the header's cells first, then the rows, cut by width and
    checked against the 序号 column (which such a table must have)."""
    stripped = [clean_lines(line) for line in lines]
    for i in range(len(stripped)):
        k = i
        while k < len(stripped) and stripped[k] and header_role(stripped[k]) is not None:
            k += 1
        if k - i >= 3 and (columns := map_header(stripped[i:k])) is not None:
            break
    else:
        return None
    width = k - i
    if columns.seq is None:
        raise ParseError(
            f"第{i + 1}行起的表格每个单元格各占一行，表格线已丢失；表头中没有“序号”列，"
            "无法核对各行的分隔。请改用 Word/Excel 原文件上传。"
        )
    header = RawRow(stripped[i:k], Source(SOURCE_LINE, i + 1))
    rows: list[RawRow] = [header]
    cells = [(n + 1, text) for n, text in enumerate(stripped) if n >= k and text]
    pos, expected = 0, 1
    while pos < len(cells):
        line, text = cells[pos]
        seq_at = pos + columns.seq
        is_row = seq_at < len(cells) and cells[seq_at][1] == str(expected)
        if not is_row and (SECTION_ORDINAL.match(text) or GROUP_ORDINAL.match(text)):
            rows.append(RawRow([text] + [""] * (width - 1), Source(SOURCE_LINE, line), True))
            pos += 1
            continue
        chunk = cells[pos : pos + width]
        if len(chunk) < width or chunk[columns.seq][1] != str(expected):
            where = chunk[columns.seq][0] if len(chunk) > columns.seq else line
            raise ParseError(
                f"第{where}行：表格线已丢失（每个单元格各占一行），按表头的{width}列还原时，"
                f"此处应为序号{expected}，无法确定各行的分隔（可能有空单元格）。"
                "请改用 Word/Excel 原文件上传。"
            )
        rows.append(RawRow([t for _, t in chunk], Source(SOURCE_LINE, line)))
        pos += width
        expected += 1
    return i, RawTable(rows)
