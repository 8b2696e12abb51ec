"""The disclosure journey in a real browser: an officer drafts a normative document, is stopped
for lacking an interpretation (三同步), adds one and submits; the approver reviews and
publishes; a visitor finds it by a two-character word and by its document number in another
bracket form, opens it and follows the link to the interpretation."""

import re

from gongkai.testing import PASSWORD


def login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def test_publish_normative_document_and_find_it(
    live_server, page, government, dept_a, officer_a, approver_a, tmp_path
):
    base = live_server.url
    login(page, base, "officer_a")
    page.get_by_role("link", name="信息发布").click()
    page.get_by_role("link", name="新建政府信息").click()
    page.get_by_label("标题").fill("济宁市中小学校课后服务管理办法")
    page.get_by_label("文号").fill("济教发〔2026〕9号")
    page.get_by_label("体裁分类").select_option(label="行政规范性文件")
    page.get_by_label("主题分类").select_option(label="科技、教育")
    page.get_by_label("正文").fill("为规范课后服务，推进教育领域政务公开，制定本办法。")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/manage/catalog/\d+/$"))
    assert "已保存草稿" in page.locator(".messages").inner_text()

    page.get_by_role("button", name="提交保密审查").click()
    alert = page.locator(".message-error").inner_text()
    assert "政策解读" in alert and "三同步" in alert
    assert page.locator("#record-status").inner_text() == "草稿"

    page.get_by_label("解读标题").fill("《济宁市中小学校课后服务管理办法》政策解读")
    page.get_by_label("解读内容").fill("一、制定背景。二、主要内容。")
    page.get_by_role("button", name="添加解读").click()
    assert "已添加政策解读" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="提交保密审查").click()
    assert page.locator("#record-status").inner_text() == "保密审查中"
    record_url = page.url
    page.screenshot(path=str(tmp_path / "officer.png"), full_page=True)
    logout(page)

    login(page, base, "approver_a")
    page.goto(record_url)
    page.get_by_role("button", name="审核通过").click()
    assert page.locator("#record-status").inner_text() == "已审核"
    page.get_by_role("button", name="发布", exact=True).click()
    assert page.locator("#record-status").inner_text() == "已发布"
    logout(page)

    # A visitor searches with a two-character word …
    page.goto(base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="全文检索").click()
    page.get_by_label("检索词").fill("公开")
    page.get_by_role("button", name="检索").click()
    results = page.locator(".search-results")
    assert "济宁市中小学校课后服务管理办法" in results.inner_text()
    assert results.locator("mark").first.inner_text() == "公开"
    # … and by the document number typed with other brackets.
    page.get_by_label("检索词").fill("济教发[2026]9号")
    page.get_by_role("button", name="检索").click()
    assert page.locator(".search-count").inner_text() == "找到 1 条结果"
    page.locator(".search-results").get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "济宁市中小学校课后服务管理办法"
    assert "济教发〔2026〕9号" in page.locator("table.meta").inner_text()
    page.get_by_role("link", name="《济宁市中小学校课后服务管理办法》政策解读").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "《济宁市中小学校课后服务管理办法》政策解读"
    )
    assert "一、制定背景" in page.locator("main").inner_text()
    # The interpretation links back to the policy.
    page.get_by_role("link", name="济宁市中小学校课后服务管理办法").click()
    assert "/disclosure/records/" in page.url
    page.screenshot(path=str(tmp_path / "visitor.png"), full_page=True)
