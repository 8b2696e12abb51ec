"""Text files as uploaded in China: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030
(Excel's and Notepad's 'ANSI' on a Chinese Windows)."""

from __future__ import annotations

from .errors import FileRefused
from .limits import limits, megabytes

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, label: str = "文件") -> str:
    """Decode an uploaded text file, refusing one over the text size limit or in no known
    encoding."""
    limit = limits()["text_bytes"]
    if len(data) > limit:
        raise FileRefused(f"文件「{label}」超过 {megabytes(limit)} 上限。")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(f"无法读取文件「{label}」：文本编码无法识别（支持 UTF-8 和 GB18030）。")
