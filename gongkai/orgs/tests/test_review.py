"""Who hears a review of each kind of organisation (RULES.md §11; 《行政复议法》2023 第二十四条、
第二十七条; 条例第五十五条), and the office's setting of it."""

import pytest

from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.orgs import actions
from gongkai.orgs.review import COMPLAINT, REVIEW, review_body_for
from gongkai.testing import forbidden
from gongkai.testing.factories import organisations_of_each_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(government, dept_a):
    return organisations_of_each_kind(government, dept_a)


def test_review_body_derived_from_kind_and_parent(tree):
    """行政复议法第二十四条: a department → its government (济宁市教育局 → 济宁市人民政府, 任城区
    教育局 → 任城区人民政府); a township/street office → the county government; a county → the
    city government; 第二十七条: a vertical agency → its superior department; 条例第五十五条: a
    public institution → 申诉 to its 主管部门. Today's template names the top government for all."""
    expect = {
        "department": (REVIEW, "济宁市人民政府"),
        "county": (REVIEW, "济宁市人民政府"),
        "county_department": (REVIEW, "任城区人民政府"),
        "township": (REVIEW, "任城区人民政府"),
        "vertical_branch": (REVIEW, "国家税务总局济宁市税务局"),
        "institution": (COMPLAINT, "济宁市卫生健康委员会"),
        # Outside the tree: unknown until the office says (never an unnamed 上一级人民政府).
        "government": (REVIEW, ""),
        "vertical": (REVIEW, ""),
    }
    for key, (mode, name) in expect.items():
        body = review_body_for(tree[key])
        assert (body.mode, body.name) == (mode, name), key
    assert review_body_for(tree["government"]).printed_name == "（请写明行政复议机关）"
    assert "第二十七条" in review_body_for(tree["vertical"]).basis


def test_office_sets_the_review_body(tree, office, officer_a):
    tax = tree["vertical"]
    with forbidden():
        actions.set_review_body(officer_a, tax, review_body_name="国家税务总局山东省税务局")
    assert actions.set_review_body(office, tax, review_body_name=" 国家税务总局山东省税务局 ")
    tax.refresh_from_db()
    body = review_body_for(tax)
    assert (body.name, body.source) == ("国家税务总局山东省税务局", "override")
    event = AuditEvent.objects.get(action="orgs.set_review_body")
    assert event.after["review_body_name"] == "国家税务总局山东省税务局"
    assert not actions.set_review_body(office, tax, review_body_name="国家税务总局山东省税务局")
    # An organisation in the tree takes precedence over the derivation too.
    township = tree["township"]
    actions.set_review_body(office, township, review_body=tree["government"])
    township.refresh_from_db()
    assert review_body_for(township).name == "济宁市人民政府"
    with pytest.raises(ActionError, match="只选择一项"):
        actions.set_review_body(
            office, township, review_body=tree["county"], review_body_name="某机关"
        )
    with pytest.raises(ActionError, match="本机构自身"):
        actions.set_review_body(office, township, review_body=township)
    # Both empty: back to the derived body.
    actions.set_review_body(office, township)
    township.refresh_from_db()
    assert review_body_for(township).source == "derived"


def test_other_governments_organisation_refused(tree, office, other_government):
    with pytest.raises(ActionError, match="本政府的机构"):
        actions.set_review_body(office, tree["township"], review_body=other_government)
