"""Letters (告知书) as stored documents: rendered once per letter text, private storage."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from gongkai.core import stored_documents as documents

from . import letters
from .models import Letter

if TYPE_CHECKING:
    from gongkai.core.models import GeneratedDocument

KIND = "foi.letter"
FORMATS = ("docx", "pdf")


def _load(key: str) -> Letter:
    return Letter.objects.select_related("organisation").get(pk=int(key))


def _fingerprint(letter: Letter) -> str:
    return json.dumps(
        [
            letter.organisation.name,
            letter.title,
            letter.number,
            letter.body,
            letter.issued_on.isoformat(),
        ],
        ensure_ascii=False,
    )


documents.register(
    KIND,
    documents.DocumentKind(
        load=_load,
        fingerprint=_fingerprint,
        renderers={"docx": letters.render_docx, "pdf": letters.render_pdf},
    ),
)


def stored_letter(
    letter: Letter, fmt: str, before_render: Callable[[], None] | None = None
) -> GeneratedDocument:
    return documents.stored(KIND, str(letter.pk), fmt, obj=letter, before_render=before_render)
