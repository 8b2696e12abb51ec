"""The one place that reads uploaded files, safely.

Every import and upload goes through here:

- `check_content(file, name)` / `validate_upload` (a form validator): the bytes are what the
  name says (an executable named .docx is refused), within the upload size limit;
- `open_zip` / `check_archive`: an archive's entry count, total uncompressed size and
  compression ratio from its zip directory, and no DTD in its XML parts, before any parser
  opens it; `xml_parser()` for XML we parse ourselves (no entities, no network);
- `read_sheet_rows(data, name)`: a sheet's rows within a row × column budget whatever its
  declared dimension says (`check_workbook` for readers that open the file themselves);
- `run_bounded(func, …)`: a parse in a forked child under RLIMIT_AS / RLIMIT_CPU, so a bomb
  ends in `FileRefused` naming the limit, never in a dead worker;
- `decode_text(data)`: UTF-8, else GB18030;
- `converted` / `convert_bytes`: LibreOffice in a sandbox without network (convert.py).

Limits: `limits()`, i.e. settings.GONGKAI_FILE_LIMITS over `limits.DEFAULTS`. Every message
is Chinese and names the limit. A pure module: it imports no gongkai app.

The child is forked from the web or worker process (gthread workers included): it only runs
the parser over the file and leaves with os._exit, never touching the database or the cache.
Request bodies are limited before reading by `middleware.BodyLimitMiddleware`.
"""

from .archive import check_archive, open_zip, xml_parser
from .content import check_content, validate_upload
from .convert import (
    ConversionUnavailable,
    convert_bytes,
    converted,
    limit_renders,
    sandbox_prefix,
)
from .errors import FileRefused
from .limits import limits, megabytes
from .sandbox import run_bounded
from .sheets import check_workbook, read_rows, read_sheet_rows
from .text import decode_text

__all__ = [
    "ConversionUnavailable",
    "FileRefused",
    "check_archive",
    "check_content",
    "check_workbook",
    "convert_bytes",
    "converted",
    "decode_text",
    "limit_renders",
    "limits",
    "megabytes",
    "open_zip",
    "read_rows",
    "read_sheet_rows",
    "run_bounded",
    "sandbox_prefix",
    "validate_upload",
    "xml_parser",
]
