"""Who may do what to a request, as small predicates. Read as a policy table:

| predicate       | who                                                                     |
|-----------------|-------------------------------------------------------------------------|
| can_handle      | officer/reviewer/approver of the handling organisation, or the office   |
| can_receive     | can_handle (the office or the handling organisation confirm receipt)     |
| can_route       | the office, or a handler of the current organisation (转办)              |
| can_review      | reviewer or approver of the handling organisation, or the office (审核)  |
| can_approve     | approver of the handling organisation, or the office (签发, 延期)         |
| can_register    | any member who can manage the chosen organisation                       |
| is_office       | 公开办 of the request's government (依申请转主动, imports)               |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from gongkai.orgs import rules as org_rules

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser
    from gongkai.orgs.models import Organisation

    from . import clock as clock_mod
    from .models import InfoRequest, RequestEvent


def can_handle(user: AnyUser, req: InfoRequest) -> bool:
    return org_rules.can_manage_org(user, req.organisation)


def can_receive(user: AnyUser, req: InfoRequest) -> bool:
    return can_handle(user, req)


def can_route(user: AnyUser, req: InfoRequest) -> bool:
    return can_handle(user, req)


def can_review(user: AnyUser, req: InfoRequest) -> bool:
    return org_rules.can_review(user, req.organisation)


def can_approve(user: AnyUser, req: InfoRequest) -> bool:
    return org_rules.can_approve(user, req.organisation)


def can_register(user: AnyUser, organisation: Organisation) -> bool:
    return org_rules.can_manage_org(user, organisation)


def is_office(user: AnyUser, government_id: Organisation | int | None) -> bool:
    return org_rules.is_office_admin(user, government_id)


# --- What the law allows now ----------------------------------------------------------------
#
# `allowed_actions(req, on=day)` is the ONE list of the actions the law allows on a request on
# a given day, each with its last lawful day and the article it rests on. Every foi action
# checks it (`require_lawful`), the request page offers exactly these (intersected with the
# permission predicates above), and the API lists them. The rules:
#
# | action                 | lawful when                                   | last day     | basis |
# |------------------------|-----------------------------------------------|--------------|-------|
# | receive                | not yet received                              | arrival day* | 第31条 |
# | request_correction     | running, no earlier notice, within 7 wd       | receipt+7 wd | 第30条 |
# | receive_correction     | awaiting correction                           | its deadline | 第30条 |
# | lapse_correction       | awaiting correction, its deadline passed      | —            | 第30条 |
# | third_party / consult  | running (after the due date: pauses nothing)  | —            | 第32、34条 |
# | fee                    | running, no fee yet, within the period        | due date     | 109号 |
# | fee_paid               | awaiting payment                              | pay-by day   | 109号 |
# | fee_lapsed             | notice received and its 20 wd passed          | —            | 109号 |
# | propose_extension/extend | period running, not extended, within it     | due date     | 第33条 |
# | reply steps            | running                                       | due date     | 第33条 |
# | review_case            | replied/closed, or open and overdue (不作为)   | —            | 第51条 |
# (* an ordinary letter must be confirmed the day it arrives; later is flagged, not refused)

ART = "《中华人民共和国政府信息公开条例》"
FEE_RULE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


@dataclass(frozen=True)
class LawfulAction:
    """One action the law allows now: `name` is the request page's action key."""

    name: str
    label: str
    last_day: date | None
    basis: str
    note: str = ""


@dataclass(frozen=True)
class Assessment:
    allowed: dict[str, LawfulAction]  # name -> LawfulAction
    refused: dict[
        str, str
    ]  # name -> Chinese reason (only for actions the state would otherwise allow)


def fee_pauses_clock() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "GONGKAI_FOI_FEE_PAUSES_CLOCK", True))


def receipt_rule(req: InfoRequest) -> str:
    from django.utils import timezone

    from . import clock as clock_mod

    arrived = timezone.localdate(req.arrived_at) if req.arrived_at else None
    confirmed = timezone.localdate(req.confirmed_at) if req.confirmed_at else None
    return clock_mod.legal_receipt_date(req.channel, arrived, confirmed, req.signed_for)[1]


def request_clock(
    req: InfoRequest, *, on: date | None = None, events: Iterable[RequestEvent] | None = None
) -> clock_mod.Clock:
    """The request's clock (gongkai.foi.clock) from its stored events."""
    from django.utils import timezone

    from . import clock as clock_mod

    events = req.events.all() if events is None else events
    return clock_mod.compute(
        req.received_on,
        [clock_mod.ClockEvent.of(e) for e in events],
        receipt_label=receipt_rule(req),
        fee_pauses=fee_pauses_clock(),
        today=on or timezone.localdate(),
    )


def assess(
    req: InfoRequest,
    on: date | None = None,
    *,
    clock: clock_mod.Clock | None = None,
    events: Iterable[RequestEvent] | None = None,
) -> Assessment:
    """Every action the law allows on `req` on day `on`, and why the others that its state
    would allow are refused."""
    from django.utils import timezone

    from .models import (
        CLOSED_STATES,
        OPEN_STATES,
        PAUSED_STATES,
        EventKind,
        Fee,
        Reply,
        ReplyStatus,
        State,
    )

    on = on or timezone.localdate()
    events = list(req.events.all()) if events is None else list(events)
    clock = clock or request_clock(req, on=on, events=events)
    kinds = {e.kind for e in events}
    state = req.state
    running = state in (State.RECEIVED, State.IN_PROGRESS)
    allowed: dict[str, LawfulAction] = {}
    refused: dict[str, str] = {}
    due = clock.due
    expired = due is not None and on > due and not clock.paused

    def ok(
        name: str, label: str, last_day: date | None = None, basis: str = "", note: str = ""
    ) -> None:
        allowed[name] = LawfulAction(name, label, last_day, basis, note)

    if state == State.SUBMITTED:
        arrived = timezone.localdate(req.arrived_at) if req.arrived_at else None
        ok(
            "receive",
            "确认受理",
            arrived,
            f"{ART}第三十一条",
            "平常信函、网络、传真应于到达当日确认",
        )
    if state in OPEN_STATES:
        ok("assign", "指定承办人")
        ok("transfer", "转办其他机关", basis=f"{ART}第三十六条第（五）项")
        ok("withdraw", "申请人撤回")

    # 补正 (第30条): one notice, within 7 working days of receipt.
    if running:
        if EventKind.CORRECTION_REQUESTED in kinds:
            refused["request_correction"] = "补正通知只能发出一次（条例第30条）。"
        elif clock.correction_notice_by and on > clock.correction_notice_by:
            refused["request_correction"] = (
                f"补正通知应在收到申请之日起7个工作日内发出（期限 "
                f"{clock.correction_notice_by:%Y-%m-%d}），已逾期，不能再要求补正（条例第30条）。"
            )
        else:
            ok(
                "request_correction",
                "要求补正",
                clock.correction_notice_by,
                f"{ART}第三十条",
            )
    if state == State.AWAITING_CORRECTION:
        ok("receive_correction", "收到补正", clock.correction_due, f"{ART}第三十条")
        if clock.correction_due and on > clock.correction_due:
            ok("lapse_correction", "逾期未补正（其他处理-1）", basis=f"{ART}第三十条")
        else:
            refused["lapse_correction"] = (
                f"补正期限（{clock.correction_due:%Y-%m-%d}）尚未届满，不能按逾期未补正处理"
                "（条例第30条）。"
                if clock.correction_due
                else "补正期限尚未确定。"
            )

    # Consultations (第32条, 第34条): lawful at any time while open; after the period they no
    # longer pause the clock.
    if running:
        late = "答复期限已届满：仍可征求意见，但不再暂停计时（条例第33条）" if expired else ""
        ok("third_party", "征求第三方意见", due, f"{ART}第三十二条", late)
        ok("consult", "征求其他机关意见（会商）", due, f"{ART}第三十四条", late)
    if state == State.THIRD_PARTY:
        ok("third_party_end", "第三方意见已回复或期满", clock.third_party_due, f"{ART}第三十二条")
    if state == State.AGENCY_CONSULTATION:
        ok("consult_end", "会商意见已回复", clock.consultation_due, f"{ART}第三十四条")

    # Fees (109号): the notice is sent within the handling period; one per request.
    fee = Fee.objects.filter(request=req).first() if state in OPEN_STATES else None
    if running:
        if fee is not None:
            refused["fee"] = "每件申请只能适用一种计收方式，且只能发出一次收费通知。"
        elif expired:
            refused["fee"] = (
                f"答复期限（{due:%Y-%m-%d}）已届满，不能再发出收费通知"
                "（国办函〔2020〕109号：收费通知应在答复期限内发出）。"
            )
        else:
            ok("fee", "收费通知", due, FEE_RULE)
    if state == State.AWAITING_PAYMENT and fee is not None:
        ok("fee_paid", "登记缴费", fee.pay_by, FEE_RULE)
        if fee.pay_by is None:
            refused["fee_lapsed"] = (
                "收费通知尚未登记送达：缴费期限自申请人收到通知之次日起计算，不能按逾期未缴费处理。"
            )
        elif on <= fee.pay_by:
            refused["fee_lapsed"] = (
                f"缴费期限（{fee.pay_by:%Y-%m-%d}）尚未届满，不能按逾期未缴费处理"
                "（国办函〔2020〕109号）。"
            )
        else:
            ok("fee_lapsed", "逾期未缴费（其他处理-2）", basis=FEE_RULE)

    # Extension (第33条第二款): once, approved within the period.
    if state in (State.RECEIVED, State.IN_PROGRESS, *PAUSED_STATES) and (
        state != State.AWAITING_CORRECTION
    ):
        if req.extended or EventKind.EXTENDED in kinds:
            refused["extend"] = "答复期限只能延长一次（条例第33条第二款），本申请已经延期。"
        elif expired:
            refused["extend"] = (
                f"答复期限（{due:%Y-%m-%d}）已届满，不能再延长（条例第33条第二款："
                "延长须在答复期限内经负责人同意并告知申请人）。"
            )
        else:
            ok("propose_extension", "申请延期", due, f"{ART}第三十三条第二款")
            ok("extend", "批准延期", due, f"{ART}第三十三条第二款")
        if "extend" in refused:
            refused["propose_extension"] = refused["extend"]

    # The reply (第33条): 承办 → 审核 → 签发, lawful (if late) until it is signed.
    if running:
        reply = Reply.objects.filter(request=req).first()
        status = reply.status if reply else None
        basis = f"{ART}第三十三条"
        if status in (None, ReplyStatus.DRAFT):
            ok("draft_reply", "拟写答复", due, basis)
            ok("attach", "上传答复附件", due, basis)
        if status == ReplyStatus.DRAFT:
            ok("submit_reply", "提交审核", due, basis)
        if status == ReplyStatus.REVIEW:
            ok("review_reply", "审核答复", due, basis)
        if status == ReplyStatus.SIGN:
            ok("sign_reply", "签发答复", due, basis)
        # 第35条: ask once for reasons within the period; then decide on them.
        if EventKind.REASONS_REQUESTED not in kinds:
            if expired:
                refused["ask_reasons"] = (
                    f"答复期限（{due:%Y-%m-%d}）已届满，不能再要求说明理由（条例第35条）。"
                )
            else:
                ok(
                    "ask_reasons",
                    "要求说明理由（数量、频次明显超过合理范围）",
                    due,
                    f"{ART}第三十五条",
                )
        elif not {EventKind.REASONS_REJECTED, EventKind.DEADLINE_SET} & kinds:
            ok("decide_reasons", "决定申请理由是否合理", due, f"{ART}第三十五条")
        # 第32条: disclose in the public interest over an objection, telling the third party.
        if req.third_parties.filter(
            answer__in=["objection", "silent"], public_interest=False
        ).exists():
            ok("third_party_disclose", "因公共利益决定公开并告知第三方", due, f"{ART}第三十二条")
    if state == State.REPLIED:
        ok("deliver", "登记送达", basis=f"{ART}第三十六条")
    if state == State.DELIVERED:
        ok("archive", "归档", basis=f"{ART}第四十五条")

    # Review and litigation (第51条): after the reply, or about inaction once overdue.
    if state in CLOSED_STATES:
        ok("review_case", "登记行政复议或行政诉讼", basis=f"{ART}第五十一条")
    elif expired and state in OPEN_STATES:
        ok(
            "review_case",
            "登记行政复议或行政诉讼（不作为）",
            basis=f"{ART}第五十一条",
            note="答复期限已届满未答复，申请人可就不作为申请复议或起诉",
        )
    else:
        refused["review_case"] = "申请尚未答复且未超期，不能登记复议或诉讼。"
    if req.review_cases.exists():
        ok("decide_case", "复议诉讼结果", basis=f"{ART}第五十一条")
    if req.letters.exists():
        ok("record_delivery", "登记文书送达", basis=f"{ART}第三十六条")
    ok("note", "添加备注")
    return Assessment(allowed, refused)


def allowed_actions(req: InfoRequest, on: date | None = None, **kw: Any) -> list[LawfulAction]:
    """The actions the law allows on `req` on day `on` (default today), each with its last
    lawful day (None: no limit) and its legal basis."""
    return list(assess(req, on, **kw).allowed.values())


def require_lawful(req: InfoRequest, name: str, on: date | None = None, **kw: Any) -> LawfulAction:
    """The lawful action `name`, or ActionError with the Chinese reason and the article."""
    from gongkai.core.actions import ActionError

    from .models import State

    found = assess(req, on, **kw)
    if name in found.allowed:
        return found.allowed[name]
    reason = found.refused.get(name) or (
        f"申请当前状态为「{State(req.state).label}」，依法不能执行该操作。"
    )
    raise ActionError(reason)
