"""Consultation actions: open, publish, extend, close early, comments from the portal and from
staff, moderation, disposition, published feedback."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core import audit, workday_dates
from gongkai.core.actions import ActionError, require
from gongkai.participation import moderation, rules
from gongkai.participation.actions.base import PUBLIC, changed
from gongkai.participation.feedback import build_feedback
from gongkai.participation.models import (
    REASON_REQUIRED,
    ChangeKind,
    Channel,
    Comment,
    Consultation,
    ConsultationChange,
    Disposition,
    Moderation,
    Phase,
    PublicationState,
)

MAX_COMMENT_LENGTH = 5000
EDITABLE_FIELDS = [  # in the staff form's order
    "title",
    "kind",
    "decision",
    "summary",
    "draft_text",
    "draft_file",
    "explanation_file",
    "clauses",
    "opens_on",
    "closes_on",
    "shortened_reason",
]


def _check_period(kind, opens_on, closes_on, shortened_reason):
    errors = rules.consultation_period_errors(kind, opens_on, closes_on, shortened_reason)
    if errors:
        field, message = next(iter(errors.items()))
        raise ActionError(message, field=field)


@transaction.atomic
def create_consultation(actor, organisation, **fields) -> Consultation:
    require(rules.can_manage(actor, organisation))
    _check_period(
        fields.get("kind"),
        fields.get("opens_on"),
        fields.get("closes_on"),
        fields.get("shortened_reason", ""),
    )
    consultation = Consultation(organisation=organisation, created_by=actor)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(consultation, name, fields[name])
    consultation.save()
    audit.record(
        actor,
        "participation.consultation.create",
        consultation,
        after=audit.snapshot(consultation, ["title", "kind", "opens_on", "closes_on"]),
    )
    return consultation


@transaction.atomic
def update_consultation(actor, consultation, **fields) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(rules.can_manage(actor, consultation.organisation))
    if consultation.state != PublicationState.DRAFT:
        period_fields = {"opens_on", "closes_on"} & set(fields)
        if any(fields[f] != getattr(consultation, f) for f in period_fields):
            raise ActionError(
                "征求意见已发布，期限只能通过「延长期限」或「提前结束」调整。", field="closes_on"
            )
    values = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    before, after = changed(consultation, values)
    _check_period(
        consultation.kind,
        consultation.opens_on,
        consultation.closes_on,
        consultation.shortened_reason,
    )
    if after:
        consultation.save()
        audit.record(
            actor, "participation.consultation.update", consultation, before=before, after=after
        )
    return consultation


@transaction.atomic
def publish_consultation(actor, consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(
        rules.can_publish(actor, consultation.organisation),
        "只有审核人、负责人或公开办可以发布征求意见。",
    )
    if consultation.state != PublicationState.DRAFT:
        raise ActionError("该征求意见已发布或已撤回。")
    _check_period(
        consultation.kind,
        consultation.opens_on,
        consultation.closes_on,
        consultation.shortened_reason,
    )
    if consultation.closes_on < timezone.localdate():
        raise ActionError("截止日期已过，不能发布。请先修改征求意见期限。", field="closes_on")
    if not (consultation.draft_text.strip() or consultation.draft_file):
        raise ActionError("发布前须提供草案正文或草案附件。", field="draft_text")
    consultation.state = PublicationState.PUBLISHED
    consultation.published_at = timezone.now()
    _set_feedback_due(consultation, consultation.closes_on)
    consultation.save(
        update_fields=["state", "published_at", "feedback_due_on", "feedback_due_on_provisional"]
    )
    audit.record(
        actor,
        "participation.consultation.publish",
        consultation,
        after={
            "published_at": consultation.published_at,
            "feedback_due_on": consultation.feedback_due_on,
        },
    )
    return consultation


@transaction.atomic
def withdraw_consultation(actor, consultation, reason: str) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(rules.can_publish(actor, consultation.organisation))
    if not reason.strip():
        raise ActionError("请填写撤回理由。", field="reason")
    before = {"state": consultation.state}
    consultation.state = PublicationState.WITHDRAWN
    consultation.save(update_fields=["state"])
    audit.record(
        actor,
        "participation.consultation.withdraw",
        consultation,
        before=before,
        after={"state": consultation.state},
        note=reason,
    )
    return consultation


def _published_not_finished(consultation):
    if consultation.state != PublicationState.PUBLISHED or consultation.feedback_published_at:
        raise ActionError("只有已发布且尚未公开反馈的征求意见可以调整期限。")


@transaction.atomic
def extend_consultation(actor, consultation, new_closes_on: dt.date, reason: str) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(rules.can_publish(actor, consultation.organisation))
    _published_not_finished(consultation)
    if not reason.strip():
        raise ActionError("请填写延长期限的理由。", field="reason")
    if new_closes_on <= consultation.closes_on:
        raise ActionError(
            f"新的截止日期须晚于原截止日期（{consultation.closes_on:%Y-%m-%d}）。",
            field="new_closes_on",
        )
    if consultation.closed_early_at:
        raise ActionError("已提前结束的征求意见不能再延长。")
    old = consultation.closes_on
    consultation.closes_on = new_closes_on
    _set_feedback_due(consultation, new_closes_on)
    consultation.save(update_fields=["closes_on", "feedback_due_on", "feedback_due_on_provisional"])
    ConsultationChange.objects.create(
        consultation=consultation,
        kind=ChangeKind.EXTENDED,
        old_closes_on=old,
        new_closes_on=new_closes_on,
        reason=reason.strip(),
        actor=actor,
    )
    audit.record(
        actor,
        "participation.consultation.extend",
        consultation,
        before={"closes_on": old},
        after={"closes_on": new_closes_on},
        note=reason,
    )
    return consultation


@transaction.atomic
def close_consultation_early(actor, consultation, reason: str) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(rules.can_publish(actor, consultation.organisation))
    _published_not_finished(consultation)
    if consultation.phase() != Phase.OPEN:
        raise ActionError("只有正在征求意见的事项可以提前结束。")
    if not reason.strip():
        raise ActionError("请填写提前结束的理由。", field="reason")
    today = timezone.localdate()
    old = consultation.closes_on
    consultation.closed_early_at = timezone.now()
    consultation.closes_on = today
    _set_feedback_due(consultation, today)
    consultation.save(
        update_fields=[
            "closed_early_at",
            "closes_on",
            "feedback_due_on",
            "feedback_due_on_provisional",
        ]
    )
    ConsultationChange.objects.create(
        consultation=consultation,
        kind=ChangeKind.CLOSED_EARLY,
        old_closes_on=old,
        new_closes_on=today,
        reason=reason.strip(),
        actor=actor,
    )
    audit.record(
        actor,
        "participation.consultation.close_early",
        consultation,
        before={"closes_on": old},
        after={"closes_on": today},
        note=reason,
    )
    return consultation


def _comment_body(body: str) -> str:
    body = moderation.clean_text(body)
    if not body:
        raise ActionError("请填写意见内容。", field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise ActionError(f"意见内容不能超过{MAX_COMMENT_LENGTH}字。", field="body")
    return body


def _clause(consultation, clause: str) -> str:
    clause = (clause or "").strip()
    if clause and consultation.clause_list and clause not in consultation.clause_list:
        raise ActionError("请选择列出的条款。", field="clause")
    return clause


def comment_refusal(consultation) -> str:
    """Why the public cannot comment on this consultation now ("" when it can)."""
    phase = consultation.phase()
    if phase == Phase.OPEN:
        return ""
    if phase == Phase.UPCOMING:
        return f"本次征求意见将于{consultation.opens_on:%Y年%m月%d日}开始，届时欢迎提出意见。"
    if phase in (Phase.CLOSED, Phase.FEEDBACK):
        return f"本次征求意见已于{consultation.closes_on:%Y年%m月%d日}截止，不再接受意见。"
    return "本次征求意见不接受意见。"


def submit_comment(
    consultation,
    *,
    body: str,
    author_name: str = "",
    contact: str = "",
    clause: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> tuple[Comment, bool]:
    """A comment from the portal. Returns (comment, created); a repeated idempotency key
    returns the first comment unchanged (a double-submitted form makes one comment)."""
    if idempotency_key is not None:
        existing = Comment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
            refusal = comment_refusal(consultation)
            if refusal:
                raise ActionError(refusal)
            body = _comment_body(body)
            hits = moderation.check(" ".join([body, author_name or ""]))
            comment = Comment.objects.create(
                consultation=consultation,
                channel=Channel.PORTAL,
                clause=_clause(consultation, clause),
                body=body,
                author_name=moderation.clean_text(author_name)[:100],
                contact=moderation.clean_text(contact)[:200],
                moderation=Moderation.PENDING if hits else Moderation.APPROVED,
                flagged_words=hits,
                idempotency_key=idempotency_key,
            )
            audit.record(
                PUBLIC,
                "participation.comment.submit",
                comment,
                organisation_id=consultation.organisation_id,
                after={"moderation": comment.moderation, "flagged_words": hits},
            )
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request won.
        existing = Comment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return comment, True


@transaction.atomic
def enter_comment(
    actor,
    consultation,
    *,
    channel: str,
    body: str,
    author_name: str = "",
    contact: str = "",
    clause: str = "",
    submitted_at=None,
) -> Comment:
    """A comment received by letter, e-mail, phone or at a meeting, entered by staff."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(rules.can_manage(actor, consultation.organisation))
    if consultation.phase() not in (Phase.OPEN, Phase.CLOSED):
        raise ActionError("只能为正在征求意见或已截止、尚未公开反馈的事项录入意见。")
    if channel == Channel.PORTAL:
        raise ActionError("网站留言由公众在门户网站提交，请选择其他来源渠道。", field="channel")
    comment = Comment.objects.create(
        consultation=consultation,
        channel=channel,
        clause=_clause(consultation, clause),
        body=_comment_body(body),
        author_name=moderation.clean_text(author_name)[:100],
        contact=moderation.clean_text(contact)[:200],
        moderation=Moderation.APPROVED,
        submitted_at=submitted_at or timezone.now(),
        entered_by=actor,
    )
    audit.record(
        actor,
        "participation.comment.enter",
        comment,
        organisation_id=consultation.organisation_id,
        after={"channel": channel},
    )
    return comment


def _feedback_not_published(consultation):
    if consultation.feedback_published_at is not None:
        raise ActionError("反馈已公开，意见处理情况不能再修改。")


@transaction.atomic
def moderate_comment(actor, comment, *, approve: bool, note: str = "") -> Comment:
    comment = (
        Comment.objects.select_for_update()
        .select_related("consultation__organisation")
        .get(pk=comment.pk)
    )
    consultation = comment.consultation
    require(rules.can_manage(actor, consultation.organisation))
    _feedback_not_published(consultation)
    if not approve and not note.strip():
        raise ActionError("认定为无效意见时请说明原因。", field="note")
    before = {"moderation": comment.moderation}
    comment.moderation = Moderation.APPROVED if approve else Moderation.REJECTED
    comment.moderation_note = note.strip()[:200]
    if not approve:
        comment.disposition, comment.reason = "", ""
    comment.save(update_fields=["moderation", "moderation_note", "disposition", "reason"])
    audit.record(
        actor,
        "participation.comment.moderate",
        comment,
        organisation_id=consultation.organisation_id,
        before=before,
        after={"moderation": comment.moderation},
        note=note,
    )
    return comment


@transaction.atomic
def dispose_comment(
    actor, comment, *, disposition: str, reason: str = "", topic: str = ""
) -> Comment:
    """Record how a comment was handled: adopted, partly adopted or not adopted (+ reason)."""
    comment = (
        Comment.objects.select_for_update()
        .select_related("consultation__organisation")
        .get(pk=comment.pk)
    )
    consultation = comment.consultation
    require(rules.can_manage(actor, consultation.organisation))
    _feedback_not_published(consultation)
    if comment.moderation != Moderation.APPROVED:
        raise ActionError("请先审核通过该意见，再填写采纳情况。")
    if disposition not in Disposition.values:
        raise ActionError("请选择采纳情况。", field="disposition")
    reason = moderation.clean_text(reason)
    if disposition in REASON_REQUIRED and not reason:
        raise ActionError(f"「{Disposition(disposition).label}」须说明理由。", field="reason")
    before, after = changed(
        comment,
        {"disposition": disposition, "reason": reason, "topic": moderation.clean_text(topic)[:100]},
    )
    comment.handled_at, comment.handled_by = timezone.now(), actor
    comment.save(update_fields=["disposition", "reason", "topic", "handled_at", "handled_by"])
    audit.record(
        actor,
        "participation.comment.dispose",
        comment,
        organisation_id=consultation.organisation_id,
        before=before,
        after=after,
    )
    return comment


def feedback_blockers(consultation) -> list[str]:
    """Why the feedback cannot be published yet ([] when it can)."""
    problems = []
    if consultation.state != PublicationState.PUBLISHED:
        problems.append("征求意见尚未发布。")
    elif consultation.phase() in (Phase.UPCOMING, Phase.OPEN):
        problems.append("征求意见尚未截止。")
    comments = consultation.comments.all()
    pending = sum(1 for c in comments if c.moderation == Moderation.PENDING)
    undisposed = sum(
        1 for c in comments if c.moderation == Moderation.APPROVED and not c.disposition
    )
    if pending:
        problems.append(f"还有{pending}条意见待审核。")
    if undisposed:
        problems.append(f"还有{undisposed}条意见未填写采纳情况。")
    return problems


@transaction.atomic
def publish_feedback(actor, consultation, summary: str = "") -> Consultation:
    consultation = (
        Consultation.objects.select_for_update()
        .select_related("organisation")
        .get(pk=consultation.pk)
    )
    require(
        rules.can_publish(actor, consultation.organisation),
        "只有审核人、负责人或公开办可以公开反馈。",
    )
    _feedback_not_published(consultation)
    problems = feedback_blockers(consultation)
    if problems:
        raise ActionError("暂不能公开反馈：" + "".join(problems))
    comments = consultation.comments.filter(moderation=Moderation.APPROVED).order_by(
        "submitted_at", "id"
    )
    consultation.feedback_summary = moderation.clean_text(summary)
    consultation.feedback = build_feedback(consultation, comments, consultation.feedback_summary)
    consultation.feedback_published_at = timezone.now()
    consultation.save(update_fields=["feedback_summary", "feedback", "feedback_published_at"])
    audit.record(
        actor,
        "participation.consultation.publish_feedback",
        consultation,
        after={
            "feedback_published_at": consultation.feedback_published_at,
            "total": consultation.feedback["total"],
            "late": timezone.localdate() > consultation.feedback_due_on
            if consultation.feedback_due_on
            else False,
        },
    )
    return consultation


def _set_feedback_due(consultation, closes_on) -> None:
    """The feedback is published within 20 working days of closing; stored with its 暂定 flag."""
    for name, value in workday_dates.fields(
        "feedback_due_on", rules.feedback_due(closes_on)
    ).items():
        setattr(consultation, name, value)
