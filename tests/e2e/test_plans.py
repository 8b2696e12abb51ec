"""The work-plan journey in a real browser: the office imports the sample .docx, checks the
preview and confirms; an officer reports progress; the lead organisation accepts it; the office
generates a circular and downloads it."""

from __future__ import annotations

import io
import re

import docx

from gongkai.plans.models import Assignment, ReportState, WorkPlan
from gongkai.plans.tests.conftest import JINING_DOCX, jining, people, tengzhou  # noqa: F401
from gongkai.testing import PASSWORD

FGW = "济宁市发展和改革委员会"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/manage/$"))


def test_import_report_accept_and_circular(live_server, page, people, tmp_path):  # noqa: F811
    base = live_server.url
    # The office uploads the task table and sees the preview.
    login(page, base, "office")
    page.get_by_role("link", name="工作台账").first.click()
    page.get_by_role("link", name="导入工作要点或任务分解表").click()
    page.get_by_label("文件").set_input_files(str(JINING_DOCX))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url(re.compile(r"/manage/plans/import/\d+/$"))
    assert "共 66 项" in page.get_by_test_id("summary").inner_text()
    # A name the resolver does not know is highlighted and blocks the import.
    page.get_by_label("第2项牵头部门").fill("市发展改革委、市月球开发局")
    page.get_by_role("button", name="保存修改并重新检查").click()
    assert page.locator("mark", has_text="市月球开发局").count() >= 1
    assert page.locator('[data-count="problems"]').inner_text() == "1"
    page.get_by_label("第2项牵头部门").fill("市发展改革委")
    page.get_by_label("印发日期").fill("2021-03-01")
    # 「市政府有关部门、单位」 stays the collective until the office picks who takes part.
    page.get_by_role("checkbox", name=FGW).first.check()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/manage/plans/\d+/$"))
    plan = WorkPlan.objects.get()
    assert plan.tasks.count() == 66 and "已导入" in page.locator(".messages").inner_text()
    page.screenshot(path=str(tmp_path / "ledger.png"))

    # The 发改委 officer reports progress on task 1.
    assignment = Assignment.objects.get(task__plan=plan, task__n=1, organisation__name=FGW)
    login(page, base, "fgw")
    page.goto(f"{base}/manage/plans/assignments/{assignment.pk}/")
    page.get_by_role("textbox", name="落实情况").fill(
        "已在政府网站集中公开“十四五”规划和专项规划。"
    )
    page.get_by_label("完成进度（%）").fill("100")
    page.get_by_label("佐证链接").fill("https://www.jining.gov.cn/plan.html")
    page.get_by_role("button", name="报送").click()
    assert "等待牵头部门确认" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="确认").count() == 0  # not their own report

    # The lead organisation's head accepts it.
    login(page, base, "fgw_head")
    page.goto(f"{base}/manage/plans/assignments/{assignment.pk}/")
    page.get_by_label(re.compile("审核意见")).fill("属实")
    page.get_by_role("button", name="确认", exact=True).click()
    assert "已确认该落实情况" in page.locator(".messages").inner_text()
    assignment.refresh_from_db()
    assert assignment.progress == 100
    assert assignment.reports.get().state == ReportState.ACCEPTED

    # The office generates 督查通报第1期 and downloads it.
    login(page, base, "office")
    page.goto(f"{base}/manage/plans/{plan.pk}/")
    page.get_by_role("link", name="督查通报").click()
    page.get_by_label("通报期开始").fill("2021-03-01")
    page.get_by_label("通报期截止").fill("2021-07-01")
    page.get_by_role("button", name="生成通报").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载督查通报第1期（Word）").click()
    download = info.value
    assert download.suggested_filename == "督查通报第1期.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "政务公开工作督查通报" in text and "第1期" in text and "已完成1项" in text
    assert document.tables[0].rows[0].cells[0].text == "序号"
