"""Every corpus document parses to exactly what its generator laid out (issue 16).

The corpus (`corpus/documents.py`) imitates real published documents of provinces, cities,
counties and departments over several years, as .docx, .xlsx, Excel's tab-separated text, text
pasted from web pages and plain prose. The expectations are written by the generators.
"""

from __future__ import annotations

import pytest

from gongkai.plans.importers import parse_file

from .corpus.documents import all_fixtures

FIXTURES = all_fixtures()


def test_the_corpus_is_wide_enough():
    governments = {f.name.split("-")[0] for f in FIXTURES}
    assert len(FIXTURES) >= 10 and len(governments) >= 6
    assert len({f.year for f in FIXTURES}) >= 3
    assert {f.level for f in FIXTURES} >= {"province", "city", "county", "department"}
    assert {f.kind for f in FIXTURES} == {"task_table", "key_points"}
    assert {f.filename.rsplit(".", 1)[1] for f in FIXTURES} >= {"docx", "xlsx", "txt"}
    for fixture in FIXTURES:
        assert fixture.source and fixture.rows


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture_parses_as_laid_out(fixture, tmp_path):
    plan = parse_file(fixture.write(tmp_path))
    assert (plan.kind, plan.title, plan.year, plan.doc_no, plan.issued_on) == (
        fixture.kind,
        fixture.title,
        fixture.year,
        fixture.doc_no,
        fixture.issued_on,
    )
    got = [
        (
            r.section,
            r.subsection,
            r.title,
            r.requirement,
            r.lead,
            r.responsible,
            r.due,
            [m.date for m in r.milestones],
            [w.column for w in r.warnings],
        )
        for r in plan.rows
    ]
    want = [
        (
            e.section,
            e.subsection,
            e.title,
            e.requirement,
            e.lead,
            e.responsible,
            e.due,
            e.milestones,
            e.blank,
        )
        for e in fixture.rows
    ]
    assert len(got) == len(want)
    for n, (g, w) in enumerate(zip(got, want, strict=True), 1):
        assert g == w, f"item {n}"
