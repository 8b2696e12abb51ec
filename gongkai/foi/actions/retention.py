"""ID proofs kept only for the stated retention period: a requester's 身份证明 is deleted
`GONGKAI_ID_PROOF_RETENTION_DAYS` days after the last of their requests closed (replied,
delivered, archived or withdrawn), by the periodic job foi.id_proof_retention. Each deletion is
audited; the request, its letters and the requester's details stay."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet

from gongkai.core import audit

from ..models import CLOSED_STATES, InfoRequest, Requester

if TYPE_CHECKING:
    from datetime import datetime

    from django_stubs_ext import WithAnnotations

    from gongkai.core.actions import Actor


class _Closed(TypedDict):
    """The annotations expired_id_proofs adds to each requester."""

    last_closed: date | None
    last_change: datetime


SYSTEM_ACTOR = "系统（身份证明保存期限）"


def retention_days() -> int:
    return int(getattr(settings, "GONGKAI_ID_PROOF_RETENTION_DAYS", 180))


def expired_id_proofs(
    today: date,
) -> tuple[QuerySet[WithAnnotations[Requester, _Closed]], date]:
    """Requesters with an ID proof whose every request is closed, the last one closed more
    than the retention period before `today`."""
    cutoff = today - timedelta(days=retention_days())
    still_open = InfoRequest.objects.filter(requester=OuterRef("pk")).exclude(
        state__in=CLOSED_STATES
    )
    return (
        Requester.objects.exclude(id_proof="")
        .exclude(Exists(still_open))
        .annotate(last_closed=Max("requests__finished_on"), last_change=Max("requests__updated_at"))
        .filter(requests__isnull=False)
        .distinct()
        .order_by("pk")
    ), cutoff


def delete_expired_id_proofs(
    actor: Actor = SYSTEM_ACTOR, *, today: date | None = None, dry_run: bool = False
) -> int:
    """Delete the ID proofs past their retention period; the number deleted (or that would
    be, with dry_run)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    candidates, cutoff = expired_id_proofs(today)
    count = 0
    for requester in candidates:
        closed = requester.last_closed or timezone.localdate(requester.last_change)
        if closed >= cutoff:
            continue
        count += 1
        if dry_run:
            continue
        with transaction.atomic():
            locked = Requester.objects.select_for_update().get(pk=requester.pk)
            name = locked.id_proof.name
            if not name:
                continue
            locked.id_proof.delete(save=False)
            locked.id_proof = ""
            locked.save(update_fields=["id_proof"])
            audit.record(
                actor,
                "foi.id_proof_deleted",
                locked,
                before={"id_proof": name},
                after={"id_proof": ""},
                organisation_id=locked.requests.values_list("organisation_id", flat=True).first(),
                note=f"申请办结 {retention_days()} 天后删除身份证明（办结日期 {closed:%Y-%m-%d}）",
            )
    return count
