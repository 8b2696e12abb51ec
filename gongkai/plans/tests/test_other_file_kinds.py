"""Other file kinds offices send (issue 16): PDFs with a text layer, WPS's .wps/.et and old .xls
through LibreOffice, and a clear message where a file cannot be read."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfWriter

from gongkai.plans.importers import ParseError, parse_file

from .corpus.documents import all_fixtures

FIXTURES = {f.name: f for f in all_fixtures()}

# A Compound File header (what .doc/.xls/.wps/.et files start with), nothing after it.
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _convert(source, target: str, tmp_path):
    assert shutil.which("soffice"), "LibreOffice is installed by ./run test"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "out" / f"{source.stem}.{target.split(':')[0]}"


def _fields(rows):
    return [(r.section, r.subsection, r.title, r.lead, r.responsible, r.due) for r in rows]


@pytest.mark.parametrize("name", ["beijing-2016", "guangdong-2022"])
def test_pdf_with_a_text_layer_parses_like_the_word_file(name, tmp_path):
    fixture = FIXTURES[name]
    pdf = _convert(fixture.write(tmp_path), "pdf", tmp_path)
    plan = parse_file(pdf)
    assert (plan.title, plan.year, plan.doc_no, plan.issued_on) == (
        fixture.title,
        fixture.year,
        fixture.doc_no,
        fixture.issued_on,
    )
    want = [(e.section, e.subsection, e.title, e.lead, e.responsible, e.due) for e in fixture.rows]
    assert _fields(plan.rows) == want
    assert [r.requirement for r in plan.rows] == [e.requirement for e in fixture.rows]


def test_scanned_pdf_without_text_is_refused_with_what_to_do(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(
        ParseError, match=r"没有文字层（可能是扫描件）.*请上传 Word（\.docx）或 Excel"
    ):
        parse_file(path)


def test_xls_and_wps_spreadsheet_are_read(tmp_path):
    fixture = FIXTURES["jimei-2021-xlsx"]
    source = fixture.write(tmp_path)
    xls = _convert(source, "xls", tmp_path)
    want = [(e.section, e.subsection, e.title, e.lead, e.responsible, e.due) for e in fixture.rows]
    assert _fields(parse_file(xls).rows) == want
    et = xls.with_suffix(".et")
    xls.rename(et)  # WPS's .et: LibreOffice converts it (an .xls inside, as WPS often writes)
    assert _fields(parse_file(et).rows) == want


def test_wps_writer_file_is_converted_or_refused_with_how_to_save(tmp_path):
    fixture = FIXTURES["suileng-2018"]
    doc = _convert(fixture.write(tmp_path), "doc", tmp_path)
    wps = doc.with_suffix(".wps")
    doc.rename(wps)
    plan = parse_file(wps)
    assert [r.title for r in plan.rows] == [e.title for e in fixture.rows]
    # Bytes that are no document at all are refused before any conversion, naming the file.
    broken = tmp_path / "broken.wps"
    broken.write_bytes(b"not a document at all")
    with pytest.raises(ParseError, match=r"「broken\.wps」的内容与扩展名 \.wps 不符"):
        parse_file(broken)


def test_a_file_libreoffice_cannot_convert_says_how_to_save_it(tmp_path, monkeypatch):
    from gongkai.core.files import convert

    monkeypatch.setattr(convert, "soffice", lambda: shutil.which("false"))
    path = tmp_path / "plan.et"
    path.write_bytes(OLE_HEADER + bytes(504))
    with pytest.raises(ParseError, match=r"另存为 \.xlsx 后重新上传"):
        parse_file(path)
