"""Staff pages of the annual reports (/manage/reports/): the status board, the report editor with
its checks, versions and exports, the statistics dashboards and the self-check. Thin views over
reports.actions; the same 404 for missing and not allowed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import files
from gongkai.core.actions import ActionError
from gongkai.core.views import run_action
from gongkai.foi import rules as foi_rules
from gongkai.orgs import rules as org_rules
from gongkai.orgs.access import organisations_for, staff_required
from gongkai.orgs.models import Organisation, OrgKind
from gongkai.reports import actions, compiler, earlier, exports, layout, rules, selfcheck, stats
from gongkai.reports.checks import Check
from gongkai.reports.counters import Target
from gongkai.reports.models import (
    SCOPE_SUFFIXES,
    SUMMARY_SCOPES,
    AnnualReport,
    EarlierReport,
    ProactiveFigure,
    ReportReminder,
    ReportScope,
    ReportStatus,
)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _report_year(request) -> int:
    """?year= or the year being reported on now (last year)."""
    default = timezone.localdate().year - 1
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if layout.YEAR_MIN <= year <= default + 1 else default


def _scope(request) -> str:
    asked = request.GET.get("scope") or request.POST.get("scope")
    return {"summary": ReportScope.SUMMARY, "region": ReportScope.REGION}.get(
        asked, ReportScope.OWN
    )


def _get_org(user, org_id: int, scope: str = ReportScope.OWN) -> Organisation:
    org = Organisation.objects.filter(pk=org_id).first()
    if org is None or not rules.can_view_report(user, org):
        raise Http404("未找到该机构")
    if scope in SUMMARY_SCOPES and not (org.is_tenant and rules.can_see_board(user, org)):
        raise Http404("未找到该机构")
    return org


def _governments(user):
    """The tenant governments whose board the user may see."""
    govs = Organisation.objects.governments()
    if getattr(user, "is_superuser", False):
        return list(govs)
    return [g for g in govs if rules.can_see_board(user, g)]


# --- Status board -------------------------------------------------------------------------------


@staff_required
def home(request):
    year = _report_year(request)
    today = timezone.localdate()
    governments = _governments(request.user)
    gov = None
    if governments:
        gov = next((g for g in governments if str(g.pk) == request.GET.get("gov")), governments[0])
        orgs = list(
            Organisation.objects.filter(government=gov, is_active=True).order_by("order", "id")
        )
    else:
        orgs = list(organisations_for(request.user).filter(is_active=True).order_by("order", "id"))
    reports = {
        (r.organisation_id, r.scope): r
        for r in AnnualReport.objects.filter(organisation__in=[o.pk for o in orgs], year=year)
    }
    reminded = dict(
        ReportReminder.objects.filter(organisation__in=[o.pk for o in orgs], year=year)
        .order_by("sent_on")
        .values_list("organisation_id", "sent_on")
    )
    rows = []
    if gov is not None:
        rows.append(_board_row(gov, year, ReportScope.SUMMARY, reports, today))
        # 全域汇总 (with the counties) only where there are county governments under it.
        if any(o.kind == OrgKind.COUNTY_GOVERNMENT for o in orgs):
            rows.append(_board_row(gov, year, ReportScope.REGION, reports, today))
    # A tenant government's report is its summary; its own-scope row would repeat it.
    rows += [_board_row(o, year, ReportScope.OWN, reports, today) for o in orgs if not o.is_tenant]
    for row in rows:
        row["reminded_on"] = reminded.get(row["org"].pk)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("none", *ReportStatus.values)}
    return render(
        request,
        "reports/home.html",
        {
            "nav": "reports",
            "year": year,
            "rows": rows,
            "gov": gov,
            "governments": governments,
            "counts": counts,
            "years": list(range(today.year - 1, today.year - 6, -1)),
            "jan31": dt.date(year + 1, 1, 31),
            "mar31": dt.date(year + 1, 3, 31),
        },
    )


def _board_row(org, year, scope, reports, today) -> dict:
    report = reports.get((org.pk, scope))
    due = layout.deadline(org.kind, year, scope)
    status = report.status if report else "none"
    late = status != ReportStatus.PUBLISHED and today > due
    if status == ReportStatus.PUBLISHED and report.published_at:
        late = timezone.localtime(report.published_at).date() > due
    return {
        "org": org,
        **_scope_context(scope),
        "report": report,
        "status": status,
        "due": due,
        "late": late,
        "days_left": (due - today).days,
        "label": {"none": "未起草"}.get(status) or ReportStatus(status).label,
    }


# --- The report editor ------------------------------------------------------------------------


def _checks_of(version) -> list[Check]:
    return [Check(**c) for c in (version.checks or [])] if version else []


@staff_required
def report(request, org_id: int, year: int):
    scope = _scope(request)
    org = _get_org(request.user, org_id, scope)
    if not layout.YEAR_MIN <= year <= timezone.localdate().year:
        raise Http404("年度无效")
    obj = AnnualReport.objects.filter(organisation=org, year=year, scope=scope).first()
    versions = (
        list(
            obj.versions.only("id", "number", "note", "created_at", "created_by_id").select_related(
                "created_by"
            )
        )
        if obj
        else []
    )
    version = versions[0] if versions else None
    if version is not None and obj is not None:
        version = obj.versions.get(pk=version.pk)  # with the JSON fields
        tables, sections = version.tables, version.sections
    else:
        tables = compiler.compile_tables(org, year, scope)
        sections = compiler.draft_sections(org, year, scope, tables)
    figures = {f.key: f for f in ProactiveFigure.objects.filter(organisation=org, year=year)}
    document = exports.Document("", org.name, year, scope, sections, tables)
    can_edit = rules.can_edit_report(request.user, org, scope)
    return render(
        request,
        "reports/report.html",
        {
            "nav": "reports",
            "org": org,
            "year": year,
            **_scope_context(scope),
            "report": obj,
            "version": version,
            "versions": versions,
            "checks": _checks_of(version),
            "section_list": [(key, title, sections.get(key, "")) for key, title in layout.SECTIONS],
            "table2_html": exports.grid_html(exports.table2_grid(tables["table2"])),
            "table3_html": exports.grid_html(exports.table3_grid(tables["table3"])),
            "table4_html": exports.grid_html(exports.table4_grid(tables["table4"])),
            "figure_rows": [
                (key, label, measure, figures.get(key))
                for key, label, _, measure in layout.ENTERED_FIGURES
            ],
            "can_edit": can_edit,
            "can_publish": rules.can_publish_report(request.user, org, scope),
            "deadline": layout.deadline(org.kind, year, scope),
            "earlier": EarlierReport.objects.filter(
                organisation=org, year=year - 1, scope=scope
            ).first(),
            "document": document,
            "soffice": exports.soffice() is not None,
        },
    )


def _scope_context(scope: str) -> dict:
    """What the templates need to keep a page's scope: its value, the query string that carries
    it to the next page, and the suffix of its title."""
    return {
        "scope": scope,
        "scope_query": f"?scope={scope}" if scope in SUMMARY_SCOPES else "",
        "scope_suffix": SCOPE_SUFFIXES.get(scope, ""),
    }


def _editor_url(org, year, scope) -> str:
    url = reverse("reports_staff:report", args=[org.pk, year])
    return url + _scope_context(scope)["scope_query"]


@staff_required
@require_POST
def report_action(request, org_id: int, year: int, name: str):
    scope = _scope(request)
    org = _get_org(request.user, org_id, scope)
    user = request.user
    obj = AnnualReport.objects.filter(organisation=org, year=year, scope=scope).first()

    def act():
        if name == "draft":
            actions.draft(user, org, year, scope)
            messages.success(request, "已根据平台数据起草报告，请修改正文后校验。")
        elif name == "figure":
            actions.set_figure(
                user,
                org,
                year,
                request.POST.get("key", ""),
                request.POST.get("value", ""),
                request.POST.get("source", ""),
            )
            messages.success(request, "已保存表二数据；请保存报告以更新表格。")
        elif obj is None:
            raise ActionError("请先起草报告。")
        elif name == "save":
            sections = {key: request.POST.get(key, "") for key in layout.SECTION_KEYS}
            version = actions.save_version(user, obj, sections, request.POST.get("note", ""))
            messages.success(
                request, f"已保存为第 {version.number} 版（表格已按最新数据重新统计）。"
            )
        elif name == "check":
            found = actions.check(user, obj)
            errors = [c for c in found if c.blocking]
            if errors:
                messages.error(request, f"校验发现 {len(errors)} 项错误，请改正后再发布。")
            else:
                messages.success(
                    request, "校验通过" + (f"（{len(found)} 项提示）" if found else "") + "。"
                )
        elif name == "acknowledge":
            actions.acknowledge(
                user, obj, request.POST.get("code", ""), request.POST.get("explanation", "")
            )
            messages.success(request, "已记录说明，请重新校验。")
        elif name == "publish":
            actions.publish(user, obj)
            messages.success(request, "年度报告已发布，并已在“政府信息公开年报”栏目公开。")
        else:
            raise Http404("未知操作")

    run_action(request, act)
    return redirect(_editor_url(org, year, scope))


@staff_required
def version_detail(request, org_id: int, year: int, number: int):
    scope = _scope(request)
    org = _get_org(request.user, org_id, scope)
    obj = get_object_or_404(AnnualReport, organisation=org, year=year, scope=scope)
    version = get_object_or_404(obj.versions, number=number)
    document = exports.document_for(org, year, scope, version=version)
    return render(
        request,
        "reports/version.html",
        {
            "nav": "reports",
            "org": org,
            "year": year,
            **_scope_context(scope),
            "report": obj,
            "version": version,
            "body": exports.to_html(document),
            "checks": _checks_of(version),
        },
    )


@staff_required
def export(request, org_id: int, year: int, fmt: str):
    scope = _scope(request)
    org = _get_org(request.user, org_id, scope)
    if fmt not in CONTENT_TYPES:
        raise Http404("不支持的格式")
    document = exports.document_for(org, year, scope)
    from gongkai.core.stored_documents import read

    from .documents import stored_export

    limit = (lambda: files.limit_renders(request)) if fmt == "pdf" else None
    try:
        data = read(stored_export(org, year, scope, fmt, document, before_render=limit))
    except (exports.ExportError, files.FileRefused) as exc:
        messages.error(request, str(exc))
        return redirect(_editor_url(org, year, scope))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{document.title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@staff_required
@require_POST
def import_earlier(request, org_id: int):
    scope = _scope(request)
    org = _get_org(request.user, org_id, scope)
    upload = request.FILES.get("file")
    try:
        year = int(request.POST.get("year") or 0)
    except ValueError:
        year = 0
    back = _editor_url(org, year + 1 if year else _report_year(request), scope)
    if upload is None or not year:
        messages.error(request, "请选择文件并填写该报告的年度。")
        return redirect(back)
    try:
        parsed = earlier.parse(upload.read(), upload.name, year)
    except earlier.ParseError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    done = run_action(
        request,
        lambda: actions.import_earlier(
            request.user, org, year, parsed, scope=scope, source=upload.name
        ),
    )
    if done:
        messages.success(request, f"已导入 {year} 年度报告的表格（{parsed.layout} 年格式）。")
        for warning in actions.identity_warnings(parsed.table3):
            messages.warning(request, warning)
    return redirect(back)


# --- Statistics and self-check ---------------------------------------------------------------------


def _stats_target(request):
    """(target, organisation, government): ?org=<id> for one organisation; the board's
    government summary by default for the office, else the user's first organisation."""
    org_id = request.GET.get("org")
    governments = _governments(request.user)
    if org_id and org_id.isdigit():
        org = _get_org(request.user, int(org_id))
        return Target.of(org), org, None
    if governments:
        gov = next((g for g in governments if str(g.pk) == request.GET.get("gov")), governments[0])
        return Target.summary(gov), gov, gov
    first = organisations_for(request.user).order_by("order", "id").first()
    if first is None:
        raise PermissionDenied("您没有可查看的机构。")
    return Target.of(first), first, None


@staff_required
def dashboard(request):
    year = _report_year(request)
    target, org, gov = _stats_target(request)
    chart_list = stats.charts(target, year, gov)
    viewable = [o for o in organisations_for(request.user).order_by("order", "id")]
    return render(
        request,
        "reports/dashboard.html",
        {
            "nav": "reports",
            "year": year,
            "org": org,
            "gov": gov,
            "charts": chart_list,
            "chart_data": [c.as_dict() for c in chart_list],
            "organisations": viewable,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        },
    )


@staff_required
def chart_csv(request, key: str):
    year = _report_year(request)
    target, org, gov = _stats_target(request)
    chart = next((c for c in stats.charts(target, year, gov) if c.key == key), None)
    if chart is None:
        raise Http404("未找到该图表")
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(f'{org.name}-{chart.title}.csv')}"
    )
    return response


@staff_required
def self_check(request, org_id: int):
    org = _get_org(request.user, org_id)
    items = selfcheck.self_check(org)
    return render(
        request,
        "reports/selfcheck.html",
        {
            "nav": "reports",
            "org": org,
            "items": items,
            "vetoes": sum(1 for i in items for f in i.findings if f.severity == "veto"),
            "problems": sum(1 for i in items for f in i.findings if f.severity == "problem"),
            "is_office": org_rules.is_office_admin(request.user, org.government_id),
        },
    )


# --- Reviews and lawsuits not tied to one request (table 四) ------------------------------------


@staff_required
def cases(request):
    """行政复议 and 行政诉讼 about inaction on an application never registered here, or about
    disclosure work in general (条例第51条): recorded so that table 四 counts them."""
    from gongkai.foi import actions as foi_actions
    from gongkai.foi.models import ReviewCase

    from .forms import CaseDecisionForm, CaseForm

    mine = organisations_for(request.user).filter(is_active=True)
    registrable = Organisation.objects.filter(
        pk__in=[o.pk for o in mine if foi_rules.can_register(request.user, o)]
    ).order_by("order", "id")
    form = CaseForm(request.POST or None, organisations=registrable, prefix="case")
    if request.method == "POST" and "case-kind" in request.POST:
        if form.is_valid():
            d = form.cleaned_data
            done = run_action(
                request,
                lambda: foi_actions.add_case(
                    request.user,
                    d["organisation"],
                    kind=d["kind"],
                    filed_on=d["filed_on"],
                    subject=d["subject"],
                    inaction=d["inaction"],
                    case_no=d["case_no"],
                    body=d["body"],
                ),
                form=form,
                success="已登记该案件，年度报告表四将计入。",
            )
            if done:
                return redirect("reports_staff:cases")
    elif request.method == "POST":
        case = get_object_or_404(
            ReviewCase, pk=request.POST.get("case"), request=None, organisation__in=mine
        )
        decision = CaseDecisionForm(request.POST)
        if decision.is_valid():
            d = decision.cleaned_data
            run_action(
                request,
                lambda: foi_actions.decide_review_case(
                    request.user,
                    case,
                    result=d["result"],
                    decided_on=d["decided_on"],
                    note=d["note"],
                ),
                success="已登记审结情况。",
            )
        else:
            messages.error(request, "请选择结果并填写正确的审结日期。")
        return redirect("reports_staff:cases")
    rows = (
        ReviewCase.objects.filter(request=None, organisation__in=mine)
        .select_related("organisation")
        .order_by("-filed_on", "-id")[:200]
    )
    return render(
        request,
        "reports/cases.html",
        {
            "nav": "reports",
            "form": form,
            "rows": rows,
            "decision": CaseDecisionForm(),
        },
        status=400 if form.errors else 200,
    )
