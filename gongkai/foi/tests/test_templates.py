"""The office edits a letter's wording; later letters use it; bad templates are refused."""

import pytest
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.models import LetterTemplate

pytestmark = pytest.mark.django_db


def test_office_edits_the_correction_notice(received, office, officer_a, login):
    assert login(officer_a).get(reverse("foi_staff:templates")).status_code == 403
    client = login(office)
    url = reverse("foi_staff:template_edit", args=["correction_notice"])
    page = client.get(url).content.decode()
    assert "条例》第三十条" in page  # the default wording is shown for editing
    bad = client.post(url, {"text": "{% if %}"})
    assert bad.status_code == 400 and "模板格式有误" in bad.content.decode()
    text = "{{ requester.name }}：\n　　请于期限内补正：{{ text }}（济宁市自定义模板）"
    assert client.post(url, {"text": text}).status_code == 302
    req = actions.request_correction(officer_a, received, "请写明学校名称。")
    letter = req.letters.get()
    assert letter.body == "张三：\n　　请于期限内补正：请写明学校名称。（济宁市自定义模板）"
    assert client.post(url, {"text": ""}).status_code == 302
    assert not LetterTemplate.objects.exists()
