"""Builders for the reports tests: requests, review cases and records with exact dates.

Requests are written the way gongkai.foi.actions leaves them (state, outcome + sub-reason,
received_on, finished_on), so that the expected tables can be computed by hand."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

# Table 三's columns written out (not read from reports.layout), as the national format has them.
COLS = (
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
    "total",
)

_seq = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_request(
    org,
    kind="natural_person",
    *,
    received=None,
    finished=None,
    outcome="",
    reason=None,
    state=None,
    request_kind="disclosure",
):
    from django.utils import timezone

    from gongkai.foi.models import InfoRequest, Requester, State

    n = next(_seq)
    requester = Requester.objects.create(
        kind=kind, name=f"申请人{n}", id_type="resident_id", id_number=f"37080219900101{n:04d}"
    )
    received_on = d(received) if received else None
    finished_on = d(finished) if finished else None
    arrived = timezone.make_aware(
        dt.datetime.combine(received_on or dt.date(2025, 1, 2), dt.time(9, 0))
    )
    if state is None:
        state = State.ARCHIVED if finished_on else State.IN_PROGRESS
    return InfoRequest.objects.create(
        government_id=org.government_id,
        organisation=org,
        requester=requester,
        kind=request_kind,
        tracking_code=f"T{n:010d}",
        description="测试申请",
        channel="online",
        arrived_at=arrived,
        received_on=received_on,
        finished_on=finished_on,
        state=state,
        outcome=outcome,
        outcome_reason=reason,
    )


def make_case(req, kind, filed, result="pending", decided=None):
    from gongkai.foi.models import ReviewCase

    return ReviewCase.objects.create(
        request=req,
        organisation_id=req.organisation_id,
        government_id=req.government_id,
        kind=kind,
        filed_on=d(filed),
        result=result,
        decided_on=d(decided) if decided else None,
    )


def make_record(
    org,
    genre,
    *,
    written=None,
    published="2025-01-01",
    status="published",
    validity="in_force",
    changed=None,
    expires=None,
    column=None,
):
    from django.utils import timezone

    from gongkai.catalog.models import Record

    n = next(_seq)
    published_at = (
        timezone.make_aware(dt.datetime.combine(d(published), dt.time(10, 0)))
        if published
        else None
    )
    return Record.objects.create(
        government_id=org.government_id,
        publisher=org,
        index_no=f"TEST/{n:06d}",
        title=f"测试文件{n}",
        made_on=d(written or published or "2025-01-01"),
        written_on=d(written) if written else None,
        published_at=published_at,
        genre=genre,
        status=status,
        validity=validity,
        validity_changed_on=d(changed) if changed else None,
        expires_on=d(expires) if expires else None,
        column=column,
    )


@pytest.fixture
def world(dept_a, dept_b):
    """The scenario of the hand-computed tables (test_counters.py)."""
    from gongkai.foi.models import State

    a = dept_a
    r = {}
    # 1. received 2024-12-20, answered 2025-01-10: 2024 carried forward, 2025 carried over.
    r[1] = make_request(a, received="2024-12-20", finished="2025-01-10", outcome="disclosed")
    # 2. a commercial requester asked to correct (补正) and let it lapse: 其他处理-1.
    r[2] = make_request(
        a, "commercial", received="2025-03-03", finished="2025-04-10", outcome="other", reason=1
    )
    # 3. withdrawn: 其他处理-3.
    r[3] = make_request(
        a,
        received="2025-05-06",
        finished="2025-05-20",
        outcome="other",
        reason=3,
        state=State.WITHDRAWN,
    )
    # 4. 区分处理 → 部分公开 only.
    r[4] = make_request(
        a, "research", received="2025-06-03", finished="2025-06-20", outcome="partly_disclosed"
    )
    r[5] = make_request(
        a,
        "public_interest",
        received="2025-07-01",
        finished="2025-07-15",
        outcome="not_disclosed",
        reason=4,
    )
    r[6] = make_request(
        a,
        "legal_service",
        received="2025-08-01",
        finished="2025-08-11",
        outcome="cannot_provide",
        reason=1,
    )
    # 7. received at the end of 2025, still open.
    r[7] = make_request(a, "other_org", received="2025-12-25")
    # 8. finished in 2023: in neither 2024 nor 2025.
    r[8] = make_request(a, received="2023-05-04", finished="2023-06-01", outcome="disclosed")
    r[9] = make_request(
        a, received="2025-02-03", finished="2025-02-20", outcome="not_processed", reason=2
    )
    # Not counted for A: another department's request; one never received; a 第41条 request.
    r[10] = make_request(
        dept_b, "commercial", received="2025-04-01", finished="2025-04-20", outcome="disclosed"
    )
    r[11] = make_request(a, state=State.SUBMITTED)
    r[12] = make_request(a, received="2025-03-03", request_kind="record_correction")
    # Reviews and litigation.
    make_case(r[5], "review", "2025-08-01", "corrected", "2026-03-02")  # decided next year
    make_case(r[6], "litigation_direct", "2025-09-01", "upheld", "2025-11-03")
    make_case(r[4], "litigation_after_review", "2025-10-08")  # still pending
    make_case(r[8], "review", "2023-07-03", "other", "2024-02-01")
    make_case(r[10], "review", "2025-05-06", "upheld", "2025-06-02")  # dept B
    return r
