"""Table 三, 四 and 二 against tables computed by hand (the scenario is in conftest.world)."""

from __future__ import annotations

import pytest

from gongkai.reports import counters, layout
from gongkai.reports.tests.conftest import COLS, make_record, make_request


def expected3(nonzero: dict[str, tuple[int, ...]]) -> dict:
    """A full table 三 from its non-zero rows, each given as the 7 column values."""
    table = layout.empty_table3()
    for row, values in nonzero.items():
        assert len(values) == 7
        table[row] = dict(zip(COLS, values, strict=True))
    return table


def expected4(nonzero: dict[str, tuple[int, ...]]) -> dict:
    table = layout.empty_table4()
    for group, values in nonzero.items():
        table[group] = dict(
            zip(("upheld", "corrected", "other", "pending", "total"), values, strict=True)
        )
    return table


@pytest.mark.django_db
def test_table3_2025_by_hand(world, dept_a):
    got = counters.table3(counters.Target.of(dept_a), 2025)
    # Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
    assert got == expected3(
        {
            "new": (2, 1, 1, 1, 1, 1, 7),  # 3, 9 | 2 | 4 | 5 | 6 | 7
            "carried_over": (1, 0, 0, 0, 0, 0, 1),  # 1 (received 2024-12-20)
            "disclosed": (1, 0, 0, 0, 0, 0, 1),  # 1, answered 2025-01-10
            "partly_disclosed": (0, 0, 1, 0, 0, 0, 1),  # 4: 区分处理
            "not_disclosed_4": (0, 0, 0, 1, 0, 0, 1),
            "cannot_provide_1": (0, 0, 0, 0, 1, 0, 1),
            "not_processed_2": (1, 0, 0, 0, 0, 0, 1),
            "other_1": (0, 1, 0, 0, 0, 0, 1),  # 2: correction lapsed
            "other_3": (1, 0, 0, 0, 0, 0, 1),  # 3: withdrawn
            "outcome_total": (3, 1, 1, 1, 1, 0, 7),
            "carried_forward": (0, 0, 0, 0, 0, 1, 1),  # 7, still open
        }
    )
    assert layout.identity_problems(got) == []


@pytest.mark.django_db
def test_table3_2024_has_the_request_answered_next_year(world, dept_a):
    got = counters.table3(counters.Target.of(dept_a), 2024)
    assert got == expected3(
        {
            "new": (1, 0, 0, 0, 0, 0, 1),
            "carried_forward": (1, 0, 0, 0, 0, 0, 1),
        }
    )
    # ...and last year's 结转下年度 is this year's 上年结转.
    assert (
        got["carried_forward"] == counters.table3(counters.Target.of(dept_a), 2025)["carried_over"]
    )


@pytest.mark.django_db
def test_table3_summary_adds_every_organisation(world, government, dept_a):
    got = counters.table3(counters.Target.summary(government), 2025)
    own = counters.table3(counters.Target.of(dept_a), 2025)
    assert got["new"]["commercial"] == own["new"]["commercial"] + 1  # dept B's request
    assert got["disclosed"]["total"] == 2
    assert got["new"]["total"] == 8
    assert layout.identity_problems(got) == []


@pytest.mark.django_db
def test_table4_by_hand(world, dept_a, government):
    a = counters.Target.of(dept_a)
    assert counters.table4(a, 2025) == expected4(
        {
            # Columns: 维持, 纠正, 其他, 尚未审结, 总计.
            "review": (0, 0, 0, 1, 1),  # decided 2026-03-02: pending at 2025 end
            "litigation_direct": (1, 0, 0, 0, 1),
            "litigation_after_review": (0, 0, 0, 1, 1),
        }
    )
    assert counters.table4(a, 2026) == expected4(
        {
            "review": (0, 1, 0, 0, 1),  # counted in the year decided
            "litigation_after_review": (0, 0, 0, 1, 1),
        }
    )
    assert counters.table4(a, 2023) == expected4({"review": (0, 0, 0, 1, 1)})
    assert counters.table4(a, 2024) == expected4({"review": (0, 0, 1, 0, 1)})
    summary = counters.table4(counters.Target.summary(government), 2025)
    assert summary["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}


@pytest.mark.django_db
def test_table3_is_one_query(world, dept_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        counters.table3(counters.Target.of(dept_a), 2025)
    with django_assert_num_queries(1):
        counters.table4(counters.Target.of(dept_a), 2025)


@pytest.mark.django_db
def test_library_block_by_hand(dept_a, dept_b, django_assert_num_queries):
    make_record(dept_a, "rule", written="2025-03-03", published="2025-03-10")
    make_record(
        dept_a,
        "normative",
        written="2020-01-06",
        published="2020-01-10",
        validity="repealed",
        changed="2025-06-01",
    )
    make_record(
        dept_a,
        "normative",
        written="2024-02-01",
        published="2024-02-05",
        validity="amended",
        changed="2025-02-01",
    )  # amended: still in force
    make_record(
        dept_a, "normative", written="2021-01-04", published="2021-01-05", expires="2025-09-30"
    )  # expired in 2025
    make_record(dept_a, "normative", written="2025-05-05", published=None, status="draft")
    make_record(dept_b, "rule", written="2025-01-06", published="2025-01-08")
    make_record(dept_a, "notice", published="2025-01-08")
    a = counters.Target.of(dept_a)
    with django_assert_num_queries(1):
        got = counters.library(a, 2025)
    assert got == {
        "rule": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative": {"issued": 0, "repealed": 2, "in_force": 1},
    }
    assert counters.library(a, 2024) == {
        "rule": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 1, "repealed": 0, "in_force": 3},
    }


@pytest.mark.django_db
def test_entered_figures_with_sum_for_the_summary(dept_a, dept_b, government, office):
    from decimal import Decimal

    from gongkai.reports import actions

    actions.set_figure(office, dept_a, 2025, "licensing", Decimal("120"), "政务服务平台统计")
    actions.set_figure(office, dept_a, 2025, "fees_wan_yuan", Decimal("1.25"), "财政非税系统")
    actions.set_figure(office, dept_b, 2025, "licensing", Decimal("30"), "政务服务平台统计")
    t2 = counters.table2(counters.Target.of(dept_a), 2025)
    assert t2["licensing"] == 120 and t2["fees_wan_yuan"] == 1.25 and t2["penalty"] is None
    summary = counters.table2(counters.Target.summary(government), 2025)
    assert summary["licensing"] == 150


@pytest.mark.django_db
def test_imported_ledger_then_report(government, dept_a, dept_b, tmp_path, capsys):
    """Past requests imported with `gongkai foi import`, then `gongkai report annual`."""
    import json

    from gongkai.cli import main

    csv = (
        "登记编号,办理机关,收到日期,申请渠道,申请人类型,办结日期,办理结果,理由序号\n"
        "2024-001,市教育局,2024-11-04,网上申请,自然人,2024-11-20,予以公开,\n"
        "2024-002,市教育局,2024-12-23,信函,商业企业,2025-01-08,区分处理,\n"
        "2024-003,市教育局,2024-12-30,当面提交,科研机构,,,\n"
        "2024-004,市教育局,2024-06-03,网上申请,社会公益组织,2024-06-10,无法提供,2\n"
        "2024-005,市财政局,2024-03-04,网上申请,法律服务机构,2024-03-20,不予处理,1\n"
        "2024-006,市教育局,2024-09-02,网上申请,其他,2024-09-09,其他处理,2\n"
    )
    ledger = tmp_path / "台账.csv"
    ledger.write_text(csv, encoding="utf-8")
    assert main(["foi", "import", str(ledger)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["report", "annual", "--org", "市教育局", "--year", "2024", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["table3"]
    assert got == expected3(
        {
            "new": (1, 1, 1, 1, 0, 1, 5),
            "disclosed": (1, 0, 0, 0, 0, 0, 1),
            "cannot_provide_2": (0, 0, 0, 1, 0, 0, 1),
            "other_2": (0, 0, 0, 0, 0, 1, 1),
            "outcome_total": (1, 0, 0, 1, 0, 1, 3),
            "carried_forward": (0, 1, 1, 0, 0, 0, 2),
        }
    )
    got = counters.table3(counters.Target.of(dept_a), 2025)
    assert got["carried_over"]["total"] == 2
    assert got["partly_disclosed"]["commercial"] == 1
    assert got["carried_forward"]["research"] == 1


@pytest.mark.django_db
def test_handling_days_in_working_days(dept_a):
    # 2025-09-29 (Mon) → 2025-10-10 (Fri): National Day holiday 10-01..10-08, make-up days
    # 09-28 (Sun, before the start) and 10-11 (Sat, after the end): working days in (start, end]
    # are 09-30, 10-09, 10-10 = 3.
    make_request(dept_a, received="2025-09-29", finished="2025-10-10", outcome="disclosed")
    make_request(dept_a, received="2025-03-03", finished="2025-03-07", outcome="disclosed")
    got = counters.handling_days(counters.Target.of(dept_a), 2025)
    assert got["count"] == 2 and got["worst"] == 4 and got["average"] == 3.5


@pytest.mark.django_db
def test_requests_handled_through_the_foi_actions(dept_a, officer_a):
    """Registered and withdrawn through gongkai.foi.actions (today's dates): counted as 新收 and
    其他处理-3 this year; a second one still open is carried forward."""
    from django.utils import timezone

    from gongkai.foi import actions as foi
    from gongkai.foi.tests.conftest import asking, person

    today = timezone.localdate()
    kept = foi.register(
        officer_a, dept_a, person(), asking(), channel="in_person", arrived_on=today
    )
    gone = foi.register(
        officer_a,
        dept_a,
        person(
            kind="commercial", name="某公司", id_type="credit_code", id_number="91370800MA3C5XXX1X"
        ),
        asking("企业名录"),
        channel="in_person",
        arrived_on=today,
    )
    foi.withdraw(officer_a, gone, "申请人撤回")
    got = counters.table3(counters.Target.of(dept_a), today.year)
    assert got["new"]["natural_person"] == 1 and got["new"]["commercial"] == 1
    assert got["other_3"]["commercial"] == 1 and got["outcome_total"]["total"] == 1
    assert got["carried_forward"]["natural_person"] == 1
    assert kept.pk != gone.pk
    assert layout.identity_problems(got) == []
