"""Issue 16 on import: names never cross levels or governments, weak matches are listed,
collectives stay collectives, duplicates are caught in the preview, 印发日期 is read, and every
cell the parser could not read is a warning in the preview and in `--json`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from gongkai.cli import main
from gongkai.orgs.resolver import Method, Resolver
from gongkai.plans import actions, importing
from gongkai.plans.importers import parse_file, parse_text
from gongkai.plans.models import Assignment, Task, WorkPlan

from .conftest import org_named
from .corpus.documents import all_fixtures

FIXTURES = {f.name: f for f in all_fixtures()}

PROVINCIAL = "\n".join(
    [
        "山东省人民政府办公厅关于印发2021年山东省政务公开工作要点的通知",
        "鲁政办字〔2021〕5号",
        "山东省人民政府办公厅",
        "2021年4月28日",
        "2021年山东省政务公开工作要点",
        "一、深化重点领域公开",
        "1.做好市场监管信息公开。公开抽查结果，年底前完成。（省发展改革委牵头，市场监管局、金融监管局配合）",
        "2.做好金融风险信息公开。及时发布风险提示。（金融监管局负责）",
    ]
)
OTHER_CITY = "\n".join(
    [
        "2021年枣庄市政务公开工作要点",
        "一、深化重点领域公开",
        "1.做好市场监管信息公开。公开抽查结果。（市场监管局、金融监管局负责）",
    ]
)


def _data(text: str) -> dict:
    return importing.rows_for_preview(parse_text(text))


def test_resolver_never_reads_a_bare_or_other_place_name_as_the_tenants(jining):
    resolver = Resolver(jining)
    for text in ("市场监管局", "金融监管局", "枣庄市市场监管局", "省市场监管局"):
        resolution = resolver.resolve(text)
        assert resolution.organisations == [] and resolution.unresolved == [text], text
    # The tenant's own short names still resolve.
    hit = resolver.resolve("市市场监管局").organisations[0]
    assert hit.organisation.name == "济宁市市场监督管理局" and hit.method == Method.ALIAS


@pytest.mark.parametrize("text", [PROVINCIAL, OTHER_CITY])
def test_another_governments_document_assigns_nothing_in_jining(jining, people, text):
    data = _data(text)
    preview = importing.build_preview(data, jining)
    assert preview.foreign and preview.scope.same is False
    assert preview.ok, preview.problems
    assert all(not r.lead and not r.responsible for r in preview.rows)
    assert any("保留原文" in w for w in preview.warnings)
    # Confirmed as 济宁's own by mistake: the bare names still resolve to nothing.
    data["scope_confirmed"] = "same"
    confirmed = importing.build_preview(data, jining)
    ids = {o.pk for r in confirmed.rows for o in r.lead + r.responsible}
    assert org_named(jining, "济宁市市场监督管理局").pk not in ids
    assert org_named(jining, "济宁市地方金融监督管理局").pk not in ids
    assert any("市场监管局" in p for p in confirmed.problems)


def test_scope_of_the_provincial_document_is_shown(jining):
    preview = importing.build_preview(_data(PROVINCIAL), jining)
    assert preview.scope.label == "山东省（省级）"
    assert any("鲁" in e for e in preview.scope.evidence)


def test_every_weaker_resolution_is_listed_for_confirmation(jining):
    text = "\n".join(
        [
            "2021年济宁市政务公开工作要点",
            "一、深化公开",
            "1.做好规划公开。及时公开规划。（市发展改革委、自然资源和规划局负责）",
        ]
    )
    preview = importing.build_preview(_data(text), jining)
    assert preview.scope.same
    row = preview.rows[0]
    assert {o.name for o in row.lead} == {"济宁市发展和改革委员会", "济宁市自然资源和规划局"}
    # 自然资源和规划局 took the 市 of the name before it in the parser (an elided prefix) and
    # is then an alias; a borrowed prefix in the resolver is warned.
    weak = importing.build_preview(
        {**_data(text), "rows": [{**row.data, "lead_text": "市发改委、自然资源规划局"}]}, jining
    )
    assert any("补全前缀" in w and "请确认" in w for w in weak.warnings)


def test_selective_collective_is_kept_until_the_office_picks(jining, people, client):
    fixture_text = "\n".join(
        [
            "2021年济宁市政务公开工作要点",
            "一、深化公开",
            "1.做好规划公开。及时公开规划。（市发展改革委牵头，市政府有关部门、单位配合）",
        ]
    )
    data = _data(fixture_text)
    data["issued_on"] = "2021-03-01"
    data["rows"][0]["commitment"] = True
    outcome = actions.import_parsed(
        people.office,
        data,
        government=jining,
        organisation=jining,
        source_name="t.txt",
        source_sha256="x" * 64,
    )
    task = outcome.plan.tasks.get()
    assert task.open_collectives == ["市政府有关部门、单位"]
    assert list(task.responsible_orgs.all()) == []
    assert Assignment.objects.filter(task=task).count() == 1  # the lead's own
    # The public page shows the collective as written, not 50 departments.
    actions.set_plan_public(people.office, outcome.plan, True)
    page = client.get(reverse("portal:plans_detail", args=[outcome.plan.pk])).content.decode()
    assert "责任单位：市政府有关部门、单位（具体单位待确定）" in page


def test_duplicate_plan_is_caught_in_the_preview(jining, people, tmp_path):
    docx = FIXTURES["jimei-2021"].write(tmp_path)
    xlsx = FIXTURES["jimei-2021-xlsx"].write(tmp_path)
    assert main(["plans", "import", str(docx), "--gov", "jining", "--scope", "other"]) == 0
    data = importing.rows_for_preview(parse_file(xlsx))
    data["scope_confirmed"] = "other"
    preview = importing.build_preview(data, jining)
    assert not preview.ok
    assert any("可能已导入" in p and "文号相同" in p for p in preview.problems)
    assert main(["plans", "import", str(xlsx), "--gov", "jining", "--scope", "other"]) == 1
    assert WorkPlan.objects.count() == 1
    assert (
        main(
            [
                "plans",
                "import",
                str(xlsx),
                "--gov",
                "jining",
                "--scope",
                "other",
                "--allow-duplicate",
            ]
        )
        == 0
    )
    assert WorkPlan.objects.count() == 2


def test_cli_json_names_every_blank_cell_and_keeps_the_row(jining, capsys, tmp_path):
    fixture = FIXTURES["jimei-2021"]
    path = fixture.write(tmp_path)
    assert (
        main(["plans", "import", str(path), "--gov", "jining", "--json", "--scope", "other"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"] == len(fixture.rows)
    assert out["issued_on"] == "2021-06-29"
    blank = [w for w in out["warnings"] if "「工作要求」" in w]
    assert len(blank) == 1 and "表格第7行" in blank[0] and "第3项" in blank[0]
    task = Task.objects.get(n=3)
    assert task.requirement == "预决算公开" and task.title == "预决算公开"
    assert task.subsection == "（二）做好财政信息公开"
    plan = WorkPlan.objects.get()
    assert plan.issued_on == date(2021, 6, 29)


def test_parse_json_lists_row_and_column_warnings(capsys, tmp_path):
    path = FIXTURES["heilongjiang-2018"].write(tmp_path)
    assert main(["plans", "parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = out["rows"][3]
    assert row["warnings"][0]["column"] == "完成时限"
    assert row["warnings"][0]["place"] == "第13行"
    assert out["rows"][0]["milestones"] == [{"date": "2018-10-31", "text": "2018年10月底前"}]
