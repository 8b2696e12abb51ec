"""The bounds of search work: counts, candidate sets, query size (read at call time, so tests
can lower them)."""

COUNT_CAP = 10_000
CANDIDATES = 300
# SQLite: with at most this many matches, every match's stored title is checked, so older
# title hits join the candidates of the ranking.
TITLE_CHECK_ALL = 2000
TITLE_CANDIDATES = 100
# PostgreSQL: when the table statistics say every token of a query is in at least
# FREQUENT_MIN records, the newest FREQUENT_SAMPLE records are checked first; if the matches
# among them extrapolate to at least FREQUENT_MIN too, the count is "10,000+" without asking
# the GIN index for every match (which costs ~40 ms for a term in nearly every one of a
# million records).
FREQUENT_MIN = 3 * COUNT_CAP
FREQUENT_SAMPLE = 1000
# PostgreSQL: tokens in at least this share of the records are left out of the GIN query when
# the query has rarer ones, and checked on the candidates instead.
COMMON_SHARE = 0.25
STATS_TTL = 300.0
MAX_QUERY_PARTS = 8
MAX_QUERY_LENGTH = 100
