"""Access helpers for staff views: which organisations a user may see, and the view guard."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from gongkai.orgs import rules
from gongkai.orgs.models import Organisation


def staff_required(view):
    """Anonymous → login page; logged in without any membership → 403 (Chinese page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.is_staff_user(request.user):
            raise PermissionDenied("您没有工作人员权限。")
        return view(request, *args, **kwargs)

    return wrapper


def organisations_for(user) -> QuerySet[Organisation]:
    """Organisations whose staff pages the user may open: every organisation of a government
    where the user is office admin, plus the organisations the user is a member of."""
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    govs = rules.office_governments(user)
    own = rules.member_organisation_ids(user)
    return Organisation.objects.filter(Q(government_id__in=govs) | Q(pk__in=own))
