"""Staff pages for an organisation's columns (栏目) and standard catalogue (标准目录) under
/manage/catalog/structure/: thin views over structure_forms and catalog.structure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.catalog import links, querysets, rules, structure
from gongkai.catalog.models import Column, StandardCatalogue
from gongkai.catalog.structure_forms import INDENT, CatalogueEntryForm, ColumnForm
from gongkai.catalog.views import _manageable_orgs
from gongkai.core.views import run_action
from gongkai.orgs.access import staff_required
from gongkai.orgs.models import Organisation


def _tree_url(org, anchor: str = "") -> str:
    url = f"{reverse('catalog_staff:structure')}?org={org.pk}"
    return f"{url}#{anchor}" if anchor else url


def _get_org(user, org_id) -> Organisation:
    """The organisation if the user may manage its structure; the same 404 otherwise."""
    org = get_object_or_404(Organisation, pk=org_id)
    if not rules.can_manage_structure(user, org):
        raise Http404("未找到该机构")
    return org


def _get_column(user, pk) -> Column:
    column = get_object_or_404(Column.objects.select_related("organisation"), pk=pk)
    if not rules.can_manage_structure(user, column.organisation):
        raise Http404("未找到该栏目")
    return column


def _get_entry(user, pk) -> StandardCatalogue:
    entry = get_object_or_404(StandardCatalogue.objects.select_related("organisation"), pk=pk)
    if not rules.can_manage_structure(user, entry.organisation):
        raise Http404("未找到该事项")
    return entry


def _initial_parent(request, model, org) -> dict:
    parent = model.objects.filter(organisation=org, pk=_int(request.GET.get("parent"))).first()
    return {"parent": parent} if parent else {}


def _indented(nodes):
    for node in nodes:
        node.indent = INDENT * (node.depth - 1) if node.depth else ""
    return nodes


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save(request, form, func, org, **kwargs):
    """Run func(user, org, data, **kwargs) for a valid bound form; refusals become form
    errors. Returns the saved object or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    done = run_action(
        request, lambda: func(request.user, org, form.structure_data(), **kwargs), form=form
    )
    return done.value


@staff_required
def structure_home(request):
    """栏目与标准目录 of one organisation the user may manage (picked with ?org=)."""
    orgs = list(_manageable_orgs(request.user))
    if not orgs:
        raise PermissionDenied("您不能管理任何机构的栏目和标准目录。")
    org = orgs[0]
    if request.GET.get("org"):
        org = next((o for o in orgs if o.pk == _int(request.GET["org"])), None)
        if org is None:
            raise Http404("未找到该机构")
    gov = getattr(request, "government", None)
    return render(
        request,
        "catalog/structure.html",
        {
            "nav": "records",
            "orgs": orgs,
            "org": org,
            "columns": _indented(querysets.column_tree(org, counts=True)),
            "entries": _indented(querysets.catalogue_tree(org, counts=True)),
            "max_depth": structure.CATALOGUE_MAX_DEPTH,
            "on_this_site": gov is not None and org.government_id == gov.pk,
            "public_org_url": links.public_url(links.ORGANISATION, org.pk),
            "public_guide_url": links.public_url(links.GUIDE, org.pk),
        },
    )


@staff_required
def column_new(request, org_id):
    org = _get_org(request.user, org_id)
    form = ColumnForm(
        request.POST or None, organisation=org, initial=_initial_parent(request, Column, org)
    )
    column = _save(request, form, structure.save_column, org)
    if column is not None:
        messages.success(request, f"已添加栏目“{column.name}”。")
        return redirect(_tree_url(org, f"column-{column.pk}"))
    return render(
        request,
        "catalog/structure_form.html",
        {"nav": "records", "form": form, "org": org, "title": "添加栏目"},
    )


@staff_required
def column_edit(request, pk):
    column = _get_column(request.user, pk)
    org = column.organisation
    form = ColumnForm(request.POST or None, instance=column, organisation=org)
    saved = _save(request, form, structure.save_column, org, column=column)
    if saved is not None:
        messages.success(request, f"已保存栏目“{saved.name}”。")
        return redirect(_tree_url(org, f"column-{saved.pk}"))
    return render(
        request,
        "catalog/structure_form.html",
        {"nav": "records", "form": form, "org": org, "title": "修改栏目"},
    )


@staff_required
@require_POST
def column_active(request, pk):
    column = _get_column(request.user, pk)
    active = request.POST.get("active") == "1"
    structure.set_column_active(request.user, column, active)
    messages.success(request, f"已{'启用' if active else '停用'}栏目“{column.name}”。")
    return redirect(_tree_url(column.organisation, f"column-{column.pk}"))


@staff_required
def catalogue_new(request, org_id):
    org = _get_org(request.user, org_id)
    initial = _initial_parent(request, StandardCatalogue, org)
    if initial:  # a child usually sits in its parent's domain
        initial["domain"] = initial["parent"].domain
    form = CatalogueEntryForm(request.POST or None, organisation=org, initial=initial)
    entry = _save(request, form, structure.save_catalogue_entry, org)
    if entry is not None:
        messages.success(request, f"已添加标准目录事项“{entry.name}”。")
        return redirect(_tree_url(org, f"entry-{entry.pk}"))
    return render(
        request,
        "catalog/structure_form.html",
        {"nav": "records", "form": form, "org": org, "title": "添加标准目录事项"},
    )


@staff_required
def catalogue_edit(request, pk):
    entry = _get_entry(request.user, pk)
    org = entry.organisation
    form = CatalogueEntryForm(request.POST or None, instance=entry, organisation=org)
    saved = _save(request, form, structure.save_catalogue_entry, org, entry=entry)
    if saved is not None:
        messages.success(request, f"已保存标准目录事项“{saved.name}”。")
        return redirect(_tree_url(org, f"entry-{saved.pk}"))
    return render(
        request,
        "catalog/structure_form.html",
        {"nav": "records", "form": form, "org": org, "title": "修改标准目录事项"},
    )


@staff_required
def catalogue_delete(request, pk):
    """GET: confirm (or explain what blocks the deletion); POST: delete."""
    entry = _get_entry(request.user, pk)
    org = entry.organisation
    if request.method == "POST":
        done = run_action(
            request,
            lambda: structure.delete_catalogue_entry(request.user, entry),
            success=f"已删除标准目录事项“{entry.name}”。",
        )
        return redirect(_tree_url(org, "catalogue" if done else f"entry-{entry.pk}"))
    records = list(entry.records.only("id", "title", "status").order_by("-id")[:11])
    return render(
        request,
        "catalog/structure_delete.html",
        {
            "nav": "records",
            "entry": entry,
            "org": org,
            "blockers": structure.catalogue_entry_blockers(entry),
            "records": records[:10],
            "more_records": len(records) > 10,
        },
    )
