"""The consultation journey in a real browser: the office opens a consultation on a draft, a
citizen comments (with the accessible one-time code), the office marks the comment not
adopted with a reason and publishes the feedback, and the citizen reads the reason."""

import datetime as dt
import re
import uuid

from django.utils import timezone

from gongkai.testing import PASSWORD, answer_one_time_code


def _contact() -> str:
    return f"c{uuid.uuid4().hex[:10]}@example.com"


def _login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))


def test_consultation_comment_feedback_journey(
    live_server, browser, government, dept_a, office, tmp_path
):
    base = live_server.url
    today = timezone.localdate()
    title = "济宁市义务教育课后服务管理办法（征求意见稿）"
    reason = "课后服务收费标准由省级价格主管部门统一制定，本办法不作调整。"

    office_ctx = browser.new_context(locale="zh-CN")
    staff = office_ctx.new_page()
    staff.set_default_timeout(15000)
    _login(staff, base, "office")
    staff.goto(base + "/manage/participation/")
    staff.get_by_role("link", name="征求意见", exact=True).first.click()
    staff.get_by_role("link", name="新建征求意见").click()
    staff.get_by_label("征集单位").select_option(label="济宁市教育局")
    staff.get_by_label("征求意见稿名称").fill(title)
    staff.get_by_label("文件类型").select_option(label="行政规范性文件")
    staff.get_by_label("征求意见说明").fill("为规范课后服务，现向社会公开征求意见。")
    staff.get_by_label("草案正文").fill(
        "第一条 为规范课后服务，制定本办法。\n第二条 课后服务坚持自愿原则。"
    )
    staff.get_by_label("开始日期").fill(today.isoformat())
    staff.get_by_label("截止日期").fill((today + dt.timedelta(days=29)).isoformat())
    staff.get_by_role("button", name="保存").click()
    staff.get_by_role("button", name="发布征求意见").click()
    assert "征求意见已发布" in staff.locator(".messages").inner_text()

    # A citizen finds the draft on the portal and comments, using the one-time code.
    citizen_ctx = browser.new_context(locale="zh-CN")
    citizen = citizen_ctx.new_page()
    citizen.set_default_timeout(15000)
    citizen.goto(base + "/")
    citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="政民互动").click()
    citizen.get_by_role("link", name="意见征集", exact=True).click()
    citizen.get_by_role("link", name=title).click()
    assert "征求意见中" in citizen.locator("main").inner_text()
    citizen.get_by_role("link", name="无法看到图片？改用邮箱或手机验证码").click()
    citizen.get_by_label("意见内容").fill("<script>alert(1)</script>建议取消课后服务收费。")
    citizen.get_by_label("姓名（选填，公开时隐去）").fill("张三丰")
    citizen.get_by_label("联系方式（选填，不公开）").fill("13812345678")
    answer_one_time_code(citizen, _contact())
    citizen.get_by_role("button", name="提交意见").click()
    assert "您的意见已提交" in citizen.locator(".messages").inner_text()
    comment_url = citizen.url

    # The office closes the consultation, marks the comment not adopted, publishes feedback.
    staff.reload()
    staff.locator("#id_close-reason").fill("已收集到足够意见")
    staff.get_by_role("button", name="提前结束征求意见").click()
    assert "已提前结束征求意见" in staff.locator(".messages").inner_text()
    comment = staff.locator("article.comment").first
    assert "<script>alert(1)</script>建议取消课后服务收费。" in comment.inner_text()
    comment.locator("select[name$='-disposition']").select_option(label="未采纳")
    comment.locator("input[name$='-topic']").fill("收费问题")
    comment.locator("textarea[name$='-reason']").fill(reason)
    comment.get_by_role("button", name="保存采纳情况").click()
    assert "采纳情况已保存" in staff.locator(".messages").inner_text()
    staff.get_by_role("button", name="公开反馈").click()
    assert "意见采纳情况反馈已公开" in staff.locator(".messages").inner_text()
    staff.screenshot(path=str(tmp_path / "staff-consultation.png"), full_page=True)

    # The citizen sees what became of the comment, with the name masked.
    citizen.goto(comment_url)
    feedback = citizen.locator("#feedback")
    text = feedback.inner_text()
    assert "未采纳" in text and reason in text
    assert (
        "张**" in text
        and "张三丰" not in citizen.content()
        and "13812345678" not in citizen.content()
    )
    assert "<script>alert(1)</script>建议取消课后服务收费。" in text  # shown as text, not run
    assert "已于" in citizen.locator("#comment-form").inner_text()
    citizen.screenshot(path=str(tmp_path / "citizen-feedback.png"), full_page=True)
    office_ctx.close()
    citizen_ctx.close()


def test_message_and_open_day_journey(live_server, browser, government, dept_a, office):
    """A citizen writes to the leader's mailbox and signs up for an open day; the office routes
    and answers the message and publishes it; the published page hides the writer's data."""
    from gongkai.participation import actions

    base = live_server.url
    now = timezone.now()
    day = actions.create_open_day(
        office,
        dept_a,
        title="走进市教育局",
        theme="教育惠民政策",
        place="济宁市教育局",
        starts_at=now + dt.timedelta(days=7),
        ends_at=now + dt.timedelta(days=7, hours=2),
        capacity=10,
        signup_closes_at=now + dt.timedelta(days=5),
    )
    actions.publish_open_day(office, day)

    citizen_ctx = browser.new_context(locale="zh-CN")
    citizen = citizen_ctx.new_page()
    citizen.set_default_timeout(15000)
    citizen.goto(base + "/participation/")
    citizen.get_by_role("link", name="我要写信").click()
    citizen.get_by_role("link", name="无法看到图片？改用邮箱或手机验证码").click()
    citizen.get_by_label("写信对象").select_option(label="济宁市教育局")
    citizen.get_by_label("标题").fill("建议在学校门口设置护学岗")
    citizen.get_by_label("留言内容").fill(
        "我是家长吴刚，电话13512345678，上下学时段校门口交通混乱。"
    )
    citizen.get_by_label("姓名（不公开）").fill("吴刚")
    citizen.get_by_label("联系电话（不公开）").fill("13512345678")
    citizen.get_by_label("同意在网站公开留言及答复（姓名隐去，个人信息不公开）").check()
    answer_one_time_code(citizen, _contact())
    citizen.get_by_role("button", name="提交留言").click()
    assert "您的留言已提交" in citizen.locator(".messages").inner_text()

    citizen.goto(base + f"/participation/open-days/{day.pk}/?captcha=code")
    citizen.get_by_label("姓名").fill("吴刚")
    citizen.get_by_label("联系电话").fill("13512345678")
    answer_one_time_code(citizen, _contact())
    citizen.get_by_role("button", name="报名").click()
    assert "报名成功" in citizen.locator(".messages").inner_text()
    assert "剩余 9" in citizen.locator("main").inner_text()

    staff_ctx = browser.new_context(locale="zh-CN")
    staff = staff_ctx.new_page()
    staff.set_default_timeout(15000)
    _login(staff, base, "office")
    staff.goto(base + "/manage/participation/messages/")
    staff.get_by_role("link", name="建议在学校门口设置护学岗").click()
    staff.get_by_label("答复内容").fill("已协调公安交警部门在上下学时段设置护学岗。")
    staff.get_by_label("同时公开").check()
    staff.get_by_role("button", name="保存答复").click()
    assert "答复已保存" in staff.locator(".messages").inner_text()

    citizen.goto(base + "/participation/messages/")
    citizen.get_by_role("link", name="建议在学校门口设置护学岗").click()
    text = citizen.locator("main").inner_text()
    assert "已协调公安交警部门" in text and "吴*" in text and "135****5678" in text
    assert "吴刚" not in citizen.content() and "13512345678" not in citizen.content()
    staff_ctx.close()
    citizen_ctx.close()
