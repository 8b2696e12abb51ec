"""栏目与标准目录 in a real browser: the openness office picks a department, adds a column and is
told in Chinese when the name is taken, adds a catalogue entry under a domain, and the
department's public page shows both."""

import re

from gongkai.catalog import structure
from gongkai.catalog.models import ColumnKind
from gongkai.testing import PASSWORD


def test_office_edits_columns_and_catalogue(live_server, page, office, dept_a, tmp_path):
    structure.save_column(
        office, dept_a, {"name": "法定主动公开内容", "kind": ColumnKind.STATUTORY}
    )
    structure.save_catalogue_entry(office, dept_a, {"name": "义务教育", "domain": "义务教育"})
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))

    page.get_by_role("link", name="信息发布").click()
    page.get_by_role("link", name="栏目与标准目录").click()
    page.get_by_label("机构", exact=True).select_option(label="济宁市教育局")
    page.get_by_role("button", name="查看").click()
    assert "栏目与标准目录 · 济宁市教育局" in page.locator("h1").inner_text()

    page.get_by_role("link", name="添加栏目").click()
    page.get_by_label("栏目名称").fill("法定主动公开内容")
    page.get_by_role("button", name="保存").click()
    assert "已有名为“法定主动公开内容”的栏目" in page.locator(".errorlist").inner_text()
    page.get_by_label("栏目名称").fill("招生信息")
    page.get_by_label("上级栏目").select_option(label="法定主动公开内容")
    page.get_by_role("button", name="保存").click()
    assert "已添加栏目“招生信息”" in page.locator(".messages").inner_text()

    page.get_by_role("row", name=re.compile("义务教育")).get_by_role(
        "link", name="添加下级事项"
    ).click()
    assert page.get_by_label("领域").input_value() == "义务教育"
    page.get_by_label("事项名称").fill("招生入学")
    page.get_by_label("公开内容（要素）").fill("招生计划、招生范围、招生结果")
    page.get_by_role("button", name="保存").click()
    assert "已添加标准目录事项“招生入学”" in page.locator(".messages").inner_text()
    catalogue = page.get_by_role("region", name="政务公开事项标准目录").inner_text()
    assert "招生计划、招生范围、招生结果" in catalogue and "一级事项" in catalogue
    page.screenshot(path=str(tmp_path / "structure.png"), full_page=True)

    page.get_by_role("link", name="在门户网站查看").click()
    main = page.locator("main").inner_text()
    assert "招生信息" in main and "招生入学" in main
