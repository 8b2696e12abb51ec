"""The ONE public gate of annual reports: a report reaches a public page or the API only through
`public_reports()` — published at least once (the public sees the published version, also while
a revision is being drafted)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from gongkai.reports.models import AnnualReport, ReportVersion


def public_reports(government=None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.filter(published_version__isnull=False, published_at__isnull=False)
    if government is not None:
        qs = qs.filter(organisation__government=government)
    return qs.select_related("organisation")


def get_public_report(government, pk) -> AnnualReport:
    try:
        return public_reports(government).get(pk=pk)
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该年度报告") from None


def published_version(report: AnnualReport) -> ReportVersion:
    if report.published_version is None:
        raise ReportVersion.DoesNotExist("the report is not published")
    return report.versions.get(number=report.published_version)
