"""Letters in the GB/T 9704 layout, read back from the .docx and from LibreOffice's PDF."""

from __future__ import annotations

import shutil

from gongkai.core.documents import date_cn, inspect
from gongkai.foi import actions
from gongkai.foi.letters import render_docx, render_pdf
from gongkai.foi.models import Letter

ONE_CHAR_MM = 16 * inspect.MM_PER_PT  # 三号


def test_a_long_letter_keeps_to_the_type_area_grid_and_page_numbers(received, officer_a):
    assert shutil.which("soffice"), "LibreOffice is installed by ./run test"
    req = actions.request_correction(
        officer_a, received, "请写明所申请信息的学校名称和招生年度。" * 60
    )
    letter = Letter.objects.get(request=req)
    docx, pdf = render_docx(letter), render_pdf(letter)
    assert inspect.problems(docx, pdf) == []
    pages = inspect.pdf_pages(pdf)
    assert len(pages) >= 3

    # A page of body text: 22 lines of at most 28 characters, full lines exactly 28.
    body = [line for line in pages[1].lines() if line[0].bottom < inspect.PORTRAIT_AREA[3]]
    assert len(body) == 22
    widths = [len(line) for line in body if all(ord(c.text) > 0x2E80 for c in line)]
    assert max(widths) == 28

    # The masthead: the organisation in red above the number, then the title.
    first = [inspect.text_of(line) for line in pages[0].lines()]
    assert first[:3] == [letter.organisation.name, letter.number, letter.title]

    # 落款: the date 右空四字, the organisation centred over it, with room for the seal.
    last = pages[-1].lines()
    texts = [inspect.text_of(line) for line in last]
    at = texts.index(date_cn(letter.issued_on))
    date_line, issuer_line = last[at], last[at - 1]
    assert texts[at - 1] == letter.organisation.name
    right = inspect.PORTRAIT_AREA[2]
    assert abs((right - date_line[-1].x1) - 4 * ONE_CHAR_MM) < 1.5
    centre = lambda line: (line[0].x0 + line[-1].x1) / 2  # noqa: E731
    assert abs(centre(issuer_line) - centre(date_line)) < ONE_CHAR_MM / 2
    if at >= 2:  # two blank lines above, unless the 落款 starts a page
        assert issuer_line[0].top - last[at - 2][0].top > 2.5 * ONE_CHAR_MM


def test_letter_docx_declares_the_fonts_of_a_government_pc(received, officer_a):
    import io

    from docx import Document

    req = actions.request_correction(officer_a, received, "请写明学校名称。")
    doc = Document(io.BytesIO(render_docx(Letter.objects.get(request=req))))
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋_GB2312"
    )
    title = doc.paragraphs[0]
    assert title.runs[0].font.name == "方正小标宋简体"
    assert str(title.runs[0].font.color.rgb) == "FF0000"
