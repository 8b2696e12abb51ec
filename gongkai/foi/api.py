"""Staff API for information requests at /api/foi/ (session login). Every call reads through
foi.access.requests_for, so a request the user may not see is the same 404 as a missing one;
requester details only for the handling organisation and the office."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from . import actions, rules
from .access import can_see_requester, get_request_for, requests_for
from .models import InfoRequest, reason_value, resolve_reason

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser

router = Router(tags=["依申请公开"], auth=django_auth)


class ErrorOut(Schema):
    detail: str


class RequestOut(Schema):
    id: int
    ref: str
    organisation: str
    state: str
    state_label: str
    received_on: date | None
    due_on: date | None
    due_provisional: bool
    outcome: str
    outcome_reason: int | None
    reason: str
    outcome_label: str
    requester_kind: str
    requester_name: str | None
    requester_id: str | None


class StepOut(Schema):
    label: str
    start: date
    days: int
    end: date


class ClockOut(Schema):
    received_on: date | None
    due: date | None
    provisional: bool
    paused: list[str]
    status: str
    steps: list[StepOut]
    lines: list[str]


class LawfulActionOut(Schema):
    name: str
    label: str
    last_day: date | None
    basis: str
    note: str
    permitted: bool


class CaseIn(Schema):
    organisation_id: int
    kind: str
    filed_on: date
    subject: str
    inaction: bool = False
    case_no: str = ""
    body: str = ""


class CaseOut(Schema):
    id: int
    organisation: str
    kind: str
    filed_on: date
    subject: str
    inaction: bool
    result: str


class NoteIn(Schema):
    note: str


class ReplyIn(Schema):
    """A reply draft. `reason` is the reason's unique value, 「不予公开-1」 (or 「not_disclosed-1」):
    it must belong to `outcome` (which may be left empty to take the reason's)."""

    outcome: str = ""
    reason: str | None = None
    path: str = ""
    reasons: str = ""
    published_where: str = ""
    published_url: str = ""
    responsible_name: str = ""
    responsible_contact: str = ""
    legal_basis: str = ""
    body: str = ""
    correction_result: str = ""


class ReplyOut(Schema):
    outcome: str
    outcome_reason: int | None
    reason: str
    outcome_label: str
    path: str
    legal_basis: str
    body: str
    status: str


def _out(user: AnyUser, req: InfoRequest) -> dict[str, Any]:
    see = can_see_requester(user, req)
    return {
        "id": req.pk,
        "ref": req.ref,
        "organisation": req.organisation.name,
        "state": req.state,
        "state_label": req.get_state_display(),
        "received_on": req.received_on,
        "due_on": req.due_on,
        "due_provisional": req.due_provisional,
        "outcome": req.outcome,
        "outcome_reason": req.outcome_reason,
        "reason": reason_value(req.outcome, req.outcome_reason) if req.outcome_reason else "",
        "outcome_label": req.outcome_display,
        "requester_kind": req.requester.kind,
        "requester_name": req.requester.name if see else None,
        "requester_id": req.requester.masked_id if see else None,
    }


@router.get("/requests", response={200: list[RequestOut], 401: ErrorOut}, summary="申请列表")
def list_requests(
    request: HttpRequest, state: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    qs = requests_for(request.user).for_list().order_by("-arrived_at", "-id")
    if state:
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 500))
    return [_out(request.user, r) for r in qs[offset : offset + limit]]


@router.get(
    "/requests/{int:request_id}",
    response={200: RequestOut, 401: ErrorOut, 404: ErrorOut},
    summary="申请详情",
)
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _out(request.user, get_request_for(request.user, request_id))


@router.get(
    "/requests/{int:request_id}/clock",
    response={200: ClockOut, 401: ErrorOut, 404: ErrorOut},
    summary="答复期限及计算过程",
)
def get_clock(request: HttpRequest, request_id: int) -> dict[str, Any]:
    req = get_request_for(request.user, request_id)
    clock = actions.clock_for(req)
    return {
        "received_on": clock.received_on,
        "due": clock.due,
        "provisional": clock.provisional,
        "paused": list(clock.paused),
        "status": clock.status(timezone.localdate()),
        "steps": [s.__dict__ for s in clock.steps],
        "lines": clock.lines(),
    }


@router.get(
    "/requests/{int:request_id}/actions",
    response={200: list[LawfulActionOut], 401: ErrorOut, 404: ErrorOut},
    summary="依法可办理的操作及最后期限",
)
def lawful_actions(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    """Exactly foi.rules.allowed_actions for today; `permitted` says whether this user may do it
    (the request page offers the permitted ones)."""
    from .action_specs import ACTIONS

    req = get_request_for(request.user, request_id)
    out: list[dict[str, Any]] = []
    for a in rules.allowed_actions(req, timezone.localdate()):
        spec = ACTIONS.get(a.name)
        out.append(
            {
                **a.__dict__,
                "permitted": bool(spec and spec.allowed(request.user, req)),
            }
        )
    return out


@router.post(
    "/requests/{int:request_id}/notes",
    response={200: RequestOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="添加办理备注",
)
def add_note(
    request: HttpRequest, request_id: int, payload: NoteIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    req = get_request_for(request.user, request_id)
    try:
        req = actions.add_note(request.user, req, payload.note)
    except actions.ActionError as exc:
        return Status(422, {"detail": str(exc)})
    return _out(request.user, req)


@router.post(
    "/requests/{int:request_id}/reply",
    response={200: ReplyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="拟写答复（办理结果与具体理由须配套）",
)
def draft_reply(
    request: HttpRequest, request_id: int, payload: ReplyIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    req = get_request_for(request.user, request_id)
    try:
        outcome, reason = resolve_reason(payload.outcome, payload.reason)
        reply = actions.draft_reply(
            request.user,
            req,
            outcome=outcome,
            reason=reason,
            path=payload.path,
            legal_basis=payload.legal_basis,
            body=payload.body,
            correction_result=payload.correction_result,
            **{name: getattr(payload, name) for name in actions.REPLY_DETAIL_FIELDS},
        )
    except ValueError as exc:
        return Status(422, {"detail": str(exc)})
    except actions.ActionError as exc:
        return Status(403 if exc.forbidden else 422, {"detail": str(exc)})
    return {
        "outcome": reply.outcome,
        "outcome_reason": reply.outcome_reason,
        "reason": reason_value(reply.outcome, reply.outcome_reason) if reply.outcome_reason else "",
        "outcome_label": reply.outcome_display,
        "path": reply.path,
        "legal_basis": reply.legal_basis,
        "body": reply.body,
        "status": reply.status,
    }


@router.post(
    "/cases",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记不针对单件申请的行政复议或诉讼（含不作为）",
)
def add_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """A review or lawsuit not tied to one registered request (e.g. about inaction on an
    application never registered): counted in table 四 of the annual report."""
    from gongkai.orgs.access import organisations_for

    organisation = organisations_for(request.user).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise Http404("未找到该机关。")
    try:
        case = actions.add_case(
            request.user,
            organisation,
            kind=payload.kind,
            filed_on=payload.filed_on,
            subject=payload.subject,
            inaction=payload.inaction,
            case_no=payload.case_no,
            body=payload.body,
        )
    except actions.ActionError as exc:
        return Status(403 if exc.forbidden else 422, {"detail": str(exc)})
    return Status(
        201,
        {
            "id": case.pk,
            "organisation": organisation.name,
            "kind": case.kind,
            "filed_on": case.filed_on,
            "subject": case.subject,
            "inaction": case.inaction,
            "result": case.result,
        },
    )


__all__ = ["Http404", "router"]
