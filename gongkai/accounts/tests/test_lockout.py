"""Login lockout per account + client address, the address from the proxy header only when the
proxy is trusted (issue 13, point 10)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _login(username, password, **meta):
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}, **meta
    )
    return response.status_code == 302


def _addresses():
    # Redis-free (axes keeps attempts in the database), but fresh addresses keep tests apart.
    n = uuid.uuid4().int
    return f"198.51.{n % 250}.{n // 250 % 250}", f"203.0.{n % 250}.{n // 250 % 250}"


def test_behind_a_trusted_proxy_wrong_passwords_lock_one_account_from_one_address(
    settings, officer_a, officer_b
):
    settings.GONGKAI_TRUSTED_PROXY = True
    attacker, colleague = _addresses()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        assert not _login("officer_a", "wrong", HTTP_X_FORWARDED_FOR=attacker, **proxy)
    # Locked: even the right password from the attacker's address.
    assert not _login("officer_a", PASSWORD, HTTP_X_FORWARDED_FOR=attacker, **proxy)
    # Everyone else behind the same proxy still logs in, the same account from elsewhere too.
    assert _login("officer_b", PASSWORD, HTTP_X_FORWARDED_FOR=attacker, **proxy)
    assert _login("officer_a", PASSWORD, HTTP_X_FORWARDED_FOR=colleague, **proxy)


def test_without_a_trusted_proxy_the_header_is_ignored(settings, officer_a):
    settings.GONGKAI_TRUSTED_PROXY = False
    attacker, other = _addresses()
    for n in range(3):
        # A client changing the header on every try does not escape the lockout.
        assert not _login(
            "officer_a", "wrong", REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
    assert not _login("officer_a", PASSWORD, REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR="192.0.2.9")
    assert _login("officer_a", PASSWORD, REMOTE_ADDR=other)


def test_locked_out_page_is_chinese(settings, officer_a):
    attacker, _ = _addresses()
    for _ in range(3):
        _login("officer_a", "wrong", REMOTE_ADDR=attacker)
    response = Client().post(
        reverse("accounts:login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR=attacker,
    )
    assert response.status_code == 429 and "登录" in response.content.decode()
