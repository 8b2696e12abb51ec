"""The office manages its government's organisations, aliases, people and roles in the
browser: audited actions behind thin pages; outsiders get 403/404."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent
from gongkai.orgs import actions
from gongkai.orgs.models import Membership, Organisation, OrgKind, Role
from gongkai.testing import forbidden
from gongkai.testing.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def _act(client, org, name, data):
    return client.post(reverse("orgs_staff:action", args=[org.pk, name]), data)


def test_list_is_searchable_by_alias_and_paged_with_pinned_queries(
    login, office, government, dept_a, django_assert_max_num_queries
):
    actions.update_organisation(office, dept_a, aliases=["市教体局"])
    for n in range(60):
        OrganisationFactory(name=f"济宁市测试局{n:02d}", parent=government)
    client = login(office)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("orgs_staff:list")).content.decode()
    assert "共 62 个机构" in html and 'id="next-page"' in html
    html = client.get(reverse("orgs_staff:list") + "?q=教体").content.decode()
    assert "济宁市教育局" in html and "测试局" not in html
    with django_assert_max_num_queries(8):
        second = client.get(reverse("orgs_staff:list") + "?page=2").content.decode()
    assert "第 2 / 2 页" in second


def test_officer_gets_403_and_other_office_404(login, officer_a, dept_a, other_government):
    assert login(officer_a).get(reverse("orgs_staff:list")).status_code == 403
    tz_office = member("tz", "滕州公开办", other_government, Role.OFFICE_ADMIN)
    client = login(tz_office)
    assert client.get(reverse("orgs_staff:detail", args=[dept_a.pk])).status_code == 404
    response = _act(client, dept_a, "edit", {"phone": "0632-1", "kind": "department"})
    assert response.status_code == 404


def test_office_adds_a_department_by_parent_name(login, office, government):
    client = login(office)
    response = client.post(
        reverse("orgs_staff:new"),
        {
            "name": "济宁市数据局",
            "short_name": "市数据局",
            "kind": OrgKind.DEPARTMENT,
            "parent": "济宁市政府",
            "aliases": "市大数据局\n市数据管理局",
        },
    )
    org = Organisation.objects.get(name="济宁市数据局")
    assert response.status_code == 302 and response["Location"].endswith(f"/orgs/{org.pk}/")
    assert org.parent == government
    assert sorted(org.aliases.values_list("alias", flat=True)) == ["市大数据局", "市数据管理局"]
    assert AuditEvent.objects.filter(action="orgs.create_organisation", actor=office).exists()
    bad = client.post(
        reverse("orgs_staff:new"),
        {"name": "济宁市某局", "kind": OrgKind.DEPARTMENT, "parent": "不存在的机关"},
    )
    assert bad.status_code == 400
    assert "本政府没有名为“不存在的机关”的机构" in bad.content.decode()


def test_office_edits_contacts_and_aliases(login, office, dept_a):
    client = login(office)
    data = {
        "short_name": "市教育局",
        "kind": "department",
        "order": "0",
        "is_active": "on",
        "phone": "0537-2960201",
        "email": "jyj@example.gov.cn",
        "postcode": "272000",
    }
    assert _act(client, dept_a, "edit", data).status_code == 302
    dept_a.refresh_from_db()
    assert dept_a.phone == "0537-2960201" and dept_a.email == "jyj@example.gov.cn"
    refused = _act(client, dept_a, "edit", {**data, "postcode": "27"})
    assert refused.status_code == 400 and "邮政编码“27”应为6位数字" in refused.content.decode()
    assert _act(client, dept_a, "alias_add", {"alias": "市教体局"}).status_code == 302
    assert dept_a.aliases.filter(alias="市教体局").exists()
    assert _act(client, dept_a, "alias_remove", {"alias": "市教体局"}).status_code == 302
    assert not dept_a.aliases.exists()
    assert AuditEvent.objects.filter(action="orgs.remove_alias").count() == 1


def test_office_opens_an_account_with_a_role_and_it_logs_in(login, office, dept_a):
    client = login(office)
    data = {
        "display_name": "赵六",
        "username": "zhaoliu",
        "phone": "13800000009",
        "role": Role.OFFICER,
        "password": "Jining-2026-zl",
    }
    weak = _act(client, dept_a, "person_add", {**data, "password": "123"})
    assert weak.status_code == 400 and not User.objects.filter(username="zhaoliu").exists()
    assert _act(client, dept_a, "person_add", data).status_code == 302
    user = User.objects.get(username="zhaoliu")
    assert Membership.objects.filter(user=user, organisation=dept_a, role=Role.OFFICER).exists()
    assert AuditEvent.objects.filter(action="accounts.create_user", object_id=str(user.pk)).exists()
    fresh = Client()
    response = fresh.post(
        reverse("accounts:login"), {"username": "zhaoliu", "password": "Jining-2026-zl"}
    )
    assert response.status_code == 302
    assert fresh.get("/manage/").status_code == 200
    again = _act(client, dept_a, "person_add", data)
    assert again.status_code == 400 and "已被使用" in again.content.decode()


def test_grant_and_revoke_roles_on_the_page(login, office, dept_a, officer_b):
    client = login(office)
    response = _act(
        client, dept_a, "role_grant", {"username": officer_b.username, "role": Role.REVIEWER}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=officer_b, organisation=dept_a)
    assert membership.role == Role.REVIEWER
    assert _act(client, dept_a, "role_revoke", {"membership": membership.pk}).status_code == 302
    assert not Membership.objects.filter(user=officer_b, organisation=dept_a).exists()


def test_person_page_deactivates_and_resets_password(login, office, officer_a, other_government):
    client = login(office)
    url = reverse("orgs_staff:person", args=[officer_a.pk])
    html = client.get(reverse("orgs_staff:people") + "?q=" + officer_a.username).content.decode()
    assert url in html
    response = client.post(url, {"do": "edit", "display_name": "教育局信息员"})
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert not officer_a.is_active and officer_a.display_name == "教育局信息员"
    assert client.post(url, {"do": "password", "password": "New-pass-2026!"}).status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("New-pass-2026!")
    tz_office = member("tz", "滕州公开办", other_government, Role.OFFICE_ADMIN)
    assert login(tz_office).get(url).status_code == 404


def test_actions_refuse_outsiders(officer_a, dept_a, officer_b):
    with forbidden():
        actions.add_person(
            officer_a,
            dept_a,
            role=Role.OFFICER,
            username="x1",
            display_name="某",
            password="Jining-2026-x1",
        )
    with forbidden():
        actions.update_person(officer_a, officer_b, is_active=False)
    with forbidden():
        actions.remove_alias(officer_a, dept_a, "任何")
