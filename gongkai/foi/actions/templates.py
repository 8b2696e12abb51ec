"""The office edits the wording of the letters (per government, per outcome)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.template.loader import get_template

from gongkai.core import audit
from gongkai.core.actions import ActionError, require

from .. import letter_language, rules
from ..models import LETTER_TEMPLATES, LetterTemplate
from .base import _user

if TYPE_CHECKING:
    from gongkai.core.actions import AnyUser
    from gongkai.orgs.models import Organisation


def default_text(key: str) -> str:
    template = get_template(f"foi/letters/{key}.txt")
    # The Django engine's backend Template wraps a django.template.Template (stubs: unknown).
    source: str = template.template.source  # type: ignore[attr-defined]
    return source


def current_text(government_id: int, key: str) -> str:
    own = LetterTemplate.objects.filter(government_id=government_id, key=key).first()
    return own.text if own else default_text(key)


def save_letter_template(
    actor: AnyUser, government: Organisation, key: str, text: str
) -> LetterTemplate | None:
    """Store the government's wording (checked against the restricted letter language:
    foi.letter_language), or go back to the default when the text is empty or equals it."""
    require(rules.is_office(actor, government.pk), "只有政务公开办公室可以修改文书模板。")
    if key not in LETTER_TEMPLATES:
        raise ActionError("没有这个文书模板。")
    text = text.replace("\r\n", "\n").strip()
    problems = letter_language.check(text)
    if problems:
        raise ActionError(" ".join(problems), field="text")
    with transaction.atomic():
        existing = LetterTemplate.objects.filter(government=government, key=key).first()
        before = {"text": existing.text} if existing else {"text": "（默认）"}
        if not text or text == default_text(key).strip():
            if existing is not None:
                existing.delete()
            audit.record(
                actor,
                "foi.letter_template_reset",
                None,
                organisation_id=government.pk,
                before=before,
                after={"key": key, "text": "（默认）"},
            )
            return None
        obj, _ = LetterTemplate.objects.update_or_create(
            government=government,
            key=key,
            defaults={"text": text, "updated_by": _user(actor)},
        )
        audit.record(
            actor,
            "foi.letter_template_save",
            obj,
            organisation_id=government.pk,
            before=before,
            after={"key": key, "text": text},
        )
        return obj
