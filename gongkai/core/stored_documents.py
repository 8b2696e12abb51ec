"""Generated documents (letters, annual reports, circulars): rendered once per version, stored
in private storage, served from there.

A kind registers how to load its object from a key, the fingerprint of everything the rendered
file depends on, and one renderer per format. `stored()` returns the stored file for the current
version, rendering it first when it is missing; workers render ahead of the first download
(gongkai.core.tasks.generate_document). Two renderers of the same version (two workers, or a
worker and a download) are serialised on a lock, so the file and its row exist once.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from gongkai.core.models import GeneratedDocument
from gongkai.core.storage import private_storage

# Bump when the layout of generated files changes: every document renders anew once.
LAYOUT_VERSION = "1"


@dataclass
class DocumentKind:
    load: Callable[[str], Any]
    fingerprint: Callable[[Any], str]
    renderers: dict[str, Callable[[Any], bytes]] = field(default_factory=dict)


KINDS: dict[str, DocumentKind] = {}


def register(kind: str, spec: DocumentKind) -> None:
    KINDS[kind] = spec


def version_of(kind: str, obj: Any) -> str:
    raw = f"{LAYOUT_VERSION}\n{KINDS[kind].fingerprint(obj)}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def storage_name(kind: str, key: str, version: str, fmt: str) -> str:
    return f"documents/{kind}/{key.replace(':', '-')}/{version}.{fmt}"


def _lock(kind: str, key: str, version: str, fmt: str) -> None:
    """Serialise renderers of one version (PostgreSQL; SQLite's writers are serialised)."""
    if connection.vendor == "postgresql":
        token = zlib.crc32(f"{kind}|{key}|{version}|{fmt}".encode()) - 2**31  # an int4
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x646F63, token])


def stored(
    kind: str,
    key: str,
    fmt: str,
    obj: Any = None,
    *,
    before_render: Callable[[], None] | None = None,
) -> GeneratedDocument:
    """The stored file of the current version of (kind, key) in fmt, rendered if missing.
    Renderer errors (e.g. LibreOffice unavailable) propagate and store nothing.
    `before_render` runs only when a render is needed (a download's rate limit: serving a
    stored file costs nothing, rendering one starts LibreOffice); it refuses by raising."""
    spec = KINDS[kind]
    if fmt not in spec.renderers:
        raise KeyError(fmt)
    obj = spec.load(key) if obj is None else obj
    version = version_of(kind, obj)
    existing = GeneratedDocument.objects.filter(
        kind=kind, key=key, version=version, fmt=fmt
    ).first()
    if (
        existing is not None
        and existing.file.name
        and existing.file.storage.exists(existing.file.name)
    ):
        return existing
    if before_render is not None:
        before_render()
    data = spec.renderers[fmt](obj)
    name = storage_name(kind, key, version, fmt)
    with transaction.atomic():
        _lock(kind, key, version, fmt)
        existing = GeneratedDocument.objects.filter(
            kind=kind, key=key, version=version, fmt=fmt
        ).first()
        storage = private_storage()
        if existing is not None and existing.file.name and storage.exists(existing.file.name):
            return existing  # another renderer finished first
        if storage.exists(name):  # left by a renderer killed before its row was written
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if existing is not None:  # the row outlived its file: point it at the new one
            GeneratedDocument.objects.filter(pk=existing.pk).update(file=saved, size=len(data))
            existing.refresh_from_db()
            return existing
        try:
            with transaction.atomic():
                return GeneratedDocument.objects.create(
                    kind=kind, key=key, version=version, fmt=fmt, file=saved, size=len(data)
                )
        except IntegrityError:
            storage.delete(saved)
            return GeneratedDocument.objects.get(kind=kind, key=key, version=version, fmt=fmt)


def read(document: GeneratedDocument) -> bytes:
    with document.file.open("rb") as handle:
        data: bytes = handle.read()
    return data
