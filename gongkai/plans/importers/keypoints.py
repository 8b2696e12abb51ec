"""Key-points documents (工作要点): headings and numbered points, one paragraph each. Pure.

* A paragraph opening with a number marker (一、 / （一） / 1. / 1、 / （1） / ①) is a
  heading when what follows is short and has no sentence punctuation (「二、依申请公开」,
  「1、 主动公开」), otherwise a point.
* A point opens with its title sentence (up to the first 。): that is the point's
  `subsection`, the rest its `requirement`.
* Points use one marker style. A numbered paragraph of a deeper style (（1） under 1.), short
  or not, and an unnumbered paragraph between points continue the point above. Unnumbered
  paragraphs after the last point are the document's closing text and are left out.
* Organisations are named only when a point says so: 「（牵头单位：…；责任单位：…）」 or
  「（…牵头，…配合）」.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Paragraph, one_line
from .duedates import due_from_text
from .orgnames import split_org_names
from .result import PlanRow, Source

_CN = "[一二三四五六七八九十百]+"
# (style, depth, pattern); a deeper style nests inside a shallower one.
MARKERS = [
    ("cn", 0, re.compile(rf"^({_CN})\s*[、.．]\s*")),
    ("cn_paren", 1, re.compile(rf"^[（(]\s*({_CN})\s*[）)]\s*")),
    ("ar", 2, re.compile(r"^(\d{1,2})(?!\d)\s*[、.．](?!\d)\s*")),
    ("ar_paren", 3, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
    ("circled", 4, re.compile(r"^([①-⑳])\s*")),
]
HEADING_PUNCT = set("。；;！？!?")
HEADING_MAX_LEN = 30
SENTENCE_END = re.compile(r"[。！？!?]")

_ORG_LABEL = r"(牵头单位|牵头部门|牵头科室|责任单位|责任部门|责任科室|配合单位|配合部门|参与单位)"
_LABELLED = re.compile(_ORG_LABEL + r"\s*[:：]\s*([^；;。）)]+)")
_TRAILING_PAREN = re.compile(
    r"[（(]([^（）()]*(?:牵头|配合|负责|单位|部门)[^（）()]*)[）)]\s*[。；;]?\s*$"
)
_ROLE_CLAUSE = re.compile(r"^(.+?)(牵头|配合|参与|协助|负责|按职责分工负责)$")


@dataclass
class Line:
    kind: str  # "heading", "point" or "plain"
    text: str
    source: Source
    style: str | None = None
    depth: int = -1
    marker: str = ""
    rest: str = ""


def classify(paragraph: Paragraph) -> Line:
    text = one_line(paragraph.text).strip()
    for style, depth, pattern in MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end() :].strip()
        if not rest:
            break
        marker = re.sub(r"\s+", "", text[: m.end()])
        short = len(rest) <= HEADING_MAX_LEN and not any(ch in HEADING_PUNCT for ch in rest)
        kind = "heading" if short else "point"
        return Line(kind, text, paragraph.source, style, depth, marker, rest)
    return Line("plain", text, paragraph.source)


def looks_like_key_points(paragraphs: list[Paragraph]) -> bool:
    return any(classify(p).kind == "point" for p in paragraphs)


def extract_orgs(text: str) -> tuple[list[str], list[str], str]:
    """(lead, responsible, text without the organisation note)."""
    lead: list[str] = []
    responsible: list[str] = []
    note = _TRAILING_PAREN.search(text)
    body = text
    if note:
        inner = note.group(1)
        labelled = _LABELLED.findall(inner)
        if labelled:
            for label, names in labelled:
                (lead if label.startswith("牵头") else responsible).extend(split_org_names(names))
        else:
            clauses = [c.strip() for c in re.split(r"[，,；;]", inner) if c.strip()]
            for clause in clauses:
                m = _ROLE_CLAUSE.match(clause)
                if not m:
                    continue
                names = split_org_names(m.group(1))
                is_lead = m.group(2) == "牵头" or (m.group(2) == "负责" and not lead)
                (lead if is_lead else responsible).extend(names)
        if lead or responsible:
            body = text[: note.start()].rstrip()
    else:
        for label, names in _LABELLED.findall(text):
            (lead if label.startswith("牵头") else responsible).extend(split_org_names(names))
        if lead or responsible:
            body = _LABELLED.sub("", text).rstrip(" ；;，,")
    return list(dict.fromkeys(lead)), list(dict.fromkeys(responsible)), body


@dataclass
class _Point:
    section: str
    line: Line
    extra: list[str] = field(default_factory=list)


def read_key_points(paragraphs: list[Paragraph], year: int | None) -> tuple[list[PlanRow], int]:
    """Rows, and the index of the first heading or point (paragraphs above it are preamble)."""
    points: list[_Point] = []
    section = ""
    point_depth: int | None = None
    pending: list[str] = []
    start = -1
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.text.strip():
            continue
        line = classify(paragraph)
        if line.kind == "plain":
            if points:
                pending.append(line.text)
            continue
        if start < 0:
            start = index
        # A deeper numbering than the points' own ((1) under 1.) is an item of the point above,
        # even when it is short enough to look like a heading.
        if point_depth is not None and points and line.depth > point_depth:
            points[-1].extra.extend([*pending, line.text])
            pending = []
            continue
        if points:
            points[-1].extra.extend(pending)
        pending = []
        if line.kind == "heading":
            section = line.marker + line.rest
            continue
        if point_depth is None:
            point_depth = line.depth
        points.append(_Point(section, line))
    return [_row(i, p, year) for i, p in enumerate(points, 1)], start


def _row(n: int, point: _Point, year: int | None) -> PlanRow:
    line = point.line
    m = SENTENCE_END.search(line.rest)
    if m:
        title, body = line.rest[: m.start()].strip(), line.rest[m.end() :].strip()
    else:
        title, body = line.rest, ""
    full = "\n".join([body, *point.extra]).strip() if (body or point.extra) else title
    lead, responsible, requirement = extract_orgs(full)
    due = due_from_text(line.rest + "\n" + "\n".join(point.extra), year)
    return PlanRow(
        n=n,
        section=point.section,
        subsection=line.marker + title,
        requirement=requirement or title,
        lead=lead,
        responsible=responsible,
        due=due.date,
        due_text=due.text,
        cycle=due.cycle,
        source=line.source,
    )
