"""Delivery of letters (issue 15 point 11): channel, date sent, tracking number, date received.

Periods that run from receipt run from the recorded date received: the fee period (109号:
20 working days from the day after the requester receives the fee notice) and the remedies
(行政复议法第20条: 60 days; 行政诉讼法第46条: 6 months).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.core import audit
from gongkai.core import calendar as cal
from gongkai.core.actions import require

from .. import clock as clock_mod
from .. import rules
from ..letters import refuse, text_problems
from ..models import DeliveryChannel, EventKind, Fee, Letter, LetterKind, State
from . import base
from .base import NOT_HANDLER, ActionError, _event, _locked

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser
    from gongkai.foi.models import InfoRequest

DELIVERY_FIELDS = ["delivery_channel", "sent_on", "tracking_no", "delivered_on"]


def record_delivery(
    actor: AnyUser,
    letter: Letter,
    *,
    channel: str,
    sent_on: date | None,
    tracking_no: str = "",
    received_on: date | None = None,
) -> Letter:
    """Record how a letter went out and, once known, the day the requester received it."""
    with transaction.atomic():
        req = _locked(letter.request)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        refuse(text_problems(letter.body), f"送达{letter.number}")  # foi.letters
        if letter.delivered_on is not None and received_on != letter.delivered_on:
            raise ActionError(
                f"该文书已登记申请人于 {letter.delivered_on:%Y-%m-%d} 收到，不能修改"
                "（期限自收到之日起计算）。",
                field="received_on",
            )
        if channel not in DeliveryChannel.values:
            raise ActionError("请选择送达渠道。", field="channel")
        tracking_no = (tracking_no or "").strip()
        if channel == DeliveryChannel.POST and not tracking_no:
            raise ActionError("邮寄送达请填写邮件单号（挂号信或快递单号）。", field="tracking_no")
        if sent_on is None:
            raise ActionError("请填写寄发（发出）日期。", field="sent_on")
        if sent_on < letter.issued_on:
            raise ActionError(
                f"寄发日期不能早于文书出具日期（{letter.issued_on:%Y-%m-%d}）。", field="sent_on"
            )
        if received_on is not None and received_on < sent_on:
            raise ActionError("申请人收到日期不能早于寄发日期。", field="received_on")
        if max(sent_on, received_on or sent_on) > base.today():
            raise ActionError("日期不能晚于今天。", field="received_on")
        before = audit.snapshot(letter, DELIVERY_FIELDS)
        letter.delivery_channel = channel
        letter.sent_on = sent_on
        letter.tracking_no = tracking_no[:60]
        letter.delivery_method = DeliveryChannel(channel).label[:20]
        newly_received = received_on is not None and letter.delivered_on is None
        letter.delivered_on = received_on
        letter.save(update_fields=[*DELIVERY_FIELDS, "delivery_method"])
        note = f"{letter.number}：{DeliveryChannel(channel).label}，{sent_on:%Y-%m-%d} 发出"
        if tracking_no:
            note += f"，单号 {tracking_no}"
        if received_on:
            note += f"，申请人 {received_on:%Y-%m-%d} 收到"
        _event(
            req,
            EventKind.LETTER_DELIVERY,
            received_on or sent_on,
            actor,
            note=note,
            data={"letter": letter.pk, "kind": letter.kind},
        )
        if newly_received and received_on is not None and letter.kind == LetterKind.FEE_NOTICE:
            _fee_notice_received(req, received_on, actor)
        if (
            newly_received
            and received_on is not None
            and letter.kind == LetterKind.REPLY
            and req.state == State.REPLIED
        ):
            req.state = State.DELIVERED
            req.save(update_fields=["state", "updated_at"])
            _event(req, EventKind.DELIVERED, received_on, actor, note=letter.delivery_method)
        audit.record(
            actor,
            "foi.letter_delivery",
            letter,
            before=before,
            after=audit.snapshot(letter, DELIVERY_FIELDS),
            organisation_id=req.organisation_id,
        )
        base.refresh_clock(req)
        return letter


def _fee_notice_received(req: InfoRequest, received_on: date, actor: AnyUser) -> None:
    fee = Fee.objects.select_for_update().filter(request=req).first()
    if fee is None:
        return
    due = cal.add_workdays(received_on, clock_mod.PAYMENT_DAYS)
    fee.notice_received_on = received_on
    fee.pay_by, fee.pay_by_provisional = due.date, due.provisional
    fee.save(update_fields=["notice_received_on", "pay_by", "pay_by_provisional"])
    _event(
        req,
        EventKind.FEE_NOTICE_RECEIVED,
        received_on,
        actor,
        note=f"缴费期限：自收到通知次日起20个工作日，至 {due.date:%Y-%m-%d}"
        + ("（暂定）" if due.provisional else ""),
    )


def recompute_fees(*, year: int | None = None) -> int:
    """Recompute the pay-by dates of unpaid fees (after a holiday notice is loaded)."""
    qs = Fee.objects.filter(notice_received_on__isnull=False, paid_on__isnull=True, lapsed=False)
    if year is not None:
        qs = qs.filter(pay_by_provisional=True) | qs.filter(pay_by__year=year)
    changed = 0
    for fee in qs:
        assert fee.notice_received_on is not None  # filtered on notice_received_on__isnull
        due = cal.add_workdays(fee.notice_received_on, clock_mod.PAYMENT_DAYS)
        if (due.date, due.provisional) != (fee.pay_by, fee.pay_by_provisional):
            fee.pay_by, fee.pay_by_provisional = due.date, due.provisional
            fee.save(update_fields=["pay_by", "pay_by_provisional"])
            changed += 1
    return changed
