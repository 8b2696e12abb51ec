"""Archives (.docx, .xlsx, .pptx, .odt, .ods, .zip) checked from the zip directory before any
parser opens them, and their XML parts checked for DTDs (entity declarations: billion laughs,
XXE) before any XML parser sees them.

The zip directory states each entry's sizes; Python's zipfile never inflates an entry past its
stated size (and fails the CRC check if the data disagrees), so checking the directory bounds
what any reader of the archive can unpack.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import FileRefused
from .limits import limits, megabytes

if TYPE_CHECKING:
    from lxml import etree

XML_SUFFIXES = (".xml", ".rels", ".vml")
PROLOGUE_BYTES = 64 * 1024
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
RATIO_MIN_BYTES = 1024 * 1024  # entries smaller than this are not judged by their ratio
KINDS = {
    ".docx": " Word（.docx）文档",
    ".docm": " Word（.docm）文档",
    ".xlsx": " Excel 工作簿",
    ".xlsm": " Excel 工作簿",
    ".pptx": " PowerPoint 演示文稿",
    ".odt": " OpenDocument 文档",
    ".ods": " OpenDocument 表格",
    ".ofd": " OFD 文件",
}


def broken(label: str, suffix: str | None = None) -> FileRefused:
    suffix = (suffix or Path(label).suffix).lower()
    kind = KINDS.get(suffix, "压缩格式文件")
    return FileRefused(f"无法读取文件「{label}」：不是有效的{kind}（文件已损坏或格式不符）。")


def open_zip(source: bytes | str | Path, label: str) -> zipfile.ZipFile:
    """The archive, checked: entry count, total unpacked size, compression ratio, no DTD in
    any XML part. Raises FileRefused (Chinese, naming the limit)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise broken(label) from exc
    try:
        check_directory(infos, label)
        for info in infos:
            if info.filename.lower().endswith(XML_SUFFIXES):
                check_xml_prologue(archive, info, label)
    except BaseException:
        archive.close()
        raise
    return archive


def check_archive(source: bytes | str | Path, label: str) -> None:
    open_zip(source, label).close()


def check_directory(infos: list[zipfile.ZipInfo], label: str) -> None:
    lim = limits()
    if len(infos) > lim["entries"]:
        raise FileRefused(f"文件「{label}」包含的文件数超过 {lim['entries']} 个上限。")
    total = 0
    for info in infos:
        total += info.file_size
        if total > lim["unpacked_bytes"]:
            raise FileRefused(
                f"文件「{label}」解压后超过 {megabytes(lim['unpacked_bytes'])} 上限。"
            )
        if info.file_size > RATIO_MIN_BYTES and info.file_size > lim["ratio"] * max(
            info.compress_size, 1
        ):
            raise FileRefused(
                f"文件「{label}」的压缩比超过 {lim['ratio']} 倍上限（疑似压缩炸弹），不予读取。"
            )


def check_xml_prologue(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> None:
    """Refuse an XML part that declares a DTD (a DOCTYPE or ENTITY can only come before the
    first element, so the prologue is enough)."""
    try:
        with archive.open(info) as fh:
            head = fh.read(PROLOGUE_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise FileRefused(f"无法读取文件「{label}」：文件已损坏（{info.filename}）。") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode()
    first = _FIRST_ELEMENT.search(head)
    prologue = head[: first.start()] if first else head
    if _DTD.search(prologue):
        raise FileRefused(
            f"文件「{label}」含有 XML 实体声明（DTD），按安全规定（不允许 DTD 和实体）不予读取。"
        )
    if first is None and len(head) >= PROLOGUE_BYTES:
        raise FileRefused(
            f"文件「{label}」的 XML 文件头超过 {megabytes(PROLOGUE_BYTES)} 上限（{info.filename}）。"
        )


def xml_parser() -> etree.XMLParser:
    """An lxml parser for XML taken from an uploaded file: no entities, no DTD, no network,
    no huge trees."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
