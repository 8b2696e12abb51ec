"""What every public form shares: a captcha with an accessible text alternative (条例第43条),
per-address rate limiting, and the client address. Apps' public forms inherit HumanCheckMixin
and call rate_limited() in the view; submissions carry an idempotency key of their own model.

Both switches (GONGKAI_CAPTCHA_ENABLED, GONGKAI_RATE_LIMIT_ENABLED) exist for local benchmarks
only; a system check refuses them in production.
"""

from __future__ import annotations

import secrets
import time

from captcha.fields import CaptchaField, CaptchaTextInput
from django.conf import settings
from django.core.cache import cache

_DIGITS = "零一二三四五六七八九"


def text_challenge() -> tuple[str, str]:
    """A question a screen reader can read aloud: 「三加五等于几？」 → "8"."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    return f"{_DIGITS[a]}加{_DIGITS[b]}等于几？", str(a + b)


class CaptchaWidget(CaptchaTextInput):
    """Image captcha by default; mode "text" shows a written question instead of the image."""

    template_name = "core/captcha_widget.html"

    def __init__(self, mode: str = "image", **kwargs):
        self.mode = "text" if mode == "text" else "image"
        super().__init__(generator=text_challenge if self.mode == "text" else None, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["mode"] = self.mode
        if self.mode == "text":
            from captcha.models import CaptchaStore

            context["question"] = CaptchaStore.objects.get(hashkey=self._key).challenge
        return context


class HumanCheckMixin:
    """Adds the `captcha` field to a public form. Pass captcha_mode="text" (from ?captcha=text)
    for the accessible alternative."""

    def __init__(self, *args, captcha_mode: str = "image", **kwargs):
        super().__init__(*args, **kwargs)
        if settings.GONGKAI_CAPTCHA_ENABLED:
            self.fields["captcha"] = CaptchaField(
                label="验证码",
                widget=CaptchaWidget(mode=captcha_mode),
                error_messages={"invalid": "验证码不正确或已过期，请重新输入。"},
            )


def captcha_mode(request) -> str:
    return (
        "text"
        if request.GET.get("captcha") == "text" or request.POST.get("captcha_mode") == "text"
        else "image"
    )


def client_ip(request) -> str:
    """REMOTE_ADDR, or the first X-Forwarded-For address when GONGKAI_TRUSTED_PROXY is set."""
    if getattr(settings, "GONGKAI_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, scope: str, limit: int, window_seconds: int) -> bool:
    """True when this address has already made `limit` submissions to `scope` in the current
    window. Counting happens here, so call it once per submission attempt."""
    if not settings.GONGKAI_RATE_LIMIT_ENABLED:
        return False
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count > limit
