"""The organisation-name resolver against the demo tree and the real sample task table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.orgs.actions import update_organisation
from gongkai.orgs.importer import import_organisations
from gongkai.orgs.models import DIRECTLY_UNDER_KINDS, Organisation, OrganisationAlias, OrgKind
from gongkai.orgs.resolver import (
    COLLECTIVE_WORDS,
    FUZZY_MIN_SCORE,
    NAME_SEPARATORS,
    Method,
    Resolver,
    resolve,
)

DEMO_ORGS = Path(__file__).resolve().parents[2] / "demo" / "orgs.yaml"
CELLS = Path(__file__).parent / "data" / "jining_2021_cells.txt"
COUNTY_NAMES = (
    "任城区",
    "兖州区",
    "曲阜市",
    "邹城市",
    "微山县",
    "鱼台县",
    "金乡县",
    "嘉祥县",
    "汶上县",
    "泗水县",
    "梁山县",
)


def sample_cells() -> list[str]:
    """The distinct 牵头部门 and 责任单位 cells of the sample table, one block each."""
    blocks = CELLS.read_text(encoding="utf-8").split("\n\n")
    return [block.strip() for block in blocks if block.strip() and not block.startswith("#")]


@pytest.fixture
def jining(db):
    import_organisations(DEMO_ORGS)
    return Organisation.objects.get(slug="jining")


@pytest.fixture
def tengzhou(jining):
    return Organisation.objects.get(slug="tengzhou")


def org(government, name: str) -> Organisation:
    return Organisation.objects.get(government=government, name=name)


def names(resolution) -> list[str]:
    return [match.organisation.name for match in resolution.organisations]


def methods(resolution) -> dict[str, str]:
    return {match.organisation.name: match.method for match in resolution.organisations}


# --- the sample document ----------------------------------------------------------------------


def test_sample_cells_file_holds_every_distinct_cell():
    cells = sample_cells()
    assert len(cells) == len(set(cells)) == 45
    assert "市、县级政府办公室" in cells


def test_every_sample_cell_resolves_completely_without_fuzzy(jining):
    resolver = Resolver(jining)
    problems = {}
    for cell in sample_cells():
        resolution = resolver.resolve(cell)
        fuzzy = [m.text for m in resolution.organisations if m.method == Method.FUZZY]
        if (
            resolution.unresolved
            or fuzzy
            or not (resolution.organisations or resolution.collectives)
        ):
            problems[cell] = (resolution.unresolved, fuzzy)
    assert problems == {}


def test_a_lead_cell_gives_exactly_its_organisations(jining):
    cell = "市委宣传部\n市文化传承发展中心\n曲阜文化建设示范区推进办公室\n市自然资源和规划局\n市文化和旅游局\n曲阜市政府"
    resolution = resolve(cell, jining)
    assert names(resolution) == [
        "中共济宁市委宣传部",
        "济宁市文化传承发展中心",
        "曲阜文化建设示范区推进办公室",
        "济宁市自然资源和规划局",
        "济宁市文化和旅游局",
        "曲阜市人民政府",
    ]
    assert resolution.collectives == [] and resolution.unresolved == []


def test_the_notice_addressees_resolve(jining):
    text = (
        "各县（市、区）人民政府，济宁高新区、太白湖新区、济宁经济技术开发区、"
        "曲阜文化建设示范区管委会（推进办公室），市政府各部门、单位："
    )
    resolution = resolve(text, jining)
    assert resolution.unresolved == []
    assert names(resolution)[:4] == [
        "济宁高新技术产业开发区管理委员会",
        "济宁太白湖新区管理委员会",
        "济宁经济技术开发区管理委员会",
        "曲阜文化建设示范区推进办公室",
    ]
    assert [c.rule for c in resolution.collectives] == ["counties", "departments"]


def test_no_alias_or_short_name_contains_a_separator_or_collective_word(jining):
    names_ = list(OrganisationAlias.objects.values_list("alias", flat=True))
    names_ += [n for n in Organisation.objects.values_list("short_name", flat=True) if n]
    assert names_
    forbidden = (*NAME_SEPARATORS, *COLLECTIVE_WORDS)
    assert [n for n in names_ if any(word in n for word in forbidden)] == []


# --- one test per pattern ---------------------------------------------------------------------


def test_exact_full_name(jining):
    resolution = resolve("济宁市发展和改革委员会", jining)
    assert methods(resolution) == {"济宁市发展和改革委员会": Method.EXACT}


def test_short_name_and_aliases_are_the_same_organisation(jining):
    expected = org(jining, "济宁市发展和改革委员会")
    for text, method in [
        ("市发改委", Method.ALIAS),
        ("市发展改革委", Method.ALIAS),
        ("济宁市发展和改革委员会", Method.EXACT),
        ("济宁市发展改革委", Method.ALIAS),
    ]:
        resolution = resolve(text, jining)
        assert [(m.organisation, m.method) for m in resolution.organisations] == [
            (expected, method)
        ], text


def test_name_without_its_prefix_inside_a_list(jining):
    resolution = resolve("市发展改革委、自然资源和规划局", jining)
    assert methods(resolution) == {
        "济宁市发展和改革委员会": Method.ALIAS,
        "济宁市自然资源和规划局": Method.PREFIX,
    }
    party = resolve("市委宣传部、政法委", jining)
    assert methods(party)["中共济宁市委政法委员会"] == Method.PREFIX


def test_shared_affix_zone_committees(jining):
    resolution = resolve("济宁高新区、太白湖新区、济宁经济技术开发区管委会", jining)
    assert methods(resolution) == {
        "济宁高新技术产业开发区管理委员会": Method.SHARED_AFFIX,
        "济宁太白湖新区管理委员会": Method.SHARED_AFFIX,
        "济宁经济技术开发区管理委员会": Method.ALIAS,
    }
    assert resolution.unresolved == []


def test_shared_affix_county_governments(jining):
    resolution = resolve("任城区、兖州区政府", jining)
    assert methods(resolution) == {
        "济宁市任城区人民政府": Method.SHARED_AFFIX,
        "济宁市兖州区人民政府": Method.ALIAS,
    }


def test_shared_affix_city_and_county_government_offices(jining):
    resolution = resolve("市、县级政府办公室", jining)
    assert resolution.unresolved == []
    assert resolution.organisations[0].organisation.name == "济宁市人民政府办公室"
    assert resolution.organisations[0].method == Method.SHARED_AFFIX
    [collective] = resolution.collectives
    assert not collective.selective
    assert sorted(o.parent.name for o in collective.members) == sorted(
        org.name for org in Organisation.objects.filter(kind=OrgKind.COUNTY_GOVERNMENT)
    )
    assert all(o.name.endswith("人民政府办公室") for o in collective.members)
    assert len(resolution.organisations) == 1 + len(COUNTY_NAMES)


def _directly_under(government):
    return set(
        Organisation.objects.filter(
            parent=government, kind__in=DIRECTLY_UNDER_KINDS, is_active=True
        )
    )


def test_collective_all_departments_and_units(jining):
    resolution = resolve("市政府各部门、单位", jining)
    [collective] = resolution.collectives
    assert collective.text == "市政府各部门、单位" and not collective.selective
    assert set(collective.members) == _directly_under(jining)
    assert {m.organisation for m in resolution.organisations} == _directly_under(jining)
    assert {m.method for m in resolution.organisations} == {Method.COLLECTIVE}
    kinds = {o.kind for o in collective.members}
    assert kinds == {OrgKind.DEPARTMENT, OrgKind.PUBLIC_SERVICE_UNIT, OrgKind.COORDINATING_BODY}


def test_collective_leaves_out_inactive_organisations(jining):
    audit_office = org(jining, "济宁市审计局")
    update_organisation(None, audit_office, is_active=False)
    [collective] = resolve("市政府各部门、单位", jining).collectives
    assert audit_office not in collective.members
    assert org(jining, "济宁市统计局") in collective.members


def test_collective_all_county_governments(jining):
    resolution = resolve("各县（市、区）政府", jining)
    [collective] = resolution.collectives
    assert sorted(o.short_name for o in collective.members) == sorted(
        f"{name}政府" for name in COUNTY_NAMES
    )
    assert {o.kind for o in collective.members} == {OrgKind.COUNTY_GOVERNMENT}


def test_collective_relevant_departments_is_selective(jining):
    resolution = resolve("市政府有关部门、单位", jining)
    [collective] = resolution.collectives
    assert collective.selective
    assert set(collective.members) == _directly_under(jining)
    # Candidates only: 「有关」 does not make every department responsible.
    assert resolution.organisations == [] and resolution.unresolved == []


def test_named_organisations_plus_selective_collective(jining):
    text = "市生态环境局、市城乡水务局、市自然资源和规划局、市工业和信息化局、市教育局、市科技局等市政府有关部门、单位"
    resolution = resolve(text, jining)
    assert names(resolution) == [
        "济宁市生态环境局",
        "济宁市城乡水务局",
        "济宁市自然资源和规划局",
        "济宁市工业和信息化局",
        "济宁市教育局",
        "济宁市科学技术局",
    ]
    [collective] = resolution.collectives
    assert collective.text == "市政府有关部门、单位" and collective.selective
    assert resolution.unresolved == []


def test_party_organs_vertical_agencies_and_institutions_only_where_named(jining):
    outside = Organisation.objects.filter(
        kind__in=[OrgKind.PARTY_ORGAN, OrgKind.VERTICAL_AGENCY, OrgKind.PUBLIC_INSTITUTION]
    )
    collectives = resolve("市政府各部门、单位，各县（市、区）政府", jining).collectives
    members = {o for collective in collectives for o in collective.members}
    assert outside.exists() and not members & set(outside)
    named = resolve("市委政法委\n人民银行济宁市中心支行\n济宁银保监分局\n国网济宁供电公司", jining)
    assert names(named) == [
        "中共济宁市委政法委员会",
        "中国人民银行济宁市中心支行",
        "中国银行保险监督管理委员会济宁监管分局",
        "国网山东省电力公司济宁供电公司",
    ]


def test_line_breaks_and_every_separator(jining):
    resolution = resolve("市教育局\n市财政局；市公安局，市民政局、市司法局\r\n市医保局", jining)
    assert names(resolution) == [
        "济宁市教育局",
        "济宁市财政局",
        "济宁市公安局",
        "济宁市民政局",
        "济宁市司法局",
        "济宁市医疗保障局",
    ]
    half_width = resolve("市教育局,市财政局; 各县(市、区)政府", jining)
    assert names(half_width)[:2] == ["济宁市教育局", "济宁市财政局"]
    assert [c.rule for c in half_width.collectives] == ["counties"]


def test_other_cities_and_made_up_bureaus_stay_unresolved(jining):
    resolution = resolve("枣庄市教育局、青岛市财政局、市星际事务局", jining)
    assert resolution.organisations == []
    assert resolution.unresolved == ["枣庄市教育局", "青岛市财政局", "市星际事务局"]
    for text in ("枣庄市教育局", "青岛市财政局", "市星际事务局"):
        assert resolve(text, jining).unresolved == [text]


def test_an_open_ended_list_is_reported(jining):
    resolution = resolve("市教育局、市财政局等", jining)
    assert names(resolution) == ["济宁市教育局", "济宁市财政局"]
    assert resolution.unresolved == ["等"]
    assert resolve("市教育局等部门", jining).unresolved == ["等部门"]


def test_fuzzy_only_as_last_resort_with_a_score(jining):
    resolution = resolve("济宁市发展与改革委员会", jining)
    [match] = resolution.organisations
    assert match.organisation.name == "济宁市发展和改革委员会"
    assert match.method == Method.FUZZY and match.score >= FUZZY_MIN_SCORE


def test_the_same_phrase_within_tengzhou_gives_tengzhou_organisations(jining, tengzhou):
    text = "市政府办公室、市教育局、市财政局"
    in_tengzhou = resolve(text, tengzhou)
    assert names(in_tengzhou) == ["滕州市人民政府办公室", "滕州市教育局", "滕州市财政局"]
    assert names(resolve(text, jining)) == ["济宁市人民政府办公室", "济宁市教育局", "济宁市财政局"]
    [collective] = resolve("市政府各部门、单位", tengzhou).collectives
    assert collective.members and {o.government_id for o in collective.members} == {tengzhou.pk}
    # Jining's names do not leak into Tengzhou.
    assert resolve("市发展改革委", tengzhou).unresolved == ["市发展改革委"]
    assert resolve("各县（市、区）政府", tengzhou).collectives[0].members == ()


def test_a_resolver_loads_names_once(jining, django_assert_num_queries):
    with django_assert_num_queries(2):
        resolver = Resolver(jining)
    with django_assert_num_queries(0):
        for cell in sample_cells():
            resolver.resolve(cell)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_list_of_known_names_resolves_to_exactly_those(jining, data):
    orgs = list(Organisation.objects.filter(government=jining).exclude(pk=jining.pk))
    chosen = data.draw(st.lists(st.sampled_from(orgs), min_size=1, max_size=6, unique=True))
    texts = [data.draw(st.sampled_from([o.name, o.short_name or o.name])) for o in chosen]
    separators = [data.draw(st.sampled_from(["、", "，", "；", "\n"])) for _ in texts]
    text = "".join(t + s for t, s in zip(texts, separators, strict=True))
    resolution = resolve(text, jining)
    assert [m.organisation for m in resolution.organisations] == chosen
    assert {m.method for m in resolution.organisations} <= {Method.EXACT, Method.ALIAS}
    assert resolution.unresolved == []
