"""Read generated documents back, for the tests: a .docx's section properties and table row
properties, and where LibreOffice's PDF of it put each character (pdfplumber, a dev
dependency). Measures are in millimetres from the page's top left corner."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from . import (
    A4_HEIGHT,
    A4_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    TWIPS_PER_MM,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM_PER_PT = 25.4 / 72
# The type area in mm: (left, top, right, bottom) on a portrait and on a turned page.
Area = tuple[float, float, float, float]


def _mm(left: int, top: int, right: int, bottom: int) -> Area:
    return (left / TWIPS_PER_MM, top / TWIPS_PER_MM, right / TWIPS_PER_MM, bottom / TWIPS_PER_MM)


PORTRAIT_AREA = _mm(MARGIN_LEFT, MARGIN_TOP, A4_WIDTH - MARGIN_RIGHT, A4_HEIGHT - MARGIN_BOTTOM)
LANDSCAPE_AREA = _mm(MARGIN_BOTTOM, MARGIN_LEFT, A4_HEIGHT - MARGIN_TOP, A4_WIDTH - MARGIN_RIGHT)
TOLERANCE_MM = 0.5
PAGE_NUMBER_CHARS = set("— 0123456789")


def _document_xml(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _int(element: Any, attr: str) -> int | None:
    if element is None or element.get(W + attr) is None:
        return None
    return int(element.get(W + attr))


def sections(docx: bytes) -> list[dict[str, Any]]:
    """Each section's page size, orientation, margins (twips) and document grid."""
    out = []
    for sect in _document_xml(docx).iter(W + "sectPr"):
        size, margins, grid = (
            sect.find(W + "pgSz"),
            sect.find(W + "pgMar"),
            sect.find(W + "docGrid"),
        )
        out.append(
            {
                "width": _int(size, "w"),
                "height": _int(size, "h"),
                "orient": size.get(W + "orient", "portrait"),
                **{side: _int(margins, side) for side in ("top", "right", "bottom", "left")},
                "grid_type": grid.get(W + "type") if grid is not None else None,
                "line_pitch": _int(grid, "linePitch"),
                "char_space": _int(grid, "charSpace"),
            }
        )
    return out


def tables(docx: bytes) -> list[list[dict[str, bool]]]:
    """Each table's rows: whether the row repeats as a header and whether it may split."""
    out = []
    for tbl in _document_xml(docx).iter(W + "tbl"):
        rows = []
        for tr in tbl.findall(W + "tr"):
            pr = tr.find(W + "trPr")
            rows.append(
                {
                    "header": pr is not None and pr.find(W + "tblHeader") is not None,
                    "cant_split": pr is not None and pr.find(W + "cantSplit") is not None,
                }
            )
        out.append(rows)
    return out


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    tables: list[list[list[str | None]]]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def type_area(self) -> Area:
        return LANDSCAPE_AREA if self.landscape else PORTRAIT_AREA

    def lines(self) -> list[list[Char]]:
        """The characters grouped by line (same top within 1 mm), top to bottom."""
        rows: list[list[Char]] = []
        for c in sorted(self.chars, key=lambda c: (round(c.top), c.x0)):
            if rows and abs(rows[-1][0].top - c.top) < 1:
                rows[-1].append(c)
            else:
                rows.append([c])
        return [sorted(row, key=lambda c: c.x0) for row in rows]

    def page_number_line(self) -> list[Char]:
        """The line below the type area (the page number), or []."""
        bottom = self.type_area[3]
        below = [line for line in self.lines() if line[0].top > bottom - TOLERANCE_MM]
        return below[-1] if below else []

    def outside_type_area(self) -> list[Char]:
        """Characters outside the type area, the page number line apart."""
        left, top, right, bottom = self.type_area
        skip = {id(c) for c in self.page_number_line()}
        return [
            c
            for c in self.chars
            if id(c) not in skip
            and c.text.strip()
            and (
                c.x0 < left - TOLERANCE_MM
                or c.x1 > right + TOLERANCE_MM
                or c.top < top - TOLERANCE_MM
                or c.bottom > bottom + TOLERANCE_MM
            )
        ]


def pdf_pages(pdf: bytes, *, with_tables: bool = False) -> list[Page]:
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            chars = [
                Char(
                    c["text"],
                    c["x0"] * MM_PER_PT,
                    c["x1"] * MM_PER_PT,
                    c["top"] * MM_PER_PT,
                    c["bottom"] * MM_PER_PT,
                )
                for c in page.chars
            ]
            pages.append(
                Page(
                    number,
                    float(page.width) * MM_PER_PT,
                    float(page.height) * MM_PER_PT,
                    chars,
                    page.extract_tables() if with_tables else [],
                )
            )
    return pages


def text_of(line: list[Char]) -> str:
    return "".join(c.text for c in line)


def problems(docx: bytes, pdf: bytes | None = None) -> list[str]:
    """What in a generated document departs from the GB/T 9704 page (an empty list when
    nothing does): every section A4 with the type area's margins and the 22 × 28 grid; in the
    PDF, every page A4, every character inside the type area, and the page number 「— N —」
    7 mm below it, at the right (odd pages) or left (even pages) one character in."""
    from . import CHAR_PITCH, CHARS_PER_LINE, LINES_PER_PAGE, PAGE_NUMBER_SIZE

    found = []
    for i, s in enumerate(sections(docx), start=1):
        turned = s["orient"] == "landscape"
        size = (A4_HEIGHT, A4_WIDTH) if turned else (A4_WIDTH, A4_HEIGHT)
        margins = (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT)
        if turned:
            margins = (MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM)
        if (s["width"], s["height"]) != size:
            found.append(f"section {i}: page {s['width']} × {s['height']} twips, not A4")
        got = tuple(s[side] for side in ("top", "right", "bottom", "left"))
        if got != margins:
            found.append(f"section {i}: margins {got}, expected {margins}")
        type_width = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        type_height = A4_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        pitch = s["line_pitch"] or 0
        chars = type_width // (CHAR_PITCH if s["char_space"] is not None else 1)
        if (
            s["grid_type"] != "linesAndChars"
            or not pitch
            or type_height // pitch != LINES_PER_PAGE
            or chars != CHARS_PER_LINE
        ):
            found.append(f"section {i}: document grid {s['grid_type']} {pitch} {s['char_space']}")
    if pdf is None:
        return found
    one_char = PAGE_NUMBER_SIZE * MM_PER_PT
    for page in pdf_pages(pdf):
        dims = sorted((round(page.width), round(page.height)))
        if dims != [210, 297]:
            found.append(f"page {page.number}: {page.width:.0f} × {page.height:.0f} mm, not A4")
        for c in page.outside_type_area()[:3]:
            found.append(
                f"page {page.number}: 「{c.text}」 at x {c.x0:.1f}–{c.x1:.1f}, "
                f"y {c.top:.1f}–{c.bottom:.1f} mm, outside the type area {page.type_area}"
            )
        line = page.page_number_line()
        if text_of(line) != f"— {page.number} —":
            found.append(f"page {page.number}: page number line 「{text_of(line)}」")
            continue
        if page.landscape:
            continue
        left, _, right, bottom = page.type_area
        dash = line[0]
        below = (dash.top + dash.bottom) / 2 - bottom
        if abs(below - 7) > 1:
            found.append(f"page {page.number}: page number {below:.1f} mm below the type area")
        gap = right - line[-1].x1 if page.number % 2 else line[0].x0 - left
        if abs(gap - one_char) > 1:
            side = "right" if page.number % 2 else "left"
            found.append(f"page {page.number}: page number {gap:.1f} mm from the {side}")
    return found
