"""依申请转主动 (条例第44条): similar requests grouped with core.text's similarity, turned into a
draft proactive record in one step; repeated requests flagged; records linked to a reply."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.foi import actions
from gongkai.foi.actions import ActionError
from gongkai.foi.models import EventKind, InfoRequest

from .conftest import asking, person

pytestmark = pytest.mark.django_db


def _reg(office, org, text, n):
    return actions.register(
        office,
        org,
        person(name=f"申请人{n}", id_number=f"ID-{n}"),
        asking(text),
        channel="in_person",
        arrived_on=timezone.localdate(),
    )


@pytest.fixture
def similar(office, dept_a, dept_b):
    return [
        _reg(office, dept_a, "申请公开2025年济宁市义务教育学校招生计划", 1),
        _reg(office, dept_a, "请公开济宁市2025年义务教育学校的招生计划", 2),
        _reg(office, dept_b, "2025年济宁市义务教育学校招生计划及划片范围", 3),
        _reg(office, dept_b, "市财政局2024年部门决算", 4),
    ]


def test_groups_and_conversion(similar, office, officer_a, dept_a, login):
    from gongkai.catalog.models import Record

    assert login(officer_a).get(reverse("foi_staff:groups")).status_code == 403
    client = login(office)
    page = client.get(reverse("foi_staff:groups"))
    groups = page.context["groups"]
    assert len(groups.items) == 1
    group = groups.items[0]
    assert {r.pk for r in group["requests"]} == {r.pk for r in similar[:3]}
    assert group["publisher"] == dept_a and group["requesters"] == 3
    response = client.post(
        reverse("foi_staff:groups"),
        {"requests": group["ids"], "title": "2025年义务教育学校招生计划", "publisher": dept_a.pk},
    )
    assert response.status_code == 302
    record = Record.objects.get()
    assert record.title == "2025年义务教育学校招生计划" and record.attribute == "proactive"
    assert record.publisher == dept_a and record.status == "draft"
    for req in InfoRequest.objects.filter(pk__in=[r.pk for r in similar[:3]]):
        assert req.converted_to_proactive
        assert req.events.get(kind=EventKind.CONVERTED).data["record"] == record.pk
    assert client.get(reverse("foi_staff:groups")).context["groups"].items == []
    with pytest.raises(ActionError, match="已转为主动公开"):
        actions.convert_to_proactive(office, similar[:2], title="x", publisher=dept_a)


def test_only_the_office_converts(similar, officer_a, dept_a):
    with pytest.raises(ActionError, match="政务公开办公室"):
        actions.convert_to_proactive(officer_a, similar[:2], title="x", publisher=dept_a)


def test_repeated_requester_is_flagged(office, dept_a, login):
    for n in range(3):
        actions.register(
            office,
            dept_a,
            person(),
            asking(f"不同的申请 {n}"),
            channel="in_person",
            arrived_on=timezone.localdate(),
        )
    client = login(office)
    req = InfoRequest.objects.first()
    assert (
        "另有 2 件申请" in client.get(reverse("foi_staff:detail", args=[req.pk])).content.decode()
    )
    repeated = list(client.get(reverse("foi_staff:groups")).context["repeated"])
    assert repeated[0]["n"] == 3


def test_reply_links_catalogue_records(received, officer_a, office, login):
    from gongkai.catalog import actions as catalog_actions

    record = catalog_actions.create_record(
        office, received.organisation, {"title": "2025年招生计划"}
    )
    client = login(officer_a)
    url = reverse("foi_staff:action", args=[received.pk, "draft_reply"])
    response = client.post(url, {"outcome": "disclosed", "record_index_nos": "NO-SUCH"})
    assert response.status_code == 400 and "未找到以下索引号" in response.content.decode()
    response = client.post(url, {"outcome": "disclosed", "record_index_nos": record.index_no})
    assert response.status_code == 302
    received.reply.refresh_from_db()
    assert received.reply.records == [
        {"id": record.pk, "index_no": record.index_no, "title": "2025年招生计划"}
    ]
