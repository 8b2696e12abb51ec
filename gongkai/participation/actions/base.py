"""What every participation action shares."""

from __future__ import annotations

PUBLIC = "公众"  # the audit actor label of anonymous submissions


def changed(obj, fields: dict) -> tuple[dict, dict]:
    """Apply fields to obj; return (before, after) of the fields that changed."""
    before, after = {}, {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(obj, name, value)
    return before, after
