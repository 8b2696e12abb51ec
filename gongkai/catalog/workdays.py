"""The catalogue's stored working-day dates, registered with gongkai.core.workday_dates.

| stored date                   | from                                        | pending while               |
|-------------------------------|---------------------------------------------|-----------------------------|
| Record.publish_due_on         | made_on + 20 wd (条例第26条)                | proactive, not yet published|
| Record.interpretation_due_on  | publication day + 3 wd (三同步, RULES.md §5)| promised, not yet published |

Each is stored with `<field>_provisional` (暂定). When a loaded notice moves one earlier, the
record's drafter and the handlers of its publisher are alerted by e-mail through the outbox (the
catalogue's deadlines otherwise show on its overdue page and in the daily periodic log).
"""

from __future__ import annotations

from django.urls import reverse

from gongkai.core import workday_dates
from gongkai.core.workday_dates import WorkdayDate
from gongkai.orgs.rules import handlers


def _alert(change, actor) -> None:
    record = change.obj
    users = handlers(record.publisher_id)
    if record.created_by is not None and record.created_by.is_active:
        users.append(record.created_by)
    workday_dates.mail_officers(change, users)


def _url(record) -> str:
    return reverse("catalog_staff:record", args=[record.pk])


def _unpublished():
    from gongkai.catalog.models import Attribute, Record, Status

    return Record.objects.filter(
        attribute=Attribute.PROACTIVE,
        status__in=(Status.DRAFT, Status.IN_REVIEW, Status.APPROVED),
        publish_due_on__isnull=False,
    ).select_related("created_by")


def _interpretation_promised():
    from gongkai.catalog.models import InterpretationPlan, InterpretationStatus, Record, Status

    return (
        Record.objects.filter(
            status=Status.PUBLISHED,
            interpretation_plan=InterpretationPlan.LATER,
            interpretation_due_on__isnull=False,
        )
        .exclude(interpretations__status=InterpretationStatus.PUBLISHED)
        .select_related("created_by")
    )


def _publish_due(record):
    from gongkai.catalog.actions import publish_due

    return publish_due(record.made_on)


def _interpretation_due(record):
    from gongkai.catalog.actions import interpretation_due

    return interpretation_due(record.published_at)


ENTRIES = [
    WorkdayDate(
        key="catalog.record.publish_due_on",
        label="信息公开期限",
        model="catalog.Record",
        field="publish_due_on",
        pending=_unpublished,
        compute=_publish_due,
        alert=_alert,
        url=_url,
        organisation_id=lambda r: r.publisher_id,
    ),
    WorkdayDate(
        key="catalog.record.interpretation_due_on",
        label="政策解读发布期限",
        model="catalog.Record",
        field="interpretation_due_on",
        pending=_interpretation_promised,
        compute=_interpretation_due,
        alert=_alert,
        url=_url,
        organisation_id=lambda r: r.publisher_id,
    ),
]


def register() -> None:
    for entry in ENTRIES:
        workday_dates.register(entry)
