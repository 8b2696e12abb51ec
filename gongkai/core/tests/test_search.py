"""core.search on the test database (SQLite FTS5 or PostgreSQL, whichever the run uses)."""

import datetime as dt
import random
import sqlite3
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.core import search
from gongkai.core.search import Doc, SearchIndex, limits

INDEX = SearchIndex("test_search_idx", filters=(("org", "int"), ("genre", "text")))
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# Numbers in titles have four digits where records must tie on relevance: a number is a run of
# bigrams like Chinese text, so a longer number is a longer record for bm25.


@pytest.fixture
def index(db):
    INDEX.create(connection)
    yield INDEX
    INDEX.drop(connection)


def small_sample(monkeypatch, cap):
    """Limits for tables of a few hundred records: the count cap, and a sample of 10 windows
    of about 3 entries each (`limits.sample_windows`)."""
    monkeypatch.setattr(limits, "COUNT_CAP", cap)
    monkeypatch.setattr(limits, "SAMPLE_FROM", cap // 2)
    monkeypatch.setattr(limits, "SAMPLE_ROWS", 30)
    monkeypatch.setattr(limits, "SAMPLE_WINDOWS", 10)
    monkeypatch.setattr(limits, "SAMPLE_MIN_HITS", 10)
    monkeypatch.setattr(limits, "SAMPLE_WALK_HITS", 6)  # (400 of 2,000 entries, scaled)


def doc(i, title, body="", days=0, org=1, genre="notice"):
    return Doc(i, BASE + dt.timedelta(days=days or i), title, body, {"org": org, "genre": genre})


def test_finds_words_inside_compounds_and_doc_numbers(index):
    index.upsert(
        [
            doc(1, "关于推进互联网协议第六版部署的通知", "各单位要加快部署。"),
            doc(
                2,
                "济宁市人民政府办公室关于印发2021年政务公开工作任务分解表的通知",
                "济政办字〔2021〕18号 各县（市、区）人民政府",
            ),
            doc(3, "关于做好森林防火工作的通知", "秋冬季节。"),
        ]
    )
    assert index.search("互联网").ids == [1]
    assert index.search("公开").ids == [2]
    for form in [
        "济政办字〔2021〕18号",
        "济政办字[2021]18号",
        "济政办字（2021）18号",
        "济政办字【2021】18号",
    ]:
        assert index.search(form).ids == [2], form
    assert index.search("通知", sort="date").ids == [3, 2, 1]
    assert index.search("政务 森林").ids == []
    assert index.search("人民政府 分解表").ids == [2]


def test_relevance_prefers_title_hits(index):
    index.upsert(
        [
            doc(1, "政务公开工作要点", "正文"),
            doc(2, "其他通知", "提到政务公开一次"),
            doc(3, "再一个通知", "无关内容"),
        ]
    )
    assert index.search("政务公开").ids == [1, 2]
    assert index.search("政务公开", sort="date").ids == [2, 1]


def test_filters_delete_and_future_entries(index):
    index.upsert(
        [
            doc(1, "政务公开一", org=1),
            doc(2, "政务公开二", org=2, genre="rule"),
            doc(3, "政务公开三", days=4000),
        ]
    )
    assert index.search("政务公开", filters={"org": 2}).ids == [2]
    assert index.search("政务公开", filters={"genre": ["rule", "x"]}).ids == [2]
    # Entry 3 is dated in the future: not found until its time comes.
    assert 3 not in index.search("政务公开", now=BASE + dt.timedelta(days=10)).ids
    assert 3 in index.search("政务公开", now=BASE + dt.timedelta(days=5000)).ids
    index.delete([1])
    assert sorted(index.search("政务公开", now=BASE + dt.timedelta(days=10)).ids) == [2]
    index.upsert([doc(2, "改了标题", org=2)])
    assert index.search("政务公开", now=BASE + dt.timedelta(days=10)).ids == []
    with pytest.raises(ValueError):
        index.search("x", filters={"nope": 1})


def test_counts_are_capped(index, monkeypatch):
    monkeypatch.setattr(limits, "COUNT_CAP", 5)
    index.bulk_insert([doc(i, f"公开信息{i}") for i in range(1, 9)])
    result = index.search("公开", per_page=3)
    assert result.capped and result.total == 5 and result.total_label == "5+"
    assert len(result.ids) == 3
    page3 = index.search("公开", per_page=3, page=3, sort="date")
    assert len(page3.ids) == 2
    assert not index.search("公开信息1").capped


def test_bad_queries_get_chinese_messages(index):
    assert index.search("").error == "请输入检索词。"
    assert "过长" in index.search("长" * 200).error
    assert "汉字" in index.search("，。！").error


def test_same_results_as_like(index):
    """No record that LIKE '%q%' finds is missing from the index's results."""
    rng = random.Random(7)
    words = [
        "政务",
        "公开",
        "信息",
        "互联网",
        "协议",
        "工作",
        "要点",
        "通知",
        "济宁",
        "规范",
        "文件",
        "解读",
        "2021",
        "18号",
    ]
    texts = {
        i: "".join(rng.choice(words) + rng.choice(["", "", "，"]) for _ in range(12))
        for i in range(1, 121)
    }
    index.bulk_insert([doc(i, "标题", body) for i, body in texts.items()])
    for query in ["政务公开", "公开信息", "网协", "务公", "信息互联网", "开", "2021", "要点通知"]:
        result = index.search(query, per_page=200, sort="date")
        expected = {i for i, body in texts.items() if query in body}
        assert expected <= set(result.ids), query
        assert result.total >= len(expected)


def test_long_documents_are_found_to_the_end(index):
    filler = "".join(f"第{i}条规定事项内容" for i in range(3000))  # ~30,000 bigrams
    index.upsert([doc(1, "长文件", filler + "文末独有短语出现在这里")])
    assert index.search("文末独有短语").ids == [1]
    # (PostgreSQL's tsvector kept at most 256 positions of a lexeme, so this phrase through
    # "第", 3,000 times in the record, was missed there; no positions are kept any more.)
    assert index.search("第2999条规定").ids == [1]


def test_ordinary_records_keep_their_stored_text_in_the_row(index):
    """On PostgreSQL a record of ordinary length keeps its stored text (~3 KB for 1,000
    characters, incompressible) in its table row, not in TOAST, so checking a search
    candidate reads one page."""
    rng = random.Random(7)
    body = "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(1000))
    index.bulk_insert([doc(1, "通知", body + "独有短语")])
    assert index.search("独有短语").ids == [1]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg_column_size(body), (SELECT reltoastrelid::regclass::text "
                f"FROM pg_class WHERE oid = '{index.table}'::regclass) FROM {index.table}"
            )
            size, toast = cursor.fetchone()
            cursor.execute(f"SELECT count(*) FROM {toast}")
            assert size > 2000 and cursor.fetchone()[0] == 0


def test_frequent_terms_skip_the_full_count_only_when_the_newest_records_agree(index, monkeypatch):
    """Counts of a frequent term and of two terms meeting only in old records. PostgreSQL: a
    term that the statistics and a sample of the key range both call frequent is reported as
    "N+" without asking GIN; when the sample disagrees (the words only meet in old records)
    the count is exact."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=30)
    # 80 records with 公开; 监督 only in the 25 oldest.
    index.bulk_insert(
        [
            doc(i, f"第{i + 1000}号公开通知", "加强监督检查。" if i <= 25 else "做好工作。")
            for i in range(1, 81)
        ]
    )
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    pg = connection.vendor == "postgresql"

    with CaptureQueriesContext(connection) as queries:
        result = index.search("公开", per_page=5)
    assert result.capped and result.total_label == "30+"
    assert result.ids == [80, 79, 78, 77, 76]  # all title hits: newest first
    gin_count = "::tsquery"  # a GIN pass
    if pg:
        assert not any(gin_count in q["sql"] for q in queries.captured_queries)

    with CaptureQueriesContext(connection) as queries:
        result = index.search("公开 监督", per_page=5)
    if pg:
        assert any(gin_count in q["sql"] for q in queries.captured_queries)
    assert not result.capped and result.total == 25 and not result.estimated
    assert set(result.ids) <= set(range(1, 26)) and len(result.ids) == 5
    search.forget_statistics()


def test_common_terms_with_filters_count_by_the_filter_columns(index, monkeypatch):
    """A term in most records with selective filters: the count stays exact. On PostgreSQL
    the filters' columns give the candidates (no GIN pass) and the tokens are checked on them."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=30)
    index.bulk_insert(
        [
            doc(
                i,
                "森林防火通知" if i == 36 else f"第{i + 1000}号公开通知",
                "正文",
                org=2 if i <= 40 else 1,
                genre="plan" if i % 4 == 0 else "notice",
            )
            for i in range(1, 81)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {index.table}")
    search.forget_statistics()
    with CaptureQueriesContext(connection) as queries:
        result = index.search("公开", filters={"genre": "plan", "org": 2}, per_page=5)
    assert result.total == 9 and not result.estimated and not result.capped
    assert result.ids == [40, 32, 28, 24, 20]  # 36 lacks 公开
    if connection.vendor == "postgresql":
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not any("LIMIT 31" in sql and "tsv @@" in sql for sql in sqls)  # no GIN pass
        assert any("count(*)" in sql and "LIMIT 31" in sql for sql in sqls)
    assert index.search("公开", filters={"genre": ["plan", "notice"], "org": 2}).capped  # 39
    assert index.search("公开", filters={"genre": "plan", "org": 3}).total == 0
    search.forget_statistics()


def test_terms_apart_rank_by_title_then_frequency(index):
    """Two terms found only together in two records; a term in the title ranks first."""
    index.upsert(
        [
            doc(i, f"通知{i}", "专项资金管理" + ("，乡村振兴" if i in (3, 4) else ""))
            for i in range(1, 9)
        ]
        + [doc(20, "无人机", "无人机巡查"), doc(21, "其他", "提到无人机")]
    )
    result = index.search("乡村振兴 专项资金")
    assert result.ids == [4, 3] and result.total == 2
    assert index.search("无人机 巡查").ids == [20]
    assert index.search("无人机").ids == [20, 21]


def test_phrase_ending_in_a_prefix_token(index):
    """济政办字〔2020〕12号 ends in a one-character prefix token (号 may go on as 号文): the
    index is asked for the other tokens only (2020 and 12 as whole numbers) and the term is
    checked on the stored text of the candidates."""
    from django.test.utils import CaptureQueriesContext

    index.upsert(
        [
            doc(1, "关于印发方案的通知", "济政办字〔2020〕12号 各县人民政府"),
            doc(2, "济政办字〔2020〕12号文件的解读", "正文"),
            doc(3, "另一个通知", "济政办字〔2020〕12日 不是文号", genre="plan"),
            doc(4, "再一个通知", "济政办字〔2021〕12号", genre="plan"),
            doc(5, "第五个通知", "见济政办字〔2020〕12号", genre="plan"),
            doc(6, "第六个通知", "济政办字〔2020〕112号"),
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        result = index.search("济政办字[2020]12号")
    assert result.total == 3 and result.ids[0] == 2 and set(result.ids) == {1, 2, 5}
    if connection.vendor == "sqlite":
        assert not any('号" *' in q["sql"] for q in queries.captured_queries)
    assert index.search("济政办字[2020]12号", sort="date").ids == [5, 2, 1]
    assert index.search("济政办字[2020]12号", filters={"genre": "plan"}).ids == [5]
    assert index.search("济政办字[2020]12号 解读").ids == [2]
    assert index.search("济政办字[2020]12号 森林").ids == []
    # A query may start inside a number (LIKE finds 112号 for 12号), not end inside one.
    assert index.search("020〕12号", sort="date").ids == [5, 2, 1]
    assert index.search("12号", sort="date").ids == [6, 5, 4, 2, 1]


def test_counts_are_exact_below_the_cap_when_candidates_are_many(index):
    """1,050 records hold 冷链物流 and 60 more hold its bigrams apart: more candidates than any
    sample, but below COUNT_CAP, so the count is exact (PostgreSQL checks every candidate's
    tsvector; it used to estimate past 1,000 candidates: 「约 N」), and so is the filtered one."""
    index.bulk_insert(
        [
            doc(
                i,
                f"通知{i + 1000}",
                f"加强冷链物流管理第{i + 1000}条",
                days=1 + i // 4,
                genre="plan" if i % 3 else "notice",
            )
            for i in range(1, 1051)
        ]
        + [
            doc(i, f"通知{i}", "冷链运输，物流园区，产业链物资", days=1 + i // 4)
            for i in range(1051, 1111)
        ]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {index.table}")
        search.forget_statistics()
    result = index.search("冷链物流", per_page=5)
    assert (result.total, result.estimated, result.capped) == (1050, False, False)
    assert result.total_label == "1,050"
    assert result.ids == [1050, 1049, 1048, 1047, 1046]
    plan = index.search("冷链物流", filters={"genre": "plan"}, sort="date", per_page=3)
    assert (plan.total, plan.estimated) == (700, False) and plan.ids == [1049, 1048, 1046]
    assert index.search("冷链物流", page=53, per_page=20).ids == list(range(10, 0, -1))
    search.forget_statistics()


YEAR_INDEX = SearchIndex("test_search_year", filters=(("genre", "text"), ("year", "year")))
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def year_index(db):
    YEAR_INDEX.create(connection)
    yield YEAR_INDEX
    YEAR_INDEX.drop(connection)


def test_year_filter_is_the_local_publication_year(year_index):
    """A "year" filter is derived by the index from the publication time in the current time
    zone: a record published at 00:00 on 1 January in Shanghai (16:00 UTC the day before)
    belongs to the new year, whatever year the caller put in its filters."""
    at = dt.datetime(2024, 12, 31, 16, 0, tzinfo=dt.UTC)  # 2025-01-01 00:00 in Shanghai
    with timezone.override(SHANGHAI):
        year_index.bulk_insert(
            [
                Doc(1, at - dt.timedelta(seconds=1), "政务公开一", filters={"year": 1999}),
                Doc(2, at, "政务公开二"),
                Doc(3, dt.datetime(2025, 12, 31, 15, 59, tzinfo=dt.UTC), "政务公开三"),
                Doc(4, dt.datetime(2025, 12, 31, 16, 0, tzinfo=dt.UTC), "政务公开四"),
            ]
        )
        now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        found = {
            year: year_index.search("政务公开", filters={"year": year}, sort="date", now=now).ids
            for year in (1999, 2024, 2025, 2026, "2025", "x")
        }
        both = year_index.search("政务公开", filters={"year": [2024, 2026]}, now=now)
        ids = year_index.matching_ids("政务公开", filters={"year": 2025}, now=now)
    assert found == {1999: [], 2024: [1], 2025: [3, 2], 2026: [4], "2025": [3, 2], "x": []}
    assert sorted(both.ids) == [1, 4]
    assert sorted(ids) == [2, 3]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id, year FROM {year_index.table} ORDER BY object_id")
        assert cursor.fetchall() == [(1, 2024), (2, 2025), (3, 2025), (4, 2026)]


def test_one_year_is_a_key_range_on_postgresql(year_index, monkeypatch):
    """Counting a common term under 体裁 + 年份 walks the 体裁 index only over the year's
    keys (an index condition), not every 体裁 entry with the year checked one by one: at a
    million records that walk was 80,000 entries for a count of 10,001."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(limits, "COUNT_CAP", 30)
    start = dt.datetime(2023, 1, 1, tzinfo=SHANGHAI)
    with timezone.override(SHANGHAI):
        year_index.bulk_insert(
            [
                Doc(
                    i,
                    start + dt.timedelta(days=4 * i),
                    "森林防火通知" if i == 150 else "公开通知",
                    filters={"genre": "plan" if i % 3 == 0 else "notice"},
                )
                for i in range(1, 271)  # 2023 to 2025
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {year_index.table}")
        search.forget_statistics()
        with CaptureQueriesContext(connection) as queries:
            result = year_index.search("公开", filters={"genre": "plan", "year": 2024}, per_page=4)
    in_2024 = [i for i in range(1, 271) if (start + dt.timedelta(days=4 * i)).year == 2024]
    expected = sorted((i for i in in_2024 if i % 3 == 0 and i != 150), reverse=True)
    assert (result.total, result.capped, result.estimated) == (len(expected), False, False)
    assert result.ids == expected[:4]
    search.forget_statistics()
    if connection.vendor != "postgresql":
        return
    counts = [q["sql"] for q in queries.captured_queries if "count(*)" in q["sql"]]
    assert len(counts) == 1 and "t.year" not in counts[0]
    # The plan at scale: a walk of a filter index (this table is small enough for the planner
    # to take the key and filter the rows, so the key's index goes, inside the test's
    # transaction; the fixture drops the table anyway).
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {year_index.table} DROP CONSTRAINT {year_index.table}_pkey")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + counts[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Only Scan using {year_index.table}_genre" in plan, plan
    assert "sort_key >=" in plan and "Rows Removed by Filter" not in plan, plan


def test_a_phrase_is_its_characters_in_a_row_not_its_bigrams_anywhere(index):
    """Every bigram of 社会关切 is in record 2, none adjacent to the next: the index finds it
    as a candidate, the stored text rules it out (as LIKE would)."""
    index.upsert(
        [
            doc(1, "通知", "及时回应社会关切。"),
            doc(2, "通知", "社会各界，会关心的事，关切回应。"),
            doc(3, "通知", "社会 关切"),
        ]
    )
    assert index.search("社会关切").ids == [1]
    assert index.matching_ids("社会关切") == [1]
    assert sorted(index.search("社会 关切").ids) == [1, 2, 3]


def test_deletes_and_updates_leave_no_stale_token(index):
    """The FTS5 table stores no text (contentless): a delete hands it the entry's tokens,
    recomputed from the stored text, so none of them still points at the entry."""
    index.upsert([doc(1, "森林防火通知", "济政办字〔2020〕12号"), doc(2, "其他", "正文")])
    index.upsert([doc(1, "改了标题", "全新正文", genre="plan")])
    assert index.search("森林").ids == [] and index.search("12号").ids == []
    assert index.search("全新", filters={"genre": "notice"}).ids == []
    assert index.search("全新", filters={"genre": "plan"}).ids == [1]
    index.delete([1, 2])
    assert index.search("全新").ids == [] and index.search("正文").ids == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for token in ["森林", "#12", "全新", "正文", "#genrexplan", "#genrexnotice"]:
                cursor.execute(
                    f"SELECT count(*) FROM {index.table}_fts WHERE {index.table}_fts MATCH %s",
                    [f'"{token}"'],
                )
                assert cursor.fetchone()[0] == 0, token
            cursor.execute(
                f"INSERT INTO {index.table}_fts({index.table}_fts, rank) "
                "VALUES ('integrity-check', 0)"
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's token function")
def test_the_database_computes_the_same_tokens_as_python(index):
    """PostgreSQL indexes the tokens its own function computes from the stored text; they
    are the tokens `text.index_terms` gives (which SQLite indexes and queries rely on)."""
    from gongkai.core import text

    samples = [
        ("济宁市人民政府办公室关于印发2021年政务公开工作任务分解表的通知", ""),
        ("IPv6 规模部署", "济政办字〔2021〕18号 各县（市、区）人民政府 2021118 5G 网络"),
        ("一", "a 12345678901234567 〇二 x"),
    ]
    with connection.cursor() as cursor:
        for title, body in samples:
            stored = (text.index_text(title), text.index_text(body))
            cursor.execute("SELECT gongkai_search_tokens(%s, %s)", stored)
            assert set(cursor.fetchone()[0]) == search.documents.stored_tokens(*stored)


def test_a_frequent_phrase_is_counted_from_the_newest_records(index, monkeypatch):
    """A phrase (its terms checked on the stored text) in most of the newest records is
    "N+" from a sample of them; one whose bigrams are in every record but which is itself
    only in old ones is counted exactly."""
    small_sample(monkeypatch, cap=30)
    index.bulk_insert(
        [
            doc(i, "公开通知", "加强监督检查" if i <= 25 else "监督工作，加强检查")
            for i in range(1, 81)
        ]
    )
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    result = index.search("公开通知", per_page=5)
    assert result.capped and result.total_label == "30+" and result.ids == [80, 79, 78, 77, 76]
    assert index.search("公开通知", per_page=5, page=3, sort="date").ids == [70, 69, 68, 67, 66]
    result = index.search("监督检查", per_page=5)
    assert (result.total, result.capped, result.estimated) == (25, False, False)
    assert result.ids == [25, 24, 23, 22, 21]
    search.forget_statistics()


def test_a_term_only_in_recent_records_is_counted_not_called_frequent(index, monkeypatch):
    """A new topic is in every one of the newest records but in few records overall: the
    newest sample alone extrapolates past FREQUENT_MIN, yet the count must be exact (it
    showed "100+" for 60). Sample windows further back in the key range keep it from being
    called frequent; a term spread over every window still is "N+" without a full count."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=100)
    # 冷链物流 (a phrase: checked on the stored text) only in the newest 60 of 400 records,
    # its bigrams apart in the others; 乡村振兴 in 300 spread over all; the single bigram
    # 防火 only in the newest 60, 监督 in all.
    index.bulk_insert(
        [
            doc(
                i,
                f"通知{i + 1000}",
                ("冷链物流，防火" if i > 340 else "冷链运输，物流园区，产业链物资")
                + ("，乡村振兴" if i % 4 else "，乡村，振兴")
                + "，监督",
                days=1 + i // 4,
            )
            for i in range(1, 401)
        ]
    )
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    full_count = "LIMIT 101"  # counting every match up to COUNT_CAP + 1

    for query in ("冷链物流", "防火"):
        result = index.search(query, per_page=5)
        assert (result.total, result.capped, result.estimated) == (60, False, False), query
        assert result.total_label == "60" and result.ids == [400, 399, 398, 397, 396]

    with CaptureQueriesContext(connection) as queries:
        result = index.search("乡村振兴", per_page=5)
    assert result.capped and result.total_label == "100+" and not result.estimated
    assert result.ids == [399, 398, 397, 395, 394]
    assert not any(full_count in q["sql"] for q in queries.captured_queries)

    with CaptureQueriesContext(connection) as queries:
        result = index.search("监督", per_page=5)
    assert result.capped and result.total_label == "100+"
    assert result.ids == [400, 399, 398, 397, 396]
    if connection.vendor == "postgresql":  # SQLite counts a single token in FTS5 directly
        assert not any(full_count in q["sql"] for q in queries.captured_queries)
    search.forget_statistics()


def test_counts_between_the_cap_and_three_times_it_come_from_the_sample(index, monkeypatch):
    """Issue 18's mid band. 乡村振兴 (a phrase: checked on the stored text) in 250 of 400
    records spread over the whole key range, its bigrams apart in the others: the sample's
    lower bound is above the cap of 100, so it is "100+" without checking every candidate
    (the fixed windows needed 3× the cap and counted it). 振兴乡村 in 95 and 105 of them,
    every record a candidate: exact just under the cap, "100+" just over (never an estimate),
    and PostgreSQL checks the candidates in one pass (no count after a pass for the keys, no
    sort of every candidate by key)."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=100)
    monkeypatch.setattr(limits, "SAMPLE_ROWS", 150)  # 25 windows of about 6 entries
    monkeypatch.setattr(limits, "SAMPLE_WINDOWS", 25)
    monkeypatch.setattr(limits, "CANDIDATES", 20)

    def body(i):
        return (
            ("乡村振兴" if i % 8 < 5 else "乡村，振兴")
            + ("，振兴乡村" if i % 4 == 0 and i <= 380 else "，振兴，乡村")
            + ("，防火" if i > 295 else "")
        )

    index.bulk_insert([doc(i, f"通知{i + 1000}", body(i), days=1 + i // 2) for i in range(1, 401)])
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    pg = connection.vendor == "postgresql"

    with CaptureQueriesContext(connection) as queries:
        result = index.search("乡村振兴", per_page=5)
    assert result.capped and result.total_label == "100+" and not result.estimated
    assert result.ids == [400, 396, 395, 394, 393]
    assert not any("LIMIT 101" in q["sql"] for q in queries.captured_queries)
    if pg:
        assert not any("::tsquery" in q["sql"] for q in queries.captured_queries)

    with CaptureQueriesContext(connection) as queries:
        result = index.search("振兴乡村", per_page=5)  # 95 records: i % 4 == 0, i <= 380
    assert (result.total, result.capped, result.estimated) == (95, False, False)
    assert result.ids == [380, 376, 372, 368, 364]
    if pg:
        assert not any("LIMIT 101" in q["sql"] for q in queries.captured_queries)

    with CaptureQueriesContext(connection) as queries:
        result = index.search("振兴乡村 防火", per_page=5)  # i % 4 == 0, 295 < i <= 380
    assert (result.total, result.capped) == (22, False)

    monkeypatch.setattr(limits, "COUNT_CAP", 90)
    with CaptureQueriesContext(connection) as queries:
        result = index.search("振兴乡村", per_page=5)  # 95 > 90
    assert result.capped and result.total_label == "90+" and not result.estimated
    assert result.ids == [380, 376, 372, 368, 364]
    if pg:
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not any("::tsquery" in sql and "ORDER BY" in sql for sql in sqls)
        assert not any("LIMIT 91" in sql for sql in sqls)

    # A single token (a GIN match is a hit) just over the cap: the newest hits by walking
    # the newest entries, not by sorting every candidate by key.
    with CaptureQueriesContext(connection) as queries:
        result = index.search("防火", per_page=5)  # 105 records: i > 295
    assert result.capped and result.total_label == "90+"
    assert result.ids == [400, 399, 398, 397, 396]
    if pg:
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not any("::tsquery" in sql and "ORDER BY" in sql for sql in sqls)
    search.forget_statistics()


def test_a_sample_of_an_unfiltered_search_ends_at_the_ceiling(index, monkeypatch):
    """A frequent term over the whole index is sampled between its oldest entry and its
    newest up to now (an entry published in the future is neither counted nor shown); on
    PostgreSQL the key range comes from the table's two ends (`_key_range`), the same as
    asking for the four."""
    from gongkai.core.search.documents import key_ceiling, sort_key
    from gongkai.core.search.postgres import planner

    small_sample(monkeypatch, 30)
    index.bulk_insert([doc(i, f"第{i:04d}号政务公开通知") for i in range(1, 121)])
    index.bulk_insert([doc(500, "政务公开未来通知", days=900)])
    index.optimize(connection)
    search.forget_statistics()
    now = BASE + dt.timedelta(days=200)
    result = index.search("政务公开", sort="date", per_page=5, now=now)
    assert result.capped and result.ids == [120, 119, 118, 117, 116]
    if connection.vendor == "postgresql":
        scan = SimpleNamespace(cols="", col_params=[], ceiling=key_ceiling(now))
        keys = [sort_key(d.published_at, d.object_id) for d in (doc(1, ""), doc(120, ""))]
        future = sort_key(doc(500, "", days=900).published_at, 500)
        with connection.cursor() as cursor:
            assert planner._key_range(index, cursor, scan) == (*keys, keys[0], future)
            scan.ceiling = keys[0] - 1
            assert planner._key_range(index, cursor, scan) == (None, None, keys[0], future)
    search.forget_statistics()


PARTITIONED = SearchIndex(
    "test_search_part", filters=(("org", "int"), ("genre", "text")), partition_by="org"
)


@pytest.fixture
def partitioned(db):
    INDEX.create(connection)
    PARTITIONED.create(connection)
    yield PARTITIONED
    PARTITIONED.drop(connection)
    INDEX.drop(connection)


def test_partition_by_must_be_an_int_filter():
    with pytest.raises(ValueError, match="partition_by"):
        SearchIndex("x", filters=(("genre", "text"),), partition_by="genre")
    with pytest.raises(ValueError, match="partition_by"):
        SearchIndex("x", filters=(("org", "int"),), partition_by="government")


def test_a_partitioned_index_finds_what_one_table_finds(partitioned, monkeypatch):
    """The same entries in an index partitioned by org and in one table: every query, over
    all orgs, one org, several orgs or an org with no entry, gives the same page and count
    (common, rare, phrase and frequent terms; the limits lowered so the sampled and capped
    paths run too)."""
    small_sample(monkeypatch, 30)
    rng = random.Random(19)
    words = ["政务公开", "森林防火", "乡村振兴", "专项资金", "安全生产", "义务教育"]
    docs = [
        doc(
            i,
            f"关于{rng.choice(words)}的通知",
            f"{rng.choice(words)}工作。" + ("冷链物流试点。" if i % 37 == 0 else ""),
            org=1 if i % 2 else rng.choice([2, 2, 3, 4]),  # one large org, three small
            genre=rng.choice(["notice", "plan"]),
        )
        for i in range(1, 241)
    ]
    INDEX.bulk_insert(docs)
    PARTITIONED.bulk_insert(docs[:120])
    PARTITIONED.upsert(docs[120:])
    for idx in (INDEX, PARTITIONED):
        idx.optimize(connection)
    search.forget_statistics()
    queries = ["通知", "政务公开", "冷链物流", "防火 工作", "专项资金的通知", "教育"]
    filters = [{}, {"org": 1}, {"org": 3}, {"org": [2, 4]}, {"org": 3, "genre": "plan"}]
    filters += [{"org": 9}, {"genre": "notice"}]
    for query in queries:
        for found in filters:
            for sort in ("relevance", "date"):
                one = INDEX.search(query, filters=found, sort=sort, per_page=7)
                parts = PARTITIONED.search(query, filters=found, sort=sort, per_page=7)
                assert (parts.ids, parts.total, parts.capped) == (
                    one.ids,
                    one.total,
                    one.capped,
                ), (query, found, sort)
            assert sorted(PARTITIONED.matching_ids(query, filters=found)) == sorted(
                INDEX.matching_ids(query, filters=found)
            ), (query, found)
    assert PARTITIONED.search("通知", filters={"org": 9}).ids == []
    PARTITIONED.delete([1, 2])
    assert PARTITIONED.count() == 238
    search.forget_statistics()


def test_a_search_of_one_partition_reads_only_that_partition(partitioned):
    """PostgreSQL: a partition per org, made when its first entry is written, with the
    parent's indexes under its own names (no filter index: the primary key carries the
    filter columns); every statement of a search filtered by one org reads that org's
    partition and no other (EXPLAIN of each), and a search of all orgs reads the rows of its
    page on the partitions of its hits alone. SQLite: one table."""
    from django.test.utils import CaptureQueriesContext

    partitioned.bulk_insert(
        [
            doc(i, f"第{i}号政务公开通知", "冷链物流。" if i % 3 == 1 else "", org=i % 3 + 1)
            for i in range(1, 31)
        ]
    )
    partitioned.optimize(connection)
    search.forget_statistics()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM test_search_part")
            assert cursor.fetchone()[0] == 30
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'test_search_part'::regclass ORDER BY 1"
        )
        assert cursor.fetchall() == [
            (f"test_search_part_p{n}", f"FOR VALUES IN ('{n}')") for n in (1, 2, 3)
        ]
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'test_search_part_p2' ORDER BY 1"
        )
        assert [r[0] for r in cursor.fetchall()] == [
            "test_search_part_p2_object_id_org_key",
            "test_search_part_p2_pkey",
            "test_search_part_p2_tsv",
        ]
    for query, found in [("冷链物流", {"org": 2}), ("公开通知", {"org": 2, "genre": "notice"})]:
        with CaptureQueriesContext(connection) as queries:
            result = partitioned.search(query, filters=found, per_page=3)
        assert result.ids and all(i % 3 + 1 == 2 for i in result.ids)
        plans = []
        with connection.cursor() as cursor:
            for q in queries.captured_queries:
                if q["sql"].startswith("SELECT") and "FROM test_search_part" in q["sql"]:
                    cursor.execute("EXPLAIN " + q["sql"])
                    plans.append("\n".join(r[0] for r in cursor.fetchall()))
        assert plans
        for plan in plans:
            assert "test_search_part_p2" in plan, plan
            assert "test_search_part_p1" not in plan and "test_search_part_p3" not in plan, plan
    # Over all orgs: every partition.
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT count(*) FROM test_search_part t WHERE t.sort_key > 0 AND t.org = 2"
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "test_search_part_p2" in plan and "test_search_part_p1" not in plan
    # A search of all orgs asks GIN on every partition, then reads the page's rows on the
    # partitions holding its hits alone (冷链物流: org 2's entries only).
    for sort in ("relevance", "date"):
        with CaptureQueriesContext(connection) as queries:
            result = partitioned.search("冷链物流", sort=sort, per_page=3)
        assert result.total == 10 and len(result.ids) == 3
        mine = [q["sql"] for q in queries.captured_queries if "FROM test_search_part " in q["sql"]]
        assert len(mine) == 2
        with connection.cursor() as cursor:
            plans = []
            for sql in mine:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(r[0] for r in cursor.fetchall()))
        assert all(f"test_search_part_p{n}" in plans[0] for n in (1, 2, 3)), plans[0]
        assert "test_search_part_p2" in plans[1], plans[1]
        assert "test_search_part_p1" not in plans[1] and "test_search_part_p3" not in plans[1]
    search.forget_statistics()


def test_every_matching_id_of_more_entries_than_a_statement_takes_parameters(index):
    """matching_ids without a limit over more than SQLite's 32,766 statement parameters (the
    1,000,000-record benchmark failed with "too many SQL variables")."""
    n = 33_000
    if connection.vendor == "sqlite":  # this build allows 250,000; SQLite's own default:
        connection.ensure_connection()
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    index.bulk_insert(
        Doc(i, BASE + dt.timedelta(seconds=i), "督导检查", "", {"org": 1}) for i in range(1, n + 1)
    )
    ids = index.matching_ids("督导检查", now=BASE + dt.timedelta(days=1))
    assert len(ids) == n and set(ids) == set(range(1, n + 1))
    if connection.vendor == "sqlite":
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 250_000)


VOCAB_INDEX = SearchIndex(
    "test_search_vocab_idx", filters=(("org", "int"), ("genre", "text")), vocabulary="org"
)


@pytest.fixture
def vocab_index(db):
    VOCAB_INDEX.create(connection)
    yield VOCAB_INDEX
    VOCAB_INDEX.drop(connection)


def test_a_rebuild_replaces_every_entry_in_one_transaction(vocab_index):
    """`rebuild` (a full reindex) leaves exactly what writing its documents into an empty
    index leaves — entries, vocabulary, the token index on PostgreSQL, which it drops and
    builds again — and a rebuild that fails half-way leaves the old entries."""
    queries = ["森林防火", "政务公开", "济政办字[2021]18号", "专项资金", "工作"]
    old = [doc(1, "关于做好森林防火工作的通知", "秋冬季节。"), doc(2, "政务公开工作要点", "正文")]
    new = [
        doc(2, "政务公开工作要点", "正文"),
        doc(3, "乡村振兴专项资金管理办法", "济政办字〔2021〕18号 做好专项资金工作", org=2),
        doc(4, "关于专项资金的通知", "工作要求", genre="plan"),
    ]

    def state():
        with connection.cursor() as cursor:
            cursor.execute("SELECT scope, term, df FROM test_search_vocab_idx_vocab ORDER BY 1, 2")
            vocab = cursor.fetchall()
        return [vocab_index.search(q).ids for q in queries], vocab, vocab_index.count()

    vocab_index.upsert(new)
    expected = state()
    assert expected[0] == [[], [2], [3], [3, 4], [2, 4, 3]]
    vocab_index.clear()
    vocab_index.upsert(old)
    before = state()

    def failing():
        yield from new
        raise RuntimeError("the records could not be read")

    with pytest.raises(RuntimeError):
        vocab_index.rebuild(failing(), batch=2)
    assert state() == before
    assert vocab_index.rebuild(iter(new), batch=2) == 3
    assert state() == expected
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'test_search_vocab_idx_tsv'")
            assert cursor.fetchone() is not None


def test_a_write_takes_the_old_entry_out_of_the_vocabulary_as_it_deletes_it(vocab_index):
    """Writing an entry again replaces its terms in the vocabulary; on PostgreSQL the old
    entry's text comes back from the statement that deletes it (one statement by object id
    over the index, planned over every partition of a partitioned one), not a read first."""
    from django.test.utils import CaptureQueriesContext

    def vocab():
        with connection.cursor() as cursor:
            cursor.execute("SELECT scope, term, df FROM test_search_vocab_idx_vocab ORDER BY 1, 2")
            return cursor.fetchall()

    vocab_index.upsert([doc(1, "森林防火工作方案"), doc(2, "森林防火通知", org=2)])
    before = vocab()
    with CaptureQueriesContext(connection) as queries:
        vocab_index.upsert([doc(1, "乡村振兴专项资金")])
    vocab_index.upsert([doc(3, "乡村振兴专项资金")])
    vocab_index.delete([3])
    after = vocab()
    assert (1, "乡村振兴", 1) in after and (1, "森林防火", 1) not in after
    assert (2, "森林防火", 1) in after and (2, "森林防火", 1) in before
    assert {(s, t) for s, t, _ in after} - {(s, t) for s, t, _ in before} >= {(1, "乡村振兴")}
    if connection.vendor == "postgresql":
        by_id = [q["sql"] for q in queries.captured_queries if "WHERE object_id" in q["sql"]]
        assert len(by_id) == 1 and by_id[0].startswith("DELETE") and "RETURNING" in by_id[0]


def test_a_rebuild_of_a_partitioned_index_loads_then_indexes_each_partition(partitioned):
    """A full rebuild of an index partitioned by org gives what one table gives; on
    PostgreSQL each partition is made again (loaded, then its keys and indexes built under
    its own names, then attached), also one it writes nothing into; a failed rebuild leaves
    the old entries."""
    first = [
        doc(i, f"第{i}号政务公开通知", "冷链物流。" if i % 2 else "", org=i % 3 + 1)
        for i in range(1, 31)
    ]
    again = [*[d for d in first if d.filters["org"] != 3][:15], doc(40, "森林防火通知", org=2)]
    partitioned.upsert(first)
    queries = [("政务公开", {}), ("冷链物流", {"org": 2}), ("通知", {"org": 3}), ("森林防火", {})]

    def state(idx):
        return [(idx.search(q, filters=f).ids, idx.search(q, filters=f).total) for q, f in queries]

    before = state(partitioned)

    def failing():
        yield from again
        raise RuntimeError("the records could not be read")

    with pytest.raises(RuntimeError):
        partitioned.rebuild(failing(), batch=4)
    assert state(partitioned) == before
    assert partitioned.rebuild(iter(again), batch=4) == 16
    INDEX.rebuild(iter(again), batch=4)
    search.forget_statistics()
    assert state(partitioned) == state(INDEX)
    assert state(partitioned)[2] == ([], 0) and state(partitioned)[3][1] == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'test_search_part'::regclass ORDER BY 1"
            )
            parts = [r[0] for r in cursor.fetchall()]
            assert parts == ["test_search_part_p1", "test_search_part_p2", "test_search_part_p3"]
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE indexname LIKE '%%_tsv' "
                "AND tablename LIKE 'test_search_part_p%%' ORDER BY 1"
            )
            assert cursor.fetchall() == [(p, f"{p}_tsv") for p in parts]
    partitioned.upsert([doc(50, "森林防火工作方案", org=3)])  # the emptied partition is there
    assert partitioned.search("森林防火", filters={"org": 3}).ids == [50]


def test_a_rebuilds_vocabulary_counted_in_a_child_process_is_what_this_process_counts():
    """`vocabulary.Counting(background=True)` counts every batch after the first in a
    child process (a new Python: no Django, no connection): its counts are exactly those of
    this process, the first batch included, and entries without a scope are left out."""
    from gongkai.core.search import vocabulary
    from gongkai.core.text import index_text

    texts = [
        ("关于优化营商环境的通知", "深化放管服改革，优化营商环境。"),
        ("政务公开工作要点", "推进依申请公开、政策解读和回应关切。"),
        ("乡村振兴专项资金管理办法", "济政办字〔2021〕18号 做好专项资金工作"),
        ("森林防火", "秋冬季节森林防火工作。"),
    ]
    entries = [(i % 2 + 1, index_text(t), index_text(b)) for i, (t, b) in enumerate(texts)]
    entries.append((None, index_text("无范围的条目"), index_text("不计入词表")))
    with vocabulary.Counting(background=True) as counting:
        for start in range(0, len(entries), 2):
            counting.add(entries[start : start + 2])
        assert counting.child is not None and counting.batches == 3
        counts = counting.result()
    assert counts == vocabulary.count(entries)
    assert counts[(1, "营商环境")] == 1 and counts[(2, "专项资金")] == 0
    assert counts[(1, "专项资金")] == 1 and not any(s is None for s, _ in counts)


def test_a_selective_filter_sizes_the_sample_by_its_own_entries(index, monkeypatch):
    """公开 is in every record; the 300 normative of 1,200 records (a genre filter that
    leaves a quarter) hold it 240 times. The sample's windows hold about limits.SAMPLE_ROWS
    entries of that genre (PostgreSQL takes the genre's share from its column statistics),
    so 240 is shown as "100+" from the sample, without counting every candidate; sized by
    the whole table, the windows held about 8 normative entries, too few to conclude, and
    the query was counted to the cap."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=100)
    index.bulk_insert(
        [
            doc(
                i,
                f"通知{i}",
                "政务公开" if i % 5 else "其他",
                days=1 + i // 8,
                genre="normative" if i % 4 == 1 else "notice",
            )
            for i in range(1, 1201)
        ]
    )
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    with CaptureQueriesContext(connection) as queries:
        result = index.search("公开", filters={"genre": "normative"}, per_page=5)
    assert result.capped and result.total_label == "100+"
    assert result.ids == [1197, 1193, 1189, 1181, 1177]
    if connection.vendor == "postgresql":
        assert not any("LIMIT 101" in q["sql"] for q in queries.captured_queries)
        from gongkai.core.search.postgres import planner as pg_planner

        share = pg_planner.filter_share(
            index, connection.cursor(), pg_planner.parse_filters(index, {"genre": "normative"})
        )
        assert 0.2 < share < 0.3


def test_entries_of_one_second_whose_ids_differ_by_a_power_of_two_keep_distinct_keys(index):
    """Records imported with a date only are published at the same second; their keys
    (publication second, then the id's low bits) must still differ, also for ids 2**20 and
    2**24 apart (a province's ids pass 2**20 early; with 20 bits those keys collided and the
    second record's entry could not be written)."""
    at = BASE + dt.timedelta(days=3)
    ids = [7, 7 + 2**20, 7 + 2**24, 7 + 3 * 2**20]
    docs = [
        Doc(i, at, f"通知{n}", "依申请公开工作", {"org": 1, "genre": "notice"})
        for n, i in enumerate(ids)
    ]
    index.bulk_insert(docs[:2])
    index.upsert(docs[2:])
    result = index.search("依申请公开", sort="date")
    assert sorted(result.ids) == sorted(ids) and result.total == 4
    index.rebuild(iter(docs))
    assert sorted(index.search("依申请公开").ids) == sorted(ids)
    assert len({search.documents.sort_key(at, i) for i in ids}) == 4


def test_a_sample_of_a_selective_terms_candidates_proves_it_over_the_cap(index, monkeypatch):
    """冷链物流 in 240 of 2,400 records (10 %), over the cap of 100. A sample of 30 entries
    walked by key would hold ~3 hits, too few to conclude, and every candidate was checked;
    PostgreSQL samples the GIN candidates of its rarest token in the windows instead (one
    statement: GIN ANDed with the windows' key ranges), which proves "100+" without reading
    every candidate. Both databases show "100+" and the newest hits first."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=100)
    monkeypatch.setattr(limits, "SAMPLE_WALK_HITS", 10)
    monkeypatch.setattr(limits, "SAMPLE_CANDIDATES_MAX", 120)
    index.bulk_insert(
        [
            doc(i, f"通知{i}", "冷链物流工作" if i % 10 == 3 else "其他工作", days=1 + i // 16)
            for i in range(1, 2401)
        ]
    )
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    with CaptureQueriesContext(connection) as queries:
        result = index.search("冷链物流", per_page=3)
    assert result.capped and result.total_label == "100+"
    assert result.ids == [2393, 2383, 2373]
    if connection.vendor == "postgresql":
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not any(f"LIMIT {limits.CHECK_ALL}" in sql or "LIMIT 101" in sql for sql in sqls)
        (sample,) = [sql for sql in sqls if "::tsquery" in sql and "BETWEEN" in sql]
        assert sample.count("BETWEEN") == limits.SAMPLE_WINDOWS


def test_gin_is_not_asked_for_a_terms_frequent_tokens_when_its_rarest_narrow_enough(
    index, monkeypatch
):
    """乡村振兴 专项资金 over 600 records: 资金 in 80 % of them, 专项资金 in 60, 乡村振兴 in
    60, both in 30. Each term's rarest token already expects few candidates, so PostgreSQL
    asks GIN for those (and tokens of few entries) but not for 资金, whose every entry GIN
    would read; the candidates are checked on their stored text, so the hits are the same."""
    from django.test.utils import CaptureQueriesContext

    def body(i):
        words = ["资金" if i % 5 else "其他"]
        if i % 10 == 1:
            words.append("专项资金")
        if i % 10 in (1, 2) and i % 20 < 10:
            words.append("乡村振兴")
        return "，".join(words)

    monkeypatch.setattr(limits, "GIN_CHEAP", 100)  # (10,000 of a million, scaled)
    index.bulk_insert([doc(i, f"通知{i}", body(i), days=1 + i // 8) for i in range(1, 601)])
    index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    expected = sorted(i for i in range(1, 601) if "专项资金" in body(i) and "乡村振兴" in body(i))
    with CaptureQueriesContext(connection) as queries:
        result = index.search("乡村振兴 专项资金", sort="date", per_page=50)
    assert sorted(result.ids) == expected and result.total == len(expected) == 30
    if connection.vendor == "postgresql":
        gin = [q["sql"] for q in queries.captured_queries if "::tsquery" in q["sql"]]
        assert gin and not any("资金''" in sql for sql in gin)


def fts5_bytes(index):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {index.table}_fts({index.table}_fts) VALUES ('optimize')")
        cursor.execute(f"SELECT sum(length(block)) FROM {index.table}_fts_data")
        return cursor.fetchone()[0]


def test_postings_of_entries_days_apart_take_about_a_byte_each(index):
    """SQLite: the FTS5 rowid numbers the entries densely in key order (``seq``), so a
    posting (a rowid delta, detail=none) is one varint byte; with the key
    ``(seconds << 20) | id`` as rowid, entries a day apart took six. PostgreSQL keeps the key
    (its GIN index stores item pointers): there the search finds them all, newest first."""
    count = 1500
    index.rebuild([doc(i, "公开", days=i) for i in range(1, count + 1)])
    now = BASE + dt.timedelta(days=count + 1)
    found = index.search("公开", sort="date", per_page=count, now=now)
    assert found.ids == list(range(count, 0, -1))
    if connection.vendor == "sqlite":
        tokens = 4  # 公开, 开 (the run's last character), #orgx1, #genrexnotice
        assert fts5_bytes(index) < 2 * tokens * count


def test_entries_written_out_of_key_order_keep_newest_first(index, monkeypatch):
    """Back-dated entries (and entries older than one scheduled for later) take a number
    between their neighbours'; when none is free, the entries around are numbered again
    (SQLite, `schema._relabel`: their tokens handed to FTS5 again under the new numbers).
    With a gap of 2 nearly every write here numbers entries again: newest first, the
    counts, deletes and FTS5's own integrity check all stay right."""
    from gongkai.core.search.sqlite import schema

    monkeypatch.setattr(schema, "SEQ_GAP", 2)
    rng = random.Random(7)
    days = list(range(1, 121))
    # Newest first one at a time (each lands before the last), then the rest in batches.
    for day in days[80:][::-1]:
        index.upsert([doc(day, f"通知{day:04d}", days=day, genre=rng.choice(["a", "b"]))])
    rest = days[:80]
    rng.shuffle(rest)
    for start in range(0, len(rest), 7):
        index.upsert([doc(d, f"通知{d:04d}", days=d) for d in rest[start : start + 7]])
    # Updates keep their day; a few entries move to a new day.
    index.upsert([doc(d, f"通知{d:04d} 修订", days=d) for d in (5, 50, 100)])
    index.upsert([doc(d, f"通知{d:04d}", days=d + 200) for d in (3, 33)])
    index.delete([7, 70])
    expected = sorted(
        (d for d in days if d not in (7, 70)), key=lambda d: d + 200 if d in (3, 33) else d
    )[::-1]
    now = BASE + dt.timedelta(days=400)
    assert index.search("通知", sort="date", per_page=200, now=now).ids == expected
    before = BASE + dt.timedelta(days=150)  # entries 3 and 33 not yet published
    assert index.search("通知", sort="date", per_page=200, now=before).ids == [
        d for d in expected if d not in (3, 33)
    ]
    assert sorted(index.search("修订", now=now).ids) == [5, 50, 100]
    assert sorted(index.matching_ids("通知", now=now)) == sorted(expected)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq FROM {index.table} ORDER BY sort_key")
            seqs = [row[0] for row in cursor.fetchall()]
            assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) == len(expected)
            cursor.execute(
                f"INSERT INTO {index.table}_fts({index.table}_fts, rank) "
                "VALUES ('integrity-check', 0)"
            )
            cursor.execute(
                f"SELECT count(*) FROM {index.table}_fts WHERE {index.table}_fts MATCH '\"#orgx1\"'"
            )
            assert cursor.fetchone()[0] == len(expected)


def test_the_vocabulary_child_does_not_run_the_callers_script_again(tmp_path):
    """A script without a ``__main__`` guard that rebuilds an index (a one-off import, a
    shell snippet) counts its vocabulary in a child process like any caller: the child is
    `python -m gongkai.core.search.vocabulary_child`, not a spawn of the script, which would
    run the script again in the child (its database writes included) and break the pool."""
    import subprocess
    import sys

    script = tmp_path / "count.py"
    script.write_text(
        "from gongkai.core.search import vocabulary\n"
        "print('started', flush=True)\n"
        "c = vocabulary.Counting(background=True)\n"
        "c.add([(1, '营商环境', '优化营商环境')])\n"
        "c.add([(1, '政务公开', '政务公开工作')])\n"
        "assert c.child is not None\n"
        "print(sorted(term for _, term in c.result()))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("started") == 1
    assert "'营商环境'" in done.stdout and "'政务公开'" in done.stdout


def test_a_year_filter_does_not_make_a_frequent_word_look_rare(year_index, monkeypatch):
    """公开 in 3 of 5 records over four years: within one year it is as frequent as in all, so
    its sample walks the year's entries (PostgreSQL) rather than reading GIN's candidates of a
    token in most records; the year's share of the entries is no part of its hit rate (at
    1,000,000 records that mistake took 1-1.4 s where walking took 14-26 ms)."""
    from django.test.utils import CaptureQueriesContext

    small_sample(monkeypatch, cap=100)
    year_index.bulk_insert(
        [
            Doc(
                i,
                BASE - dt.timedelta(days=i + 1),
                f"通知{i}",
                "政务公开" if i % 5 < 3 else "其他",
            )
            for i in range(1, 1201)
        ]
    )
    year_index.optimize(connection)  # ANALYZE
    search.forget_statistics()
    year = (BASE - dt.timedelta(days=500)).astimezone(timezone.get_current_timezone()).year
    with CaptureQueriesContext(connection) as queries:
        result = year_index.search("公开", filters={"year": year}, per_page=3)
    assert result.capped and result.total_label == "100+"
    if connection.vendor == "postgresql":
        sqls = [q["sql"] for q in queries.captured_queries]
        assert not [sql for sql in sqls if "::tsquery" in sql and "BETWEEN" in sql]


def test_a_rebuild_stops_with_an_error_when_the_vocabulary_child_dies(monkeypatch):
    """The child counting a rebuild's vocabulary killed mid-way: the next batches do not
    wait for it forever (the queue full, nobody reading), the write fails with a message."""
    from gongkai.core.search import vocabulary

    monkeypatch.setattr(limits, "VOCABULARY_BACKLOG", 1)
    entries = [(1, "营商环境", "优化营商环境")]
    counting = vocabulary.Counting(background=True)
    counting.add(entries)
    counting.add(entries)
    assert counting.child is not None
    counting.child.kill()
    counting.child.wait()
    with pytest.raises(RuntimeError, match="词表计数子进程异常退出"):
        for _ in range(10):
            counting.add(entries)
        counting.result()
    counting.close()
