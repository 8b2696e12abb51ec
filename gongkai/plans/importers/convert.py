"""Convert old formats (.doc, .wps, .et) with LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .result import ParseError

TIMEOUT_SECONDS = 120


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def converted(path: Path, target: str, label: str) -> Iterator[Path]:
    """Yield a converted copy of `path` (e.g. target 'docx'), deleted afterwards."""
    soffice = soffice_path()
    if soffice is None:
        raise ParseError(
            f"无法读取「{label}」：{path.suffix} 格式需要 LibreOffice 转换，但服务器未安装。"
            f"请在 Word 或 WPS 中将文件另存为 .{target} 后重新上传。"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        tmp_dir = Path(tmp)
        # A private profile: a running LibreOffice (or a parallel conversion) cannot block us.
        profile = (tmp_dir / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_dir),
            str(path),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ParseError(f"无法读取「{label}」：LibreOffice 转换超时。") from exc
        out = tmp_dir / f"{path.stem}.{target}"
        if result.returncode != 0 or not out.exists():
            raise ParseError(
                f"无法读取「{label}」：LibreOffice 无法转换此文件，文件可能已损坏或受密码保护。"
                f"请在 WPS 或 Office 中打开，另存为 .{target} 后重新上传。"
            )
        yield out
