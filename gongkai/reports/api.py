"""Public JSON API of the annual reports: the published reports and their tables, read through
reports.visibility (reports not published, or of another site, answer 404)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from gongkai.orgs.sites import government_or_404
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
    qs = public_reports(government_or_404(filters.gov)).order_by("-year", "organisation_id")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return [_out(r) for r in qs[:500]]


@router.get(
    "/annual/{report_id}/",
    response={200: ReportDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="年度报告的表格和正文（已发布版本）",
)
def get_report(request, report_id: int, gov: str | None = None):
    report = get_public_report(government_or_404(gov), report_id)
    version = published_version(report)
    return {
        **_out(report),
        **{k: version.tables.get(k, {}) for k in ("table2", "table3", "table4")},
        "sections": version.sections,
    }
