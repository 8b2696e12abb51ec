"""Model fields several apps declare the same way."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def user_link(verbose_name: str = "操作人", *, blank: bool = True) -> models.ForeignKey[Any, Any]:
    """The user who did something: optional, kept as NULL when the account is deleted, no
    reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )
