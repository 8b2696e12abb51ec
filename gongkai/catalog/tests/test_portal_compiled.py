"""The public pages' compiled queries (catalog.compiled, portal/catalog/queries.py) and what
the pages keep per process: the same answers as the ordinary querysets, and nothing stale."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.compiled import CompiledQuery
from gongkai.catalog.models import Genre, Record, Topic, Validity
from gongkai.portal.catalog.queries import PublicList
from gongkai.portal.catalog.views import _list_qs


@pytest.fixture
def records(publish_record, dept_a, dept_b, approver_a, government):
    """Records of two publishers, several genres, topics, validities and years (in Beijing
    time, one at the new year's first second), one withdrawn and one scheduled."""
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    approver_b = member("approver_b", "财政局负责人", dept_b, Role.APPROVER)
    made = []
    new_year = dt.datetime(2024, 12, 31, 16, 0, tzinfo=dt.UTC)  # 2025-01-01 00:00 Beijing
    for i in range(24):
        genre = [Genre.NORMATIVE, Genre.NOTICE, Genre.RULE, Genre.POLICY][i % 4]
        record = publish_record(
            title=f"文件{i}",
            genre=genre,
            topic=[Topic.GENERAL, Topic.EDUCATION][i % 2],
            doc_no=f"济政发〔2024〕{i}号" if i % 3 else "",
            publisher=dept_a if i % 5 else dept_b,
            user=approver_a if i % 5 else approver_b,
            interpretation=f"文件{i}解读" if genre in (Genre.NORMATIVE, Genre.RULE) else None,
        )
        at = new_year + dt.timedelta(seconds=i - 12)
        Record.objects.filter(pk=record.pk).update(published_at=at)
        made.append(record)
    actions.change_validity(
        approver_a, made[1], Validity.REPEALED, by_record=made[5], on=dt.date(2026, 1, 5)
    )
    actions.withdraw(approver_a, made[2], "内容有误")
    publish_record(title="定时发布的文件", at=timezone.now() + dt.timedelta(days=3))
    return made


FILTERS = [
    {},
    {"genre": Genre.NORMATIVE},
    {"topic": Topic.EDUCATION, "validity": Validity.IN_FORCE},
    {"published_at__year": 2024},
    {"published_at__year": 2025, "genre": Genre.RULE},
    {"validity": Validity.REPEALED},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_compiled_list_answers_what_the_queryset_answers(records, government, dept_b, filters):
    for extra in ({}, {"publisher": dept_b}):
        kwargs = {**filters, **extra}
        expected = list(_list_qs(government, kwargs))
        found = PublicList(government.pk, kwargs)
        assert found.rows(0, 100) == expected, kwargs
        assert found.rows(3, 5) == expected[3:8], kwargs
        assert found.capped_count(2001) == len(expected), kwargs
        assert found.capped_count(4) == min(4, len(expected)), kwargs
        for offset, limit, cap in [(0, 5, 2001), (5, 5, 7), (len(expected), 5, 2001)]:
            rows, total = found.rows_and_count(offset, limit, cap)  # one statement
            assert rows == expected[offset : offset + limit], (kwargs, offset)
            assert total == min(cap, len(expected)), (kwargs, offset)
    titles = {row[1] for row in PublicList(government.pk, {}).rows(0, 100)}
    assert "文件2" not in titles and "定时发布的文件" not in titles  # withdrawn, not yet due
    library = PublicList(government.pk, {}, library=True).rows(0, 100)
    assert library == list(_list_qs(government, {"genre__in": Genre.values[:3]}))


def test_compiled_year_is_the_beijing_year(records, government):
    year_2024 = {
        row[1] for row in PublicList(government.pk, {"published_at__year": 2024}).rows(0, 99)
    }
    year_2025 = {
        row[1] for row in PublicList(government.pk, {"published_at__year": 2025}).rows(0, 99)
    }
    assert "文件11" in year_2024 and "文件12" in year_2025
    assert not year_2024 & year_2025


def test_a_placeholder_changed_on_its_way_is_refused(db):
    contains = CompiledQuery(
        Record, lambda p, _v: Record.objects.filter(title__contains=p.t), t=str
    )
    with pytest.raises(ValueError, match="placeholder changed"):
        contains(t="通知")
    with pytest.raises(TypeError):
        CompiledQuery(Record, lambda p, _v: Record.objects.filter(pk=p.pk), pk=int)(pk="1")


def test_list_rows_show_validity_missing_number_and_beijing_date(client, records):
    page = client.get(reverse("portal:records"), {"year": "2025"}).content.decode()
    repealed = records[1]  # 2024-12-31 23:59:49 Beijing: not in 2025
    assert repealed.title + "</a>" not in page
    page = client.get(reverse("portal:records"), {"validity": "repealed"}).content.decode()
    link = reverse("portal:record", args=[repealed.pk])
    assert f'<a href="{link}">文件1</a> <span class="badge badge-warn">已废止</span>' in page
    assert '<time datetime="2024-12-31T23:59:49+08:00">2024-12-31</time>' in page
    no_number = client.get(reverse("portal:records"), {"year": "2025"}).content.decode()
    assert "<td>—</td>" in no_number  # 文件12 and 文件15 have no 文号


def test_record_page_after_a_change_of_the_government(client, records, government):
    """The government's row and the header are kept per process: a change shows at once."""
    url = reverse("portal:record", args=[records[0].pk])
    assert "济宁市人民政府" in client.get(url).content.decode()
    government.name = "济宁市人民政府（新）"
    government.save()
    page = client.get(url).content.decode()
    assert "济宁市人民政府（新）</span>" in page and "主办：济宁市人民政府（新）" in page


def test_browse_form_after_a_new_department(client, records, government):
    from gongkai.testing.factories import OrganisationFactory

    assert "济宁市审计局" not in client.get(reverse("portal:records")).content.decode()
    OrganisationFactory(name="济宁市审计局", parent=government)
    assert "济宁市审计局" in client.get(reverse("portal:records")).content.decode()


def test_record_pages_link_what_they_amend_and_their_interpretation(
    client, records, django_assert_max_num_queries
):
    repealed, newer, interpreted = records[1], records[5], records[0]
    page = client.get(reverse("portal:record", args=[repealed.pk])).content.decode()
    newer_link = f'<a href="{reverse("portal:record", args=[newer.pk])}">文件5</a>'
    assert "本文件已废止（2026年1月5日），见" + newer_link in page
    page = client.get(reverse("portal:record", args=[newer.pk])).content.decode()
    assert f'<a href="{reverse("portal:record", args=[repealed.pk])}">文件1</a>（已废止）' in page
    url = reverse("portal:record", args=[interpreted.pk])
    interp = interpreted.interpretations.get()
    client.get(url)
    with django_assert_max_num_queries(2):  # the record (with hints), its interpretation
        page = client.get(url).content.decode()
    assert f'<a href="{reverse("portal:interpretation", args=[interp.pk])}">文件0解读</a>' in page
    plain = records[3]  # no attachment, interpretation or amended document: one query
    client.get(reverse("portal:record", args=[plain.pk]))
    with django_assert_max_num_queries(1):
        assert client.get(reverse("portal:record", args=[plain.pk])).status_code == 200
    withdrawn = records[2]
    assert client.get(reverse("portal:record", args=[withdrawn.pk])).status_code == 404
    assert client.get(reverse("portal:record", args=[999999])).status_code == 404
