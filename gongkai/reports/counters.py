"""The ONLY place that counts for the annual report and the statistics dashboards.

One aggregate query per table block, never a Python loop over requests. A `Target` is what a
report covers: one organisation, or a whole government (the summary across its organisations).

Counting rules (RULES.md §2; issue 7):
- table 三: a request is counted by its legal receipt date (`received_on`) as 新收 in that year;
  it counts once, in the year its final outcome was given (`finished_on`), in the row of that
  outcome and sub-reason (区分处理 is recorded by foi as 部分公开; a withdrawal as 其他处理-3);
  上年结转 = received before the year and not finished before it; 结转下年度 = received by the
  year end and not finished by it. Requests with no legal receipt date (never received) and
  条例第41条 record-correction requests are not 政府信息公开申请 and are not counted.
- table 四: a case counts in the year its result is given, by that result, and as 尚未审结 at
  each earlier year end (from the year it was filed).
- table 二 (一): 规章 / 行政规范性文件 issued (成文日期, else the publication date) in the year;
  repealed or expired in the year; in force (incl. amended) at the year end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DateField, F, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractMonth, TruncDate

from gongkai.reports import layout


@dataclass(frozen=True)
class Target:
    """What a report covers: `organisation_id` set → that organisation; else the whole
    government `government_id` (the summary)."""

    government_id: int
    organisation_id: int | None = None
    region: bool = False  # a summary: 全域汇总 (True) or 本级 (False, the default)

    @classmethod
    def of(cls, organisation) -> Target:
        return cls(organisation.government_id or organisation.pk, organisation.pk)

    @classmethod
    def summary(cls, government, *, region: bool = False) -> Target:
        return cls(government.government_id or government.pk, None, region)

    @property
    def is_summary(self) -> bool:
        return self.organisation_id is None

    def q(self, org_field: str, gov_field: str) -> Q:
        if self.organisation_id is not None:
            return Q(**{org_field: self.organisation_id})
        if self.region:
            return Q(**{gov_field: self.government_id})
        return Q(**{f"{org_field}__in": own_level_ids(self.government_id)})


def own_level_ids(government_id: int) -> list[int]:
    """本级: the government and the organisations under it that are not under a subordinate
    government (a county government, a township) — those publish their own reports."""
    from gongkai.orgs.models import GOVERNMENT_KINDS, Organisation, OrgKind

    rows = Organisation.objects.filter(government_id=government_id).values_list(
        "pk", "parent_id", "kind"
    )
    parent = {pk: p for pk, p, _ in rows}
    kind = {pk: k for pk, _, k in rows}
    other_governments = (*GOVERNMENT_KINDS, OrgKind.TOWNSHIP)
    own = []
    for pk in parent:
        node: int | None = pk
        inside = True
        while node is not None and node != government_id:
            if kind.get(node) in other_governments:
                inside = False
                break
            node = parent.get(node)
        if inside:
            own.append(pk)
    return sorted(own)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- Table 三 ----------------------------------------------------------------------------------


def _table3_counts(start: dt.date, end: dt.date) -> dict[str, Count]:
    finished_in_year = Q(finished_on__gte=start, finished_on__lte=end)
    counts = {
        "new": Count("id", filter=Q(received_on__gte=start)),
        "carried_over": Count("id", filter=Q(received_on__lt=start)),
        "carried_forward": Count("id", filter=Q(finished_on__isnull=True) | Q(finished_on__gt=end)),
    }
    for row in layout.OUTCOME_ROWS:
        cond = finished_in_year & Q(outcome=row.outcome)
        if row.reason:
            cond &= Q(outcome_reason=row.reason)
        counts[row.key] = Count("id", filter=cond)
    return counts


def table3_queryset(target: Target, year: int):
    """The one aggregate query of table 三: a row per requester kind with every cell as a
    conditional count. Exposed for the benchmark and the query-count tests."""
    from gongkai.foi.models import InfoRequest, RequestKind

    start, end = year_bounds(year)
    return (
        InfoRequest.objects.filter(
            target.q("organisation_id", "government_id"),
            kind=RequestKind.DISCLOSURE,
            received_on__isnull=False,
            received_on__lte=end,
        )
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=start))
        .order_by()
        .values("requester__kind")
        .annotate(**_table3_counts(start, end))
    )


def table3(target: Target, year: int) -> dict[str, dict[str, int]]:
    cells: dict[str, dict[str, int]] = {row: {} for row in layout.TABLE3_ROW_KEYS}
    for group in table3_queryset(target, year):
        kind = group.pop("requester__kind")
        if kind not in layout.REQUESTER_COLUMNS:
            kind = "other_org"
        for row, n in group.items():
            cells[row][kind] = cells[row].get(kind, 0) + n
    return layout.complete_table3(cells)


# --- Table 四 ----------------------------------------------------------------------------------


def table4(target: Target, year: int) -> dict[str, dict[str, int]]:
    from gongkai.foi.models import ReviewCase

    start, end = year_bounds(year)
    decided_in_year = Q(decided_on__gte=start, decided_on__lte=end)
    rows = (
        ReviewCase.objects.filter(target.q("organisation_id", "government_id"), filed_on__lte=end)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .order_by()
        .values("kind")
        .annotate(
            upheld=Count("id", filter=decided_in_year & Q(result="upheld")),
            corrected=Count("id", filter=decided_in_year & Q(result="corrected")),
            other=Count("id", filter=decided_in_year & Q(result="other")),
            pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
        )
    )
    return layout.complete_table4(
        {
            row["kind"]: {
                "upheld": row["upheld"],
                "corrected": row["corrected"],
                "other": row["other"],
                "pending": row["pending"],
            }
            for row in rows
        }
    )


# --- Table 二 ----------------------------------------------------------------------------------

ENDED = ("repealed", "expired")


def library(target: Target, year: int) -> dict[str, dict[str, int]]:
    """第二十条第（一）项: rules and normative documents, one aggregate query."""
    from gongkai.catalog.models import Record, Status

    start, end = year_bounds(year)
    issued_on = Coalesce("written_on", TruncDate("published_at"), output_field=DateField())
    ended_on = Case(
        When(validity__in=ENDED, then=Coalesce("validity_changed_on", "expires_on", issued_on)),
        When(expires_on__isnull=False, then=F("expires_on")),
        default=None,
        output_field=DateField(),
    )
    qs = Record.objects.filter(
        target.q("publisher_id", "government_id"),
        genre__in=[key for key, _ in layout.LIBRARY_KEYS],
        status=Status.PUBLISHED,
    ).annotate(issued_on=issued_on, ended_on=ended_on)
    aggregates = {}
    for genre, _ in layout.LIBRARY_KEYS:
        g = Q(genre=genre)
        aggregates[f"{genre}__issued"] = Count(
            "id", filter=g & Q(issued_on__gte=start, issued_on__lte=end)
        )
        aggregates[f"{genre}__repealed"] = Count(
            "id", filter=g & Q(ended_on__gte=start, ended_on__lte=end)
        )
        aggregates[f"{genre}__in_force"] = Count(
            "id",
            filter=g & Q(issued_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gt=end)),
        )
    result = qs.aggregate(**aggregates)
    table: dict[str, dict[str, int]] = {}
    for name, n in result.items():
        genre, measure = name.split("__")
        table.setdefault(genre, {})[measure] = int(n or 0)
    return table


def entered_figures(target: Target, year: int) -> dict[str, dict]:
    """The figures entered from other systems: {key: {"value", "sources", "organisations"}}.
    A summary adds up its organisations' figures. One aggregate query."""
    from gongkai.reports.models import ProactiveFigure

    rows = (
        ProactiveFigure.objects.filter(
            target.q("organisation_id", "organisation__government_id"), year=year
        )
        .order_by()
        .values("key")
        .annotate(total=Sum("value"), n=Count("id"))
    )
    return {row["key"]: {"value": row["total"], "organisations": row["n"]} for row in rows}


def table2(target: Target, year: int) -> dict:
    table = layout.empty_table2()
    table.update(library(target, year))
    for key, figure in entered_figures(target, year).items():
        table[key] = layout.figure_value(key, figure["value"])
    return table


def all_tables(target: Target, year: int) -> dict:
    return {
        "table2": table2(target, year),
        "table3": table3(target, year),
        "table4": table4(target, year),
    }


# --- Facts for drafting the text sections -------------------------------------------------------


def proactive_facts(target: Target, year: int) -> dict[str, int]:
    """Records and interpretations published in the year (one query each)."""
    from gongkai.catalog.models import (
        POLICY_GENRES,
        Interpretation,
        InterpretationStatus,
        Record,
        Status,
    )

    start, end = year_bounds(year)
    records = Record.objects.filter(
        target.q("publisher_id", "government_id"),
        status=Status.PUBLISHED,
        published_at__date__gte=start,
        published_at__date__lte=end,
    ).aggregate(
        records=Count("id"),
        policies=Count("id", filter=Q(genre__in=POLICY_GENRES)),
    )
    interpretations = Interpretation.objects.filter(
        target.q("policy__publisher_id", "policy__government_id"),
        status=InterpretationStatus.PUBLISHED,
        published_at__date__gte=start,
        published_at__date__lte=end,
    ).count()
    return {**records, "interpretations": interpretations}


def participation_facts(target: Target, year: int) -> dict[str, int]:
    """Consultations opened in the year and the comments they received."""
    from gongkai.participation.models import Consultation

    start, end = year_bounds(year)
    return Consultation.objects.filter(
        target.q("organisation_id", "organisation__government_id"),
        published_at__isnull=False,
        opens_on__gte=start,
        opens_on__lte=end,
    ).aggregate(consultations=Count("id", distinct=True), comments=Count("comments"))


def fee_facts(target: Target, year: int) -> Decimal:
    """信息处理费 collected in the year (foi.Fee paid_on), in 元."""
    from gongkai.foi.models import Fee

    start, end = year_bounds(year)
    total = Fee.objects.filter(
        target.q("request__organisation_id", "request__government_id"),
        paid_on__gte=start,
        paid_on__lte=end,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def plan_facts(target: Target, year: int) -> dict[str, int]:
    """The year's work-plan results: the organisation's task assignments (任务分工) in the plans
    of that year, and how many are completed (plans.Assignment(organisation,
    completed_on, task → plan(year, government))."""
    from gongkai.plans.models import Assignment

    return Assignment.objects.filter(
        target.q("organisation_id", "task__plan__government_id"), task__plan__year=year
    ).aggregate(
        tasks=Count("id"),
        done=Count("id", filter=Q(completed_on__isnull=False)),
    )


# --- Statistics for the dashboards ---------------------------------------------------------------


def requests_by_month(target: Target, year: int) -> list[int]:
    """New requests per month (by legal receipt date)."""
    from gongkai.foi.models import InfoRequest, RequestKind

    start, end = year_bounds(year)
    rows = (
        InfoRequest.objects.filter(
            target.q("organisation_id", "government_id"),
            kind=RequestKind.DISCLOSURE,
            received_on__gte=start,
            received_on__lte=end,
        )
        .order_by()
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("id"))
    )
    months = [0] * 12
    for row in rows:
        months[row["month"] - 1] = row["n"]
    return months


def handling_days(target: Target, year: int) -> dict:
    """Average and worst handling time, in working days (core.calendar), of the requests finished
    in the year. One query groups requests by (receipt, finish) date pair; the working days are
    computed once per distinct pair, never per request."""
    from gongkai.core.calendar import workdays_between
    from gongkai.foi.models import InfoRequest, RequestKind

    start, end = year_bounds(year)
    pairs = (
        InfoRequest.objects.filter(
            target.q("organisation_id", "government_id"),
            kind=RequestKind.DISCLOSURE,
            received_on__isnull=False,
            finished_on__gte=start,
            finished_on__lte=end,
        )
        .order_by()
        .values_list("received_on", "finished_on")
        .annotate(n=Count("id"))
    )
    histogram: Counter[int] = Counter()
    for received, finished, n in pairs:
        histogram[max(workdays_between(received, finished), 0)] += n
    count = sum(histogram.values())
    if not count:
        return {"count": 0, "average": None, "worst": None, "histogram": {}}
    total = sum(days * n for days, n in histogram.items())
    return {
        "count": count,
        "average": round(total / count, 1),
        "worst": max(histogram),
        "histogram": dict(sorted(histogram.items())),
    }


def records_by_column_and_month(target: Target, year: int) -> dict[str, list[int]]:
    """Records published per column (栏目) and month."""
    from gongkai.catalog.models import Record, Status

    start, end = year_bounds(year)
    rows = (
        Record.objects.filter(
            target.q("publisher_id", "government_id"),
            status=Status.PUBLISHED,
            published_at__date__gte=start,
            published_at__date__lte=end,
        )
        .order_by()
        .annotate(month=ExtractMonth("published_at"))
        .values("column__name", "month")
        .annotate(n=Count("id"))
    )
    result: dict[str, list[int]] = {}
    for row in rows:
        name = row["column__name"] or "未分栏目"
        result.setdefault(name, [0] * 12)[row["month"] - 1] += row["n"]
    return dict(sorted(result.items()))


def requests_by_organisation(government, year: int) -> list[Mapping[str, Any]]:
    """New and finished requests per organisation of a government (the office's overview)."""
    from gongkai.foi.models import InfoRequest, RequestKind

    start, end = year_bounds(year)
    rows = (
        InfoRequest.objects.filter(
            government_id=government.pk, kind=RequestKind.DISCLOSURE, received_on__isnull=False
        )
        .order_by()
        .values("organisation_id", "organisation__name")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            finished=Count("id", filter=Q(finished_on__gte=start, finished_on__lte=end)),
            open=Count("id", filter=Q(finished_on__isnull=True)),
        )
    )
    return sorted(
        (r for r in rows if r["new"] or r["finished"] or r["open"]),
        key=lambda r: (-r["new"], r["organisation__name"]),
    )
