"""Handling: correction (补正), third-party and inter-agency consultation, fees, extension."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core import calendar as cal
from gongkai.core.actions import require

from .. import clock as clock_mod
from .. import rules
from ..fees import fee_for
from ..models import (
    CLOCK_STATES,
    Correction,
    EventKind,
    Fee,
    InfoRequest,
    InterAgencyConsultation,
    LetterKind,
    Outcome,
    State,
)
from . import base
from .base import (
    FIELDS,
    NOT_HANDLER,
    REQUESTER_ACTOR,
    ActionError,
    _done,
    _event,
    _issue_letter,
    _letter_text,
    _locked,
    _notify_requester,
    _notify_staff,
    _require_state,
    clock_for,
    refresh_clock,
)
from .replies import _prefill_reply

# --- Correction (补正, 条例第30条) -----------------------------------------------------------


def request_correction(actor, req: InfoRequest, text: str, days: int = 15) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "发出补正通知")
        if req.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise ActionError("补正通知只能发出一次（条例第30条）。")
        if not text.strip():
            raise ActionError("请写明需要补正的事项。")
        if not 1 <= days <= 60:
            raise ActionError("补正期限应为 1–60 个工作日。")
        clock = clock_for(req)
        on = base.today()
        if clock.correction_notice_by and on > clock.correction_notice_by:
            raise ActionError(
                f"补正通知应在收到申请之日起7个工作日内发出（期限 {clock.correction_notice_by:%Y-%m-%d}），"
                "已逾期，不能再要求补正。"
            )
        before = audit.snapshot(req, FIELDS)
        req.state = State.AWAITING_CORRECTION
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.CORRECTION_REQUESTED, on, actor, days=days, note=text.strip())
        due = cal.add_workdays(on, days)
        letter = _issue_letter(
            req,
            LetterKind.CORRECTION_NOTICE,
            _letter_text(
                "foi/letters/correction_notice.txt", req, text=text.strip(), due=due, days=days
            ),
            on,
        )
        _notify_requester(req, "政府信息公开申请补正通知", letter.body)
        return _done(req, actor, "request_correction", before, text)


def receive_correction(actor, req: InfoRequest, text: str, file=None) -> InfoRequest:
    """The corrected request arrives (from the requester's view, actor None, or staff)."""
    with transaction.atomic():
        req = _locked(req)
        if actor is not None and not isinstance(actor, str):
            require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AWAITING_CORRECTION], "提交补正")
        if not text.strip() and file is None:
            raise ActionError("请填写补正内容或上传补正材料。")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        corr = Correction(request=req, text=text.strip(), received_on=on)
        if file is not None:
            corr.file.save(file.name, file, save=False)
        corr.save()
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.CORRECTION_RECEIVED, on, actor or REQUESTER_ACTOR, note=text[:500])
        if req.officer:
            _notify_staff([req.officer], f"申请 {req} 已补正", text[:500], req)
        return _done(req, actor or REQUESTER_ACTOR, "receive_correction", before)


def lapse_correction(actor, req: InfoRequest) -> InfoRequest:
    """No correction by the deadline: the request is closed as 其他处理-1 (a reply draft)."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AWAITING_CORRECTION], "按逾期未补正处理")
        clock = clock_for(req)
        if clock.correction_due and base.today() <= clock.correction_due:
            raise ActionError(f"补正期限（{clock.correction_due:%Y-%m-%d}）尚未届满。")
        before = audit.snapshot(req, FIELDS)
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.CORRECTION_LAPSED, base.today(), actor)
        _prefill_reply(req, actor, Outcome.OTHER, 1)
        return _done(req, actor, "lapse_correction", before)


# --- Pauses: third party (第32条) and other agencies (会商, 第34条) ---------------------------


def start_third_party(actor, req: InfoRequest, note: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "征求第三方意见")
        before = audit.snapshot(req, FIELDS)
        req.state = State.THIRD_PARTY
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.THIRD_PARTY_STARTED, base.today(), actor, note=note.strip())
        return _done(req, actor, "third_party_start", before, note)


def end_third_party(actor, req: InfoRequest, note: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.THIRD_PARTY], "结束征求第三方意见")
        before = audit.snapshot(req, FIELDS)
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.THIRD_PARTY_ENDED, base.today(), actor, note=note.strip())
        return _done(req, actor, "third_party_end", before, note)


def start_consultation(actor, req: InfoRequest, organisation, note: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "征求其他机关意见")
        if (
            organisation.government_id != req.government_id
            or organisation.pk == req.organisation_id
        ):
            raise ActionError("请选择本政府的其他机关。")
        before = audit.snapshot(req, FIELDS)
        InterAgencyConsultation.objects.create(
            request=req, organisation=organisation, asked_on=base.today()
        )
        req.state = State.AGENCY_CONSULTATION
        req.save(update_fields=["state", "updated_at"])
        _event(
            req,
            EventKind.CONSULTATION_STARTED,
            base.today(),
            actor,
            note=f"征求{organisation.name}意见：{note.strip()}",
            data={"organisation": organisation.pk},
        )
        return _done(req, actor, "consultation_start", before, note)


def end_consultation(actor, req: InfoRequest, opinion: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AGENCY_CONSULTATION], "结束会商")
        before = audit.snapshot(req, FIELDS)
        req.consultations.filter(answered_on__isnull=True).update(
            answered_on=base.today(), opinion=opinion.strip()
        )
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.CONSULTATION_ENDED, base.today(), actor, note=opinion.strip())
        return _done(req, actor, "consultation_end", before, opinion)


# --- Fees (国办函〔2020〕109号) -----------------------------------------------------------------


def count_this_month(req: InfoRequest) -> int:
    """The n of this request among the requester's requests received in its calendar month
    (the same ID number within the government)."""
    on = req.received_on or timezone.localdate(req.arrived_at)
    same = InfoRequest.objects.filter(
        government_id=req.government_id,
        requester__id_number=req.requester.id_number,
        received_on__year=on.year,
        received_on__month=on.month,
    )
    return same.filter(received_on__lte=on).count() or 1


def fee_notice(actor, req: InfoRequest, scheme: str, quantity: int | None = None) -> Fee:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "发出收费通知")
        if Fee.objects.filter(request=req).exists():
            raise ActionError("每件申请只能适用一种计收方式，且只能发出一次收费通知。")
        if scheme == "by_count":
            quantity = count_this_month(req)
        if quantity is None or quantity < 0:
            raise ActionError("请填写页数。")
        try:
            amount = fee_for(scheme, quantity)
        except ValueError as exc:
            raise ActionError(str(exc)) from exc
        if amount <= 0:
            raise ActionError("按所选方式计算的费用为零，无需收费。")
        on = base.today()
        due = cal.add_workdays(on, clock_mod.PAYMENT_DAYS)
        before = audit.snapshot(req, FIELDS)
        fee = Fee.objects.create(
            request=req,
            scheme=scheme,
            quantity=quantity,
            amount=amount,
            noticed_on=on,
            pay_by=due.date,
            pay_by_provisional=due.provisional,
        )
        req.state = State.AWAITING_PAYMENT
        req.save(update_fields=["state", "updated_at"])
        _event(
            req,
            EventKind.FEE_NOTICE,
            on,
            actor,
            note=f"{fee.get_scheme_display()}，{quantity}，金额 {amount} 元",
            data={"amount": str(amount)},
        )
        letter = _issue_letter(
            req,
            LetterKind.FEE_NOTICE,
            _letter_text("foi/letters/fee_notice.txt", req, fee=fee, due=due),
            on,
        )
        _notify_requester(req, "政府信息公开信息处理费收费通知", letter.body)
        _done(req, actor, "fee_notice", before)
        return fee


def fee_paid(actor, req: InfoRequest, on: date | None = None) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AWAITING_PAYMENT], "登记缴费")
        on = on or base.today()
        fee = req.fee
        if on < fee.noticed_on:
            raise ActionError("缴费日期不能早于收费通知日期。")
        before = audit.snapshot(req, FIELDS)
        fee.paid_on = on
        fee.save(update_fields=["paid_on"])
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.FEE_PAID, on, actor)
        return _done(req, actor, "fee_paid", before)


def fee_lapsed(actor, req: InfoRequest) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AWAITING_PAYMENT], "按逾期未缴费处理")
        fee = req.fee
        if base.today() <= fee.pay_by:
            raise ActionError(f"缴费期限（{fee.pay_by:%Y-%m-%d}）尚未届满。")
        before = audit.snapshot(req, FIELDS)
        fee.lapsed = True
        fee.save(update_fields=["lapsed"])
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.FEE_LAPSED, base.today(), actor)
        _prefill_reply(req, actor, Outcome.OTHER, 2)
        return _done(req, actor, "fee_lapsed", before)


# --- Extension (第33条第二款) -----------------------------------------------------------------


def propose_extension(actor, req: InfoRequest, days: int, reason: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _check_extension(req, days)
        if not reason.strip():
            raise ActionError("请填写延期理由。")
        _event(
            req,
            EventKind.EXTENSION_PROPOSED,
            base.today(),
            actor,
            days=days,
            note=reason.strip(),
            public=False,
        )
        return _done(req, actor, "extension_propose", audit.snapshot(req, FIELDS), reason)


def _check_extension(req: InfoRequest, days: int) -> None:
    _require_state(req, [s for s in CLOCK_STATES if s != State.AWAITING_CORRECTION], "延期")
    if req.extended or req.events.filter(kind=EventKind.EXTENDED).exists():
        raise ActionError("答复期限只能延长一次（条例第33条第二款），本申请已经延期。")
    if not 1 <= days <= clock_mod.MAX_EXTENSION_DAYS:
        raise ActionError(f"延长期限最长 {clock_mod.MAX_EXTENSION_DAYS} 个工作日，请填写 1–20。")


def extend(actor, req: InfoRequest, days: int | None = None, reason: str = "") -> InfoRequest:
    """The office head (the approver) approves the extension; the requester is notified."""
    with transaction.atomic():
        req = _locked(req)
        require(
            rules.can_approve(actor, req),
            "延期须经政府信息公开工作机构负责人（签发人）批准。",
        )
        proposal = req.events.filter(kind=EventKind.EXTENSION_PROPOSED).order_by("-id").first()
        if days is None:
            if proposal is None:
                raise ActionError("请填写延长的工作日数。")
            days = proposal.days
        reason = reason.strip() or (proposal.note if proposal else "")
        _check_extension(req, days)
        if not reason:
            raise ActionError("请填写延期理由。")
        before = audit.snapshot(req, FIELDS)
        old_due = clock_for(req).due
        req.extended = True
        req.save(update_fields=["extended", "updated_at"])
        try:
            with transaction.atomic():
                _event(req, EventKind.EXTENDED, base.today(), actor, days=days, note=reason)
        except IntegrityError as exc:
            raise ActionError("答复期限只能延长一次（条例第33条第二款）。") from exc
        new_clock = refresh_clock(req)
        letter = _issue_letter(
            req,
            LetterKind.EXTENSION_NOTICE,
            _letter_text(
                "foi/letters/extension_notice.txt",
                req,
                days=days,
                reason=reason,
                old_due=old_due,
                clock=new_clock,
            ),
            base.today(),
        )
        _notify_requester(req, "政府信息公开申请延期答复告知", letter.body)
        return _done(req, actor, "extend", before, reason)
