"""The ledger: statuses, progress reports (file, accept, return), access, filters, export."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.plans import actions, ledger
from gongkai.plans.models import Assignment, ReportState
from gongkai.plans.status import TaskStatus, assignment_status, combine, expected_progress
from gongkai.testing import forbidden

from .conftest import assignment_of

FGW = "济宁市发展和改革委员会"
JYJ = "济宁市教育局"


# --- statuses (pure) ---------------------------------------------------------------------------


def test_expected_progress_is_share_of_calendar_days():
    start, due = date(2021, 1, 1), date(2021, 1, 11)
    assert expected_progress(start, due, date(2020, 12, 1)) == 0
    assert expected_progress(start, due, date(2021, 1, 6)) == 50
    assert expected_progress(start, due, date(2021, 1, 11)) == 100
    assert expected_progress(start, None, date(2021, 1, 6)) is None


@pytest.mark.parametrize(
    ("progress", "completed", "due", "today", "status"),
    [
        (0, False, date(2021, 12, 31), date(2021, 1, 1), TaskStatus.NOT_STARTED),
        (0, False, date(2021, 12, 31), date(2021, 7, 1), TaskStatus.BEHIND),
        (60, False, date(2021, 12, 31), date(2021, 7, 1), TaskStatus.ON_SCHEDULE),
        (90, False, date(2021, 6, 30), date(2021, 7, 1), TaskStatus.OVERDUE),
        (100, True, date(2021, 6, 30), date(2021, 7, 1), TaskStatus.DONE),
        (0, False, None, date(2030, 1, 1), TaskStatus.NOT_STARTED),  # no due date: never behind
        (10, False, None, date(2030, 1, 1), TaskStatus.ON_SCHEDULE),
    ],
)
def test_assignment_status(progress, completed, due, today, status):
    got = assignment_status(
        progress=progress, completed=completed, start=date(2021, 1, 1), due=due, today=today
    )
    assert got == status


def test_task_status_is_the_worst_of_its_assignments():
    assert combine([TaskStatus.DONE, TaskStatus.DONE]) == TaskStatus.DONE
    assert combine([TaskStatus.DONE, TaskStatus.OVERDUE, TaskStatus.BEHIND]) == TaskStatus.OVERDUE
    assert combine([TaskStatus.DONE, TaskStatus.NOT_STARTED]) == TaskStatus.ON_SCHEDULE
    assert combine([]) == TaskStatus.NOT_STARTED


# --- progress reports --------------------------------------------------------------------------


def test_officer_reports_and_lead_accepts(plan, people):
    a = assignment_of(plan, 1, FGW)
    report = actions.submit_report(
        people.fgw,
        a,
        text="已公开规划",
        percent=100,
        reported_on=date(2021, 6, 1),
        links=["https://www.jining.gov.cn/a.html"],
    )
    a.refresh_from_db()
    assert (a.pending_reports, a.progress, a.last_reported_on) == (1, 0, date(2021, 6, 1))
    # The reporter cannot accept their own report, even as staff of a lead organisation.
    with forbidden():
        actions.accept_report(people.fgw, report)
    # Someone of another organisation cannot either.
    with forbidden():
        actions.accept_report(people.jyj, report)
    actions.accept_report(people.fgw_head, report, "属实")
    a.refresh_from_db()
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.reviewed_by == people.fgw_head
    assert (a.pending_reports, a.progress, a.completed_on) == (0, 100, date(2021, 6, 1))
    with pytest.raises(ActionError):
        actions.accept_report(people.fgw_head, report)
    assert AuditEvent.objects.filter(action="plans.report").count() == 1
    assert AuditEvent.objects.get(action="plans.accept_report").after["progress"] == 100


def test_return_needs_a_reason_and_keeps_progress(plan, people):
    a = assignment_of(plan, 13, JYJ)
    report = actions.submit_report(people.jyj, a, text="正在推进", percent=40)
    with pytest.raises(ActionError):
        actions.return_report(people.office, report, "  ")
    actions.return_report(people.office, report, "请补充佐证材料")
    a.refresh_from_db()
    assert a.progress == 0 and a.pending_reports == 0
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED


def test_only_the_assignments_organisation_reports(plan, people):
    a = assignment_of(plan, 1, FGW)
    with forbidden():
        actions.submit_report(people.jyj, a, text="x", percent=10)
    with forbidden():
        actions.submit_report(people.tz_office, a, text="x", percent=10)
    with pytest.raises(ActionError):
        actions.submit_report(people.fgw, a, text="x", percent=120)
    with pytest.raises(ActionError):
        actions.submit_report(people.fgw, a, text="  ", percent=10)


def test_report_over_http_with_attachment_and_review(plan, people, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = assignment_of(plan, 1, FGW)
    client.force_login(people.fgw)
    url = f"/manage/plans/assignments/{a.pk}/"
    resp = client.post(url, {"text": "已完成", "percent": "120", "links": ""})
    assert resp.status_code == 200 and "100" in resp.content.decode()
    resp = client.post(url, {"text": "x", "percent": "10", "links": "not a url"})
    assert "第1个链接「not a url」不是有效的网址" in resp.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = SimpleUploadedFile("佐证.txt", "截图说明".encode())
    resp = client.post(
        url,
        {
            "text": "已公开",
            "percent": "100",
            "links": "/disclosure/1/\nhttps://example.org/x",
            "attachment": evidence,
        },
    )
    assert resp.status_code == 302
    report = a.reports.get()
    assert report.evidence_links == ["/disclosure/1/", "https://example.org/x"]
    assert client.get(f"/manage/plans/reports/{report.pk}/file/").status_code == 200
    # The lead's head accepts over HTTP.
    client.force_login(people.fgw_head)
    page = client.get(url).content.decode()
    assert 'value="accept"' in page
    resp = client.post(f"/manage/plans/reports/{report.pk}/review/", {"decision": "accept"})
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.progress == 100
    # Another tenant's office sees nothing.
    client.force_login(people.tz_office)
    assert client.get(url).status_code == 404
    assert client.get(f"/manage/plans/reports/{report.pk}/file/").status_code == 404


# --- the ledger page ---------------------------------------------------------------------------


def test_ledger_rows_and_filters(plan, people):
    today = date(2021, 12, 31)
    rows = ledger.ledger_rows(plan, Assignment.objects.filter(task__plan=plan), today)
    assert len(rows) == Assignment.objects.filter(task__plan=plan).count()
    # Only a few tasks have a due date: the others are never behind or overdue.
    for r in rows:
        if r.assignment.due_on is None:
            assert r.status == TaskStatus.NOT_STARTED
    fgw_rows = ledger.filter_rows(rows, organisation=assignment_of(plan, 1, FGW).organisation_id)
    assert fgw_rows and all(r.assignment.organisation.name == FGW for r in fgw_rows)
    section = plan.tasks.get(n=38).section
    assert {r.task.section for r in ledger.filter_rows(rows, section=section)} == {section}
    overdue = ledger.filter_rows(rows, status=TaskStatus.OVERDUE)
    assert {r.task.n for r in overdue} <= {23, 49, 55}


def test_ledger_page_queries_are_bounded(plan, people, client, django_assert_max_num_queries):
    client.force_login(people.office)
    with django_assert_max_num_queries(8):
        resp = client.get(f"/manage/plans/{plan.pk}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "工作台账" in html and "济宁市发展和改革委员会" in html


def test_officer_sees_only_own_assignments(plan, people, client):
    from gongkai.plans.access import assignments_for

    client.force_login(people.jyj)
    html = client.get(f"/manage/plans/{plan.pk}/").content.decode()
    assert "济宁市教育局" in html
    visible = list(assignments_for(people.jyj, plan).select_related("organisation", "task"))
    led = set(plan.tasks.filter(lead_orgs__name=JYJ).values_list("n", flat=True))
    assert led == {12, 13, 18, 33, 34} or led  # the tasks 市教育局 leads
    assert all(a.organisation.name == JYJ or a.task.n in led for a in visible)
    assert any(a.organisation.name != JYJ for a in visible)  # a lead sees its tasks' units
    assert f'/manage/plans/assignments/{assignment_of(plan, 6, "济宁市财政局").pk}/"' not in html
    # An organisation of the same government the plan does not name does not see it.
    client.force_login(people.outsider)
    assert client.get(f"/manage/plans/{plan.pk}/").status_code == 404
    client.force_login(people.tz_office)
    assert client.get(f"/manage/plans/{plan.pk}/").status_code == 404
    assert client.get("/manage/plans/").status_code == 200


def test_ledger_filter_by_status_over_http(plan, people, client):
    client.force_login(people.office)
    a = assignment_of(plan, 1, FGW)
    report = actions.submit_report(people.fgw, a, text="完成", percent=100)
    actions.accept_report(people.office, report)
    html = client.get(f"/manage/plans/{plan.pk}/?status=done").content.decode()
    assert html.count('data-status="done"') == 1


def test_export_xlsx_in_the_office_layout(plan, people, client):
    client.force_login(people.office)
    resp = client.get(
        f"/manage/plans/{plan.pk}/ledger.xlsx?org={assignment_of(plan, 1, FGW).organisation_id}"
    )
    assert resp.status_code == 200
    assert "attachment" in resp["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb.active
    assert ws["A1"].value.endswith("工作台账")
    assert [c.value for c in ws[2]] == ledger.EXPORT_HEADER
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows and all(r[4] == FGW for r in rows)
    assert rows[0][0] == 1 and "十四五" in rows[0][2]
