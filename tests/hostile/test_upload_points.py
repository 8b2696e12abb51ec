"""The hostile-files corpus (gongkai/core/files/tests/hostile.py) through every upload point
and import command: each answers a Chinese error naming the limit it hit, nothing is written,
and the parser runs in a child under RLIMIT_AS (core.files.run_bounded) with lowered limits."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongkai.catalog.models import Record
from gongkai.cli import main
from gongkai.core.files.tests import hostile
from gongkai.foi.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.plans.models import PlanImport, WorkPlan
from gongkai.reports.models import EarlierReport

pytestmark = pytest.mark.django_db
MB = 1024 * 1024

DIMENSION = r"超过 1000 行上限"
BOMB = r"解压后超过 4 MB 上限"
DTD = r"不允许 DTD 和实体"
ROWS = r"(超过 1000 行上限|解压后超过 4 MB 上限|超过 1 MB 上限)"
BROKEN = r"不是有效的"
EXECUTABLE = r"可执行程序"


@pytest.fixture(scope="module")
def corpus():
    return {
        "dimension.xlsx": (hostile.huge_dimension_xlsx(), DIMENSION),
        "million.xlsx": (hostile.million_rows_xlsx(), ROWS),
        "million.csv": (hostile.million_rows_csv(), ROWS),
        "laughs.xlsx": (hostile.billion_laughs_xlsx(), DTD),
        "bomb.docx": (hostile.expanding_docx(6 * MB), BOMB),
        "laughs.docx": (hostile.billion_laughs_docx(), DTD),
        "xxe.docx": (hostile.xxe_docx(), DTD),
        "broken.xlsx": (hostile.malformed_zip(), BROKEN),
        "broken.docx": (hostile.malformed_zip(), BROKEN),
        "program.xlsx": (hostile.renamed_executable(), EXECUTABLE),
        "program.docx": (hostile.renamed_executable(), EXECUTABLE),
        "program.csv": (hostile.renamed_executable(), r"不是文本文件"),
        "aliases.yaml": (hostile.yaml_alias_bomb(), r"机构超过 1000 个上限"),
        "repeated.ods": (hostile.repeated_rows_ods(), r"所需内存超过 256 MB 上限|超过 1000 行上限"),
    }


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.GONGKAI_FILE_LIMITS = {
        "unpacked_bytes": 4 * MB,
        "rows": 1000,
        "columns": 50,
        "text_bytes": 1 * MB,
        "memory_bytes": 256 * MB,  # RLIMIT_AS of the parsing child, beyond the parent's size
        "cpu_seconds": 30,
    }


def _files(corpus, tmp_path, *names):
    for name in names:
        data, expected = corpus[name]
        path = tmp_path / name
        path.write_bytes(data)
        yield name, path, expected


def _counts():
    return (
        PlanImport.objects.count(),
        WorkPlan.objects.count(),
        Record.objects.count(),
        InfoRequest.objects.count(),
        EarlierReport.objects.count(),
        Organisation.objects.count(),
    )


def _said(text: str, expected: str, name: str) -> None:
    assert re.search(expected, text), f"{name}: {text[-500:]}"


PLANS = (
    "dimension.xlsx",
    "million.xlsx",
    "laughs.xlsx",
    "bomb.docx",
    "laughs.docx",
    "xxe.docx",
    "broken.docx",
    "program.docx",
    "program.xlsx",
)
SHEETS = ("dimension.xlsx", "million.xlsx", "laughs.xlsx", "broken.xlsx", "program.xlsx")


def test_plans_parse_and_import_commands(corpus, tmp_path, capsys, government):
    before = _counts()
    for name, path, expected in _files(corpus, tmp_path, *PLANS):
        assert main(["plans", "parse", str(path)]) == 1, name
        _said(capsys.readouterr().err, expected, name)
        assert main(["plans", "import", str(path), "--gov", "jining", "--year", "2026"]) == 1
        _said(capsys.readouterr().err, expected, name)
    assert _counts() == before


def test_plans_web_import(corpus, tmp_path, login, office, government):
    client = login(office)
    before = _counts()
    for name, path, expected in _files(corpus, tmp_path, *PLANS):
        with open(path, "rb") as fh:
            response = client.post(
                reverse("plans_staff:import"),
                {"file": fh, "organisation": government.pk, "year": 2026},
            )
        assert response.status_code in (200, 400), name
        _said(response.content.decode(), expected, name)
    assert _counts() == before


def test_catalogue_import_web_and_command(corpus, tmp_path, capsys, login, approver_a, dept_a):
    client = login(approver_a)
    before = _counts()
    for name, path, expected in _files(corpus, tmp_path, *SHEETS, "repeated.ods"):
        with open(path, "rb") as fh:
            response = client.post(
                reverse("catalog_staff:import"),
                {"publisher": dept_a.pk, "file": fh, "confirm": "1"},
            )
        assert response.status_code in (200, 400), name
        _said(response.content.decode(), expected, name)
        code = main(["catalog", "import", str(path), "--gov", "jining", "--publisher", dept_a.name])
        assert code == 1, name
        out = capsys.readouterr()
        _said(out.err + out.out, expected, name)
    assert _counts() == before


def test_foi_ledger_import_web_and_command(corpus, tmp_path, capsys, login, office, government):
    client = login(office)
    before = _counts()
    for name, path, expected in _files(corpus, tmp_path, *SHEETS, "million.csv", "program.csv"):
        with open(path, "rb") as fh:
            response = client.post(reverse("foi_staff:import"), {"file": fh})
        assert response.status_code in (200, 400), name
        if name.endswith(".xlsx") or name.endswith(".csv"):
            _said(response.content.decode(), expected, name)
        assert main(["foi", "import", str(path), "--government", "jining"]) == 1, name
        _said(capsys.readouterr().err, expected, name)
    assert _counts() == before


def test_earlier_report_import_web_and_command(
    corpus, tmp_path, capsys, login, office, government, dept_a
):
    client = login(office)
    before = _counts()
    for name, path, expected in _files(corpus, tmp_path, *SHEETS, "million.csv", "program.csv"):
        with open(path, "rb") as fh:
            response = client.post(
                reverse("reports_staff:import_earlier", args=[dept_a.pk]),
                {"file": fh, "year": 2024},
                follow=True,
            )
        assert response.status_code == 200, name
        _said(response.content.decode(), expected, name)
        code = main(["report", "import-earlier", str(path), "--org", dept_a.name, "--year", "2024"])
        assert code == 1, name
        _said(capsys.readouterr().err, expected, name)
    assert _counts() == before


def test_organisation_import_command(corpus, tmp_path, capsys, government):
    before = _counts()
    for name, path, expected in _files(
        corpus, tmp_path, "million.csv", "program.csv", "aliases.yaml"
    ):
        assert main(["orgs", "import", str(path)]) != 0, name
        out = capsys.readouterr()
        _said(out.err + out.out, expected, name)
    assert _counts() == before
