"""The common shape every reader produces: paragraphs and tables in document order.

Readers (Word, spreadsheet, plain text) only turn a file into this shape; deciding what is a
header, a section or a task happens once, in `tabular` and `keypoints`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .result import Source

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")


def clean_lines(text: str | None) -> str:
    """Strip each line, drop empty lines, join with '\\n'. Used for every cell and paragraph."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    lines = (line.strip(" \t\u00a0\u3000\u2002\u2003") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """A heading or title written over several lines is one string."""
    return "".join(text.split("\n"))


def squeeze(text: str) -> str:
    """Drop all whitespace (for comparing header cells)."""
    return _SPACE.sub("", text).replace("\n", "")


@dataclass
class Paragraph:
    text: str
    source: Source


@dataclass
class RawRow:
    cells: list[str]  # one string per grid column; merged cells already resolved
    source: Source
    merged_across: bool = False  # one cell spans the whole row (a section row)


@dataclass
class RawTable:
    rows: list[RawRow]
    index: int = 1
    sheet: str | None = None


@dataclass
class RawDocument:
    name: str
    blocks: list[Paragraph | RawTable] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[RawTable]:
        return [b for b in self.blocks if isinstance(b, RawTable)]

    def paragraphs_before(self, table: RawTable) -> list[Paragraph]:
        out: list[Paragraph] = []
        for block in self.blocks:
            if block is table:
                break
            if isinstance(block, Paragraph):
                out.append(block)
        return out
