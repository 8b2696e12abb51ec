"""The annual report journey in a real browser: the department's approver drafts the report from
the platform's data, is stopped by a text number that disagrees with the table, corrects it,
checks and publishes; the public finds the report on the portal; the statistics dashboard draws
its ECharts charts under the site's CSP (no inline script) with a table view beside each."""

import re

from gongkai.reports.tests.conftest import world  # noqa: F401 - the hand-computed scenario
from gongkai.testing import PASSWORD

TEXT = {
    "一、总体情况": "2025年，市教育局认真落实条例要求，推进政务公开。",
    "二、主动公开政府信息情况": "本年度主动公开政府信息。",
    "三、收到和处理政府信息公开申请情况": "本年度新收政府信息公开申请2件，上年结转1件。",
    "四、政府信息公开行政复议、行政诉讼情况": "本年度行政复议1件，尚未审结。",
    "五、存在的主要问题及改进情况": "解读形式单一，下一步将丰富解读形式。",
    "六、其他需要报告的事项": "本年度未收取信息处理费。",
}


def _login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))


def test_annual_report_journey(live_server, page, world, dept_a, approver_a):  # noqa: F811
    base = live_server.url
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(page.url + " " + msg.text) if msg.type == "error" else None,
    )
    _login(page, base, "approver_a")
    errors.clear()  # only this area's pages are judged here (the login page is the shell's)
    page.goto(base + "/manage/reports/?year=2025")
    board = page.locator("#board")
    assert "济宁市教育局" in board.inner_text() and "未起草" in board.inner_text()
    board.get_by_role("link", name="起草").click()
    page.get_by_role("button", name="根据平台数据起草").click()
    assert "已根据平台数据起草报告" in page.locator(".messages").inner_text()
    assert page.locator("#report-status").inner_text() == "已起草"
    assert (
        "本年度新收政府信息公开申请7件"
        in page.get_by_label("三、收到和处理政府信息公开申请情况").input_value()
    )

    for label, text in TEXT.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="保存新版本").click()
    page.get_by_role("button", name="校验").click()
    checks = page.locator("#checks").inner_text()
    assert "即本年新收申请 2，但表格中为 7或8" in checks
    assert page.get_by_role("button", name="发布").is_disabled()

    page.get_by_label("三、收到和处理政府信息公开申请情况").fill(
        "本年度新收政府信息公开申请7件，上年结转1件，结转下年度继续办理1件。"
    )
    page.get_by_role("button", name="保存新版本").click()
    page.get_by_role("button", name="校验").click()
    assert "校验通过" in page.locator(".messages").inner_text()
    assert page.locator("#report-status").inner_text() == "已校验"
    page.get_by_role("button", name="发布").click()
    assert "年度报告已发布" in page.locator(".messages").inner_text()

    page.goto(base + "/annual-reports/")
    page.get_by_role("link", name="济宁市教育局2025年政府信息公开工作年度报告").click()
    assert "四、结转下年度继续办理" in page.locator("article").inner_text()

    page.goto(base + f"/manage/reports/stats/?year=2025&org={dept_a.pk}")
    chart = page.locator('[data-chart="requests_by_month"][data-drawn="true"]')
    chart.locator("canvas").first.wait_for()
    page.get_by_text("表格视图").first.click()
    table = page.locator('[data-table="requester_kinds"]')
    page.locator("details").nth(2).locator("summary").click()
    assert "自然人" in table.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
