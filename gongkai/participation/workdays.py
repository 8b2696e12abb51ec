"""Participation's stored working-day dates, registered with gongkai.core.workday_dates.

| stored date                          | from                                   | pending while        |
|--------------------------------------|----------------------------------------|----------------------|
| Consultation.feedback_due_on         | closes_on + 20 wd (feedback_workdays)  | feedback unpublished |
| Enquiry.due_on                       | day submitted + 5 wd                   | 待答复               |
| Message.due_on                       | day received + 10 wd                   | 待分办 / 办理中      |
| Complaint.due_on                     | received_on + 20 wd                    | 办理中               |
| OpenDaySuggestion.due_on             | open day (or registration) + 15 wd     | unanswered           |

Each is stored with `<field>_provisional` (暂定). When a loaded notice moves one earlier, the
handlers of the item's organisation are alerted by e-mail through the outbox (participation has
no reminder model of its own; its dashboard lists the same deadlines).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongkai.core import workday_dates
from gongkai.core.workday_dates import WorkdayDate
from gongkai.orgs.rules import handlers
from gongkai.participation import rules


def _alert(change, actor) -> None:
    workday_dates.mail_officers(change, handlers(change.obj.organisation_id))


def _org(obj) -> int:
    return obj.organisation_id


def _models():
    from gongkai.participation import models

    return models


ENTRIES = [
    WorkdayDate(
        key="participation.consultation.feedback_due_on",
        label="征求意见反馈公开期限",
        model="participation.Consultation",
        field="feedback_due_on",
        pending=lambda: _models().Consultation.objects.filter(
            feedback_due_on__isnull=False, feedback_published_at__isnull=True
        ),
        compute=lambda c: rules.feedback_due(c.closes_on),
        alert=_alert,
        url=lambda c: reverse("participation_staff:consultation", args=[c.pk]),
        organisation_id=_org,
    ),
    WorkdayDate(
        key="participation.enquiry.due_on",
        label="政策咨询答复期限",
        model="participation.Enquiry",
        field="due_on",
        pending=lambda: _models().Enquiry.objects.filter(state=_models().EnquiryState.PENDING),
        compute=lambda e: rules.workday_due(timezone.localdate(e.submitted_at), "enquiry_workdays"),
        alert=_alert,
        url=lambda e: reverse("participation_staff:enquiry", args=[e.pk]),
        organisation_id=_org,
    ),
    WorkdayDate(
        key="participation.message.due_on",
        label="留言答复期限",
        model="participation.Message",
        field="due_on",
        pending=lambda: _models().Message.objects.filter(
            state__in=[_models().MessageState.RECEIVED, _models().MessageState.ROUTED]
        ),
        compute=lambda m: rules.workday_due(timezone.localdate(m.received_at), "message_workdays"),
        alert=_alert,
        url=lambda m: reverse("participation_staff:message", args=[m.pk]),
        organisation_id=_org,
    ),
    WorkdayDate(
        key="participation.complaint.due_on",
        label="申诉办理期限",
        model="participation.Complaint",
        field="due_on",
        pending=lambda: _models().Complaint.objects.filter(state=_models().ComplaintState.RECEIVED),
        compute=lambda c: rules.workday_due(c.received_on, "complaint_workdays"),
        alert=_alert,
        url=lambda c: reverse("participation_staff:complaint", args=[c.pk]),
        organisation_id=_org,
    ),
    WorkdayDate(
        key="participation.open_day_suggestion.due_on",
        label="开放日意见建议答复期限",
        model="participation.OpenDaySuggestion",
        field="due_on",
        pending=lambda: (
            _models()
            .OpenDaySuggestion.objects.filter(answered_at__isnull=True)
            .select_related("open_day")
        ),
        compute=lambda s: rules.workday_due(
            rules.suggestion_start(s.open_day.starts_at, timezone.localdate(s.created_at)),
            "suggestion_workdays",
        ),
        alert=_alert,
        url=lambda s: reverse("participation_staff:open_day", args=[s.open_day_id]),
        organisation_id=_org,
    ),
]


def register() -> None:
    for entry in ENTRIES:
        workday_dates.register(entry)
