"""Contact details of an organisation (条例第12条): edited through the audited action, checked,
and shown in the 公开指南 and on the request form."""

import pytest
from django.urls import reverse

from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.orgs import actions
from gongkai.testing import forbidden

pytestmark = pytest.mark.django_db

CONTACT = {
    "address": "济宁市任城区圣贤路1号",
    "postcode": "272000",
    "office_hours": "工作日 9:00—17:00",
    "phone": "0537-2960001",
    "fax": "0537-2960002",
    "email": "zwgk@example.gov.cn",
}


def test_office_sets_contact_details_audited(office, government):
    assert actions.update_organisation(office, government, **CONTACT)
    government.refresh_from_db()
    assert government.phone == "0537-2960001" and government.postcode == "272000"
    event = AuditEvent.objects.filter(action="orgs.update_organisation").get()
    assert event.after["phone"] == "0537-2960001" and event.before["phone"] == ""


def test_outsider_cannot_set_contact_details(officer_a, dept_a):
    with forbidden():
        actions.update_organisation(officer_a, dept_a, phone="0537-1234567")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "电子邮箱“not-an-address”格式不正确"),
        ("postcode", "2720", "邮政编码“2720”应为6位数字"),
        ("phone", "请打电话", "联系电话“请打电话”只能包含数字"),
    ],
)
def test_malformed_contact_details_are_refused(office, dept_a, field, value, message):
    with pytest.raises(ActionError, match=message) as refused:
        actions.update_organisation(office, dept_a, **{field: value})
    assert refused.value.field == field


def test_guide_and_request_form_show_the_contacts(client, government, dept_a, dept_b, office):
    actions.update_organisation(office, government, **CONTACT)
    actions.update_organisation(office, dept_a, phone="0537-2960201", address="共青团路")
    guide = client.get(reverse("portal:disclosure_guide", args=[government.pk])).content.decode()
    for value in CONTACT.values():
        assert value in guide
    # A department without its own details: the guide gives the government's office.
    guide_b = client.get(reverse("portal:disclosure_guide", args=[dept_b.pk])).content.decode()
    assert "0537-2960001" in guide_b and "尚未单独公布联系方式" in guide_b
    form = client.get(reverse("portal:foi_apply")).content.decode()
    assert 'id="help-phone">0537-2960001</a>' in form  # the number the form tells them to call
    assert "0537-2960201" in form and "共青团路" in form


def test_importer_reads_contact_columns(tmp_path, government):
    from gongkai.orgs.importer import OrganisationImportError, import_organisations
    from gongkai.orgs.models import Organisation

    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,kind,parent,phone,email,postcode\n"
        "济宁市水务局,department,济宁市人民政府,0537-2960301,sw@example.gov.cn,272000\n"
        "济宁市林业局,department,济宁市人民政府,0537-2960401,bad-address,272000\n",
        encoding="utf-8",
    )
    with pytest.raises(OrganisationImportError, match="第3行：电子邮箱“bad-address”格式不正确"):
        import_organisations(path, actor="cli")
    assert not Organisation.objects.filter(name="济宁市林业局").exists()
    path.write_text(path.read_text(encoding="utf-8").replace("bad-address", "ly@example.gov.cn"))
    import_organisations(path, actor="cli")
    water = Organisation.objects.get(name="济宁市水务局")
    assert (water.phone, water.email, water.postcode) == (
        "0537-2960301",
        "sw@example.gov.cn",
        "272000",
    )
