"""Staff pages for open days, enquiries, messages, proposals, concern responses and
complaints."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.views import form_errors_to_messages, run_action
from gongkai.orgs.access import staff_required
from gongkai.orgs.models import Organisation
from gongkai.participation import access, actions, rules
from gongkai.participation.forms import (
    AnswerForm,
    ComplaintForm,
    ComplaintResultForm,
    ConcernForm,
    InviteForm,
    OpenDayForm,
    ProposalForm,
    ProposalReplyForm,
    ReasonForm,
    ReleaseForm,
    RouteForm,
    SuggestionForm,
)
from gongkai.participation.models import (
    ConcernRelease,
    OpenDaySuggestion,
    SignupStatus,
)


def _new_page(request, form_class, create, title, detail_name):
    form = form_class(
        request.POST or None, organisations=access.manageable_organisations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organisation")
        obj = run_action(
            request, lambda: create(request.user, org, **data), form=form, success="已登记。"
        ).value
        if obj:
            return redirect(f"participation_staff:{detail_name}", obj.pk)
    return render(
        request,
        "participation/form_page.html",
        {"nav": "participation", "form": form, "title": title},
    )


def _with_form(request, form, call, success):
    if form.is_valid():
        run_action(request, lambda: call(form.cleaned_data), success=success)
    else:
        form_errors_to_messages(request, form)


# --- Open days --------------------------------------------------------------------------------


@staff_required
def open_day_list(request):
    days = access.open_days_for(request.user).annotate(
        signed_up=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED))
    )
    return render(
        request, "participation/open_day_list.html", {"nav": "participation", "open_days": days}
    )


@staff_required
def open_day_new(request):
    return _new_page(
        request, OpenDayForm, actions.create_open_day, "新建政府开放日活动", "open_day"
    )


def _government_orgs(gov_id):
    return Organisation.objects.filter(government_id=gov_id, is_active=True).order_by("order", "id")


@staff_required
def open_day_detail(request, pk):
    day = get_object_or_404(access.open_days_for(request.user), pk=pk)
    suggestions = OpenDaySuggestion.objects.filter(open_day=day).select_related("organisation")
    for s in suggestions:
        # A display flag for the template, not a field.
        s.can_answer = rules.can_manage(request.user, s.organisation)  # type: ignore[attr-defined]
    return render(
        request,
        "participation/open_day_detail.html",
        {
            "nav": "participation",
            "day": day,
            "signups": day.signups.order_by("created_at"),
            "suggestions": suggestions,
            "invite_form": InviteForm(),
            "suggestion_form": SuggestionForm(
                organisations=_government_orgs(day.organisation.government_id)
            ),
            "answer_form": AnswerForm(),
            "cancel_form": ReasonForm(),
            "can_publish": rules.can_publish(request.user, day.organisation),
            "can_manage": rules.can_manage(request.user, day.organisation),
        },
    )


@staff_required
@require_POST
def open_day_action(request, pk, what):
    day = get_object_or_404(access.open_days_for(request.user), pk=pk)
    user = request.user
    if what == "publish":
        run_action(request, lambda: actions.publish_open_day(user, day), success="活动已发布。")
    elif what == "cancel":
        _with_form(
            request,
            ReasonForm(request.POST),
            lambda d: actions.cancel_open_day(user, day, d["reason"]),
            "活动已取消。",
        )
    elif what == "invite":
        _with_form(
            request,
            InviteForm(request.POST),
            lambda d: actions.invite(user, day, **d),
            "已添加特邀人员。",
        )
    elif what == "suggestion":
        form = SuggestionForm(
            request.POST, organisations=_government_orgs(day.organisation.government_id)
        )
        _with_form(
            request, form, lambda d: actions.add_suggestion(user, day, **d), "意见建议已登记。"
        )
    return redirect("participation_staff:open_day", day.pk)


@staff_required
@require_POST
def suggestion_answer(request, pk):
    suggestion = get_object_or_404(
        OpenDaySuggestion.objects.filter(open_day__in=access.open_days_for(request.user)), pk=pk
    )
    _with_form(
        request,
        AnswerForm(request.POST),
        lambda d: actions.answer_suggestion(request.user, suggestion, d["answer"]),
        "答复已保存。",
    )
    return redirect("participation_staff:open_day", suggestion.open_day_id)


# --- Enquiries --------------------------------------------------------------------------------


@staff_required
def enquiry_list(request):
    return render(
        request,
        "participation/enquiry_list.html",
        {
            "nav": "participation",
            "enquiries": access.enquiries_for(request.user)[:500],
            "today": timezone.localdate(),
        },
    )


@staff_required
def enquiry_detail(request, pk):
    enquiry = get_object_or_404(access.enquiries_for(request.user), pk=pk)
    return render(
        request,
        "participation/enquiry_detail.html",
        {
            "nav": "participation",
            "enquiry": enquiry,
            "answer_form": AnswerForm(initial={"answer": enquiry.answer}),
            "reject_form": ReasonForm(),
            "can_publish": rules.can_publish(request.user, enquiry.organisation),
            "can_manage": rules.can_manage(request.user, enquiry.organisation),
        },
    )


@staff_required
@require_POST
def enquiry_action(request, pk, what):
    enquiry = get_object_or_404(access.enquiries_for(request.user), pk=pk)
    user = request.user
    if what == "answer":
        _with_form(
            request,
            AnswerForm(request.POST),
            lambda d: actions.answer_enquiry(user, enquiry, **d),
            "答复已保存。",
        )
    elif what == "publish":
        run_action(
            request,
            lambda: actions.set_enquiry_published(user, enquiry, True),
            success="已公开到政策咨询知识库。",
        )
    elif what == "unpublish":
        run_action(
            request,
            lambda: actions.set_enquiry_published(user, enquiry, False),
            success="已取消公开。",
        )
    elif what == "reject":
        _with_form(
            request,
            ReasonForm(request.POST),
            lambda d: actions.reject_enquiry(user, enquiry, d["reason"]),
            "已不予受理。",
        )
    return redirect("participation_staff:enquiry", enquiry.pk)


# --- Messages ---------------------------------------------------------------------------------


@staff_required
def message_list(request):
    messages_qs = access.messages_for(request.user)[:500]
    now = timezone.now()
    rows = [(m, rules.message_veto_at(m.received_at)) for m in messages_qs]
    return render(
        request,
        "participation/message_list.html",
        {"nav": "participation", "rows": rows, "now": now, "today": timezone.localdate()},
    )


@staff_required
def message_detail(request, pk):
    message = get_object_or_404(access.messages_for(request.user), pk=pk)
    return render(
        request,
        "participation/message_detail.html",
        {
            "nav": "participation",
            "m": message,
            "veto_at": rules.message_veto_at(message.received_at),
            "route_form": RouteForm(organisations=_government_orgs(message.government_id)),
            "answer_form": AnswerForm(initial={"answer": message.answer}),
            "invalid_form": ReasonForm(),
            "can_route": rules.can_route_messages(request.user, message.government_id),
            "can_manage": rules.can_manage(request.user, message.organisation)
            or rules.can_route_messages(request.user, message.government_id),
        },
    )


@staff_required
@require_POST
def message_action(request, pk, what):
    message = get_object_or_404(access.messages_for(request.user), pk=pk)
    user = request.user
    if what == "route":
        form = RouteForm(request.POST, organisations=_government_orgs(message.government_id))
        _with_form(
            request,
            form,
            lambda d: actions.route_message(user, message, d["organisation"]),
            "留言已分办。",
        )
    elif what == "answer":
        _with_form(
            request,
            AnswerForm(request.POST),
            lambda d: actions.answer_message(user, message, **d),
            "答复已保存。",
        )
    elif what == "publish":
        run_action(
            request,
            lambda: actions.set_message_published(user, message, True),
            success="留言及答复已公开。",
        )
    elif what == "unpublish":
        run_action(
            request,
            lambda: actions.set_message_published(user, message, False),
            success="已取消公开。",
        )
    elif what == "invalid":
        _with_form(
            request,
            ReasonForm(request.POST),
            lambda d: actions.mark_message_invalid(user, message, d["reason"]),
            "已认定为无效留言。",
        )
    return redirect("participation_staff:message", message.pk)


# --- Proposals --------------------------------------------------------------------------------


@staff_required
def proposal_list(request):
    return render(
        request,
        "participation/proposal_list.html",
        {
            "nav": "participation",
            "proposals": access.proposals_for(request.user),
            "today": timezone.localdate(),
        },
    )


@staff_required
def proposal_new(request):
    return _new_page(request, ProposalForm, actions.register_proposal, "登记建议提案", "proposal")


@staff_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(access.proposals_for(request.user), pk=pk)
    return render(
        request,
        "participation/proposal_detail.html",
        {
            "nav": "participation",
            "p": proposal,
            "reply_form": ProposalReplyForm(
                initial={
                    "replied_on": proposal.replied_on,
                    "result": proposal.result,
                    "reply_summary": proposal.reply_summary,
                }
            ),
            "can_publish": rules.can_publish(request.user, proposal.organisation),
        },
    )


@staff_required
@require_POST
def proposal_action(request, pk, what):
    proposal = get_object_or_404(access.proposals_for(request.user), pk=pk)
    user = request.user
    if what == "reply":
        _with_form(
            request,
            ProposalReplyForm(request.POST),
            lambda d: actions.record_proposal_reply(user, proposal, **d),
            "办复情况已保存。",
        )
    elif what == "publish":
        run_action(
            request, lambda: actions.publish_proposal(user, proposal), success="办理结果已公开。"
        )
    return redirect("participation_staff:proposal", proposal.pk)


# --- Concern responses ------------------------------------------------------------------------


@staff_required
def concern_list(request):
    concerns = access.concerns_for(request.user).prefetch_related(
        Prefetch("releases", queryset=ConcernRelease.objects.order_by("at"))
    )[:300]
    now = timezone.now()
    rows = []
    for c in concerns:
        deadlines = rules.concern_deadlines(c.kind, c.detected_at, c.releases.all())
        rows.append((c, [(d, d.missed(now)) for d in deadlines]))
    return render(
        request, "participation/concern_list.html", {"nav": "participation", "rows": rows}
    )


@staff_required
def concern_new(request):
    return _new_page(request, ConcernForm, actions.register_concern, "登记舆情", "concern")


@staff_required
def concern_detail(request, pk):
    concern = get_object_or_404(access.concerns_for(request.user), pk=pk)
    releases = list(concern.releases.order_by("at"))
    now = timezone.now()
    deadlines = [
        (d, d.missed(now))
        for d in rules.concern_deadlines(concern.kind, concern.detected_at, releases)
    ]
    return render(
        request,
        "participation/concern_detail.html",
        {
            "nav": "participation",
            "concern": concern,
            "releases": releases,
            "deadlines": deadlines,
            "release_form": ReleaseForm(),
        },
    )


@staff_required
@require_POST
def concern_action(request, pk, what):
    concern = get_object_or_404(access.concerns_for(request.user), pk=pk)
    user = request.user
    if what == "release":
        _with_form(
            request,
            ReleaseForm(request.POST),
            lambda d: actions.add_release(user, concern, **d),
            "回应已记录。",
        )
    elif what == "close":
        run_action(request, lambda: actions.close_concern(user, concern), success="已办结。")
    return redirect("participation_staff:concern", concern.pk)


# --- Complaints -------------------------------------------------------------------------------


@staff_required
def complaint_list(request):
    return render(
        request,
        "participation/complaint_list.html",
        {
            "nav": "participation",
            "complaints": access.complaints_for(request.user),
            "today": timezone.localdate(),
        },
    )


@staff_required
def complaint_new(request):
    return _new_page(
        request,
        ComplaintForm,
        actions.register_complaint,
        "登记公共企事业单位信息公开申诉",
        "complaint",
    )


@staff_required
def complaint_detail(request, pk):
    complaint = get_object_or_404(access.complaints_for(request.user), pk=pk)
    return render(
        request,
        "participation/complaint_detail.html",
        {
            "nav": "participation",
            "c": complaint,
            "can_manage": rules.can_manage(request.user, complaint.organisation),
            "result_form": ComplaintResultForm(
                initial={"result": complaint.result, "handled_on": complaint.handled_on}
            ),
        },
    )


@staff_required
@require_POST
def complaint_action(request, pk):
    complaint = get_object_or_404(access.complaints_for(request.user), pk=pk)
    _with_form(
        request,
        ComplaintResultForm(request.POST),
        lambda d: actions.record_complaint_result(request.user, complaint, **d),
        "处理结果已保存。",
    )
    return redirect("participation_staff:complaint", complaint.pk)
