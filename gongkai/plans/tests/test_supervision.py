"""Supervision: dashboard, reminders, circulars (.docx), public commitments, implementation
plans, scoring and look-back."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import docx
import openpyxl
import pytest

from gongkai.core.actions import ActionError
from gongkai.core.periodic import registered_jobs
from gongkai.plans import actions, scoring, visibility
from gongkai.plans.models import (
    Assessment,
    Circular,
    IndicatorMethod,
    LookBackItem,
    PlanKind,
    TaskReminder,
    WorkPlan,
)
from gongkai.testing import forbidden

from .conftest import JINING_DOCX, TENGZHOU_TXT, assignment_of, import_sample

FGW = "济宁市发展和改革委员会"
JYJ = "济宁市教育局"


def finish(plan, people, n, org, percent=100, on=date(2021, 6, 1)):
    a = assignment_of(plan, n, org)
    reporter = people.fgw if org == FGW else people.jyj
    report = actions.submit_report(reporter, a, text="落实情况", percent=percent, reported_on=on)
    actions.accept_report(people.office, report)
    return a


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_for_the_office_only(plan, people, client, django_assert_max_num_queries):
    finish(plan, people, 1, FGW)
    client.force_login(people.office)
    with django_assert_max_num_queries(12):
        resp = client.get(f"/manage/plans/{plan.pk}/dashboard/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "各单位完成情况" in html and "各部分完成情况" in html and "<meter" in html
    assert 'data-count="done">1<' in html
    client.force_login(people.fgw)
    assert client.get(f"/manage/plans/{plan.pk}/dashboard/").status_code == 404
    client.force_login(people.tz_office)
    assert client.get(f"/manage/plans/{plan.pk}/dashboard/").status_code == 404


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_for_behind_and_overdue_once_a_week(plan, people):
    assert "plans.reminders" in [name for name, _ in registered_jobs()]
    today = date(2022, 1, 5)  # every dated task is overdue by then
    would = actions.send_reminders(today, dry_run=True)
    assert would > 0 and not TaskReminder.objects.exists()
    assert actions.send_reminders(today) == would
    reminder = TaskReminder.objects.filter(assignment__organisation__name=JYJ).first()
    assert reminder is None or "请尽快推进" in reminder.message
    assert TaskReminder.objects.count() == would
    assert actions.send_reminders(date(2022, 1, 8)) == 0  # not again within a week
    assert actions.send_reminders(date(2022, 1, 12)) == would


def test_a_task_due_soon_is_reminded_on_its_stored_working_day(plan, people):
    """Plan reminders count working days (issue 15 point 14; RULES.md §10): an assignment on
    schedule is reminded 3 working days before its due date, on the day stored with it (and
    recomputed when a year's holidays are loaded)."""
    from gongkai.core.calendar import add_workdays
    from gongkai.plans.models import Assignment

    a = (
        Assignment.objects.filter(task__plan=plan, organisation__name=FGW, due_on__isnull=False)
        .order_by("due_on", "id")
        .last()
    )
    assert a.remind_on == add_workdays(a.due_on, -3).date and not a.remind_on_provisional
    finish(plan, people, a.task.n, FGW, percent=99, on=min(date(2021, 6, 1), a.due_on))
    actions.send_reminders(a.remind_on - timedelta(days=1))
    assert not TaskReminder.objects.filter(assignment=a, status="due_soon").exists()
    actions.send_reminders(a.remind_on)
    reminder = TaskReminder.objects.get(assignment=a, status="due_soon")
    assert reminder.sent_on == a.remind_on and "即将到期" in reminder.message
    actions.send_reminders(a.remind_on + timedelta(days=1))
    assert TaskReminder.objects.filter(assignment=a, status="due_soon").count() == 1


def test_reminder_shows_on_the_officers_list_and_can_be_dismissed(plan, people, client):
    a = assignment_of(plan, 55, FGW)
    TaskReminder.objects.create(
        assignment=a, sent_on=date(2022, 1, 5), status="overdue", message="请尽快推进"
    )
    client.force_login(people.fgw)
    html = client.get("/manage/plans/").content.decode()
    assert "请尽快推进" in html
    reminder = TaskReminder.objects.get()
    client.force_login(people.jyj)
    assert client.post(f"/manage/plans/reminders/{reminder.pk}/seen/").status_code == 404
    client.force_login(people.fgw)
    client.post(f"/manage/plans/reminders/{reminder.pk}/seen/")
    reminder.refresh_from_db()
    assert reminder.seen


# --- circulars ---------------------------------------------------------------------------------


def _docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_circular_numbers_classes_and_annex(plan, people, client):
    finish(plan, people, 55, FGW, on=date(2021, 11, 1))  # done before its 2021-12-31 deadline
    with forbidden():
        actions.generate_circular(people.fgw, plan, date(2021, 3, 1), date(2022, 1, 10))
    with pytest.raises(ActionError):
        actions.generate_circular(people.office, plan, date(2022, 1, 10), date(2021, 3, 1))
    first = actions.generate_circular(people.office, plan, date(2021, 3, 1), date(2022, 1, 10))
    second = actions.generate_circular(people.office, plan, date(2022, 1, 11), date(2022, 2, 10))
    assert (first.number, second.number) == (1, 2)
    data = first.data
    assert data["totals"]["reported_in_period"] == 1
    assert FGW in data["classes"]["overdue"]  # it still has overdue tasks 23/49
    overdue_orgs = {row["organisation"] for row in data["annex"]}
    assert JYJ in overdue_orgs
    client.force_login(people.office)
    resp = client.get(f"/manage/plans/circulars/{first.pk}.docx")
    assert resp.status_code == 200
    assert "%E7%9D%A3%E6%9F%A5%E9%80%9A%E6%8A%A5" in resp["Content-Disposition"]  # 督查通报
    text, rows = _docx_text(resp.content)
    assert "政务公开工作督查通报" in text and "第1期" in text
    assert "2021年3月1日至2022年1月10日" in text
    assert "存在逾期未完成任务的单位" in text
    assert "逾期时间最长的任务" in text and "附件：进度滞后和逾期未完成任务清单" in text
    units, annex = rows
    assert units[0] == ["序号", "单位", "任务数", "已完成", "进度滞后", "逾期未完成", "完成率"]
    assert FGW in {r[1] for r in units[1:]}
    assert annex[0] == ["序号", "责任单位", "具体要求", "完成时限", "序时进度", "完成进度", "状态"]
    assert len(annex) == 1 + len(data["annex"])
    assert all(r[6] in ("进度滞后", "逾期未完成") for r in annex[1:])
    client.force_login(people.fgw)
    assert client.get(f"/manage/plans/circulars/{first.pk}.docx").status_code == 404


def test_circular_page_generates_over_http(plan, people, client):
    client.force_login(people.office)
    resp = client.post(
        f"/manage/plans/{plan.pk}/circulars/",
        {"period_start": "2021-03-01", "period_end": "2021-06-30"},
    )
    assert resp.status_code == 302
    assert Circular.objects.get().number == 1
    assert "下载督查通报第1期" in client.get(resp.url).content.decode()


def test_publishing_a_circular_makes_one_draft_record_with_the_docx(plan, people):
    from gongkai.catalog.models import Record, Status
    from gongkai.catalog.visibility import public_records

    circular = actions.generate_circular(people.office, plan, date(2021, 3, 1), date(2021, 6, 30))
    record_id = actions.publish_circular(people.office, circular)
    record = Record.objects.get(pk=record_id)
    assert record.status == Status.DRAFT and record.title.endswith("督查通报第1期")
    assert record.attachments.get().name == "督查通报第1期.docx"
    assert not public_records().filter(pk=record_id).exists()  # the catalogue workflow decides
    circular.refresh_from_db()
    assert circular.record_id == record_id
    assert actions.publish_circular(people.office, circular) == record_id
    assert Record.objects.filter(source_ref=f"plans-circular-{circular.pk}").count() == 1


# --- public commitments ------------------------------------------------------------------------


def test_public_page_shows_only_committed_tasks_of_public_plans(plan, people, client):
    assert client.get(f"/plans/{plan.pk}/").status_code == 404  # not public yet
    assert not visibility.public_tasks(plan).exists()
    with forbidden():
        actions.set_plan_public(people.fgw, plan, True)
    actions.set_plan_public(people.office, plan, True)
    a = finish(plan, people, 20, FGW, percent=100)
    report = actions.submit_report(
        people.fgw, assignment_of(plan, 21, FGW), text="草稿", percent=70
    )
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "公开承诺事项落实情况" in html
    assert "更大力度推进新旧动能转换" in html  # task 20, a commitment
    assert "县级以上政府要主动公开本地区" not in html  # task 1 is not a commitment
    assert 'value="100"' in html and report.text not in html
    assert "fgw" not in html  # no staff names
    listing = client.get("/plans/").content.decode()
    assert plan.title in listing
    task = plan.tasks.get(n=1)
    actions.set_commitment(people.office, task, True)
    assert "县级以上政府要主动公开本地区" in client.get(f"/plans/{plan.pk}/").content.decode()
    # The API goes through the same gate.
    data = client.get(f"/api/plans/{plan.pk}/?gov=jining").json()
    ns = [t["n"] for t in data["commitments"]]
    assert 1 in ns and 20 in ns and 2 not in ns
    progress = {
        p["organisation"]: p["progress"]
        for t in data["commitments"]
        if t["n"] == 20
        for p in t["progress"]
    }
    assert progress[a.organisation.name] == 100
    actions.set_plan_public(people.office, plan, False)
    assert client.get(f"/api/plans/{plan.pk}/?gov=jining").status_code == 404
    assert client.get(f"/plans/{plan.pk}/").status_code == 404


def test_public_page_of_another_site_is_hidden(plan, people, client):
    actions.set_plan_public(people.office, plan, True)
    assert client.get(f"/s/tengzhou/plans/{plan.pk}/").status_code == 404


# --- implementation plans ----------------------------------------------------------------------


def test_organisations_file_implementation_plans_and_the_office_sees_who_has_not(
    plan, people, client
):
    client.force_login(people.office)
    html = client.get(f"/manage/plans/{plan.pk}/implementation/").content.decode()
    addressed = actions.addressed_organisations(plan).count()
    assert f"尚未提交 <strong>{addressed}</strong> 个" in html
    # The 教育局 officer files one under the city's plan.
    client.force_login(people.jyj)
    page = client.get(f"/manage/plans/import/?parent={plan.pk}")
    assert page.status_code == 200
    with open(TENGZHOU_TXT, "rb") as fh:
        resp = client.post(
            "/manage/plans/import/",
            {
                "file": fh,
                "parent": plan.pk,
                "organisation": assignment_of(plan, 13, JYJ).organisation_id,
            },
        )
    assert resp.status_code == 302
    resp = client.post(resp.url, {"do": "confirm"})
    child = WorkPlan.objects.get(parent=plan)
    assert child.kind == PlanKind.IMPLEMENTATION and child.organisation.name == JYJ
    client.force_login(people.office)
    html = client.get(f"/manage/plans/{plan.pk}/implementation/").content.decode()
    assert f"尚未提交 <strong>{addressed - 1}</strong> 个" in html and child.title in html
    # A unit the plan does not address cannot file one.
    client.force_login(people.outsider)
    assert client.get(f"/manage/plans/import/?parent={plan.pk}").status_code == 404


# --- scoring -----------------------------------------------------------------------------------


def test_scores_ranking_and_export(plan, people, client):
    finish(plan, people, 55, FGW, on=date(2021, 11, 1))
    completion = actions.add_indicator(
        people.office,
        plan,
        name="任务完成率",
        weight=Decimal(60),
        method=IndicatorMethod.COMPLETION,
    )
    deduction = actions.add_indicator(
        people.office,
        plan,
        name="按时完成",
        weight=Decimal(30),
        method=IndicatorMethod.DEDUCTION,
        deduction=Decimal(10),
        cap=Decimal(25),
    )
    manual = actions.add_indicator(
        people.office, plan, name="第三方评估", weight=Decimal(10), method=IndicatorMethod.MANUAL
    )
    with pytest.raises(ActionError):
        actions.add_indicator(
            people.office, plan, name="任务完成率", weight=Decimal(5), method="manual"
        )
    with forbidden():
        actions.add_indicator(people.fgw, plan, name="x", weight=Decimal(5), method="manual")
    n = actions.compute_scores(people.office, plan, "2021", today=date(2022, 1, 10))
    assert n > 0
    fgw = assignment_of(plan, 55, FGW).organisation
    # Counted for the year: every assignment of 市发展改革委 (due in 2021 or undated); one done.
    counted = plan.tasks.filter(assignments__organisation=fgw).count()
    expected = (Decimal(60) / counted).quantize(Decimal("0.01"))
    assert Assessment.objects.get(indicator=completion, organisation=fgw).score == expected
    # Read at the period's end: overdue × 10 + behind × 5, capped at 25.
    from gongkai.plans.ledger import ledger_rows
    from gongkai.plans.models import Assignment
    from gongkai.plans.status import TaskStatus

    rows = ledger_rows(
        plan, Assignment.objects.filter(task__plan=plan, organisation=fgw), date(2021, 12, 31)
    )
    overdue = sum(r.status == TaskStatus.OVERDUE for r in rows)
    behind = sum(r.status == TaskStatus.BEHIND for r in rows)
    assert behind >= 1
    deducted = 30 - min(25, 10 * overdue + 5 * behind)
    assert Assessment.objects.get(indicator=deduction, organisation=fgw).score == deducted
    with pytest.raises(ActionError):
        actions.set_score(people.office, manual, fgw, "2021", 11)
    actions.set_score(people.office, manual, fgw, "2021", 9, "评估良好")
    _, ranking = scoring.ranking(plan, "2021")
    mine = next(r for r in ranking if r.name == FGW)
    assert mine.total == expected + deducted + 9
    assert [r.total for r in ranking] == sorted((r.total for r in ranking), reverse=True)
    assert ranking[0].rank == 1 and all(a.rank <= b.rank for a, b in pairwise(ranking))
    client.force_login(people.office)
    resp = client.get(f"/manage/plans/{plan.pk}/scoring/?period=2021&export=1")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    exported = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert exported[FGW][0] == mine.rank and exported[FGW][5] == float(mine.total)
    assert client.get(f"/manage/plans/{plan.pk}/scoring/?period=2021").status_code == 200
    with pytest.raises(ActionError, match="格式不对"):
        scoring.period_bounds("2021-Q3")


# --- look-back ---------------------------------------------------------------------------------


def test_look_back_lists_last_years_unfinished_work_for_notes(plan, people, client):
    finish(plan, people, 55, FGW, on=date(2021, 11, 1))
    this_year = import_sample(plan.government, people.office, TENGZHOU_TXT).plan
    this_year.year = 2022
    this_year.save(update_fields=["year"])
    with forbidden():
        actions.open_look_back(people.fgw, this_year, plan)
    n = actions.open_look_back(people.office, this_year, plan, today=date(2022, 1, 10))
    total = plan.tasks.model.objects.filter(plan=plan).values("assignments").count()
    assert n == total - 1  # everything but the one finished assignment
    assert actions.open_look_back(people.office, this_year, plan, today=date(2022, 1, 10)) == 0
    item = LookBackItem.objects.filter(assignment__organisation__name=FGW).first()
    with forbidden():
        actions.note_look_back(people.jyj, item, "x")
    with pytest.raises(ActionError):
        actions.note_look_back(people.fgw, item, " ")
    actions.note_look_back(people.fgw, item, "已于2022年1月完成整改")
    client.force_login(people.fgw)
    html = client.get(f"/manage/plans/{this_year.pk}/look-back/").content.decode()
    assert "已于2022年1月完成整改" in html
    assert "济宁市教育局" not in html.split("上年度未完成任务")[1]


def test_same_file_for_two_organisations_are_two_plans(jining, people):
    a = import_sample(jining, people.office, JINING_DOCX).plan
    assert WorkPlan.objects.filter(source_sha256=a.source_sha256).count() == 1


def test_circular_publish_button_over_http(plan, people, client):
    circular = actions.generate_circular(people.office, plan, date(2021, 3, 1), date(2021, 6, 30))
    client.force_login(people.fgw)
    assert client.post(f"/manage/plans/circulars/{circular.pk}/publish/").status_code == 404
    client.force_login(people.office)
    resp = client.post(f"/manage/plans/circulars/{circular.pk}/publish/")
    circular.refresh_from_db()
    assert resp.status_code == 302 and circular.record_id is not None
    assert resp.url.endswith(f"/manage/catalog/{circular.record_id}/")
    assert "已转为信息发布稿" in client.get(f"/manage/plans/{plan.pk}/circulars/").content.decode()


def test_circular_is_a_summary_with_the_full_list_as_annex_in_the_gbt9704_layout(plan, people):
    """118-odd overdue rows: the body names the units and the worst cases in a few pages;
    the annex lists every row under a header repeated on each page."""
    import tempfile
    from pathlib import Path

    from gongkai.core.documents import inspect
    from gongkai.core.files import converted
    from gongkai.plans import circulars

    circular = actions.generate_circular(people.office, plan, date(2021, 3, 1), date(2022, 1, 10))
    assert len(circular.data["annex"]) > 50
    docx_bytes = circulars.render_docx(circular)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "circular.docx"
        path.write_bytes(docx_bytes)
        with converted(path, "pdf", path.name) as pdf:
            pdf_bytes = pdf.read_bytes()
    assert inspect.problems(docx_bytes, pdf_bytes) == []
    pages = inspect.pdf_pages(pdf_bytes)
    texts = ["".join(c.text for c in page.chars) for page in pages]
    annex_from = next(i for i, t in enumerate(texts) if t.startswith("附件进度滞后"))
    assert annex_from <= 4  # the summary for leaders: a few pages
    for text in texts[annex_from:]:
        assert "具体要求" in text  # the annex's header row on every page
    _units, annex = inspect.tables(docx_bytes)
    assert annex[0]["header"] and not annex[1]["header"]
    assert all(row["cant_split"] for row in annex)
    worst = circulars.worst_cases(circular.data)
    assert worst and all(w["days"] >= worst[-1]["days"] for w in worst)
    assert worst[0]["organisation"] in texts[0] + texts[1] + texts[2]


def test_ledger_and_scoring_sheets_print_on_a4_with_title_rows(plan, people):
    from decimal import Decimal

    from openpyxl import load_workbook

    from gongkai.plans import ledger, scoring
    from gongkai.plans.models import Assignment

    rows = ledger.ledger_rows(plan, Assignment.objects.filter(task__plan=plan), date(2022, 1, 10))
    actions.add_indicator(
        people.office, plan, name="完成率", weight=Decimal(60), method="completion"
    )
    actions.compute_scores(people.office, plan, "2021", date(2022, 1, 10))
    for data, landscape in (
        (ledger.export_xlsx(plan, rows), "landscape"),
        (scoring.export_xlsx(plan, "2021"), "portrait"),
    ):
        ws = load_workbook(io.BytesIO(data)).active
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.orientation == landscape
        assert ws.print_title_rows == "$1:$2"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.oddFooter.right.text and ws.evenFooter.left.text
