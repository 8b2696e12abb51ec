"""Render one document of each kind from the demo data and keep its first page as a PNG here
(docs/documents.md shows them). Needs LibreOffice and poppler-utils (pdftoppm).

    export GONGKAI_DATA_DIR=/tmp/gk-samples
    .venv/bin/gongkai demo --no-serve
    .venv/bin/python docs/samples/make_samples.py

It writes to the demo database (a circular, scores): use a throw-away GONGKAI_DATA_DIR.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def png(pdf: bytes, name: str, pages: tuple[int, ...] = (1,)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        for page in pages:
            suffix = "" if page == pages[0] else f"-p{page}"
            out = HERE / f"{name}{suffix}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(src),
                    str(out),
                ],
                check=True,
            )
            print(f"{out}.png")


def pdf_of(data: bytes, suffix: str) -> bytes:
    from gongkai.plans.importers.convert import converted

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(data)
        with converted(path, "pdf", path.name) as pdf:
            return pdf.read_bytes()


def main() -> None:
    import django

    django.setup()
    from gongkai.accounts.models import User
    from gongkai.foi import letters
    from gongkai.foi.models import Letter, LetterKind
    from gongkai.plans import actions as plan_actions
    from gongkai.plans import circulars, ledger, scoring
    from gongkai.plans.models import Assignment, IndicatorMethod, WorkPlan
    from gongkai.reports import exports
    from gongkai.reports.models import AnnualReport

    for kind, name in (
        (LetterKind.REPLY, "letter-reply"),
        (LetterKind.CORRECTION_NOTICE, "letter-correction-notice"),
        (LetterKind.EXTENSION_NOTICE, "letter-extension-notice"),
    ):
        letter = Letter.objects.filter(kind=kind).first()
        if letter is not None:
            png(letters.render_pdf(letter), name)

    report = AnnualReport.objects.first()
    document = exports.document_for(report.organisation, report.year, report.scope)
    pdf = exports.to_pdf(document)
    pages = _pages_with(pdf, ("申请人情况", "行政复议"))
    png(pdf, "annual-report", (1, *pages))

    office = User.objects.get(username="office")
    plan = WorkPlan.objects.first()
    circular = plan.circulars.first() or plan_actions.generate_circular(
        office, plan, date(plan.year, 1, 1), date(plan.year + 1, 1, 10)
    )
    png(pdf_of(circulars.render_docx(circular), ".docx"), "circular", (1, 2, 3))

    if not plan.indicators.exists():
        plan_actions.add_indicator(
            office, plan, name="任务完成率", weight=Decimal(60), method=IndicatorMethod.COMPLETION
        )
        plan_actions.add_indicator(
            office,
            plan,
            name="逾期、滞后扣分",
            weight=Decimal(40),
            method=IndicatorMethod.DEDUCTION,
            deduction=Decimal(2),
        )
    period = str(plan.year)
    plan_actions.compute_scores(office, plan, period, date(plan.year + 1, 1, 10))
    png(pdf_of(scoring.export_xlsx(plan, period), ".xlsx"), "scoring-sheet")
    rows = ledger.ledger_rows(
        plan, Assignment.objects.filter(task__plan=plan), date(plan.year + 1, 1, 10)
    )
    png(pdf_of(ledger.export_xlsx(plan, rows), ".xlsx"), "ledger")


def _pages_with(pdf: bytes, needles: tuple[str, ...]) -> list[int]:
    """The first page (1-based) on which each needle appears."""
    import io

    import pdfplumber

    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for needle in needles:
            for number, page in enumerate(doc.pages, start=1):
                if needle in (page.extract_text() or "").replace("\n", ""):
                    found.append(number)
                    break
    return found


if __name__ == "__main__":
    main()
