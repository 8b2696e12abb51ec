"""Intake: online submission, staff registration by channel (条例第31条), receipt, routing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.actions import require

from .. import clock as clock_mod
from .. import rules
from ..models import (
    OPEN_STATES,
    Channel,
    EventKind,
    InfoRequest,
    Requester,
    RequestKind,
    State,
)
from . import base
from .base import (
    FIELDS,
    NOT_HANDLER,
    REQUESTER_ACTOR,
    ActionError,
    _assign_ref,
    _done,
    _event,
    _locked,
    _new_tracking_code,
    _notify_requester,
    _notify_staff,
    _require_state,
)

if TYPE_CHECKING:
    from django.core.files import File

    from gongkai.accounts.models import User
    from gongkai.core.actions import AnyUser
    from gongkai.orgs.models import Organisation

# --- Intake ---------------------------------------------------------------------------------


@dataclass
class RequesterData:
    kind: str
    name: str
    id_type: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_name: str = ""
    legal_representative: str = ""


@dataclass
class RequestData:
    description: str
    doc_no: str = ""
    info_form: str = "electronic"
    delivery: str = "online"
    kind: str = RequestKind.DISCLOSURE


def _moment(day: date) -> datetime:
    """Now when day is today, else the start of that day (a date entered by staff)."""
    if day == base.today():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time.min))


def _check_intake(
    government: Organisation, organisation: Organisation, requester: RequesterData
) -> None:
    if organisation.government_id != government.pk:
        raise ActionError("所选机关不属于本政府。")
    if not (requester.phone or requester.email or requester.address):
        raise ActionError("请至少填写一种联系方式（电话、电子邮箱或通信地址）。")


def submit_online(
    government: Organisation,
    organisation: Organisation,
    requester: RequesterData,
    data: RequestData,
    *,
    idempotency_key: str,
    id_proof: File[Any] | None = None,
) -> tuple[InfoRequest, bool]:
    """A citizen's online application. Returns (request, created); a repeated idempotency key
    returns the request already saved for it."""
    _check_intake(government, organisation, requester)
    key = (idempotency_key or "").strip()[:64] or None
    if key:
        existing = InfoRequest.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Requester.objects.create(**requester.__dict__)
            if id_proof is not None:
                assert id_proof.name is not None  # an uploaded file always carries its name
                person.id_proof.save(id_proof.name, id_proof, save=True)
            req = _create_with_code(
                government=government,
                organisation=organisation,
                requester=person,
                idempotency_key=key,
                description=data.description,
                doc_no=data.doc_no,
                info_form=data.info_form,
                delivery=data.delivery,
                kind=data.kind,
                channel=Channel.ONLINE,
                arrived_at=now,
                state=State.SUBMITTED,
            )
            _event(req, EventKind.SUBMITTED, timezone.localdate(now), REQUESTER_ACTOR)
            audit.record(REQUESTER_ACTOR, "foi.submit", req, after=audit.snapshot(req, FIELDS))
    except IntegrityError:
        if key:
            existing = InfoRequest.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing, False
        raise
    return req, True


def _create_with_code(**fields: Any) -> InfoRequest:
    for _ in range(10):
        try:
            with transaction.atomic():
                return InfoRequest.objects.create(tracking_code=_new_tracking_code(), **fields)
        except IntegrityError:
            if (
                fields.get("idempotency_key")
                and InfoRequest.objects.filter(idempotency_key=fields["idempotency_key"]).exists()
            ):
                raise
            continue
    raise ActionError("查询码分配失败，请重试。")


def register(
    actor: AnyUser,
    organisation: Organisation,
    requester: RequesterData,
    data: RequestData,
    *,
    channel: str,
    arrived_on: date,
    signed_for: bool = False,
    confirmed_on: date | None = None,
    id_proof: File[Any] | None = None,
) -> InfoRequest:
    """Staff register a visit, a letter, a fax or an e-mail. The legal receipt date follows
    条例第31条: the request is received at once when the channel's date is known."""
    require(rules.can_register(actor, organisation), "您不能为该机关登记申请。")
    government = organisation.government
    assert government is not None  # Organisation.save sets it (itself for a government)
    _check_intake(government, organisation, requester)
    if channel not in Channel.values:
        raise ActionError("请选择申请渠道。")
    if arrived_on > base.today():
        raise ActionError("送达日期不能晚于今天。")
    if confirmed_on is not None and confirmed_on < arrived_on:
        raise ActionError("确认日期不能早于送达日期。")
    received_on, rule = clock_mod.legal_receipt_date(channel, arrived_on, confirmed_on, signed_for)
    arrived_at = _moment(arrived_on)
    confirmed_at = _moment(confirmed_on) if confirmed_on else None
    with transaction.atomic():
        person = Requester.objects.create(**requester.__dict__)
        if id_proof is not None:
            assert id_proof.name is not None  # an uploaded file always carries its name
            person.id_proof.save(id_proof.name, id_proof, save=True)
        req = _create_with_code(
            government=government,
            organisation=organisation,
            requester=person,
            description=data.description,
            doc_no=data.doc_no,
            info_form=data.info_form,
            delivery=data.delivery,
            kind=data.kind,
            channel=channel,
            signed_for=signed_for,
            arrived_at=arrived_at,
            confirmed_at=confirmed_at,
            received_on=received_on,
            state=State.RECEIVED if received_on else State.SUBMITTED,
        )
        _event(
            req,
            EventKind.REGISTERED,
            arrived_on,
            actor,
            note=f"{Channel(channel).label}",
        )
        if received_on:
            _event(req, EventKind.RECEIVED, received_on, actor, note=rule)
            _assign_ref(req)
        return _done(req, actor, "register", {}, note=rule)


def confirm_receipt(
    actor: AnyUser, req: InfoRequest, confirmed_on: date | None = None
) -> InfoRequest:
    """The office (or the handling organisation) confirms an online application, an ordinary
    letter, a fax or an e-mail: the confirmation day is the legal receipt date."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_receive(actor, req), NOT_HANDLER)
        _require_state(req, [State.SUBMITTED], "确认受理")
        on = confirmed_on or base.today()
        arrived = timezone.localdate(req.arrived_at)
        if on < arrived:
            raise ActionError("确认日期不能早于申请送达日期。")
        if on > base.today():
            raise ActionError("确认日期不能晚于今天。")
        before = audit.snapshot(req, FIELDS)
        req.confirmed_at = _moment(on)
        received_on, rule = clock_mod.legal_receipt_date(req.channel, arrived, on, req.signed_for)
        req.received_on = received_on or on
        req.state = State.RECEIVED
        req.save(update_fields=["confirmed_at", "received_on", "state", "updated_at"])
        late = req.confirmed_late
        if late:
            rule += (
                f"。确认日期晚于到达日期（{arrived:%Y-%m-%d}）：条例第31条要求到达当日确认，"
                "迟延确认已记录"
            )
        _event(req, EventKind.RECEIVED, req.received_on, actor, note=rule, data={"late": late})
        _assign_ref(req)
        _done(req, actor, "receive", before, rule)
        _notify_requester(
            req,
            "您的政府信息公开申请已受理",
            f"您的申请（查询码 {req.tracking_code}）已于 {req.received_on:%Y年%m月%d日} 受理，"
            f"登记编号 {req.ref}。",
        )
        return req


def assign(actor: AnyUser, req: InfoRequest, officer: User | None) -> InfoRequest:
    from gongkai.orgs.rules import can_manage_org

    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        _require_state(req, OPEN_STATES, "指定承办人")
        if officer is None or not can_manage_org(officer, req.organisation):
            raise ActionError("承办人须为办理机关的工作人员。")
        before = audit.snapshot(req, FIELDS)
        req.officer = officer
        if req.state == State.RECEIVED:
            req.state = State.IN_PROGRESS
        req.save(update_fields=["officer", "state", "updated_at"])
        _event(
            req, EventKind.ASSIGNED, base.today(), actor, note=f"承办人：{officer}", public=False
        )
        _notify_staff([officer], f"请办理政府信息公开申请 {req}", req.description[:200], req)
        return _done(req, actor, "assign", before)


def transfer(
    actor: AnyUser, req: InfoRequest, organisation: Organisation, note: str
) -> InfoRequest:
    """转办: the request belongs to another organisation of the same government."""
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_route(actor, req), NOT_HANDLER)
        _require_state(req, OPEN_STATES, "转办")
        if organisation.government_id != req.government_id:
            raise ActionError("只能转给本政府的机关。")
        if organisation.pk == req.organisation_id:
            raise ActionError("该申请已由此机关办理。")
        if not note.strip():
            raise ActionError("请填写转办说明。")
        before = audit.snapshot(req, FIELDS)
        old = req.organisation
        req.organisation = organisation
        req.officer = None
        req.save(update_fields=["organisation", "officer", "updated_at"])
        _event(
            req,
            EventKind.TRANSFERRED,
            base.today(),
            actor,
            note=f"由{old.name}转至{organisation.name}：{note.strip()}",
            data={"from": old.pk, "to": organisation.pk},
        )
        return _done(req, actor, "transfer", before, note)


def add_note(actor: AnyUser, req: InfoRequest, note: str) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req)
        require(rules.can_handle(actor, req), NOT_HANDLER)
        if not note.strip():
            raise ActionError("备注不能为空。")
        _event(req, EventKind.NOTE, base.today(), actor, note=note.strip(), public=False)
        return _done(req, actor, "note", audit.snapshot(req, FIELDS), note)
