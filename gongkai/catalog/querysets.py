"""Named queries of the catalogue (staff lists, the library counts, the overdue list, the
column and standard-catalogue trees)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.catalog.models import (
    LIBRARY_GENRES,
    Attribute,
    Column,
    Genre,
    InterpretationPlan,
    InterpretationStatus,
    Record,
    StandardCatalogue,
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


def overdue_q(today: dt.date | None = None) -> Q:
    """A proactive record not yet published whose 20-working-day window has passed."""
    today = today or timezone.localdate()
    return Q(
        attribute=Attribute.PROACTIVE,
        status__in=(Status.DRAFT, Status.IN_REVIEW, Status.APPROVED),
        publish_due_on__lt=today,
    )


def overdue(org_ids, today: dt.date | None = None) -> QuerySet[Record]:
    """Proactive records not yet published whose 20-working-day window has passed."""
    return (
        Record.objects.filter(overdue_q(today), publisher_id__in=org_ids)
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


def flatten_tree(nodes):
    """Nodes (anything with pk and parent_id, already in sibling order) depth first, each
    given `depth` (0 for a root) and `child_count`. A node whose parent is not among the nodes
    counts as a root; a cycle in bad data is cut rather than followed forever."""
    nodes = list(nodes)
    known = {node.pk for node in nodes}
    by_parent: dict = {}
    for node in nodes:
        parent = node.parent_id if node.parent_id in known else None
        by_parent.setdefault(parent, []).append(node)
    flat, seen = [], set()

    def walk(parent_pk, depth):
        for node in by_parent.get(parent_pk, []):
            if node.pk in seen:
                continue
            seen.add(node.pk)
            node.depth = depth
            node.child_count = len(by_parent.get(node.pk, []))
            flat.append(node)
            walk(node.pk, depth + 1)

    walk(None, 0)
    return flat


def column_tree(org, *, counts: bool = False) -> list[Column]:
    """The organisation's columns as a depth-first list (one query; with `record_count` when
    counts is true)."""
    qs = Column.objects.filter(organisation=org).order_by("order", "id")
    if counts:
        qs = qs.annotate(record_count=Count("records"))
    return flatten_tree(qs)


def catalogue_tree(org, *, counts: bool = False) -> list[StandardCatalogue]:
    """The organisation's standard catalogue as a depth-first list (one query; with
    `record_count` when counts is true)."""
    qs = StandardCatalogue.objects.filter(organisation=org).order_by("order", "id")
    if counts:
        qs = qs.annotate(record_count=Count("records"))
    return flatten_tree(qs)


__all__ = [
    "LIBRARY_GENRES",
    "catalogue_tree",
    "column_tree",
    "flatten_tree",
    "interpretations_due",
    "library_counts",
    "library_in_force",
    "overdue",
]
