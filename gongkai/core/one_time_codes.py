"""One-time codes sent by e-mail or SMS: the accessible alternative to the image captcha
(条例第43条). A code is six digits, kept server side in the shared cache (Redis in production,
so any app node can check it) as a keyed hash, valid for ten minutes, used once, and given up
after five wrong tries. Sending is rate-limited per contact and per client address.

How a code reaches the person is pluggable (GONGKAI_CODE_SENDER, a dotted path to a class with
`send(contact: Contact, message: str)`): MailSender in production (e-mail through Django's mail;
SMS needs a gateway class of the deployment's own), ConsoleSender in development and the demo,
LocmemSender in tests (`outbox`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.module_loading import import_string

from gongkai.core.rate_limits import rate_limited, rate_limited_key

logger = logging.getLogger("gongkai.one_time_codes")

CODE_TTL = 600  # seconds
MAX_TRIES = 5
SEND_LIMIT_PER_CONTACT = (3, 3600)
SEND_LIMIT_PER_ADDRESS = (10, 3600)

_MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class Contact:
    kind: str  # "email" or "mobile"
    value: str

    def __str__(self) -> str:
        return self.value


def parse_contact(text: str) -> Contact:
    """An e-mail address or a mainland mobile number, or a ValidationError in Chinese."""
    text = (text or "").strip()
    if "@" in text:
        if len(text) > 254:
            raise ValidationError("电子邮箱地址过长（不超过 254 个字符）。")
        try:
            validate_email(text)
        except ValidationError as exc:
            raise ValidationError("请填写有效的电子邮箱地址。") from exc
        return Contact("email", text.lower())
    digits = re.sub(r"[\s\-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    if _MOBILE.fullmatch(digits):
        return Contact("mobile", digits)
    raise ValidationError("请填写有效的电子邮箱或手机号码。")


class SenderUnavailable(Exception):
    """The configured sender cannot reach this kind of contact (message in Chinese)."""


class ConsoleSender:
    """Development and demo: the message goes to the log and stderr."""

    def send(self, contact: Contact, message: str) -> None:
        logger.warning("one-time code to=%s message=%s", contact, message)
        print(f"[验证码] 发送至 {contact}：{message}", file=sys.stderr, flush=True)


outbox: list[tuple[Contact, str]] = []


class LocmemSender:
    """Tests: messages are kept in `outbox`."""

    def send(self, contact: Contact, message: str) -> None:
        outbox.append((contact, message))


class MailSender:
    """Production default: e-mail through Django's mail settings. Mobile numbers need an SMS
    gateway class configured in GONGKAI_CODE_SENDER instead."""

    def send(self, contact: Contact, message: str) -> None:
        if contact.kind != "email":
            raise SenderUnavailable("本站暂不支持短信发送验证码，请填写电子邮箱。")
        send_mail("验证码", message, None, [contact.value])


class CodeSender(Protocol):
    def send(self, contact: Contact, message: str) -> None: ...


def _sender() -> CodeSender:
    sender: CodeSender = import_string(settings.GONGKAI_CODE_SENDER)()
    return sender


def _key(contact: Contact) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{contact.kind}:{contact.value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"otp:{digest}"


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def send_code(contact: Contact, *, request: HttpRequest | None = None) -> None:
    """Send a fresh code to `contact` (replacing any earlier one). Raises ValidationError when a
    sending limit is reached or the sender cannot reach the contact."""
    if rate_limited_key(f"otp-contact:{_key(contact)}", *SEND_LIMIT_PER_CONTACT) or (
        request is not None and _address_limited(request)
    ):
        raise ValidationError("验证码发送过于频繁，请一小时后再试。")
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        _sender().send(
            contact, f"【政务公开】您的验证码是 {code}，10 分钟内有效。如非本人操作，请忽略。"
        )
    except SenderUnavailable as exc:
        raise ValidationError(str(exc)) from exc
    cache.set(_key(contact), {"hash": _hash(code), "tries": 0}, timeout=CODE_TTL)


def _address_limited(request: HttpRequest) -> bool:
    return rate_limited(request, "otp-send", *SEND_LIMIT_PER_ADDRESS)


def check_code(contact: Contact, code: str) -> bool:
    """Whether `code` is the live code sent to `contact`. A right code is used up; each wrong
    one counts, and the fifth wrong one discards the code."""
    key = _key(contact)
    entry = cache.get(key)
    code = re.sub(r"\s", "", code or "")
    if not entry or not code:
        return False
    if hmac.compare_digest(entry["hash"], _hash(code)):
        cache.delete(key)
        return True
    entry["tries"] += 1
    if entry["tries"] >= MAX_TRIES:
        cache.delete(key)
    else:
        cache.set(key, entry, timeout=CODE_TTL)
    return False
