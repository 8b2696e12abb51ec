"""Staff pages over HTTP: registration, the request page with its clock, actions with Chinese
errors that keep the typed text, dashboards with pinned query counts, letter downloads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import add_workdays
from gongkai.foi import actions
from gongkai.foi.models import InfoRequest, Reply, State

from .conftest import VALID_ID, asking, person

pytestmark = pytest.mark.django_db


def _post(client, req, name, data):
    return client.post(reverse("foi_staff:action", args=[req.pk, name]), data)


def test_register_a_letter_and_see_the_clock(officer_a, dept_a, login):
    client = login(officer_a)
    assert client.get(reverse("foi_staff:register")).status_code == 200
    arrived = timezone.localdate() - timedelta(days=3)
    data = {
        "organisation": dept_a.pk,
        "channel": "post",
        "signed_for": "on",
        "arrived_on": arrived.isoformat(),
        "requester_kind": "natural_person",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13900000000",
        "kind": "disclosure",
        "description": "2025年学校建设项目清单",
        "info_form": "paper",
        "delivery": "post",
        "address": "济宁市任城区某路1号",
    }
    response = client.post(reverse("foi_staff:register"), data)
    req = InfoRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{req.pk}/")
    assert req.received_on == arrived
    html = client.get(response["Location"]).content.decode()
    due = add_workdays(arrived, 20).date
    assert f"答复期限：{due:%Y-%m-%d}（共 20 个工作日）" in html
    assert "以签收之日为收到申请之日" in html
    assert "逐日核算" in html


def test_register_bad_input_keeps_everything(officer_a, dept_a, login):
    client = login(officer_a)
    data = {
        "organisation": dept_a.pk,
        "channel": "in_person",
        "arrived_on": timezone.localdate().isoformat(),
        "requester_kind": "natural_person",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": "370802199001011249",
        "kind": "disclosure",
        "description": "很长的一段申请内容",
        "info_form": "paper",
        "delivery": "post",
    }
    response = client.post(reverse("foi_staff:register"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "居民身份证号码不正确" in html and "请至少填写一种联系方式" in html
    assert "很长的一段申请内容" in html and InfoRequest.objects.count() == 0


def test_actions_over_http_and_refusals_in_chinese(received, officer_a, approver_a, login):
    client = login(officer_a)
    response = _post(client, received, "extend", {"days": 5, "reason": "x"})
    assert response.status_code == 403 and "签发人" in response.content.decode()
    response = _post(client, received, "propose_extension", {"days": 25, "reason": "x"})
    assert response.status_code == 400 and "延长期限最长 20 个工作日" in response.content.decode()
    body = "这是一段很长的答复正文，不能丢失。"
    response = _post(client, received, "draft_reply", {"outcome": "not_disclosed", "body": body})
    html = response.content.decode()
    assert response.status_code == 400 and "须选择具体理由" in html and body in html
    assert not Reply.objects.exists()
    response = _post(
        client,
        received,
        "draft_reply",
        {
            "outcome": "not_disclosed",
            "outcome_reason": "不予公开-6",
            "reasons": "会议讨论记录属于过程性信息。",
            "body": body,
        },
    )
    assert response.status_code == 302
    assert Reply.objects.get().body == body
    assert _post(client, received, "submit_reply", {}).status_code == 302
    # The officer is not offered review or signing; posting anyway is refused.
    response = _post(client, received, "sign_reply", {"decision": "approve"})
    assert response.status_code == 403 and "签发" in response.content.decode()
    boss = login(approver_a)
    assert _post(boss, received, "review_reply", {"decision": "approve"}).status_code == 302
    assert _post(boss, received, "sign_reply", {"decision": "approve"}).status_code == 302
    req = InfoRequest.objects.get(pk=received.pk)
    assert req.state == State.REPLIED and req.outcome_display == "不予公开—6.属于四类过程性信息"
    letter = req.letters.get()
    response = boss.get(reverse("foi_staff:letter", args=[req.pk, letter.pk, "docx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]


def test_list_dashboards_and_query_count(
    officer_a, office, dept_a, dept_b, login, django_assert_max_num_queries, monkeypatch
):
    today = timezone.localdate()
    # 3 overdue, 2 due soon, 1 paused, 1 submitted, spread over two departments.
    for i in range(3):
        actions.register(
            office,
            dept_a,
            person(),
            asking(f"逾期 {i}"),
            channel="in_person",
            arrived_on=today - timedelta(days=60),
        )
    for org in (dept_a, dept_b):
        arrived = add_workdays(today, -18).date
        actions.register(
            office, org, person(), asking("即将到期"), channel="in_person", arrived_on=arrived
        )
    paused = actions.register(
        office, dept_a, person(), asking("暂停"), channel="in_person", arrived_on=today
    )
    actions.start_third_party(office, paused, name="第三方", concerns="第三方信息")
    actions.register(office, dept_a, person(), asking("待确认"), channel="email", arrived_on=today)
    client = login(office)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("foi_staff:list") + "?tab=all")
    ctx = response.context
    assert ctx["counts"] == {
        "open": 7,
        "submitted": 1,
        "due_soon": 2,
        "overdue": 3,
        "paused": 1,
        "to_review": 0,
        "to_sign": 0,
    }
    assert len(ctx["page"].object_list) == 7
    with django_assert_max_num_queries(14):
        response = client.get(reverse("foi_staff:list") + "?tab=overdue")
    assert len(response.context["page"].object_list) == 3
    assert "已超期" in response.content.decode()
    officer_view = login(officer_a).get(reverse("foi_staff:list") + "?tab=all")
    assert officer_view.context["counts"]["open"] == 6  # dept A only


def test_import_page_is_for_the_office(officer_a, office, login, dept_a):
    assert login(officer_a).get(reverse("foi_staff:import")).status_code == 403
    client = login(office)
    assert client.get(reverse("foi_staff:import")).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "t.csv",
        "ref,org,received_on,channel,requester_kind\nA-1,市不存在局,2025-03-02,online,自然人\n".encode(),
    )
    response = client.post(reverse("foi_staff:import"), {"file": bad})
    assert response.status_code == 400 and "第 2 行" in response.content.decode()
    good = SimpleUploadedFile(
        "t.csv",
        "ref,org,received_on,channel,requester_kind,finished_on,outcome,outcome_reason\n"
        "A-1,市教育局,2025-03-02,online,自然人,2025-03-20,disclosed,\n".encode(),
    )
    assert client.post(reverse("foi_staff:import"), {"file": good}).status_code == 200
    assert InfoRequest.objects.get(ref="A-1").organisation == dept_a


def test_review_case_over_http(received, officer_a, approver_a, login):
    actions.draft_reply(officer_a, received, outcome="disclosed")
    actions.submit_reply(officer_a, received)
    actions.review_reply(approver_a, received, approve=True)
    actions.sign_reply(approver_a, received)
    client = login(officer_a)
    html = client.get(reverse("foi_staff:detail", args=[received.pk])).content.decode()
    assert 'id="action-review_case"' in html and 'id="action-decide_case"' not in html
    today = timezone.localdate().isoformat()
    response = _post(
        client,
        received,
        "review_case",
        {"kind": "litigation_direct", "filed_on": today, "case_no": "(2026)鲁0811行初1号"},
    )
    assert response.status_code == 302
    case = received.review_cases.get()
    response = _post(client, received, "decide_case", {"case": case.pk, "result": "corrected"})
    assert response.status_code == 400 and "审结日期" in response.content.decode()
    response = _post(
        client,
        received,
        "decide_case",
        {"case": case.pk, "result": "corrected", "decided_on": today},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.result == "corrected"


def test_december_request_shows_provisional_due_date(officer_a, dept_a, login, monkeypatch):
    from datetime import date

    monkeypatch.setattr(actions.base, "today", lambda: date(2026, 12, 15))
    req = actions.register(
        officer_a, dept_a, person(), asking(), channel="in_person", arrived_on=date(2026, 12, 15)
    )
    client = login(officer_a)
    html = client.get(reverse("foi_staff:detail", args=[req.pk])).content.decode()
    assert 'id="provisional"' in html and "暂定：2027年节假日安排尚未载入" in html
    listing = client.get(reverse("foi_staff:list")).content.decode()
    assert "暂定" in listing
