"""Fixtures for participation tests: a published consultation open today, helpers to post
public forms the way a browser does (GET the form, read the captcha, POST)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from gongkai.participation import actions
from gongkai.participation.models import DocumentKind
from gongkai.testing import solve_captcha


def form_fields(html: str) -> dict:
    """The hidden idempotency key and the captcha answer of the form in html."""
    data = solve_captcha(html)
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', html)
    if match:
        data["idempotency_key"] = match.group(1)
    return data


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' passwords are hashed with PBKDF2 (over a second each here); these tests
    never check password strength, so a fast hasher keeps them quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_consultation(office, dept_a, today):
    def _make(*, publish=True, kind=DocumentKind.POLICY, days=30, start=None, **extra):
        start = start or today
        fields = {
            "title": "济宁市义务教育阶段学生资助办法（征求意见稿）",
            "kind": kind,
            "summary": "为进一步规范学生资助工作，现公开征求社会各界意见。",
            "draft_text": "第一条 为规范学生资助工作，制定本办法。\n第二条 本办法适用于本市义务教育阶段学校。",
            "opens_on": start,
            "closes_on": start + dt.timedelta(days=days - 1),
            **extra,
        }
        consultation = actions.create_consultation(office, dept_a, **fields)
        if publish:
            consultation = actions.publish_consultation(office, consultation)
        return consultation

    return _make


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


@pytest.fixture
def post_comment(client):
    """GET the consultation page, fill the form as a person would, POST it."""

    def _post(consultation, body="建议提高补助标准。", follow=True, **fields):
        url = f"/participation/consultations/{consultation.pk}/"
        html = client.get(url).content.decode()
        data = {**form_fields(html), "body": body, **fields}
        return client.post(url, data, follow=follow), data

    return _post
