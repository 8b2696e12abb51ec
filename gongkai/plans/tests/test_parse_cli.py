"""`gongkai plans parse FILE [--year Y] [--json]`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gongkai.cli import main

from .conftest import JINING_DOCX, JINING_TXT, TENGZHOU_TXT


def test_json_output(capsys):
    assert main(["plans", "parse", str(JINING_DOCX), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "task_table"
    assert data["title"] == "2021年济宁市政务公开工作任务分解表"
    assert data["year"] == 2021
    assert data["doc_no"] == "济政办字〔2021〕18号"
    assert len(data["rows"]) == 66
    assert data["rows"][54]["due"] == "2021-12-31"
    assert data["rows"][0]["lead"] == ["市发展改革委", "市自然资源和规划局"]


def test_json_is_not_ascii_escaped(capsys):
    main(["plans", "parse", str(TENGZHOU_TXT), "--json"])
    out = capsys.readouterr().out
    assert "滕州市2021年政务公开工作要点" in out
    assert "\\u" not in out
    assert json.loads(out)["kind"] == "key_points"


def test_readable_summary(capsys):
    assert main(["plans", "parse", str(JINING_TXT)]) == 0
    out = capsys.readouterr().out
    assert "类型：任务分解表" in out
    assert "共 66 项任务，分属 5 个部分、21 个任务组" in out
    assert "文号：济政办字〔2021〕18号" in out
    assert "时限：2021-12-31（2021年年底前）" in out


def test_key_points_summary(capsys):
    assert main(["plans", "parse", str(TENGZHOU_TXT)]) == 0
    out = capsys.readouterr().out
    assert "类型：工作要点" in out
    assert "共 20 项要点，分属 6 个部分" in out
    assert "  1.立足实施重大战略推进政务公开" in out


def test_year_option(tmp_path, capsys):
    path = tmp_path / "要点.txt"
    path.write_text("工作要点\n一、公开\n1.做好公开。6月底前完成。\n", encoding="gb18030")
    assert main(["plans", "parse", str(path), "--year", "2023", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2023
    assert data["rows"][0]["due"] == "2023-06-30"


def test_errors_go_to_stderr_with_exit_1(tmp_path, capsys):
    assert main(["plans", "parse", str(tmp_path / "missing.docx")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "找不到文件「missing.docx」" in captured.err

    # A table with more cells in a row than its header has cannot be placed: an error.
    bad = tmp_path / "bad.txt"
    bad.write_text("工作任务\t牵头部门\t具体要求\n公开\t市财政局\t做好公开\t多余\n", "utf-8")
    assert main(["plans", "parse", str(bad), "--json"]) == 1
    assert "第2行按制表符分列得到4列，比表头的3列多" in capsys.readouterr().err


def test_parse_needs_no_django_setup():
    """Run in a fresh interpreter whose settings module does not exist: setup would fail."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings"}
    code = (
        "import sys; from gongkai.cli import main; rc = main(sys.argv[1:]); "
        "assert 'django.apps' not in sys.modules or "
        "not __import__('django.apps').apps.apps.ready; sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "plans", "parse", str(JINING_DOCX), "--json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "task_table"
