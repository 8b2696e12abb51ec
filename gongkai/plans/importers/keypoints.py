"""Key-points documents (工作要点): headings and numbered points, one paragraph each. Pure.

* A paragraph opening with a number marker (一、 / （一） / 1. / 1、 / （1） / ①) is a
  heading when what follows is short and has no sentence punctuation (「二、依申请公开」,
  「1、 主动公开」), otherwise a point.
* A point opens with its title sentence (up to the first 。): that is the point's `title`
  (with its marker), the rest its `requirement`. A heading of the top level (or the first
  heading) is the `section`; a heading numbered one level deeper than the section (（一） under
  一、) and shallower than the points is the `subsection`.
* Points use one marker style. A numbered paragraph of a deeper style (（1） under 1.), short
  or not, and an unnumbered paragraph between points continue the point above. Unnumbered
  paragraphs after the last point are the document's closing text and are left out.
* Organisations are named only when a point says so, in a note at its end (brackets may nest:
  「（责任单位：市发改委，各县（区）人民政府）」): 「（牵头单位：…；责任单位：…）」,
  「（…牵头，…配合）」, 「（X负责）」, 「（X、Y按职责分工负责）」.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Paragraph, one_line
from .duedates import due_from_text, milestones
from .orgnames import split_org_names, split_roles
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

_ORG_LABEL = (
    r"(牵头单位|牵头部门|牵头科室|牵头处室|责任单位|责任部门|责任科室|责任处室|配合单位|配合部门|"
    r"配合科室|配合处室|参与单位|协办单位)"
)
_LABELLED = re.compile(_ORG_LABEL + r"\s*[:：]\s*")
_NOTE_WORDS = ("牵头", "配合", "负责", "单位", "部门", "科室", "处室")


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


def _trailing_note(text: str) -> tuple[int, str] | None:
    """(start, inner text) of a bracketed note closing the text, brackets nesting."""
    body = text.rstrip().rstrip("。；;").rstrip()
    if not body.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        ch = body[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth -= 1
            if depth == 0:
                return i, body[i + 1 : -1]
    return None


def _labelled(inner: str) -> tuple[list[str], list[str]] | None:
    """「牵头单位：A；责任单位：B、C」 → (lead, responsible); None without labels."""
    marks = list(_LABELLED.finditer(inner))
    if not marks:
        return None
    lead: list[str] = []
    responsible: list[str] = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(inner)
        names = split_org_names(inner[m.end() : end].strip(" ；;，,。"))
        target = lead if m.group(1).startswith("牵头") else responsible
        target += [n for n in names if n not in target]
    return lead, responsible


def extract_orgs(text: str) -> tuple[list[str], list[str], str]:
    """(lead, responsible, text without the organisation note)."""
    note = _trailing_note(text)
    if note is not None and any(w in note[1] for w in _NOTE_WORDS):
        found = _labelled(note[1]) or split_roles(note[1])
        if found and (found[0] or found[1]):
            return found[0], found[1], text[: note[0]].rstrip()
    marks = list(_LABELLED.finditer(text))
    if marks:
        found = _labelled(text[marks[0].start() :])
        if found and (found[0] or found[1]):
            return found[0], found[1], text[: marks[0].start()].rstrip(" ；;，,（(")
    return [], [], text


@dataclass
class _Point:
    section: str
    subsection: str
    line: Line
    extra: list[str] = field(default_factory=list)


def read_key_points(paragraphs: list[Paragraph], year: int | None) -> tuple[list[PlanRow], int]:
    """Rows, and the index of the first heading or point (paragraphs above it are preamble)."""
    points: list[_Point] = []
    section = subsection = ""
    section_depth: int | None = None
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
            text = line.marker + line.rest
            if section_depth is not None and line.depth > section_depth:
                subsection = text
            else:
                section, subsection, section_depth = text, "", line.depth
            continue
        if point_depth is None:
            point_depth = line.depth
        points.append(_Point(section, subsection, line))
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
    row = PlanRow(
        n=n,
        section=point.section,
        subsection=point.subsection,
        title=line.marker + title,
        requirement=requirement or title,
        lead=lead,
        responsible=responsible,
        due=due.date,
        due_text=due.text,
        cycle=due.cycle,
        source=line.source,
        milestones=milestones(due),
    )
    if not requirement:
        row.warn("具体要求", "要点只有标题句，没有具体要求，已以标题作为具体要求")
    return row
