"""Fixtures for the parser tests: the real samples, and builders for variant layouts.

The variants are made from the real Jining table: `sample_table()` reads its rows with
python-docx (independently of the parser), `write_docx()` / `write_xlsx()` write a table back
in another layout. No database is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.text.paragraph import Paragraph as DocxParagraph

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"
JINING_TXT = SAMPLES / "jining-2021-task-table.txt"
JINING_DOCX = SAMPLES / "jining-2021-task-table.docx"
JINING_XLSX = SAMPLES / "jining-2021-task-table.xlsx"
TENGZHOU_TXT = SAMPLES / "tengzhou-2021-key-points.txt"

HEADER = ["工作任务", "牵头部门", "责任单位", "具体要求"]


@dataclass
class SampleRow:
    """One row of the real table: a section row, or a task row (task None = merged down)."""

    section: str | None = None
    task: list[str] | None = None
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    requirement: list[str] = field(default_factory=list)

    def cell(self, name: str) -> list[str] | None:
        return {
            "工作任务": self.task,
            "牵头部门": self.lead,
            "责任单位": self.responsible,
            "具体要求": self.requirement,
        }[name]


def _paragraphs(tc) -> list[str]:
    texts = [DocxParagraph(p, None).text.strip() for p in tc.p_lst]
    return [t for t in texts if t]


def read_sample_table(path: Path = JINING_DOCX) -> list[SampleRow]:
    table = docx.Document(str(path)).tables[0]
    rows: list[SampleRow] = []
    for tr in table._tbl.tr_lst[1:]:  # the header is row 1
        tcs = tr.tc_lst
        if len(tcs) == 1:
            rows.append(SampleRow(section="".join(_paragraphs(tcs[0]))))
            continue
        task = None if tcs[0].vMerge == "continue" else _paragraphs(tcs[0])
        rows.append(
            SampleRow(
                task=task,
                lead=_paragraphs(tcs[1]),
                responsible=_paragraphs(tcs[2]),
                requirement=_paragraphs(tcs[3]),
            )
        )
    return rows


@pytest.fixture(scope="session")
def sample_rows() -> list[SampleRow]:
    return read_sample_table()


def _set_cell(cell, paragraphs: list[str] | str | None) -> None:
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    paragraphs = paragraphs or [""]
    cell.text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def write_docx(
    path: Path,
    header: list[str],
    rows: list[list | str],
    *,
    before: tuple[str, ...] = (),
    title_rows: tuple[str, ...] = (),
    merge_down: tuple[int, ...] = (0,),
) -> Path:
    """A Word table: `rows` are section strings (merged across) or lists of cell contents.

    In a task row a cell may be a string, a list of paragraphs, or None: None in a column of
    `merge_down` continues the cell above (vertical merge), elsewhere it is an empty cell.
    A row equal to `header` is a repeated header.
    """
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    width = len(header)
    table = document.add_table(rows=0, cols=width)
    for text in title_rows:
        row = table.add_row()
        _set_cell(row.cells[0], text)
        row.cells[0].merge(row.cells[-1])
    row = table.add_row()
    for i, text in enumerate(header):
        _set_cell(row.cells[i], text)
    merges: list[tuple[int, int, int]] = []  # (column, first row, last row)
    open_merge: dict[int, int] = {}
    for values in rows:
        row = table.add_row()
        index = len(table.rows) - 1
        if isinstance(values, str):
            _set_cell(row.cells[0], values)
            row.cells[0].merge(row.cells[-1])
            for col, start in open_merge.items():
                merges.append((col, start, index - 1))
            open_merge.clear()
            continue
        for col, value in enumerate(values):
            if value is None and col in merge_down and col in open_merge:
                continue
            if col in open_merge:
                merges.append((col, open_merge.pop(col), index - 1))
            _set_cell(row.cells[col], value)
            if col in merge_down:
                open_merge[col] = index
    last = len(table.rows) - 1
    for col, start in open_merge.items():
        merges.append((col, start, last))
    for col, start, end in merges:
        if end > start:
            table.cell(start, col).merge(table.cell(end, col))
    document.save(str(path))
    return path


def sample_layout(
    sample: list[SampleRow], columns: list[str], *, merged: bool = True, extra=None
) -> list[list | str]:
    """The sample rows in the given column order; `extra(i, column)` fills unknown columns."""
    out: list[list | str] = []
    n = 0
    for row in sample:
        if row.section is not None:
            out.append(row.section)
            continue
        n += 1
        cells = []
        for column in columns:
            if column in HEADER:
                value = row.cell(column)
                cells.append(value if (value is not None or merged) else [])
            else:
                cells.append(extra(n, column) if extra else "")
        out.append(cells)
    return out


def write_xlsx(path: Path, sample: list[SampleRow]) -> Path:
    """A workbook: a title row, a blank row, a header with 序号 and 完成时限, section rows merged
    across, 工作任务 merged down over its group, and 牵头部门 merged down where it repeats."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "分解表"
    header = ["序号", "工作任务", "牵头部门", "责任单位", "具体要求", "完成时限"]
    sheet.append(["2021年济宁市政务公开工作任务分解表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    n = 0
    group_start = lead_start = None
    previous_lead = None

    def close(start, column, end):
        if start is not None and end > start:
            sheet.merge_cells(start_row=start, start_column=column, end_row=end, end_column=column)

    for row in sample:
        r = sheet.max_row + 1
        if row.section is not None:
            close(group_start, 2, r - 1)
            close(lead_start, 3, r - 1)
            group_start = lead_start = previous_lead = None
            sheet.append([row.section])
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
            continue
        n += 1
        lead = "\n".join(row.lead)
        if row.task is not None:
            close(group_start, 2, r - 1)
            close(lead_start, 3, r - 1)
            group_start, lead_start, previous_lead = r, r, lead
        elif lead != previous_lead:
            close(lead_start, 3, r - 1)
            lead_start, previous_lead = r, lead
        sheet.append(
            [
                n,
                "\n".join(row.task) if row.task is not None else None,
                lead if lead_start == r else None,
                "\n".join(row.responsible),
                "\n".join(row.requirement),
                "2021年6月底前" if n == 1 else None,
            ]
        )
    last = sheet.max_row
    close(group_start, 2, last)
    close(lead_start, 3, last)
    workbook.save(str(path))
    return path


# --- database fixtures: the demo organisation tree, people, an imported plan -------------------

DEMO_ORGS = Path(__file__).resolve().parents[2] / "demo" / "orgs.yaml"
ISSUED_ON = "2021-03-01"


@pytest.fixture
def jining(db):
    from gongkai.orgs.importer import import_organisations
    from gongkai.orgs.models import Organisation

    import_organisations(DEMO_ORGS)
    return Organisation.objects.get(slug="jining")


@pytest.fixture
def tengzhou(jining):
    from gongkai.orgs.models import Organisation

    return Organisation.objects.get(slug="tengzhou")


def org_named(government, name):
    from gongkai.orgs.models import Organisation

    return Organisation.objects.get(government=government, name=name)


@dataclass
class People:
    office: object  # 公开办 of 济宁
    fgw: object  # officer of 市发展改革委 (a lead of task 1)
    fgw_head: object  # approver of 市发展改革委
    jyj: object  # officer of 市教育局
    outsider: object  # officer of 市税务局 (named in no task of the sample)
    tz_office: object  # 公开办 of 滕州 (another tenant)
    evaluator: object  # evaluator of 济宁


@pytest.fixture
def people(jining, tengzhou):
    from gongkai.accounts.models import User
    from gongkai.orgs.models import Membership, Role
    from gongkai.testing import PASSWORD

    def make(username, org, *roles):
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
        for role in roles:
            Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return People(
        office=make("office", jining, Role.OFFICE_ADMIN),
        fgw=make("fgw", org_named(jining, "济宁市发展和改革委员会"), Role.OFFICER),
        fgw_head=make("fgw_head", org_named(jining, "济宁市发展和改革委员会"), Role.APPROVER),
        jyj=make("jyj", org_named(jining, "济宁市教育局"), Role.OFFICER),
        outsider=make("outsider", org_named(jining, "国家税务总局济宁市税务局"), Role.OFFICER),
        tz_office=make("tz_office", tengzhou, Role.OFFICE_ADMIN),
        evaluator=make("evaluator", jining, Role.EVALUATOR),
    )


def import_sample(
    government, actor, path=JINING_DOCX, issued_on=ISSUED_ON, narrowing=None, **extra
):
    from gongkai.plans import actions, importing
    from gongkai.plans.importers import parse_file

    data = importing.rows_for_preview(parse_file(path))
    data["issued_on"] = issued_on
    data.update(extra)
    if narrowing is None:  # the office picked every candidate of each selective collective
        narrowing = importing.all_candidates(data, government)
    return actions.import_parsed(
        actor,
        data,
        government=government,
        organisation=government,
        source_name=path.name,
        source_sha256=actions.file_sha256(path),
        narrowing=narrowing,
    )


@pytest.fixture
def plan(jining, people):
    return import_sample(jining, people.office).plan


def assignment_of(plan, n, org_name, period=""):
    from gongkai.plans.models import Assignment

    return Assignment.objects.select_related("task__plan", "organisation").get(
        task__plan=plan, task__n=n, organisation__name=org_name, period=period
    )
