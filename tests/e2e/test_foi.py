"""The 依申请公开 journey in a real browser: a citizen applies online → the office confirms
receipt → an officer asks for a correction → the citizen corrects with the tracking code → the
officer asks for an extension and the approver grants it → the officer drafts a 部分公开 reply,
it is reviewed, signed and delivered → the citizen downloads the letter."""

import io
import re
import uuid

from django.conf import settings
from django.test import Client

from gongkai.foi.models import InfoRequest, State
from gongkai.testing import answer_one_time_code, solve_captcha


def _staff_page(browser, live_server, user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _answer_captcha(page):
    answer = solve_captcha(page.content())
    page.locator('input[name="captcha_1"]').fill(answer["captcha_1"])


def _act(page, name, fields=None, button=None):
    """Do one of the actions the case page offers: the next step is open; the others open on
    demand (a click on their summary)."""
    section = page.locator(f"#action-{name}")
    if section.evaluate("el => el.tagName") == "DETAILS" and not section.evaluate("el => el.open"):
        section.locator("summary").click()
    for label, value in (fields or {}).items():
        field = section.get_by_label(label, exact=True)
        if field.count() != 1:
            field = section.get_by_label(label, exact=False)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-error").count() == 0, page.locator("main").inner_text()


def test_foi_journey(
    live_server, page, browser, government, dept_a, office, officer_a, approver_a, tmp_path
):
    # 1. A citizen applies online, using the accessible one-time code instead of the image.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="依申请公开").first.click()
    page.get_by_role("link", name="改用邮箱或手机验证码").click()
    page.get_by_label("向哪个机关申请").select_option(label="济宁市教育局")
    page.get_by_label("姓名或单位名称").fill("赵六")
    page.get_by_label("证件号码").fill("370802199001011248")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("电子邮箱", exact=True).fill("zhaoliu@example.com")
    page.get_by_label("所需政府信息的名称或内容描述").fill("2025年全市中小学校舍安全检查报告")
    page.get_by_label("身份证明").set_input_files(
        files=[{"name": "id.png", "mimeType": "image/png", "buffer": b"\x89PNG fake"}]
    )
    assert page.locator(".captcha-image").count() == 0
    answer_one_time_code(page, f"zl{uuid.uuid4().hex[:8]}@example.com")
    # The form came back with everything typed except the file, which a browser never keeps.
    assert page.get_by_label("姓名或单位名称").input_value() == "赵六"
    page.get_by_label("身份证明").set_input_files(
        files=[{"name": "id.png", "mimeType": "image/png", "buffer": b"\x89PNG fake"}]
    )
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)
    req = InfoRequest.objects.get(tracking_code=code)
    assert req.state == State.SUBMITTED

    # 2. The office confirms receipt.
    office_page = _staff_page(browser, live_server, office)
    office_page.goto(live_server.url + "/manage/foi/?tab=submitted")
    office_page.get_by_role("link", name=code).click()
    _act(office_page, "receive")
    assert office_page.locator("#state").inner_text() == "已受理"
    assert office_page.locator("#due-date").is_visible()

    # 3. The officer of the department asks for a correction.
    officer = _staff_page(browser, live_server, officer_a)
    officer.goto(live_server.url + "/manage/foi/")
    req.refresh_from_db()
    officer.get_by_role("link", name=req.ref).click()
    _act(officer, "request_correction", {"需要补正的事项": "请写明具体学段和区县。"})
    assert officer.locator("#state").inner_text() == "待补正"

    # 4. The citizen corrects with the tracking code and phone number.
    page.goto(live_server.url + "/foi/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("申请时填写的联系电话或电子邮箱").fill("13812345678")
    _answer_captcha(page)
    page.get_by_role("button", name="查询").click()
    assert "请写明具体学段和区县" in page.locator("main").inner_text()
    page.get_by_label("补正内容").fill("初中学段，任城区。")
    page.get_by_role("button", name="提交补正").click()
    assert page.locator("#status").inner_text() == "办理中"

    # 5. The officer asks for an extension; the approver grants it.
    officer.reload()
    due_before = officer.locator("#due-date").inner_text()
    _act(officer, "propose_extension", {"延长工作日数": "10", "延期理由": "需要汇总各学校资料"})
    boss = _staff_page(browser, live_server, approver_a)
    boss.goto(live_server.url + f"/manage/foi/{req.pk}/")
    _act(boss, "extend")
    assert "已延期 10 个工作日" in boss.locator("#clock").inner_text()
    assert boss.locator("#due-date").inner_text() != due_before

    # 6. 部分公开 reply: drafted, submitted, reviewed and signed.
    officer.reload()
    _act(
        officer,
        "draft_reply",
        {"办理结果": "部分公开", "不予公开的内容及理由": "第3页含学生个人信息，已删去。"},
    )
    assert "部分公开" in officer.locator("#reply").inner_text()
    _act(officer, "submit_reply")
    boss.reload()
    assert boss.locator("#next-step #action-review_reply").count() == 1  # the next step
    boss.locator("#action-review_reply").get_by_label("同意").check()
    _act(boss, "review_reply")
    boss.locator("#action-sign_reply").get_by_label("同意").check()
    _act(boss, "sign_reply")
    assert boss.locator("#state").inner_text() == "已答复"
    officer.reload()
    _act(officer, "deliver", {"送达方式": "网上送达（本平台）"})
    assert officer.locator("#state").inner_text() == "已送达"
    officer.screenshot(path=str(tmp_path / "request.png"), full_page=True)

    # 7. The citizen downloads the reply letter.
    page.reload()
    assert page.locator("#status").inner_text() == "已送达"
    item = page.locator("li", has_text="政府信息公开申请答复书")
    with page.expect_download() as info:
        item.get_by_role("link", name="下载 Word").click()
    data = info.value.path().read_bytes()
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "政府信息公开申请答复书" in text and "区分处理" in text and "行政复议" in text
    req.refresh_from_db()
    assert (req.state, req.outcome, req.extended) == (State.DELIVERED, "partly_disclosed", True)
