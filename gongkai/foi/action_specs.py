"""The request page's actions as a table: label, form, who may (rules), in which states, and
the foi.actions call. The staff views offer and run exactly these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms as django_forms

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.orgs.rules import HANDLING_ROLES

from . import actions, forms, rules
from .models import OPEN_STATES, RUNNING_STATES, InfoRequest, Letter, ReplyStatus, ReviewCase, State

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    from gongkai.core.actions import AnyUser

    Predicate: TypeAlias = Callable[[AnyUser, InfoRequest], bool]


@dataclass
class ActionSpec:
    label: str
    form: type[django_forms.BaseForm]
    allowed: Any  # (user, req) -> bool
    states: tuple[str, ...]
    run: Any  # (user, req, cleaned) -> None
    button: str = "提交"
    kwargs: Any = None  # (user, req) -> dict for the form


def _officers(user: AnyUser, req: InfoRequest) -> dict[str, Any]:
    ids = User.objects.filter(
        memberships__organisation=req.organisation, memberships__role__in=HANDLING_ROLES
    ).values("pk")
    return {"officers": User.objects.filter(pk__in=ids).order_by("username")}


def _other_orgs(user: AnyUser, req: InfoRequest) -> dict[str, Any]:
    return {
        "organisations": Organisation.objects.in_government(req.government_id)
        .active()
        .exclude(pk=req.organisation_id)
        .order_by("order", "id")
    }


def _has_reply(status: str) -> Predicate:
    def check(user: AnyUser, req: InfoRequest) -> bool:
        reply = getattr(req, "_reply", None)
        return reply is not None and reply.status == status

    return check


def _and(*preds: Predicate) -> Predicate:
    return lambda user, req: all(p(user, req) for p in preds)


def _no_extension(user: AnyUser, req: InfoRequest) -> bool:
    return not req.extended


def _proposal_pending(user: AnyUser, req: InfoRequest) -> bool:
    return not req.extended and getattr(req, "_proposal", None) is not None


def _no_correction_yet(user: AnyUser, req: InfoRequest) -> bool:
    return getattr(req, "_corrected", False) is False


def _has_cases(user: AnyUser, req: InfoRequest) -> bool:
    has_cases: bool = getattr(req, "_has_cases", False)  # set by views._prepare
    return has_cases


def _draftable(user: AnyUser, req: InfoRequest) -> bool:
    reply = getattr(req, "_reply", None)
    return reply is None or reply.status == ReplyStatus.DRAFT


ACTIONS: dict[str, ActionSpec] = {
    "receive": ActionSpec(
        "确认受理（条例第31条）",
        forms.ConfirmForm,
        rules.can_receive,
        (State.SUBMITTED,),
        lambda u, r, d: actions.confirm_receipt(u, r, d.get("confirmed_on")),
        "确认受理",
    ),
    "assign": ActionSpec(
        "指定承办人",
        forms.AssignForm,
        rules.can_handle,
        OPEN_STATES,
        lambda u, r, d: actions.assign(u, r, d["officer"]),
        "指定",
        _officers,
    ),
    "transfer": ActionSpec(
        "转办其他机关（条例第36条第（五）项）",
        forms.TransferForm,
        rules.can_route,
        OPEN_STATES,
        lambda u, r, d: actions.transfer(u, r, d["organisation"], d["note"]),
        "转办",
        _other_orgs,
    ),
    "request_correction": ActionSpec(
        "要求补正（条例第30条，只能一次）",
        forms.CorrectionRequestForm,
        _and(rules.can_handle, _no_correction_yet),
        RUNNING_STATES,
        lambda u, r, d: actions.request_correction(u, r, d["text"], d["days"]),
        "发出补正通知",
    ),
    "lapse_correction": ActionSpec(
        "逾期未补正（其他处理-1）",
        forms.NoteForm,
        rules.can_handle,
        (State.AWAITING_CORRECTION,),
        lambda u, r, d: actions.lapse_correction(u, r),
        "按逾期未补正处理",
    ),
    "third_party": ActionSpec(
        "征求第三方意见（条例第32条，15个工作日，不计入期限）",
        forms.ThirdPartyForm,
        rules.can_handle,
        RUNNING_STATES,
        lambda u, r, d: actions.start_third_party(
            u,
            r,
            name=d["name"],
            concerns=d["concerns"],
            address=d.get("address") or "",
            contact=d.get("contact") or "",
        ),
        "开始征求意见",
    ),
    "third_party_end": ActionSpec(
        "第三方意见已回复或期满",
        forms.ThirdPartyEndForm,
        rules.can_handle,
        (State.THIRD_PARTY,),
        lambda u, r, d: actions.end_third_party(
            u, r, answer=d["answer"], opinion=d.get("opinion") or ""
        ),
        "恢复计时",
    ),
    "consult": ActionSpec(
        "征求其他机关意见（会商，不计入期限）",
        forms.ConsultationForm,
        rules.can_handle,
        RUNNING_STATES,
        lambda u, r, d: actions.start_consultation(u, r, d["organisation"], d["note"]),
        "发起会商",
        _other_orgs,
    ),
    "consult_end": ActionSpec(
        "会商意见已回复",
        forms.ConsultationEndForm,
        rules.can_handle,
        (State.AGENCY_CONSULTATION,),
        lambda u, r, d: actions.end_consultation(u, r, d.get("opinion") or "", answer=d["answer"]),
        "恢复计时",
    ),
    "third_party_disclose": ActionSpec(
        "因公共利益决定公开并书面告知第三方（条例第32条）",
        forms.PublicInterestForm,
        rules.can_approve,
        RUNNING_STATES,
        lambda u, r, d: actions.disclose_in_public_interest(u, r, d["reasons"]),
        "决定公开并出具告知书",
    ),
    "ask_reasons": ActionSpec(
        "要求申请人说明理由（条例第35条：数量、频次明显超过合理范围）",
        forms.ReasonsRequestForm,
        rules.can_handle,
        RUNNING_STATES,
        lambda u, r, d: actions.ask_reasons(u, r, d["text"], d["days"]),
        "发出说明理由通知",
    ),
    "decide_reasons": ActionSpec(
        "申请理由是否合理（条例第35条，负责人）",
        forms.ReasonsDecisionForm,
        rules.can_approve,
        RUNNING_STATES,
        lambda u, r, d: actions.decide_reasons(
            u, r, reasonable=d["reasonable"], due_on=d.get("due_on"), note=d.get("note") or ""
        ),
        "保存决定",
    ),
    "fee": ActionSpec(
        "收费通知（国办函〔2020〕109号）",
        forms.FeeForm,
        rules.can_handle,
        RUNNING_STATES,
        lambda u, r, d: actions.fee_notice(u, r, d["scheme"], d.get("pages")),
        "发出收费通知",
    ),
    "fee_paid": ActionSpec(
        "登记缴费",
        forms.PaidForm,
        rules.can_handle,
        (State.AWAITING_PAYMENT,),
        lambda u, r, d: actions.fee_paid(u, r, d.get("paid_on")),
        "已缴费",
    ),
    "fee_lapsed": ActionSpec(
        "逾期未缴费（其他处理-2）",
        forms.NoteForm,
        rules.can_handle,
        (State.AWAITING_PAYMENT,),
        lambda u, r, d: actions.fee_lapsed(u, r),
        "按逾期未缴费处理",
    ),
    "propose_extension": ActionSpec(
        "申请延期（须负责人批准，只能一次）",
        forms.ExtensionForm,
        _and(rules.can_handle, _no_extension),
        (
            State.RECEIVED,
            State.IN_PROGRESS,
            State.THIRD_PARTY,
            State.AGENCY_CONSULTATION,
            State.AWAITING_PAYMENT,
        ),
        lambda u, r, d: actions.propose_extension(u, r, d["days"], d["reason"]),
        "提交延期申请",
    ),
    "extend": ActionSpec(
        "批准延期（负责人）",
        forms.ApproveExtensionForm,
        _and(rules.can_approve, _no_extension),
        (
            State.RECEIVED,
            State.IN_PROGRESS,
            State.THIRD_PARTY,
            State.AGENCY_CONSULTATION,
            State.AWAITING_PAYMENT,
        ),
        lambda u, r, d: actions.extend(u, r, d.get("days"), d.get("reason") or ""),
        "批准延期",
    ),
    "draft_reply": ActionSpec(
        "拟写答复（承办）",
        forms.ReplyForm,
        _and(rules.can_handle, _draftable),
        RUNNING_STATES,
        lambda u, r, d: actions.draft_reply(
            u,
            r,
            outcome=d.get("outcome") or "",
            reason=d.get("outcome_reason"),
            legal_basis=d.get("legal_basis") or "",
            body=d.get("body") or "",
            correction_result=d.get("correction_result") or "",
            path=d.get("path") or "",
            **{name: d.get(name) or "" for name in actions.REPLY_DETAIL_FIELDS},
            records=actions.find_records(
                r.government_id, (d.get("record_index_nos") or "").replace("，", ",").split(",")
            ),
        ),
        "保存答复稿",
    ),
    "attach": ActionSpec(
        "上传答复附件（提供的政府信息）",
        forms.AttachForm,
        _and(rules.can_handle, _draftable),
        RUNNING_STATES,
        lambda u, r, d: actions.attach_file(u, r, d["file"]),
        "上传",
    ),
    "submit_reply": ActionSpec(
        "提交审核",
        forms.NoteForm,
        _and(rules.can_handle, _has_reply(ReplyStatus.DRAFT)),
        RUNNING_STATES,
        lambda u, r, d: actions.submit_reply(u, r),
        "提交审核",
    ),
    "review_reply": ActionSpec(
        "审核答复",
        forms.ApprovalForm,
        _and(rules.can_review, _has_reply(ReplyStatus.REVIEW)),
        RUNNING_STATES,
        lambda u, r, d: actions.review_reply(
            u, r, approve=d["decision"] == "approve", note=d.get("note", "")
        ),
        "提交审核意见",
    ),
    "sign_reply": ActionSpec(
        "签发答复（负责人）",
        forms.ApprovalForm,
        _and(rules.can_approve, _has_reply(ReplyStatus.SIGN)),
        RUNNING_STATES,
        lambda u, r, d: actions.sign_reply(
            u, r, approve=d["decision"] == "approve", note=d.get("note", "")
        ),
        "提交签发意见",
    ),
    "deliver": ActionSpec(
        "登记送达",
        forms.DeliverForm,
        rules.can_handle,
        (State.REPLIED,),
        lambda u, r, d: actions.deliver(u, r, d["method"], d.get("delivered_on")),
        "登记送达",
    ),
    "archive": ActionSpec(
        "归档",
        forms.NoteForm,
        rules.can_handle,
        (State.DELIVERED,),
        lambda u, r, d: actions.archive(u, r),
        "归档",
    ),
    "withdraw": ActionSpec(
        "申请人撤回",
        forms.NoteForm,
        rules.can_handle,
        OPEN_STATES,
        lambda u, r, d: actions.withdraw(u, r, d.get("note", "")),
        "登记撤回",
    ),
    "review_case": ActionSpec(
        "登记行政复议或行政诉讼",
        forms.ReviewCaseForm,
        rules.can_handle,
        (State.REPLIED, State.DELIVERED, State.ARCHIVED, State.WITHDRAWN),
        lambda u, r, d: actions.add_review_case(
            u, r, kind=d["kind"], filed_on=d["filed_on"], case_no=d["case_no"], body=d["body"]
        ),
        "登记",
    ),
    "decide_case": ActionSpec(
        "复议诉讼结果",
        forms.DecideCaseForm,
        _and(rules.can_handle, _has_cases),
        (State.REPLIED, State.DELIVERED, State.ARCHIVED, State.WITHDRAWN),
        lambda u, r, d: actions.decide_review_case(
            u,
            _case(r, d["case"].pk),
            result=d["result"],
            decided_on=d.get("decided_on"),
            note=d.get("note", ""),
        ),
        "保存结果",
        lambda u, r: {"cases": r.review_cases.all()},
    ),
    "record_delivery": ActionSpec(
        "登记文书送达（渠道、寄发日期、单号、收到日期）",
        forms.LetterDeliveryForm,
        rules.can_handle,
        tuple(State.values),
        lambda u, r, d: actions.record_delivery(
            u,
            _letter(r, d["letter"].pk),
            channel=d["channel"],
            sent_on=d["sent_on"],
            tracking_no=d.get("tracking_no") or "",
            received_on=d.get("received_on"),
        ),
        "登记送达",
        lambda u, r: {"letters": r.letters.filter(delivered_on__isnull=True)},
    ),
    "note": ActionSpec(
        "添加备注",
        forms.NoteForm,
        rules.can_handle,
        tuple(State.values),
        lambda u, r, d: actions.add_note(u, r, d.get("note", "")),
        "添加",
    ),
}


def _case(req: InfoRequest, case_id: int | str) -> ReviewCase:
    case = req.review_cases.filter(pk=case_id).first()
    if case is None:
        raise actions.ActionError("未找到该复议诉讼案件。")
    return case


def _letter(req: InfoRequest, letter_id: int | str) -> Letter:
    letter: Letter | None = req.letters.filter(pk=letter_id).first()
    if letter is None:
        raise actions.ActionError("未找到该文书。")
    return letter
