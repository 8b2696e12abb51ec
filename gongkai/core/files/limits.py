"""The limits every read of an uploaded file keeps: one dict, `settings.GONGKAI_FILE_LIMITS`
(overriding `DEFAULTS` key by key; tests lower them)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # What arrives.
    "upload_bytes": 20 * 1024 * 1024,  # one uploaded file
    # Archives (.docx/.xlsx/.pptx/.odt/.ods/.zip), from the zip directory before opening.
    "unpacked_bytes": 200 * 1024 * 1024,  # total uncompressed size of all entries
    "entries": 5000,  # number of entries
    "ratio": 200,  # uncompressed / compressed, per entry (entries over 1 MB)
    # Spreadsheets: a row × column budget, whatever the declared <dimension> says.
    "rows": 50_000,
    "columns": 256,
    # Text files (CSV, YAML, TXT).
    "text_bytes": 20 * 1024 * 1024,
    # The child process that parses: address space beyond what the parent had, CPU, wall clock.
    "memory_bytes": 1024 * 1024 * 1024,
    "cpu_seconds": 60,
    "wall_seconds": 120,
    # LibreOffice conversions: memory, CPU and wall clock, and how many run at once per site.
    "convert_memory_bytes": 2048 * 1024 * 1024,
    "convert_cpu_seconds": 120,
    "convert_seconds": 180,
    "conversions": 2,
    # PDF downloads that need a conversion, per requester per minute.
    "pdf_per_minute": 10,
}


def limits() -> dict[str, Any]:
    """The limits in force: DEFAULTS overridden by settings.GONGKAI_FILE_LIMITS (when Django is
    configured; a bare parser run outside Django keeps the defaults)."""
    try:
        from django.conf import settings

        configured = dict(getattr(settings, "GONGKAI_FILE_LIMITS", {}) or {})
    except Exception:
        configured = {}
    return DEFAULTS | configured


def megabytes(n: int) -> str:
    """A byte count as the message says it: 「200 MB」, 「1.5 MB」, 「512 KB」."""
    if n >= 1024 * 1024:
        value = n / (1024 * 1024)
        return f"{value:g} MB" if value == int(value) else f"{value:.1f} MB"
    if n >= 1024:
        return f"{n // 1024} KB"
    return f"{n} 字节"
