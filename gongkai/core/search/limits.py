"""The bounds of search work: counts, candidate sets, query size (read at call time, so tests
can lower them), and the sample that may show a count as "10,000+" without counting it."""

import math
import random
import zlib
from collections.abc import Sequence

COUNT_CAP = 10_000
CANDIDATES = 300
# SQLite: with at most this many matches, every match's stored title is checked, so older
# title hits join the candidates of the ranking.
TITLE_CHECK_ALL = 2000
TITLE_CANDIDATES = 100
# A query likely to find more than COUNT_CAP records (SQLite: whose terms need checking on the
# stored text; PostgreSQL: by the table statistics of its tokens) is first checked on a sample
# (`sample_windows`, `over_cap`): SAMPLE_WINDOWS windows of the key range at seeded random
# positions, together about SAMPLE_ROWS entries. It is "10,000+" without counting every match
# (~3 µs a candidate on SQLite, ~10 µs a candidate's page on PostgreSQL) only when the
# sample's lower confidence bound on the matches is above COUNT_CAP; otherwise it is counted.
# A term found only in recent records (a new policy topic) falls in few windows: the windows'
# spread keeps its bound low, so it is counted exactly.
SAMPLE_ROWS = 2000
SAMPLE_WINDOWS = 40
# One-sided bound: the estimate less CONFIDENCE_Z standard errors (by the windows' spread);
# with fewer than SAMPLE_MIN_HITS hits in the sample nothing is concluded.
CONFIDENCE_Z = 4.0
SAMPLE_MIN_HITS = 100
# A query the statistics expect to find at least this many records is sampled first.
SAMPLE_FROM = COUNT_CAP // 2
# PostgreSQL: a query whose walked sample (SAMPLE_ROWS entries) is expected to hold fewer
# than SAMPLE_WALK_HITS hits samples the GIN candidates of its rarest token instead, reading
# at most SAMPLE_CANDIDATES_MAX of them (see postgres.planner._sampled_candidates); a walked
# sample of a frequent query costs less than GIN's bitmap of its rarest token.
SAMPLE_WALK_HITS = 400
SAMPLE_CANDIDATES_MAX = 4 * SAMPLE_ROWS
# PostgreSQL: the newest hits of a sampled query are found by walking at most WALK_ROWS of the
# newest entries by key (checking the stored text) before asking GIN.
WALK_ROWS = 6000
# PostgreSQL: a query GIN gives fewer candidates than this for is checked on every candidate
# in one pass (the exact count up to the cap, and every hit for the page); with more, the
# hits are counted up to the cap and the page read by key.
CHECK_ALL = 4 * COUNT_CAP
# PostgreSQL: tokens in at least this share of the records are left out of the GIN query when
# the query has rarer ones, and checked on the candidates instead. (At 0.25, a token in a
# third of the records left out gave 19,893 candidates for 6,937 matches, each a page read,
# where GIN's intersection with it took 2 ms.)
COMMON_SHARE = 0.9
# PostgreSQL: when each term's rarest token expects at most GIN_ENOUGH candidates, GIN is
# asked for those and for the tokens of at most GIN_CHEAP entries only (see
# postgres.planner._gin_tokens).
GIN_ENOUGH = 2000
GIN_CHEAP = 10_000
STATS_TTL = 300.0
# PostgreSQL: work_mem of a search's statements, so that a frequent token's GIN bitmap stays
# exact (~24MB for one of 1,000,000 entries; a partition per government keeps it per
# government). See postgres.planner._serial.
SEARCH_WORK_MEM = "64MB"
# A rebuild's vocabulary batches waiting for the child process that counts them
# (vocabulary.Counting; a batch of 2,000 entries is ~3 MB).
VOCABULARY_BACKLOG = 32
MAX_QUERY_PARTS = 8
MAX_QUERY_LENGTH = 100


def sample_windows(seed: str, oldest: int, newest: int, rows: float) -> list[tuple[int, int]]:
    """The sample windows (first key, last key) of the keys oldest..newest, which hold about
    `rows` entries: SAMPLE_WINDOWS windows of one width (SAMPLE_ROWS entries in all, at the
    range's average density), each starting at a random key (seeded by `seed`, so a query
    always gets the same answer) from `oldest - width + 1` to `newest`, so that every key of
    the range is in a window with the same probability. [] when the range holds too few
    entries to find more than COUNT_CAP matches, or too few to sample."""
    if newest <= oldest or rows <= max(COUNT_CAP, 2 * SAMPLE_ROWS):
        return []
    width = max(1, int((newest - oldest + 1) * SAMPLE_ROWS / SAMPLE_WINDOWS / rows))
    rng = random.Random(zlib.crc32(seed.encode()))  # noqa: S311 — a sample, not a secret
    starts = sorted(rng.randint(oldest - width + 1, newest) for _ in range(SAMPLE_WINDOWS))
    return [(start, start + width - 1) for start in starts]


def scale(windows: Sequence[tuple[int, int]], oldest: int, newest: int) -> float:
    """The window positions of oldest..newest over the width of the `sample_windows`: a
    window's hits times this estimate the matches."""
    width = windows[0][1] - windows[0][0] + 1
    return (newest - oldest + width) / width


def unlikely_over_cap(
    hits: Sequence[int], windows: Sequence[tuple[int, int]], oldest: int, newest: int
) -> bool:
    """Whether the hits of the first `sample_windows` (a quarter of them, read first) estimate
    at most COUNT_CAP matches: the rest of the sample is then not worth reading (the query is
    counted; the whole sample would rarely prove more)."""
    return sum(hits) * scale(windows, oldest, newest) <= len(hits) * COUNT_CAP


def over_cap(
    hits: Sequence[int], windows: Sequence[tuple[int, int]], oldest: int, newest: int
) -> bool:
    """Whether the hits in each of the `sample_windows` of oldest..newest prove more than
    COUNT_CAP matches: each window's hits, scaled by the window positions over its width,
    estimate the matches without bias (Horvitz–Thompson); the count is above the cap when
    their mean less CONFIDENCE_Z standard errors (their spread over the windows) is."""
    if len(hits) != len(windows) or len(hits) < 2 or sum(hits) < SAMPLE_MIN_HITS:
        return False
    factor = scale(windows, oldest, newest)
    estimates = [h * factor for h in hits]
    mean = sum(estimates) / len(estimates)
    variance = sum((e - mean) ** 2 for e in estimates) / (len(estimates) - 1)
    return mean - CONFIDENCE_Z * math.sqrt(variance / len(estimates)) > COUNT_CAP
