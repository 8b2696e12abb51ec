"""Alignment (对照) between two plans: each item of plan A matched to the rows of plan B.

Pure functions over texts; the one Chinese similarity is `gongkai.core.text` (its IDF-weighted
`Vectorizer`, fitted on the texts of both plans, so that words every task shares — 公开, 信息 —
count for little).

- A row j is a match of item i when their similarity is at least ``MATCH_THRESHOLD``; matches
  are sorted by score (best first).
- Coverage of item i: ``none`` without matches; otherwise the share of the item's weighted
  features found in the union of its matched rows: ``covered`` from ``COVERED_SHARE``, else
  ``partly``.
- ``uncovered``: rows of B that are a match of no item. Both directions come from the same
  score matrix (``rows`` gives, for each row of B, the items that match it).

Thresholds were set after the hand-checked answer set
(plans/tests/data/alignment_tengzhou_jining.yaml) was written; BENCHMARKS.md has the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.core.text import Vectorizer, cosine

MATCH_THRESHOLD = 0.25
COVERED_SHARE = 0.5

COVERED, PARTLY, NONE = "covered", "partly", "none"


@dataclass
class ItemMatch:
    index: int  # 0-based position in A
    coverage: str
    matches: list[tuple[int, float]] = field(default_factory=list)  # (0-based row of B, score)


@dataclass
class AlignmentResult:
    items: list[ItemMatch]
    rows: list[list[tuple[int, float]]]  # per row of B: (item of A, score)
    uncovered: list[int]  # 0-based rows of B

    def to_dict(self, a_numbers: list[int], b_numbers: list[int]) -> dict:
        """The CLI form: 1-based `n` of each parse, scores rounded to 3 places."""
        return {
            "items": [
                {
                    "item": a_numbers[it.index],
                    "coverage": it.coverage,
                    "matches": [{"row": b_numbers[j], "score": round(s, 3)} for j, s in it.matches],
                }
                for it in self.items
            ],
            "uncovered": [b_numbers[j] for j in self.uncovered],
        }


def _share(item_vec: dict, row_vecs: list[dict]) -> float:
    total = sum(item_vec.values())
    if not total:
        return 0.0
    found = set().union(*(v.keys() for v in row_vecs)) if row_vecs else set()
    return sum(w for k, w in item_vec.items() if k in found) / total


def align(items: list[str], rows: list[str], threshold: float = MATCH_THRESHOLD) -> AlignmentResult:
    vec = Vectorizer(list(items) + list(rows))
    item_vecs = [vec.vector(t) for t in items]
    row_vecs = [vec.vector(t) for t in rows]
    matrix = [[cosine(iv, rv) for rv in row_vecs] for iv in item_vecs]
    out_items = []
    by_row: list[list[tuple[int, float]]] = [[] for _ in rows]
    for i, scores in enumerate(matrix):
        matches = sorted(
            ((j, s) for j, s in enumerate(scores) if s >= threshold), key=lambda p: (-p[1], p[0])
        )
        for j, s in matches:
            by_row[j].append((i, s))
        if not matches:
            coverage = NONE
        else:
            share = _share(item_vecs[i], [row_vecs[j] for j, _ in matches])
            coverage = COVERED if share >= COVERED_SHARE else PARTLY
        out_items.append(ItemMatch(i, coverage, matches))
    for found in by_row:
        found.sort(key=lambda p: (-p[1], p[0]))
    uncovered = [j for j, found in enumerate(by_row) if not found]
    return AlignmentResult(out_items, by_row, uncovered)


def plan_row_text(row: dict, *, titles: bool = True) -> str:
    """The text of a parsed row used for matching: its title (工作任务 or the point's title
    sentence) and requirement, or the requirement alone."""
    heading = row.get("title") or row.get("subsection")
    if titles and heading:
        return f"{heading}\n{row['requirement']}"
    return row["requirement"]
