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


@dataclass
class PlanRow:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "section": self.section,
            "subsection": self.subsection,
            "requirement": self.requirement,
            "lead": list(self.lead),
            "responsible": list(self.responsible),
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
            "cycle": self.cycle,
            "source": self.source.to_dict(),
        }


@dataclass
class ParsedPlan:
    kind: str
    title: str | None
    year: int | None
    doc_no: str | None
    rows: list[PlanRow] = field(default_factory=list)

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
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
