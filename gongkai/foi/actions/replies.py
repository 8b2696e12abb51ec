"""Replies: 承办 → 审核 → 签发, delivery, archiving, withdrawal; reviews and litigation."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from gongkai.core import audit
from gongkai.core.actions import require

from .. import rules
from ..letters import refuse, reply_problems, text_problems
from ..models import (
    DEFAULT_BASIS,
    OPEN_STATES,
    PATH_BASIS,
    PATH_PAIRS,
    CorrectionResult,
    EventKind,
    InfoRequest,
    LetterKind,
    Outcome,
    Reply,
    ReplyAttachment,
    ReplyPath,
    ReplyStatus,
    RequestKind,
    ReviewCase,
    ReviewResult,
    State,
    outcome_label,
    valid_outcome,
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
    _require_state,
    _user,
)
from .cases import record_case

if TYPE_CHECKING:
    from django.core.files import File

    from gongkai.core.actions import Actor, AnyUser

# --- Replies: 承办 → 审核 → 签发 --------------------------------------------------------------


def default_body(
    req: InfoRequest, outcome: str, reason: int | None, correction_result: str = "", **details: Any
) -> str:
    """The reply text for the pair (outcome, reason) from its template; `details` are the
    reply's own facts (reasons, path, where published, responsible agency) it prints."""
    template = (
        f"foi/letters/correction_{correction_result}.txt"
        if req.kind == RequestKind.RECORD_CORRECTION
        else f"foi/letters/reply_{outcome}.txt"
    )
    return _letter_text(template, req, reason=reason, **details)


def _prefill_reply(req: InfoRequest, actor: AnyUser, outcome: str, reason: int | None) -> Reply:
    body = default_body(req, outcome, reason)
    reply, _ = Reply.objects.update_or_create(
        request=req,
        defaults={
            "outcome": outcome,
            "outcome_reason": reason,
            "legal_basis": default_basis(outcome, reason),
            "body": body,
            "status": ReplyStatus.DRAFT,
            "drafted_by": _user(actor),
        },
    )
    return reply


DETAIL_FIELDS = (
    "reasons",
    "published_where",
    "published_url",
    "responsible_name",
    "responsible_contact",
)


def _check_path(path: str, outcome: str, reason: int | None) -> None:
    """条例第三十六条: an already published item is answered under (一) as 予以公开; 无法提供-1 is
    either (四) or (五), each with its own text."""
    if path and path not in ReplyPath.values:
        raise ActionError("请选择答复情形。", field="path")
    if path and PATH_PAIRS[path] != (outcome, reason):
        want = outcome_label(*PATH_PAIRS[path])
        raise ActionError(
            f"答复情形「{ReplyPath(path).label}」对应的办理结果为「{want}」，"
            f"与所选「{outcome_label(outcome, reason)}」不符。",
            field="path",
        )
    if not path and (outcome, reason) == (Outcome.CANNOT_PROVIDE, 1):
        raise ActionError(
            "「无法提供—1」须选择答复情形：政府信息不存在（第三十六条第（四）项）"
            "或不属于本机关负责公开（第三十六条第（五）项）。",
            field="path",
        )


def default_basis(outcome: str, reason: int | None, path: str = "") -> str:
    return PATH_BASIS.get(path) or DEFAULT_BASIS.get((outcome, reason), "")


def draft_reply(
    actor: AnyUser,
    req: InfoRequest,
    *,
    outcome: str = "",
    reason: int | None = None,
    legal_basis: str = "",
    body: str = "",
    correction_result: str = "",
    records: list[dict[str, Any]] | None = None,
    path: str = "",
    **details: str,
) -> Reply:
    """Save the reply draft. The text follows the saved (outcome, reason, path): a body or
    basis left as it was stored is regenerated when the pair changes or when it was the
    template's text, so a changed outcome never keeps the old outcome's wording."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown reply fields: {sorted(unknown)}")
    details = {name: (details.get(name) or "").strip() for name in DETAIL_FIELDS}
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "拟写答复")
        existing = Reply.objects.filter(request=req).first()
        if existing and existing.status != ReplyStatus.DRAFT:
            raise ActionError(f"答复正在审批（{existing.get_status_display()}），不能修改。")
        if req.kind == RequestKind.RECORD_CORRECTION:
            if correction_result not in CorrectionResult.values:
                raise ActionError("请选择更正申请的处理结果。")
            outcome, reason, path = "", None, ""
        else:
            problem = valid_outcome(outcome, reason)
            if problem:
                raise ActionError(problem)
            correction_result = ""
            _check_path(path, outcome, reason)
        body, legal_basis = body.strip(), legal_basis.strip()
        if existing is not None:
            old_pair = (
                existing.outcome,
                existing.outcome_reason,
                existing.correction_result,
                existing.path,
            )
            changed = old_pair != (outcome, reason, correction_result, path)
            old_details = {name: getattr(existing, name) for name in DETAIL_FIELDS}
            old_default = default_body(req, *old_pair[:3], path=existing.path, **old_details)
            if body == existing.body.strip() and (changed or body == old_default.strip()):
                body = ""
            if legal_basis == existing.legal_basis.strip() and (
                changed or legal_basis == default_basis(*old_pair[:2], existing.path)
            ):
                legal_basis = ""
        body = body or default_body(req, outcome, reason, correction_result, path=path, **details)
        basis = legal_basis or default_basis(outcome, reason, path)
        if req.kind == RequestKind.RECORD_CORRECTION and not basis:
            basis = "《中华人民共和国政府信息公开条例》第四十一条"
        if req.state == State.RECEIVED:
            req.state = State.IN_PROGRESS
            req.save(update_fields=["state", "updated_at"])
        before = audit.snapshot(req, FIELDS)
        reply, _ = Reply.objects.update_or_create(
            request=req,
            defaults={
                "outcome": outcome,
                "outcome_reason": reason,
                "correction_result": correction_result,
                "path": path,
                "legal_basis": basis,
                "body": body,
                "status": ReplyStatus.DRAFT,
                "drafted_by": _user(actor),
                "records": records if records is not None else [],
                **details,
            },
        )
        _event(
            req,
            EventKind.REPLY_DRAFTED,
            base.today(),
            actor,
            note=reply.outcome_display,
            public=False,
        )
        _done(req, actor, "reply_draft", before, reply.outcome_display)
        return reply


def submit_reply(actor: AnyUser, req: InfoRequest) -> Reply:
    """承办 → 审核."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        reply = Reply.objects.filter(request=req).first()
        if reply is None:
            raise ActionError("请先拟写答复（选择办理结果）。")
        if reply.status != ReplyStatus.DRAFT:
            raise ActionError(f"答复当前为「{reply.get_status_display()}」，不能重复提交。")
        reply.status = ReplyStatus.REVIEW
        reply.save(update_fields=["status", "updated_at"])
        _event(req, EventKind.REPLY_DRAFTED, base.today(), actor, note="提交审核", public=False)
        _done(req, actor, "reply_submit", audit.snapshot(req, FIELDS))
        return reply


def review_reply(actor: AnyUser, req: InfoRequest, *, approve: bool, note: str = "") -> Reply:
    """审核: pass to the approver, or return to the drafter."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_review(actor, req), "只有审核人或负责人可以审核答复。")
        reply = Reply.objects.filter(request=req).first()
        if reply is None or reply.status != ReplyStatus.REVIEW:
            raise ActionError("没有待审核的答复。")
        if approve:
            refuse(reply_problems(reply), "审核通过")
            reply.status, reply.reviewed_by = ReplyStatus.SIGN, _user(actor)
            kind = EventKind.REPLY_REVIEWED
        else:
            if not note.strip():
                raise ActionError("退回时请写明理由。")
            reply.status = ReplyStatus.DRAFT
            kind = EventKind.REPLY_RETURNED
        reply.save(update_fields=["status", "reviewed_by", "updated_at"])
        _event(req, kind, base.today(), actor, note=note.strip(), public=False)
        _done(req, actor, "reply_review" if approve else "reply_return", {}, note)
        return reply


def sign_reply(actor: AnyUser, req: InfoRequest, *, approve: bool = True, note: str = "") -> Reply:
    """签发: the approver signs; the numbered letter is issued and the request is replied."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_approve(actor, req), "只有负责人（签发人）可以签发答复。")
        reply = Reply.objects.filter(request=req).first()
        if reply is None or reply.status != ReplyStatus.SIGN:
            raise ActionError("答复尚未审核通过，不能签发。")
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "签发答复")
        if not approve:
            if not note.strip():
                raise ActionError("退回时请写明理由。")
            reply.status = ReplyStatus.DRAFT
            reply.save(update_fields=["status", "updated_at"])
            _event(req, EventKind.REPLY_RETURNED, base.today(), actor, note=note, public=False)
            _done(req, actor, "reply_return", {}, note)
            return reply
        if req.kind == RequestKind.DISCLOSURE:
            problem = valid_outcome(reply.outcome, reply.outcome_reason)
            if problem:
                raise ActionError(problem)
        elif not reply.correction_result:
            raise ActionError("请选择更正申请的处理结果。")
        refuse(reply_problems(reply), "签发")
        before = audit.snapshot(req, FIELDS)
        on = base.today()
        reply.status, reply.signed_by = ReplyStatus.SIGNED, _user(actor)
        reply.save(update_fields=["status", "signed_by", "updated_at"])
        req.outcome = reply.outcome
        req.outcome_reason = reply.outcome_reason
        req.correction_result = reply.correction_result
        req.state = State.REPLIED
        req.finished_on = on
        req.save(
            update_fields=[
                "outcome",
                "outcome_reason",
                "correction_result",
                "state",
                "finished_on",
                "updated_at",
            ]
        )
        remedies = remedies_text(LetterKind.REPLY, req.organisation, reply.outcome)
        letter = _issue_letter(
            req,
            LetterKind.REPLY,
            _letter_text("foi/letters/reply_letter.txt", req, reply=reply, remedies=remedies),
            on,
            remedies=remedies,
        )
        _event(
            req, EventKind.REPLY_SIGNED, on, actor, note=f"{letter.number} {reply.outcome_display}"
        )
        _notify_requester(req, "政府信息公开申请答复", letter.body)
        _done(req, actor, "reply_sign", before, letter.number)
        return reply


def deliver(actor: AnyUser, req: InfoRequest, method: str, on: date | None = None) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.REPLIED], "登记送达")
        on = on or base.today()
        if on < (req.finished_on or on):
            raise ActionError("送达日期不能早于签发日期。")
        if on > base.today():
            raise ActionError("送达日期不能晚于今天。")
        if not method.strip():
            raise ActionError("请选择送达方式。")
        for letter in req.letters.filter(kind=LetterKind.REPLY, delivered_on__isnull=True):
            refuse(text_problems(letter.body), f"送达{letter.number}")
        before = audit.snapshot(req, FIELDS)
        req.letters.filter(kind=LetterKind.REPLY, delivered_on__isnull=True).update(
            delivered_on=on, delivery_method=method.strip()[:20]
        )
        req.state = State.DELIVERED
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.DELIVERED, on, actor, note=method.strip())
        return _done(req, actor, "deliver", before, method)


def archive(actor: AnyUser, req: InfoRequest) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.DELIVERED], "归档")
        before = audit.snapshot(req, FIELDS)
        req.state = State.ARCHIVED
        req.save(update_fields=["state", "updated_at"])
        _event(req, EventKind.ARCHIVED, base.today(), actor, public=False)
        return _done(req, actor, "archive", before)


def withdraw(actor: Actor, req: InfoRequest, note: str = "") -> InfoRequest:
    """The requester withdraws (via staff, or the requester's view with actor None): counted as
    其他处理-3 in the annual report."""
    with transaction.atomic():
        req = _locked(req)
        if actor is not None and not isinstance(actor, str):
            require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, OPEN_STATES, "撤回")
        before = audit.snapshot(req, FIELDS)
        req.state = State.WITHDRAWN
        req.outcome, req.outcome_reason = Outcome.OTHER, 3
        req.finished_on = base.today()
        req.save(update_fields=["state", "outcome", "outcome_reason", "finished_on", "updated_at"])
        _event(req, EventKind.WITHDRAWN, base.today(), actor or REQUESTER_ACTOR, note=note.strip())
        return _done(req, actor or REQUESTER_ACTOR, "withdraw", before, note)


# --- Reviews and litigation -------------------------------------------------------------------


def add_review_case(
    actor: AnyUser,
    req: InfoRequest,
    *,
    kind: str,
    filed_on: date,
    case_no: str = "",
    body: str = "",
) -> ReviewCase:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        base.require_lawful(req, "review_case")
        if filed_on > base.today():
            raise ActionError("立案日期不能晚于今天。")
        # After the period without a reply, the case is about inaction (不作为).
        inaction = req.state in OPEN_STATES
        case = record_case(
            actor,
            request=req,
            organisation_id=req.organisation_id,
            government_id=req.government_id,
            inaction=inaction,
            subject="逾期未答复（不作为）" if inaction else "",
            kind=kind,
            filed_on=filed_on,
            case_no=case_no,
            body=body,
        )
        return case


def decide_review_case(
    actor: AnyUser, case: ReviewCase, *, result: str, decided_on: date | None, note: str = ""
) -> ReviewCase:
    with transaction.atomic():
        case = (
            ReviewCase.objects.select_for_update(of=("self",))
            .select_related("request__organisation", "organisation")
            .get(pk=case.pk)
        )
        if case.request is not None:
            require(rules.can_handle(actor, case.request), NOT_HANDLER)
        else:
            require(rules.can_register(actor, case.organisation), NOT_HANDLER)
        if result not in ReviewResult.values:
            raise ActionError("请选择结果。")
        if result != ReviewResult.PENDING and decided_on is None:
            raise ActionError("已审结的案件须填写审结日期。")
        if decided_on and decided_on < case.filed_on:
            raise ActionError("审结日期不能早于立案日期。")
        before = audit.snapshot(case)
        case.result = result
        case.decided_on = decided_on if result != ReviewResult.PENDING else None
        case.note = note.strip()
        case.save(update_fields=["result", "decided_on", "note"])
        audit.record(
            actor,
            "foi.review_case_decide",
            case,
            before=before,
            after=audit.snapshot(case),
            organisation_id=case.organisation_id,
        )
        return case


def attach_file(actor: AnyUser, req: InfoRequest, upload: File[Any] | None) -> ReplyAttachment:
    """Attach a file of the disclosed information to the reply being prepared."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, [State.RECEIVED, State.IN_PROGRESS], "上传答复附件")
        if upload is None:
            raise ActionError("请选择要上传的文件。")
        assert upload.name is not None  # an uploaded file always carries its name
        item = ReplyAttachment(request=req, name=upload.name[:200], uploaded_by=base._user(actor))
        item.file.save(upload.name, upload, save=False)
        item.save()
        _event(
            req,
            EventKind.NOTE,
            base.today(),
            actor,
            note=f"上传答复附件：{item.name}",
            public=False,
        )
        audit.record(
            actor,
            "foi.attach",
            item,
            after={"name": item.name},
            organisation_id=req.organisation_id,
        )
        return item
