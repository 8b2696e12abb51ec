"""Issue 15 points 12 and 13: table 四 counts reviews and lawsuits about inaction and cases not
tied to one request (条例第50条(三), 第51条); the summary's scope is 本级 by default or 全域汇总,
and the report states which (国办公开办函〔2021〕30号, each county publishes its own report)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.foi import actions
from gongkai.foi.models import ReviewKind
from gongkai.orgs.models import OrgKind
from gongkai.reports import checks, compiler, counters, layout
from gongkai.testing.factories import OrganisationFactory

from .conftest import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(government):
    """A county government of the city's tree, with a department and a township under it."""
    county = OrganisationFactory(
        name="滕州市人民政府", kind=OrgKind.COUNTY_GOVERNMENT, parent=government
    )
    dept = OrganisationFactory(name="滕州市教育局", parent=county)
    town = OrganisationFactory(name="某镇人民政府", kind=OrgKind.TOWNSHIP, parent=county)
    return county, dept, town


def test_summary_is_own_level_by_default_and_region_on_request(government, dept_a, county):
    # 本级 (default): the government and its own departments; 全域汇总 adds the counties.
    c, c_dept, town = county
    for org in (dept_a, government, c, c_dept, town):
        make_request(org, received="2025-03-03")
    own = counters.table3(counters.Target.summary(government), 2025)
    region = counters.table3(counters.Target.summary(government, region=True), 2025)
    assert own["new"]["total"] == 2 and region["new"]["total"] == 5
    assert compiler.compile_tables(government, 2025, "summary")["table3"] == own
    assert compiler.compile_tables(government, 2025, "region")["table3"] == region
    # The report says which.
    text = compiler.draft_sections(
        government,
        2025,
        "summary",
        {"table2": layout.empty_table2(), "table3": own, "table4": layout.empty_table4()},
    )
    assert "本级汇总" in text["overview"] and "不含所辖县" in text["overview"]
    text = compiler.draft_sections(
        government,
        2025,
        "region",
        {"table2": layout.empty_table2(), "table3": region, "table4": layout.empty_table4()},
    )
    assert "全域汇总" in text["overview"]


def test_table4_counts_inaction_and_cases_not_tied_to_a_request(dept_a, office, officer_a):
    # 条例第51条: a review or lawsuit about inaction (不作为), or not tied to one registered
    # request, is recorded and counted in table 四.
    actions.add_case(
        officer_a,
        dept_a,
        kind=ReviewKind.REVIEW,
        filed_on=dt.date(2025, 5, 6),
        subject="逾期未答复政府信息公开申请（申请未在平台登记）",
        inaction=True,
    )
    actions.add_case(
        office,
        dept_a,
        kind=ReviewKind.LITIGATION_DIRECT,
        filed_on=dt.date(2025, 6, 6),
        subject="要求公开本机关政府信息公开指南",
    )
    table = counters.table4(counters.Target.of(dept_a), 2025)
    assert table["review"]["pending"] == 1 and table["review"]["total"] == 1
    assert table["litigation_direct"]["total"] == 1
    with pytest.raises(actions.ActionError, match="案由"):
        actions.add_case(
            officer_a, dept_a, kind=ReviewKind.REVIEW, filed_on=dt.date(2025, 5, 6), subject=" "
        )


def test_a_table4_whose_totals_do_not_add_up_is_a_blocking_check():
    table = layout.empty_table4()
    table["review"].update(upheld=2, pending=1, total=2)
    found = checks.table4_checks(table)
    assert [c.code for c in found] == ["identity:table4:review"]
    assert found[0].blocking and "总计为 2" in found[0].message


def test_api_records_a_case_not_tied_to_a_request(dept_a, officer_a, login):
    client = login(officer_a)
    response = client.post(
        "/api/foi/cases",
        {
            "organisation_id": dept_a.pk,
            "kind": "review",
            "filed_on": "2025-05-06",
            "subject": "逾期未答复",
            "inaction": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["inaction"] is True
    bad = client.post(
        "/api/foi/cases",
        {"organisation_id": dept_a.pk, "kind": "x", "filed_on": "2025-05-06", "subject": "a"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "类型" in bad.json()["detail"]


def test_the_office_drafts_the_region_summary_from_the_board(government, county, office, login):
    # 全域汇总 is offered on the board where the government has counties, and its pages keep
    # the scope through drafting, the editor and the export links.
    from django.urls import reverse

    from gongkai.reports.models import AnnualReport

    c = login(office)
    board = c.get(reverse("reports_staff:home") + "?year=2025").content.decode()
    editor = reverse("reports_staff:report", args=[government.pk, 2025])
    assert "济宁市人民政府（本级汇总）" in board and "济宁市人民政府（全域汇总）" in board
    assert f'href="{editor}?scope=region"' in board
    response = c.post(
        reverse("reports_staff:action", args=[government.pk, 2025, "draft"]), {"scope": "region"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?scope=region")
    report = AnnualReport.objects.get(organisation=government, year=2025)
    assert report.scope == "region"
    page = c.get(response["Location"]).content.decode()
    assert "年度报告（全域汇总）" in page and "?scope=region" in page


def test_an_officer_records_and_decides_a_case_on_the_cases_page(dept_a, dept_b, officer_a, login):
    # 条例第51条: a case about inaction on an application never registered here is recorded on
    # the page, counted in table 四, and decided later; another department's case is not offered.
    from django.urls import reverse

    from gongkai.foi.models import ReviewCase

    c = login(officer_a)
    page = c.get(reverse("reports_staff:cases"))
    assert page.status_code == 200
    html = page.content.decode()
    assert dept_a.name in html and dept_b.name not in html
    bad = c.post(
        reverse("reports_staff:cases"),
        {"case-organisation": dept_a.pk, "case-kind": "review", "case-filed_on": "2025-13-40"},
    )
    assert bad.status_code == 400 and not ReviewCase.objects.exists()
    data = {
        "case-organisation": dept_a.pk,
        "case-kind": "review",
        "case-filed_on": "2025-06-02",
        "case-subject": "逾期未答复政府信息公开申请",
        "case-inaction": "on",
    }
    assert c.post(reverse("reports_staff:cases"), data).status_code == 302
    case = ReviewCase.objects.get()
    assert case.request is None and case.inaction and case.organisation == dept_a
    table4 = counters.table4(counters.Target.of(dept_a), 2025)
    assert table4["review"]["pending"] == 1
    decided = {"case": case.pk, "result": "corrected", "decided_on": "2025-08-01"}
    assert c.post(reverse("reports_staff:cases"), decided).status_code == 302
    case.refresh_from_db()
    assert case.result == "corrected"
    assert counters.table4(counters.Target.of(dept_a), 2025)["review"]["corrected"] == 1
    other = c.post(
        reverse("reports_staff:cases"),
        {
            "case-organisation": dept_b.pk,
            "case-kind": "review",
            "case-filed_on": "2025-06-02",
            "case-subject": "x",
        },
    )
    assert other.status_code == 400 and ReviewCase.objects.count() == 1
