from django.db.models import Count, Q
from django.shortcuts import render

from gongkai.orgs.models import Organisation, OrgKind
from gongkai.orgs.sites import site_government


def home(request):
    gov = site_government(request)
    counts = (
        Organisation.objects.in_government(gov)
        .active()
        .aggregate(
            total=Count("id"),
            departments=Count("id", filter=Q(kind=OrgKind.DEPARTMENT)),
            counties=Count("id", filter=Q(kind=OrgKind.COUNTY_GOVERNMENT)),
        )
    )
    from django.utils import timezone

    from gongkai.catalog.visibility import public_interpretations, public_records
    from gongkai.participation.visibility import public_consultations

    today = timezone.localdate()
    latest = public_records(gov).select_related("publisher").order_by("-published_at", "-id")[:8]
    interpretations = public_interpretations(gov).order_by("-published_at", "-id")[:5]
    consultations = public_consultations(gov).filter(
        opens_on__lte=today, closes_on__gte=today, closed_early_at__isnull=True
    )[:5]
    return render(
        request,
        "portal/home.html",
        {
            "nav": "home",
            "counts": counts,
            "latest": latest,
            "interpretations": interpretations,
            "consultations": consultations,
        },
    )


def organisations(request):
    gov = site_government(request)
    orgs = list(
        Organisation.objects.in_government(gov).active().exclude(pk=gov.pk).order_by("order", "id")
    )
    groups: dict[str, list] = {}
    labels = dict(OrgKind.choices)
    for org in orgs:
        groups.setdefault(labels[org.kind], []).append(org)
    return render(request, "portal/organisations.html", {"nav": "orgs", "groups": groups.items()})
