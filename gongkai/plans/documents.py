"""Circulars (督查通报) as stored documents: rendered once per content, private storage."""

from __future__ import annotations

import json

from gongkai.core import stored_documents as documents

from . import circulars
from .models import Circular

KIND = "plans.circular"


def _load(key: str) -> Circular:
    return Circular.objects.select_related("plan").get(pk=int(key))


def _fingerprint(circular: Circular) -> str:
    return json.dumps(
        [
            circular.plan_id,
            circular.number,
            circular.period_start.isoformat(),
            circular.period_end.isoformat(),
            circular.data,
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


documents.register(
    KIND,
    documents.DocumentKind(
        load=_load, fingerprint=_fingerprint, renderers={"docx": circulars.render_docx}
    ),
)


def stored_circular(circular: Circular):
    return documents.stored(KIND, str(circular.pk), "docx", obj=circular)
