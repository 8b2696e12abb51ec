"""Staff pages of the catalogue (/manage/catalog/): thin views over forms and actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.catalog import actions, links, querysets, rules
from gongkai.catalog.forms import (
    AttachmentForm,
    AttributeForm,
    ImportForm,
    InterpretationForm,
    PublishForm,
    ReasonForm,
    RecordForm,
    ValidityForm,
)
from gongkai.catalog.models import (
    Cleanup,
    CleanupDecision,
    CleanupItem,
    Interpretation,
    Record,
    Status,
)
from gongkai.core.actions import ActionError
from gongkai.core.views import run_action
from gongkai.orgs import rules as org_rules
from gongkai.orgs.access import acting_government, organisations_for, staff_required
from gongkai.orgs.models import Organisation

LIST_SIZE = 50


def _records_for(user):
    return Record.objects.filter(publisher__in=organisations_for(user))


def _get_record(user, pk) -> Record:
    """The record if the user may see it; the same 404 for missing and not allowed."""
    record = get_object_or_404(
        Record.objects.select_related("publisher", "column", "catalogue", "superseded_by"), pk=pk
    )
    if not rules.can_view_record(user, record):
        raise Http404("未找到该信息")
    return record


def _manageable_orgs(user):
    return Organisation.objects.filter(
        pk__in=[o.pk for o in organisations_for(user) if org_rules.can_manage_org(user, o)]
    ).order_by("order", "id")


@staff_required
def record_list(request):
    qs = _records_for(request.user).for_list().order_by("-updated_at", "-id")
    status = request.GET.get("status")
    if status in Status.values:
        qs = qs.filter(status=status)
    records = list(qs[:LIST_SIZE])
    org_ids = list(organisations_for(request.user).values_list("pk", flat=True))
    return render(
        request,
        "catalog/record_list.html",
        {
            "nav": "records",
            "records": records,
            "statuses": Status.choices,
            "status": status,
            "overdue_count": querysets.overdue(org_ids).count(),
            "interp_due_count": querysets.interpretations_due(org_ids).count(),
        },
    )


@staff_required
def record_new(request):
    publishers = _manageable_orgs(request.user)
    if not publishers.exists():
        raise PermissionDenied("您不能为任何机构发布信息。")
    form = RecordForm(request.POST or None, publishers=publishers)
    if request.method == "POST" and form.is_valid():
        done = run_action(
            request,
            lambda: actions.create_record(
                request.user, form.cleaned_data["publisher"], form.action_data()
            ),
            form=form,
        )
        if done:
            messages.success(request, f"已保存草稿，索引号 {done.value.index_no}。")
            return redirect("catalog_staff:record", pk=done.value.pk)
    return render(
        request,
        "catalog/record_form.html",
        {"nav": "records", "form": form, "title": "新建政府信息"},
    )


@staff_required
def record_edit(request, pk):
    record = _get_record(request.user, pk)
    if not rules.can_edit_record(request.user, record):
        raise PermissionDenied("该信息当前状态下您不能修改。")
    form = RecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        done = run_action(
            request,
            lambda: actions.update_record(
                request.user, Record.objects.get(pk=pk), form.action_data()
            ),
            form=form,
            success="已保存。",
        )
        if done:
            return redirect("catalog_staff:record", pk=pk)
    return render(
        request,
        "catalog/record_form.html",
        {"nav": "records", "form": form, "title": "修改政府信息", "record": record},
    )


@staff_required
def record_detail(request, pk):
    record = _get_record(request.user, pk)
    user = request.user
    interps = list(record.interpretations.prefetch_related("questions"))
    return render(
        request,
        "catalog/record_detail.html",
        {
            "nav": "records",
            "rec": record,
            "public_url": links.public_url(links.RECORD, record.pk),
            "interps": interps,
            "attachments": list(record.attachments.all()),
            "can_edit": rules.can_edit_record(user, record),
            "can_submit": rules.can_submit_record(user, record) and record.status == Status.DRAFT,
            "can_review": (
                rules.can_review_record(user, record) or rules.can_confirm_attribute(user, record)
            )
            and record.status in (Status.IN_REVIEW, Status.APPROVED),
            "can_publish": rules.can_publish_record(user, record),
            "can_validity": rules.can_change_validity(user, record),
            "publish_form": PublishForm(),
            "reason_form": ReasonForm(),
            "validity_form": ValidityForm(government=record.government_id),
            "attribute_form": AttributeForm(
                initial={
                    "attribute": record.attribute,
                    "reason": record.attribute_reason,
                    "basis": record.attribute_basis,
                }
            ),
            "can_attribute": rules.can_edit_record(user, record)
            or rules.can_confirm_attribute(user, record),
            "interp_form": InterpretationForm(),
            "attachment_form": AttachmentForm(),
            "now": timezone.now(),
        },
    )


def _run(request, pk, func):
    record = _get_record(request.user, pk)
    run_action(request, lambda: func(record))
    return redirect("catalog_staff:record", pk=pk)


@staff_required
@require_POST
def record_action(request, pk, name):
    user = request.user

    def reason():
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ActionError("请填写理由。")
        return form.cleaned_data["reason"]

    def do(record):
        form: forms.BaseForm
        if name == "submit":
            actions.submit_for_review(user, record)
            messages.success(request, "已提交保密审查。")
        elif name == "approve":
            actions.approve(user, record)
            messages.success(request, "审核通过。")
        elif name == "return":
            actions.return_to_draft(user, record, reason())
            messages.success(request, "已退回修改。")
        elif name == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ActionError("定时发布时间无效。")
            record = actions.publish(user, record, form.cleaned_data.get("at"))
            if record.scheduled_at:
                at = timezone.localtime(record.scheduled_at)
                messages.success(request, f"已安排于{at:%Y年%m月%d日 %H:%M}发布。")
            else:
                messages.success(request, "已发布。")
        elif name == "withdraw":
            actions.withdraw(user, record, reason())
            messages.success(request, "已撤回。")
        elif name == "validity":
            form = ValidityForm(request.POST, government=record.government_id)
            if not form.is_valid():
                raise ActionError("请正确选择有效性和相关文件。")
            actions.change_validity(
                user,
                record,
                form.cleaned_data["validity"],
                form.cleaned_data.get("on"),
                form.cleaned_data.get("by_record"),
                form.cleaned_data.get("note") or "",
            )
            messages.success(request, "有效性已更新。")
        elif name == "attachment":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ActionError("请选择要上传的文件。")
            upload = form.cleaned_data["file"]
            actions.add_attachment(user, record, upload.name, upload)
            messages.success(request, "附件已上传。")
        elif name == "attribute":
            form = AttributeForm(request.POST)
            if not form.is_valid():
                raise ActionError("请选择有效的公开属性。")
            d = form.cleaned_data
            actions.change_attribute(user, record, d["attribute"], d["reason"], d["basis"])
            messages.success(request, "公开属性已更新。")
        elif name == "interpretation":
            interpretation = InterpretationForm(request.POST)
            if not interpretation.is_valid():
                raise ActionError(
                    "；".join(str(e) for errs in interpretation.errors.values() for e in errs)
                )
            actions.create_interpretation(
                user, record, interpretation.cleaned_data, interpretation.qa_pairs()
            )
            messages.success(request, "已添加政策解读。")
        else:
            raise Http404("未知操作")

    return _run(request, pk, do)


@staff_required
@require_POST
def interpretation_publish(request, pk):
    interp = get_object_or_404(Interpretation.objects.select_related("policy__publisher"), pk=pk)
    if not rules.can_view_record(request.user, interp.policy):
        raise Http404("未找到该解读")
    run_action(
        request,
        lambda: actions.publish_interpretation(request.user, interp),
        success="解读已发布。",
    )
    return redirect("catalog_staff:record", pk=interp.policy_id)


@staff_required
@require_POST
def interpretation_withdraw(request, pk):
    interp = get_object_or_404(Interpretation.objects.select_related("policy__publisher"), pk=pk)
    if not rules.can_view_record(request.user, interp.policy):
        raise Http404("未找到该解读")
    run_action(
        request,
        lambda: actions.withdraw_interpretation(
            request.user, interp, request.POST.get("reason", "")
        ),
        success="解读已撤回。",
    )
    return redirect("catalog_staff:record", pk=interp.policy_id)


@staff_required
def overdue(request):
    org_ids = list(organisations_for(request.user).values_list("pk", flat=True))
    return render(
        request,
        "catalog/overdue.html",
        {
            "nav": "records",
            "overdue": list(querysets.overdue(org_ids)[:200]),
            "interp_due": list(querysets.interpretations_due(org_ids)[:200]),
            "today": timezone.localdate(),
        },
    )


@staff_required
def library(request):
    gov = acting_government(request)
    year = timezone.localdate().year
    counts = [(y, querysets.library_counts(gov, y)) for y in range(year, year - 3, -1)]
    cleanups = Cleanup.objects.filter(government=gov)
    if request.method == "POST":
        done = run_action(
            request, lambda: actions.start_cleanup(request.user, gov, request.POST.get("name", ""))
        )
        if done:
            return redirect("catalog_staff:cleanup", pk=done.value.pk)
    return render(
        request,
        "catalog/library.html",
        {
            "nav": "records",
            "gov": gov,
            "counts": counts,
            "cleanups": cleanups,
        },
    )


@staff_required
def cleanup_detail(request, pk):
    cleanup = get_object_or_404(Cleanup, pk=pk)
    if not rules.can_manage_library(request.user, cleanup.government_id):
        raise Http404("未找到该清理")
    if request.method == "POST":
        if request.POST.get("close"):
            run_action(
                request,
                lambda: actions.close_cleanup(request.user, cleanup),
                success="清理已完成。",
            )
        else:
            item = get_object_or_404(CleanupItem, pk=request.POST.get("item"), cleanup=cleanup)
            run_action(
                request,
                lambda: actions.decide_cleanup_item(
                    request.user,
                    item,
                    request.POST.get("decision", ""),
                    request.POST.get("note", ""),
                ),
            )
        return redirect("catalog_staff:cleanup", pk=pk)
    items = list(cleanup.items.select_related("record", "record__publisher"))
    summary = {
        label: sum(1 for i in items if i.decision == value)
        for value, label in CleanupDecision.choices
    }
    return render(
        request,
        "catalog/cleanup.html",
        {
            "nav": "records",
            "cleanup": cleanup,
            "items": items,
            "decisions": CleanupDecision.choices,
            "summary": summary,
            "undecided": sum(1 for i in items if not i.decision),
        },
    )


@staff_required
def import_records(request):
    from gongkai.catalog import importer

    publishers = _manageable_orgs(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, publishers=publishers)
    preview = None
    if request.method == "POST" and form.is_valid():
        publisher = form.cleaned_data["publisher"]
        upload = form.cleaned_data.get("file")
        if upload is not None:
            data = upload.read()
            request.session["catalog_import"] = data.hex()
            request.session["catalog_import_name"] = upload.name
        else:
            stored = request.session.get("catalog_import")
            data = bytes.fromhex(stored) if stored else b""
        name = request.session.get("catalog_import_name") or "upload.xlsx"
        if not data:
            form.add_error("file", "请选择要导入的 Excel 文件。")
        else:
            government = publisher.government or publisher
            preview = importer.preview(
                data, government, publisher=publisher, actor=request.user, name=name
            )
            if request.POST.get("confirm") and preview.ok:
                done = run_action(request, lambda: importer.commit(request.user, preview))
                if done:
                    request.session.pop("catalog_import", None)
                    messages.success(request, importer.summary(done.value))
                    return redirect("catalog_staff:records")
    return render(
        request, "catalog/import.html", {"nav": "records", "form": form, "preview": preview}
    )
