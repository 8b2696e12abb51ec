"""What every participation action shares."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ParticipationError(Exception):
    """A request the rules refuse; the message is Chinese and shown to the user as it is.
    `field` names the form field it concerns, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


PUBLIC = "公众"  # the audit actor label of anonymous submissions


def require(allowed: bool, message: str = "您没有权限进行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def changed(obj, fields: dict) -> tuple[dict, dict]:
    """Apply fields to obj; return (before, after) of the fields that changed."""
    before, after = {}, {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(obj, name, value)
    return before, after
