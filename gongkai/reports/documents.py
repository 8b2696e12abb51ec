"""Annual report exports as stored documents: rendered once per content of the report
(its saved version or the draft's figures), private storage."""

from __future__ import annotations

from gongkai.core import stored_documents as documents

from . import exports

KIND = "reports.export"


def key_for(organisation, year: int, scope: str) -> str:
    return f"{organisation.pk}:{year}:{scope}"


def _load(key: str):
    from gongkai.orgs.models import Organisation

    org_id, year, scope = key.split(":")
    return exports.document_for(Organisation.objects.get(pk=int(org_id)), int(year), scope)


def _fingerprint(document) -> str:
    return f"{document.title}\n{exports.to_html(document)}"


documents.register(
    KIND,
    documents.DocumentKind(
        load=_load,
        fingerprint=_fingerprint,
        renderers={"docx": exports.to_docx, "xlsx": exports.to_xlsx, "pdf": exports.to_pdf},
    ),
)


def stored_export(organisation, year: int, scope: str, fmt: str, document, before_render=None):
    key = key_for(organisation, year, scope)
    return documents.stored(KIND, key, fmt, obj=document, before_render=before_render)
