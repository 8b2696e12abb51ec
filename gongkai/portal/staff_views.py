"""The staff area's shell: the home dashboard, organisations and people, the audit log.

Each app adds its own staff pages under /manage/<app>/; this module only holds what belongs
to no single app.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.core.files import FileRefused, check_content, decode_text
from gongkai.core.models import AuditEvent
from gongkai.orgs import rules
from gongkai.orgs.access import acting_government, staff_required
from gongkai.orgs.models import Membership, Organisation


@staff_required
def home(request):
    """The daily desk (gongkai.portal.desk): due today and this week, by unit, with trends."""
    from gongkai.core import calendar
    from gongkai.portal import desk

    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__order", "organisation_id", "role")
    )
    office_govs = Organisation.objects.filter(pk__in=rules.office_governments(request.user))
    warning = calendar.calendar_warning() if office_govs else ""
    today = timezone.localdate()
    return render(
        request,
        "staff/home.html",
        {
            "nav": "home",
            "today": today,
            "memberships": memberships,
            "office_govs": office_govs,
            "calendar_warnings": [warning] if warning else [],
            "desk": desk.desk(request.user, today),
            "charts": desk.trends(request.user, today),
        },
    )


def organisations(request):
    """The office's organisations (the list page of gongkai.orgs.views)."""
    from gongkai.orgs.views import org_list

    return org_list(request)


@staff_required
def audit_log(request):
    gov = acting_government(request)
    org_ids = Organisation.objects.in_government(gov).values("pk")
    events = AuditEvent.objects.filter(organisation_id__in=org_ids).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "staff/audit.html", {"nav": "audit", "page": page, "government": gov})


class WorkdayForm(forms.Form):
    start = forms.DateField(label="起算日", widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(label="工作日数", min_value=-400, max_value=400, initial=20)


class NoticeUploadForm(forms.Form):
    file = forms.FileField(label="节假日安排文件（.yaml 或 .csv）")


@staff_required
def calendar_page(request):
    """Working days: which years are loaded, a deadline calculator with its explanation, and
    (for the openness office) loading a new year's State Council notice."""
    from gongkai.core import calendar
    from gongkai.core.calendar_notice import NoticeError, parse_notice

    can_load = bool(rules.office_governments(request.user)) or request.user.is_superuser
    upload_form = NoticeUploadForm()
    if request.method == "POST":
        if not can_load:
            raise PermissionDenied("只有政务公开办公室管理员可以载入节假日安排。")
        upload_form = NoticeUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            fmt = {"yaml": "yaml", "yml": "yaml", "csv": "csv"}.get(
                upload.name.rsplit(".", 1)[-1].lower()
            )
            try:
                if fmt is None:
                    raise NoticeError(["不支持的文件类型：应为 .yaml、.yml 或 .csv"])
                check_content(upload, upload.name, size=upload.size)
                text = decode_text(upload.read(), upload.name)
                notice = parse_notice(text, fmt=fmt)
                if notice.is_example:
                    raise NoticeError(["该文件标为示例（示例: 是），不能作为正式节假日安排载入。"])
                calendar.load_notice(notice, actor=request.user, source_file=upload.name)
            except (NoticeError, FileRefused) as exc:
                errors = getattr(exc, "errors", None) or [str(exc)]
                for error in errors:
                    messages.error(request, error)
            else:
                messages.success(
                    request,
                    f"{notice.year}年节假日安排已载入，暂定期限将重新计算；"
                    "因此提前的期限列在本页「载入节假日安排后提前的期限」。",
                )
                return redirect("staff:calendar")

    today = timezone.localdate()
    form = WorkdayForm(request.GET or None, initial={"start": today})
    explanation = None
    if form.is_valid():
        explanation = calendar.explain(form.cleaned_data["start"], form.cleaned_data["n"])
    years = [calendar.year_summary(y) for y in (today.year - 1, today.year, today.year + 1)]
    return render(
        request,
        "staff/calendar.html",
        {
            "nav": "calendar",
            "warning": calendar.calendar_warning(today),
            "years": years,
            "form": form,
            "explanation": explanation,
            "upload_form": upload_form if can_load else None,
            "moved": _moved_earlier(request, can_load),
        },
    )


def _moved_earlier(request, office: bool):
    """Stored working-day dates that a loaded notice moved earlier (their audit events), for
    the office's organisations (the acting government's) or the user's own."""
    from gongkai.core.workday_dates import MOVED_EARLIER

    org_ids: QuerySet[Organisation, int] | list[int]
    if office:
        org_ids = Organisation.objects.in_government(acting_government(request)).values_list(
            "pk", flat=True
        )
    else:
        org_ids = rules.member_organisation_ids(request.user)
    return AuditEvent.objects.filter(action=MOVED_EARLIER, organisation_id__in=org_ids).order_by(
        "-at", "-id"
    )[:200]


@staff_required
def task_failures(request):
    """Background tasks that failed (each failed run; a retry is a new run) and how the queue
    stands. For the platform's operators (superusers): tasks belong to no one government."""
    from django_tasks_db.models import DBTaskResult

    if not request.user.is_superuser:
        raise PermissionDenied("只有平台管理员可以查看后台任务。")
    failed = DBTaskResult.objects.failed().order_by("-finished_at")
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    return render(request, "staff/tasks.html", {"nav": "tasks", "page": page, "counts": counts})
