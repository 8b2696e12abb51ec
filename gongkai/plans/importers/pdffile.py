"""Read a PDF that has a text layer (pypdf). A scanned PDF (no text) is refused with a message
saying what to upload instead.

A table is looked for in the page layout (columns kept apart by runs of spaces, read like a
text table by `plaintext`); prose (key points) is read from the plain text with the lines that
the page width broke joined again: a line is continued when it is (nearly) as long as the
longest line of its page and the next line opens no new numbered item.
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import RawDocument
from .plaintext import read_text
from .result import ParseError

_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．]|[①-⑳])"
)
_SENTENCE_END = tuple("。；：！？!?;:”）)")
SLACK = 2  # characters short of the longest line that still count as a full line
# The single space a PDF's text layer puts between Chinese and digits or Latin (2016 年).
_STRAY_SPACE = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=\S)|(?<=\S) (?=[\u3000-\u9fff\uff00-\uffef])"
)


def _unwrap(page: str) -> list[str]:
    lines = [_STRAY_SPACE.sub("", line.strip()) for line in page.splitlines()]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    last = ""  # the previous line as printed (before joining)
    for line in lines:
        if (
            out
            and out[-1]
            and line
            and len(last) >= width - SLACK
            and not last.endswith(_SENTENCE_END)
            and not _MARKER.match(line)
        ):
            out[-1] += line
        else:
            out.append(line)
        last = line
    return out


def read_pdf(path: str | Path, name: str | None = None) -> RawDocument:
    label = name or Path(path).name
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(f"无法读取「{label}」：PDF 文件设有密码，请上传未加密的文件。")
        pages = list(reader.pages)
        layout = [p.extract_text(extraction_mode="layout") or "" for p in pages]
        plain = [p.extract_text() or "" for p in pages]
    except ParseError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise ParseError(f"无法读取文件「{label}」：不是有效的 PDF 文件（{exc}）。") from exc
    if not "".join(plain).strip():
        raise ParseError(
            f"「{label}」没有文字层（可能是扫描件），无法读取其中的文字。"
            "请上传 Word（.docx）或 Excel（.xlsx）原文件。"
        )
    doc = read_text("\n".join(layout), label)
    if doc.tables:
        return doc
    lines = [line for page in plain for line in _unwrap(page)]
    return read_text("\n".join(lines), label)
