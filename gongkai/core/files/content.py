"""What an uploaded file is, by its bytes: an executable named .docx is refused whatever its
name says. Each extension accepts the signatures its format really has; OOXML and ODF files
must also be zip archives holding their main part."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import FileRefused
from .limits import limits, megabytes

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

HEAD_BYTES = 8192
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls, .wps, .et (Compound File)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".bmp": (b"BM",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".webp": (b"RIFF",),
    ".ofd": ZIP,
    ".zip": ZIP,
    ".docx": ZIP,
    ".docm": ZIP,
    ".xlsx": ZIP,
    ".xlsm": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".odp": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".et": OLE + ZIP,
    ".wps": OLE + ZIP,
    ".rtf": (b"{\\rtf",),
}
# The part an OOXML / ODF archive must hold to be what its name says.
MAIN_PART = {
    ".docx": "word/document.xml",
    ".docm": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".xlsm": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
    ".odt": "content.xml",
    ".ods": "content.xml",
    ".odp": "content.xml",
    ".ofd": "OFD.xml",
}
TEXT = {".txt", ".text", ".csv", ".tsv", ".yaml", ".yml"}
# Executables and scripts, refused under any name.
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")


def _read_head(file: bytes | IO[bytes]) -> bytes:
    if isinstance(file, bytes):
        return file[:HEAD_BYTES]
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        return file.read(HEAD_BYTES)
    finally:
        file.seek(position)


def check_content(
    file: bytes | IO[bytes], name: str, *, size: int | None = None, strict: bool = True
) -> None:
    """Refuse a file whose bytes are not what its extension says (FileRefused, Chinese).
    An extension we have no signature for is refused when `strict`, else only an executable
    under it is."""
    label = Path(name).name
    suffix = Path(name).suffix.lower()
    limit = limits()["upload_bytes"]
    if size is None and isinstance(file, bytes):
        size = len(file)
    if size is not None and size > limit:
        raise FileRefused(f"文件「{label}」超过 {megabytes(limit)} 上限。")
    head = _read_head(file)
    if not head:
        raise FileRefused(f"文件「{label}」是空文件。")
    if head.startswith(EXECUTABLE) and suffix not in TEXT:
        raise FileRefused(
            f"文件「{label}」是可执行程序或脚本，不是{suffix or '所声明'}文件，不予接收。"
        )
    if suffix in TEXT:
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FileRefused(f"文件「{label}」不是文本文件（内容与扩展名 {suffix} 不符）。")
        return
    signatures = SIGNATURES.get(suffix)
    if signatures is None:
        if not strict:
            return
        raise FileRefused(f"不支持的文件格式「{suffix or '无扩展名'}」（「{label}」）。")
    if not head.startswith(signatures) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        raise FileRefused(f"文件「{label}」的内容与扩展名 {suffix} 不符，不予接收。")
    part = MAIN_PART.get(suffix)
    if part and head.startswith(ZIP):
        _check_main_part(file, label, suffix, part)


def _check_main_part(file: bytes | IO[bytes], label: str, suffix: str, part: str) -> None:
    import io

    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRefused(
            f"无法读取文件「{label}」：文件已损坏或不是有效的 {suffix} 文件。"
        ) from exc
    finally:
        stream.seek(position)
    if part not in names and not (suffix == ".ofd" and any(n.lower() == "ofd.xml" for n in names)):
        raise FileRefused(f"文件「{label}」的内容与扩展名 {suffix} 不符，不予接收。")


def validate_upload(upload: UploadedFile[bytes]) -> None:
    """A Django form validator: the upload's bytes match its name, within the upload size
    limit (ValidationError). Extensions without a known signature pass unless executable; the
    field's own FileExtensionValidator says which extensions it takes."""
    from django.core.exceptions import ValidationError

    try:
        # (An uploaded file always has a name; str() only tells the checker so.)
        check_content(upload, str(upload.name), size=upload.size, strict=False)
    except FileRefused as exc:
        raise ValidationError(str(exc), code="content") from exc
