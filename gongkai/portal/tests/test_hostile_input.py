"""Bad input to public pages is a 4xx with a Chinese message, never a server error (issue 13,
point 7): NUL characters, numbers beyond what the database holds, over-long e-mail addresses."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.foi.models import InfoRequest
from gongkai.participation.models import Message
from gongkai.testing import solve_captcha

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".cn"  # valid shape, 261 characters


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/disclosure/records/?year=2025%00",
        "/participation/decisions/?year=%00",
    ],
)
def test_nul_characters_are_refused_in_chinese(client, government, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "不允许的控制字符" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/disclosure/records/99999999999999999999999/",
        "/disclosure/org/99999999999999999999999/",
        "/search/?q=x&org=99999999999999999999999&page=99999999999999999999",
        "/disclosure/records/?year=99999999999&page=-5",
        "/participation/decisions/?year=99999999999999999999",
    ],
)
def test_numbers_out_of_range_are_not_server_errors(client, government, url):
    response = client.get(url)
    assert 200 <= response.status_code < 500, (url, response.status_code)


def test_long_email_in_the_application_form(client, government, dept_a):
    from gongkai.foi.tests.test_public import _data, _form

    html, key = _form(client)
    response = client.post(reverse("portal:foi_apply"), _data(dept_a, key, html, email=LONG_EMAIL))
    assert response.status_code == 400
    assert "电子邮箱地址过长" in response.content.decode()
    assert not InfoRequest.objects.exists()


def test_long_email_in_the_message_form(client, government, dept_a):
    url = reverse("portal:participation_message_write")
    html = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "organisation": dept_a.pk,
            "title": "建议",
            "body": "内容",
            "writer_name": "吴刚",
            "phone": "13512345678",
            "email": LONG_EMAIL,
            **solve_captcha(html),
        },
    )
    assert response.status_code in (200, 400)
    assert "电子邮箱地址过长" in response.content.decode()
    assert not Message.objects.exists()
