"""Staff pages at /manage/plans/: plan list, import with preview, the ledger (工作台账) with
progress reports, supervision (dashboard, circulars), implementation plans, scoring, alignment
and look-back.

Views are thin: they read through plans.access and change state only through plans.actions.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.actions import ActionError
from gongkai.core.views import run_action
from gongkai.orgs import rules as org_rules
from gongkai.orgs.access import organisations_for, staff_required
from gongkai.orgs.models import Organisation

from . import actions, circulars, forms, importing, ledger, rules, scoring
from .access import (
    assignments_for,
    get_assignment_for,
    get_plan_for,
    get_report_for,
    plans_for,
    sees_whole_plan,
)
from .models import (
    Alignment,
    AlignmentState,
    Assignment,
    Circular,
    Indicator,
    LookBackItem,
    PlanImport,
    ProgressReport,
    ReportState,
    Task,
    TaskReminder,
    WorkPlan,
)
from .status import TaskStatus

LEDGER_PAGE_SIZE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _today():
    return timezone.localdate()


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _render(request, template, plan=None, **context):
    context.setdefault("nav", "plans")
    if plan is not None:
        context["plan"] = plan
        context["is_office"] = rules.is_office(request.user, plan)
    return render(request, template, context)


def _supervised_plan(request, pk) -> WorkPlan:
    plan = get_plan_for(request.user, pk)
    if not rules.can_supervise(request.user, plan):
        raise Http404("未找到该工作计划。")
    return plan


# --- list and import ---------------------------------------------------------------------------


@staff_required
def plan_list(request):
    plans = plans_for(request.user).for_list().order_by("-year", "-issued_on", "-id")
    government = getattr(request, "government", None)
    reminders = TaskReminder.objects.filter(
        assignment__organisation_id__in=org_rules.member_organisation_ids(request.user),
        seen=False,
    ).select_related("assignment__task__plan", "assignment__organisation")[:20]
    return _render(
        request,
        "plans/list.html",
        plans=plans,
        can_import=government is not None
        and org_rules.is_office_admin(request.user, government.pk),
        reminders=reminders,
    )


def _import_targets(request, parent: WorkPlan | None):
    government = getattr(request, "government", None)
    if government is None:
        raise Http404("未配置政府站点。")
    if parent is None:
        if not org_rules.is_office_admin(request.user, government.pk):
            raise PermissionDenied("只有公开办可以导入本级工作计划。")
        return government, Organisation.objects.filter(pk=government.pk)
    government = parent.government
    orgs = organisations_for(request.user).filter(government=government).exclude(pk=government.pk)
    orgs = orgs.filter(pk__in=actions.addressed_organisations(parent).values("pk"))
    if not orgs.exists():
        raise PermissionDenied("您所在的单位不在该计划的责任单位中。")
    return government, orgs


@staff_required
def import_upload(request):
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = get_plan_for(request.user, request.GET.get("parent") or request.POST.get("parent"))
    government, orgs = _import_targets(request, parent)
    form = forms.UploadForm(request.POST or None, request.FILES or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            done = run_action(
                request,
                lambda: actions.start_import(
                    request.user,
                    path,
                    government=government,
                    organisation=form.cleaned_data["organisation"],
                    parent=parent,
                    name=upload.name,
                    year=form.cleaned_data.get("year"),
                ),
                form=form,
            )
            if done:
                return redirect("plans_staff:import_preview", pk=done.value.pk)
    return _render(request, "plans/import_upload.html", form=form, parent=parent)


def _get_import(request, pk) -> PlanImport:
    imp = get_object_or_404(
        PlanImport.objects.select_related("government", "organisation", "parent"), pk=pk
    )
    if not rules.can_import(request.user, imp.government, imp.organisation, imp.parent):
        raise Http404("未找到该导入。")
    return imp


def _posted_fixes(request, imp: PlanImport):
    rows = {}
    for row in imp.parsed["rows"]:
        n = row["n"]
        fix = {}
        for key in ("requirement", "lead_text", "responsible_text", "due_text"):
            name = f"row-{n}-{key}"
            if name in request.POST:
                fix[key] = request.POST[name]
        if f"row-{n}-present" in request.POST:
            fix["commitment"] = f"row-{n}-commitment" in request.POST
        rows[n] = fix
    narrowing = {}
    for key in request.POST:
        if key.startswith("coll-") and key.endswith("-text"):
            idx = key[len("coll-") : -len("-text")]
            narrowing[request.POST[key]] = [
                int(v) for v in request.POST.getlist(f"coll-{idx}") if v.isdigit()
            ]
    meta = {k: request.POST.get(k, "").strip() for k in ("title", "doc_no", "issued_on")}
    scope_confirmed = request.POST.get("scope_confirmed", "")
    meta["scope_confirmed"] = scope_confirmed if scope_confirmed in ("same", "other") else ""
    meta["duplicate_ok"] = request.POST.get("duplicate_ok") == "1"
    year = request.POST.get("year", "").strip()
    if year:
        if not year.isdigit():
            raise ActionError("年度应为四位数字。", field="year")
        meta["year"] = int(year)
    if meta.get("issued_on"):
        try:
            date.fromisoformat(meta["issued_on"])
        except ValueError as exc:
            raise ActionError("印发日期应为 年-月-日。", field="issued_on") from exc
    return rows, narrowing, meta


@staff_required
def import_preview(request, pk):
    imp = _get_import(request, pk)
    if imp.plan_id and request.method == "GET":
        messages.info(request, "该文件已导入。")
        return redirect("plans_staff:ledger", pk=imp.plan_id)
    errors = []
    if request.method == "POST":

        def act():
            rows, narrowing, meta = _posted_fixes(request, imp)
            actions.update_import(request.user, imp, rows=rows, narrowing=narrowing, meta=meta)
            if request.POST.get("do") == "confirm":
                outcome = actions.confirm_import(request.user, imp)
                if outcome.created:
                    messages.success(request, f"已导入《{outcome.plan.title}》。")
                else:
                    messages.info(request, "该文件此前已导入，未作任何改动。")
                return redirect("plans_staff:ledger", pk=outcome.plan.pk)
            messages.success(request, "已保存修改，请检查后确认导入。")
            return redirect("plans_staff:import_preview", pk=imp.pk)

        try:
            return act()
        except ActionError as exc:
            if exc.forbidden:
                raise PermissionDenied(exc.message) from exc
            errors = exc.messages
    preview = importing.build_preview(imp.parsed, imp.government, imp.narrowing)
    narrowing = {k: set(v) for k, v in (imp.narrowing or {}).items()}
    collectives = [
        {
            "idx": i,
            "text": c.text,
            "rows": c.rows,
            "members": [(m, m.pk in narrowing.get(c.text, ())) for m in c.members],
        }
        for i, c in enumerate(preview.collectives.values())
    ]
    parsed = imp.parsed
    return _render(
        request,
        "plans/import_preview.html",
        imp=imp,
        preview=preview,
        collectives=collectives,
        errors=errors,
        title=parsed.get("title") or "",
        year=parsed.get("year") or "",
        doc_no=parsed.get("doc_no") or "",
        issued_on=parsed.get("issued_on")
        or actions.default_issued_on(int(parsed["year"])).isoformat(),
        is_points=parsed.get("kind") == "key_points",
        issued_found=bool(parsed.get("issued_on")),
        scope_confirmed=parsed.get("scope_confirmed") or "",
        duplicate_ok=bool(parsed.get("duplicate_ok")),
        commitment_mark=importing.COMMITMENT_MARK,
    )


# --- the ledger --------------------------------------------------------------------------------


def _ledger_context(request, plan: WorkPlan):
    today = _today()
    rows = ledger.ledger_rows(plan, assignments_for(request.user, plan), today)
    org = request.GET.get("org", "")
    section = request.GET.get("section", "")
    status = request.GET.get("status", "")
    filtered = ledger.filter_rows(
        rows,
        organisation=int(org) if org.isdigit() else None,
        section=section or None,
        status=status if status in TaskStatus.values else None,
    )
    orgs = sorted(
        {r.assignment.organisation_id: r.assignment.organisation for r in rows}.values(),
        key=lambda o: (o.order, o.pk),
    )
    sections = list(dict.fromkeys(r.task.section for r in rows if r.task.section))
    return today, rows, filtered, orgs, sections, org, section, status


@staff_required
def plan_ledger(request, pk):
    plan = get_plan_for(request.user, pk)
    today, rows, filtered, orgs, sections, org, section, status = _ledger_context(request, plan)
    page = Paginator(filtered, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return _render(
        request,
        "plans/ledger.html",
        plan,
        rows=page.object_list,
        page=page,
        all_count=len(rows),
        totals=ledger.totals(filtered),
        orgs=orgs,
        sections=sections,
        statuses=TaskStatus.choices,
        f_org=org,
        f_section=section,
        f_status=status,
        today=today,
        query=params.urlencode(),
        children=plan.children.select_related("organisation"),
    )


@staff_required
def ledger_export(request, pk):
    plan = get_plan_for(request.user, pk)
    _, _, filtered, *_ = _ledger_context(request, plan)
    return _attachment(ledger.export_xlsx(plan, filtered), f"{plan.title}工作台账.xlsx", XLSX)


@staff_required
def assignment_detail(request, pk):
    assignment = get_assignment_for(request.user, pk)
    plan = assignment.task.plan
    can_report = rules.can_report(request.user, assignment)
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied("您不是该任务的责任单位工作人员。")
        if form.is_valid():
            done = run_action(
                request,
                lambda: actions.submit_report(
                    request.user,
                    assignment,
                    text=form.cleaned_data["text"],
                    percent=form.cleaned_data["percent"],
                    reported_on=form.cleaned_data["reported_on"],
                    links=form.cleaned_data["links"],
                    attachment=form.cleaned_data.get("attachment"),
                ),
                form=form,
                success="已报送落实情况，等待牵头部门确认。",
            )
            if done:
                return redirect("plans_staff:assignment", pk=assignment.pk)
    reports = list(
        ProgressReport.objects.filter(assignment=assignment).select_related(
            "created_by", "reviewed_by"
        )
    )
    for report in reports:
        report.assignment = assignment
        can_review = report.state == ReportState.SUBMITTED and rules.can_accept(
            request.user, report
        )
        # A display flag for the template, not a field.
        report.can_review = can_review  # type: ignore[attr-defined]
    from .status import expected_progress, start_of, status_of

    today = _today()
    return _render(
        request,
        "plans/assignment.html",
        plan,
        assignment=assignment,
        task=assignment.task,
        leads=assignment.task.lead_orgs.all(),
        reports=reports,
        form=form,
        can_report=can_report,
        status=status_of(assignment, plan, today),
        expected=expected_progress(start_of(assignment, plan), assignment.due_on, today),
    )


@staff_required
@require_POST
def report_review(request, pk):
    report = get_report_for(request.user, pk)
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")

    def act():
        if decision == "accept":
            actions.accept_report(request.user, report, note)
            messages.success(request, "已确认该落实情况。")
        elif decision == "return":
            actions.return_report(request.user, report, note)
            messages.success(request, "已退回该落实情况。")
        else:
            messages.error(request, "未知的操作。")
        return None

    done = run_action(request, act)
    if done.value is not None:
        return done.value
    return redirect("plans_staff:assignment", pk=report.assignment_id)


@staff_required
def file_download(request, pk):
    report = get_report_for(request.user, pk)
    if not report.attachment:
        raise Http404("没有附件。")
    from django.http import FileResponse

    return FileResponse(
        report.attachment.open("rb"),
        as_attachment=True,
        filename=Path(report.attachment.name or "").name,
    )


# --- supervision -------------------------------------------------------------------------------


@staff_required
def dashboard(request, pk):
    plan = _supervised_plan(request, pk)
    today = _today()
    rows = ledger.ledger_rows(plan, Assignment.objects.filter(task__plan=plan), today)
    task_status = ledger.task_statuses(rows)
    by_task: dict[int, Task] = {}
    for r in rows:
        by_task.setdefault(r.task.pk, r.task)
    return _render(
        request,
        "plans/dashboard.html",
        plan,
        totals=ledger.totals(rows),
        by_org=ledger.by_organisation(rows),
        by_section=ledger.by_section(rows),
        behind=[r for r in rows if r.status == TaskStatus.BEHIND],
        overdue=[r for r in rows if r.status == TaskStatus.OVERDUE],
        task_counts={s.label: sum(1 for v in task_status.values() if v == s) for s in TaskStatus},
        today=today,
    )


@staff_required
def circular_list(request, pk):
    plan = _supervised_plan(request, pk)
    today = _today()
    last = plan.circulars.order_by("-number").first()
    initial = {"period_start": last.period_end if last else plan.issued_on, "period_end": today}
    form = forms.CircularForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_action(
            request,
            lambda: actions.generate_circular(
                request.user,
                plan,
                form.cleaned_data["period_start"],
                form.cleaned_data["period_end"],
            ),
            form=form,
        )
        if done:
            messages.success(request, f"已生成督查通报第{done.value.number}期。")
            return redirect("plans_staff:circulars", pk=plan.pk)
    return _render(
        request,
        "plans/circulars.html",
        plan,
        form=form,
        circulars=plan.circulars.select_related("created_by"),
    )


@staff_required
def circular_download(request, pk):
    circular = get_object_or_404(Circular.objects.select_related("plan"), pk=pk)
    if not rules.can_supervise(request.user, circular.plan):
        raise Http404("未找到该通报。")
    from gongkai.core.stored_documents import read

    from .documents import stored_circular

    return _attachment(read(stored_circular(circular)), circulars.filename(circular), DOCX)


@staff_required
@require_POST
def circular_publish(request, pk):
    circular = get_object_or_404(Circular.objects.select_related("plan"), pk=pk)
    if not rules.can_supervise(request.user, circular.plan):
        raise Http404("未找到该通报。")
    record_id = actions.publish_circular(request.user, circular)
    messages.success(
        request, f"督查通报第{circular.number}期已转为信息发布草稿，请在信息发布中审核发布。"
    )
    return redirect("catalog_staff:record", pk=record_id)


@staff_required
@require_POST
def publication(request, pk):
    plan = _supervised_plan(request, pk)
    if "plan_public" in request.POST:
        actions.set_plan_public(request.user, plan, request.POST["plan_public"] == "1")
        messages.success(request, "已更新门户公开设置。")
    task_id = request.POST.get("task")
    if task_id:
        task = get_object_or_404(Task, pk=task_id, plan=plan)
        actions.set_commitment(request.user, task, request.POST.get("commitment") == "1")
        messages.success(request, f"已更新第{task.n}项的公开承诺设置。")
    return redirect(request.POST.get("next") or reverse("plans_staff:commitments", args=[plan.pk]))


@staff_required
def commitments(request, pk):
    plan = _supervised_plan(request, pk)
    tasks = plan.tasks.order_by("n")
    return _render(request, "plans/commitments.html", plan, tasks=tasks)


# --- implementation plans ----------------------------------------------------------------------


@staff_required
def implementation(request, pk):
    plan = get_plan_for(request.user, pk)
    addressed = list(actions.addressed_organisations(plan))
    children = {c.organisation_id: c for c in plan.children.select_related("organisation")}
    if not sees_whole_plan(request.user, plan):
        mine = set(org_rules.member_organisation_ids(request.user))
        addressed = [o for o in addressed if o.pk in mine]
    rows = [(org, children.get(org.pk)) for org in addressed]
    can_file = {org.pk for org in addressed if org_rules.can_manage_org(request.user, org)}
    return _render(
        request,
        "plans/implementation.html",
        plan,
        rows=rows,
        missing=sum(1 for _, c in rows if c is None),
        can_file=can_file,
    )


# --- scoring -----------------------------------------------------------------------------------


@staff_required
def scoring_page(request, pk):
    plan = _supervised_plan(request, pk)
    period = request.GET.get("period") or request.POST.get("period") or str(plan.year)
    form = forms.IndicatorForm(request.POST if request.POST.get("do") == "indicator" else None)
    if not run_action(request, lambda: scoring.period_bounds(period)):
        period = str(plan.year)
    if request.method == "POST":
        do = request.POST.get("do")

        def act():
            if do == "indicator" and form.is_valid():
                d = form.cleaned_data
                actions.add_indicator(
                    request.user,
                    plan,
                    name=d["name"],
                    weight=d["weight"],
                    method=d["method"],
                    deduction=d.get("deduction") or Decimal(0),
                    cap=d.get("cap"),
                )
                messages.success(request, "已添加指标。")
                return redirect(f"{reverse('plans_staff:scoring', args=[plan.pk])}?period={period}")
            if do == "compute":
                n = actions.compute_scores(request.user, plan, period)
                messages.success(request, f"已计算 {n} 项自动得分。")
                return redirect(f"{reverse('plans_staff:scoring', args=[plan.pk])}?period={period}")
            if do == "manual":
                indicator = get_object_or_404(
                    Indicator, pk=request.POST.get("indicator"), plan=plan
                )
                org = get_object_or_404(
                    Organisation, pk=request.POST.get("organisation"), government=plan.government
                )
                actions.set_score(
                    request.user,
                    indicator,
                    org,
                    period,
                    request.POST.get("score", ""),
                    request.POST.get("note", ""),
                )
                messages.success(request, "已保存得分。")
                return redirect(f"{reverse('plans_staff:scoring', args=[plan.pk])}?period={period}")
            return None

        done = run_action(request, act)
        if done.value is not None:
            return done.value
    if request.GET.get("export"):
        return _attachment(
            scoring.export_xlsx(plan, period),
            f"{plan.title}{scoring.period_label(period)}考核得分.xlsx",
            XLSX,
        )
    indicators, ranking = scoring.ranking(plan, period)
    for row in ranking:
        row.cells = [row.scores.get(i.pk) for i in indicators]
    return _render(
        request,
        "plans/scoring.html",
        plan,
        form=form,
        period=period,
        period_label=scoring.period_label(period),
        periods=[str(plan.year), f"{plan.year}-H1", f"{plan.year}-H2"],
        indicators=indicators,
        ranking=ranking,
        organisations=actions.addressed_organisations(plan),
    )


# --- alignment ---------------------------------------------------------------------------------


@staff_required
def alignment_page(request, pk):
    plan = _supervised_plan(request, pk)
    candidates = plans_for(request.user).filter(government=plan.government).exclude(pk=plan.pk)
    if plan.government_id != getattr(request.government, "pk", plan.government_id):
        candidates = candidates.none()
    other_id = (
        request.GET.get("other")
        or request.POST.get("other")
        or (plan.parent_id and str(plan.parent_id))
    )
    other = get_plan_for(request.user, other_id) if other_id else None
    if other is not None and other.government_id != plan.government_id:
        raise Http404("未找到该工作计划。")
    if request.method == "POST" and other is not None:
        do = request.POST.get("do")

        def act():
            if do == "run":
                n = actions.run_alignment(request.user, plan, other)
                messages.success(request, f"已生成 {n} 条对照建议。")
            elif do in ("confirm", "reject"):
                alignment = get_object_or_404(
                    Alignment.objects.select_related("item__plan"),
                    pk=request.POST.get("alignment"),
                    item__plan=plan,
                )
                state = AlignmentState.CONFIRMED if do == "confirm" else AlignmentState.REJECTED
                actions.decide_alignment(request.user, alignment, state)
            elif do == "add":
                item = get_object_or_404(Task, plan=plan, n=request.POST.get("item"))
                target = get_object_or_404(Task, plan=other, n=request.POST.get("target"))
                actions.add_alignment(request.user, item, target)
            return None

        done = run_action(request, act)
        if done.value is not None:
            return done.value
        return redirect(f"{reverse('plans_staff:alignment', args=[plan.pk])}?other={other.pk}")
    items, uncovered = [], []
    if other is not None:
        links = Alignment.objects.filter(item__plan=plan, target__plan=other).select_related(
            "target"
        )
        by_item: dict[int, list] = {}
        for a in links:
            by_item.setdefault(a.item_id, []).append(a)
        matched = {a.target_id for a in links if a.state != AlignmentState.REJECTED}
        for task in plan.tasks.order_by("n"):
            found = by_item.get(task.pk, [])
            live = [a for a in found if a.state != AlignmentState.REJECTED]
            coverage = "none"
            if live:
                coverage = "covered" if any(a.coverage == "covered" for a in live) else "partly"
            items.append((task, found, coverage))
        uncovered = [t for t in other.tasks.order_by("n") if t.pk not in matched]
    return _render(
        request,
        "plans/alignment.html",
        plan,
        other=other,
        candidates=candidates,
        items=items,
        uncovered=uncovered,
    )


# --- look-back ---------------------------------------------------------------------------------


@staff_required
def look_back(request, pk):
    plan = get_plan_for(request.user, pk)
    office = rules.can_supervise(request.user, plan)
    if request.method == "POST":

        def act():
            if request.POST.get("do") == "open" and office:
                previous = get_object_or_404(
                    WorkPlan, pk=request.POST.get("previous"), government=plan.government
                )
                n = actions.open_look_back(request.user, plan, previous)
                messages.success(request, f"已列入 {n} 项上年度未完成任务。")
            elif request.POST.get("do") == "note":
                item = get_object_or_404(
                    LookBackItem.objects.select_related("assignment__organisation"),
                    pk=request.POST.get("item"),
                    plan=plan,
                )
                actions.note_look_back(request.user, item, request.POST.get("note", ""))
                messages.success(request, "已保存核查说明。")
            return None

        done = run_action(request, act)
        if done.value is not None:
            return done.value
        return redirect("plans_staff:look_back", pk=plan.pk)
    items = LookBackItem.objects.filter(plan=plan).select_related(
        "assignment__task__plan", "assignment__organisation", "noted_by"
    )
    if not sees_whole_plan(request.user, plan):
        items = items.filter(
            assignment__organisation_id__in=org_rules.member_organisation_ids(request.user)
        )
    previous = WorkPlan.objects.filter(government=plan.government, year__lt=plan.year).order_by(
        "-year"
    )
    return _render(
        request,
        "plans/look_back.html",
        plan,
        items=items,
        previous=previous if office else [],
        pending=sum(1 for i in items if not i.note),
    )


@staff_required
@require_POST
def reminder_seen(request, pk):
    reminder = get_object_or_404(
        TaskReminder,
        pk=pk,
        assignment__organisation_id__in=org_rules.member_organisation_ids(request.user),
    )
    actions.mark_reminder_seen(request.user, reminder)
    return redirect("plans_staff:list")
