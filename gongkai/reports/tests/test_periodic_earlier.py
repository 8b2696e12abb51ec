"""Reminders, the polite broken-link check, and importing earlier reports (2021 and 2019)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from gongkai.reports import earlier, layout, periodic
from gongkai.reports.tests.conftest import make_record

pytestmark = pytest.mark.django_db


def test_reminders_before_and_after_the_deadline(government, dept_a, dept_b):
    from gongkai.reports.models import ReportReminder

    assert "不在年度报告公布期内" in periodic.reminders(today=dt.date(2026, 5, 1))
    # 2026-01-25: departments are 6 days from 31 Jan; the government's summary is not due soon.
    assert periodic.reminders(today=dt.date(2026, 1, 25)) == "2025年度报告提醒 2 条"
    assert set(ReportReminder.objects.values_list("organisation__name", "kind")) == {
        ("济宁市教育局", "due_soon"),
        ("济宁市财政局", "due_soon"),
    }
    assert periodic.reminders(today=dt.date(2026, 1, 26)) == "2025年度报告提醒 0 条"  # once
    assert (
        periodic.reminders(dry_run=True, today=dt.date(2026, 3, 25))
        == "2025年度报告提醒 3 条（试运行）"
    )
    assert ReportReminder.objects.count() == 2


def test_link_check_requests_only_the_sites_own_addresses(government, dept_a):
    from gongkai.reports.models import LinkProblem

    government.site_hosts = "www.jining.gov.cn"
    government.save(update_fields=["site_hosts"])
    record = make_record(dept_a, "notice", published="2025-03-03")
    record.body = (
        '<p><a href="/disclosure/records/1/">本站相对链接</a>'
        '<a href="https://www.jining.gov.cn/missing.html">本站失效</a>'
        '<a href="https://www.example.com/other">外站</a>'
        '<a href="mailto:a@b.cn">邮件</a></p>'
    )
    record.save(update_fields=["body"])
    requested = []

    def fake_fetch(url):
        requested.append(url)
        return "HTTP 404" if url.endswith("missing.html") else None

    summary = periodic.check_links(fetch=fake_fetch, delay=0)
    assert summary == "检查本站链接 2 个，失效 1 个"
    assert requested == [
        "https://www.jining.gov.cn/disclosure/records/1/",
        "https://www.jining.gov.cn/missing.html",
    ]
    problem = LinkProblem.objects.get()
    assert problem.organisation == dept_a and problem.status == "HTTP 404"
    # Bounded: a limit of 1 stops after one request.
    requested.clear()
    assert "已达单次上限" in periodic.check_links(fetch=fake_fetch, delay=0, limit=1)
    assert len(requested) == 1
    # Fixed: the problem disappears.
    periodic.check_links(fetch=lambda url: None, delay=0)
    assert not LinkProblem.objects.exists()


LINES_2021 = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况"],
    ["一、本年新收政府信息公开申请数量", "", "", "58", "7", "0", "0", "1", "0", "66"],
    ["二、上年结转政府信息公开申请数量", "", "", "2", "0", "0", "0", "0", "0", "2"],
    ["三、本年度办理结果", "（一）予以公开", "", "2", "1", "0", "0", "0", "0", "3"],
    [
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
        "16",
        "1",
        "0",
        "0",
        "0",
        "0",
        "17",
    ],
    ["", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
    ["", "", "5.属于三类内部事务信息", "1", "0", "0", "0", "0", "0", "1"],
    ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "30", "4", "0", "0", "1", "0", "35"],
    ["", "（六）其他处理", "3.其他", "1", "0", "0", "0", "0", "0", "1"],
    ["", "（七）总计", "", "50", "6", "0", "0", "1", "0", "57"],
    ["四、结转下年度继续办理", "", "", "10", "1", "0", "0", "0", "0", "11"],
    ["0", "0", "0", "1", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"],
]


def _xlsx(lines) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for line in lines:
        wb.active.append([int(c) if c.isdigit() else c for c in line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_parse_a_2021_report_from_xlsx():
    parsed = earlier.parse(_xlsx(LINES_2021), "2024年报.xlsx", 2024)
    assert parsed.layout == "2021"
    t3 = parsed.table3
    assert t3["new"]["total"] == 66 and t3["new"]["legal_service"] == 1
    assert t3["partly_disclosed"]["natural_person"] == 16
    assert t3["not_disclosed_5"]["total"] == 1
    assert t3["cannot_provide_1"]["commercial"] == 4
    assert t3["other_3"]["total"] == 1
    assert t3["carried_forward"]["total"] == 11
    assert layout.identity_problems(t3) == []
    assert parsed.table4["litigation_direct"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }


def test_parse_the_2019_layout_single_other_row():
    """The Shanghai 2019 report (RULES.md §2): 859 + 18 = 805 + 72."""
    csv = "\n".join(
        [
            "一、本年新收政府信息公开申请数量,821,35,0,0,2,1,859",
            "二、上年结转政府信息公开申请数量,18,0,0,0,0,0,18",
            "（一）予以公开,500,20,0,0,1,1,522",
            "（四）无法提供,1.本机关不掌握相关政府信息,260,12,0,0,1,0,273",
            "（六）其他处理,10,0,0,0,0,0,10",
            "（七）总计,770,32,0,0,2,1,805",
            "四、结转下年度继续办理,69,3,0,0,0,0,72",
        ]
    ).encode("gb18030")
    parsed = earlier.parse(csv, "2019.csv", 2019)
    assert parsed.layout == "2019"
    assert parsed.table3["other_3"]["total"] == 10  # the single 2019 row, kept as 其他
    assert parsed.table3["carried_forward"]["total"] == 72
    assert layout.identity_problems(parsed.table3) == []


def test_parse_errors_are_chinese():
    with pytest.raises(earlier.ParseError, match="没有找到表三的“一、本年新收"):
        earlier.parse(b"a,b\n1,2\n", "x.csv", 2024)
    with pytest.raises(earlier.ParseError, match="只支持"):
        earlier.parse(b"", "x.pdf", 2024)


def test_cli_import_earlier_then_carry_over_check(world, dept_a, tmp_path, capsys):
    from gongkai.cli import main

    lines = [
        "一、本年新收政府信息公开申请数量,5,0,0,0,0,0,5",
        "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0",
        "（一）予以公开,4,0,0,0,0,0,4",
        "（七）总计,4,0,0,0,0,0,4",
        "四、结转下年度继续办理,1,0,0,0,0,0,1",
    ]
    path = tmp_path / "2024.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["report", "import-earlier", str(path), "--org", "市教育局", "--year", "2024"]) == 0
    assert "结转下年度 1 件" in capsys.readouterr().out
    import json

    assert main(["report", "annual", "--org", "市教育局", "--year", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert not [c for c in data["checks"] if c["code"].startswith("carry_over")]  # 1 = 1
    path.write_text(
        "\n".join(lines)
        .replace("4,0,0,0,0,0,4", "3,0,0,0,0,0,3")
        .replace("1,0,0,0,0,0,1", "2,0,0,0,0,0,2"),
        encoding="utf-8",
    )
    assert main(["report", "import-earlier", str(path), "--org", "市教育局", "--year", "2024"]) == 0
    capsys.readouterr()
    main(["report", "annual", "--org", "市教育局", "--year", "2025", "--json"])
    data = json.loads(capsys.readouterr().out)
    carry = [c for c in data["checks"] if c["code"] == "carry_over:imported"]
    assert carry and carry[0]["level"] == "error"


def test_an_unbalanced_published_table_is_kept_with_a_warning(dept_a, tmp_path, capsys):
    from gongkai.cli import main
    from gongkai.reports.models import EarlierReport

    path = tmp_path / "2023.csv"
    path.write_text(
        "\n".join(
            [
                "一、本年新收政府信息公开申请数量,3,0,0,0,0,0,3",
                "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0",
                "（一）予以公开,2,0,0,0,0,0,2",
                "（七）总计,2,0,0,0,0,0,2",
                "四、结转下年度继续办理,0,0,0,0,0,0,0",
            ]
        ),
        encoding="utf-8",
    )
    assert main(["report", "import-earlier", str(path), "--org", "市教育局", "--year", "2023"]) == 0
    err = capsys.readouterr().err
    assert "注意：导入的表三“自然人”列不平衡（3 ≠ 2）" in err
    assert EarlierReport.objects.get(year=2023).table3["new"]["total"] == 3
