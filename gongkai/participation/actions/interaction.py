"""Actions for open days, policy enquiries, messages, proposals, concern responses and
complaints about public institutions."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import audit, tracking, workday_dates
from gongkai.core.actions import ActionError, require
from gongkai.participation import moderation, rules
from gongkai.participation.actions.base import PUBLIC, changed
from gongkai.participation.models import (
    Complaint,
    ComplaintState,
    ConcernRelease,
    ConcernResponse,
    ConcernState,
    Enquiry,
    EnquiryState,
    Message,
    MessageState,
    OpenDay,
    OpenDaySignup,
    OpenDaySuggestion,
    Proposal,
    PublicationState,
    SignupKind,
    SignupStatus,
)


def _idempotent(model, key, create):
    """Run create() once per idempotency key; (object, created)."""
    if key is not None:
        existing = model.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False


def _text(value: str, field: str, label: str, max_length: int = 5000) -> str:
    value = moderation.clean_text(value)
    if not value:
        raise ActionError(f"请填写{label}。", field=field)
    if len(value) > max_length:
        raise ActionError(f"{label}不能超过{max_length}字。", field=field)
    return value


# --- Open days --------------------------------------------------------------------------------


@transaction.atomic
def create_open_day(actor, organisation, **fields) -> OpenDay:
    require(rules.can_manage(actor, organisation))
    if fields["ends_at"] <= fields["starts_at"]:
        raise ActionError("结束时间须晚于开始时间。", field="ends_at")
    if fields["signup_closes_at"] > fields["starts_at"]:
        raise ActionError("报名截止时间不能晚于活动开始时间。", field="signup_closes_at")
    open_day = OpenDay.objects.create(organisation=organisation, **fields)
    audit.record(
        actor,
        "participation.open_day.create",
        open_day,
        after=audit.snapshot(open_day, ["title", "starts_at", "capacity"]),
    )
    return open_day


@transaction.atomic
def publish_open_day(actor, open_day) -> OpenDay:
    open_day = OpenDay.objects.select_for_update().get(pk=open_day.pk)
    require(rules.can_publish(actor, open_day.organisation))
    if open_day.state != PublicationState.DRAFT:
        raise ActionError("该活动已发布或已取消。")
    open_day.state, open_day.published_at = PublicationState.PUBLISHED, timezone.now()
    open_day.save(update_fields=["state", "published_at"])
    audit.record(
        actor,
        "participation.open_day.publish",
        open_day,
        after={"published_at": open_day.published_at},
    )
    return open_day


@transaction.atomic
def cancel_open_day(actor, open_day, reason: str) -> OpenDay:
    open_day = OpenDay.objects.select_for_update().get(pk=open_day.pk)
    require(rules.can_publish(actor, open_day.organisation))
    if not reason.strip():
        raise ActionError("请填写取消原因。", field="reason")
    before = {"state": open_day.state}
    open_day.state = PublicationState.WITHDRAWN
    open_day.save(update_fields=["state"])
    audit.record(
        actor,
        "participation.open_day.cancel",
        open_day,
        before=before,
        after={"state": open_day.state},
        note=reason,
    )
    return open_day


def sign_up(
    open_day,
    *,
    name: str,
    phone: str,
    affiliation: str = "",
    idempotency_key: uuid.UUID | None = None,
):
    """A public sign-up; refuses when closed or full. (signup, created)."""

    def create():
        day = OpenDay.objects.select_for_update().get(pk=open_day.pk)
        if day.state != PublicationState.PUBLISHED:
            raise ActionError("该活动未开放报名。")
        if timezone.now() > day.signup_closes_at:
            raise ActionError(
                f"报名已于{timezone.localtime(day.signup_closes_at):%Y年%m月%d日 %H:%M}截止。"
            )
        taken = day.signups.filter(status=SignupStatus.CONFIRMED).count()
        if taken >= day.capacity:
            raise ActionError("名额已满，感谢您的关注。")
        clean_phone = "".join(ch for ch in phone if ch.isdigit())
        if len(clean_phone) < 7:
            raise ActionError("请填写有效的联系电话。", field="phone")
        if day.signups.filter(phone=clean_phone, status=SignupStatus.CONFIRMED).exists():
            raise ActionError("该联系电话已报名本次活动。", field="phone")
        signup = OpenDaySignup.objects.create(
            open_day=day,
            name=_text(name, "name", "姓名", 100),
            phone=clean_phone,
            affiliation=moderation.clean_text(affiliation)[:200],
            kind=SignupKind.PUBLIC,
            idempotency_key=idempotency_key,
        )
        audit.record(
            PUBLIC, "participation.open_day.sign_up", signup, organisation_id=day.organisation_id
        )
        return signup

    return _idempotent(OpenDaySignup, idempotency_key, create)


@transaction.atomic
def invite(actor, open_day, *, name: str, phone: str, affiliation: str = "") -> OpenDaySignup:
    require(rules.can_manage(actor, open_day.organisation))
    signup = OpenDaySignup.objects.create(
        open_day=open_day,
        name=_text(name, "name", "姓名", 100),
        phone=phone.strip(),
        affiliation=affiliation.strip(),
        kind=SignupKind.INVITED,
    )
    audit.record(
        actor, "participation.open_day.invite", signup, organisation_id=open_day.organisation_id
    )
    return signup


@transaction.atomic
def add_suggestion(
    actor, open_day, *, content: str, organisation, raised_by: str = ""
) -> OpenDaySuggestion:
    require(rules.can_manage(actor, open_day.organisation))
    if organisation.government_id != open_day.organisation.government_id:
        raise ActionError("承办单位须属于本级政府。", field="organisation")
    due = rules.workday_due(
        rules.suggestion_start(open_day.starts_at, timezone.localdate()), "suggestion_workdays"
    )
    suggestion = OpenDaySuggestion.objects.create(
        open_day=open_day,
        raised_by=raised_by.strip(),
        content=_text(content, "content", "意见建议"),
        organisation=organisation,
        due_on=due.date,
        due_on_provisional=due.provisional,
    )
    audit.record(
        actor,
        "participation.open_day.suggestion",
        suggestion,
        organisation_id=organisation.pk,
        after={"due_on": suggestion.due_on},
    )
    return suggestion


@transaction.atomic
def answer_suggestion(actor, suggestion, answer: str) -> OpenDaySuggestion:
    suggestion = (
        OpenDaySuggestion.objects.select_for_update()
        .select_related("organisation")
        .get(pk=suggestion.pk)
    )
    require(rules.can_manage(actor, suggestion.organisation))
    before, after = changed(suggestion, {"answer": _text(answer, "answer", "答复内容")})
    suggestion.answered_at, suggestion.answered_by = timezone.now(), actor
    suggestion.save(update_fields=["answer", "answered_at", "answered_by"])
    audit.record(
        actor,
        "participation.open_day.answer",
        suggestion,
        organisation_id=suggestion.organisation_id,
        before=before,
        after=after,
    )
    return suggestion


# --- Policy enquiries -------------------------------------------------------------------------


def submit_enquiry(
    organisation,
    *,
    subject: str,
    question: str,
    asker_name: str,
    contact: str,
    policy_title: str = "",
    policy_url: str = "",
    idempotency_key=None,
):
    def create():
        now = timezone.now()
        enquiry = Enquiry.objects.create(
            organisation=organisation,
            subject=_text(subject, "subject", "咨询标题", 200),
            question=_text(question, "question", "咨询内容"),
            policy_title=moderation.clean_text(policy_title)[:200],
            policy_url=policy_url.strip(),
            asker_name=_text(asker_name, "asker_name", "姓名", 100),
            contact=_text(contact, "contact", "联系方式", 200),
            submitted_at=now,
            **workday_dates.fields(
                "due_on", rules.workday_due(timezone.localdate(now), "enquiry_workdays")
            ),
            idempotency_key=idempotency_key,
            tracking_code=tracking.new_code(),
        )
        audit.record(
            PUBLIC, "participation.enquiry.submit", enquiry, after={"due_on": enquiry.due_on}
        )
        return enquiry

    return _idempotent(Enquiry, idempotency_key, create)


@transaction.atomic
def answer_enquiry(actor, enquiry, *, answer: str, publish: bool = False) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().select_related("organisation").get(pk=enquiry.pk)
    require(rules.can_manage(actor, enquiry.organisation))
    if enquiry.state == EnquiryState.REJECTED:
        raise ActionError("该咨询已不予受理。")
    now = timezone.now()
    before, after = changed(
        enquiry, {"answer": _text(answer, "answer", "答复内容"), "state": EnquiryState.ANSWERED}
    )
    enquiry.answered_at, enquiry.answered_by = now, actor
    if publish:
        require(
            rules.can_publish(actor, enquiry.organisation),
            "只有审核人、负责人或公开办可以公开答复。",
        )
        enquiry.published_at = enquiry.published_at or now
    enquiry.save()
    audit.record(
        actor,
        "participation.enquiry.answer",
        enquiry,
        before=before,
        after={**after, "published": publish, "late": timezone.localdate(now) > enquiry.due_on},
    )
    return enquiry


@transaction.atomic
def set_enquiry_published(actor, enquiry, published: bool) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().select_related("organisation").get(pk=enquiry.pk)
    require(
        rules.can_publish(actor, enquiry.organisation), "只有审核人、负责人或公开办可以公开答复。"
    )
    if published and enquiry.state != EnquiryState.ANSWERED:
        raise ActionError("只有已答复的咨询可以公开到知识库。")
    before = {"published_at": enquiry.published_at}
    enquiry.published_at = timezone.now() if published else None
    enquiry.save(update_fields=["published_at"])
    audit.record(
        actor,
        "participation.enquiry.publish" if published else "participation.enquiry.unpublish",
        enquiry,
        before=before,
        after={"published_at": enquiry.published_at},
    )
    return enquiry


@transaction.atomic
def reject_enquiry(actor, enquiry, reason: str) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().select_related("organisation").get(pk=enquiry.pk)
    require(rules.can_manage(actor, enquiry.organisation))
    reason = _text(reason, "reason", "不予受理的理由", 500)
    before = {"state": enquiry.state}
    enquiry.state, enquiry.answer, enquiry.answered_at, enquiry.published_at = (
        EnquiryState.REJECTED,
        reason,
        timezone.now(),
        None,
    )
    enquiry.save()
    audit.record(
        actor,
        "participation.enquiry.reject",
        enquiry,
        before=before,
        after={"state": enquiry.state},
        note=reason,
    )
    return enquiry


# --- Messages ---------------------------------------------------------------------------------


def submit_message(
    government,
    organisation,
    *,
    mailbox: str,
    subject: str,
    body: str,
    writer_name: str,
    phone: str,
    email: str = "",
    consent_to_publish: bool = False,
    idempotency_key=None,
):
    if organisation.government_id != government.pk:
        raise ActionError("请选择本级政府的机构。", field="organisation")

    def create():
        now = timezone.now()
        message = Message.objects.create(
            government=government,
            organisation=organisation,
            mailbox=mailbox,
            subject=_text(subject, "subject", "标题", 200),
            body=_text(body, "body", "留言内容"),
            writer_name=_text(writer_name, "writer_name", "姓名", 100),
            phone=_text(phone, "phone", "联系电话", 30),
            email=email.strip(),
            consent_to_publish=consent_to_publish,
            received_at=now,
            **workday_dates.fields(
                "due_on", rules.workday_due(timezone.localdate(now), "message_workdays")
            ),
            idempotency_key=idempotency_key,
            tracking_code=tracking.new_code(),
        )
        audit.record(
            PUBLIC, "participation.message.submit", message, after={"due_on": message.due_on}
        )
        return message

    return _idempotent(Message, idempotency_key, create)


@transaction.atomic
def route_message(actor, message, organisation) -> Message:
    message = Message.objects.select_for_update().get(pk=message.pk)
    require(
        rules.can_route_messages(actor, message.government_id), "只有政务公开办公室可以分办留言。"
    )
    if message.state in (MessageState.ANSWERED, MessageState.INVALID):
        raise ActionError("该留言已办结。")
    if organisation.government_id != message.government_id:
        raise ActionError("只能分办给本级政府的机构。", field="organisation")
    before, after = changed(message, {"organisation": organisation, "state": MessageState.ROUTED})
    message.routed_at = timezone.now()
    message.save(update_fields=["organisation", "state", "routed_at"])
    audit.record(actor, "participation.message.route", message, before=before, after=after)
    return message


def _can_handle_message(actor, message) -> bool:
    return rules.can_manage(actor, message.organisation) or rules.can_route_messages(
        actor, message.government_id
    )


@transaction.atomic
def answer_message(actor, message, *, answer: str, publish: bool = False) -> Message:
    message = Message.objects.select_for_update().select_related("organisation").get(pk=message.pk)
    require(_can_handle_message(actor, message))
    if message.state == MessageState.INVALID:
        raise ActionError("该留言已认定为无效留言。")
    now = timezone.now()
    before, after = changed(
        message, {"answer": _text(answer, "answer", "答复内容"), "state": MessageState.ANSWERED}
    )
    message.answered_at, message.answered_by = now, actor
    message.save()
    audit.record(
        actor,
        "participation.message.answer",
        message,
        before=before,
        after={
            **after,
            "late": timezone.localdate(now) > message.due_on,
            "veto": now > rules.message_veto_at(message.received_at),
        },
    )
    if publish:
        set_message_published(actor, message, True)
    return message


@transaction.atomic
def set_message_published(actor, message, published: bool) -> Message:
    message = Message.objects.select_for_update().select_related("organisation").get(pk=message.pk)
    require(
        rules.can_publish(actor, message.organisation)
        or rules.can_route_messages(actor, message.government_id),
        "只有审核人、负责人或公开办可以公开答复。",
    )
    if published:
        if message.state != MessageState.ANSWERED:
            raise ActionError("只有已答复的留言可以公开。")
        if not message.consent_to_publish:
            raise ActionError("留言人未同意公开，不能公开。")
    before = {"published_at": message.published_at}
    message.published_at = timezone.now() if published else None
    message.save(update_fields=["published_at"])
    audit.record(
        actor,
        "participation.message.publish" if published else "participation.message.unpublish",
        message,
        before=before,
        after={"published_at": message.published_at},
    )
    return message


@transaction.atomic
def mark_message_invalid(actor, message, reason: str) -> Message:
    message = Message.objects.select_for_update().select_related("organisation").get(pk=message.pk)
    require(_can_handle_message(actor, message))
    if message.state == MessageState.ANSWERED:
        raise ActionError("该留言已答复。")
    reason = _text(reason, "reason", "无效原因", 200)
    before = {"state": message.state}
    message.state, message.invalid_reason, message.published_at = MessageState.INVALID, reason, None
    message.save(update_fields=["state", "invalid_reason", "published_at"])
    audit.record(
        actor,
        "participation.message.invalid",
        message,
        before=before,
        after={"state": message.state},
        note=reason,
    )
    return message


# --- Proposals --------------------------------------------------------------------------------


@transaction.atomic
def register_proposal(actor, organisation, **fields) -> Proposal:
    require(rules.can_manage(actor, organisation))
    fields.setdefault("due_on", None)
    if not fields["due_on"]:
        fields["due_on"] = rules.proposal_due_on(fields["assigned_on"])
    if Proposal.objects.filter(
        organisation=organisation,
        kind=fields["kind"],
        session=fields["session"],
        number=fields["number"],
    ).exists():
        raise ActionError("该编号的建议提案已登记。", field="number")
    proposal = Proposal.objects.create(organisation=organisation, **fields)
    audit.record(
        actor,
        "participation.proposal.register",
        proposal,
        after=audit.snapshot(proposal, ["kind", "session", "number", "due_on"]),
    )
    return proposal


@transaction.atomic
def record_proposal_reply(
    actor, proposal, *, replied_on: dt.date, result: str, reply_summary: str
) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require(rules.can_manage(actor, proposal.organisation))
    if replied_on < proposal.assigned_on or replied_on > timezone.localdate():
        raise ActionError("办复日期须在交办日期之后且不晚于今天。", field="replied_on")
    before, after = changed(
        proposal,
        {
            "replied_on": replied_on,
            "result": result,
            "reply_summary": _text(reply_summary, "reply_summary", "答复摘要"),
        },
    )
    proposal.save(update_fields=["replied_on", "result", "reply_summary"])
    audit.record(
        actor,
        "participation.proposal.reply",
        proposal,
        before=before,
        after={**after, "late": replied_on > proposal.due_on},
    )
    return proposal


@transaction.atomic
def publish_proposal(actor, proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require(
        rules.can_publish(actor, proposal.organisation),
        "只有审核人、负责人或公开办可以公开办理结果。",
    )
    if not proposal.replied_on:
        raise ActionError("尚未办复，不能公开办理结果。")
    proposal.published_at = timezone.now()
    proposal.save(update_fields=["published_at"])
    audit.record(
        actor,
        "participation.proposal.publish",
        proposal,
        after={"published_at": proposal.published_at},
    )
    return proposal


# --- Public-concern responses -----------------------------------------------------------------


@transaction.atomic
def register_concern(actor, organisation, **fields) -> ConcernResponse:
    require(rules.can_manage(actor, organisation))
    if fields["detected_at"] > timezone.now():
        raise ActionError("发现时间不能晚于现在。", field="detected_at")
    concern = ConcernResponse.objects.create(organisation=organisation, **fields)
    audit.record(
        actor,
        "participation.concern.register",
        concern,
        after=audit.snapshot(concern, ["title", "kind", "detected_at"]),
    )
    return concern


@transaction.atomic
def add_release(
    actor, concern, *, kind: str, at, channel: str = "", content: str = "", url: str = ""
) -> ConcernRelease:
    concern = ConcernResponse.objects.select_for_update().get(pk=concern.pk)
    require(rules.can_manage(actor, concern.organisation))
    if at < concern.detected_at:
        raise ActionError("回应时间不能早于发现时间。", field="at")
    if at > timezone.now():
        raise ActionError("回应时间不能晚于现在。", field="at")
    release = ConcernRelease.objects.create(
        concern=concern,
        kind=kind,
        at=at,
        channel=channel.strip(),
        content=content.strip(),
        url=url.strip(),
    )
    audit.record(
        actor,
        "participation.concern.release",
        release,
        organisation_id=concern.organisation_id,
        after={"kind": kind, "at": at},
    )
    return release


@transaction.atomic
def close_concern(actor, concern) -> ConcernResponse:
    concern = ConcernResponse.objects.select_for_update().get(pk=concern.pk)
    require(rules.can_manage(actor, concern.organisation))
    if not concern.releases.exists():
        raise ActionError("尚无回应记录，不能办结。")
    concern.state, concern.closed_at = ConcernState.CLOSED, timezone.now()
    concern.save(update_fields=["state", "closed_at"])
    audit.record(actor, "participation.concern.close", concern, after={"state": concern.state})
    return concern


# --- Complaints about public institutions -----------------------------------------------------


@transaction.atomic
def register_complaint(actor, organisation, **fields) -> Complaint:
    require(rules.can_manage(actor, organisation))
    if fields["received_on"] > timezone.localdate():
        raise ActionError("收到日期不能晚于今天。", field="received_on")
    fields.update(
        workday_dates.fields(
            "due_on", rules.workday_due(fields["received_on"], "complaint_workdays")
        )
    )
    complaint = Complaint.objects.create(organisation=organisation, **fields)
    audit.record(
        actor, "participation.complaint.register", complaint, after={"due_on": complaint.due_on}
    )
    return complaint


def submit_complaint(
    government,
    organisation,
    *,
    institution_name: str,
    sector: str,
    complainant_name: str,
    contact: str,
    content: str,
    idempotency_key=None,
):
    """A complaint from the portal, addressed to the competent department."""
    if organisation.government_id != government.pk:
        raise ActionError("请选择本级政府的主管部门。", field="organisation")

    def create():
        received_on = timezone.localdate()
        complaint = Complaint.objects.create(
            organisation=organisation,
            institution_name=_text(institution_name, "institution_name", "被申诉单位", 200),
            sector=sector,
            complainant_name=_text(complainant_name, "complainant_name", "姓名", 100),
            contact=_text(contact, "contact", "联系方式", 200),
            content=_text(content, "content", "申诉内容"),
            received_on=received_on,
            **workday_dates.fields("due_on", rules.workday_due(received_on, "complaint_workdays")),
            idempotency_key=idempotency_key,
        )
        audit.record(
            PUBLIC, "participation.complaint.submit", complaint, after={"due_on": complaint.due_on}
        )
        return complaint

    return _idempotent(Complaint, idempotency_key, create)


@transaction.atomic
def record_complaint_result(actor, complaint, *, result: str, handled_on: dt.date) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    require(rules.can_manage(actor, complaint.organisation))
    if handled_on < complaint.received_on or handled_on > timezone.localdate():
        raise ActionError("办结日期须在收到日期之后且不晚于今天。", field="handled_on")
    before, after = changed(
        complaint,
        {
            "result": _text(result, "result", "处理结果"),
            "handled_on": handled_on,
            "state": ComplaintState.HANDLED,
        },
    )
    complaint.save(update_fields=["result", "handled_on", "state"])
    audit.record(
        actor,
        "participation.complaint.result",
        complaint,
        before=before,
        after={**after, "late": handled_on > complaint.due_on},
    )
    return complaint
