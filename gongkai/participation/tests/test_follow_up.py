"""A citizen follows up an enquiry or a message with its tracking code and the contact given
with it, like a request; anything else is the same answer and a 404."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.participation import actions
from gongkai.participation.models import Enquiry

from .conftest import form_fields

pytestmark = pytest.mark.django_db


def _ask(client, dept_a, contact="13905370011"):
    url = reverse("portal:participation_enquiry_ask")
    html = client.get(url).content.decode()
    data = {
        "organisation": dept_a.pk,
        "subject": "义务教育入学政策咨询",
        "question": "外地户籍子女如何在任城区入学？",
        "asker_name": "钱七",
        "contact": contact,
        **form_fields(html),
    }
    return client.post(url, data)


def _follow(client, code, contact):
    url = reverse("portal:participation_follow_up")
    html = client.get(url).content.decode()
    data = {"tracking_code": code, "contact": contact, **form_fields(html)}
    return client.post(url, data)


def test_enquiry_gets_a_code_and_is_followed_up_by_code_and_contact(client, dept_a, office):
    response = _ask(client, dept_a)
    assert response.status_code == 200
    enquiry = Enquiry.objects.get()
    assert re.fullmatch(r"[A-Z2-9]{12}", enquiry.tracking_code)
    assert f'id="tracking-code" class="stat">{enquiry.tracking_code}<' in response.content.decode()
    status_url = reverse("portal:participation_follow_up_status", args=[enquiry.tracking_code])
    stranger = Client()
    assert stranger.get(status_url).status_code == 404  # not without the check
    wrong = _follow(stranger, enquiry.tracking_code, "13900000000")
    assert wrong.status_code == 400 and "查询码与联系方式不匹配" in wrong.content.decode()
    assert stranger.get(status_url).status_code == 404
    unknown = _follow(stranger, "ABCDEFGHJKLM", "13905370011")
    assert "查询码与联系方式不匹配" in unknown.content.decode()  # the same answer
    ok = _follow(stranger, enquiry.tracking_code.lower(), "139-0537-0011")
    assert ok.status_code == 302 and ok["Location"] == status_url
    page = stranger.get(status_url).content.decode()
    assert "待答复" in page and "外地户籍子女" in page
    actions.answer_enquiry(office, enquiry, answer="持居住证到学区学校报名。")
    page = stranger.get(status_url).content.decode()
    assert 'id="status">已答复<' in page and "持居住证到学区学校报名" in page


def test_message_is_followed_up_by_email(client, government, dept_a):
    message, _ = actions.submit_message(
        government,
        dept_a,
        mailbox="website",
        subject="小区路灯不亮",
        body="某某小区路灯已坏一个月。",
        writer_name="孙八",
        phone="13905370022",
        email="sunba@example.com",
    )
    assert message.tracking_code
    response = _follow(client, message.tracking_code, "SunBa@Example.com")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "小区路灯不亮" in page and "待分办" in page


def test_a_code_of_another_government_is_not_found(client, other_government, government):
    from gongkai.testing.factories import OrganisationFactory

    other_dept = OrganisationFactory(name="滕州市教育局", parent=other_government)
    enquiry, _ = actions.submit_enquiry(
        other_dept, subject="问", question="问题", asker_name="某", contact="13905370033"
    )
    response = _follow(client, enquiry.tracking_code, "13905370033")  # on 济宁's site
    assert response.status_code == 400
