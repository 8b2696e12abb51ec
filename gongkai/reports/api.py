"""Public JSON API of the annual reports: the published reports and their tables, read through
reports.visibility (reports not published, or of another site, answer 404)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema

from gongkai.orgs.sites import default_government, government_by_slug
from gongkai.reports.visibility import get_public_report, public_reports, published_version

router = Router(tags=["政府信息公开工作年度报告"])


class ErrorOut(Schema):
    detail: str


class ReportOut(Schema):
    id: int
    organisation_id: int
    org: str
    year: int
    scope: str
    title: str
    published_at: dt.datetime
    record_id: int | None


class ReportDetailOut(ReportOut):
    table2: dict
    table3: dict
    table4: dict
    sections: dict


class ReportFilters(Schema):
    gov: str | None = None
    year: int | None = None


def _government(gov):
    government = government_by_slug(gov) if gov else default_government()
    if government is None:
        raise Http404("未找到该政府站点")
    return government


def _out(report) -> dict:
    return {
        "id": report.pk,
        "organisation_id": report.organisation_id,
        "org": report.organisation.name,
        "year": report.year,
        "scope": report.scope,
        "title": report.title,
        "published_at": report.published_at,
        "record_id": report.record_id,
    }


@router.get(
    "/annual/",
    response={200: list[ReportOut], 404: ErrorOut, 422: ErrorOut},
    summary="已发布的年度报告",
)
def list_reports(request, filters: Query[ReportFilters]):
    qs = public_reports(_government(filters.gov)).order_by("-year", "organisation_id")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return [_out(r) for r in qs[:500]]


@router.get(
    "/annual/{report_id}/",
    response={200: ReportDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="年度报告的表格和正文（已发布版本）",
)
def get_report(request, report_id: int, gov: str | None = None):
    report = get_public_report(_government(gov), report_id)
    version = published_version(report)
    return {
        **_out(report),
        **{k: version.tables.get(k, {}) for k in ("table2", "table3", "table4")},
        "sections": version.sections,
    }
