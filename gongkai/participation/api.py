"""Public JSON API for participation (mounted at /api/participation/). Only what the
visibility gate allows, through its public views: no personal data of the public."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Router, Schema

from gongkai.orgs.sites import government_or_404
from gongkai.participation import visibility

router = Router(tags=["政民互动"])


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """The answer to a bad parameter: a Chinese message naming it (gongkai.api)."""

    detail: str


class DecisionOut(Schema):
    id: int
    year: int
    number: int
    title: str
    organisation: str
    planned_time: str
    hearing_required: bool
    status: str
    status_label: str
    steps_done: int
    steps_required: int
    decided_on: dt.date | None
    result_url: str


class StepOut(Schema):
    kind: str
    label: str
    status: str
    status_label: str
    started_on: dt.date | None
    completed_on: dt.date | None
    consultation_id: int | None
    hearing_id: int | None
    evidence_title: str
    evidence_url: str


class AdjustmentOut(Schema):
    kind: str
    kind_label: str
    reason: str
    at: dt.datetime


class DecisionDetailOut(DecisionOut):
    description: str
    steps: list[StepOut]
    adjustments: list[AdjustmentOut]


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str
    organisation: str
    opens_on: dt.date
    closes_on: dt.date
    phase: str
    phase_label: str
    decision_id: int | None


class ChangeOut(Schema):
    kind: str
    kind_label: str
    old_closes_on: dt.date
    new_closes_on: dt.date
    reason: str


class FeedbackItemOut(Schema):
    author: str
    channel: str
    clause: str
    body: str
    disposition: str
    disposition_label: str
    reason: str


class FeedbackGroupOut(Schema):
    name: str
    items: list[FeedbackItemOut]


class FeedbackOut(Schema):
    title: str
    total: int
    adopted: int
    partly_adopted: int
    not_adopted: int
    summary: str
    groups: list[FeedbackGroupOut]


class ConsultationDetailOut(ConsultationOut):
    summary: str
    draft_text: str
    shortened_reason: str
    changes: list[ChangeOut]
    feedback: FeedbackOut | None


class EnquiryOut(Schema):
    id: int
    subject: str
    question: str
    policy_title: str
    policy_url: str
    organisation: str
    asked_on: dt.date
    answer: str
    answered_on: dt.date | None


class MessageOut(Schema):
    id: int
    mailbox: str
    subject: str
    body: str
    writer: str
    received_on: dt.date
    organisation: str
    answer: str
    answered_on: dt.date | None


class OpenDayOut(Schema):
    id: int
    title: str
    theme: str
    organisation: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    signed_up: int
    signup_closes_at: dt.datetime


class ProposalOut(Schema):
    id: int
    kind: str
    kind_label: str
    session: str
    number: str
    title: str
    proposer: str
    organisation: str
    assigned_on: dt.date
    replied_on: dt.date | None
    result: str
    result_label: str
    reply_summary: str


LIMIT = 200


def _decision(d) -> dict:
    return {
        "id": d.pk,
        "year": d.catalogue.year,
        "number": d.number,
        "title": d.title,
        "organisation": d.organisation.name,
        "planned_time": d.planned_time,
        "hearing_required": d.hearing_required,
        "status": d.status,
        "status_label": d.get_status_display(),
        "steps_done": d.steps_done,
        "steps_required": d.steps_required,
        "decided_on": d.decided_on,
        "result_url": d.result_url,
    }


@router.get(
    "/decisions",
    response={200: list[DecisionOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="重大行政决策事项目录",
)
def decisions(request, gov: str | None = None, year: int | None = None):
    qs = visibility.public_decisions(government_or_404(gov))
    if year:
        qs = qs.filter(catalogue__year=year)
    return [_decision(d) for d in qs[:LIMIT]]


@router.get(
    "/decisions/{int:pk}",
    response={200: DecisionDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="决策事项详情",
)
def decision_detail(request, pk: int, gov: str | None = None):
    d = visibility.public_decisions(government_or_404(gov)).filter(pk=pk).first()
    if d is None:
        raise Http404("决策事项不存在")
    return {
        **_decision(d),
        "description": d.description,
        "steps": visibility.decision_steps_public(d),
        "adjustments": [
            {"kind": a.kind, "kind_label": a.get_kind_display(), "reason": a.reason, "at": a.at}
            for a in visibility.decision_adjustments_public(d)
        ],
    }


def _consultation(c) -> dict:
    phase = c.phase()
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "organisation": c.organisation.name,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "phase": phase,
        "phase_label": c.phase_label,
        "decision_id": c.decision_id,
    }


@router.get(
    "/consultations",
    response={200: list[ConsultationOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="意见征集",
)
def consultations(request, gov: str | None = None):
    return [
        _consultation(c) for c in visibility.public_consultations(government_or_404(gov))[:LIMIT]
    ]


@router.get(
    "/consultations/{int:pk}",
    response={200: ConsultationDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="意见征集详情（含已公开的意见采纳情况反馈）",
)
def consultation_detail(request, pk: int, gov: str | None = None):
    c = visibility.public_consultations(government_or_404(gov)).filter(pk=pk).first()
    if c is None:
        raise Http404("意见征集不存在")
    return {
        **_consultation(c),
        "summary": c.summary,
        "draft_text": c.draft_text,
        "shortened_reason": c.shortened_reason,
        "changes": [
            {
                "kind": ch.kind,
                "kind_label": ch.get_kind_display(),
                "old_closes_on": ch.old_closes_on,
                "new_closes_on": ch.new_closes_on,
                "reason": ch.reason,
            }
            for ch in visibility.consultation_changes_public(c)
        ],
        "feedback": visibility.consultation_feedback_public(c),
    }


@router.get(
    "/enquiries",
    response={200: list[EnquiryOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="政策咨询知识库",
)
def enquiries(request, gov: str | None = None, q: str = ""):
    qs = visibility.public_enquiries(government_or_404(gov), q[:100])
    return [visibility.enquiry_public_view(e) for e in qs[:LIMIT]]


@router.get(
    "/messages",
    response={200: list[MessageOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="已公开的留言及答复",
)
def messages(request, gov: str | None = None):
    qs = visibility.public_messages(government_or_404(gov))
    return [visibility.message_public_view(m) for m in qs[:LIMIT]]


@router.get(
    "/open-days",
    response={200: list[OpenDayOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="政府开放日",
)
def open_days(request, gov: str | None = None):
    qs = visibility.public_open_days(government_or_404(gov)).order_by("-starts_at")
    return [
        {
            "id": d.pk,
            "title": d.title,
            "theme": d.theme,
            "organisation": d.organisation.name,
            "place": d.place,
            "starts_at": d.starts_at,
            "ends_at": d.ends_at,
            "capacity": d.capacity,
            "signed_up": d.signed_up,
            "signup_closes_at": d.signup_closes_at,
        }
        for d in qs[:LIMIT]
    ]


@router.get(
    "/proposals",
    response={200: list[ProposalOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="建议提案办理结果",
)
def proposals(request, gov: str | None = None):
    qs = visibility.public_proposals(government_or_404(gov))
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "kind_label": p.get_kind_display(),
            "session": p.session,
            "number": p.number,
            "title": p.title,
            "proposer": p.proposer,
            "organisation": p.organisation.name,
            "assigned_on": p.assigned_on,
            "replied_on": p.replied_on,
            "result": p.result,
            "result_label": p.get_result_display(),
            "reply_summary": p.reply_summary if p.publish_full_reply else "",
        }
        for p in qs[:LIMIT]
    ]
