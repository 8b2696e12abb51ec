"""What production refuses: under GONGKAI_ENV=production the process does not start with an
unsafe switch. CoreConfig.ready() calls refuse_unsafe(), so `gongkai serve`, gunicorn's
config.wsgi, `manage.py` and the worker all stop with the same Chinese message, before serving
anything; the system check (gongkai.core.checks) reports the same list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Senders that never reach a person: the console one writes codes to the log.
TEST_CODE_SENDERS = {
    "gongkai.core.one_time_codes.ConsoleSender",
    "gongkai.core.one_time_codes.LocmemSender",
}


def weak_secret_key(key: str) -> bool:
    """Short, repetitive, or a well-known placeholder (Django's startproject keys and the like)."""
    lowered = key.lower()
    return (
        len(key) < 50
        or len(set(key)) < 10
        or lowered.startswith("django-insecure")
        or any(word in lowered for word in ("changeme", "change-me", "secret_key", "example"))
    )


def unsafe_settings() -> list[str]:
    """The unsafe switches of the current settings, in Chinese; empty outside production."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    problems = []
    if not settings.GONGKAI_CAPTCHA_ENABLED:
        problems.append("关闭了验证码（GONGKAI_CAPTCHA_ENABLED=false 仅供本地基准测试）")
    if not settings.GONGKAI_RATE_LIMIT_ENABLED:
        problems.append("关闭了频率限制（GONGKAI_RATE_LIMIT_ENABLED=false 仅供本地基准测试）")
    if not settings.AXES_ENABLED:
        problems.append("关闭了登录失败锁定（AXES_ENABLED=false）")
    if settings.DEBUG:
        problems.append("开启了调试模式（DEBUG=true 会向访客显示程序内部信息）")
    if weak_secret_key(settings.SECRET_KEY):
        problems.append(
            "SECRET_KEY 过短或为示例值（须为至少 50 个字符的随机串，"
            "可用 python -c 'import secrets; print(secrets.token_urlsafe(50))' 生成）"
        )
    if "*" in settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS 含有 *（须列出本站的域名）")
    if settings.GONGKAI_CODE_SENDER in TEST_CODE_SENDERS:
        problems.append(
            f"验证码发送方式 GONGKAI_CODE_SENDER={settings.GONGKAI_CODE_SENDER} 仅供开发和测试"
        )
    return problems


def refuse_unsafe() -> None:
    problems = unsafe_settings()
    if problems:
        raise ImproperlyConfigured(
            "生产环境（GONGKAI_ENV=production）拒绝启动，请修改以下设置：\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


def refuse_demo() -> None:
    """The demo data (accounts with a published password) never enters a production database."""
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "生产环境（GONGKAI_ENV=production）不能载入演示数据：演示账号的密码是公开的。"
        )
