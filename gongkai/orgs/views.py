"""The office's pages for its government's organisations and people: a searchable, paged
list (a province has ~10,000 organisations), one page per organisation (contact details,
review body, aliases, members and their roles) and one per person. Thin: parse, call
orgs.actions / accounts.actions through run_action, render."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core.views import run_action
from gongkai.orgs import actions, forms, rules
from gongkai.orgs.access import acting_government, staff_required
from gongkai.orgs.models import (
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationQuerySet,
    OrgKind,
    Role,
)

PER_PAGE = 50
# foi's letters name the review body; its audited action lives in orgs.actions once that work
# lands (set_review_body). Until then the page shows the field read-only.
REVIEW_BODY_EDITABLE = hasattr(actions, "set_review_body")


# A detail-page handler's answer: the bound form to show again (or None), and whether it worked.
Handled = tuple[BaseForm | None, bool]


def _gov_suffix(government: Organisation) -> str:
    return f"?gov={government.pk}"


def _search(government: Organisation, q: str, kind: str, parent: str) -> OrganisationQuerySet:
    qs = Organisation.objects.in_government(government)
    if q:
        alias = OrganisationAlias.objects.filter(organisation=OuterRef("pk"), alias__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Exists(alias))
    if kind in OrgKind.values:
        qs = qs.filter(kind=kind)
    if parent.isdigit():
        qs = qs.filter(parent_id=int(parent))
    return qs


def _query(request: HttpRequest) -> str:
    """The page's query string without its page number, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())


@staff_required
def org_list(request: HttpRequest) -> HttpResponse:
    government = acting_government(request)
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    parent = request.GET.get("parent", "")
    rows = (
        _search(government, q, kind, parent)
        .select_related("parent")
        .annotate(members=Count("memberships", distinct=True))
        .order_by("parent_id", "order", "id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    parent_org = (
        Organisation.objects.in_government(government).filter(pk=parent).first()
        if parent.isdigit()
        else None
    )
    return render(
        request,
        "orgs/list.html",
        {
            "nav": "orgs",
            "government": government,
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": OrgKind.choices,
            "parent_org": parent_org,
            "query": _query(request),
        },
    )


@staff_required
def org_new(request: HttpRequest) -> HttpResponse:
    government = acting_government(request)
    parent: Organisation | None = None
    if request.GET.get("parent", "").isdigit():
        parent = (
            Organisation.objects.in_government(government).filter(pk=request.GET["parent"]).first()
        )
    form = forms.OrgCreateForm(
        request.POST or None,
        government=government,
        initial={"parent": parent.name if parent else government.name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_action(
            request,
            lambda: actions.create_organisation(
                request.user,
                name=data["name"].strip(),
                kind=data["kind"],
                parent=data["parent"],
                aliases=data["aliases"],
                short_name=data["short_name"].strip(),
            ),
            form=form,
            success=f"已新增机构“{data['name']}”。",
        )
        if done:
            return redirect(reverse("orgs_staff:detail", args=[done.value.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "orgs/new.html",
        {"nav": "orgs", "government": government, "form": form},
        status=status,
    )


def _org_for(request: HttpRequest, pk: int) -> Organisation:
    """An organisation of a government the user runs the office of; the same 404 otherwise."""
    org = get_object_or_404(Organisation.objects.select_related("parent", "review_body"), pk=pk)
    if not rules.is_office_admin(request.user, org.government_id):
        raise Http404
    return org


def _members(org: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=org)
        .select_related("user")
        .order_by("user__username", "role")
    )


def _detail_forms(org: Organisation, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    government = org.government
    review_initial = {
        "review_body": org.review_body.name if org.review_body else "",
        "review_body_name": org.review_body_name,
    }
    return {
        "edit_form": bound.get("edit") or forms.OrgEditForm(instance=org),
        "alias_form": bound.get("alias_add") or forms.AliasForm(),
        "review_form": bound.get("review_body")
        or forms.ReviewBodyForm(government=government, initial=review_initial),
        "person_form": bound.get("person_add") or forms.PersonCreateForm(),
        "grant_form": bound.get("role_grant") or forms.GrantRoleForm(),
    }


def _render_detail(
    request: HttpRequest, org: Organisation, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "nav": "orgs",
        "org": org,
        "government": org.government,
        "aliases": org.aliases.order_by("alias"),
        "members": _members(org),
        "children": org.children.order_by("order", "id")[:20],
        "children_count": org.children.count(),
        "review_body_editable": REVIEW_BODY_EDITABLE,
        **_detail_forms(org, bound),
    }
    return render(request, "orgs/detail.html", context, status=status)


@staff_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _org_for(request, pk))


def _edit(request: HttpRequest, org: Organisation) -> Handled:
    form = forms.OrgEditForm(request.POST, instance=Organisation.objects.get(pk=org.pk))
    if not form.is_valid():
        return form, False
    fields = {k: v for k, v in form.cleaned_data.items()}
    done = run_action(
        request,
        lambda: actions.update_organisation(request.user, org, **fields),
        form=form,
        success="机构信息已保存。",
    )
    return form, bool(done)


def _alias_add(request: HttpRequest, org: Organisation) -> Handled:
    form = forms.AliasForm(request.POST)
    if not form.is_valid():
        return form, False
    alias = form.cleaned_data["alias"].strip()
    if OrganisationAlias.objects.filter(government_id=org.government_id, alias=alias).exists():
        form.add_error("alias", f"别名“{alias}”已被本政府的机构使用。")
        return form, False
    done = run_action(
        request,
        lambda: actions.update_organisation(request.user, org, aliases=[alias]),
        form=form,
        success=f"已添加别名“{alias}”。",
    )
    return form, bool(done)


def _alias_remove(request: HttpRequest, org: Organisation) -> Handled:
    alias = request.POST.get("alias", "")
    run_action(
        request,
        lambda: actions.remove_alias(request.user, org, alias),
        success=f"已删除别名“{alias}”。",
    )
    return None, True


def _review_body(request: HttpRequest, org: Organisation) -> Handled:
    form = forms.ReviewBodyForm(request.POST, government=org.government)
    if not REVIEW_BODY_EDITABLE or not form.is_valid():
        return form, False
    data = form.cleaned_data
    done = run_action(
        request,
        lambda: actions.set_review_body(
            request.user,
            org,
            review_body=data["review_body"],
            review_body_name=data["review_body_name"],
        ),
        form=form,
        success="行政复议机关已保存。",
    )
    return form, bool(done)


def _person_add(request: HttpRequest, org: Organisation) -> Handled:
    form = forms.PersonCreateForm(request.POST)
    if not form.is_valid():
        return form, False
    data = form.cleaned_data
    done = run_action(
        request,
        lambda: actions.add_person(
            request.user,
            org,
            role=data["role"],
            username=data["username"],
            display_name=data["display_name"],
            password=data["password"],
            phone=data["phone"],
        ),
        form=form,
        success=f"已为{data['display_name']}开通账号“{data['username']}”（{Role(data['role']).label}）。",
    )
    return form, bool(done)


def _role_grant(request: HttpRequest, org: Organisation) -> Handled:
    form = forms.GrantRoleForm(request.POST)
    if not form.is_valid():
        return form, False
    data = form.cleaned_data
    user = User.objects.filter(username__iexact=data["username"].strip()).first()
    if user is None:
        form.add_error("username", f"没有用户名为“{data['username']}”的账号。")
        return form, False
    done = run_action(
        request,
        lambda: actions.grant_role(request.user, user, org, data["role"]),
        form=form,
        success=f"已授予{user}“{Role(data['role']).label}”角色。",
    )
    return form, bool(done)


def _role_revoke(request: HttpRequest, org: Organisation) -> Handled:
    membership = Membership.objects.filter(
        organisation=org, pk=request.POST.get("membership", "0") or 0
    ).first()
    if membership is not None:
        run_action(
            request,
            lambda: actions.revoke_role(request.user, membership.user, org, membership.role),
            success=f"已撤销{membership.user}的“{membership.get_role_display()}”角色。",
        )
    return None, True


ORG_ACTIONS = {
    "edit": _edit,
    "alias_add": _alias_add,
    "alias_remove": _alias_remove,
    "review_body": _review_body,
    "person_add": _person_add,
    "role_grant": _role_grant,
    "role_revoke": _role_revoke,
}


@staff_required
@require_POST
def org_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    org = _org_for(request, pk)
    handler = ORG_ACTIONS.get(name)
    if handler is None:
        raise Http404
    form, ok = handler(request, org)
    if ok:
        return redirect(reverse("orgs_staff:detail", args=[org.pk]) + f"#{name}")
    org = _org_for(request, pk)
    return _render_detail(request, org, {name: form}, status=400)


# --- People --------------------------------------------------------------------------------


def _people(government: Organisation, q: str) -> QuerySet[User]:
    in_government = Membership.objects.filter(
        user=OuterRef("pk"), organisation__government=government
    )
    qs = User.objects.filter(Exists(in_government))
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone__icontains=q)
        )
    roles = Membership.objects.filter(organisation__government=government).select_related(
        "organisation"
    )
    return qs.prefetch_related(Prefetch("memberships", queryset=roles, to_attr="roles_here"))


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    government = acting_government(request)
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(_people(government, q).order_by("username"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orgs/people.html",
        {"nav": "orgs", "government": government, "page": page, "q": q, "query": _query(request)},
    )


def _person_for(request: HttpRequest, pk: int) -> User:
    person = get_object_or_404(User, pk=pk)
    if not rules.can_manage_person(request.user, person):
        raise Http404
    return person


def _render_person(
    request: HttpRequest,
    person: User,
    edit_form: forms.PersonEditForm | None = None,
    password_form: forms.PasswordResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = person.memberships.select_related("organisation").order_by(
        "organisation__order", "organisation_id"
    )
    return render(
        request,
        "orgs/person.html",
        {
            "nav": "orgs",
            "person": person,
            "memberships": memberships,
            "edit_form": edit_form
            or forms.PersonEditForm(
                initial={
                    "display_name": person.display_name,
                    "phone": person.phone,
                    "is_active": person.is_active,
                }
            ),
            "password_form": password_form or forms.PasswordResetForm(),
        },
        status=status,
    )


@staff_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    if request.method != "POST":
        return _render_person(request, person)
    url = reverse("orgs_staff:person", args=[person.pk])
    if request.POST.get("do") == "password":
        form = forms.PasswordResetForm(request.POST)
        if form.is_valid() and run_action(
            request,
            lambda: actions.reset_person_password(
                request.user, person, form.cleaned_data["password"]
            ),
            form=form,
            success="密码已重置，请告知本人登录后修改。",
        ):
            return redirect(url)
        return _render_person(request, person, password_form=form, status=400)
    edit = forms.PersonEditForm(request.POST)
    if edit.is_valid() and run_action(
        request,
        lambda: actions.update_person(request.user, person, **edit.cleaned_data),
        form=edit,
        success="账号信息已保存。",
    ):
        return redirect(url)
    return _render_person(request, person, edit_form=edit, status=400)
