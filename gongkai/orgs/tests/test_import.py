"""Importing organisations from CSV and YAML: validation first, all or nothing, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gongkai.core.models import AuditEvent
from gongkai.orgs.importer import OrganisationImportError, import_organisations
from gongkai.orgs.models import Organisation, OrganisationAlias, OrgKind
from gongkai.testing import forbidden

DEMO_ORGS = Path(__file__).resolve().parents[2] / "demo" / "orgs.yaml"
HEADER = "name,short_name,kind,parent,government,aliases\n"


def write(tmp_path, text: str, name: str = "orgs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def db_state() -> tuple[int, int, int]:
    return (
        Organisation.objects.count(),
        OrganisationAlias.objects.count(),
        AuditEvent.objects.count(),
    )


def import_errors(path) -> list[str]:
    with pytest.raises(OrganisationImportError) as excinfo:
        import_organisations(path)
    return excinfo.value.messages


# --- the demo file ----------------------------------------------------------------------------


def test_demo_file_imports_the_whole_tree(db):
    result = import_organisations(DEMO_ORGS)
    total = Organisation.objects.count()
    assert result.counts() == {"created": total, "updated": 0, "unchanged": 0}
    assert [g.slug for g in Organisation.objects.governments().order_by("order")] == [
        "jining",
        "tengzhou",
    ]
    counties = Organisation.objects.filter(kind=OrgKind.COUNTY_GOVERNMENT)
    assert counties.count() == 11
    for county in counties:
        [office] = county.children.all()
        assert office.name.endswith("人民政府办公室") and office.government.slug == "jining"
    department = Organisation.objects.get(name="济宁市发展和改革委员会")
    assert department.short_name == "市发展改革委"
    assert set(department.aliases.values_list("alias", flat=True)) == {
        "市发改委",
        "市发展和改革委员会",
    }


def test_every_created_organisation_is_audited(db):
    import_organisations(DEMO_ORGS, actor="测试")
    events = AuditEvent.objects.filter(action="orgs.create_organisation")
    assert events.count() == Organisation.objects.count()
    event = events.get(object_repr="济宁市发展和改革委员会")
    assert event.actor_label == "测试" and event.after["aliases"] == [
        "市发改委",
        "市发展和改革委员会",
    ]


def test_reimporting_the_same_file_changes_nothing(db):
    import_organisations(DEMO_ORGS)
    before = db_state()
    result = import_organisations(DEMO_ORGS)
    assert result.counts() == {"created": 0, "updated": 0, "unchanged": before[0]}
    assert db_state() == before


def test_reimport_updates_changed_values_and_adds_aliases(db, tmp_path):
    import_organisations(DEMO_ORGS)
    path = write(tmp_path, HEADER + "济宁市教育局,市教育局,department,,jining,市教体局\n")
    result = import_organisations(path)
    assert result.updated == ["济宁市教育局"] and result.created == []
    education = Organisation.objects.get(name="济宁市教育局")
    assert list(education.aliases.values_list("alias", flat=True)) == ["市教体局"]
    event = AuditEvent.objects.filter(action="orgs.update_organisation").get()
    assert event.before == {"aliases": []} and event.after == {"aliases": ["市教体局"]}
    # The row gave no parent, so the organisation stays where it is.
    assert education.parent.slug == "jining"


# --- CSV --------------------------------------------------------------------------------------


def test_csv_with_chinese_kind_labels_parents_in_db_and_alias_lists(government, tmp_path):
    dept = "济宁市教育局,市教育局,政府工作部门,,jining,市教育和体育局|市教委;济宁教育局\n"
    unit = "济宁市教育招生考试院,市招考院,事业单位,市教育局,,\n"
    path = write(tmp_path, HEADER + dept + unit)
    result = import_organisations(path)
    assert result.created == ["济宁市教育局", "济宁市教育招生考试院"]
    education = Organisation.objects.get(name="济宁市教育局")
    assert education.kind == OrgKind.DEPARTMENT and education.parent == government
    assert set(education.aliases.values_list("alias", flat=True)) == {
        "市教育和体育局",
        "市教委",
        "济宁教育局",
    }
    unit = Organisation.objects.get(name="济宁市教育招生考试院")
    assert unit.parent == education and unit.government == government
    assert unit.kind == OrgKind.PUBLIC_SERVICE_UNIT


def test_csv_all_columns(government, tmp_path):
    header = (
        "name,short_name,kind,parent,government,aliases,order,is_active,region_code,"
        "credit_code,org_code,slug,site_hosts\n"
    )
    row = "济宁市统计局,市统计局,department,济宁市政府,,,7,否,370800,11370800004334987X,JNTJ,,\n"
    import_organisations(write(tmp_path, header + row))
    stats = Organisation.objects.get(name="济宁市统计局")
    assert (stats.order, stats.is_active, stats.region_code, stats.org_code) == (
        7,
        False,
        "370800",
        "JNTJ",
    )
    assert stats.credit_code == "11370800004334987X" and stats.parent == government


def test_an_open_file_and_gbk_encoding(government):
    data = (HEADER + "济宁市审计局,市审计局,department,,jining,\n").encode("gb18030")
    result = import_organisations(io.BytesIO(data), format="csv")
    assert result.created == ["济宁市审计局"]


# --- bad files: a Chinese message naming the row, and nothing written -------------------------


def test_missing_required_column_in_the_header(government, tmp_path):
    path = write(tmp_path, "name,short_name,parent\n济宁市教育局,市教育局,jining\n")
    assert import_errors(path) == ["第1行：缺少必填列 kind"]


def test_missing_required_value_names_the_row(government, tmp_path):
    rows = "济宁市教育局,市教育局,department,,jining,\n济宁市财政局,市财政局,,,jining,\n"
    path = write(tmp_path, HEADER + rows)
    assert import_errors(path) == ["第3行：缺少必填列 kind"]


def test_unknown_parent_names_the_row(government, tmp_path):
    rows = (
        "".join(f"济宁市第{n}局,市第{n}局,department,,jining,\n" for n in ("一", "二", "三"))
        + "济宁市某中心,,public_service_unit,市不存在局,jining,\n"
    )
    before = db_state()
    assert import_errors(write(tmp_path, HEADER + rows)) == ["第5行：上级机构“市不存在局”不存在"]
    assert db_state() == before


def test_duplicate_name_names_both_rows(government, tmp_path):
    rows = (
        ["市教育局,,department,,jining,"]
        + [f"济宁市第{n}局,,department,,jining," for n in "一二三四"]
        + ["市教育局,,department,,jining,"]
    )
    before = db_state()
    errors = import_errors(write(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert errors == ["第7行：机构名称“市教育局”重复（第2行已有）"]
    assert db_state() == before


def test_unknown_kind_names_the_row(government, tmp_path):
    path = write(tmp_path, HEADER + "济宁市教育局,市教育局,bureau,,jining,\n")
    [message] = import_errors(path)
    assert message.startswith("第2行：机构类型“bureau”无效")
    assert "department" in message


def test_alias_with_separator_or_collective_word_is_refused(government, tmp_path):
    rows = "济宁市教育局,市教育局,department,,jining,市教育局、市教委|有关教育部门\n"
    assert import_errors(write(tmp_path, HEADER + rows)) == [
        "第2行：别名“市教育局、市教委”不能包含“、”",
        "第2行：别名“有关教育部门”不能包含集合称谓用词“有关”",
    ]


def test_a_name_already_used_by_another_organisation_is_refused(db, tmp_path):
    import_organisations(DEMO_ORGS)
    path = write(tmp_path, HEADER + "济宁市审计局,市财政局,department,,jining,\n")
    assert import_errors(path) == ["第2行：名称或别名“市财政局”已属于“济宁市财政局”"]


def test_every_problem_is_reported_and_nothing_is_written(government, tmp_path):
    rows = (
        "济宁市教育局,市教育局,department,,jining,\n"  # good: must not be written
        "济宁市财政局,市财政局,bureau,,jining,\n"
        "济宁市公安局,市公安局,department,,不存在市,\n"
        ",市民政局,department,,jining,\n"
    )
    before = db_state()
    errors = import_errors(write(tmp_path, HEADER + rows))
    assert errors[0].startswith("第3行：机构类型“bureau”无效")
    assert errors[1:] == ["第4行：所属政府“不存在市”不存在", "第5行：缺少必填列 name"]
    assert db_state() == before


def test_parent_ambiguous_across_governments_asks_for_the_government(db, tmp_path):
    import_organisations(DEMO_ORGS)
    path = write(tmp_path, HEADER + "某考试中心,,public_service_unit,市教育局,,\n")
    assert import_errors(path) == ["第2行：上级机构“市教育局”不唯一，请填写所属政府（government）"]


def test_yaml_errors_name_the_line(db, tmp_path):
    text = (
        "organisations:\n"
        "  - name: 测试市人民政府\n"
        "    kind: government\n"
        "    children:\n"
        "      - {name: 测试市教育局, kind: department}\n"
        "      - {name: 测试市财政局, kind: ministry}\n"
        "      - name: 测试市公安局\n"
        "        colour: blue\n"
    )
    errors = import_errors(write(tmp_path, text, "orgs.yaml"))
    assert errors[0].startswith("第6行：机构类型“ministry”无效")
    assert errors[1:] == ["第7行：未知列“colour”", "第7行：缺少必填列 kind"]
    assert Organisation.objects.count() == 0


def test_a_parent_cycle_is_refused(government, tmp_path):
    rows = "甲,,department,乙,jining,\n乙,,department,甲,jining,\n"
    errors = import_errors(write(tmp_path, HEADER + rows))
    assert errors == ["第2行：上级机构关系形成循环", "第3行：上级机构关系形成循环"]


# --- permissions and side effects -------------------------------------------------------------


def test_an_officer_may_not_import(officer_a, tmp_path):
    path = write(tmp_path, HEADER + "济宁市审计局,市审计局,department,,jining,\n")
    before = db_state()
    with forbidden():
        import_organisations(path, actor=officer_a)
    assert db_state() == before


def test_the_openness_office_may_import_and_is_the_audited_actor(office, tmp_path):
    path = write(tmp_path, HEADER + "济宁市审计局,市审计局,department,,jining,\n")
    import_organisations(path, actor=office)
    event = AuditEvent.objects.get(action="orgs.create_organisation")
    assert event.actor == office and event.object_repr == "济宁市审计局"


def test_import_clears_the_site_cache(db, monkeypatch):
    calls = []
    monkeypatch.setattr("gongkai.orgs.importer.clear_site_cache", lambda: calls.append(1))
    import_organisations(DEMO_ORGS)
    assert calls == [1]


@pytest.mark.django_db
def test_contact_details_are_imported_and_checked(tmp_path):
    from gongkai.orgs.models import Organisation

    good = tmp_path / "orgs.csv"
    good.write_text(
        "name,kind,parent,address,postcode,office_hours,phone,email\n"
        "临沂市人民政府,government,,临沂市北城新区,276000,工作日 9:00-17:00,0539-8720000,gk@linyi.example.cn\n",
        encoding="utf-8",
    )
    import_organisations(good)
    org = Organisation.objects.get(name="临沂市人民政府")
    assert (org.address, org.postcode, org.phone, org.email) == (
        "临沂市北城新区",
        "276000",
        "0539-8720000",
        "gk@linyi.example.cn",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,kind,parent,email\n德州市人民政府,government,,不是邮箱\n", encoding="utf-8"
    )
    with pytest.raises(OrganisationImportError) as caught:
        import_organisations(bad)
    assert "电子邮箱“不是邮箱”格式不正确" in str(caught.value)
    assert not Organisation.objects.filter(name="德州市人民政府").exists()
