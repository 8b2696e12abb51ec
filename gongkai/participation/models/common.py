"""Choices and helpers shared by the participation models."""

from django.db import models


class PublicationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


def mask_name(name: str) -> str:
    """「张三」→「张*」, 「欧阳娜娜」→「欧***」; empty → 「匿名」. Used wherever a member of the
    public's name reaches a public page."""
    name = (name or "").strip()
    if not name:
        return "匿名"
    return name[0] + "*" * max(len(name) - 1, 1)
