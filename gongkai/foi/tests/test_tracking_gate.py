"""The requester's tracking session opens only on tracking code + contact: a known idempotency
key gets 「已收到」 and nothing more (issue 13, point 2)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.foi.models import InfoRequest, State
from gongkai.testing import solve_captcha

from .test_public import _data, _form

pytestmark = pytest.mark.django_db


def _submit(client, dept):
    html, key = _form(client)
    response = client.post(reverse("portal:foi_apply"), _data(dept, key, html))
    assert response.status_code == 302
    return InfoRequest.objects.get(idempotency_key=key), key


def test_known_idempotency_key_gives_no_tracking_session(client, government, dept_a):
    req, key = _submit(client, dept_a)
    status_url = reverse("portal:foi_status", args=[req.tracking_code])
    withdraw_url = reverse("portal:foi_withdraw", args=[req.tracking_code])

    attacker = Client()
    html, _ = _form(attacker)
    response = attacker.post(
        reverse("portal:foi_apply"), _data(dept_a, key, html, phone="13911112222", email="")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "已收到" in page
    assert req.tracking_code not in page
    assert req.tracking_code not in attacker.get(reverse("portal:foi_submitted")).content.decode()
    assert attacker.get(status_url).status_code == 404
    assert attacker.post(withdraw_url, {"note": "撤回"}).status_code == 404
    req.refresh_from_db()
    assert req.state == State.SUBMITTED and InfoRequest.objects.count() == 1


def test_submitting_shows_the_code_but_tracking_needs_the_check(client, government, dept_a):
    req, _ = _submit(client, dept_a)
    page = client.get(reverse("portal:foi_submitted")).content.decode()
    assert req.tracking_code in page
    status_url = reverse("portal:foi_status", args=[req.tracking_code])
    assert client.get(status_url).status_code == 404
    html = client.get(reverse("portal:foi_track")).content.decode()
    response = client.post(
        reverse("portal:foi_track"),
        {
            "tracking_code": req.tracking_code,
            "contact": "wangwu@example.com",
            **solve_captcha(html),
        },
    )
    assert response.status_code == 302 and response["Location"] == status_url
    assert client.get(status_url).status_code == 200


def test_demo_idempotency_keys_are_not_guessable():
    from gongkai.demo.loader import load_demo

    load_demo()
    keys = [k for k in InfoRequest.objects.values_list("idempotency_key", flat=True) if k]
    assert keys and all(re.fullmatch(r"[0-9a-f]{32,}", k) for k in keys)


def test_after_the_tracking_limit_a_right_guess_is_refused_too(
    client, government, dept_a, settings, monkeypatch
):
    from gongkai.portal.foi import views

    settings.GONGKAI_RATE_LIMIT_ENABLED = True
    settings.GONGKAI_CAPTCHA_ENABLED = False
    monkeypatch.setattr(views, "TRACK_LIMIT", (3, 3600))
    req, _ = _submit(Client(), dept_a)
    address = f"10.66.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"

    def guess(contact):
        return client.post(
            reverse("portal:foi_track"),
            {"tracking_code": req.tracking_code, "contact": contact},
            REMOTE_ADDR=address,
        )

    assert [guess(f"1390000000{n}").status_code for n in range(3)] == [400] * 3
    response = guess("wangwu@example.com")
    assert response.status_code == 429 and "查询失败次数过多" in response.content.decode()
    status_url = reverse("portal:foi_status", args=[req.tracking_code])
    assert client.get(status_url).status_code == 404
