"""Handling: correction (补正), third-party and inter-agency consultation, fees, extension."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core import audit
from gongkai.core import calendar as cal
from gongkai.core.actions import require

from .. import clock as clock_mod
from .. import rules
from ..fees import fee_for, payment_instructions
from ..models import (
    CLOCK_STATES,
    ConsultationAnswer,
    Correction,
    EventKind,
    Fee,
    InfoRequest,
    InterAgencyConsultation,
    LetterKind,
    Outcome,
    Recipient,
    State,
    ThirdParty,
    ThirdPartyAnswer,
    outcome_label,
)
from ..remedies import remedies_text
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

if TYPE_CHECKING:
    from django.core.files import File

    from gongkai.core.actions import Actor, AnyUser
    from gongkai.orgs.models import Organisation

# --- Correction (补正, 条例第30条) -----------------------------------------------------------


def request_correction(actor: AnyUser, req: InfoRequest, text: str, days: int = 15) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "发出补正通知")
        base.require_lawful(req, "request_correction")
        if not text.strip():
            raise ActionError("请写明需要补正的事项。")
        if not 1 <= days <= 60:
            raise ActionError("补正期限应为 1–60 个工作日。")
        on = base.today()
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


def receive_correction(
    actor: Actor, req: InfoRequest, text: str, file: File[Any] | None = None
) -> InfoRequest:
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
            assert file.name is not None  # an uploaded file always carries its name
            corr.file.save(file.name, file, save=False)
        corr.save()
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.CORRECTION_RECEIVED, on, actor or REQUESTER_ACTOR, note=text[:500])
        if req.officer:
            _notify_staff([req.officer], f"申请 {req} 已补正", text[:500], req)
        return _done(req, actor or REQUESTER_ACTOR, "receive_correction", before)


def lapse_correction(actor: AnyUser | None, req: InfoRequest) -> InfoRequest:
    """No correction by the deadline without good reason: the request is treated as abandoned
    (条例第30条) and ends as 其他处理-1 with a closed clock. actor None: the periodic job."""
    return _lapse(actor, req, "lapse_correction", EventKind.CORRECTION_LAPSED, 1)


def _lapse(
    actor: AnyUser | None, req: InfoRequest, name: str, kind: str, reason: int
) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        if actor is not None:
            require(rules.can_handle(actor, req), NOT_HANDLER)
        if reason == 1:
            _require_state(req, [State.AWAITING_CORRECTION], "按逾期未补正处理")
        else:
            _require_state(req, [State.AWAITING_PAYMENT], "按逾期未缴费处理")
        base.require_lawful(req, name)
        on = base.today()
        before = audit.snapshot(req, FIELDS)
        if reason == 2:
            req.fee.lapsed = True
            req.fee.save(update_fields=["lapsed"])
        req.state = State.LAPSED
        req.outcome, req.outcome_reason = Outcome.OTHER, reason
        req.finished_on = on
        req.save(update_fields=["state", "outcome", "outcome_reason", "finished_on", "updated_at"])
        label = outcome_label(Outcome.OTHER, reason)
        _event(req, kind, on, actor or "系统", note=f"办理结果：{label}")
        _notify_requester(
            req,
            "政府信息公开申请不再处理",
            f"您的政府信息公开申请（登记编号 {req.ref}）{label.split('.', 1)[-1]}。",
        )
        return _done(req, actor or "系统", name, before, label)


# --- Pauses: third party (第32条) and other agencies (会商, 第34条) ---------------------------


def _reply_by(req: InfoRequest, on: date, days: int) -> cal.WorkdayResult:
    return cal.add_workdays(on, days)


def _pause_end(on: date, reply_by: date | None) -> date:
    """The legal end of a consultation pause: the answer's day, but never after the 15th
    working day (条例第32条、第34条), so a pause cannot silently run past its legal length."""
    return min(on, reply_by) if reply_by else on


def start_third_party(
    actor: AnyUser,
    req: InfoRequest,
    note: str = "",
    *,
    name: str = "",
    concerns: str = "",
    address: str = "",
    contact: str = "",
) -> InfoRequest:
    """条例第32条: ask the third party in writing (the 第三方意见征询函, without the applicant's
    details), which answers within 15 working days; the time is not counted (第33条)."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "征求第三方意见")
        base.require_lawful(req, "third_party")
        name, concerns = name.strip(), (concerns.strip() or note.strip())
        if not name:
            raise ActionError("请填写第三方的名称或姓名。", field="name")
        if not concerns:
            raise ActionError("请写明涉及第三方的信息。", field="concerns")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        due = _reply_by(req, on, clock_mod.THIRD_PARTY_DAYS)
        party = ThirdParty.objects.create(
            request=req,
            name=name,
            address=address.strip(),
            contact=contact.strip(),
            concerns=concerns,
            asked_on=on,
            reply_by=due.date,
            reply_by_provisional=due.provisional,
        )
        party.letter = _issue_letter(
            req,
            LetterKind.THIRD_PARTY,
            _letter_text(
                "foi/letters/third_party_letter.txt", req, third_party=party, reply_by=due
            ),
            on,
            recipient=Recipient.THIRD_PARTY,
            recipient_name=name,
        )
        party.save(update_fields=["letter"])
        req.state = State.THIRD_PARTY
        req.save(update_fields=["state", "updated_at"])
        _event(
            req,
            EventKind.THIRD_PARTY_STARTED,
            on,
            actor,
            days=clock_mod.THIRD_PARTY_DAYS,
            # Public (the applicant sees the pause) without the third party's identity.
            note=f"书面征求第三方意见（条例第32条），第三方答复期限 {due.date:%Y-%m-%d}",
            data={"third_party": party.pk, "reply_by": due.date.isoformat()},
        )
        return _done(req, actor, "third_party_start", before, note or concerns)


def end_third_party(
    actor: AnyUser, req: InfoRequest, note: str = "", *, answer: str = "", opinion: str = ""
) -> InfoRequest:
    """The third party's answer, or its silence once 15 working days have passed (第32条: the
    agency then decides). The pause ends on the answer's day, at the latest on the 15th working
    day."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.THIRD_PARTY], "结束征求第三方意见")
        party = req.third_parties.filter(answered_on__isnull=True).order_by("-id").first()
        if answer not in ThirdPartyAnswer.values:
            raise ActionError("请选择第三方的意见：同意公开、不同意公开或逾期未提出意见。")
        on = base.today()
        if answer == ThirdPartyAnswer.SILENT and party and on <= party.reply_by:
            raise ActionError(
                f"第三方答复期限（{party.reply_by:%Y-%m-%d}）尚未届满，不能按逾期未提出意见处理"
                "（条例第32条）。"
            )
        before = audit.snapshot(req, FIELDS)
        ended = _pause_end(on, party.reply_by if party else None)
        if party is not None:
            party.answered_on, party.answer = on, answer
            party.opinion = (opinion or note).strip()
            party.save(update_fields=["answered_on", "answer", "opinion"])
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        text = "第三方" + ThirdPartyAnswer(answer).label  # its reasons stay on the ThirdParty
        if ended < on:
            text += f"（第三方答复期限 {ended:%Y-%m-%d} 届满，此后不再暂停计时）"
        _event(req, EventKind.THIRD_PARTY_ENDED, ended, actor, note=text, data={"answer": answer})
        return _done(req, actor, "third_party_end", before, text)


def disclose_in_public_interest(actor: AnyUser, req: InfoRequest, reasons: str) -> ThirdParty:
    """第32条: the third party objected (or stayed silent), but not disclosing could gravely
    affect the public interest: the agency decides to disclose and tells the third party in
    writing what will be disclosed and why (the 公开决定告知书, with the third party's
    remedies)."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_approve(actor, req), "因公共利益决定公开须经负责人（签发人）决定。")
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "决定公开并告知第三方")
        party = (
            req.third_parties.filter(
                answer__in=[ThirdPartyAnswer.OBJECTION, ThirdPartyAnswer.SILENT],
                public_interest=False,
            )
            .order_by("-id")
            .first()
        )
        if party is None:
            raise ActionError("没有不同意公开或逾期未提出意见的第三方，无需作出公开决定。")
        if not reasons.strip():
            raise ActionError("请写明决定公开的理由（条例第32条）。", field="reasons")
        on = base.today()
        party.public_interest, party.decision_reasons = True, reasons.strip()
        remedies = remedies_text(LetterKind.THIRD_PARTY_DECISION, req.organisation)
        party.decision_letter = _issue_letter(
            req,
            LetterKind.THIRD_PARTY_DECISION,
            _letter_text(
                "foi/letters/third_party_decision.txt", req, third_party=party, remedies=remedies
            ),
            on,
            remedies=remedies,
            recipient=Recipient.THIRD_PARTY,
            recipient_name=party.name,
        )
        party.save(update_fields=["public_interest", "decision_reasons", "decision_letter"])
        _event(
            req,
            EventKind.THIRD_PARTY_DECISION,
            on,
            actor,
            note=f"因公共利益决定公开，已书面告知{party.name}：{reasons.strip()}",
            public=False,
        )
        _done(req, actor, "third_party_decision", audit.snapshot(req, FIELDS), reasons)
        return party


def start_consultation(
    actor: AnyUser, req: InfoRequest, organisation: Organisation, note: str
) -> InfoRequest:
    """条例第34条: the 会商函 to the co-author, which answers within 15 working days; silence is
    consent. The time is not counted (第33条)."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "征求其他机关意见")
        base.require_lawful(req, "consult")
        if (
            organisation.government_id != req.government_id
            or organisation.pk == req.organisation_id
        ):
            raise ActionError("请选择本政府的其他机关。")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        due = _reply_by(req, on, clock_mod.CONSULTATION_DAYS)
        consultation = InterAgencyConsultation.objects.create(
            request=req,
            organisation=organisation,
            asked_on=on,
            reply_by=due.date,
            reply_by_provisional=due.provisional,
        )
        consultation.letter = _issue_letter(
            req,
            LetterKind.CONSULTATION,
            _letter_text(
                "foi/letters/consultation_letter.txt",
                req,
                consultation=consultation,
                reply_by=due,
                note=note.strip(),
            ),
            on,
            recipient=Recipient.AGENCY,
            recipient_name=organisation.name,
        )
        consultation.save(update_fields=["letter"])
        req.state = State.AGENCY_CONSULTATION
        req.save(update_fields=["state", "updated_at"])
        _event(
            req,
            EventKind.CONSULTATION_STARTED,
            on,
            actor,
            days=clock_mod.CONSULTATION_DAYS,
            note=f"征求{organisation.name}意见：{note.strip()}",
            data={"organisation": organisation.pk, "reply_by": due.date.isoformat()},
        )
        return _done(req, actor, "consultation_start", before, note)


def end_consultation(
    actor: AnyUser, req: InfoRequest, opinion: str = "", *, answer: str = ConsultationAnswer.AGREED
) -> InfoRequest:
    """The consulted agency's opinion, or its silence after 15 working days, which 第34条 counts
    as consent. The pause ends on the answer's day, at the latest on the 15th working day."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.AGENCY_CONSULTATION], "结束会商")
        if answer not in ConsultationAnswer.values:
            raise ActionError("请选择会商意见：同意公开、不同意公开或逾期未提出意见。")
        on = base.today()
        pending = list(req.consultations.filter(answered_on__isnull=True))
        latest = max((c.reply_by for c in pending if c.reply_by), default=None)
        if answer == ConsultationAnswer.SILENT and latest and on <= latest:
            raise ActionError(
                f"会商答复期限（{latest:%Y-%m-%d}）尚未届满，不能按逾期未提出意见处理"
                "（条例第34条）。"
            )
        before = audit.snapshot(req, FIELDS)
        req.consultations.filter(answered_on__isnull=True).update(
            answered_on=on, opinion=opinion.strip(), answer=answer
        )
        req.state = State.IN_PROGRESS
        req.save(update_fields=["state", "updated_at"])
        ended = _pause_end(on, latest)
        label = ConsultationAnswer(answer).label
        text = f"{label}：{opinion.strip()}" if opinion.strip() else label
        if ended < on:
            text += f"（会商答复期限 {ended:%Y-%m-%d} 届满，此后不再暂停计时）"
        _event(req, EventKind.CONSULTATION_ENDED, ended, actor, note=text, data={"answer": answer})
        return _done(req, actor, "consultation_end", before, text)


# --- Fees (国办函〔2020〕109号) -----------------------------------------------------------------


def count_this_month(req: InfoRequest) -> int:
    """The n of this request for 按件 fees (109号 第四条, RULES.md §12): among the requests of
    the same requester (ID number) to the same handling organisation received in the same
    calendar month, in order of receipt (legal receipt date, then arrival, then registration);
    only earlier ones and itself count, so a later request never raises an earlier one's fee."""
    on = req.received_on or timezone.localdate(req.arrived_at)
    same = InfoRequest.objects.filter(
        organisation_id=req.organisation_id,
        requester__id_number=req.requester.id_number,
        received_on__year=on.year,
        received_on__month=on.month,
    )
    earlier = same.filter(
        Q(received_on__lt=on)
        | Q(received_on=on, arrived_at__lt=req.arrived_at)
        | Q(received_on=on, arrived_at=req.arrived_at, pk__lt=req.pk)
    )
    return earlier.count() + 1


def fee_notice(actor: AnyUser, req: InfoRequest, scheme: str, quantity: int | None = None) -> Fee:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "发出收费通知")
        base.require_lawful(req, "fee")
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
        remedies = remedies_text(LetterKind.FEE_NOTICE, req.organisation)
        before = audit.snapshot(req, FIELDS)
        # The payment period runs from the day after the requester receives the notice
        # (109号): pay_by is set when the receipt is recorded (record_delivery).
        fee = Fee.objects.create(
            request=req, scheme=scheme, quantity=quantity, amount=amount, noticed_on=on
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
            _letter_text(
                "foi/letters/fee_notice.txt",
                req,
                fee=fee,
                due=None,
                payment=payment_instructions(req),
                payment_days=clock_mod.PAYMENT_DAYS,
                remedies=remedies,
            ),
            on,
            remedies=remedies,
        )
        _notify_requester(req, "政府信息公开信息处理费收费通知", letter.body)
        _done(req, actor, "fee_notice", before)
        return fee


def fee_paid(actor: AnyUser, req: InfoRequest, on: date | None = None) -> InfoRequest:
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


def fee_lapsed(actor: AnyUser | None, req: InfoRequest) -> InfoRequest:
    """The fee was not paid within 20 working days of receiving the notice: treated as
    abandoned (109号), 其他处理-2 with a closed clock. actor None: the periodic job."""
    return _lapse(actor, req, "fee_lapsed", EventKind.FEE_LAPSED, 2)


# --- Extension (第33条第二款) -----------------------------------------------------------------


def propose_extension(actor: AnyUser, req: InfoRequest, days: int, reason: str) -> InfoRequest:
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
    base.require_lawful(req, "extend")
    if not 1 <= days <= clock_mod.MAX_EXTENSION_DAYS:
        raise ActionError(f"延长期限最长 {clock_mod.MAX_EXTENSION_DAYS} 个工作日，请填写 1–20。")


def extend(
    actor: AnyUser, req: InfoRequest, days: int | None = None, reason: str = ""
) -> InfoRequest:
    """The office head (the approver) approves the extension; the requester is notified."""
    with transaction.atomic():
        req = _locked(req)
        require(
            rules.can_approve(actor, req),
            "延期须经政府信息公开工作机构负责人（签发人）批准。",
        )
        proposal = req.events.filter(kind=EventKind.EXTENSION_PROPOSED).order_by("-id").first()
        if days is None:
            days = proposal.days if proposal is not None else None
            if days is None:
                raise ActionError("请填写延长的工作日数。")
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


# --- Unreasonable volume or frequency (第35条) -------------------------------------------------

REASONS_DAYS = 10  # working days the applicant is given to state reasons (not set by the law)


def ask_reasons(
    actor: AnyUser, req: InfoRequest, text: str, days: int = REASONS_DAYS
) -> InfoRequest:
    """条例第35条: the volume or frequency is clearly unreasonable: ask the applicant, in writing,
    for the reasons (the 说明理由通知书). The reply period keeps running."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "要求说明理由")
        base.require_lawful(req, "ask_reasons")
        if not text.strip():
            raise ActionError("请写明申请的数量、频次超过合理范围的情况。", field="text")
        if not 1 <= days <= 30:
            raise ActionError("说明理由的期限应为 1–30 个工作日。", field="days")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        due = cal.add_workdays(on, days)
        _event(
            req,
            EventKind.REASONS_REQUESTED,
            on,
            actor,
            days=days,
            note=text.strip(),
            data={"reply_by": due.date.isoformat()},
        )
        letter = _issue_letter(
            req,
            LetterKind.REASONS_REQUEST,
            _letter_text("foi/letters/reasons_request.txt", req, text=text.strip(), due=due),
            on,
        )
        _notify_requester(req, "政府信息公开申请说明理由通知", letter.body)
        return _done(req, actor, "ask_reasons", before, text)


def decide_reasons(
    actor: AnyUser,
    req: InfoRequest,
    *,
    reasonable: bool,
    due_on: date | None = None,
    note: str = "",
) -> InfoRequest:
    """条例第35条: reasons not given or unreasonable → a 不予处理-4 reply draft; reasonable but
    the 第33条 period is too short → a stated later deadline, told to the applicant (the
    延迟答复告知书) and used by the clock (event data["due_on"])."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_approve(actor, req), "第35条的决定须经负责人（签发人）作出。")
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "决定申请理由是否合理")
        base.require_lawful(req, "decide_reasons")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        if not reasonable:
            _event(req, EventKind.REASONS_REJECTED, on, actor, note=note.strip())
            _prefill_reply(req, actor, Outcome.NOT_PROCESSED, 4)
            return _done(req, actor, "reasons_rejected", before, note)
        due = clock_for(req).due
        if due_on is None:
            raise ActionError("请填写确定的延迟答复期限。", field="due_on")
        if due is not None and due_on <= due:
            raise ActionError(
                f"延迟答复的期限应晚于现行答复期限（{due:%Y-%m-%d}）；"
                "能在期限内答复的，无需另定期限。",
                field="due_on",
            )
        _event(
            req,
            EventKind.DEADLINE_SET,
            on,
            actor,
            note=f"申请理由合理，确定延迟答复期限为 {due_on:%Y-%m-%d}：{note.strip()}".rstrip("："),
            data={"due_on": due_on.isoformat()},
        )
        letter = _issue_letter(
            req,
            LetterKind.DEADLINE_NOTICE,
            _letter_text("foi/letters/deadline_notice.txt", req, due_on=due_on, note=note.strip()),
            on,
        )
        _notify_requester(req, "政府信息公开申请延迟答复告知", letter.body)
        return _done(req, actor, "deadline_set", before, note)
