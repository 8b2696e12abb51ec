"""The bounds of search work: counts, candidate sets, query size (read at call time, so tests
can lower them)."""

COUNT_CAP = 10_000
CANDIDATES = 300
# SQLite: with at most this many matches, every match's stored title is checked, so older
# title hits join the candidates of the ranking.
TITLE_CHECK_ALL = 2000
TITLE_CANDIDATES = 100
# A query whose terms need checking on the stored text (SQLite), or whose every token the
# table statistics call frequent (PostgreSQL), is first checked on stratified samples: windows
# of FREQUENT_SAMPLE entries, the newest ones and those just below FREQUENT_WINDOWS of the key
# range back from the newest. Only when the windows' hits together extrapolate (by the table's
# rows) to at least FREQUENT_MIN, and each window's on its own to at least half of it, is the
# count "10,000+" without counting every match (~3 µs a candidate on SQLite, ~40 ms of GIN for
# a term in nearly every one of a million records on PostgreSQL). The older windows keep a term
# found only in recent records (a new policy topic: all of the newest 1,000, 2,000 of 40,000)
# from being called frequent; it is counted exactly.
FREQUENT_MIN = 3 * COUNT_CAP
FREQUENT_SAMPLE = 1000
FREQUENT_WINDOWS = (0.0, 0.25, 0.5, 0.75)
# PostgreSQL: tokens in at least this share of the records are left out of the GIN query when
# the query has rarer ones, and checked on the candidates instead.
COMMON_SHARE = 0.25
STATS_TTL = 300.0
MAX_QUERY_PARTS = 8
MAX_QUERY_LENGTH = 100


def window_tops(oldest: int, newest: int) -> list[int]:
    """The top key of each sample window (see FREQUENT_WINDOWS) of the keys oldest..newest."""
    return [newest - int((newest - oldest) * share) for share in FREQUENT_WINDOWS]


def frequent_window(hits: int, rows: float) -> bool:
    """Whether one sample window's hits extrapolate to at least half of FREQUENT_MIN."""
    return 2 * hits * rows >= FREQUENT_MIN * FREQUENT_SAMPLE


def frequent_in_windows(hits: list[int], rows: float) -> bool:
    """Whether the hits in the sample windows (see FREQUENT_WINDOWS) of a table of `rows`
    entries say "frequent": every window there, each frequent on its own (`frequent_window`)
    and all together extrapolating to at least FREQUENT_MIN."""
    return (
        len(hits) == len(FREQUENT_WINDOWS)
        and all(frequent_window(h, rows) for h in hits)
        and sum(hits) * rows >= FREQUENT_MIN * FREQUENT_SAMPLE * len(hits)
    )
