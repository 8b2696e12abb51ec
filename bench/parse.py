"""Time parsing the sample task table (.docx): best of N runs, then print the result.

Run by hand: .venv/bin/python bench/parse.py [-n 20] [FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.plans.importers import parse_file  # noqa: E402

SAMPLE = ROOT / "gongkai" / "demo" / "samples" / "jining-2021-task-table.docx"


def main() -> int:
    parser = argparse.ArgumentParser(description="Time the work-plan parser.")
    parser.add_argument("file", nargs="?", default=str(SAMPLE))
    parser.add_argument("-n", "--runs", type=int, default=20)
    args = parser.parse_args()

    timings = []
    plan = None
    for _ in range(args.runs):
        start = time.perf_counter()
        plan = parse_file(args.file)
        timings.append(time.perf_counter() - start)
    assert plan is not None
    best, mean = min(timings), sum(timings) / len(timings)
    print(f"file: {Path(args.file).name}")
    print(f"kind: {plan.kind}, title: {plan.title}, year: {plan.year}, doc_no: {plan.doc_no}")
    print(f"rows: {len(plan.rows)}, sections: {len(plan.sections)}, groups: {len(plan.groups)}")
    print(f"best of {args.runs}: {best * 1000:.1f} ms (mean {mean * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
