"""The search page and search_records beyond relevance: a stale index, honest counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog.indexing import RECORD_INDEX, search_records
from gongkai.catalog.models import Record, Status
from gongkai.core.search import limits


@pytest.fixture
def three(publish_record):
    return [
        publish_record(title=f"关于做好防汛抗旱工作的通知（第{n}批）", body="<p>防汛抗旱。</p>")
        for n in (1, 2, 3)
    ]


def _withdraw_behind_the_index(record):
    """Edit the database directly, as an operator's SQL would: the index is not told."""
    Record.objects.filter(pk=record.pk).update(
        status=Status.WITHDRAWN, withdrawn_at=timezone.now(), withdrawn_reason="直接改库"
    )


def test_a_stale_index_never_shows_a_count_above_missing_hits(client, government, three):
    _withdraw_behind_the_index(three[0])
    _withdraw_behind_the_index(three[2])
    result, records = search_records(government, "防汛抗旱")
    assert [r.pk for r in records] == [three[1].pk] and result.ids == [three[1].pk]
    assert (result.total, result.capped, result.total_label) == (1, False, "1")
    page = client.get(reverse("portal:search"), {"q": "防汛抗旱"}).content.decode()
    assert "找到 1 条结果" in page and "第2批" in page and "第1批" not in page
    _withdraw_behind_the_index(three[1])
    page = client.get(reverse("portal:search"), {"q": "防汛抗旱"}).content.decode()
    assert "找到 0 条结果" in page and "第2批" not in page


def test_a_stale_index_pages_over_the_visible_records(government, three):
    _withdraw_behind_the_index(three[2])  # the newest
    first, records = search_records(government, "防汛抗旱", sort="date", per_page=1)
    assert (first.total, [r.pk for r in records]) == (2, [three[1].pk])
    # The stale entry left the index when a page showed it, so every page agrees.
    second, records = search_records(government, "防汛抗旱", sort="date", page=2, per_page=1)
    assert (second.total, [r.pk for r in records]) == (2, [three[0].pk])
    assert not second.has_next
    assert RECORD_INDEX.search("防汛抗旱").total == 2


def test_counts_are_exact_up_to_the_cap_and_never_an_estimate_below_it(
    government, publish_record, monkeypatch
):
    monkeypatch.setattr(limits, "COUNT_CAP", 4)
    monkeypatch.setattr(limits, "CANDIDATES", 2)
    for n in range(6):
        # 政务 and 公开 in every record; the phrase 政务公开 in the even ones only.
        body = "<p>推进政务公开。</p>" if n % 2 == 0 else "<p>政务服务，公开招聘。</p>"
        publish_record(title=f"第{n + 10}号通知", body=body)
    result, _ = search_records(government, "政务公开")
    assert (result.total, result.capped, result.total_label) == (3, False, "3")
    result, _ = search_records(government, "通知")
    assert (result.total, result.capped, result.total_label) == (4, True, "4+")
    assert RECORD_INDEX.search("政务公开").estimated is False


def test_the_label_says_an_estimate_only_above_the_cap():
    from gongkai.core.search import SearchResult

    below = SearchResult([], 9852, False, 1, 20, "q", estimated=True)
    assert below.total_label == "9,852"
    assert SearchResult([], 10_000, True, 1, 20, "q").total_label == "10,000+"


def test_withdrawn_and_non_public_words_never_reach_suggestions_or_the_typed_list(
    client, government, other_government, publish_record, approver_a, dept_a
):
    from gongkai.catalog import actions
    from gongkai.catalog.indexing import as_you_type, search_records
    from gongkai.testing.factories import OrganisationFactory

    publish_record(title="关于调整城区公交线路的通知", body="<p>公交线路调整。</p>")
    taxi = publish_record(title="关于调整城区出租汽车运价的通知", body="<p>出租汽车运价调整。</p>")
    draft = {"title": "关于拨付偿债备付金的函", "made_on": dt.date(2026, 11, 2)}
    actions.create_record(approver_a, dept_a, {**draft, "body": "<p>偿债备付金。</p>"})
    tengzhou = OrganisationFactory(name="滕州市财政局", parent=other_government)
    other = publish_record(title="关于下达冷链物流补助的通知", body="<p>冷链物流。</p>")
    Record.objects.filter(pk=other.pk).update(government=other_government, publisher=tengzhou)
    other.refresh_from_db()
    from gongkai.catalog.indexing import sync_record

    sync_record(other)

    def suggested(q):
        return search_records(government, q)[0].suggestions

    def typed(q):
        data = client.get(reverse("portal:search_suggest"), {"q": q}).json()
        return [item["title"] for item in data["items"]]

    # While public, its words are suggested and listed; one click runs the suggestion.
    assert suggested("出租汽车运介")[:1] == ["出租汽车运价"]
    assert typed("出租汽车") == ["关于调整城区出租汽车运价的通知"]
    page = client.get(reverse("portal:search"), {"q": "出租汽车运介"}).content.decode()
    assert (
        "您是不是要找" in page
        and "?q=%E5%87%BA%E7%A7%9F%E6%B1%BD%E8%BD%A6%E8%BF%90%E4%BB%B7" in page
    )
    assert "找到 0 条结果" in page  # the query itself was run, not replaced
    assert as_you_type(government, "出") == []  # two characters at least
    actions.withdraw(approver_a, taxi, "内容有误")
    for q in ["出租汽车运介", "出租汽车运价", "出租汽车"]:
        assert all("出租" not in s for s in suggested(q)), q
        assert typed(q) == [], q
    # Never public, or another government's: never there.
    for q in ["偿债备付今", "偿债备付金", "冷链物留", "冷链物流"]:
        assert all("偿债" not in s and "冷链" not in s for s in suggested(q)), q
        assert typed(q) == [], q
    assert suggested("公交线陆")[:1] == ["公交线路"]
    assert suggested("公交线路") == []  # found, and a term of the vocabulary: nothing to suggest


def test_search_page_facets_within_results_and_advanced_form(client, publish_record, dept_b):
    from gongkai.catalog.models import Genre, Topic

    a = publish_record(
        title="关于做好防汛工作的通知", body="<p>防汛抗旱。</p>", doc_no="济教发〔2025〕12号"
    )
    b = publish_record(
        title="防汛应急预案", body="<p>防汛物资。</p>", genre=Genre.PLAN, topic=Topic.AGRICULTURE
    )
    c = publish_record(title="关于抗旱工作的通知", body="<p>防汛抗旱，打井。</p>")
    Record.objects.filter(pk=c.pk).update(publisher=dept_b)
    for record, year in ((a, 2023), (b, 2024), (c, 2024)):
        at = dt.datetime(year, 6, 1, 1, 0, tzinfo=dt.UTC)
        Record.objects.filter(pk=record.pk).update(published_at=at)
        record.refresh_from_db()
        from gongkai.catalog.indexing import sync_record

        sync_record(record)
    url = reverse("portal:search")
    page = client.get(url, {"q": "防汛"}).content.decode()
    assert "找到 3 条结果" in page
    facets = page[page.index('class="search-facets"') : page.index('class="search-results"')]
    assert '济宁市教育局</a> <span class="muted">(2)' in facets
    assert '济宁市财政局</a> <span class="muted">(1)' in facets
    assert '2024</a> <span class="muted">(2)' in facets and "2023</a>" in facets
    assert '规划计划</a> <span class="muted">(1)' in facets
    # A facet value narrows the search, with the same counts as the filter.
    page = client.get(url, {"q": "防汛", "year": "2024"}).content.decode()
    assert "找到 2 条结果" in page and 'aria-current="true"' in page
    # Search within the results: the previous query's terms too.
    page = client.get(url, {"q": "打井", "prev": "防汛", "within": "1"}).content.decode()
    assert "找到 1 条结果" in page and "关于<mark>抗旱</mark>工作" not in page
    assert "关于抗旱工作的通知" in page
    # Advanced: 标题 (in the title only), 文号 (by its parts), 时间范围.
    page = client.get(url, {"title": "防汛"}).content.decode()
    assert "找到 2 条结果" in page and "关于抗旱工作的通知" not in page
    page = client.get(url, {"doc_no": "济教发2025年12号"}).content.decode()
    assert "找到 1 条结果" in page and "关于做好<mark>防汛</mark>工作" not in page
    assert "济教发〔2025〕12号" in page
    page = client.get(url, {"q": "防汛", "year_from": "2024", "year_to": "2025"}).content.decode()
    assert "找到 2 条结果" in page and "关于做好" not in page
    page = client.get(url, {"q": "防汛", "year_from": "2025", "year_to": "2024"}).content.decode()
    assert "时间范围应为起止年份" in page and "找到 3 条结果" in page
    page = client.get(url, {"q": "防汛", "sort": "date"}).content.decode()
    assert page.index("关于抗旱工作的通知") < page.index("关于做好<mark>防汛</mark>工作的通知")


def test_a_swapped_or_dropped_character_suggests_the_word_that_keeps_every_typed_one(
    government, publish_record
):
    """财政 is in more records than 财政预算, and both are one edit from 财政算; the citizen
    typed 算, so 财政预算 comes first (and 监管局 for 监局管, not the more frequent 监管)."""
    from gongkai.catalog.indexing import suggestions

    for n in range(4):
        publish_record(title=f"关于加强财政监管工作的通知（第{n}号）", body="<p>财政，监管。</p>")
    publish_record(title="2026年财政预算执行情况", body="<p>财政预算。</p>")
    publish_record(title="市市场监管局工作要点", body="<p>监管局。</p>")
    assert suggestions(government, "财政算")[:1] == ["财政预算"]
    assert suggestions(government, "监局管")[:1] == ["监管局"]
