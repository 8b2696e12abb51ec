"""Columns (栏目) and the standard catalogue (标准目录): the staff pages, the rules in
catalog.structure, the audit trail, and what the public pages show afterwards."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from gongkai.catalog import actions, structure
from gongkai.catalog.models import Column, ColumnKind, StandardCatalogue
from gongkai.catalog.querysets import flatten_tree
from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.testing import forbidden


def tree_url(org):
    return f"{reverse('catalog_staff:structure')}?org={org.pk}"


def column_post(**fields):
    data = {"name": "", "parent": "", "kind": ColumnKind.OTHER, "order": "0", "is_active": "on"}
    data.update({k: ("" if v is None else v) for k, v in fields.items()})
    if data["is_active"] is False:
        del data["is_active"]
    return data


def entry_post(**fields):
    data = {
        "name": "",
        "parent": "",
        "domain": "",
        "content": "",
        "basis": "",
        "time_limit": "自信息形成或者变更之日起20个工作日内",
        "channels": "政府网站",
        "audience": "全社会",
        "mode": "主动公开",
        "order": "0",
    }
    data.update(fields)
    return data


def events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk))
    return qs


@pytest.fixture
def columns(officer_a, dept_a):
    """dept_a: 法定主动公开内容 → 财政信息 → 预算; and a second top-level column 年报."""
    statutory = structure.save_column(
        officer_a, dept_a, {"name": "法定主动公开内容", "kind": ColumnKind.STATUTORY, "order": 1}
    )
    finance = structure.save_column(officer_a, dept_a, {"name": "财政信息", "parent": statutory})
    budget = structure.save_column(officer_a, dept_a, {"name": "预算", "parent": finance})
    report = structure.save_column(
        officer_a, dept_a, {"name": "年报", "kind": ColumnKind.ANNUAL_REPORT, "order": 2}
    )
    return SimpleNamespace(statutory=statutory, finance=finance, budget=budget, report=report)


@pytest.fixture
def catalogue(officer_a, dept_a):
    """dept_a: 义务教育 (领域) → 招生入学 (一级事项) → 招生政策 (二级事项)."""
    domain = structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "义务教育", "domain": "义务教育"}
    )
    item = structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "招生入学", "domain": "义务教育", "parent": domain}
    )
    sub = structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "招生政策", "domain": "义务教育", "parent": item}
    )
    return SimpleNamespace(domain=domain, item=item, sub=sub)


# --- Pure tree building ------------------------------------------------------------------------


def test_flatten_tree_orders_depth_first_and_cuts_loops():
    def node(pk, parent_id):
        return SimpleNamespace(pk=pk, parent_id=parent_id)

    nodes = [node(1, None), node(2, None), node(3, 1), node(4, 3), node(5, 6), node(6, 5)]
    flat = flatten_tree(nodes)
    assert [(n.pk, n.depth) for n in flat] == [(1, 0), (3, 1), (4, 2), (2, 0)]
    assert [n.child_count for n in flat] == [1, 1, 0, 0]


# --- Permissions -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, dept_a, columns, catalogue):
    for url in [
        reverse("catalog_staff:structure"),
        reverse("catalog_staff:column_new", args=[dept_a.pk]),
        reverse("catalog_staff:column_edit", args=[columns.finance.pk]),
        reverse("catalog_staff:catalogue_delete", args=[catalogue.sub.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert (
        client.post(reverse("catalog_staff:column_active", args=[columns.report.pk])).status_code
        == 302
    )
    assert Column.objects.get(pk=columns.report.pk).is_active


def test_officer_manages_own_organisation_only(
    login, officer_a, officer_b, dept_a, dept_b, columns, catalogue
):
    page = login(officer_a).get(reverse("catalog_staff:structure")).content.decode()
    assert "栏目与标准目录 · 济宁市教育局" in page and "财政信息" in page and "招生政策" in page

    client = login(officer_b)
    own = client.get(reverse("catalog_staff:structure")).content.decode()
    assert "济宁市财政局" in own and "财政信息" not in own and "济宁市教育局" not in own
    for url in [
        tree_url(dept_a),
        reverse("catalog_staff:column_new", args=[dept_a.pk]),
        reverse("catalog_staff:column_edit", args=[columns.finance.pk]),
        reverse("catalog_staff:catalogue_new", args=[dept_a.pk]),
        reverse("catalog_staff:catalogue_edit", args=[catalogue.sub.pk]),
        reverse("catalog_staff:catalogue_delete", args=[catalogue.sub.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("catalog_staff:column_edit", args=[columns.finance.pk]),
            column_post(name="被篡改"),
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("catalog_staff:column_active", args=[columns.finance.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("catalog_staff:catalogue_delete", args=[catalogue.sub.pk])).status_code
        == 404
    )
    assert Column.objects.get(pk=columns.finance.pk).name == "财政信息"
    assert Column.objects.get(pk=columns.finance.pk).is_active
    assert StandardCatalogue.objects.filter(pk=catalogue.sub.pk).exists()

    with forbidden():
        structure.save_column(officer_b, dept_a, {"name": "越权栏目"})
    with forbidden():
        structure.set_column_active(officer_b, columns.finance, False)
    with forbidden():
        structure.save_catalogue_entry(officer_b, dept_a, {"name": "越权事项"})
    with forbidden():
        structure.delete_catalogue_entry(officer_b, catalogue.sub)
    # An organisation passed with someone else's column is refused too.
    with pytest.raises(ActionError):
        structure.save_column(officer_b, dept_b, {"name": "改名"}, column=columns.finance)


def test_office_picks_any_organisation_of_its_government(
    login, office, government, dept_a, dept_b, other_government, columns
):
    client = login(office)
    page = client.get(reverse("catalog_staff:structure")).content.decode()
    for org in (government, dept_a, dept_b):
        assert f'<option value="{org.pk}"' in page
    assert f'<option value="{other_government.pk}"' not in page
    assert "财政信息" in client.get(tree_url(dept_a)).content.decode()
    assert client.get(tree_url(other_government)).status_code == 404
    assert client.get(f"{reverse('catalog_staff:structure')}?org=abc").status_code == 404
    response = client.post(
        reverse("catalog_staff:column_new", args=[dept_b.pk]), column_post(name="财政预决算")
    )
    assert response.status_code == 302
    assert Column.objects.get(organisation=dept_b, name="财政预决算")


def test_records_page_links_to_structure(login, officer_a):
    page = login(officer_a).get(reverse("catalog_staff:records")).content.decode()
    assert reverse("catalog_staff:structure") in page and "栏目与标准目录" in page


# --- Columns -----------------------------------------------------------------------------------


def test_column_create_edit_reorder_deactivate(login, officer_a, dept_a, columns):
    client = login(officer_a)
    response = client.post(
        reverse("catalog_staff:column_new", args=[dept_a.pk]),
        column_post(name=" 政策文件 ", parent=columns.statutory.pk, order="5"),
    )
    assert response.status_code == 302
    policy = Column.objects.get(organisation=dept_a, name="政策文件")
    assert policy.parent == columns.statutory and policy.order == 5
    assert events("catalog.column.create", policy).get().actor == officer_a
    assert "已添加栏目" in client.get(response["Location"]).content.decode()

    # Rename, change kind and parent in one edit; the event holds only what changed.
    response = client.post(
        reverse("catalog_staff:column_edit", args=[policy.pk]),
        column_post(name="政策文件库", kind=ColumnKind.SYSTEM, parent="", order="0"),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.name, policy.kind, policy.parent_id) == ("政策文件库", ColumnKind.SYSTEM, None)
    event = events("catalog.column.update", policy).get()
    assert event.before == {
        "name": "政策文件",
        "kind": "other",
        "parent": columns.statutory.pk,
        "order": 5,
    }
    assert event.after["name"] == "政策文件库" and event.organisation_id == dept_a.pk

    # Reorder: 年报 moves before 法定主动公开内容 on the tree page.
    client.post(
        reverse("catalog_staff:column_edit", args=[columns.report.pk]),
        column_post(name="年报", kind=ColumnKind.ANNUAL_REPORT, order="0"),
    )
    page = client.get(tree_url(dept_a)).content.decode()
    assert page.index("年报") < page.index("法定主动公开内容") < page.index("财政信息")
    assert events("catalog.column.update", columns.report).get().after == {"order": 0}

    # Saving unchanged data records nothing.
    client.post(
        reverse("catalog_staff:column_edit", args=[columns.report.pk]),
        column_post(name="年报", kind=ColumnKind.ANNUAL_REPORT, order="0"),
    )
    assert events("catalog.column.update", columns.report).count() == 1

    # Deactivate, then activate again.
    url = reverse("catalog_staff:column_active", args=[columns.finance.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"active": "0"})
    assert not Column.objects.get(pk=columns.finance.pk).is_active
    assert "停用" in client.get(tree_url(dept_a)).content.decode()
    client.post(url, {"active": "1"})
    assert Column.objects.get(pk=columns.finance.pk).is_active
    assert events("catalog.column.deactivate", columns.finance).count() == 1
    assert events("catalog.column.activate", columns.finance).count() == 1


def test_column_cannot_become_its_own_descendant(login, officer_a, dept_a, columns):
    client = login(officer_a)
    url = reverse("catalog_staff:column_edit", args=[columns.statutory.pk])
    form = client.get(url).content.decode()
    assert f'<option value="{columns.report.pk}"' in form
    assert f'<option value="{columns.budget.pk}"' not in form  # not offered …
    for parent in (columns.budget, columns.statutory):  # … and refused when posted
        response = client.post(
            url, column_post(name="法定主动公开内容", kind=ColumnKind.STATUTORY, parent=parent.pk)
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["parent"] == ["上级栏目不能是本栏目或它的下级栏目（会形成循环）。"]
        assert "会形成循环" in response.content.decode()
    assert Column.objects.get(pk=columns.statutory.pk).parent_id is None
    with pytest.raises(ActionError, match="循环") as exc:
        structure.save_column(
            officer_a, dept_a, {"parent": columns.finance}, column=columns.statutory
        )
    assert exc.value.field == "parent"
    assert not events("catalog.column.update").exists()


def test_column_parent_must_be_same_organisation(login, office, officer_a, dept_a, dept_b, columns):
    other = structure.save_column(office, dept_b, {"name": "财政局栏目"})
    response = login(officer_a).post(
        reverse("catalog_staff:column_new", args=[dept_a.pk]),
        column_post(name="新栏目", parent=other.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == ["上级栏目必须是本机构的栏目。"]
    # Even the office, who may manage both, cannot hang one organisation's column under another's.
    with pytest.raises(ActionError, match="上级栏目必须是本机构的栏目") as exc:
        structure.save_column(office, dept_a, {"name": "新栏目", "parent": other})
    assert exc.value.field == "parent"
    assert not Column.objects.filter(name="新栏目").exists()


def test_duplicate_column_name_is_a_form_error(login, officer_a, dept_a, dept_b, office, columns):
    client = login(officer_a)
    new_url = reverse("catalog_staff:column_new", args=[dept_a.pk])
    # Top level: the database constraint lets NULL parents repeat, the rule does not.
    response = client.post(new_url, column_post(name="年报"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "同一上级栏目下已有名为“年报”的栏目，请换一个名称。"
    ]
    # Under a parent (the database constraint's own case), also by renaming.
    response = client.post(new_url, column_post(name="财政信息", parent=columns.statutory.pk))
    assert "同一上级栏目下已有名为“财政信息”的栏目" in response.content.decode()
    sibling = structure.save_column(officer_a, dept_a, {"name": "决算", "parent": columns.finance})
    response = client.post(
        reverse("catalog_staff:column_edit", args=[sibling.pk]),
        column_post(name="预算", parent=columns.finance.pk),
    )
    assert response.status_code == 200
    assert "已有名为“预算”的栏目" in str(response.context["form"].errors["name"])
    assert Column.objects.filter(organisation=dept_a, name="年报").count() == 1
    # The same name elsewhere is fine: under another parent, or in another organisation.
    assert client.post(new_url, column_post(name="预算")).status_code == 302
    assert structure.save_column(office, dept_b, {"name": "年报"}).pk


def test_duplicate_saved_concurrently_is_still_a_form_error(
    login, officer_a, dept_a, columns, monkeypatch
):
    """The check before saving can race with another save; the constraint then answers."""
    monkeypatch.setattr(structure, "_column_name_taken", lambda column: False)
    response = login(officer_a).post(
        reverse("catalog_staff:column_new", args=[dept_a.pk]),
        column_post(name="预算", parent=columns.finance.pk),
    )
    assert response.status_code == 200
    assert "已有名为“预算”的栏目" in str(response.context["form"].errors["name"])
    assert Column.objects.filter(organisation=dept_a, name="预算").count() == 1
    assert (
        not events("catalog.column.create")
        .exclude(object_id__in=[str(c.pk) for c in vars(columns).values()])
        .exists()
    )


def test_top_level_duplicate_saved_concurrently_is_a_form_error(
    login, officer_a, dept_a, columns, monkeypatch
):
    """Top-level columns (no parent) are guarded by their own constraint: NULL parents never
    collide in column_unique_name."""
    monkeypatch.setattr(structure, "_column_name_taken", lambda column: False)
    response = login(officer_a).post(
        reverse("catalog_staff:column_new", args=[dept_a.pk]), column_post(name="年报")
    )
    assert response.status_code == 200
    assert "已有名为“年报”的栏目" in str(response.context["form"].errors["name"])
    assert Column.objects.filter(organisation=dept_a, name="年报").count() == 1


def test_tree_page_query_count_is_pinned(
    login, office, dept_a, columns, catalogue, django_assert_max_num_queries
):
    for i in range(15):
        parent = structure.save_column(office, dept_a, {"name": f"栏目{i}"})
        structure.save_column(office, dept_a, {"name": f"子栏目{i}", "parent": parent})
        domain = structure.save_catalogue_entry(office, dept_a, {"name": f"领域{i}"})
        structure.save_catalogue_entry(office, dept_a, {"name": f"事项{i}", "parent": domain})
    client = login(office)
    client.get(tree_url(dept_a))  # warm the site cache
    with django_assert_max_num_queries(8):
        page = client.get(tree_url(dept_a)).content.decode()
    assert "子栏目14" in page and "事项14" in page and "招生政策" in page


# --- Standard catalogue ------------------------------------------------------------------------


def test_catalogue_add_child_edit_and_delete(login, officer_a, dept_a, catalogue):
    client = login(officer_a)
    page = client.get(tree_url(dept_a)).content.decode()
    for label in ("领域", "公开内容（要素）", "公开依据", "公开时限", "公开渠道和载体"):
        assert label in page
    for label in ("公开对象", "公开方式", "排序", "一级事项", "二级事项"):
        assert label in page

    new_url = reverse("catalog_staff:catalogue_new", args=[dept_a.pk])
    form = client.get(f"{new_url}?parent={catalogue.item.pk}")
    assert form.context["form"].initial["domain"] == "义务教育"
    response = client.post(
        new_url,
        entry_post(
            name="划片范围",
            parent=catalogue.item.pk,
            domain="义务教育",
            content="学区划分、招生范围",
            basis="《中华人民共和国义务教育法》",
            order="2",
        ),
    )
    assert response.status_code == 302
    entry = StandardCatalogue.objects.get(organisation=dept_a, name="划片范围")
    assert entry.parent == catalogue.item and entry.basis == "《中华人民共和国义务教育法》"
    assert events("catalog.catalogue.create", entry).get().organisation_id == dept_a.pk
    assert "学区划分、招生范围" in client.get(tree_url(dept_a)).content.decode()

    response = client.post(
        reverse("catalog_staff:catalogue_edit", args=[entry.pk]),
        entry_post(
            name="划片范围",
            parent=catalogue.item.pk,
            domain="义务教育",
            content="学区划分、招生范围",
            basis="《中华人民共和国义务教育法》",
            time_limit="每年6月底前",
            order="2",
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.time_limit == "每年6月底前"
    assert events("catalog.catalogue.update", entry).get().after == {"time_limit": "每年6月底前"}

    delete_url = reverse("catalog_staff:catalogue_delete", args=[entry.pk])
    assert "确定删除" in client.get(delete_url).content.decode()
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not StandardCatalogue.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.get(action="catalog.catalogue.delete", object_id=str(entry.pk))
    assert event.before["name"] == "划片范围" and event.organisation_id == dept_a.pk


def test_catalogue_entry_in_use_is_not_deleted(login, officer_a, dept_a, catalogue):
    record = actions.create_record(
        officer_a,
        dept_a,
        {
            "title": "2026年义务教育招生政策",
            "made_on": dt.date(2026, 3, 2),
            "catalogue": catalogue.sub,
        },
    )
    client = login(officer_a)

    # With children: explained on the confirmation page, and the POST refuses too.
    page = client.get(reverse("catalog_staff:catalogue_delete", args=[catalogue.item.pk]))
    assert "该事项下还有 1 个下级事项" in page.content.decode()
    assert "确定删除" not in page.content.decode()
    response = client.post(
        reverse("catalog_staff:catalogue_delete", args=[catalogue.item.pk]), follow=True
    )
    assert "不能删除“招生入学”：该事项下还有 1 个下级事项" in response.content.decode()

    # With records: Record.catalogue is SET_NULL, so deleting would silently unclassify them.
    page = client.get(reverse("catalog_staff:catalogue_delete", args=[catalogue.sub.pk]))
    text = page.content.decode()
    assert "有 1 条政府信息（含草稿和已撤回的信息）归入该事项" in text
    assert "2026年义务教育招生政策" in text
    with pytest.raises(ActionError, match="有 1 条政府信息"):
        structure.delete_catalogue_entry(officer_a, catalogue.sub)
    assert (
        StandardCatalogue.objects.filter(pk__in=[catalogue.item.pk, catalogue.sub.pk]).count() == 2
    )
    record.refresh_from_db()
    assert record.catalogue_id == catalogue.sub.pk
    assert not events("catalog.catalogue.delete").exists()

    # Once the record is filed elsewhere the entry can go.
    actions.update_record(officer_a, record, {"catalogue": catalogue.item})
    structure.delete_catalogue_entry(officer_a, catalogue.sub)
    assert events("catalog.catalogue.delete", catalogue.sub).count() == 1


def test_catalogue_loops_and_fourth_level_are_refused(login, officer_a, dept_a, catalogue):
    client = login(officer_a)
    response = client.post(
        reverse("catalog_staff:catalogue_new", args=[dept_a.pk]),
        entry_post(name="第四级", parent=catalogue.sub.pk),
    )
    assert response.status_code == 200
    assert "标准目录最多三级" in response.context["form"].errors["parent"][0]
    response = client.post(
        reverse("catalog_staff:catalogue_edit", args=[catalogue.domain.pk]),
        entry_post(name="义务教育", parent=catalogue.sub.pk),
    )
    assert response.context["form"].errors["parent"] == [
        "上级事项不能是本事项或它的下级事项（会形成循环）。"
    ]
    # Moving 招生入学 (with its child) under another domain keeps three levels: allowed;
    # under another domain's item it would make four: refused.
    other = structure.save_catalogue_entry(officer_a, dept_a, {"name": "学前教育"})
    other_item = structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "幼儿园收费", "parent": other}
    )
    with pytest.raises(ActionError, match="最多三级"):
        structure.save_catalogue_entry(
            officer_a, dept_a, {"parent": other_item}, entry=catalogue.item
        )
    structure.save_catalogue_entry(officer_a, dept_a, {"parent": other}, entry=catalogue.item)
    assert StandardCatalogue.objects.get(pk=catalogue.item.pk).parent == other
    assert not StandardCatalogue.objects.filter(name="第四级").exists()


def test_catalogue_parent_must_be_same_organisation(login, office, officer_a, dept_a, dept_b):
    foreign = structure.save_catalogue_entry(office, dept_b, {"name": "财政预决算"})
    response = login(officer_a).post(
        reverse("catalog_staff:catalogue_new", args=[dept_a.pk]),
        entry_post(name="预算公开", parent=foreign.pk),
    )
    assert response.context["form"].errors["parent"] == ["上级事项必须是本机构标准目录中的事项。"]
    with pytest.raises(ActionError, match="上级事项必须是本机构的事项"):
        structure.save_catalogue_entry(office, dept_a, {"name": "预算公开", "parent": foreign})


# --- What the public sees ----------------------------------------------------------------------


def test_public_pages_show_the_changes(client, officer_a, dept_a, columns, catalogue):
    org_url = reverse("portal:disclosure_org", args=[dept_a.pk])
    guide_url = reverse("portal:disclosure_guide", args=[dept_a.pk])
    assert "法定主动公开内容" in client.get(org_url).content.decode()

    structure.save_column(
        officer_a, dept_a, {"name": "法定公开内容（2026版）"}, column=columns.statutory
    )
    structure.set_column_active(officer_a, columns.report, False)
    structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "学生资助", "parent": catalogue.domain}
    )
    structure.save_catalogue_entry(
        officer_a, dept_a, {"name": "校园安全", "time_limit": "每学期开学前"}
    )

    org_page = client.get(org_url).content.decode()
    assert "法定公开内容（2026版）" in org_page and "法定主动公开内容" not in org_page
    assert "年报" not in org_page  # deactivated
    assert "学生资助" in org_page and "校园安全" in org_page
    guide = client.get(guide_url).content.decode()
    assert "法定公开内容（2026版）" in guide
    assert "校园安全</a>（公开时限：每学期开学前）" in guide


def test_public_pages_show_every_level_and_hide_deactivated_branches(
    client, officer_a, dept_a, columns, catalogue
):
    """二级事项 and third-level columns reach the public pages; a deactivated column takes its
    active children off them too."""
    org_url = reverse("portal:disclosure_org", args=[dept_a.pk])
    guide_url = reverse("portal:disclosure_guide", args=[dept_a.pk])
    for url in (org_url, guide_url):
        page = client.get(url).content.decode()
        assert "招生政策" in page, url  # 二级事项
        assert "预算" in page, url  # 法定主动公开内容 → 财政信息 → 预算
    org_page = client.get(org_url).content.decode()
    assert f"?catalogue={catalogue.sub.pk}" in org_page
    assert f"?column={columns.budget.pk}" in org_page

    structure.set_column_active(officer_a, columns.finance, False)
    for url in (org_url, guide_url):
        page = client.get(url).content.decode()
        assert "财政信息" not in page and "预算" not in page, url
        assert "法定主动公开内容" in page, url
