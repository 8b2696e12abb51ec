"""The one helper every action uses to record what it changed."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from gongkai.core.models import AuditEvent

if TYPE_CHECKING:
    from gongkai.core.actions import Actor


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of obj, for an event's before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = _jsonable(field.value_from_object(obj))
    return data


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event. Call it inside the action's transaction, after the write."""
    # A signed-in user is linked; anything else (a system label, AnonymousUser) is only named.
    user = actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None
    if organisation_id is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None) or getattr(
            obj, "audit_organisation_id", None
        )
    from gongkai.core.pagecache import action_committed

    action_committed(action, organisation_id)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(user.get_username() if user is not None else str(actor or "系统")),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        organisation_id=organisation_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
    )
