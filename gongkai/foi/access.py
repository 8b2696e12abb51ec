"""Which requests a staff user may see: the ONE read gate for InfoRequest.

- the openness office (公开办) of a government: every request of that government;
- officers, reviewers and approvers of an organisation: the requests it handles;
- an organisation consulted on a request (会商): that request, without the requester's details.

Requester details (name, ID, contacts, ID proof) are shown only to the handling organisation
and the office (`can_see_requester`). Views and the API look requests up through
`requests_for(user)`, so a request the user may not see is a 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q
from django.http import Http404

from gongkai.orgs import rules as org_rules
from gongkai.orgs.rules import HANDLING_ROLES

from .models import InfoRequest, InfoRequestQuerySet

if TYPE_CHECKING:
    from django.http import HttpRequest

    from gongkai.core.actions import AnyUser
    from gongkai.orgs.middleware import SiteRequest
    from gongkai.orgs.models import Organisation


def _handling_org_ids(user: AnyUser) -> list[int]:
    return [
        org_id
        for org_id, roles in org_rules.roles_by_organisation(user).items()
        if roles & {str(r) for r in HANDLING_ROLES}
    ]


def requests_for(user: AnyUser) -> InfoRequestQuerySet:
    if not getattr(user, "is_authenticated", False):
        return InfoRequest.objects.none()
    if getattr(user, "is_superuser", False):
        return InfoRequest.objects.all()
    govs = org_rules.office_governments(user)
    orgs = _handling_org_ids(user)
    if not govs and not orgs:
        return InfoRequest.objects.none()
    return InfoRequest.objects.filter(
        Q(government_id__in=govs)
        | Q(organisation_id__in=orgs)
        | Q(pk__in=InfoRequest.objects.filter(consultations__organisation_id__in=orgs).values("pk"))
    )


def get_request_for(user: AnyUser, pk: int | str) -> InfoRequest:
    """The request, or Http404 when it does not exist or the user may not see it."""
    try:
        return requests_for(user).select_related("organisation", "requester", "officer").get(pk=pk)
    except (InfoRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该申请。") from exc


def can_see_requester(user: AnyUser, req: InfoRequest) -> bool:
    return org_rules.is_office_admin(user, req.government_id) or org_rules.can_manage_org(
        user, req.organisation
    )


# --- The requester's tracking session ----------------------------------------------------------
# A browser sees a request's public status page only after it passed the check of tracking code
# plus the phone or e-mail given in the application. Nothing else (a known idempotency key, a
# submission) opens it.

TRACKING_SESSION_KEY = "foi_tracked"


def contact_matches(req: InfoRequest, contact: str) -> bool:
    """Whether `contact` is the phone (digits compared) or e-mail (case-insensitive) of the
    request's requester."""
    contact = contact.strip()
    person = req.requester
    digits = "".join(c for c in contact if c.isdigit())
    if person.phone and digits and digits == "".join(c for c in person.phone if c.isdigit()):
        return True
    return bool(person.email and contact.lower() == person.email.lower())


def open_tracking(
    request: HttpRequest, government: Organisation, code: str, contact: str
) -> InfoRequest | None:
    """The check: the request of `government` with this tracking code whose requester gave
    `contact`; on success the browser session may see it from now on. None when they do not
    match (the same answer for an unknown code)."""
    req = (
        InfoRequest.objects.filter(tracking_code=code, government=government)
        .select_related("requester")
        .first()
    )
    if req is None or not contact_matches(req, contact):
        return None
    tracked = set(request.session.get(TRACKING_SESSION_KEY, []))
    tracked.add(req.tracking_code)
    request.session[TRACKING_SESSION_KEY] = sorted(tracked)
    return req


def tracked_request(request: HttpRequest, code: str) -> InfoRequest:
    """The request whose check this browser session passed, or Http404 (the same for a code
    that does not exist and one not checked)."""
    if code not in request.session.get(TRACKING_SESSION_KEY, []):
        raise Http404("未找到该申请。")
    req = (
        InfoRequest.objects.filter(
            tracking_code=code, government=cast("SiteRequest", request).government
        )
        .select_related("organisation", "requester")
        .first()
    )
    if req is None:
        raise Http404("未找到该申请。")
    return req


# Who a reply waits for at each step: 审核 (reviewers and approvers of the handling
# organisation) and 签发 (its approvers); the openness office may do both (orgs.rules).
WAITING_ROLES = {"review": {"reviewer", "approver"}, "sign": {"approver"}}


def waiting_for(user: AnyUser, step: str) -> InfoRequestQuerySet:
    """The requests whose reply waits for user's 审核 (step "review") or 签发 ("sign"): the
    reviewer's and the signer's inbox. Ordered by due date (earliest first)."""
    from .models import OPEN_STATES

    roles = WAITING_ROLES[step]
    orgs = [
        org_id for org_id, held in org_rules.roles_by_organisation(user).items() if held & roles
    ]
    govs = org_rules.office_governments(user)
    if getattr(user, "is_superuser", False):
        scope = Q()
    elif orgs or govs:
        scope = Q(organisation_id__in=orgs) | Q(government_id__in=govs)
    else:
        return InfoRequest.objects.none()
    return InfoRequest.objects.filter(scope, reply__status=step, state__in=OPEN_STATES).order_by(
        "due_on", "id"
    )
