"""Public pages of the annual reports (政府信息公开工作年度报告), read through
gongkai.reports.visibility."""

from __future__ import annotations

from itertools import groupby

from django.shortcuts import render

from gongkai.reports import exports
from gongkai.reports.visibility import get_public_report, public_reports, published_version


def annual_reports(request):
    reports = list(
        public_reports(request.government).order_by(
            "-year", "-scope", "organisation__order", "organisation_id"
        )
    )
    years = [(year, list(items)) for year, items in groupby(reports, key=lambda r: r.year)]
    return render(request, "portal/reports/list.html", {"nav": "reports", "years": years})


def annual_report(request, pk: int):
    report = get_public_report(request.government, pk)
    version = published_version(report)
    document = exports.document_for(report.organisation, report.year, report.scope, version=version)
    return render(
        request,
        "portal/reports/detail.html",
        {
            "nav": "reports",
            "report": report,
            "body": exports.to_html(document),
        },
    )
