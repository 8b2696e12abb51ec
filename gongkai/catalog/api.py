"""Public JSON API of the disclosure catalogue. Every endpoint reads through
catalog.visibility; records of other sites and non-public records answer 404."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from gongkai.catalog.indexing import search_records
from gongkai.catalog.models import Genre, Topic, Validity
from gongkai.catalog.visibility import (
    get_public_record,
    public_attachments,
    public_interpretations,
    public_records,
)
from gongkai.orgs.sites import government_or_404

router = Router(tags=["政府信息公开"])


class ErrorOut(Schema):
    detail: str


class RecordOut(Schema):
    id: int
    index_no: str
    title: str
    doc_no: str
    publisher_id: int
    publisher: str
    written_on: dt.date | None
    published_at: dt.datetime
    topic: str
    genre: str
    validity: str
    url: str


class AttachmentOut(Schema):
    id: int
    name: str
    url: str


class RecordDetailOut(RecordOut):
    keywords: str
    summary: str
    body: str
    superseded_by_id: int | None
    attachments: list[AttachmentOut]
    interpretation_ids: list[int]


class RecordPage(Schema):
    count: int
    capped: bool
    page: int
    results: list[RecordOut]


class InterpretationOut(Schema):
    id: int
    title: str
    kind: str
    policy_id: int
    published_at: dt.datetime
    body: str
    video_url: str


class RecordFilters(Schema):
    gov: str | None = None
    org: int | None = None
    genre: Genre | None = None
    topic: Topic | None = None
    validity: Validity | None = None
    year: int | None = None
    page: int = 1


def _out(r) -> dict:
    return {
        "id": r.pk,
        "index_no": r.index_no,
        "title": r.title,
        "doc_no": r.doc_no,
        "publisher_id": r.publisher_id,
        "publisher": r.publisher.name,
        "written_on": r.written_on,
        "published_at": r.published_at,
        "topic": r.topic,
        "genre": r.genre,
        "validity": r.validity,
        "url": f"/disclosure/records/{r.pk}/",
    }


PER_PAGE = 20


@router.get(
    "/records/",
    response={200: RecordPage, 404: ErrorOut, 422: ErrorOut},
    summary="主动公开的政府信息列表",
)
def list_records(request, filters: Query[RecordFilters]):
    government = government_or_404(filters.gov)
    qs = public_records(government).select_related("publisher").order_by("-published_at", "-id")
    if filters.org:
        qs = qs.filter(publisher_id=filters.org)
    for name in ("genre", "topic", "validity"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.year:
        qs = qs.filter(published_at__year=filters.year)
    page = max(1, min(filters.page, 500))
    rows = list(qs[(page - 1) * PER_PAGE : page * PER_PAGE])
    count = qs[:10_001].count()
    return {
        "count": min(count, 10_000),
        "capped": count > 10_000,
        "page": page,
        "results": [_out(r) for r in rows],
    }


@router.get(
    "/records/{record_id}/", response={200: RecordDetailOut, 404: ErrorOut}, summary="一条政府信息"
)
def get_record(request, record_id: int, gov: str | None = None):
    government = government_or_404(gov)
    r = get_public_record(government, record_id)
    attachments = public_attachments(government).filter(record=r)
    interps = public_interpretations(government).filter(policy=r).values_list("pk", flat=True)
    return {
        **_out(r),
        "keywords": r.keywords,
        "summary": r.summary,
        "body": r.body,
        "superseded_by_id": r.superseded_by_id
        if r.superseded_by_id and public_records(government).filter(pk=r.superseded_by_id).exists()
        else None,
        "attachments": [
            {"id": a.pk, "name": a.name, "url": f"/disclosure/records/{r.pk}/files/{a.pk}/"}
            for a in attachments
        ],
        "interpretation_ids": list(interps),
    }


@router.get(
    "/interpretations/",
    response={200: list[InterpretationOut], 404: ErrorOut},
    summary="政策解读列表",
)
def list_interpretations(request, gov: str | None = None, page: int = 1):
    government = government_or_404(gov)
    page = max(1, min(page, 500))
    qs = public_interpretations(government).order_by("-published_at", "-id")
    return list(
        qs[(page - 1) * PER_PAGE : page * PER_PAGE].values(
            "id", "title", "kind", "policy_id", "published_at", "body", "video_url"
        )
    )


class SearchOut(Schema):
    query: str
    count: int
    capped: bool
    page: int
    error: str
    results: list[RecordOut]


@router.get("/search/", response={200: SearchOut, 404: ErrorOut, 422: ErrorOut}, summary="全文检索")
def search(
    request,
    q: str,
    gov: str | None = None,
    sort: str = "relevance",
    genre: Genre | None = None,
    page: int = 1,
):
    government = government_or_404(gov)
    filters = {"genre": genre} if genre else {}
    result, rows = search_records(
        government,
        q,
        filters=filters,
        sort="date" if sort == "date" else "relevance",
        page=max(1, min(page, 500)),
    )
    return {
        "query": q,
        "count": result.total,
        "capped": result.capped,
        "page": result.page,
        "error": result.error,
        "results": [_out(r) for r in rows],
    }
