"""Publishing with a time in the future says when it will be published, not 「已发布。」
(issue 13, point 12)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import Record

pytestmark = pytest.mark.django_db


def _approved(user, publisher):
    record = actions.create_record(
        user,
        publisher,
        {"title": "关于定时发布的通知", "made_on": dt.date(2026, 11, 2), "body": "<p>正文</p>"},
    )
    actions.submit_for_review(user, record)
    return actions.approve(user, record) or record


def test_scheduled_publish_says_when(login, approver_a, dept_a):
    record = _approved(approver_a, dept_a)
    at = timezone.localtime() + dt.timedelta(days=2)
    at = at.replace(hour=9, minute=30, second=0, microsecond=0)
    client = login(approver_a)
    response = client.post(
        reverse("catalog_staff:record_action", args=[record.pk, "publish"]),
        {"at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [f"已安排于{at:%Y年%m月%d日} 09:30发布。"]
    assert Record.objects.get(pk=record.pk).scheduled_at is not None


def test_immediate_publish_says_published(login, approver_a, dept_a):
    record = _approved(approver_a, dept_a)
    client = login(approver_a)
    response = client.post(
        reverse("catalog_staff:record_action", args=[record.pk, "publish"]), {"at": ""}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已发布。"]
