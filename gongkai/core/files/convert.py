"""The one LibreOffice conversion (old formats to .docx/.xlsx for the importers, .docx to PDF
for letters and reports), sandboxed:

- no network: soffice runs in its own user and network namespace (`unshare -rn`, or bwrap when
  installed), where not even loopback is up, so a linked image or OLE link to any URL is never
  fetched; links are also set never to update and macros never to run (the profile);
- its own temporary profile, fonts still visible (the system fontconfig plus
  core/documents/fonts.conf through FONTCONFIG_FILE);
- RLIMIT_AS / RLIMIT_CPU and a wall-clock timeout, the process group killed on timeout;
- at most `conversions` at once on a host (file-lock slots), others wait then are refused.

Under GONGKAI_ENV=production a conversion without the sandbox is refused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FileRefused
from .limits import limits, megabytes

if TYPE_CHECKING:
    from django.http import HttpRequest

FONTS_CONF = Path(__file__).resolve().parent.parent / "documents" / "fonts.conf"

PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowLinkWarningDialog" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConversionUnavailable(FileRefused):
    """LibreOffice is missing, the sandbox is missing in production, or every slot is busy."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def sandbox_prefix() -> tuple[str, ...] | None:
    """The command prefix that runs a program without network, or None when the host has no
    usable namespace tool."""
    bwrap = shutil.which("bwrap")
    prefix: tuple[str, ...]
    if bwrap:
        prefix = (
            bwrap,
            "--unshare-net",
            "--unshare-user",
            "--die-with-parent",
            "--bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
        )
        if _works(prefix):
            return prefix
    unshare = shutil.which("unshare")
    if unshare:
        prefix = (unshare, "--user", "--map-root-user", "--net")
        if _works(prefix):
            return prefix
    return None


def _works(prefix: tuple[str, ...]) -> bool:
    try:
        return subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def production() -> bool:
    return os.environ.get("GONGKAI_ENV", "").strip().lower() == "production"


def _preexec(memory: int, cpu: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _lock_dir() -> Path:
    try:
        from django.conf import settings

        base = Path(getattr(settings, "DATA_DIR", tempfile.gettempdir()))
    except Exception:
        base = Path(tempfile.gettempdir())
    path = base / "locks" / "convert"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def conversion_slot(wait_seconds: float | None = None) -> Iterator[None]:
    """One of `conversions` slots on this host (fcntl file locks, released when the process
    dies). Waits up to `wait_seconds` (default: the conversion timeout), then refuses."""
    lim = limits()
    slots = max(1, int(lim["conversions"]))
    wait = lim["convert_seconds"] if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    directory = _lock_dir()
    while True:
        for n in range(slots):
            fh = open(directory / f"slot-{n}.lock", "a+b")  # noqa: SIM115 - held while converting
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()
            return
        if time.monotonic() >= deadline:
            raise ConversionUnavailable(
                f"文档转换繁忙（同时转换不超过 {slots} 个的上限），请稍后再试。"
            )
        time.sleep(0.2)


def convert_file(path: Path, target: str, label: str, outdir: Path) -> Path:
    """Convert `path` to `target` ('pdf', 'docx', 'xlsx') into `outdir`; the converted file.
    Raises ConversionUnavailable / FileRefused with a Chinese message."""
    exe = soffice()
    if exe is None:
        raise ConversionUnavailable(
            f"无法转换「{label}」：服务器未安装 LibreOffice（请安装 libreoffice-writer、"
            "libreoffice-calc 和 fonts-noto-cjk）。"
        )
    prefix = sandbox_prefix()
    if prefix is None and production():
        raise ConversionUnavailable(
            f"无法转换「{label}」：生产环境要求在无网络的隔离环境中转换文档，"
            "但本机无法使用 unshare 或 bwrap（需允许非特权用户命名空间）。"
        )
    lim = limits()
    work = Path(tempfile.mkdtemp(prefix="gongkai-soffice-"))
    try:
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, "utf-8")
        fonts = work / "fonts.conf"
        fonts.write_text(
            "<?xml version='1.0'?>\n<!DOCTYPE fontconfig SYSTEM 'fonts.dtd'>\n<fontconfig>\n"
            "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>\n"
            f"<include ignore_missing='yes'>{FONTS_CONF}</include>\n"
            f"<cachedir>{work / 'fontcache'}</cachedir>\n</fontconfig>\n",
            "utf-8",
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "TMPDIR": str(work),
            "LANG": "zh_CN.UTF-8",
            "FONTCONFIG_FILE": str(fonts),
            "SAL_USE_VCLPLUGIN": "svp",
        }
        command = [
            *(prefix or ()),
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ]
        with conversion_slot():
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=work,
                preexec_fn=_preexec(lim["convert_memory_bytes"], lim["convert_cpu_seconds"]),
            )
            try:
                code = process.wait(timeout=lim["convert_seconds"])
            except subprocess.TimeoutExpired as exc:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise FileRefused(
                    f"转换「{label}」超过 {lim['convert_seconds']} 秒的时间上限，已停止。"
                ) from exc
        out = outdir / f"{path.stem}.{target}"
        if code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL):
            raise FileRefused(
                f"转换「{label}」超过 {lim['convert_cpu_seconds']} 秒的 CPU 时间上限，已停止。"
            )
        if code < 0 and -code in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            raise FileRefused(
                f"转换「{label}」所需内存超过 {megabytes(lim['convert_memory_bytes'])} 上限，已停止。"
            )
        if code != 0 or not out.exists():
            raise FileRefused(
                f"无法转换「{label}」：LibreOffice 无法转换此文件，文件可能已损坏或受密码保护。"
                f"请在 WPS 或 Office 中打开，另存为 .{target} 后重新上传。"
            )
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def converted(path: str | Path, target: str, label: str) -> Iterator[Path]:
    """A converted copy of `path` (e.g. target 'docx'), deleted afterwards."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        tmp_dir = Path(tmp)
        # A copy under a plain name: soffice names its output after the input.
        source = tmp_dir / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        out_dir = tmp_dir / "out"
        out_dir.mkdir()
        yield convert_file(source, target, label, out_dir)


def convert_bytes(data: bytes, suffix: str, target: str, label: str) -> bytes:
    """`data` (a file ending in `suffix`, e.g. '.docx') converted to `target`, as bytes."""
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        source = Path(tmp) / f"source{suffix}"
        source.write_bytes(data)
        with converted(source, target, label) as out:
            return out.read_bytes()


def limit_renders(request: HttpRequest, what: str = "PDF") -> None:
    """Refuse a download that needs a conversion when this requester (the user, else the
    client address) has had `pdf_per_minute` of them this minute (core.rate_limits). Stored
    files are served without it (core.stored_documents.stored(before_render=…))."""
    from gongkai.core.rate_limits import client_ip, rate_limited_key

    per_minute = int(limits()["pdf_per_minute"])
    # A user, AnonymousUser, or None without the authentication middleware.
    user: Any = getattr(request, "user", None)
    who = f"user-{user.pk}" if getattr(user, "is_authenticated", False) else client_ip(request)
    if rate_limited_key(f"render:{who}", per_minute, 60):
        raise ConversionUnavailable(
            f"生成 {what} 过于频繁（每分钟不超过 {per_minute} 份的上限），请稍后再试或下载 Word 版本。"
        )
