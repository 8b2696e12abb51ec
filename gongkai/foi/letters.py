"""Letters: what a letter must contain before it goes out, and its .docx (python-docx) and PDF
(LibreOffice headless, from the .docx).

The wording comes from the editable templates in templates/foi/letters/ (override any of them in
the project's templates/foi/letters/); the issued text is stored on the Letter, so a letter
renders the same every time.

The checks (issue: a 部分公开 letter went out with 「（请写明不予公开部分及理由）」): no letter is
approved, signed, issued or delivered while it holds a template placeholder; a 部分公开 or 不予公开
reply states what is withheld and why (条例第三十六条第（三）项、第三十七条); a reply under
第三十六条第（一）项 says where the information was published, with its link; one under
第三十六条第（五）项 names the responsible agency and how to contact it; a letter that carries
remedies prints them (RULES.md §11).
"""

from __future__ import annotations

import re

from gongkai.core import files
from gongkai.core.actions import ActionError
from gongkai.core.documents import OfficialDocument
from gongkai.orgs.review import MISSING_PLACEHOLDER, MISSING_SUPERVISOR_PLACEHOLDER

from .models import REASONS_REQUIRED, Letter, Outcome, Reply, ReplyPath

# 「（请写明…）」「（写明…）」「（如知道…，写明…）」「（请填写…）」, bracketed blanks and ×××/XXX.
PLACEHOLDER = re.compile(r"（[^（）]*?(?:写明|填写|注明)[^（）]*?）|【[^】]*】|×{2,}|[XＸ]{3,}")


def placeholders(text: str) -> list[str]:
    """The unfilled template placeholders in text, in order, each once."""
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER.finditer(text or "")))


def reply_problems(reply: Reply) -> list[str]:
    """What the reply still lacks, in Chinese; empty when it may go out."""
    problems = []
    found = placeholders(reply.body) + placeholders(reply.legal_basis)
    if found:
        problems.append("答复正文尚有未填写的内容：" + "、".join(f"「{p}」" for p in found))
    if reply.outcome in REASONS_REQUIRED and not reply.reasons.strip():
        what = "不予公开部分" if reply.outcome == Outcome.PARTLY_DISCLOSED else "不予公开"
        problems.append(
            f"「{Outcome(reply.outcome).label}」须写明{what}的内容及理由"
            "（条例第三十六条第（三）项、第三十七条）"
        )
    if reply.path == ReplyPath.PUBLISHED and not (
        reply.published_where.strip() and reply.published_url.strip()
    ):
        problems.append("已主动公开的信息须写明公开的位置和链接（条例第三十六条第（一）项）")
    if reply.path == ReplyPath.NOT_OURS and not reply.responsible_name.strip():
        problems.append("须写明负责公开该信息的机关（条例第三十六条第（五）项）")
    if reply.path == ReplyPath.NOT_OURS and not reply.responsible_contact.strip():
        problems.append("须写明负责公开该信息的机关的联系方式（条例第三十六条第（五）项）")
    return problems


def text_problems(text: str, remedies: str = "") -> list[str]:
    """What an issued letter's text lacks: placeholders left, or its remedies sentence."""
    problems = []
    found = placeholders(text)
    if found:
        problems.append("文书尚有未填写的内容：" + "、".join(f"「{p}」" for p in found))
    if MISSING_PLACEHOLDER in found or MISSING_SUPERVISOR_PLACEHOLDER in found:
        problems.append("请政务公开办公室在机构信息中设置出具机关的行政复议机关（或主管部门）")
    if remedies and remedies.strip() not in text:
        problems.append("文书未载明救济途径（模板须包含 {{ remedies }}）")
    return problems


def refuse(problems: list[str], what: str) -> None:
    """ActionError naming everything missing, when anything is."""
    if problems:
        raise ActionError(f"不能{what}：" + "；".join(problems) + "。")


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
