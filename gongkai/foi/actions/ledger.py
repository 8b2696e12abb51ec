"""Writes that come from outside a request's own lifecycle: a checked ledger import (the
parsing and checking live in foi.importer) and a staff member's reminder marked as seen."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.actions import require

from .. import rules
from ..models import (
    EventKind,
    IdType,
    InfoRequest,
    Requester,
    RequesterKind,
    RequestEvent,
    RequestReminder,
    State,
)
from .base import _new_tracking_code, _user, refresh_clock

if TYPE_CHECKING:
    from gongkai.core.actions import Actor, AnyUser
    from gongkai.orgs.models import Organisation


def import_ledger(
    actor: Actor, government: Organisation, rows: list[dict[str, Any]], *, source: str
) -> int:
    """Create one archived or open request per checked ledger row (all or nothing) and return
    how many were created. Rows come from foi.importer, which has already refused any file with
    an error; a request still open is put on the clock."""
    if actor is not None and not isinstance(actor, str) and actor.is_authenticated:
        require(rules.is_office(actor, government.pk), "只有政务公开办公室可以导入申请台账。")
    tz = timezone.get_current_timezone()
    created = 0
    with transaction.atomic():
        for row in rows:
            person = Requester.objects.create(
                kind=row["kind"],
                name=row["name"],
                id_type=IdType.RESIDENT_ID
                if row["kind"] == RequesterKind.NATURAL_PERSON
                else IdType.CREDIT_CODE,
                id_number="",
            )
            received_on: date = row["received_on"]
            arrived = timezone.make_aware(datetime.combine(received_on, datetime.min.time()), tz)
            req = InfoRequest.objects.create(
                government=government,
                organisation=row["org"],
                requester=person,
                ref=row["ref"],
                tracking_code=_new_tracking_code(),
                description=row["description"],
                channel=row["channel"],
                arrived_at=arrived,
                confirmed_at=arrived,
                received_on=received_on,
                state=State.ARCHIVED if row["finished_on"] else State.IN_PROGRESS,
                outcome=row["outcome"],
                outcome_reason=row["reason"],
                finished_on=row["finished_on"],
                imported=True,
            )
            RequestEvent.objects.create(
                request=req,
                kind=EventKind.IMPORTED,
                on=received_on,
                actor=_user(actor),
                actor_label=str(actor or "系统"),
                note=f"从台账 {source} 导入",
                public=False,
            )
            if not row["finished_on"]:
                refresh_clock(req)
            created += 1
        audit.record(
            actor,
            "foi.import",
            None,
            organisation_id=government.pk,
            after={"file": source, "created": created},
            note=f"导入历史申请台账 {source}：{created} 件",
        )
    return created


def mark_reminder_seen(actor: AnyUser, reminder: RequestReminder) -> None:
    require(reminder.user_id == actor.pk, "这条提醒不是发给您的。")
    with transaction.atomic():
        RequestReminder.objects.filter(pk=reminder.pk).update(seen=True)
        audit.record(
            actor,
            "foi.reminder_seen",
            reminder,
            organisation_id=reminder.request.organisation_id,
        )
