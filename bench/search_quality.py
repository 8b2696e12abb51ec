"""bench/search.py's checks beyond speed: the seeded typo set and the accuracy of the
portal's 「您是不是要找」 suggestions on it, and the cost of the search page's facet counts.
Both run the portal's own code (`gongkai.catalog.searching`) on the benchmark's index."""

from __future__ import annotations

import collections
import random
import statistics
import time

# Typo kinds of the seeded set, each at least `per_kind` typos.
KINDS = ("homophone", "swap", "drop")


def _common_by_sound() -> dict[str, list[str]]:
    """Toneless pinyin → the common characters (GB2312 level 1, the 3,755 most used)
    read that way (their first reading)."""
    import pypinyin

    out: dict[str, list[str]] = collections.defaultdict(list)
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                ch = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            sound = pypinyin.lazy_pinyin(ch)[0]
            if sound != ch:
                out[sound].append(ch)
    return out


def typo_set(words, corpus: str, seed: int = 1818, per_kind: int = 30):
    """[(kind, typo, intended word)]: from words of the corpus vocabulary (most frequent
    first), one character replaced by a different common character of the same pinyin
    (homophone), two adjacent characters swapped, or one character dropped; a typo that
    occurs in `corpus` (it would find records, so nothing is suggested) is not used."""
    import pypinyin

    rng = random.Random(seed)
    by_sound = _common_by_sound()
    out, seen = [], set()
    for kind in KINDS:
        pool = [w for w in words if len(w) >= (2 if kind == "homophone" else 3)]
        rng.shuffle(pool)
        made = 0
        for word in pool:
            i = rng.randrange(len(word) - (1 if kind == "swap" else 0))
            if kind == "homophone":
                same = [
                    c for c in by_sound.get(pypinyin.lazy_pinyin(word[i])[0], []) if c != word[i]
                ]
                if not same:
                    continue
                typo = word[:i] + rng.choice(same) + word[i + 1 :]
            elif kind == "swap":
                typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            else:
                typo = word[:i] + word[i + 1 :]
            if typo == word or typo in seen or typo in corpus:
                continue
            seen.add(typo)
            out.append((kind, typo, word))
            made += 1
            if made >= per_kind:
                break
    return out


def suggestion_accuracy(typos, suggest, search, repeat: int = 3):
    """Per kind: typos, top-1 and top-3 hits (the intended word is the first / among the
    first three suggestions), how many typos found records themselves (no suggestion asked),
    and each typo's latency (median of `repeat`) of search plus suggestions.
    `search(q)` → SearchResult; `suggest(q)` → [suggestion] (the portal's code)."""
    from gongkai.catalog.searching import SUGGEST_BELOW

    stats = {k: {"n": 0, "top1": 0, "top3": 0, "none": 0, "found": 0, "ms": []} for k in KINDS}
    examples = collections.defaultdict(list)
    for kind, typo, word in typos:
        shown: list[str] = []

        def portal(q=typo):
            nonlocal shown
            result = search(q)
            shown = suggest(q) if result.total < SUGGEST_BELOW else []
            return result

        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            result = portal()
            times.append((time.perf_counter() - t) * 1000)
        s = stats[kind]
        s["n"] += 1
        s["ms"].append(statistics.median(times))
        s["found"] += result.total >= SUGGEST_BELOW
        s["none"] += not shown
        s["top1"] += shown[:1] == [word]
        s["top3"] += word in shown[:3]
        if word not in shown[:1] and len(examples[kind]) < 4:
            examples[kind].append(f"{typo}→{'/'.join(shown[:3]) or '∅'} (meant {word})")
    return stats, examples


def time_facets(conn, index, queries, facet_values, now, run_search, repeat: int = 5):
    """[(query, filters, matches label, search ms, facets ms)]: p50 over `repeat` runs of
    the portal's facet counts (catalog.searching.facet_counts) for 体裁 and 年份 — the
    benchmark's records have no 发布机构 / 主题 / 有效性 columns — against the search."""
    from gongkai.catalog.searching import facet_counts

    names = tuple(facet_values)

    def rows(ids):
        with conn.cursor() as cur:
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(
                    f"SELECT {', '.join(names)} FROM bench_docs WHERE id IN ({marks})", chunk
                )
                yield from cur.fetchall()

    out = []
    for query, filters in queries:

        def facets(q=query, f=filters):
            return facet_counts(
                index,
                q,
                facets=names,
                rows=rows,
                filters=f,
                values=facet_values,
                connection=conn,
                now=now,
            )

        facets()
        result = run_search(query, filters)
        timed = {"search": [], "facets": []}
        for _ in range(repeat):
            for name, func in (
                ("search", lambda q=query, f=filters: run_search(q, f)),
                ("facets", facets),
            ):
                t = time.perf_counter()
                func()
                timed[name].append((time.perf_counter() - t) * 1000)
        out.append(
            (
                query,
                filters,
                result.total_label,
                statistics.median(timed["search"]),
                statistics.median(timed["facets"]),
            )
        )
    return out
