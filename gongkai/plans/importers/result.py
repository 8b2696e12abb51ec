"""What a parser returns: plain dataclasses that turn into JSON, and the one error type."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TASK_TABLE = "task_table"
KEY_POINTS = "key_points"

SOURCE_TABLE_ROW = "table_row"  # n: row number in the table (docx) or the sheet (xlsx)
SOURCE_LINE = "line"  # n: line number (text) or paragraph number (docx)


class ParseError(ValueError):
    """A document that cannot be read as a plan. The message is Chinese and names the place."""


@dataclass(frozen=True)
class Source:
    kind: str
    n: int
    table: int | None = None  # which table of a Word document (1-based)
    sheet: str | None = None  # which worksheet of a workbook

    def describe(self) -> str:
        """「表格第5行」「工作表「任务」第5行」「第12行」 for messages."""
        if self.sheet is not None:
            return f"工作表「{self.sheet}」第{self.n}行"
        if self.kind == SOURCE_TABLE_ROW:
            prefix = f"第{self.table}个表格" if self.table and self.table > 1 else "表格"
            return f"{prefix}第{self.n}行"
        return f"第{self.n}行"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "n": self.n}
        if self.table is not None:
            data["table"] = self.table
        if self.sheet is not None:
            data["sheet"] = self.sheet
        return data


@dataclass(frozen=True)
class Milestone:
    """An earlier deadline stated in the same row (「10月底前编制完成，年底前全部公开」)."""

    date: date
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "text": self.text}


@dataclass(frozen=True)
class RowWarning:
    """Something of a row the parser could not read fully: which column, and what."""

    column: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "message": self.message}


@dataclass
class PlanRow:
    """One task. `section` is the 一、 heading above it, `subsection` the （一） heading (or the
    task group of a table whose 工作任务 cell is numbered （一）), `title` the item's own short
    title (a 工作任务 cell of its own, or a point's title sentence)."""

    n: int
    section: str
    subsection: str
    requirement: str
    lead: list[str]
    responsible: list[str]
    due: date | None
    due_text: str | None
    cycle: str | None
    source: Source
    title: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(RowWarning(column, message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "section": self.section,
            "subsection": self.subsection,
            "title": self.title,
            "requirement": self.requirement,
            "lead": list(self.lead),
            "responsible": list(self.responsible),
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
            "cycle": self.cycle,
            "milestones": [m.to_dict() for m in self.milestones],
            "source": self.source.to_dict(),
            "warnings": [{**w.to_dict(), "place": self.source.describe()} for w in self.warnings],
        }


@dataclass
class ParsedPlan:
    kind: str
    title: str | None
    year: int | None
    doc_no: str | None
    rows: list[PlanRow] = field(default_factory=list)
    issued_on: date | None = None  # 印发日期 (the date under the issuing organ's name)
    issuer: str | None = None  # 发文机关, when the document names it
    warnings: list[str] = field(default_factory=list)  # about the document as a whole

    @property
    def all_warnings(self) -> list[str]:
        """Every warning, each naming its place (and column for a row)."""
        out = list(self.warnings)
        for row in self.rows:
            for w in row.warnings:
                out.append(f"{row.source.describe()}（第{row.n}项）「{w.column}」：{w.message}")
        return out

    @property
    def sections(self) -> list[str]:
        return list(dict.fromkeys(r.section for r in self.rows))

    @property
    def groups(self) -> list[tuple[str, str]]:
        """Distinct (section, subsection) pairs in document order: the task groups."""
        return list(dict.fromkeys((r.section, r.subsection) for r in self.rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "doc_no": self.doc_no,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "issuer": self.issuer,
            "warnings": list(self.warnings),  # the document's; each row lists its own
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
