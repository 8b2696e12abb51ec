"""Helpers for the foi tests: requester data and requests in a known state."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.foi import actions
from gongkai.foi.actions import RequestData, RequesterData
from gongkai.orgs.models import Role

VALID_ID = "370802199001011248"  # a valid GB 11643 check digit


def person(**kw) -> RequesterData:
    data = {
        "kind": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800000000",
        "email": "zhangsan@example.com",
    }
    data.update(kw)
    return RequesterData(**data)


def asking(text="2025年义务教育阶段学校招生计划", **kw) -> RequestData:
    return RequestData(description=text, **kw)


def id_proof():
    return SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")


@pytest.fixture
def reviewer_a(dept_a):
    from gongkai.testing.factories import member

    return member("reviewer_a", "教育局审核人", dept_a, Role.REVIEWER)


@pytest.fixture
def received(officer_a, dept_a):
    """A request to dept A registered in person today, assigned to officer A."""
    from django.utils import timezone

    req = actions.register(
        officer_a,
        dept_a,
        person(),
        asking(),
        channel="in_person",
        arrived_on=timezone.localdate(),
    )
    return actions.assign(officer_a, req, officer_a)


def request_to(organisation, actor, **kw):
    """A request to ``organisation`` registered in person today (received at once)."""
    from django.utils import timezone

    return actions.register(
        actor,
        organisation,
        person(),
        asking(),
        channel="in_person",
        arrived_on=timezone.localdate(),
        **kw,
    )


def sign(req, actor, **draft):
    """Draft, submit, review and sign a reply to ``req`` as ``actor`` (the office may do every
    step); the signed reply letter."""
    actions.draft_reply(actor, req, **draft)
    actions.submit_reply(actor, req)
    actions.review_reply(actor, req, approve=True)
    actions.sign_reply(actor, req)
    return req.letters.get(kind="reply")
