"""Importing a parsed document into a WorkPlan: resolution, narrowing, atomicity, idempotency,
the preview page and `gongkai plans import`."""

from __future__ import annotations

import json

import pytest

from gongkai.cli import main
from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import DIRECTLY_UNDER_KINDS, OrgKind
from gongkai.plans import actions, importing
from gongkai.plans.importers import parse_file
from gongkai.plans.models import Assignment, PlanImport, PlanKind, Task, WorkPlan
from gongkai.testing import forbidden

from .conftest import JINING_DOCX, JINING_TXT, JINING_XLSX, TENGZHOU_TXT, import_sample, org_named


def names(orgs):
    return {o.name for o in orgs}


def test_sample_docx_imports_66_tasks_with_every_organisation_resolved(jining, people):
    outcome = import_sample(jining, people.office)
    plan = outcome.plan
    assert outcome.created
    assert plan.kind == PlanKind.TASK_TABLE
    assert (plan.year, plan.doc_no) == (2021, "济政办字〔2021〕18号")
    assert plan.tasks.count() == 66
    assert plan.tasks.values("subsection").distinct().count() == 21
    assert plan.tasks.values("section").distinct().count() == 5
    task1 = plan.tasks.get(n=1)
    assert names(task1.lead_orgs.all()) == {"济宁市发展和改革委员会", "济宁市自然资源和规划局"}
    # 「市政府有关部门、单位」 is selective: the office picked all its candidates here.
    responsible = task1.responsible_orgs.all()
    kinds = {o.kind for o in responsible}
    assert OrgKind.COUNTY_GOVERNMENT in kinds and OrgKind.ZONE_COMMITTEE in kinds
    assert {OrgKind.DEPARTMENT, OrgKind.PUBLIC_SERVICE_UNIT} <= kinds
    # Every task has a lead, and one assignment per responsible organisation (no cycles here).
    for task in plan.tasks.prefetch_related("lead_orgs", "responsible_orgs", "assignments"):
        assert task.lead_orgs.all(), task.n
        assert len(task.assignments.all()) == len(
            task.responsible_orgs.all() or task.lead_orgs.all()
        )
    # 「任城区、兖州区政府」 (row 28) is exactly those two.
    task28 = plan.tasks.get(n=28)
    counties = {o.name for o in task28.responsible_orgs.filter(kind=OrgKind.COUNTY_GOVERNMENT)}
    assert counties == {"济宁市任城区人民政府", "济宁市兖州区人民政府"}
    # Due dates: 「2021年年底前」 in row 55; tasks of group （七） are public commitments.
    assert plan.tasks.get(n=55).due_on.isoformat() == "2021-12-31"
    assert set(plan.tasks.filter(is_public_commitment=True).values_list("n", flat=True)) == set(
        range(19, 38)
    )
    event = AuditEvent.objects.get(action="plans.import")
    assert event.after["tasks"] == 66 and event.organisation_id == jining.pk


def test_importing_the_same_file_again_changes_nothing(jining, people):
    first = import_sample(jining, people.office)
    counts = (WorkPlan.objects.count(), Task.objects.count(), Assignment.objects.count())
    again = import_sample(jining, people.office)
    assert not again.created and again.plan.pk == first.plan.pk
    assert (WorkPlan.objects.count(), Task.objects.count(), Assignment.objects.count()) == counts
    assert AuditEvent.objects.filter(action="plans.import").count() == 1


def test_three_forms_of_the_table_import_to_the_same_tasks(jining, people):
    plans = [
        import_sample(jining, people.office, path, duplicate_ok=True).plan
        for path in (JINING_TXT, JINING_DOCX, JINING_XLSX)
    ]

    def shape(plan):
        return [
            (t.n, t.subsection, names(t.lead_orgs.all()), names(t.responsible_orgs.all()))
            for t in plan.tasks.prefetch_related("lead_orgs", "responsible_orgs")
        ]

    assert shape(plans[0]) == shape(plans[1]) == shape(plans[2])


def test_narrowing_a_selective_collective(jining, people):
    collective = "市政府有关部门、单位"
    fgw = org_named(jining, "济宁市发展和改革委员会")
    plan = import_sample(jining, people.office, narrowing={collective: [fgw.pk]}).plan
    task1 = plan.tasks.get(n=1)
    depts = task1.responsible_orgs.filter(kind__in=DIRECTLY_UNDER_KINDS)
    assert names(depts) == {"济宁市发展和改革委员会"}
    # Non-selective 「市政府各部门、单位」 (row 6) is not narrowed.
    assert plan.tasks.get(n=6).responsible_orgs.filter(kind=OrgKind.DEPARTMENT).count() > 10


def test_unresolved_name_refuses_the_whole_import(jining, people):
    data = importing.rows_for_preview(parse_file(JINING_DOCX))
    data["rows"][2]["lead_text"] = "市发展改革委、市星际旅行局"
    data["rows"][5]["requirement"] = ""
    with pytest.raises(ActionError) as exc:
        actions.import_parsed(
            people.office,
            data,
            government=jining,
            organisation=jining,
            source_name="x.docx",
            source_sha256="abc",
        )
    messages = exc.value.messages
    assert any("第3项" in m and "市星际旅行局" in m for m in messages)
    assert any("第6项" in m and "缺少具体要求" in m for m in messages)
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_preview_flags_missing_fields_and_accepts_fixes(jining, people):
    imp = actions.start_import(people.office, JINING_DOCX, government=jining)
    data = imp.parsed
    data["rows"][0]["lead_text"] = ""
    imp.save()
    preview = importing.build_preview(imp.parsed, jining)
    # A missing lead is kept (issue 16: a blank cell never rejects the file) and warned.
    assert preview.problems == []
    assert "第1项（表格第3行）：未列牵头部门，由责任单位落实。" in preview.warnings
    assert any("第1项" in w and "完成时限" in w for w in preview.warnings)
    actions.update_import(
        people.office,
        imp,
        rows={1: {"lead_text": "市发改委", "due_text": "2021年6月底前"}},
        narrowing={},
        meta={},
    )
    preview = importing.build_preview(imp.parsed, jining)
    assert preview.ok
    assert imp.parsed["rows"][0]["due"] == "2021-06-30"
    plan = actions.confirm_import(people.office, imp).plan
    assert plan.tasks.get(n=1).due_on.isoformat() == "2021-06-30"
    assert names(plan.tasks.get(n=1).lead_orgs.all()) == {"济宁市发展和改革委员会"}


def test_only_the_office_imports_a_government_plan(jining, people):
    with forbidden():
        actions.start_import(people.fgw, JINING_DOCX, government=jining)
    with forbidden():
        actions.start_import(people.tz_office, JINING_DOCX, government=jining)


def test_recurring_task_gets_one_assignment_per_period(jining, people):
    from datetime import date

    assert [p[0] for p in importing.periods("quarterly", 2021, None, date(2021, 5, 10))] == [
        "2021-Q2",
        "2021-Q3",
        "2021-Q4",
    ]
    assert len(importing.periods("monthly", 2021, None, date(2021, 1, 1))) == 12
    assert importing.periods(None, 2021, None, date(2021, 1, 1)) == [("", None, None)]
    assert importing.periods("yearly", 2021, None, date(2021, 1, 1))[0][2] == date(2021, 12, 31)
    data = importing.rows_for_preview(parse_file(JINING_DOCX))
    data["issued_on"] = "2021-03-01"
    importing.apply_due_text(data["rows"][10], "每季度", 2021)
    plan = actions.import_parsed(
        people.office,
        data,
        government=jining,
        organisation=jining,
        source_name="q.docx",
        source_sha256="q",
    ).plan
    task = plan.tasks.get(n=11)
    per_org = task.assignments.filter(organisation=task.responsible_orgs.first())
    assert list(per_org.values_list("period", flat=True)) == [
        "2021-Q1",
        "2021-Q2",
        "2021-Q3",
        "2021-Q4",
    ]
    assert per_org.get(period="2021-Q2").due_on == date(2021, 6, 30)


def test_key_points_import_has_no_assignments_and_no_problems(jining, people):
    plan = import_sample(jining, people.office, TENGZHOU_TXT).plan
    assert plan.kind == PlanKind.KEY_POINTS
    assert plan.tasks.count() == 20
    assert not Assignment.objects.filter(task__plan=plan).exists()


# --- the preview page --------------------------------------------------------------------------


def test_upload_preview_fix_and_confirm_over_http(jining, people, client):
    client.force_login(people.office)
    with open(JINING_DOCX, "rb") as fh:
        resp = client.post("/manage/plans/import/", {"file": fh, "organisation": jining.pk})
    assert resp.status_code == 302
    imp = PlanImport.objects.get()
    page = client.get(resp.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "市政府有关部门、单位" in html and "需要修改" in html
    # Break a name: the page names the row and highlights the name; nothing is imported.
    post = {"do": "confirm", "row-2-lead_text": "市发展改革委、市月球开发局"}
    resp = client.post(f"/manage/plans/import/{imp.pk}/", post)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "第2项（表格第4行）：牵头部门中的「市月球开发局」未能识别" in html
    assert "<mark>市月球开发局</mark>" in html
    assert not WorkPlan.objects.exists()
    # Fix it and confirm.
    resp = client.post(
        f"/manage/plans/import/{imp.pk}/", {"do": "confirm", "row-2-lead_text": "市发展改革委"}
    )
    plan = WorkPlan.objects.get()
    assert resp.status_code == 302 and resp.url == f"/manage/plans/{plan.pk}/"
    assert plan.tasks.count() == 66


def test_upload_refuses_bad_file_with_chinese_message(jining, people, client, tmp_path):
    client.force_login(people.office)
    bad = tmp_path / "空.txt"
    bad.write_text("没有任何任务。\n", encoding="utf-8")
    with open(bad, "rb") as fh:
        resp = client.post("/manage/plans/import/", {"file": fh, "organisation": jining.pk})
    assert resp.status_code == 200
    assert "既没有可识别表头的任务表" in resp.content.decode()
    assert not PlanImport.objects.exists()


def test_outsiders_cannot_upload_or_see_a_preview(jining, people, client):
    imp = actions.start_import(people.office, JINING_DOCX, government=jining)
    client.force_login(people.fgw)
    assert client.get("/manage/plans/import/").status_code == 403
    assert client.get(f"/manage/plans/import/{imp.pk}/").status_code == 404
    client.force_login(people.tz_office)
    assert client.get(f"/manage/plans/import/{imp.pk}/").status_code == 404


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_import_twice_and_errors(jining, capsys, tmp_path):
    assert main(["plans", "import", str(JINING_DOCX), "--gov", "jining", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["created"] and first["tasks"] == 66 and first["assignments"] > 66
    assert main(["plans", "import", str(JINING_DOCX), "--gov", "jining", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert not again["created"] and again["plan"] == first["plan"]
    assert main(["plans", "import", str(JINING_DOCX), "--gov", "nowhere"]) == 1
    assert "找不到政府「nowhere」" in capsys.readouterr().err
    text = JINING_TXT.read_text(encoding="utf-8").replace(
        "市民政局\n市农业农村局", "市民政局\n市火星局", 1
    )
    broken = tmp_path / "broken.txt"
    broken.write_text(text, encoding="utf-8")
    assert main(["plans", "import", str(broken), "--gov", "jining"]) == 1
    err = capsys.readouterr().err
    assert "未写入任何数据" in err and "第7项" in err and "市火星局" in err
    assert WorkPlan.objects.count() == 1
