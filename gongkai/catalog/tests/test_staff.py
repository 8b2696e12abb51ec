import datetime as dt

from django.urls import reverse

from gongkai.catalog import actions


def test_staff_list_query_count_is_pinned(login, officer_a, dept_a, django_assert_max_num_queries):
    for i in range(30):
        actions.create_record(
            officer_a, dept_a, {"title": f"草稿{i}", "made_on": dt.date(2026, 1, 5)}
        )
    client = login(officer_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("catalog_staff:records")).content.decode()
    assert "草稿29" in page


def test_officer_creates_and_sees_chinese_errors(login, officer_a, dept_a):
    client = login(officer_a)
    response = client.post(
        reverse("catalog_staff:record_new"),
        {
            "publisher": dept_a.pk,
            "title": "",
            "made_on": "2026-13-01",
            "topic": "general",
            "genre": "other",
            "attribute": "withheld",
        },
    )
    page = response.content.decode()
    assert "请填写标题" in page and "依申请公开或不予公开须填写理由" in page
    response = client.post(
        reverse("catalog_staff:record_new"),
        {
            "publisher": dept_a.pk,
            "title": "关于开展安全生产检查的通知",
            "made_on": "2026-11-02",
            "topic": "market",
            "genre": "notice",
            "attribute": "proactive",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "已保存草稿" in detail


def test_overdue_and_library_pages(login, officer_a, office, dept_a):
    actions.create_record(
        officer_a, dept_a, {"title": "迟迟未公开的信息", "made_on": dt.date(2025, 1, 6)}
    )
    page = login(officer_a).get(reverse("catalog_staff:overdue")).content.decode()
    assert "迟迟未公开的信息" in page
    assert login(officer_a).get(reverse("catalog_staff:library")).status_code == 403
    assert login(office).get(reverse("catalog_staff:library")).status_code == 200


def test_anonymous_is_sent_to_login(client, government):
    response = client.get(reverse("catalog_staff:records"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_attribute_review_from_the_record_page(login, publish_record, office, officer_b):
    """条例第十八条: the office re-decides a published record's attribute on its page; the record
    leaves every public list at once; an officer of another department cannot."""
    from gongkai.catalog.models import Attribute, Record
    from gongkai.catalog.visibility import public_records
    from gongkai.core.models import AuditEvent

    record = publish_record()
    url = reverse("catalog_staff:record_action", args=[record.pk, "attribute"])
    outsider = login(officer_b)
    assert outsider.post(url, {"attribute": "on_request"}).status_code == 404
    client = login(office)
    page = client.get(reverse("catalog_staff:record", args=[record.pk])).content.decode()
    assert "公开属性复核" in page
    refused = client.post(url, {"attribute": "on_request", "reason": "", "basis": ""}, follow=True)
    assert "必须填写理由" in refused.content.decode()
    assert Record.objects.get(pk=record.pk).attribute == Attribute.PROACTIVE
    done = client.post(
        url, {"attribute": "on_request", "reason": "涉及第三方合法权益", "basis": "条例第十五条"}
    )
    assert done.status_code == 302
    assert Record.objects.get(pk=record.pk).attribute == Attribute.ON_REQUEST
    assert not public_records().filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(action="catalog.record.attribute").count() == 1


def test_interpretation_withdrawn_from_the_record_page(
    login, publish_record, approver_a, officer_b
):
    from gongkai.catalog.models import InterpretationStatus
    from gongkai.catalog.visibility import public_interpretations

    record = publish_record(interpretation="一图读懂")
    interp = record.interpretations.get()
    assert interp.status == InterpretationStatus.PUBLISHED
    url = reverse("catalog_staff:interpretation_withdraw", args=[interp.pk])
    assert login(officer_b).post(url, {"reason": "有误"}).status_code == 404
    client = login(approver_a)
    assert (
        "撤回解读" in client.get(reverse("catalog_staff:record", args=[record.pk])).content.decode()
    )
    no_reason = client.post(url, {"reason": " "}, follow=True)
    assert "撤回时必须填写理由" in no_reason.content.decode()
    assert client.post(url, {"reason": "数据有误，修改后重新发布"}).status_code == 302
    interp.refresh_from_db()
    assert interp.status == InterpretationStatus.WITHDRAWN
    assert not public_interpretations().filter(pk=interp.pk).exists()
