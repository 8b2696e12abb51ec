"""The first journey: a visitor opens the portal, an officer logs in to the staff area."""

import re

from gongkai.testing import PASSWORD


def test_home_page_and_officer_login(live_server, page, government, officer_a, tmp_path):
    page.goto(live_server.url + "/")
    assert page.title().startswith("济宁市人民政府")
    assert page.locator(".site-title").inner_text().strip().endswith("济宁市人民政府")
    # Keyboard users reach the content first: the skip link is the first focusable element.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # Font-size control (适老化) switches and is remembered.
    page.get_by_role("button", name="大字号").click()
    assert page.locator("html").get_attribute("data-font") == "large"
    page.reload()
    assert page.locator("html").get_attribute("data-font") == "large"
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    page.get_by_role("link", name="工作人员登录").click()
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("用户名或密码不正确")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))
    assert "济宁市教育局" in page.locator("main").inner_text()
    assert "信息员" in page.locator("main").inner_text()
    # An officer's menu has no office-only entries.
    assert page.get_by_role("link", name="操作日志").count() == 0
    page.screenshot(path=str(tmp_path / "staff.png"), full_page=True)

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(live_server.url + "/")
