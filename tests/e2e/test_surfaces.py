"""Staff work surfaces and the citizen's follow-up in a real browser: an officer handles a
request from the case page using only the actions it offers, the reviewer and the signer find
it in their queues; the office adds a department and an officer with a role, and that officer
logs in; a citizen follows up an enquiry by its code."""

import re

from gongkai.foi.models import InfoRequest, State
from gongkai.foi.tests.conftest import received, reviewer_a  # noqa: F401  (fixtures)
from gongkai.participation import actions as participation_actions
from gongkai.participation.models import Enquiry
from gongkai.testing import solve_captcha

from .test_foi import _staff_page


def _next_step(page, name, fields=None, decision=None):
    """Do the case page's next step; it must be the one offered there."""
    step = page.locator(f"#next-step #action-{name}")
    assert step.count() == 1, page.locator("#next-step").inner_text()
    for label, value in (fields or {}).items():
        field = step.get_by_label(label, exact=True)
        if field.count() != 1:
            field = step.get_by_label(label, exact=False)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    if decision:
        step.get_by_label(decision).check()
    step.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-error").count() == 0, page.locator("main").inner_text()


def test_case_page_and_review_queues(
    live_server,
    browser,
    received,  # noqa: F811
    officer_a,
    reviewer_a,  # noqa: F811
    approver_a,
):
    officer = _staff_page(browser, live_server, officer_a)
    officer.goto(live_server.url + f"/manage/foi/{received.pk}/")
    assert officer.locator("#state").inner_text() == "办理中"
    assert officer.locator("#clock").is_visible()
    # The other lawful actions are there, folded away.
    assert officer.locator("#more-actions details.action").count() >= 3
    assert not officer.locator("#action-request_correction form").is_visible()
    _next_step(
        officer,
        "draft_reply",
        {"办理结果": "部分公开", "不予公开的内容及理由": "第3页含学生个人信息，已删去。"},
    )
    _next_step(officer, "submit_reply")

    reviewer = _staff_page(browser, live_server, reviewer_a)
    reviewer.goto(live_server.url + "/manage/")
    reviewer.locator("#inbox-review").click()
    row = reviewer.locator("#requests tbody tr", has_text="答复待审核")
    assert row.count() == 1
    row.get_by_role("link").first.click()
    _next_step(reviewer, "review_reply", decision="同意")

    signer = _staff_page(browser, live_server, approver_a)
    signer.goto(live_server.url + "/manage/")
    signer.locator("#inbox-sign").click()
    signer.locator("#requests tbody tr", has_text="答复待签发").get_by_role("link").first.click()
    _next_step(signer, "sign_reply", decision="同意")
    assert signer.locator("#state").inner_text() == "已答复"
    received.refresh_from_db()
    assert received.state == State.REPLIED
    assert InfoRequest.objects.get(pk=received.pk).reply.signed_by == approver_a


def test_office_adds_a_department_and_an_officer_who_logs_in(
    live_server, browser, office, government
):
    page = _staff_page(browser, live_server, office)
    page.goto(live_server.url + "/manage/")
    page.get_by_role("link", name="机构与人员").first.click()
    page.get_by_role("link", name="新增机构").click()
    page.get_by_label("全称").fill("济宁市数据局")
    page.get_by_label("简称").fill("市数据局")
    page.get_by_label("类型").select_option(label="政府工作部门")
    page.get_by_label("上级机构").fill("济宁市人民政府")
    page.get_by_role("button", name="新增机构").click()
    assert page.locator("h1").inner_text().startswith("济宁市数据局")
    page.get_by_label("联系电话").fill("0537-2960901")
    page.locator("#edit").get_by_role("button", name="保存").click()
    assert "机构信息已保存" in page.locator(".messages").inner_text()
    page.locator("#person_add summary").click()
    page.get_by_label("姓名").fill("周九")
    page.get_by_label("登录用户名").fill("zhoujiu")
    page.locator("#person_add").get_by_label("角色").select_option(label="信息员")
    page.get_by_label("初始密码").fill("Shuju-2026-zj")
    page.get_by_role("button", name="开通账号").click()
    assert "已为周九开通账号" in page.locator(".messages").inner_text()
    assert "信息员" in page.locator("#members").inner_text()

    newcomer = browser.new_context(locale="zh-CN").new_page()
    newcomer.goto(live_server.url + "/accounts/login/")
    newcomer.get_by_label("用户名").fill("zhoujiu")
    newcomer.get_by_label("密码").fill("Shuju-2026-zj")
    newcomer.get_by_role("button", name="登录").click()
    newcomer.wait_for_url(re.compile(r"/manage/$"))
    assert "济宁市数据局" in newcomer.locator("main").inner_text()


def test_citizen_follows_up_an_enquiry_by_its_code(live_server, page, government, dept_a, office):
    page.goto(live_server.url + "/participation/enquiries/ask/")
    page.get_by_label("咨询单位").select_option(label="济宁市教育局")
    page.get_by_label("咨询标题").fill("义务教育入学政策咨询")
    page.get_by_label("咨询内容").fill("外地户籍子女如何在任城区入学？")
    page.get_by_label("姓名（不公开）").fill("钱七")
    page.get_by_label("联系方式（不公开）").fill("13905370011")
    page.locator('input[name="captcha_1"]').fill(solve_captcha(page.content())["captcha_1"])
    page.get_by_role("button", name="提交咨询").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    enquiry = Enquiry.objects.get(tracking_code=code)
    participation_actions.answer_enquiry(office, enquiry, answer="持居住证到学区学校报名。")

    later = page.context.browser.new_context(locale="zh-CN").new_page()  # another day, no session
    later.goto(live_server.url + "/participation/follow-up/")
    later.get_by_label("查询码").fill(code.lower())
    later.get_by_label("提交时填写的联系电话或电子邮箱").fill("139 0537 0011")
    later.locator('input[name="captcha_1"]').fill(solve_captcha(later.content())["captcha_1"])
    later.get_by_role("button", name="查询").click()
    assert later.locator("#status").inner_text() == "已答复"
    assert "持居住证到学区学校报名" in later.locator("#answer").inner_text()
