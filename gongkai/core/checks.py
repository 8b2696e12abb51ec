"""System checks: bad production configuration fails `manage.py check --deploy`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def test_switches_off_in_production(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if not getattr(settings, "PRODUCTION", False):
        return errors
    if not settings.GONGKAI_CAPTCHA_ENABLED:
        errors.append(
            Error(
                "生产环境不得关闭验证码（GONGKAI_CAPTCHA_ENABLED=false 仅供本地基准测试）。",
                id="gongkai.E001",
            )
        )
    if not settings.GONGKAI_RATE_LIMIT_ENABLED:
        errors.append(
            Error(
                "生产环境不得关闭频率限制（GONGKAI_RATE_LIMIT_ENABLED=false 仅供本地基准测试）。",
                id="gongkai.E002",
            )
        )
    if not settings.AXES_ENABLED:
        errors.append(Error("生产环境不得关闭登录失败锁定（AXES_ENABLED）。", id="gongkai.E003"))
    if settings.DEBUG:
        errors.append(Error("生产环境不得开启 DEBUG。", id="gongkai.E004"))
    return errors


@register(Tags.security)
def test_switches_refused_in_production(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Also refuse the test-only switches outside --deploy, so the server will not start."""
    if getattr(settings, "PRODUCTION", False) and not (
        settings.GONGKAI_CAPTCHA_ENABLED and settings.GONGKAI_RATE_LIMIT_ENABLED
    ):
        return [
            Error(
                "生产环境（GONGKAI_ENV=production）不允许关闭验证码或频率限制。",
                id="gongkai.E010",
            )
        ]
    return []
