"""What every public form shares: a human check, per-address rate limiting, and the client
address. Apps' public forms inherit HumanCheckMixin and call rate_limited() in the view;
submissions carry an idempotency key of their own model.

The human check is an image captcha (django-simple-captcha: generated on the server, its answer
kept in the database, each one good for a single try), or — for people who cannot see the image
(条例第43条) — a one-time code sent to their e-mail or mobile (gongkai.core.one_time_codes),
chosen with ?captcha=code.

Both switches (GONGKAI_CAPTCHA_ENABLED, GONGKAI_RATE_LIMIT_ENABLED) exist for local benchmarks
only; in production the process refuses to start with either off (gongkai.core.production).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from gongkai.core import one_time_codes
from gongkai.core.rate_limits import client_ip, limit_reached, rate_limited, rate_limited_key

# HumanCheckMixin is mixed into forms: checked as one (a plain class at run time).
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object

__all__ = [
    "HumanCheckMixin",
    "captcha_mode",
    "client_ip",
    "limit_reached",
    "rate_limited",
    "rate_limited_key",
]

SEND_BUTTON = "captcha_send"


class CaptchaWidget(CaptchaTextInput):
    """The image captcha with a link to the one-time-code alternative."""

    template_name = "core/captcha_widget.html"


class OneTimeCodeWidget(forms.MultiWidget):
    template_name = "core/one_time_code_widget.html"

    def __init__(self) -> None:
        super().__init__(
            [
                forms.TextInput(attrs={"autocomplete": "email", "maxlength": 254}),
                forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
                ),
            ]
        )

    def decompress(self, value: tuple[str, str] | None) -> list[str | None]:
        return list(value) if value else [None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["send_button"] = SEND_BUTTON
        return context


class OneTimeCodeField(forms.MultiValueField):
    """Contact + code. When the form was posted with the 「发送验证码」 button, the code is sent
    and the field asks for it (the rest of the form is kept as typed)."""

    def __init__(self, *, send: bool = False, request: HttpRequest | None = None) -> None:
        self.send, self.request = send, request
        super().__init__(
            fields=[forms.CharField(max_length=254), forms.CharField(required=False)],
            require_all_fields=False,
            label="验证码",
            widget=OneTimeCodeWidget(),
            help_text="填写电子邮箱或手机号码，点「发送验证码」，再填写收到的 6 位数字。",
            error_messages={"required": "请填写接收验证码的电子邮箱或手机号码。"},
        )

    def compress(self, data_list: list[str]) -> tuple[str, ...]:
        return tuple(data_list) if data_list else ("", "")

    def clean(self, value: Any) -> str:
        contact_text, code = self.compress(super().clean(value))
        contact = one_time_codes.parse_contact(contact_text)
        if self.send:
            one_time_codes.send_code(contact, request=self.request)
            raise ValidationError(
                f"验证码已发送至 {contact}，10 分钟内有效。请填写验证码后再提交。", code="sent"
            )
        if not code:
            raise ValidationError("请先点「发送验证码」，再填写收到的验证码。")
        if not one_time_codes.check_code(contact, code):
            raise ValidationError("验证码不正确或已过期，请重新获取。")
        return contact.value


class HumanCheckMixin(_FormBase):
    """Adds the `captcha` field to a public form: the image captcha, or with
    captcha_mode="code" (from ?captcha=code) the one-time code. Pass request= so that sending a
    code is also limited per client address."""

    def __init__(
        self,
        *args: Any,
        captcha_mode: str = "image",
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not settings.GONGKAI_CAPTCHA_ENABLED:
            return
        if captcha_mode == "code":
            self.fields["captcha"] = OneTimeCodeField(
                send=bool(self.is_bound and self.data.get(SEND_BUTTON)), request=request
            )
        else:
            self.fields["captcha"] = CaptchaField(
                label="验证码",
                widget=CaptchaWidget(),
                error_messages={"invalid": "验证码不正确或已过期，请重新输入。"},
            )


def captcha_mode(request: HttpRequest) -> str:
    """ "code" for the one-time code (?captcha=code, or a form posted in that mode; the old
    ?captcha=text links lead there too), else "image"."""
    asked = request.GET.get("captcha") or request.POST.get("captcha_mode")
    return "code" if asked in ("code", "text") else "image"
