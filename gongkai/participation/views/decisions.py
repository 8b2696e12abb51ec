"""Staff pages for the decision catalogue and hearings."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.views import form_errors_to_messages, run_action
from gongkai.orgs.access import acting_government, office_governments_for, staff_required
from gongkai.participation import access, actions, rules
from gongkai.participation.forms import (
    AdjustForm,
    CatalogueForm,
    DecisionForm,
    HearingForm,
    MaterialsForm,
    OutcomeForm,
    ParticipantForm,
    PublishCatalogueForm,
    ResultForm,
    StepForm,
)
from gongkai.participation.models import DecisionStep, StepStatus


@staff_required
def catalogue_list(request):
    catalogues = access.catalogues_for(request.user).annotate(n=Count("decisions"))
    can_create = office_governments_for(request.user).exists()
    form = CatalogueForm(request.POST or None)
    if request.method == "POST" and can_create and form.is_valid():
        gov = acting_government(request)
        catalogue = run_action(
            request,
            lambda: actions.create_catalogue(request.user, gov, **form.cleaned_data),
            form=form,
            success="目录已创建。",
        ).value
        if catalogue:
            return redirect("participation_staff:catalogue", catalogue.pk)
    return render(
        request,
        "participation/catalogue_list.html",
        {
            "nav": "participation",
            "catalogues": catalogues,
            "form": form,
            "can_create": can_create,
        },
    )


@staff_required
def catalogue_detail(request, pk):
    catalogue = get_object_or_404(access.catalogues_for(request.user), pk=pk)
    decisions = (
        catalogue.decisions.select_related("organisation")
        .annotate(
            steps_done=Count("steps", filter=Q(steps__status=StepStatus.DONE)),
            steps_required=Count("steps", filter=~Q(steps__status=StepStatus.NOT_APPLICABLE)),
        )
        .order_by("number")
    )
    can_edit = rules.can_manage_catalogue(request.user, catalogue.government_id)
    form = DecisionForm(
        request.POST or None,
        organisations=access.manageable_organisations(request.user).filter(
            government=catalogue.government_id
        ),
    )
    if request.method == "POST" and can_edit and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        if run_action(
            request,
            lambda: actions.add_decision(request.user, catalogue, reason=reason, **data),
            form=form,
            success="决策事项已加入目录。",
        ):
            return redirect("participation_staff:catalogue", catalogue.pk)
    return render(
        request,
        "participation/catalogue_detail.html",
        {
            "nav": "participation",
            "catalogue": catalogue,
            "decisions": decisions,
            "form": form,
            "can_edit": can_edit,
            "publish_form": PublishCatalogueForm(),
        },
    )


@staff_required
@require_POST
def catalogue_publish(request, pk):
    catalogue = get_object_or_404(access.catalogues_for(request.user), pk=pk)
    form = PublishCatalogueForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.publish_catalogue(request.user, catalogue, **form.cleaned_data),
            success="目录已发布。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("participation_staff:catalogue", catalogue.pk)


@staff_required
def decision_detail(request, pk):
    decision = get_object_or_404(access.decisions_for(request.user), pk=pk)
    gov_id = decision.catalogue.government_id
    consultations = access.consultations_for(request.user).filter(
        organisation__government_id=gov_id
    )
    hearings = access.hearings_for(request.user).filter(organisation__government_id=gov_id)
    steps = list(decision.steps.select_related("consultation", "hearing").order_by("order"))
    for step in steps:
        # The step's form for the template, not a field.
        step.form = StepForm(  # type: ignore[attr-defined]
            initial={
                "status": step.status,
                "started_on": step.started_on,
                "completed_on": step.completed_on,
                "consultation": step.consultation_id,
                "hearing": step.hearing_id,
                "evidence_title": step.evidence_title,
                "evidence_url": step.evidence_url,
                "note": step.note,
            },
            consultations=consultations,
            hearings=hearings,
            prefix=f"s{step.pk}",
        )
    adjust_form = AdjustForm(
        initial={
            "title": decision.title,
            "organisation": decision.organisation_id,
            "planned_time": decision.planned_time,
            "planned_by": decision.planned_by,
            "hearing_required": decision.hearing_required,
        },
        organisations=access.manageable_organisations(request.user).filter(government=gov_id),
    )
    return render(
        request,
        "participation/decision_detail.html",
        {
            "nav": "participation",
            "decision": decision,
            "steps": steps,
            "adjustments": decision.adjustments.select_related("actor"),
            "adjust_form": adjust_form,
            "result_form": ResultForm(
                initial={"result_title": decision.result_title, "result_url": decision.result_url}
            ),
            "can_adjust": rules.can_manage_catalogue(request.user, gov_id),
        },
    )


@staff_required
@require_POST
def step_update(request, pk):
    step = get_object_or_404(
        DecisionStep.objects.filter(decision__in=access.decisions_for(request.user)), pk=pk
    )
    gov_id = step.decision.catalogue.government_id
    form = StepForm(
        request.POST,
        consultations=access.consultations_for(request.user).filter(
            organisation__government_id=gov_id
        ),
        hearings=access.hearings_for(request.user).filter(organisation__government_id=gov_id),
        prefix=f"s{step.pk}",
    )
    if form.is_valid():
        run_action(
            request,
            lambda: actions.update_step(request.user, step, **form.cleaned_data),
            success="环节已更新。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(
        f"{redirect('participation_staff:decision', step.decision_id).url}#step-{step.pk}"
    )


@staff_required
@require_POST
def decision_adjust(request, pk):
    decision = get_object_or_404(access.decisions_for(request.user), pk=pk)
    form = AdjustForm(
        request.POST,
        organisations=access.manageable_organisations(request.user).filter(
            government=decision.catalogue.government_id
        ),
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        kind, reason = data.pop("kind"), data.pop("reason")
        run_action(
            request,
            lambda: actions.adjust_decision(
                request.user, decision, kind=kind, reason=reason, **data
            ),
            success="调整已记录。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("participation_staff:decision", decision.pk)


@staff_required
@require_POST
def decision_result(request, pk):
    decision = get_object_or_404(access.decisions_for(request.user), pk=pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.record_decision_result(request.user, decision, **form.cleaned_data),
            success="决策结果已保存。",
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("participation_staff:decision", decision.pk)


# --- Hearings ---------------------------------------------------------------------------------


@staff_required
def hearing_list(request):
    hearings = access.hearings_for(request.user).annotate(n=Count("participants"))
    return render(
        request, "participation/hearing_list.html", {"nav": "participation", "hearings": hearings}
    )


@staff_required
def hearing_new(request):
    form = HearingForm(
        request.POST or None,
        organisations=access.manageable_organisations(request.user),
        decisions=access.decisions_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organisation")
        hearing = run_action(
            request,
            lambda: actions.create_hearing(request.user, org, **data),
            form=form,
            success="已创建。",
        ).value
        if hearing:
            return redirect("participation_staff:hearing", hearing.pk)
    return render(
        request,
        "participation/form_page.html",
        {"nav": "participation", "form": form, "title": "新建听证或列席会议"},
    )


@staff_required
def hearing_detail(request, pk):
    hearing = get_object_or_404(access.hearings_for(request.user), pk=pk)
    return render(
        request,
        "participation/hearing_detail.html",
        {
            "nav": "participation",
            "hearing": hearing,
            "participants": hearing.participants.all(),
            "participant_form": ParticipantForm(),
            "outcome_form": OutcomeForm(initial={"outcome": hearing.outcome}),
            "materials_form": MaterialsForm(),
            "materials_due": rules.hearing_materials_due(hearing.held_at),
            "can_publish": rules.can_publish(request.user, hearing.organisation),
        },
    )


@staff_required
@require_POST
def hearing_action(request, pk, what):
    hearing = get_object_or_404(access.hearings_for(request.user), pk=pk)
    user = request.user
    form: forms.Form
    if what == "publish":
        run_action(request, lambda: actions.publish_hearing(user, hearing), success="公告已发布。")
    elif what == "participant":
        form = ParticipantForm(request.POST)
        if form.is_valid():
            run_action(
                request,
                lambda: actions.add_participant(user, hearing, **form.cleaned_data),
                success="参加人已添加。",
            )
        else:
            form_errors_to_messages(request, form)
    elif what == "outcome":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            run_action(
                request,
                lambda: actions.record_hearing_outcome(user, hearing, form.cleaned_data["outcome"]),
                success="已保存。",
            )
        else:
            form_errors_to_messages(request, form)
    elif what == "materials":
        form = MaterialsForm(request.POST)
        if form.is_valid():
            run_action(
                request,
                lambda: actions.record_materials_sent(user, hearing, form.cleaned_data["sent_on"]),
                success="已保存。",
            )
        else:
            form_errors_to_messages(request, form)
    return redirect("participation_staff:hearing", hearing.pk)
