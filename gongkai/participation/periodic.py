"""Periodic work: a daily summary of participation deadlines (run by `gongkai run-periodic`).

Nothing here changes state: deadlines are derived from stored dates, so the job only reports
(and logs) what the dashboard shows, which lets cron mail it to the office."""

from __future__ import annotations

import logging

from django.utils import timezone

from gongkai.core.periodic import periodic_job
from gongkai.participation import rules
from gongkai.participation.models import (
    ConcernResponse,
    ConcernState,
    Consultation,
    Enquiry,
    EnquiryState,
    Message,
    MessageState,
    PublicationState,
)

logger = logging.getLogger("gongkai.participation")


def deadline_counts(now=None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_messages = list(
        Message.objects.filter(state__in=[MessageState.RECEIVED, MessageState.ROUTED]).values_list(
            "received_at", flat=True
        )
    )
    veto = sum(1 for at in open_messages if now >= rules.message_veto_at(at))
    near = sum(
        1 for at in open_messages if rules.message_warn_from(at) <= now < rules.message_veto_at(at)
    )
    concerns_missed = 0
    for concern in ConcernResponse.objects.filter(state=ConcernState.OPEN).prefetch_related(
        "releases"
    ):
        deadlines = rules.concern_deadlines(
            concern.kind, concern.detected_at, concern.releases.all()
        )
        concerns_missed += sum(1 for d in deadlines if d.missed(now))
    return {
        "messages_over_three_months": veto,
        "messages_near_three_months": near,
        "messages_overdue": Message.objects.filter(
            state__in=[MessageState.RECEIVED, MessageState.ROUTED], due_on__lt=today
        ).count(),
        "enquiries_overdue": Enquiry.objects.filter(
            state=EnquiryState.PENDING, due_on__lt=today
        ).count(),
        "feedback_overdue": Consultation.objects.filter(
            state=PublicationState.PUBLISHED,
            feedback_published_at__isnull=True,
            feedback_due_on__lt=today,
        ).count(),
        "concern_deadlines_missed": concerns_missed,
    }


LABELS = {
    "messages_over_three_months": "超过三个月未答复的留言",
    "messages_near_three_months": "即将满三个月的留言",
    "messages_overdue": "超期留言",
    "enquiries_overdue": "超期政策咨询",
    "feedback_overdue": "超期未公开的意见反馈",
    "concern_deadlines_missed": "未按时回应的舆情时限",
}


@periodic_job("participation-deadlines")
def participation_deadlines(dry_run: bool = False) -> str:
    counts = deadline_counts()
    for key, value in counts.items():
        if value:
            logger.warning("participation deadline %s=%s", key, value)
    summary = "；".join(f"{LABELS[k]} {v} 件" for k, v in counts.items())
    return ("（演练）" if dry_run else "") + summary
