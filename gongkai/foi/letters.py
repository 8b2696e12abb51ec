"""Letters to .docx (python-docx) and PDF (LibreOffice headless, from the .docx).

The wording comes from the editable templates in templates/foi/letters/ (override any of them in
the project's templates/foi/letters/); the issued text is stored on the Letter, so a letter
renders the same every time.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Letter

FONT = "仿宋"
TITLE_FONT = "宋体"


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed or failed."""


def _run(paragraph, text: str, *, size: int = 16, bold: bool = False, font: str = FONT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return run


def render_docx(letter: Letter) -> bytes:
    doc = Document()
    org = letter.organisation
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, org.name, size=22, bold=True, font=TITLE_FONT)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, letter.title, size=22, bold=True, font=TITLE_FONT)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(number, letter.number)
    for line in letter.body.splitlines():
        if not line.strip():
            continue
        _run(doc.add_paragraph(), line)
    doc.add_paragraph()
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(sign, org.name)
    when = doc.add_paragraph()
    when.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(when, f"{letter.issued_on.year}年{letter.issued_on.month}月{letter.issued_on.day}日")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(letter: Letter, *, timeout: int = 120) -> bytes:
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，暂时无法生成 PDF，请下载 Word 版本。")
    with tempfile.TemporaryDirectory(prefix="gongkai-letter-") as tmp:
        src = Path(tmp) / "letter.docx"
        src.write_bytes(render_docx(letter))
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable("PDF 生成失败，请稍后重试或下载 Word 版本。") from exc
        out = Path(tmp) / "letter.pdf"
        if not out.exists():
            raise PdfUnavailable("PDF 生成失败，请稍后重试或下载 Word 版本。")
        return out.read_bytes()


def filename(letter: Letter, ext: str) -> str:
    return f"{letter.title}-{letter.number}.{ext}"
