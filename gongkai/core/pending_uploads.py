"""An upload kept across a form's validation error, so a citizen whose application is refused
for a missing phone number does not have to choose the ID proof again. The file waits in the
private storage under pending/; the browser session holds its path, so only the session that
uploaded it can use it."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from pathlib import Path, PurePath
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest
from django.utils import timezone

from gongkai.core.storage import private_storage

SESSION_KEY = "pending_uploads"


def _entries(request: HttpRequest) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
    return entries


def keep(request: HttpRequest, scope: str, upload: File[Any]) -> str:
    """Store upload for this session under scope (replacing an earlier one); returns its name."""
    discard(request, scope)
    name = PurePath(upload.name or "").name[-100:] or "upload"
    path = private_storage().save(f"pending/{uuid.uuid4().hex}/{name}", upload)
    entries = _entries(request)
    entries[scope] = {"path": path, "name": name}
    request.session[SESSION_KEY] = entries
    return name


def kept_name(request: HttpRequest, scope: str) -> str | None:
    entry = _entries(request).get(scope)
    if entry and private_storage().exists(entry["path"]):
        return entry["name"]
    return None


def take(request: HttpRequest, scope: str) -> File[Any] | None:
    """The kept upload as an open file (the caller saves it where it belongs, then calls
    discard), or None."""
    entry = _entries(request).get(scope)
    if not entry or not private_storage().exists(entry["path"]):
        return None
    return File(private_storage().open(entry["path"], "rb"), name=entry["name"])


def discard(request: HttpRequest, scope: str) -> None:
    entries = _entries(request)
    entry = entries.pop(scope, None)
    if entry is None:
        return
    request.session[SESSION_KEY] = entries
    storage = private_storage()
    if storage.exists(entry["path"]):
        storage.delete(entry["path"])


def purge_abandoned(*, older_than: dt.timedelta, dry_run: bool = False) -> int:
    """Delete kept uploads older than `older_than` (their session has expired, so nobody can
    take them any more); returns how many. An abandoned application's ID proof is personal
    data: it must not stay in storage for ever."""
    storage = private_storage()
    if not storage.exists("pending"):
        return 0
    cutoff = timezone.now() - older_than
    purged = 0
    folders, _ = storage.listdir("pending")
    for folder in folders:
        _, files = storage.listdir(f"pending/{folder}")
        for name in files:
            path = f"pending/{folder}/{name}"
            if storage.get_modified_time(path) >= cutoff:
                continue
            purged += 1
            if not dry_run:
                storage.delete(path)
        if not dry_run and isinstance(storage, FileSystemStorage):
            with contextlib.suppress(OSError):  # not empty: a newer file is still waiting
                Path(storage.path(f"pending/{folder}")).rmdir()
    return purged
