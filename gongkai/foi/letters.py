"""Letters to .docx (python-docx) and PDF (LibreOffice headless, from the .docx).

The wording comes from the editable templates in templates/foi/letters/ (override any of them in
the project's templates/foi/letters/); the issued text is stored on the Letter, so a letter
renders the same every time.
"""

from __future__ import annotations

from gongkai.core import files
from gongkai.core.documents import OfficialDocument

from .models import Letter


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed or failed."""


def render_docx(letter: Letter) -> bytes:
    """The letter in the GB/T 9704 layout: the issuing organisation's masthead with the
    letter's number, the title, the requester as 主送, the body, and the organisation's
    署名 and 成文日期 with room for its seal."""
    org = letter.organisation
    doc = OfficialDocument()
    doc.masthead(org.name, letter.number)
    doc.blank(2)
    doc.title(letter.title)
    doc.blank()
    lines = [line for line in letter.body.splitlines() if line.strip()]
    if lines and lines[0].rstrip().endswith("：") and not lines[0].startswith(("\u3000", " ")):
        doc.addressee(lines.pop(0))
    doc.texts(lines)
    doc.signature(org.name, letter.issued_on)
    return doc.save()


def soffice() -> str | None:
    return files.convert.soffice()


def render_pdf(letter: Letter) -> bytes:
    """The .docx converted to PDF by the sandboxed LibreOffice (core.files.convert)."""
    try:
        return files.convert_bytes(render_docx(letter), ".docx", "pdf", letter.title)
    except files.ConversionUnavailable as exc:
        raise PdfUnavailable(f"{exc}暂时无法生成 PDF，请下载 Word 版本。") from exc
    except files.FileRefused as exc:
        raise PdfUnavailable("PDF 生成失败，请稍后重试或下载 Word 版本。") from exc


def filename(letter: Letter, ext: str) -> str:
    return f"{letter.title}-{letter.number}.{ext}"
