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
