"""Staff pages for consultations and their comments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.views import form_errors_to_messages, run_action
from gongkai.orgs.access import staff_required
from gongkai.participation import access, actions, export, rules
from gongkai.participation.forms import (
    ConsultationForm,
    DispositionForm,
    ExtendForm,
    FeedbackForm,
    ModerationForm,
    ReasonForm,
    StaffCommentForm,
)
from gongkai.participation.models import Comment, Moderation


def _consultation(request, pk):
    return get_object_or_404(access.consultations_for(request.user), pk=pk)


@staff_required
def consultation_list(request):
    consultations = access.consultations_for(request.user).annotate(
        n_comments=Count("comments"),
        n_pending=Count("comments", filter=Q(comments__moderation=Moderation.PENDING)),
    )
    return render(
        request,
        "participation/consultation_list.html",
        {"nav": "participation", "consultations": consultations},
    )


def _form_kwargs(request):
    return {
        "organisations": access.manageable_organisations(request.user),
        "decisions": access.decisions_for(request.user),
    }


@staff_required
def consultation_new(request):
    form = ConsultationForm(request.POST or None, request.FILES or None, **_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organisation")
        consultation = run_action(
            request,
            lambda: actions.create_consultation(request.user, org, **data),
            form=form,
            success="征求意见已创建（草稿）。",
        ).value
        if consultation:
            return redirect("participation_staff:consultation", consultation.pk)
    return render(
        request,
        "participation/form_page.html",
        {"nav": "participation", "form": form, "title": "新建征求意见", "multipart": True},
    )


@staff_required
def consultation_edit(request, pk):
    consultation = _consultation(request, pk)
    form = ConsultationForm(
        request.POST or None, request.FILES or None, instance=consultation, **_form_kwargs(request)
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "organisation"}
        if run_action(
            request,
            lambda: actions.update_consultation(request.user, consultation, **data),
            form=form,
            success="已保存。",
        ):
            return redirect("participation_staff:consultation", consultation.pk)
    return render(
        request,
        "participation/form_page.html",
        {
            "nav": "participation",
            "form": form,
            "title": f"编辑：{consultation.title}",
            "multipart": True,
        },
    )


@staff_required
def consultation_detail(request, pk):
    consultation = _consultation(request, pk)
    comments = list(
        consultation.comments.select_related("handled_by", "entered_by").order_by(
            "submitted_at", "id"
        )
    )
    for comment in comments:
        comment.moderation_form = ModerationForm(prefix=f"m{comment.pk}")
        comment.form = DispositionForm(
            initial={
                "disposition": comment.disposition,
                "reason": comment.reason,
                "topic": comment.topic,
            },
            prefix=f"c{comment.pk}",
        )
    user = request.user
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "nav": "participation",
            "c": consultation,
            "comments": comments,
            "changes": consultation.changes.select_related("actor"),
            "blockers": actions.feedback_blockers(consultation),
            "can_publish": rules.can_publish(user, consultation.organisation),
            "can_manage": rules.can_manage(user, consultation.organisation),
            "extend_form": ExtendForm(),
            "close_form": ReasonForm(prefix="close"),
            "withdraw_form": ReasonForm(prefix="withdraw"),
            "comment_form": StaffCommentForm(),
            "feedback_form": FeedbackForm(),
        },
    )


def _back(consultation):
    return redirect("participation_staff:consultation", consultation.pk)


@staff_required
@require_POST
def consultation_publish(request, pk):
    c = _consultation(request, pk)
    run_action(
        request, lambda: actions.publish_consultation(request.user, c), success="征求意见已发布。"
    )
    return _back(c)


@staff_required
@require_POST
def consultation_extend(request, pk):
    c = _consultation(request, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.extend_consultation(
                request.user, c, form.cleaned_data["new_closes_on"], form.cleaned_data["reason"]
            ),
            success="征求意见期限已延长。",
        )
    else:
        form_errors_to_messages(request, form)
    return _back(c)


@staff_required
@require_POST
def consultation_close(request, pk):
    c = _consultation(request, pk)
    form = ReasonForm(request.POST, prefix="close")
    if form.is_valid():
        run_action(
            request,
            lambda: actions.close_consultation_early(request.user, c, form.cleaned_data["reason"]),
            success="已提前结束征求意见。",
        )
    else:
        form_errors_to_messages(request, form)
    return _back(c)


@staff_required
@require_POST
def consultation_withdraw(request, pk):
    c = _consultation(request, pk)
    form = ReasonForm(request.POST, prefix="withdraw")
    if form.is_valid():
        run_action(
            request,
            lambda: actions.withdraw_consultation(request.user, c, form.cleaned_data["reason"]),
            success="征求意见已撤回。",
        )
    else:
        form_errors_to_messages(request, form)
    return _back(c)


@staff_required
@require_POST
def comment_add(request, pk):
    c = _consultation(request, pk)
    form = StaffCommentForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.enter_comment(request.user, c, **form.cleaned_data),
            success="意见已录入。",
        )
    else:
        form_errors_to_messages(request, form)
    return _back(c)


def _comment(request, pk) -> Comment:
    return get_object_or_404(
        Comment.objects.filter(consultation__in=access.consultations_for(request.user)), pk=pk
    )


@staff_required
@require_POST
def comment_dispose(request, pk):
    comment = _comment(request, pk)
    form = DispositionForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        run_action(
            request,
            lambda: actions.dispose_comment(request.user, comment, **form.cleaned_data),
            success="采纳情况已保存。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(
        f"{redirect('participation_staff:consultation', comment.consultation_id).url}#comment-{comment.pk}"
    )


@staff_required
@require_POST
def comment_moderate(request, pk):
    comment = _comment(request, pk)
    form = ModerationForm(request.POST, prefix=f"m{comment.pk}")
    if form.is_valid():
        run_action(
            request,
            lambda: actions.moderate_comment(
                request.user,
                comment,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            ),
            success="审核结果已保存。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("participation_staff:consultation", comment.consultation_id)


@staff_required
@require_POST
def feedback_publish(request, pk):
    c = _consultation(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.publish_feedback(request.user, c, form.cleaned_data["summary"]),
            success="意见采纳情况反馈已公开。",
        )
    return _back(c)


@staff_required
def consultation_export(request, pk):
    c = _consultation(request, pk)
    if not rules.can_manage(request.user, c.organisation):
        # Read-only roles (evaluators) see the handling, not the commenters' personal data.
        raise PermissionDenied("只有承办单位工作人员可以导出意见（含个人信息）。")
    data = export.comments_xlsx(c)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="consultation-{c.pk}-comments.xlsx"'
    return response
