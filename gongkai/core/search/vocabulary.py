# ruff: noqa: S608 — table names come from SearchIndex declarations in code, never from input;
# every value is a query parameter.
"""The index's own vocabulary, per scope (a filter column such as the government): every term
of the entries in the index with the number of entries holding it, kept in step by the index's
writes, so a term leaves with the last entry that held it (a withdrawn record's words leave
with its entry). An index has one when it names `vocabulary` (the scope column).

Terms are the words of the title and body (search mode: long words and their sub-words) and
the pairs of adjacent words of the title (森林 + 防火 → 森林防火), Chinese only.

`near(index, scope, term)` finds the terms a mistyped term was likely meant to be: edit
distance on characters (with transpositions: 商营环境 → 营商环境), then on pinyin (homophones,
the commonest input error: 营商环竟 → 营商环境), then frequency.
"""

from __future__ import annotations

import itertools
import os
import pickle
import queue
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Hashable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from gongkai.core import text
from gongkai.core.search import limits

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from gongkai.core.search.index import SearchIndex

# A vocabulary scope: a value of the index's scope column (BIGINT or TEXT).
Scope = int | str

MIN_TERM, MAX_TERM = 2, 12
CACHE_TTL = 60.0
_cache: dict[tuple[Hashable, ...], tuple[float, list[str], list[int], frozenset[str]]] = {}
_lock = threading.Lock()


def forget() -> None:
    """Drop the cached vocabularies (they are reread after CACHE_TTL seconds anyway)."""
    with _lock:
        _cache.clear()


# A term of MIN_TERM to MAX_TERM Chinese characters (`text.is_cjk`), as one regular expression.
_PLAIN_CHINESE = re.compile(
    f"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]{{{MIN_TERM},{MAX_TERM}}}"
)


def _plain_chinese(term: str) -> bool:
    return _PLAIN_CHINESE.fullmatch(term) is not None


def stored_terms(title: str, body: str) -> list[str]:
    """The vocabulary terms of an entry's stored title and body: its words, and the pairs of
    adjacent words of its title. Computed from the stored text only, so that deleting an
    entry recomputes exactly what inserting it added (the entry keeps no copy of them)."""
    # Distinct words first: a record's ~400 words hold ~150 distinct ones.
    found = dict.fromkeys(text.search_words_normalized(f"{title}\n{body}"))
    words = [w for w in found if _plain_chinese(w)]
    title_words = [w for w in text.segment(title) if w not in text.STOP_WORDS]
    pairs = [
        a + b
        for a, b in itertools.pairwise(title_words)
        if len(a) > 1 and len(b) > 1 and _plain_chinese(a + b)
    ]
    return list(dict.fromkeys(words + pairs))


# An entry as the vocabulary counts it: (scope, stored title, stored body).
Entry = tuple[Scope | None, str, str]


def count(entries: Iterable[Entry]) -> Counter[tuple[Scope, str]]:
    """(scope, term) -> entries holding it, of these entries (those without a scope left out)."""
    counts: Counter[tuple[Scope, str]] = Counter()
    for scope, title, body in entries:
        if scope is not None:
            counts.update(zip(itertools.repeat(scope), stored_terms(title, body)))
    return counts


class Counting:
    """The vocabulary counts of a bulk write, batch by batch (`add`), read once at the end
    (`result`). With `background`, every batch after the first is counted in a child process
    (rjieba's search-mode segmentation is ~0.15–0.3 ms an entry, the largest share of a
    rebuild's Python work): it works while this process prepares and writes the next batches
    and while the database builds the indexes, so a rebuild on two cores takes the longer of
    the two, not their sum. The child is a new Python (`python -m
    gongkai.core.search.vocabulary_child`, this process's import path): nothing of this
    process is copied or run again (multiprocessing's spawn would run the caller's script
    again in the child). It uses the same dictionary (`text.GOVERNMENT_WORDS`), so it counts
    what this process would. Batches wait for it in a queue of limits.VOCABULARY_BACKLOG
    (memory stays bounded: `add` waits when the child is that far behind); if it cannot
    start, this process counts."""

    def __init__(self, background: bool = False) -> None:
        self.counts: Counter[tuple[Scope, str]] = Counter()
        self.background = background
        self.batches = 0
        self.child: subprocess.Popen[bytes] | None = None
        self.queue: queue.Queue[list[Entry] | None] = queue.Queue(limits.VOCABULARY_BACKLOG)
        self.writer: threading.Thread | None = None

    def add(self, entries: list[Entry]) -> None:
        self.batches += 1
        if self.background and self.batches > 1 and self.child is None:
            self._start()
        if self.child is not None:
            while True:  # (waits while the child is that far behind; not for a dead one)
                try:
                    self.queue.put(entries, timeout=1.0)
                    break
                except queue.Full:
                    if self.child.poll() is not None:
                        raise RuntimeError(
                            f"词表计数子进程异常退出（{self.child.returncode}）"
                        ) from None
        else:
            self.counts.update(count(entries))

    def _start(self) -> None:
        path = os.pathsep.join(p for p in sys.path if p)
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "gongkai.core.search.vocabulary_child"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": path},
            )
        except OSError:  # (no process can be started here)
            self.background = False
            return
        self.writer = threading.Thread(target=self._feed, args=(self.child,), daemon=True)
        self.writer.start()

    def _feed(self, child: subprocess.Popen[bytes]) -> None:
        """Hand the queued batches to the child, then end its input (a thread of its own, so
        that `add` only waits when the queue is full)."""
        assert child.stdin is not None
        try:
            while (batch := self.queue.get()) is not None:
                pickle.dump(batch, child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            child.stdin.close()
        except (BrokenPipeError, ValueError):  # the child ended (`result` reports it)
            pass

    def result(self) -> Counter[tuple[Scope, str]]:
        """Every batch's counts (waiting for the child's)."""
        child = self.child
        if child is not None and self.writer is not None:
            self.queue.put(None)
            self.writer.join()
            assert child.stdout is not None
            try:
                counts: Counter[tuple[Scope, str]] = pickle.load(child.stdout)  # noqa: S301 — ours
            except EOFError:
                counts = Counter()
            if child.wait() != 0:
                raise RuntimeError(f"词表计数子进程异常退出（{child.returncode}）")
            self.counts.update(counts)
            self.child = None
        return self.counts

    def close(self) -> None:
        """Stop the child (after a failed write: its counts are not wanted)."""
        if self.child is not None:
            self.child.kill()
            self.child.wait()
            self.child = None
            while not self.queue.empty():  # (let a waiting writer thread end)
                self.queue.get_nowait()
            self.queue.put(None)

    def __enter__(self) -> Counting:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def add(index: SearchIndex, cursor: CursorWrapper, counts: Counter[tuple[Scope, str]]) -> None:
    """Add (scope, term) counts of inserted entries."""
    if counts:
        cursor.executemany(
            f"INSERT INTO {index.table}_vocab (scope, term, df) VALUES (%s, %s, %s) "
            f"ON CONFLICT (scope, term) DO UPDATE SET df = {index.table}_vocab.df + excluded.df",
            [(scope, term, n) for (scope, term), n in counts.items()],
        )
    forget()


def remove(index: SearchIndex, cursor: CursorWrapper, deleted: Iterable[Entry]) -> None:
    """Take the terms of deleted entries ((scope, title, body), as the backend's `delete`
    returns them) out of the vocabulary."""
    counts = count(deleted)
    if counts:
        rows = [(n, scope, term) for (scope, term), n in counts.items()]
        cursor.executemany(
            f"UPDATE {index.table}_vocab SET df = df - %s WHERE scope = %s AND term = %s", rows
        )
        cursor.executemany(
            f"DELETE FROM {index.table}_vocab WHERE scope = %s AND term = %s AND df <= 0",
            [(scope, term) for _, scope, term in rows],
        )
    forget()


def _load(
    index: SearchIndex, cursor: CursorWrapper, scope: Scope
) -> tuple[list[str], list[int], frozenset[str]]:
    """(terms, their entry counts, the terms as a set) of a scope, cached CACHE_TTL seconds."""
    key: tuple[Hashable, ...] = (
        cursor.db.alias,
        cursor.db.settings_dict.get("NAME"),
        index.table,
        scope,
    )
    with _lock:
        cached = _cache.get(key)
    if cached and time.monotonic() - cached[0] < CACHE_TTL:
        return cached[1:]
    cursor.execute(f"SELECT term, df FROM {index.table}_vocab WHERE scope = %s", [scope])
    rows = cursor.fetchall()
    terms_ = [r[0] for r in rows]
    found = (terms_, [r[1] for r in rows], frozenset(terms_))
    with _lock:
        _cache[key] = (time.monotonic(), *found)
    return found


def near(
    index: SearchIndex, cursor: CursorWrapper, scope: Scope, term: str, limit: int = 10
) -> list[tuple[str, int]]:
    """[(vocabulary term, entries holding it)] a mistyped `term` was likely meant to be, most
    likely first: fewest character edits (a transposition is one); then the terms that sound
    the same or keep every typed character (a swapped pair, a dropped character: 财政算 is
    财政预算 rather than the more frequent 财政, 监局管 is 监管局 rather than 监管); then fewest
    pinyin edits, then the most frequent. None for a term of the vocabulary itself."""
    term = "".join(text.query_parts(term).terms)
    if not _plain_chinese(term):
        return []
    vocab, df, known = _load(index, cursor, scope)
    if not vocab or term in known:
        return []  # a term of the vocabulary is what the citizen meant
    most = 1 if len(term) <= 3 else 2
    found = process.extract(term, vocab, scorer=OSA.distance, score_cutoff=most, limit=200)
    spoken = text.pinyin(term)
    ranked = []
    for candidate, distance, i in found:
        if distance == 0:
            continue
        sound = OSA.distance(spoken, text.pinyin(candidate))
        keeps = not Counter(term) - Counter(candidate)  # every typed character is in it
        ranked.append((distance, not (sound == 0 or keeps), sound, -df[i], candidate))
    ranked.sort()
    return [(r[4], -r[3]) for r in ranked[:limit]]
