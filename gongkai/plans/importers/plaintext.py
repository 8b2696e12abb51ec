"""Read a plain-text export of a Word document into paragraphs and at most one table.

In the export a table cell starts on a line opening with a tab; further paragraphs of the cell
follow on lines without one; rows are separated by blank lines, except that a cell may itself
hold an empty paragraph. So the text is first cut into blank-line-separated groups of cells,
and groups are joined into rows by the number of header columns: a lone one-cell group is a
row merged across (a section), otherwise groups are added up until the row is full.

Outside the table every non-empty line is a paragraph, numbered by its line in the file.
Word's '[bookmark: …]' markers are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import Paragraph, RawDocument, RawRow, RawTable, clean_lines
from .result import SOURCE_LINE, ParseError, Source
from .tabular import map_header

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError(f"无法读取文件「{label}」：文本编码无法识别（支持 UTF-8 和 GB18030）。")


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
