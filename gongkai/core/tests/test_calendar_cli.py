"""`gongkai calendar …` through gongkai.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core import calendar as cal

EXAMPLE = Path(cal.__file__).parent / "calendar_data" / "example-2027.yaml"
EXAMPLE_CSV = EXAMPLE.with_suffix(".csv")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cal.clear_cache()
    yield
    cal.clear_cache()


@pytest.fixture
def run(capsys):
    """run(*argv) → (exit code, stdout, stderr); main may return or raise SystemExit."""

    def _run(*argv):
        try:
            code = main(["calendar", *argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-10", "7", "2026-02-26"),
        ("2026-02-10", "20", "2026-03-16"),
        ("2026-02-10", "0", "2026-02-10"),
        ("2026-02-15", "0", "2026-02-24"),
        ("2026-02-24", "-1", "2026-02-14"),
        ("2026-03-16", "-20", "2026-02-10"),
    ],
)
def test_add_workdays_prints_only_the_date(run, start, n, expected):
    assert run("add-workdays", start, n) == (0, expected + "\n", "")


def test_a_provisional_deadline_still_prints_only_the_date(run):
    code, out, err = run("add-workdays", "2026-12-21", "20")
    assert (code, out) == (0, "2027-01-19\n")
    assert err.strip() == "暂定：2027年节假日安排尚未载入"


def test_is_workday(run):
    assert run("is-workday", "2026-01-04") == (0, "true\n", "")
    assert run("is-workday", "2026-10-07") == (0, "false\n", "")
    assert run("is-workday", "2026-10-08") == (0, "true\n", "")
    code, out, err = run("is-workday", "2027-01-04")
    assert (code, out) == (0, "true\n") and "暂定" in err
    code, out, err = run("is-workday", "2027-01-01")  # 元旦 by statute, notice or not
    assert (code, out) == (0, "false\n") and "暂定" in err


@pytest.mark.parametrize("bad", ["2026-02-30", "abc", "2026-2-3", "20260210", ""])
@pytest.mark.parametrize("command", [["is-workday"], ["add-workdays"], ["explain"]])
def test_bad_dates_exit_2_with_a_chinese_message(run, command, bad):
    argv = [*command, bad] + (["3"] if command[0] != "is-workday" else [])
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert "日期无效" in err and "YYYY-MM-DD" in err


@pytest.mark.parametrize("bad", ["x", "1.5", "99999999"])
def test_bad_counts_exit_2(run, bad):
    code, out, err = run("add-workdays", "2026-02-10", bad)
    assert code == 2 and out == "" and "工作日数" in err


def test_missing_arguments_exit_2(run):
    code, _, _ = run("add-workdays", "2026-02-10")
    assert code == 2


def test_json_outputs(run):
    code, out, _ = run("add-workdays", "2026-12-21", "20", "--json")
    assert code == 0
    assert json.loads(out) == {
        "date": "2027-01-19",
        "provisional": True,
        "provisional_years": [2027],
    }
    code, out, _ = run("is-workday", "2026-02-14", "--json")
    data = json.loads(out)
    assert data["is_workday"] and data["kind"] == "makeup" and data["name"] == "春节"


def test_explain(run):
    code, out, err = run("explain", "2026-02-10", "7")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("起算：2026-02-10（周二）")
    assert lines[-1] == "结果：2026-02-26（周四）"
    code, out, _ = run("explain", "2026-02-10", "7", "--json")
    assert sum(1 for s in json.loads(out)["steps"] if s["ordinal"]) == 7


def test_years_lists_the_package_years(run):
    code, out, _ = run("years")
    assert code == 0
    assert any(line.split()[:3] == ["2026", "248", "chinese-calendar"] for line in out.splitlines())
    code, out, _ = run("years", "--json")
    data = json.loads(out)
    years = {y["year"]: y for y in data["years"]}
    assert set(years) == set(range(2004, 2027))
    assert years[2026]["source"] == "package" and years[2026]["workdays"] == 248


def test_loading_an_example_needs_allow_example(run):
    from gongkai.core.models import CalendarYear

    code, _, err = run("load-year", str(EXAMPLE))
    assert code == 2 and "示例" in err and "--allow-example" in err
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("path", [EXAMPLE, EXAMPLE_CSV])
def test_load_year_then_the_deadline_is_firm(run, path):
    from gongkai.core.models import AuditEvent, CalendarYear

    code, out, err = run("load-year", str(path), "--allow-example")
    assert code == 0, err
    assert "已载入：2027年节假日安排" in out and "全年工作日 248 天" in out
    assert CalendarYear.objects.get().source_file == path.name
    event = AuditEvent.objects.get(action="calendar.load_year")
    assert event.actor_label.startswith("命令行")

    assert run("add-workdays", "2026-12-21", "20") == (0, "2027-01-19\n", "")
    assert run("is-workday", "2027-01-01") == (0, "false\n", "")

    code, out, _ = run("years", "--json")
    data = json.loads(out)
    loaded = [y for y in data["years"] if y["year"] == 2027]
    assert loaded and loaded[0]["source"] == "loaded" and loaded[0]["is_example"]
    assert 2027 not in data["unloaded_years_ahead"]
    code, out, _ = run("years")
    assert (
        "2027     248  已载入：《国务院办公厅关于2027年部分节假日安排的通知（示例，非正式）》"
        in out
    )

    code, out, _ = run("load-year", str(path), "--allow-example")
    assert code == 0 and "已重新载入" in out


def test_a_bad_file_loads_nothing(run, tmp_path):
    from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear

    bad = tmp_path / "2027.yaml"
    bad.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace("2027-05-08", "2027-05-32")
        .replace("2027-09-15", "2028-09-15"),
        encoding="utf-8",
    )
    code, out, err = run("load-year", str(bad), "--allow-example")
    assert code == 2 and out == ""
    assert "未载入任何数据" in err
    assert "第23行：调休上班：日期「2027-05-32」无效" in err
    assert "第27行：日期 2028-09-15 与年份不符" in err
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.load_year").exists()
    assert run("add-workdays", "2026-12-21", "20")[1] == "2027-01-19\n"


def test_a_missing_file(run, tmp_path):
    code, _, err = run("load-year", str(tmp_path / "nope.yaml"))
    assert code == 2 and "找不到文件" in err


def test_dry_run_writes_nothing(run):
    from gongkai.core.models import CalendarYear

    code, out, _ = run("load-year", str(EXAMPLE), "--allow-example", "--dry-run")
    assert code == 0 and "校验通过（未写入）" in out and "248" in out
    assert not CalendarYear.objects.exists()
