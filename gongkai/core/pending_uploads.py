"""An upload kept across a form's validation error, so a citizen whose application is refused
for a missing phone number does not have to choose the ID proof again. The file waits in the
private storage under pending/; the browser session holds its path, so only the session that
uploaded it can use it."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.http import HttpRequest

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
