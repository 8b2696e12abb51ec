"""Which participation rows a staff user may see (the staff-side read gate). The same 404 for
"missing" and "not allowed": views fetch through these QuerySets."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.orgs.access import organisations_for
from gongkai.orgs.models import Organisation, OrganisationQuerySet
from gongkai.participation.models import (
    Complaint,
    ConcernResponse,
    Consultation,
    Decision,
    DecisionCatalogue,
    Enquiry,
    Hearing,
    Message,
    OpenDay,
    Proposal,
)


def _orgs(user) -> OrganisationQuerySet:
    return organisations_for(user)


def governments_for(user) -> QuerySet[Organisation]:
    """The tenant governments whose participation pages the user works in."""
    return Organisation.objects.filter(pk__in=_orgs(user).values("government_id")).order_by(
        "order", "id"
    )


def consultations_for(user) -> QuerySet[Consultation]:
    return Consultation.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def catalogues_for(user) -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(government__in=governments_for(user)).select_related(
        "government"
    )


def decisions_for(user) -> QuerySet[Decision]:
    return Decision.objects.filter(catalogue__government__in=governments_for(user)).select_related(
        "organisation", "catalogue"
    )


def hearings_for(user) -> QuerySet[Hearing]:
    return Hearing.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def open_days_for(user) -> QuerySet[OpenDay]:
    return OpenDay.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def enquiries_for(user) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def messages_for(user) -> QuerySet[Message]:
    """Messages routed to the user's organisations, and every message of a government whose
    office the user runs (the office routes them)."""
    from django.db.models import Q

    from gongkai.orgs import rules as org_rules

    return Message.objects.filter(
        Q(organisation__in=_orgs(user)) | Q(government_id__in=org_rules.office_governments(user))
    ).select_related("organisation", "government")


def proposals_for(user) -> QuerySet[Proposal]:
    return Proposal.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def concerns_for(user) -> QuerySet[ConcernResponse]:
    return ConcernResponse.objects.filter(organisation__in=_orgs(user)).select_related(
        "organisation"
    )


def complaints_for(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(organisation__in=_orgs(user)).select_related("organisation")


def manageable_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may act for (the choices of an organisation field)."""
    from gongkai.orgs import rules as org_rules

    ids = [org.pk for org in _orgs(user).active() if org_rules.can_manage_org(user, org)]
    return Organisation.objects.filter(pk__in=ids).order_by("government_id", "order", "id")
