"""Parsers for work plans: task tables (任务分解表) and key points (工作要点).

Pure functions over files and plain data: no database, no Django. The entry point is
`parse_file(path, year=None)`, which returns a `ParsedPlan` (see `result`) or raises
`ParseError` with a Chinese message naming the place and the problem.

    reader (wordfile / spreadsheet / plaintext)  ->  RawDocument (paragraphs, tables)
    tabular (header by meaning, sections, groups, tasks)  or  keypoints (headings, points)
    meta (title, year, 文号), duedates (完成时限), orgnames (牵头部门 / 责任单位 lists)

An uploaded file is read through `gongkai.core.files`: old formats are converted by the
sandboxed LibreOffice, archives and sheets are checked against the limits before a reader opens
them, and the whole parse runs in a child process under memory and CPU limits, so a bomb is a
ParseError naming the limit.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.core.files import (
    FileRefused,
    check_archive,
    check_content,
    check_workbook,
    converted,
    run_bounded,
)

from . import keypoints, meta, tabular
from .document import Paragraph, RawDocument, RawTable, one_line
from .pdffile import read_pdf
from .plaintext import read_text, read_text_file
from .result import KEY_POINTS, TASK_TABLE, ParsedPlan, ParseError, PlanRow, Source
from .spreadsheet import read_workbook
from .wordfile import read_docx

WORD = (".docx", ".docm")
WORD_OLD = (".doc", ".wps", ".rtf", ".odt")
SHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
SHEETS_OLD = (".et",)
TEXT = (".txt", ".text", ".tsv")
PDF = (".pdf",)
SUPPORTED = WORD + WORD_OLD + SHEETS + SHEETS_OLD + TEXT + PDF

__all__ = [
    "KEY_POINTS",
    "SUPPORTED",
    "TASK_TABLE",
    "ParseError",
    "ParsedPlan",
    "PlanRow",
    "Source",
    "parse_document",
    "parse_file",
    "parse_text",
    "read_document",
]


def read_document(path: str | Path, name: str | None = None) -> RawDocument:
    """Any supported file as paragraphs and tables (read in a bounded child process)."""
    return _bounded(_read_native, path, name)


def parse_file(path: str | Path, year: int | None = None, name: str | None = None) -> ParsedPlan:
    """Parse a task table or a key-points document. `year` is used when the document has none."""
    return _bounded(_parse_native, path, name, year)


def _bounded(func, path: str | Path, name: str | None, *args):
    """`func(path, label, *args)` in a child under the file limits, old formats first converted
    by the sandboxed LibreOffice. Every refusal is a ParseError."""
    path = Path(path)
    label = name or path.name
    if not path.is_file():
        raise ParseError(f"找不到文件「{label}」。")
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        formats = "、".join(SUPPORTED)
        raise ParseError(
            f"不支持的文件格式「{ext or '无扩展名'}」（「{label}」）。支持：{formats}。"
        )
    try:
        if ext not in TEXT:  # the bytes are what the name says (not an executable)
            with open(path, "rb") as fh:
                check_content(fh, path.name, size=path.stat().st_size, strict=False)
        if ext in WORD_OLD + SHEETS_OLD:
            target = "docx" if ext in WORD_OLD else "xlsx"
            with converted(path, target, label) as copy:
                return run_bounded(func, copy, label, *args, label=label)
        return run_bounded(func, path, label, *args, label=label)
    except FileRefused as exc:
        raise ParseError(str(exc)) from exc


def _read_native(path: Path, label: str) -> RawDocument:
    """Read a file in a format we parse ourselves (old formats arrive converted)."""
    ext = path.suffix.lower()
    try:
        if ext in WORD:
            check_archive(path, label)
            return read_docx(path, label)
        if ext in SHEETS:
            check_workbook(path, label, ext)
            return read_workbook(path, label)
    except FileRefused as exc:
        raise ParseError(str(exc)) from exc
    if ext in TEXT:
        return read_text_file(path, label)
    if ext in PDF:
        return read_pdf(path, label)
    raise ParseError(f"不支持的文件格式「{ext or '无扩展名'}」（「{label}」）。")


def _parse_native(path: Path, label: str, year: int | None) -> ParsedPlan:
    return parse_document(_read_native(path, label), year)


def parse_text(text: str, year: int | None = None, name: str = "文本") -> ParsedPlan:
    return parse_document(read_text(text, name), year)


def parse_document(doc: RawDocument, year: int | None = None) -> ParsedPlan:
    """Decide the kind from the content: a table with a task header, else numbered points."""
    tables = _tables_with_adjacency(doc)
    first = next(
        ((t, found) for t, _ in tables if (found := tabular.find_header(t)) is not None), None
    )
    if first is not None:
        return _task_table(doc, tables, first[0], first[1][0], year)
    if keypoints.looks_like_key_points(doc.paragraphs):
        return _key_points(doc, year)
    where = "工作簿" if doc.tables and doc.tables[0].sheet else "文档"
    raise ParseError(
        f"「{doc.name}」：{where}中既没有可识别表头的任务表（应有「工作任务」「牵头部门」"
        f"「责任单位」「具体要求」等列），也没有编号的工作要点（如「1.…。」）。"
    )


def _tables_with_adjacency(doc: RawDocument) -> list[tuple[RawTable, bool]]:
    out: list[tuple[RawTable, bool]] = []
    previous_was_table = False
    for block in doc.blocks:
        if isinstance(block, RawTable):
            out.append((block, previous_was_table))
            previous_was_table = True
        else:
            previous_was_table = False
    return out


def _row_text(cells: list[str]) -> str:
    return " ".join(dict.fromkeys(one_line(c) for c in cells if c))


def _task_table(
    doc: RawDocument,
    tables: list[tuple[RawTable, bool]],
    table: RawTable,
    header_at: int,
    year: int | None,
) -> ParsedPlan:
    above = [p.text for p in doc.paragraphs_before(table)]
    above += [_row_text(r.cells) for r in table.rows[:header_at]]
    title = meta.pick_title(above)
    doc_no = meta.find_doc_no(above)
    year, guessed = _year(title, doc_no, year, above, doc)
    rows, _, _ = tabular.read_task_tables(tables, year)
    if not rows:
        where = table.rows[header_at].source.describe()
        raise ParseError(f"「{doc.name}」：{where}是表头，但表格中没有任务行。")
    plan = ParsedPlan(TASK_TABLE, title, year, doc_no, rows)
    return _dated(plan, above, doc, guessed)


def _key_points(doc: RawDocument, year: int | None) -> ParsedPlan:
    paragraphs: list[Paragraph] = doc.paragraphs
    start = next(
        (i for i, p in enumerate(paragraphs) if keypoints.classify(p).kind != "plain"),
        len(paragraphs),
    )
    above = [p.text for p in paragraphs[:start]]
    title = meta.pick_title(above)
    doc_no = meta.find_doc_no(above)
    year, guessed = _year(title, doc_no, year, above, doc)
    rows, _ = keypoints.read_key_points(paragraphs, year)
    return _dated(ParsedPlan(KEY_POINTS, title, year, doc_no, rows), above, doc, guessed)


def _issued_on(above: list[str], doc: RawDocument):
    """印发日期: from the text above the tasks, else from the closing lines."""
    every = [p.text for p in doc.paragraphs]
    return meta.find_issued_on(above) or meta.find_issued_on(every[::-1])


def _year(title, doc_no, year, above, doc) -> tuple[int | None, bool]:
    """The plan's year from its title or 文号, else the given one, else the year of its
    印发日期 (then flagged as guessed)."""
    found = meta.find_year(title, doc_no, year)
    if found is not None:
        return found, False
    issued = _issued_on(above, doc)
    return (issued.year, True) if issued else (None, False)


def _dated(plan: ParsedPlan, above: list[str], doc: RawDocument, guessed: bool) -> ParsedPlan:
    """印发日期 and 发文机关."""
    plan.issued_on = _issued_on(above, doc)
    plan.issuer = meta.find_issuer(above) or meta.find_issuer([p.text for p in doc.paragraphs])
    if plan.issued_on is None:
        plan.warnings.append("未找到印发日期，请在预览中填写（序时进度从印发日期算起）。")
    if guessed:
        plan.warnings.append(f"标题和文号中都没有年份，年度按印发日期定为{plan.year}年，请核对。")
    return plan
