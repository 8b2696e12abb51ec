"""System checks: bad production configuration fails `manage.py check` (the list lives in
gongkai.core.production, which also stops the process at start-up)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register

from gongkai.core.production import unsafe_settings


@register(Tags.security)
def unsafe_switches_in_production(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Error(f"生产环境不允许：{problem}。", id=f"gongkai.E{n:03d}")
        for n, problem in enumerate(unsafe_settings(), start=1)
    ]


@register(Tags.security)
def metrics_networks(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    from gongkai.core.metrics import networks

    return [
        Error(
            f"GONGKAI_METRICS_ALLOW 中的「{entry}」不是 IP 地址或网段（例如 10.0.3.0/24）。",
            id="gongkai.E101",
        )
        for entry in networks()[1]
    ]
