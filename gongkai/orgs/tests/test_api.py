import pytest

from gongkai.orgs.models import Organisation, OrgKind


@pytest.fixture
def tree(government, dept_a):
    county = Organisation.objects.create(
        name="济宁市任城区人民政府",
        short_name="任城区政府",
        kind=OrgKind.COUNTY_GOVERNMENT,
        parent=government,
    )
    Organisation.objects.create(name="任城区人民政府办公室", kind=OrgKind.DEPARTMENT, parent=county)
    Organisation.objects.create(
        name="济宁市停用局", kind=OrgKind.DEPARTMENT, parent=government, is_active=False
    )
    return government


def test_tree_nests_children_and_hides_inactive(client, tree):
    data = client.get("/api/orgs/").json()
    assert [n["name"] for n in data] == ["济宁市人民政府"]
    children = {c["name"]: c for c in data[0]["children"]}
    assert set(children) == {"济宁市教育局", "济宁市任城区人民政府"}
    assert [c["name"] for c in children["济宁市任城区人民政府"]["children"]] == [
        "任城区人民政府办公室"
    ]


def test_tree_of_another_government_by_slug(client, tree, other_government):
    data = client.get("/api/orgs/?gov=tengzhou").json()
    assert [n["name"] for n in data] == ["滕州市人民政府"]
    assert client.get("/api/orgs/?gov=nowhere").status_code == 404


def test_detail_and_missing(client, tree, dept_a):
    assert client.get(f"/api/orgs/{dept_a.pk}").json()["kind_label"] == "政府工作部门"
    assert client.get("/api/orgs/999999").status_code == 404


def test_openapi_schema_and_docs(client, government):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/orgs/" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_resolve_endpoint(client, tree, dept_a):
    from gongkai.orgs.models import OrganisationAlias

    OrganisationAlias.objects.create(organisation=dept_a, alias="教育局")
    data = client.get("/api/orgs/resolve", {"text": "市教育局、市星际事务局"}).json()
    assert [o["name"] for o in data["organisations"]] == ["济宁市教育局"]
    assert data["unresolved"] == ["市星际事务局"]
