"""Public participation pages (政民互动). Everything is read through
gongkai.participation.visibility; submissions go through gongkai.participation.actions."""

from __future__ import annotations

import mimetypes
import os
import uuid
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.core import tracking
from gongkai.core.public_forms import captcha_mode, limit_reached, rate_limited
from gongkai.core.views import run_action
from gongkai.orgs.models import Organisation, OrgKind
from gongkai.orgs.sites import site_government
from gongkai.participation import actions, visibility
from gongkai.participation.forms import (
    CommentForm,
    EnquiryForm,
    FollowUpForm,
    MessageForm,
    PublicComplaintForm,
    SignupForm,
)
from gongkai.participation.models import (
    Comment,
    Complaint,
    Enquiry,
    Message,
    Moderation,
    OpenDaySignup,
    Phase,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from gongkai.participation.models import OpenDay
    from gongkai.participation.visibility import SignedUp

# Per address: submissions per hour.
RATE_LIMITS = {"comment": 10, "enquiry": 5, "message": 5, "signup": 10, "complaint": 5}
RATE_WINDOW = 3600
RATE_MESSAGE = "提交过于频繁，请稍后再试。"
PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _posted_key(request):
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None


def _already_submitted(request, model) -> bool:
    """A form posted again with a key that already made a row: that is a success, not an error
    (the first submission already consumed the captcha)."""
    key = _posted_key(request)
    return key is not None and model.objects.filter(idempotency_key=key).exists()


def home(request):
    gov = site_government(request)
    today = timezone.localdate()
    consultations = visibility.public_consultations(gov)
    return render(
        request,
        "portal/participation/home.html",
        {
            "nav": "participation",
            "open_consultations": consultations.filter(
                opens_on__lte=today, closes_on__gte=today, closed_early_at__isnull=True
            )[:5],
            "feedback_consultations": consultations.filter(feedback_published_at__isnull=False)[:5],
            "open_days": visibility.public_open_days(gov)
            .filter(starts_at__gte=timezone.now())
            .order_by("starts_at")[:3],
            "enquiries": [
                visibility.enquiry_public_view(e) for e in visibility.public_enquiries(gov)[:5]
            ],
            "messages_list": [
                visibility.message_public_view(m) for m in visibility.public_messages(gov)[:5]
            ],
            "catalogues": visibility.public_catalogues(gov)[:3],
        },
    )


# --- Decisions --------------------------------------------------------------------------------


def decisions(request):
    gov = site_government(request)
    catalogues = list(visibility.public_catalogues(gov).order_by("-year"))
    year = request.GET.get("year")
    catalogue = None
    if catalogues:
        catalogue = next((c for c in catalogues if str(c.year) == year), catalogues[0])
    rows = visibility.public_decisions(gov).filter(catalogue=catalogue) if catalogue else []
    return render(
        request,
        "portal/participation/decisions.html",
        {
            "nav": "participation",
            "catalogues": catalogues,
            "catalogue": catalogue,
            "decisions": rows,
            "completion": request.GET.get("view") == "completion",
        },
    )


def decision_detail(request, pk):
    gov = site_government(request)
    decision = get_object_or_404(visibility.public_decisions(gov), pk=pk)
    return render(
        request,
        "portal/participation/decision_detail.html",
        {
            "nav": "participation",
            "decision": decision,
            "steps": visibility.decision_steps_public(decision),
            "adjustments": visibility.decision_adjustments_public(decision),
        },
    )


# --- Consultations ----------------------------------------------------------------------------


def consultations(request):
    gov = site_government(request)
    return render(
        request,
        "portal/participation/consultations.html",
        {"nav": "participation", "page": _page(request, visibility.public_consultations(gov))},
    )


def consultation_detail(request, pk):
    gov = site_government(request)
    consultation = get_object_or_404(visibility.public_consultations(gov), pk=pk)
    mode = captcha_mode(request)
    form = None
    refusal = actions.comment_refusal(consultation)
    if request.method == "POST":
        if _already_submitted(request, Comment):
            messages.success(request, "您的意见已提交，感谢您的参与。")
            return redirect("portal:participation_consultation", pk=pk)
        if refusal:
            messages.error(request, refusal)
            return redirect("portal:participation_consultation", pk=pk)
        form = CommentForm(
            request.POST, clauses=consultation.clause_list, captcha_mode=mode, request=request
        )
        if rate_limited(request, "participation-comment", RATE_LIMITS["comment"], RATE_WINDOW):
            form.add_error(None, RATE_MESSAGE)
        elif form.is_valid():
            data = form.cleaned_data
            done = run_action(
                request,
                lambda: actions.submit_comment(
                    consultation,
                    body=data["body"],
                    author_name=data.get("author_name", ""),
                    contact=data.get("contact", ""),
                    clause=data.get("clause", ""),
                    idempotency_key=data["idempotency_key"],
                ),
                form=form,
            )
            if done:
                comment, _ = done.value
                note = (
                    "您的意见已提交，经审核后纳入汇总。"
                    if comment.moderation == Moderation.PENDING
                    else "您的意见已提交，感谢您的参与。"
                )
                messages.success(request, note)
                return redirect("portal:participation_consultation", pk=pk)
    elif not refusal:
        form = CommentForm(clauses=consultation.clause_list, captcha_mode=mode, request=request)
    return render(
        request,
        "portal/participation/consultation_detail.html",
        {
            "nav": "participation",
            "c": consultation,
            "phase": consultation.phase(),
            "Phase": Phase,
            "form": form,
            "refusal": refusal,
            "changes": visibility.consultation_changes_public(consultation),
            "feedback": visibility.consultation_feedback_public(consultation),
        },
    )


def consultation_file(request, pk, which):
    gov = site_government(request)
    consultation = get_object_or_404(visibility.public_consultations(gov), pk=pk)
    field = {"draft": consultation.draft_file, "explanation": consultation.explanation_file}.get(
        which
    )
    if not field:
        raise Http404("附件不存在")
    name = os.path.basename(field.name or "")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


def hearings(request):
    gov = site_government(request)
    return render(
        request,
        "portal/participation/hearings.html",
        {
            "nav": "participation",
            "page": _page(request, visibility.public_hearings(gov).order_by("-held_at")),
        },
    )


def hearing_detail(request, pk):
    gov = site_government(request)
    hearing = get_object_or_404(visibility.public_hearings(gov), pk=pk)
    return render(
        request,
        "portal/participation/hearing_detail.html",
        {"nav": "participation", "hearing": hearing},
    )


# --- Open days --------------------------------------------------------------------------------


def open_days(request):
    gov = site_government(request)
    return render(
        request,
        "portal/participation/open_days.html",
        {
            "nav": "participation",
            "page": _page(request, visibility.public_open_days(gov).order_by("-starts_at")),
        },
    )


def open_day_detail(request, pk):
    gov = site_government(request)
    day: WithAnnotations[OpenDay, SignedUp] = get_object_or_404(
        visibility.public_open_days(gov), pk=pk
    )
    mode = captcha_mode(request)
    now = timezone.now()
    signup_open = now <= day.signup_closes_at and day.signed_up < day.capacity
    form = SignupForm(captcha_mode=mode, request=request) if signup_open else None
    if request.method == "POST":
        if _already_submitted(request, OpenDaySignup):
            messages.success(request, "报名成功。")
            return redirect("portal:participation_open_day", pk=pk)
        form = SignupForm(request.POST, captcha_mode=mode, request=request)
        if rate_limited(request, "participation-signup", RATE_LIMITS["signup"], RATE_WINDOW):
            form.add_error(None, RATE_MESSAGE)
        elif form.is_valid():
            data = form.cleaned_data
            done = run_action(
                request,
                lambda: actions.sign_up(
                    day,
                    name=data["name"],
                    phone=data["phone"],
                    affiliation=data.get("affiliation", ""),
                    idempotency_key=data["idempotency_key"],
                ),
                form=form,
            )
            if done:
                messages.success(request, "报名成功。我们将通过您留下的电话与您联系。")
                return redirect("portal:participation_open_day", pk=pk)
    return render(
        request,
        "portal/participation/open_day_detail.html",
        {
            "nav": "participation",
            "day": day,
            "form": form,
            "signup_open": signup_open,
            "remaining": max(day.capacity - day.signed_up, 0),
            "suggestions": visibility.open_day_suggestions_public(day),
        },
    )


# --- Enquiries --------------------------------------------------------------------------------


def _public_organisations(gov):
    return (
        Organisation.objects.in_government(gov)
        .active()
        .exclude(
            kind__in=[OrgKind.PARTY_ORGAN, OrgKind.VERTICAL_AGENCY, OrgKind.PUBLIC_INSTITUTION]
        )
        .order_by("order", "id")
    )


def enquiries(request):
    gov = site_government(request)
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, visibility.public_enquiries(gov, q))
    return render(
        request,
        "portal/participation/enquiries.html",
        {
            "nav": "participation",
            "page": page,
            "q": q,
            "rows": [visibility.enquiry_public_view(e) for e in page],
        },
    )


def enquiry_detail(request, pk):
    gov = site_government(request)
    enquiry = get_object_or_404(visibility.public_enquiries(gov), pk=pk)
    return render(
        request,
        "portal/participation/enquiry_detail.html",
        {"nav": "participation", "e": visibility.enquiry_public_view(enquiry)},
    )


def enquiry_ask(request):
    gov = site_government(request)
    mode = captcha_mode(request)
    orgs = _public_organisations(gov)
    form = EnquiryForm(request.POST or None, organisations=orgs, captcha_mode=mode, request=request)
    if request.method == "POST":
        if _already_submitted(request, Enquiry):
            messages.success(request, "您的咨询已提交。")
            return redirect("portal:participation_enquiries")
        if rate_limited(request, "participation-enquiry", RATE_LIMITS["enquiry"], RATE_WINDOW):
            form.add_error(None, RATE_MESSAGE)
        elif form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("captcha", None)
            org = data.pop("organisation")
            done = run_action(
                request,
                lambda: actions.submit_enquiry(org, **data),
                form=form,
            )
            if done:
                enquiry, _ = done.value
                messages.success(
                    request,
                    f"您的咨询已提交，{enquiry.organisation.name}将于{enquiry.due_on:%Y年%m月%d日}前答复。",
                )
                return _submitted(request, enquiry, "咨询")
    return render(
        request, "portal/participation/enquiry_ask.html", {"nav": "participation", "form": form}
    )


# --- Follow-up of an enquiry or a message (tracking code + contact) ---------------------------

FOLLOW_UP_LIMIT = (30, 3600)  # failed checks per address per hour


def _submitted(request, item, what: str):
    """The submitter's page: the tracking code, shown once, and the way to follow up."""
    tracking.remember(request, visibility.TRACKING_SCOPE, item.tracking_code)
    return render(
        request,
        "portal/participation/submitted.html",
        {"nav": "participation", "item": item, "what": what},
    )


def follow_up(request):
    gov = site_government(request)
    mode = captcha_mode(request)
    if request.method == "POST" and limit_reached(
        request, "participation-follow-up", *FOLLOW_UP_LIMIT
    ):
        form = FollowUpForm(captcha_mode=mode, request=request)
        form.add_error(None, "查询失败次数过多，请一小时后再试。")
        return render(
            request,
            "portal/participation/follow_up.html",
            {"nav": "participation", "form": form},
            status=429,
        )
    form = FollowUpForm(request.POST or None, captcha_mode=mode, request=request)
    if request.method == "POST" and form.is_valid():
        item = visibility.open_follow_up(
            request, gov, form.cleaned_data["tracking_code"], form.cleaned_data["contact"]
        )
        if item is not None:
            return redirect("portal:participation_follow_up_status", code=item.tracking_code)
        rate_limited(request, "participation-follow-up", *FOLLOW_UP_LIMIT)
        typed = {k: form.cleaned_data.get(k, "") for k in ("tracking_code", "contact")}
        form = FollowUpForm(initial=typed, captcha_mode=mode, request=request)
        form.cleaned_data = {}
        form.add_error(None, "查询码与联系方式不匹配，请核对后重试。")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/participation/follow_up.html",
        {"nav": "participation", "form": form},
        status=status,
    )


def follow_up_status(request, code):
    item = visibility.followed_up(request, site_government(request), code)
    if item is None:
        raise Http404("未找到该咨询或留言。")
    return render(
        request,
        "portal/participation/follow_up_status.html",
        {"nav": "participation", "item": item, "is_enquiry": isinstance(item, Enquiry)},
    )


# --- Proposals --------------------------------------------------------------------------------


def proposals(request):
    gov = site_government(request)
    return render(
        request,
        "portal/participation/proposals.html",
        {"nav": "participation", "page": _page(request, visibility.public_proposals(gov))},
    )


def proposal_detail(request, pk):
    gov = site_government(request)
    proposal = get_object_or_404(visibility.public_proposals(gov), pk=pk)
    return render(
        request,
        "portal/participation/proposal_detail.html",
        {"nav": "participation", "p": proposal},
    )


# --- Messages ---------------------------------------------------------------------------------


def messages_list(request):
    gov = site_government(request)
    page = _page(request, visibility.public_messages(gov))
    return render(
        request,
        "portal/participation/messages.html",
        {
            "nav": "participation",
            "page": page,
            "rows": [visibility.message_public_view(m) for m in page],
        },
    )


def message_detail(request, pk):
    gov = site_government(request)
    message = get_object_or_404(visibility.public_messages(gov), pk=pk)
    return render(
        request,
        "portal/participation/message_detail.html",
        {"nav": "participation", "m": visibility.message_public_view(message)},
    )


def message_write(request):
    gov = site_government(request)
    mode = captcha_mode(request)
    form = MessageForm(
        request.POST or None,
        organisations=_public_organisations(gov),
        captcha_mode=mode,
        request=request,
    )
    if request.method == "POST":
        if _already_submitted(request, Message):
            messages.success(request, "您的留言已提交。")
            return redirect("portal:participation_messages")
        if rate_limited(request, "participation-message", RATE_LIMITS["message"], RATE_WINDOW):
            form.add_error(None, RATE_MESSAGE)
        elif form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("captcha", None)
            org = data.pop("organisation")
            done = run_action(
                request,
                lambda: actions.submit_message(gov, org, **data),
                form=form,
            )
            if done:
                message, _ = done.value
                messages.success(
                    request, f"您的留言已提交，将于{message.due_on:%Y年%m月%d日}前答复。"
                )
                return _submitted(request, message, "留言")
    return render(
        request, "portal/participation/message_write.html", {"nav": "participation", "form": form}
    )


# --- Complaints about public institutions ------------------------------------------------------


def complaint_new(request):
    gov = site_government(request)
    mode = captcha_mode(request)
    orgs = Organisation.objects.in_government(gov).active().filter(kind=OrgKind.DEPARTMENT)
    form = PublicComplaintForm(
        request.POST or None, organisations=orgs, captcha_mode=mode, request=request
    )
    if request.method == "POST":
        if _already_submitted(request, Complaint):
            messages.success(request, "您的申诉已提交。")
            return redirect("portal:participation")
        if rate_limited(request, "participation-complaint", RATE_LIMITS["complaint"], RATE_WINDOW):
            form.add_error(None, RATE_MESSAGE)
        elif form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("captcha", None)
            org = data.pop("organisation")
            done = run_action(
                request,
                lambda: actions.submit_complaint(gov, org, **data),
                form=form,
            )
            if done:
                complaint, _ = done.value
                messages.success(
                    request,
                    f"您的申诉已提交（编号 {complaint.pk}），{complaint.organisation.name}将于"
                    f"{complaint.due_on:%Y年%m月%d日}前办结并答复。",
                )
                return redirect("portal:participation")
    return render(
        request, "portal/participation/complaint_new.html", {"nav": "participation", "form": form}
    )
