"""行政复议 and 行政诉讼 not tied to one request (issue 15 point 12): a case about inaction
(不作为) on an application the platform never registered, or about disclosure work in general
(条例第51条). Table 四 of the annual report counts them with the cases of requests."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from gongkai.core import audit
from gongkai.core.actions import require

from .. import rules
from ..models import ReviewCase, ReviewKind
from . import base
from .base import ActionError

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser
    from gongkai.orgs.models import Organisation


def add_case(
    actor: AnyUser,
    organisation: Organisation,
    *,
    kind: str,
    filed_on: date,
    subject: str,
    inaction: bool = False,
    case_no: str = "",
    body: str = "",
) -> ReviewCase:
    """Record a review or lawsuit against `organisation` not tied to one registered request."""
    require(rules.can_register(actor, organisation), "您不能为该机关登记复议或诉讼案件。")
    if kind not in ReviewKind.values:
        raise ActionError("请选择类型（行政复议、直接起诉或复议后起诉）。", field="kind")
    if filed_on is None or filed_on > base.today():
        raise ActionError("立案日期不能为空，也不能晚于今天。", field="filed_on")
    if not subject.strip():
        raise ActionError("请写明案由（如：逾期未答复政府信息公开申请）。", field="subject")
    with transaction.atomic():
        case = record_case(
            actor,
            request=None,
            organisation_id=organisation.pk,
            government_id=organisation.government_id or organisation.pk,
            inaction=inaction,
            subject=subject.strip()[:300],
            kind=kind,
            filed_on=filed_on,
            case_no=case_no,
            body=body,
        )
    return case


def record_case(
    actor: AnyUser, *, organisation_id: int, case_no: str, body: str, **fields: Any
) -> ReviewCase:
    """Write one review or lawsuit and its audit event (the callers have checked it)."""
    case = ReviewCase.objects.create(
        organisation_id=organisation_id,
        case_no=case_no.strip(),
        body=body.strip(),
        **fields,
    )
    audit.record(
        actor,
        "foi.review_case_add",
        case,
        after=audit.snapshot(case),
        organisation_id=organisation_id,
    )
    return case
