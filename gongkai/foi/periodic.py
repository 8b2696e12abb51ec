"""Periodic work for requests (run by `gongkai run-periodic`): recompute due dates, and remind
the officers of requests due within 3 working days or overdue, of lapsed correction and payment
deadlines — in the staff area (RequestReminder) and by e-mail, once a day per request and user."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import calendar as cal
from gongkai.core.periodic import periodic_job
from gongkai.core.tasks import queue_mail
from gongkai.orgs.models import Membership
from gongkai.orgs.rules import HANDLING_ROLES

from .actions import clock_for, refresh_clock
from .models import (
    CLOCK_STATES,
    Fee,
    InfoRequest,
    InterAgencyConsultation,
    RequestReminder,
    State,
    ThirdParty,
    due_soon_q,
    overdue_q,
)

if TYPE_CHECKING:
    from datetime import date

    from gongkai.accounts.models import User
    from gongkai.orgs.models import Organisation

logger = logging.getLogger("gongkai.foi")

RUNNING = (State.RECEIVED, State.IN_PROGRESS)


def due_requests(
    *, government: Organisation | None = None, today: date | None = None
) -> list[tuple[InfoRequest, str]]:
    """(request, 'overdue' | 'due_soon') for running requests, most urgent first."""
    today = today or timezone.localdate()
    soon = cal.add_workdays(today, 3).date
    qs = InfoRequest.objects.filter(overdue_q(today) | due_soon_q(today, soon)).select_related(
        "organisation", "officer"
    )
    if government is not None:
        qs = qs.filter(government=government)
    return [
        # overdue_q/due_soon_q only match a set due_on, which the ORM types as Optional
        (r, "overdue" if r.due_on < today else "due_soon")  # type: ignore[operator]
        for r in qs.order_by("due_on")
    ]


def _recipients(req: InfoRequest) -> list[User]:
    if req.officer_id and req.officer is not None:
        return [req.officer]
    members = Membership.objects.filter(
        organisation_id=req.organisation_id, role__in=HANDLING_ROLES
    ).select_related("user")
    return list({m.user for m in members})


def _remind(req: InfoRequest, kind: str, text: str, today: date, dry_run: bool) -> int:
    sent = 0
    for user in _recipients(req):
        if dry_run:
            sent += 1
            continue
        try:
            with transaction.atomic():
                reminder = RequestReminder.objects.create(
                    user=user, request=req, kind=kind, on=today, text=text
                )
                # The mail is queued with the reminder: both once, or neither.
                queue_mail(
                    f"foi-reminder:{reminder.pk}", f"【依申请公开提醒】{text}", text, [user.email]
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


@periodic_job("foi.reminders")
def reminders(dry_run: bool = False) -> str:
    today = timezone.localdate()
    if not dry_run:
        for req in InfoRequest.objects.filter(state__in=CLOCK_STATES).prefetch_related("events"):
            refresh_clock(req)
    count = 0
    for req, status in due_requests(today=today):
        label = "已超期" if status == "overdue" else "将在3个工作日内到期"
        text = (
            f"申请 {req}（{req.organisation.display_name}）答复期限 {req.due_on:%Y-%m-%d}，{label}"
        )
        if req.due_provisional:
            text += "（暂定）"
        count += _remind(req, status, text, today, dry_run)
    for req in InfoRequest.objects.filter(state=State.AWAITING_CORRECTION).select_related(
        "organisation", "officer"
    ):
        clock = clock_for(req)
        if clock.correction_due and today > clock.correction_due:
            text = f"申请 {req} 补正期限 {clock.correction_due:%Y-%m-%d} 已过，可按逾期未补正处理"
            count += _remind(req, "correction", text, today, dry_run)
    for fee in Fee.objects.filter(
        request__state=State.AWAITING_PAYMENT, paid_on__isnull=True, pay_by__lt=today
    ).select_related("request__organisation", "request__officer"):
        text = f"申请 {fee.request} 缴费期限 {fee.pay_by:%Y-%m-%d} 已过，可按逾期未缴费处理"
        count += _remind(fee.request, "payment", text, today, dry_run)
    count += consultation_reminders(today, dry_run)
    verb = "将发送" if dry_run else "已发送"
    return f"{verb}提醒 {count} 条"


@periodic_job("foi.id_proof_retention")
def id_proof_retention(dry_run: bool = False) -> str:
    """Delete ID proofs kept past the retention period after their requests closed."""
    from .actions.retention import delete_expired_id_proofs, retention_days

    count = delete_expired_id_proofs(dry_run=dry_run)
    verb = "将删除" if dry_run else "已删除"
    return f"{verb}超过保存期限（办结后 {retention_days()} 天）的身份证明 {count} 份"


def lapsing_requests(today: date | None = None) -> list[tuple[InfoRequest, str]]:
    """(request, action) for requests whose correction or payment period has ended
    (条例第30条; 109号): the action ends them as 其他处理-1 / -2."""
    from . import rules

    today = today or timezone.localdate()
    found = []
    candidates = InfoRequest.objects.filter(
        state__in=[State.AWAITING_CORRECTION, State.AWAITING_PAYMENT]
    ).select_related("organisation")
    for req in candidates.prefetch_related("events"):
        name = "lapse_correction" if req.state == State.AWAITING_CORRECTION else "fee_lapsed"
        if name in rules.assess(req, today).allowed:
            found.append((req, name))
    return found


@periodic_job("foi.lapses")
def lapses(dry_run: bool = False) -> str:
    """End, through the actions, the requests whose correction or payment period has ended
    (视为放弃: 其他处理-1 / -2), so none shows 「暂停」 forever."""
    from . import actions

    found = lapsing_requests()
    if dry_run:
        return f"将按视为放弃处理 {len(found)} 件"
    done = 0
    for req, name in found:
        run = actions.lapse_correction if name == "lapse_correction" else actions.fee_lapsed
        try:
            run(None, req)
        except actions.ActionError as exc:
            logger.warning("foi.lapses: %s not lapsed: %s", req.pk, exc)
            continue
        done += 1
    return f"已按视为放弃处理 {done} 件"


def consultation_reminders(today: date, dry_run: bool = False) -> int:
    """The 15-working-day answer of a third party (条例第32条) or a consulted agency (第34条):
    a reminder from 3 working days before it, and once it has passed, what silence means."""
    soon = cal.add_workdays(today, 3).date
    count = 0
    parties = ThirdParty.objects.filter(
        request__state=State.THIRD_PARTY, answered_on__isnull=True, reply_by__lte=soon
    ).select_related("request__organisation", "request__officer")
    for party in parties:
        if party.reply_by < today:
            text = (
                f"申请 {party.request} 征求{party.name}意见的期限 {party.reply_by:%Y-%m-%d} 已过："
                "第三方逾期未提出意见的，由本机关依法决定是否公开（条例第32条），不再暂停计时"
            )
        else:
            text = f"申请 {party.request} 征求{party.name}意见的期限 {party.reply_by:%Y-%m-%d} 将到"
        count += _remind(party.request, "third_party", text, today, dry_run)
    consultations = InterAgencyConsultation.objects.filter(
        request__state=State.AGENCY_CONSULTATION, answered_on__isnull=True, reply_by__lte=soon
    ).select_related("request__organisation", "request__officer", "organisation")
    for item in consultations:
        who = item.organisation.name
        if item.reply_by < today:  # type: ignore[operator]  # reply_by__lte matched: it is set
            text = (
                f"申请 {item.request} 征求{who}意见的期限 {item.reply_by:%Y-%m-%d} 已过："
                "逾期未提出意见的视为同意公开（条例第34条），不再暂停计时"
            )
        else:
            text = f"申请 {item.request} 征求{who}意见的期限 {item.reply_by:%Y-%m-%d} 将到"
        count += _remind(item.request, "consultation", text, today, dry_run)
    return count
