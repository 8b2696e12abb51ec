"""Plan alignment against the hand-checked answer set: precision and recall of the matched
pairs, on the full text (title + requirement) and on the requirement text with titles removed,
beside a plain character-overlap baseline (Jaccard over the sets of characters).

Run by hand: .venv/bin/python bench/align.py [--sweep]

A pair (item, row) is predicted when the row is among the item's matches. Precision and recall
are over all pairs of the answer set (gongkai/plans/tests/data/alignment_tengzhou_jining.yaml).
The baseline is given at its own best threshold (found by sweeping, i.e. favourably to it);
the matcher is given at its one documented threshold (MATCH_THRESHOLD).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from gongkai.plans.alignment import MATCH_THRESHOLD, align, plan_row_text  # noqa: E402
from gongkai.plans.importers import parse_file  # noqa: E402

SAMPLES = ROOT / "gongkai" / "demo" / "samples"
ANSWERS = ROOT / "gongkai" / "plans" / "tests" / "data" / "alignment_tengzhou_jining.yaml"


def load_answers() -> tuple[set[tuple[int, int]], dict[int, str], set[int]]:
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    pairs = {(it["item"], m["row"]) for it in data["items"] for m in it["matches"]}
    coverage = {it["item"]: it["coverage"] for it in data["items"]}
    return pairs, coverage, set(data["uncovered"])


def char_overlap(a: str, b: str) -> float:
    sa = {c for c in a if "\u4e00" <= c <= "\u9fff"}
    sb = {c for c in b if "\u4e00" <= c <= "\u9fff"}
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def prf(predicted: set, truth: set) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def texts(titles: bool):
    a = parse_file(SAMPLES / "tengzhou-2021-key-points.txt")
    b = parse_file(SAMPLES / "jining-2021-task-table.txt")
    items = [plan_row_text(r.to_dict(), titles=titles) for r in a.rows]
    rows = [plan_row_text(r.to_dict(), titles=titles) for r in b.rows]
    return items, rows, [r.n for r in a.rows], [r.n for r in b.rows]


def matcher_pairs(items, rows, an, bn, threshold=MATCH_THRESHOLD):
    result = align(items, rows, threshold)
    pairs = {(an[it.index], bn[j]) for it in result.items for j, _ in it.matches}
    return pairs, result


def baseline_pairs(items, rows, an, bn, threshold):
    return {
        (an[i], bn[j])
        for i, a in enumerate(items)
        for j, b in enumerate(rows)
        if char_overlap(a, b) >= threshold
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="show the matcher at other thresholds")
    args = parser.parse_args()
    truth, coverage, uncovered_truth = load_answers()
    print(
        f"answer set: {len(truth)} pairs, {len(coverage)} items, {len(uncovered_truth)} uncovered rows"
    )
    print(f"matcher threshold: {MATCH_THRESHOLD}")
    for titles in (True, False):
        label = "full text (title + requirement)" if titles else "requirement only (titles removed)"
        items, rows, an, bn = texts(titles)
        start = time.perf_counter()
        pairs, result = matcher_pairs(items, rows, an, bn)
        ms = (time.perf_counter() - start) * 1000
        p, r, f = prf(pairs, truth)
        cov_ok = sum(1 for it in result.items if it.coverage == coverage[an[it.index]])
        unc = {bn[j] for j in result.uncovered}
        up, ur, _ = prf(unc, uncovered_truth)
        print(f"\n{label}")
        print(
            f"  matcher:  P {p:.2f}  R {r:.2f}  F1 {f:.2f}  ({len(pairs)} pairs, "
            f"coverage class right {cov_ok}/{len(result.items)}, uncovered rows P {up:.2f} R {ur:.2f}, {ms:.0f} ms)"
        )
        best = max(
            (
                (t / 100, *prf(bp, truth), len(bp))
                for t in range(5, 80)
                for bp in [baseline_pairs(items, rows, an, bn, t / 100)]
            ),
            key=lambda x: x[3],
        )
        print(
            f"  baseline: P {best[1]:.2f}  R {best[2]:.2f}  F1 {best[3]:.2f}  ({best[4]} pairs, char-set Jaccard ≥ {best[0]:.2f}, best threshold)"
        )
        if args.sweep:
            for t in range(5, 60, 5):
                pp, rr, ff = prf(matcher_pairs(items, rows, an, bn, t / 100)[0], truth)
                print(f"    matcher @ {t / 100:.2f}: P {pp:.2f} R {rr:.2f} F1 {ff:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
