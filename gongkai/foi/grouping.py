"""依申请转主动 (条例第44条): group similar requests so the office can publish the information
proactively. Similarity is core.text's (the one segmentation; `features` + `cosine` are
`similarity` computed once per text).

Requests already converted are left out. Groups are connected components of the "at least
THRESHOLD alike" graph, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gongkai.core import text

from .models import InfoRequest, RequestKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from gongkai.orgs.models import Organisation

THRESHOLD = 0.5
LIMIT = 500


@dataclass
class Groups:
    items: list[dict[str, Any]] = field(default_factory=list)


def similar_groups(
    queryset: QuerySet[InfoRequest], *, threshold: float = THRESHOLD, limit: int = LIMIT
) -> Groups:
    reqs = list(
        queryset.filter(converted_to_proactive=False, kind=RequestKind.DISCLOSURE)
        .select_related("organisation", "requester")
        .order_by("-arrived_at")[:limit]
    )
    vectors = [text.features(f"{r.description} {r.doc_no}") for r in reqs]
    parent = list(range(len(reqs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(reqs)):
        for j in range(i + 1, len(reqs)):
            if text.cosine(vectors[i], vectors[j]) >= threshold:
                parent[find(i)] = find(j)
    buckets: dict[int, list[InfoRequest]] = {}
    for i, req in enumerate(reqs):
        buckets.setdefault(find(i), []).append(req)
    items: list[dict[str, Any]] = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        orgs: dict[Organisation, int] = {}
        for r in members:
            orgs[r.organisation] = orgs.get(r.organisation, 0) + 1
        requesters = {r.requester.id_number or r.requester.name for r in members}
        items.append(
            {
                "label": members[-1].description[:60],
                "requests": members,
                "ids": ",".join(str(r.pk) for r in members),
                "publisher": max(orgs, key=lambda org: orgs[org]),
                "requesters": len(requesters),
            }
        )
    items.sort(key=lambda g: (-len(g["requests"]), g["label"]))
    return Groups(items=items)
