"""`gongkai foi import FILE`: .xlsx and .csv, keys or Chinese labels, row-level Chinese errors,
nothing half-imported."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from gongkai.cli import main
from gongkai.foi.models import InfoRequest, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(government, dept_a, dept_b):
    return government


def _xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_with_chinese_labels(city, dept_a, dept_b, tmp_path, capsys):
    from datetime import date

    path = _xlsx(
        tmp_path / "台账.xlsx",
        [
            [
                "登记编号",
                "办理机关",
                "收到日期",
                "申请渠道",
                "申请人类型",
                "办结日期",
                "办理结果",
                "理由序号",
            ],
            [
                "2025-001",
                "市教育局",
                date(2025, 3, 3),
                "网上申请",
                "自然人",
                date(2025, 3, 20),
                "予以公开",
                None,
            ],
            [
                "2025-002",
                "济宁市财政局",
                "2025-04-01",
                "信函",
                "商业企业",
                "2025-04-25",
                "不予公开",
                6,
            ],
            ["2025-003", "市教育局", "2025/12/20", "email", "legal_service", "", "", ""],
        ],
    )
    assert main(["foi", "import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"ok": True, "created": 3, "rows": 3, "errors": []}
    a = InfoRequest.objects.get(ref="2025-002")
    assert (a.organisation, a.outcome, a.outcome_reason, a.state) == (
        dept_b,
        "not_disclosed",
        6,
        State.ARCHIVED,
    )
    assert a.requester.kind == "commercial" and a.channel == "post" and a.imported
    open_one = InfoRequest.objects.get(ref="2025-003")
    assert open_one.state == State.IN_PROGRESS and open_one.due_on is not None


def test_csv_with_keys_and_row_errors_import_nothing(city, tmp_path, capsys):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "ref,org,received_on,channel,requester_kind,finished_on,outcome,outcome_reason\n"
        "R1,市教育局,2025-03-03,online,natural_person,2025-03-20,disclosed,\n"
        "R2,市不存在局,2025-13-01,pigeon,外星人,2025-03-20,not_disclosed,9\n"
        "R1,市教育局,2025-03-03,online,natural_person,,cannot_provide,\n",
        encoding="utf-8",
    )
    assert main(["foi", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "未导入任何数据" in err
    assert "第 3 行" in err and "办理机关「市不存在局」无法识别" in err
    assert "收到日期「2025-13-01」格式不正确" in err and "申请渠道「pigeon」无法识别" in err
    assert "申请人类型「外星人」无法识别" in err and "理由序号应为 1–8" in err
    assert "第 4 行" in err and "与第 2 行重复" in err and "没有办结日期" in err
    assert InfoRequest.objects.count() == 0


def test_missing_columns_and_files(city, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("ref,org\nA,市教育局\n", encoding="utf-8")
    assert main(["foi", "import", str(path)]) == 1
    assert "表头缺少必填列" in capsys.readouterr().err
    assert main(["foi", "import", str(tmp_path / "none.csv")]) == 2
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    assert main(["foi", "import", str(bad)]) == 1
    assert "只接受 .xlsx 或 .csv" in capsys.readouterr().err


def test_gb18030_csv_and_existing_ref(city, tmp_path, capsys):
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "登记编号,办理机关,收到日期,申请渠道,申请人类型\nG1,市教育局,2025-03-03,当面提交,自然人\n".encode(
            "gb18030"
        )
    )
    assert main(["foi", "import", str(path)]) == 0
    assert main(["foi", "import", str(path)]) == 1
    assert "登记编号「G1」已存在" in capsys.readouterr().err
