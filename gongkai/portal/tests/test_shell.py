"""The public and staff shells: pages, sites by host and path, access, Chinese error pages."""

import pytest
from django.urls import reverse

from gongkai.foi.tests.conftest import received  # noqa: F401  (fixture)
from gongkai.orgs.models import Organisation, OrgKind


@pytest.fixture
def two_sites(government, other_government):
    government.site_hosts = "www.jining.example"
    government.save()
    Organisation.objects.create(
        name="滕州市教育局", kind=OrgKind.DEPARTMENT, parent=other_government
    )
    return government, other_government


def test_home_shows_default_government(client, government):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "济宁市人民政府" in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target
    assert 'role="banner"' in html and 'role="contentinfo"' in html


def test_site_by_host_and_by_path(client, two_sites):
    assert "济宁市人民政府" in client.get("/", HTTP_HOST="www.jining.example").content.decode()
    response = client.get("/s/tengzhou/organisations/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "滕州市教育局" in html and "滕州市人民政府" in html
    # Links on a path-prefixed site stay inside that site.
    assert 'href="/s/tengzhou/organisations/"' in html
    # An unknown slug is not a site: it falls through to the default site's 404.
    assert client.get("/s/nowhere/").status_code == 404


def test_organisation_directory_lists_only_active(client, government, dept_a):
    Organisation.objects.create(
        name="济宁市已撤销局", kind=OrgKind.DEPARTMENT, parent=government, is_active=False
    )
    html = client.get(reverse("portal:organisations")).content.decode()
    assert "济宁市教育局" in html
    assert "济宁市已撤销局" not in html


def test_chinese_404(client, government):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


class TestStaffAccess:
    def test_anonymous_is_sent_to_login(self, client, government):
        response = client.get("/manage/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_citizen_gets_chinese_403(self, login, citizen):
        response = login(citizen).get("/manage/")
        assert response.status_code == 403
        assert "没有权限" in response.content.decode()

    def test_officer_sees_own_roles_and_no_office_menu(self, login, officer_a):
        response = login(officer_a).get("/manage/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "济宁市教育局" in html and "信息员" in html
        assert reverse("staff:audit") not in html
        assert login(officer_a).get(reverse("staff:organisations")).status_code == 403
        assert login(officer_a).get(reverse("staff:audit")).status_code == 403

    def test_office_sees_tree_and_audit(self, login, office, dept_a, dept_b):
        client = login(office)
        html = client.get(reverse("staff:organisations")).content.decode()
        assert "济宁市教育局" in html and "济宁市财政局" in html
        assert client.get(reverse("staff:audit")).status_code == 200

    def test_audit_log_shows_chinese_labels(self, login, office, dept_a):
        from gongkai.orgs import actions

        actions.update_organisation(office, dept_a, short_name="市教体局")
        html = login(office).get(reverse("staff:audit")).content.decode()
        assert ">修改机构信息</span>" in html
        assert ">orgs.update_organisation<" not in html

    def test_office_of_other_government_cannot_open_this_one(self, login, office, other_government):
        from gongkai.orgs.models import Role
        from gongkai.testing.factories import member

        tz_office = member("tz", "滕州公开办", other_government, Role.OFFICE_ADMIN)
        client = login(tz_office)
        html = client.get(
            reverse("staff:organisations") + f"?gov={office.memberships.first().organisation_id}"
        ).content.decode()
        assert "滕州市人民政府" in html
        assert "济宁市人民政府 · 机构与人员" not in html


def test_login_page_is_chinese_and_throttled(client, officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("accounts:login")
    assert "工作人员登录" in client.get(url).content.decode()
    for _ in range(3):
        response = client.post(url, {"username": "officer_a", "password": "wrong"})
    response = client.post(url, {"username": "officer_a", "password": "wrong"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()


def test_security_headers(client, government):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_home_page_query_count_is_bounded(
    client, government, dept_a, django_assert_max_num_queries
):
    client.get("/")  # warm the site cache
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_staff_home_shows_request_deadlines(
    login,
    officer_a,
    received,  # noqa: F811  (the foi fixture imported above)
    django_assert_max_num_queries,
):
    """The home page counts the officer's open, due-soon and overdue requests (foi's one query)."""
    from datetime import timedelta

    from django.utils import timezone

    from gongkai.foi.models import InfoRequest

    client = login(officer_a)
    InfoRequest.objects.filter(pk=received.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    with django_assert_max_num_queries(30):
        html = client.get(reverse("staff:home")).content.decode()
    assert 'data-count="overdue">1<' in html
    assert reverse("foi_staff:detail", args=[received.pk]) in html  # one click from the line
