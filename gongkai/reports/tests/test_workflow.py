"""The report over HTTP: draft → edit (versions) → check (errors explained) → publish as a
catalog record → public list and API; the status board; outsiders get 404."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from gongkai.reports import actions, layout
from gongkai.reports.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.django_db

GOOD_TEXT = {
    "overview": "2025年，市教育局认真落实条例要求，推进政务公开。",
    "proactive": "本年度主动公开政府信息。",
    "requests": "本年度新收政府信息公开申请7件，上年结转1件，办结申请7件，其中予以公开1件。",
    "review": "本年度行政复议1件，尚未审结。",
    "problems": "存在的主要问题是解读形式单一，下一步将丰富解读形式。",
    "other": "本年度未收取信息处理费。",
}


def _url(name, org, year=2025, *extra):
    return reverse(f"reports_staff:{name}", args=[org.pk, year, *extra])


def _do(client, org, name, data=None, year=2025):
    return client.post(_url("action", org, year, name), data or {}, follow=True)


def _figures(user, org):
    for key in ("licensing", "penalty", "enforcement", "fees_wan_yuan"):
        actions.set_figure(user, org, 2025, key, "0", "部门业务系统")


def test_draft_edit_check_publish(world, dept_a, officer_a, approver_a, login, client):
    c = login(officer_a)
    page = c.get(_url("report", dept_a))
    assert page.status_code == 200 and "根据平台数据起草" in page.content.decode()
    _do(c, dept_a, "draft")
    report = AnnualReport.objects.get(organisation=dept_a, year=2025)
    assert report.status == ReportStatus.DRAFTED and report.latest.number == 1
    assert report.latest.tables["table3"]["new"]["total"] == 7
    page = c.get(_url("report", dept_a)).content.decode()
    assert "本年度新收政府信息公开申请7件" in page and "申请人情况" in page

    # The text says 2 where the table says 7: a blocking error, explained.
    _figures(officer_a, dept_a)
    wrong = dict(GOOD_TEXT, requests="本年度共受理政府信息公开申请2件。")
    _do(c, dept_a, "save", {**wrong, "note": "初稿"})
    response = _do(c, dept_a, "check")
    html = response.content.decode()
    assert "校验发现 1 项错误" in html
    assert "即本年新收申请 2，但表格中为 7或8" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFTED

    _do(c, dept_a, "save", {**GOOD_TEXT, "note": "改正申请数"})
    html = _do(c, dept_a, "check").content.decode()
    assert "校验通过" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.CHECKED
    page = c.get(_url("report", dept_a)).content.decode()
    # Checked with nothing to list: the page says so, never 「当前版本尚未校验」.
    assert 'id="checks"' not in page and 'id="checks-clean"' in page
    assert "当前版本尚未校验" not in page
    assert [v.number for v in report.versions.all()] == [3, 2, 1]

    # An officer may not publish; the approver may.
    html = _do(c, dept_a, "publish").content.decode()
    assert "只有本机关负责人或政务公开办公室可以发布年度报告" in html
    c = login(approver_a)
    html = _do(c, dept_a, "publish").content.decode()
    assert "年度报告已发布" in html, html[:3000]
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_version == 3

    from gongkai.catalog.models import Record
    from gongkai.core.models import AuditEvent

    record = Record.objects.get(pk=report.record_id)
    assert record.genre == "annual_report" and record.status == "published"
    assert "申请人情况" in record.body
    assert set(
        AuditEvent.objects.filter(object_type="reports.annualreport").values_list(
            "action", flat=True
        )
    ) >= {"reports.draft", "reports.save_version", "reports.check", "reports.publish"}

    # Public list, page and API.
    client.logout()
    listing = client.get(reverse("portal:annual_reports")).content.decode()
    assert "济宁市教育局2025年政府信息公开工作年度报告" in listing
    detail = client.get(reverse("portal:annual_report", args=[report.pk])).content.decode()
    assert "结转下年度继续办理" in detail and "改正申请数" not in detail
    data = client.get("/api/reports/annual/").json()
    assert [r["id"] for r in data] == [report.pk]
    data = client.get(f"/api/reports/annual/{report.pk}/").json()
    assert data["table3"]["new"]["total"] == 7

    # A revision after publication: the public still sees the published version.
    c = login(officer_a)
    _do(c, dept_a, "save", dict(GOOD_TEXT, problems="修订：补充问题说明。"))
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFTED and report.published_version == 3
    client.logout()
    detail = client.get(reverse("portal:annual_report", args=[report.pk])).content.decode()
    assert "修订：补充问题说明" not in detail


def test_outsiders_get_404(world, dept_a, officer_a, officer_b, login):
    c = login(officer_a)
    _do(c, dept_a, "draft")
    c = login(officer_b)
    assert c.get(_url("report", dept_a)).status_code == 404
    assert c.post(_url("action", dept_a, 2025, "save"), GOOD_TEXT).status_code == 404
    assert c.get(_url("export", dept_a, 2025, "docx")).status_code == 404
    assert c.get(reverse("reports_staff:selfcheck", args=[dept_a.pk])).status_code == 404
    assert c.get(reverse("reports_staff:dashboard") + f"?org={dept_a.pk}").status_code == 404
    # An officer may not open the government's summary.
    gov = dept_a.government
    assert login(officer_a).get(_url("report", gov) + "?scope=summary").status_code == 404


def test_anonymous_is_sent_to_login(dept_a, client):
    response = client.get(reverse("reports_staff:home"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_carry_over_mismatch_with_an_imported_report_then_explained(
    world, dept_a, officer_a, login
):
    c = login(officer_a)
    _do(c, dept_a, "draft")
    _figures(officer_a, dept_a)
    # The 2024 report as published said 2 carried forward (natural persons); the data says 1.
    csv = "\n".join(
        [
            "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计",
            "一、本年新收政府信息公开申请数量,5,0,0,0,0,0,5",
            "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0",
            "（一）予以公开,3,0,0,0,0,0,3",
            "（七）总计,3,0,0,0,0,0,3",
            "四、结转下年度继续办理,2,0,0,0,0,0,2",
        ]
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = c.post(
        reverse("reports_staff:import_earlier", args=[dept_a.pk]),
        {"year": "2024", "file": SimpleUploadedFile("2024.csv", csv)},
        follow=True,
    ).content.decode()
    assert "已导入 2024 年度报告的表格" in html
    _do(c, dept_a, "save", GOOD_TEXT)
    html = _do(c, dept_a, "check").content.decode()
    assert "与导入的2024年度报告的“结转下年度”不一致" in html
    assert "自然人：本年上年结转 1，上年结转下年度 2" in html
    html = _do(
        c,
        dept_a,
        "acknowledge",
        {"code": "carry_over:imported", "explanation": "2024年报告多计1件结转"},
    ).content.decode()
    assert "已记录说明" in html
    html = _do(c, dept_a, "check").content.decode()
    assert "校验通过" in html and "已说明：2024年报告多计1件结转" in html


def test_bad_figure_input_is_explained(dept_a, officer_a, login):
    c = login(officer_a)
    html = _do(c, dept_a, "figure", {"key": "licensing", "value": "abc", "source": "x"}).content
    assert "“abc”不是有效的数字" in html.decode()
    html = _do(c, dept_a, "figure", {"key": "licensing", "value": "12", "source": ""}).content
    assert "请注明数据来源" in html.decode()
    html = _do(
        c, dept_a, "figure", {"key": "penalty", "value": "1.5", "source": "执法系统"}
    ).content
    assert "处理决定数量应为整数" in html.decode()


def test_status_board_with_deadlines(
    world, government, dept_a, dept_b, office, officer_a, login, django_assert_max_num_queries
):
    import datetime as dt

    from gongkai.reports import periodic

    actions.draft(officer_a, dept_a, 2025)
    periodic.reminders(today=dt.date(2026, 1, 25))
    c = login(office)
    with django_assert_max_num_queries(12):
        html = c.get(reverse("reports_staff:home") + "?year=2025").content.decode()
    assert "2026年1月31日" in html and "2026年3月31日" in html
    assert "济宁市人民政府（本级汇总）" in html
    # Today (2026-11) is after both deadlines: nothing published → 已逾期.
    assert html.count("已逾期") == 3
    assert "已起草" in html and "未起草" in html
    assert html.count("1月25日已提醒") == 2  # both departments were reminded


def test_office_compiles_the_summary(world, government, office, officer_a, login):
    c = login(office)
    html = _do(c, government, "draft", {"scope": "summary"}).content.decode()
    report = AnnualReport.objects.get(organisation=government, scope="summary")
    assert report.latest.tables["table3"]["new"]["total"] == 8
    assert "汇总" in html
    with pytest.raises(actions.ActionError):
        actions.draft(officer_a, officer_a.memberships.first().organisation, 2025, "summary")


def test_exports_over_http(world, dept_a, officer_a, login):
    c = login(officer_a)
    response = c.get(_url("export", dept_a, 2025, "docx"))
    assert response.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(response.content))
    assert any("申请人情况" in cell.text for t in doc.tables for r in t.rows for cell in r.cells)
    assert c.get(_url("export", dept_a, 2025, "xlsx")).status_code == 200
    assert c.get(_url("export", dept_a, 2025, "odt")).status_code == 404


def test_dashboard_with_table_view_and_download(
    world, dept_a, office, login, django_assert_max_num_queries
):
    c = login(office)
    with django_assert_max_num_queries(20):
        html = c.get(reverse("reports_staff:dashboard") + "?year=2025").content.decode()
    assert 'id="chart-data" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html
    start = html.index('id="chart-data" type="application/json">') + len(
        'id="chart-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    keys = [c["key"] for c in data]
    assert keys[:5] == [
        "requests_by_month",
        "outcomes",
        "requester_kinds",
        "handling_days",
        "records_by_column",
    ]
    month = data[0]["series"][0]["data"]
    assert sum(month) == 8 and month[11] == 1  # the summary: 8 new, one in December
    assert 'data-table="requests_by_month"' in html
    response = c.get(
        reverse("reports_staff:chart_csv", args=["requester_kinds"]) + f"?year=2025&org={dept_a.pk}"
    )
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "自然人,2" in text and "商业企业,1" in text


def test_self_check_lists_what_to_fix(dept_a, officer_a, login):
    import datetime as dt

    from django.utils import timezone

    from gongkai.catalog.models import Column
    from gongkai.reports.tests.conftest import make_record

    news = Column.objects.create(organisation=dept_a, name="工作动态")
    Column.objects.create(organisation=dept_a, name="通知公告")  # empty
    old = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    make_record(dept_a, "notice", published=old, column=news)
    make_record(dept_a, "normative", written=old, published=old)  # no interpretation
    c = login(officer_a)
    html = c.get(reverse("reports_staff:selfcheck", args=[dept_a.pk])).content.decode()
    assert "栏目“工作动态”（动态类，应在 14 天内更新）" in html
    assert "栏目“通知公告”没有任何已发布信息" in html
    assert "没有已发布的解读" in html


def test_layout_keys_are_the_cli_keys():
    assert layout.TABLE3_ROW_KEYS[:4] == ("new", "carried_over", "disclosed", "partly_disclosed")
    assert layout.TABLE3_ROW_KEYS[-2:] == ("outcome_total", "carried_forward")
    assert [k for k in layout.TABLE3_ROW_KEYS if k.startswith("other_")] == [
        "other_1",
        "other_2",
        "other_3",
    ]
    assert len(layout.TABLE3_ROW_KEYS) == 25


def test_editor_page_query_count_is_pinned(
    world, dept_a, officer_a, login, django_assert_max_num_queries
):
    actions.draft(officer_a, dept_a, 2025)
    for _ in range(3):
        actions.save_version(officer_a, AnnualReport.objects.get(organisation=dept_a), GOOD_TEXT)
    c = login(officer_a)
    with django_assert_max_num_queries(16):
        assert c.get(_url("report", dept_a)).status_code == 200


def test_unpublished_reports_are_not_public(world, dept_a, officer_a, client):
    report = actions.draft(officer_a, dept_a, 2025)
    assert client.get(reverse("portal:annual_report", args=[report.pk])).status_code == 404
    assert client.get(f"/api/reports/annual/{report.pk}/").status_code == 404
    assert client.get("/api/reports/annual/").json() == []
    assert "暂无已发布的年度报告" in client.get(reverse("portal:annual_reports")).content.decode()
