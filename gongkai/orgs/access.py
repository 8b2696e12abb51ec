"""Access helpers for staff views: which organisations a user may see, and the view guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from gongkai.orgs import rules
from gongkai.orgs.models import Organisation, OrganisationQuerySet

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Anonymous → login page; logged in without any membership → 403 (Chinese page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.is_staff_user(request.user):
            raise PermissionDenied("您没有工作人员权限。")
        return view(request, *args, **kwargs)

    return wrapper


def organisations_for(user: AnyUser) -> OrganisationQuerySet:
    """Organisations whose staff pages the user may open: every organisation of a government
    where the user is office admin, plus the organisations the user is a member of."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    govs = rules.office_governments(user)
    own = rules.member_organisation_ids(user)
    return Organisation.objects.filter(Q(government_id__in=govs) | Q(pk__in=own))


def office_governments_for(user: AnyUser) -> OrganisationQuerySet:
    """The governments whose 公开办 work the user may do: every tenant for a superuser, else
    those where the user is office admin."""
    governments = Organisation.objects.governments().order_by("order", "id")
    if getattr(user, "is_superuser", False):
        return governments
    return governments.filter(pk__in=rules.office_governments(user))


def acting_government(request: HttpRequest, chosen: str | int | None = None) -> Organisation:
    """The government an openness-office page works for: the one chosen (``?gov=`` or a form
    field) when the user is office admin there, else the site's government when the user is
    office admin there, else the first government the user is office admin of. A user who is
    office admin of no government gets the 403 page — the one answer every office-only page
    gives."""
    allowed = office_governments_for(request.user)
    chosen = chosen if chosen is not None else request.GET.get("gov") or request.POST.get("gov")
    candidates: list[int] = []
    if chosen and str(chosen).isdigit():
        candidates.append(int(chosen))
    site = getattr(request, "government_id", None)
    if site:
        candidates.append(site)
    for pk in candidates:
        found = allowed.filter(pk=pk).first()
        if found is not None:
            return found
    first = allowed.first()
    if first is None:
        raise PermissionDenied("只有政务公开办公室可以使用此功能。")
    return first
