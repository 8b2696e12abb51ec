"""Named queries of the catalogue (staff lists, the library counts, the overdue list)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.catalog.models import (
    LIBRARY_GENRES,
    Attribute,
    Genre,
    InterpretationPlan,
    InterpretationStatus,
    Record,
    Status,
    Validity,
    ValidityChange,
)


def library_in_force(government) -> QuerySet[Record]:
    """Published rules and normative documents in force (the clean-up's subject)."""
    return (
        Record.objects.filter(
            government=government,
            genre__in=(Genre.RULE, Genre.NORMATIVE),
            status=Status.PUBLISHED,
            validity=Validity.IN_FORCE,
        )
        .select_related("publisher")
        .order_by("published_at", "id")
    )


def library_counts(government, year: int) -> dict[str, dict[str, int]]:
    """Per genre (rule, normative): issued this year, repealed this year, in force at year end
    (the 第二十条第（一）项 block of the annual report). One aggregate query each."""
    issued = dict(
        Record.objects.filter(
            government=government,
            genre__in=(Genre.RULE, Genre.NORMATIVE),
            status__in=(Status.PUBLISHED, Status.WITHDRAWN),
            published_at__year=year,
        )
        .values_list("genre")
        .annotate(n=Count("id"))
        .values_list("genre", "n")
    )
    repealed = dict(
        ValidityChange.objects.filter(
            record__government=government,
            record__genre__in=(Genre.RULE, Genre.NORMATIVE),
            validity__in=(Validity.REPEALED, Validity.EXPIRED),
            changed_on__year=year,
        )
        .values_list("record__genre")
        .annotate(n=Count("record", distinct=True))
        .values_list("record__genre", "n")
    )
    year_end = dt.date(year, 12, 31)
    in_force = dict(
        Record.objects.filter(
            government=government,
            genre__in=(Genre.RULE, Genre.NORMATIVE),
            status=Status.PUBLISHED,
            published_at__date__lte=year_end,
        )
        .filter(Q(validity=Validity.IN_FORCE) | Q(validity_changed_on__gt=year_end))
        .values_list("genre")
        .annotate(n=Count("id"))
        .values_list("genre", "n")
    )
    return {
        genre: {
            "issued": issued.get(genre, 0),
            "repealed": repealed.get(genre, 0),
            "in_force": in_force.get(genre, 0),
        }
        for genre in (Genre.RULE, Genre.NORMATIVE)
    }


def overdue(org_ids, today: dt.date | None = None) -> QuerySet[Record]:
    """Proactive records not yet published whose 20-working-day window has passed."""
    today = today or timezone.localdate()
    return (
        Record.objects.filter(
            publisher_id__in=org_ids,
            attribute=Attribute.PROACTIVE,
            status__in=(Status.DRAFT, Status.IN_REVIEW, Status.APPROVED),
            publish_due_on__lt=today,
        )
        .for_list()
        .order_by("publish_due_on", "id")
    )


def interpretations_due(org_ids, today: dt.date | None = None) -> QuerySet[Record]:
    """Published policies promised an interpretation within 3 working days and still without a
    published one (warned; overdue when the due date has passed)."""
    return (
        Record.objects.filter(
            publisher_id__in=org_ids,
            status=Status.PUBLISHED,
            interpretation_plan=InterpretationPlan.LATER,
        )
        .exclude(interpretations__status=InterpretationStatus.PUBLISHED)
        .for_list()
        .order_by("interpretation_due_on", "id")
    )


__all__ = ["LIBRARY_GENRES", "interpretations_due", "library_counts", "library_in_force", "overdue"]
