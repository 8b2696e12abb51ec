"""The child process of `vocabulary.Counting`: reads pickled batches of entries ((scope,
stored title, stored body) lists) from its standard input until it ends, then writes the
pickled counts of all of them (`vocabulary.count`) to its standard output."""

from __future__ import annotations

import pickle
import sys
from collections import Counter

from gongkai.core.search.vocabulary import Scope, count


def main() -> None:
    counts: Counter[tuple[Scope, str]] = Counter()
    source = sys.stdin.buffer
    while True:
        try:
            batch = pickle.load(source)  # noqa: S301 — from the parent process, ours
        except EOFError:
            break
        counts.update(count(batch))
    pickle.dump(counts, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
