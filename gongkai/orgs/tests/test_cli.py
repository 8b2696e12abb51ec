"""`gongkai orgs import | list | resolve` through gongkai.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.orgs.models import Organisation
from gongkai.orgs.sites import clear_site_cache

DEMO_ORGS = Path(__file__).resolve().parents[2] / "demo" / "orgs.yaml"


@pytest.fixture
def demo(db, capsys):
    clear_site_cache()
    assert main(["orgs", "import", str(DEMO_ORGS)]) == 0
    capsys.readouterr()
    return Organisation.objects.get(slug="jining")


def run_json(capsys, *argv) -> dict | list:
    assert main(["orgs", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_prints_counts_and_is_repeatable(db, capsys):
    clear_site_cache()
    assert main(["orgs", "import", str(DEMO_ORGS)]) == 0
    total = Organisation.objects.count()
    assert f"新增 {total} 个，更新 0 个，未变 0 个" in capsys.readouterr().out
    assert main(["orgs", "import", str(DEMO_ORGS)]) == 0
    assert f"新增 0 个，更新 0 个，未变 {total} 个" in capsys.readouterr().out


def test_import_errors_go_to_stderr_with_exit_1(db, capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,kind,parent\n济宁市教育局,department,市不存在局\n", encoding="utf-8")
    assert main(["orgs", "import", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "第2行：上级机构“市不存在局”不存在" in captured.err.splitlines()
    assert Organisation.objects.count() == 0


def test_resolve_json_in_the_default_government(demo, capsys):
    data = run_json(
        capsys, "resolve", "市发展改革委、自然资源和规划局，市政府有关部门、单位，市星际事务局"
    )
    assert data["government"]["name"] == "济宁市人民政府"
    assert [(o["name"], o["text"], o["method"]) for o in data["organisations"]] == [
        ("济宁市发展和改革委员会", "市发展改革委", "alias"),
        ("济宁市自然资源和规划局", "自然资源和规划局", "prefix"),
    ]
    [collective] = data["collectives"]
    assert collective["text"] == "市政府有关部门、单位" and collective["selective"] is True
    member_ids = set(
        Organisation.objects.filter(pk__in=collective["members"], parent=demo).values_list(
            "pk", flat=True
        )
    )
    assert member_ids == set(collective["members"]) and len(member_ids) > 30
    assert data["unresolved"] == ["市星际事务局"]


def test_resolve_json_in_another_government(demo, capsys):
    data = run_json(capsys, "resolve", "市政府办公室、市教育局", "--gov", "tengzhou")
    assert [o["name"] for o in data["organisations"]] == ["滕州市人民政府办公室", "滕州市教育局"]
    by_name = run_json(capsys, "resolve", "市教育局", "--gov", "滕州市人民政府")
    assert by_name["organisations"][0]["name"] == "滕州市教育局"


def test_resolve_prints_a_chinese_summary(demo, capsys):
    assert main(["orgs", "resolve", "任城区、兖州区政府，枣庄市教育局"]) == 0
    out = capsys.readouterr().out
    assert "济宁市任城区人民政府  ← “任城区”（共用后缀）" in out
    assert "未能识别：\n  枣庄市教育局" in out


def test_unknown_government_exits_1(demo, capsys):
    assert main(["orgs", "resolve", "市教育局", "--gov", "nowhere"]) == 1
    assert "未找到政府“nowhere”" in capsys.readouterr().err


def test_list_json_is_the_tree(demo, capsys):
    [tree] = run_json(capsys, "list", "--gov", "jining")
    assert tree["name"] == "济宁市人民政府" and tree["kind"] == "government"
    county = next(c for c in tree["children"] if c["short_name"] == "任城区政府")
    assert [c["name"] for c in county["children"]] == ["济宁市任城区人民政府办公室"]
    everything = run_json(capsys, "list")
    assert [t["name"] for t in everything] == ["济宁市人民政府", "滕州市人民政府"]


def test_list_prints_an_indented_tree(demo, capsys):
    assert main(["orgs", "list", "--gov", "tengzhou"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "滕州市人民政府（滕州市政府）〔人民政府〕"
    assert "  滕州市教育局（市教育局）〔政府工作部门〕" in lines
