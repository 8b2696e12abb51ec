"""Run a parse of an uploaded file in a forked child under RLIMIT_AS and RLIMIT_CPU (and a
wall-clock alarm), so that a bomb ends the child, not the worker: the caller gets the result,
the parser's own exception, or FileRefused naming the limit that was hit.

The child only parses (pure functions over a file): it never touches the database or the
cache, and leaves with os._exit so nothing of the parent's (connections, atexit hooks) runs.
The result and exceptions come back pickled through a pipe.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import FileRefused
from .limits import limits, megabytes

T = TypeVar("T")

# Signals of a child that ran out of memory: a Rust or C++ allocation failure aborts
# (SIGABRT), a stack or mmap failure may end in SIGSEGV/SIGBUS.
_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS}
_TIME_SIGNALS = {signal.SIGXCPU, signal.SIGKILL, signal.SIGALRM}


def address_space() -> int:
    """This process's current virtual size in bytes (VmSize)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def set_limits(memory: int | None, cpu: int | None, wall: int | None) -> None:
    """Limit this (child) process: `memory` bytes of address space beyond what it has now,
    `cpu` seconds of CPU, `wall` seconds of real time."""
    if memory:
        cap = address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    if cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if wall:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(wall)


def run_bounded(func: Callable[..., T], *args: Any, label: str = "文件", **kwargs: Any) -> T:
    """`func(*args, **kwargs)` in a child process within the file limits (memory_bytes,
    cpu_seconds, wall_seconds). Returns its result or raises its exception; a child that ran
    out of memory or time raises FileRefused with a Chinese message naming the limit."""
    lim = limits()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read_fd)
            faulthandler.disable()  # an abort at the memory limit is expected: no dump
            set_limits(lim["memory_bytes"], lim["cpu_seconds"], lim["wall_seconds"])
            try:
                outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
            except MemoryError:
                outcome = ("memory", None)
            except Exception as exc:
                outcome = ("error", exc)
            try:
                payload = pickle.dumps(outcome)
            except MemoryError:
                payload = pickle.dumps(("memory", None))
            except Exception as exc:
                payload = pickle.dumps(("error", FileRefused(f"无法读取文件「{label}」：{exc}")))
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if payload:
        kind, value = pickle.loads(payload)  # noqa: S301 - our own child's pickle
        if kind == "ok":
            result: T = value  # what fn returned, pickled by the child
            return result
        if kind == "error":
            raise value
        raise FileRefused(memory_message(label, lim["memory_bytes"]))
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in _TIME_SIGNALS:
            if sig == signal.SIGALRM:
                raise FileRefused(
                    f"解析文件「{label}」超过 {lim['wall_seconds']} 秒的时间上限，已停止。"
                )
            raise FileRefused(
                f"解析文件「{label}」超过 {lim['cpu_seconds']} 秒的 CPU 时间上限，已停止。"
            )
        if sig in _MEMORY_SIGNALS:
            raise FileRefused(memory_message(label, lim["memory_bytes"]))
    raise FileRefused(memory_message(label, lim["memory_bytes"]))


def memory_message(label: str, limit: int) -> str:
    return f"解析文件「{label}」所需内存超过 {megabytes(limit)} 上限，已停止。"
