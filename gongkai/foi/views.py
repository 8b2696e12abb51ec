"""Staff pages at /manage/foi/: the list with dashboards, registration, the request page with
its clock and every action, letter downloads, the ledger import and 依申请转主动 groups.

Views are thin: they read through foi.access and change state only through foi.actions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import calendar as cal
from gongkai.core import files
from gongkai.core import stored_documents as documents
from gongkai.core.views import run_action
from gongkai.orgs.access import acting_government, organisations_for, staff_required
from gongkai.orgs.models import Organisation

from . import actions, forms, letters, rules
from .access import can_see_requester, get_request_for, requests_for, waiting_for
from .action_specs import ACTIONS
from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    PAUSED_STATES,
    RUNNING_STATES,
    EventKind,
    Fee,
    InfoRequest,
    Letter,
    Reply,
    RequestEvent,
    RequestKind,
    RequestReminder,
    State,
    due_soon_q,
    overdue_q,
    paused_q,
    reason_value,
    unconfirmed_q,
)

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser

TABS = [
    ("open", "办理中"),
    ("submitted", "待确认受理"),
    ("due_soon", "3个工作日内到期"),
    ("overdue", "已超期"),
    ("paused", "暂停计时"),
    ("mine", "我承办的"),
    ("to_review", "待我审核"),
    ("to_sign", "待我签发"),
    ("closed", "已办结"),
    ("all", "全部"),
]


def _tab_filter(tab: str, user: AnyUser, today: date, soon: date) -> Q:
    return {
        "open": Q(state__in=OPEN_STATES),
        "submitted": Q(state=State.SUBMITTED),
        "due_soon": due_soon_q(today, soon),
        "overdue": overdue_q(today),
        "paused": paused_q(),
        "mine": Q(officer=user, state__in=OPEN_STATES),
        "to_review": Q(pk__in=waiting_for(user, "review").values("pk")),
        "to_sign": Q(pk__in=waiting_for(user, "sign").values("pk")),
        "closed": Q(state__in=CLOSED_STATES),
        "all": Q(),
    }.get(tab, Q(state__in=OPEN_STATES))


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    soon = cal.add_workdays(today, 3).date
    visible = requests_for(request.user)
    org_id = request.GET.get("org") or ""
    if org_id.isdigit():
        visible = visible.filter(organisation_id=int(org_id))
    q = request.GET.get("q", "").strip()
    if q:
        visible = visible.filter(
            Q(ref__icontains=q) | Q(tracking_code__iexact=q) | Q(description__icontains=q)
        )
    tab = request.GET.get("tab", "open")
    counts = visible.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        due_soon=Count("pk", filter=_tab_filter("due_soon", request.user, today, soon)),
        overdue=Count("pk", filter=_tab_filter("overdue", request.user, today, soon)),
        paused=Count("pk", filter=paused_q()),
        to_review=Count("pk", filter=_tab_filter("to_review", request.user, today, soon)),
        to_sign=Count("pk", filter=_tab_filter("to_sign", request.user, today, soon)),
    )
    by_officer = (
        visible.filter(state__in=OPEN_STATES)
        .values("officer_id", "officer__display_name", "officer__username")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            due_soon=Count("pk", filter=due_soon_q(today, soon)),
            paused=Count("pk", filter=paused_q()),
        )
        .order_by("-overdue", "-total")
    )
    by_org = (
        visible.filter(state__in=OPEN_STATES)
        .values("organisation_id", "organisation__name")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_q(today)),
            due_soon=Count("pk", filter=due_soon_q(today, soon)),
        )
        .order_by("-overdue", "-total")
    )
    # 条例第31条(二)(三): letters, faxes and online applications awaiting confirmation, shown
    # the day they arrive (the confirmation day is the legal receipt date).
    unconfirmed = list(visible.filter(unconfirmed_q()).for_list().order_by("arrived_at")[:50])
    for item in unconfirmed:
        item.arrived_today = timezone.localdate(item.arrived_at) == today  # type: ignore[attr-defined]  # template only
    late_confirmed = [
        r
        for r in visible.filter(state__in=OPEN_STATES, confirmed_at__isnull=False)
        .exclude(channel="in_person")
        .for_list()
        .order_by("-confirmed_at")[:200]
        if r.confirmed_late
    ][:20]
    rows = (
        visible.filter(_tab_filter(tab, request.user, today, soon))
        .for_list()
        .annotate(reply_status=F("reply__status"))
    )
    rows = rows.order_by("due_on", "-arrived_at") if tab != "closed" else rows
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # staff_required: request.user is a signed-in user here, which the stubs cannot know.
    reminders = RequestReminder.objects.filter(
        user=request.user,  # type: ignore[misc]
        seen=False,
    ).select_related("request")[:20]
    return render(
        request,
        "foi/list.html",
        {
            "nav": "foi",
            "page": page,
            "tab": tab,
            "tabs": TABS,
            "counts": counts,
            "by_officer": by_officer,
            "by_org": by_org,
            "today": today,
            "soon": soon,
            "q": q,
            "org_id": org_id,
            "organisations": organisations_for(request.user).order_by("order", "id"),
            "reminders": reminders,
            "unconfirmed": unconfirmed,
            "late_confirmed": late_confirmed,
        },
    )


def _managed_orgs(user: AnyUser) -> list[Organisation]:
    from gongkai.orgs import rules as org_rules

    return [
        o
        for o in organisations_for(user).order_by("order", "id")
        if org_rules.can_manage_org(user, o)
    ]


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    orgs = _managed_orgs(request.user)
    if not orgs:
        raise Http404("您没有可登记申请的机关。")
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in orgs]).order_by("order", "id")
    form = forms.RegisterForm(request.POST or None, request.FILES or None, organisations=queryset)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_action(
            request,
            lambda: actions.register(
                request.user,
                d["organisation"],
                form.requester_data(),
                form.request_data(),
                channel=d["channel"],
                arrived_on=d["arrived_on"],
                signed_for=d["signed_for"],
                confirmed_on=d.get("confirmed_on"),
                id_proof=d.get("id_proof") or None,
            ),
            form=form,
        )
        if done:
            req = done.value
            messages.success(request, f"已登记申请 {req}（查询码 {req.tracking_code}）。")
            return redirect("foi_staff:detail", pk=req.pk)
    return render(
        request,
        "foi/register.html",
        {"nav": "foi", "form": form},
        status=400 if form.errors else 200,
    )


# --- The request page and its actions ---------------------------------------------------------


def _prepare(req: InfoRequest) -> None:
    # Plain instance attributes the page and ACTIONS' predicates read (getattr in action_specs).
    # (Attributes of this page only, which the model does not declare.)
    req._reply = Reply.objects.filter(request=req).first()  # type: ignore[attr-defined]
    req._has_cases = req.review_cases.exists()  # type: ignore[attr-defined]
    req._corrected = req.events.filter(  # type: ignore[attr-defined]
        kind=EventKind.CORRECTION_REQUESTED
    ).exists()
    req._proposal = (  # type: ignore[attr-defined]
        req.events.filter(kind=EventKind.EXTENSION_PROPOSED).order_by("-id").first()
        if not req.extended
        else None
    )


def _prepared_reply(req: InfoRequest) -> Reply | None:
    """The reply _prepare found."""
    reply: Reply | None = vars(req)["_reply"]
    return reply


def _prepared_proposal(req: InfoRequest) -> RequestEvent | None:
    """The pending extension proposal _prepare found."""
    proposal: RequestEvent | None = vars(req)["_proposal"]
    return proposal


def _available(user: AnyUser, req: InfoRequest, lawful: dict[str, Any] | None = None) -> list[str]:
    """The actions the law allows now (foi.rules.allowed_actions) that this user may do."""
    lawful = rules.assess(req, timezone.localdate()).allowed if lawful is None else lawful
    return [name for name, spec in ACTIONS.items() if name in lawful and spec.allowed(user, req)]


def _form_for(
    name: str, user: AnyUser, req: InfoRequest, data: Any = None
) -> django_forms.BaseForm:
    spec = ACTIONS[name]
    kwargs = spec.kwargs(user, req) if spec.kwargs else {}
    kwargs["auto_id"] = f"id_{name}_%s"  # several forms on one page: unique ids
    if name == "draft_reply" and data is None and (r := _prepared_reply(req)) is not None:
        return spec.form(
            initial={
                "outcome": r.outcome,
                "outcome_reason": reason_value(r.outcome, r.outcome_reason)
                if r.outcome_reason
                else "",
                "path": r.path,
                "reasons": r.reasons,
                "published_where": r.published_where,
                "published_url": r.published_url,
                "responsible_name": r.responsible_name,
                "responsible_contact": r.responsible_contact,
                "correction_result": r.correction_result,
                "legal_basis": r.legal_basis,
                "body": r.body,
                "record_index_nos": ", ".join(x["index_no"] for x in r.records),
            },
            **kwargs,
        )
    if name == "extend" and data is None and (proposal := _prepared_proposal(req)) is not None:
        return spec.form(initial={"days": proposal.days, "reason": proposal.note}, **kwargs)
    return spec.form(data, **kwargs) if data is not None else spec.form(**kwargs)


# Which offered action is the next step, first match wins: the case page shows it open as the
# one primary action and the others on demand. A note is never the next step.
NEXT_STEP_ORDER = (
    "receive",
    "sign_reply",
    "review_reply",
    "extend",
    "submit_reply",
    "third_party_end",
    "consult_end",
    "fee_paid",
    "deliver",
    "archive",
    "draft_reply",
    "assign",
)


def _next_step(action_forms: list[dict[str, Any]]) -> dict[str, Any] | None:
    by_name = {a["name"]: a for a in action_forms}
    for name in NEXT_STEP_ORDER:
        if name in by_name:
            return by_name[name]
    return next((a for a in action_forms if a["name"] != "note"), None)


def _detail_context(
    request: HttpRequest,
    req: InfoRequest,
    bound: tuple[str, django_forms.BaseForm] | None = None,
) -> dict[str, Any]:
    _prepare(req)
    events = list(req.events.select_related("actor"))
    clock = actions.clock_for(req, events=events)
    today = timezone.localdate()
    lawful = rules.assess(req, today, clock=clock, events=events).allowed
    names = _available(request.user, req, lawful)
    action_forms = []
    for name in names:
        form = bound if bound is not None and bound[0] == name else None
        action_forms.append(
            {
                "name": name,
                "label": ACTIONS[name].label,
                "button": ACTIONS[name].button,
                "last_day": lawful[name].last_day,
                "basis": lawful[name].basis,
                "note": lawful[name].note,
                "form": form[1] if form else _form_for(name, request.user, req),
                "bound": form is not None,
            }
        )
    primary = _next_step(action_forms)
    show_requester = can_see_requester(request.user, req)
    repeats = (
        InfoRequest.objects.filter(
            government_id=req.government_id, requester__id_number=req.requester.id_number
        )
        .exclude(pk=req.pk)
        .count()
        if show_requester
        else 0
    )
    return {
        "nav": "foi",
        "req": req,
        "clock": clock,
        "clock_status": clock.status(today) if req.state in RUNNING_STATES + PAUSED_STATES else "",
        "remaining": clock.remaining(today) if req.state in RUNNING_STATES else None,
        "events": events,
        "letters": _letters(req),
        "reply": _prepared_reply(req),
        "fee": Fee.objects.filter(request=req).first(),
        "cases": list(req.review_cases.all()),
        "consultations": list(req.consultations.select_related("organisation")),
        "corrections": list(req.corrections.all()),
        "attachments": list(req.attachments.all()),
        "action_forms": action_forms,
        "primary_action": primary,
        "other_actions": [a for a in action_forms if a is not primary],
        "show_requester": show_requester,
        "repeats": repeats,
        "is_correction_kind": req.kind == RequestKind.RECORD_CORRECTION,
        "proposal": _prepared_proposal(req),
    }


def _letters(req: InfoRequest) -> list[Letter]:
    """The letters, each received letter that carries remedies with their last days (from
    receipt, as the letter's own remedies sentence has them)."""
    from .remedies import remedy_deadlines_note

    out = list(req.letters.all())
    for letter in out:
        letter.remedy_note = remedy_deadlines_note(  # type: ignore[attr-defined]  # template only
            letter.kind, req.organisation, req.outcome, letter.delivered_on
        )
    return out


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for(request.user, pk)
    return render(request, "foi/detail.html", _detail_context(request, req))


@staff_required
@require_POST
def request_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    req = get_request_for(request.user, pk)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404("未知的操作。")
    _prepare(req)
    kwargs = spec.kwargs(request.user, req) if spec.kwargs else {}
    form = spec.form(request.POST, request.FILES, auto_id=f"id_{name}_%s", **kwargs)
    if form.is_valid():
        done = run_action(
            request,
            lambda: spec.run(request.user, req, form.cleaned_data),
            form=form,
            success=f"已完成：{spec.label}。",
        )
        if done:
            return redirect("foi_staff:detail", pk=req.pk)
    messages.error(request, "操作未完成，请查看下方的提示。")
    req = get_request_for(request.user, pk)
    context = _detail_context(request, req, bound=(name, form))
    if name not in [f["name"] for f in context["action_forms"]]:
        # The action is not offered in this state: say why instead of showing nothing.
        for error in form.non_field_errors() or [f"当前状态下不能执行「{spec.label}」。"]:
            messages.error(request, str(error))
    return render(request, "foi/detail.html", context, status=400)


@staff_required
def letter_download(request: HttpRequest, pk: int, letter_id: int, fmt: str) -> HttpResponse:
    req = get_request_for(request.user, pk)
    letter = Letter.objects.filter(request=req, pk=letter_id).select_related("organisation").first()
    if letter is None:
        raise Http404("未找到该文书。")
    return letter_response(letter, fmt, request)


def letter_response(letter: Letter, fmt: str, request: HttpRequest | None = None) -> HttpResponse:
    """The stored file of the letter (rendered once per text, by a worker or on first use; a
    render on download counts against the requester's PDF rate limit)."""
    from .documents import stored_letter

    ctypes = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    if fmt not in ctypes:
        raise Http404("不支持的格式。")
    limit = (lambda: files.limit_renders(request)) if request is not None else None
    try:
        document = stored_letter(letter, fmt, before_render=limit)
    except files.ConversionUnavailable as exc:
        return HttpResponse(str(exc), status=429, content_type="text/plain; charset=utf-8")
    except letters.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    data, ctype = documents.read(document), ctypes[fmt]
    response = HttpResponse(data, content_type=ctype)
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"letter.{fmt}\"; filename*=UTF-8''{quote(letters.filename(letter, fmt))}"
    )
    return response


@staff_required
def id_proof(request: HttpRequest, pk: int) -> FileResponse:
    req = get_request_for(request.user, pk)
    if not can_see_requester(request.user, req) or not req.requester.id_proof:
        raise Http404("未找到该文件。")
    return FileResponse(req.requester.id_proof.open("rb"), as_attachment=True)


@staff_required
def correction_file(request: HttpRequest, pk: int, correction_id: int) -> FileResponse:
    req = get_request_for(request.user, pk)
    corr = req.corrections.filter(pk=correction_id).first()
    if corr is None or not corr.file or not can_see_requester(request.user, req):
        raise Http404("未找到该文件。")
    return FileResponse(corr.file.open("rb"), as_attachment=True)


@staff_required
def attachment_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    req = get_request_for(request.user, pk)
    item = req.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404("未找到该文件。")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@staff_required
def reminder_seen(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = get_object_or_404(RequestReminder, user=request.user, pk=reminder_id)
    if request.method == "POST":
        run_action(request, lambda: actions.mark_reminder_seen(request.user, reminder))
    return redirect("foi_staff:list")


# --- Ledger import ------------------------------------------------------------------------------


@staff_required
def import_ledger(request: HttpRequest) -> HttpResponse:
    from .importer import import_file

    government = acting_government(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_file(upload, government, actor=request.user, filename=upload.name)
        if result.ok:
            messages.success(request, f"已导入 {result.created} 件申请。")
        else:
            messages.error(request, f"发现 {len(result.errors)} 处错误，未导入任何数据。")
    return render(
        request,
        "foi/import.html",
        {"nav": "foi", "form": form, "result": result, "government": government},
        status=400 if result is not None and not result.ok else 200,
    )


# --- 依申请转主动 (条例第44条) -------------------------------------------------------------------


@staff_required
def groups(request: HttpRequest) -> HttpResponse:
    from . import grouping

    government = acting_government(request)
    organisations = (
        Organisation.objects.filter(government=government).active().order_by("order", "id")
    )
    form = None
    if request.method == "POST":
        form = forms.ConvertForm(request.POST, organisations=organisations)
        if form.is_valid():
            chosen = list(requests_for(request.user).filter(pk__in=form.cleaned_data["requests"]))
            if len(chosen) != len(set(form.cleaned_data["requests"])):
                raise Http404("部分申请不存在或您无权处理。")
            done = run_action(
                request,
                lambda: actions.convert_to_proactive(
                    request.user,
                    chosen,
                    title=form.cleaned_data["title"],
                    publisher=form.cleaned_data["publisher"],
                ),
            )
            if done:
                record = done.value
                messages.success(
                    request,
                    f"已生成主动公开草稿「{record.title}」（索引号 {record.index_no}），"
                    "请在信息发布中完善并报审。",
                )
                return redirect("foi_staff:groups")
        else:
            messages.error(request, "请填写标题并选择发布机构。")
    found = grouping.similar_groups(requests_for(request.user).filter(government=government))
    for group in found.items:
        group["form"] = forms.ConvertForm(
            initial={
                "requests": group["ids"],
                "title": group["label"],
                "publisher": group["publisher"].pk,
            },
            organisations=organisations,
            auto_id=f"id_g{group['ids'].replace(',', '_')}_%s",
        )
    repeated = (
        requests_for(request.user)
        .filter(government=government)
        .exclude(requester__id_number="")
        .values("requester__id_number", "requester__name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("-n")[:50]
    )
    return render(
        request,
        "foi/groups.html",
        {"nav": "foi", "groups": found, "repeated": repeated},
        status=400 if form is not None and not form.is_valid() else 200,
    )


# --- Letter wordings (office) -------------------------------------------------------------------


@staff_required
def letter_templates(request: HttpRequest, key: str | None = None) -> HttpResponse:
    from .models import LETTER_TEMPLATES, LetterTemplate

    government = acting_government(request)
    if key is not None and key not in LETTER_TEMPLATES:
        raise Http404("没有这个文书模板。")
    form = None
    if key is not None:
        initial = {"text": actions.current_text(government.pk, key)}
        form = forms.LetterTemplateForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            done = run_action(
                request,
                lambda: actions.save_letter_template(
                    request.user, government, key, form.cleaned_data["text"]
                ),
                form=form,
                success=f"已保存「{LETTER_TEMPLATES[key]}」。",
            )
            if done:
                return redirect("foi_staff:templates")
    own = set(LetterTemplate.objects.filter(government=government).values_list("key", flat=True))
    return render(
        request,
        "foi/templates.html",
        {
            "nav": "foi",
            "government": government,
            "items": [(k, label, k in own) for k, label in LETTER_TEMPLATES.items()],
            "key": key,
            "label": LETTER_TEMPLATES.get(key, "") if key is not None else "",
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
