"""System checks: bad production configuration fails `manage.py check` (the list lives in
gongkai.core.production, which also stops the process at start-up)."""

from django.core.checks import Error, Tags, register

from gongkai.core.production import unsafe_settings


@register(Tags.security)
def unsafe_switches_in_production(app_configs, **kwargs):
    return [
        Error(f"生产环境不允许：{problem}。", id=f"gongkai.E{n:03d}")
        for n, problem in enumerate(unsafe_settings(), start=1)
    ]
