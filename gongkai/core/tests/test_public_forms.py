import uuid

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from gongkai.core import one_time_codes
from gongkai.core.public_forms import HumanCheckMixin, captcha_mode, client_ip, rate_limited
from gongkai.testing import received_code, solve_captcha

pytestmark = pytest.mark.django_db


class DemoForm(HumanCheckMixin, forms.Form):
    text = forms.CharField()


def _render(form):
    return Template("{{ form.as_p }}").render(Context({"form": form}))


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.GONGKAI_RATE_LIMIT_ENABLED = True
    settings.GONGKAI_CODE_SENDER = "gongkai.core.one_time_codes.LocmemSender"
    one_time_codes.outbox.clear()


def _contact() -> str:
    # Redis outlives a test run: a fresh contact each time keeps the limits apart.
    return f"u{uuid.uuid4().hex[:12]}@example.com"


def test_image_captcha_right_and_wrong_answers():
    html = _render(DemoForm())
    answer = solve_captcha(html)
    assert "/captcha/image/" in html and "改用邮箱或手机验证码" in html
    wrong = DemoForm({"text": "x", "captcha_0": answer["captcha_0"], "captcha_1": "nope"})
    assert not wrong.is_valid()
    assert wrong.errors["captcha"] == ["验证码不正确或已过期，请重新输入。"]
    # A captcha is used once: the wrong try consumed it, so even the right answer now fails.
    assert not DemoForm({"text": "x", **answer}).is_valid()
    assert DemoForm({"text": "x", **solve_captcha(_render(DemoForm()))}).is_valid()


def test_no_arithmetic_question_any_more():
    """The old accessible path (「五加三等于几？」) was solved by a regular expression."""
    request = RequestFactory().get("/?captcha=text")
    html = _render(DemoForm(captcha_mode=captcha_mode(request)))
    assert "等于几" not in html and "发送验证码" in html


def test_one_time_code_is_sent_checked_and_used_once():
    contact = _contact()
    sent = DemoForm({"text": "x", "captcha_0": contact, "captcha_send": "1"}, captcha_mode="code")
    assert not sent.is_valid()
    assert f"验证码已发送至 {contact}" in sent.errors["captcha"][0]
    assert sent.data["text"] == "x"  # the rest of the form is kept
    code = received_code(contact)
    other = f"{(int(code) + 1) % 10**6:06d}"
    wrong = DemoForm({"text": "x", "captcha_0": contact, "captcha_1": other}, captcha_mode="code")
    assert not wrong.is_valid() and "不正确" in wrong.errors["captcha"][0]
    right = {"text": "x", "captcha_0": contact, "captcha_1": code}
    assert DemoForm(right, captcha_mode="code").is_valid()
    assert not DemoForm(right, captcha_mode="code").is_valid()  # used once


def test_five_wrong_codes_discard_the_code():
    contact = _contact()
    one_time_codes.send_code(one_time_codes.parse_contact(contact))
    code = received_code(contact)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    parsed = one_time_codes.parse_contact(contact)
    assert [one_time_codes.check_code(parsed, wrong) for _ in range(5)] == [False] * 5
    assert one_time_codes.check_code(parsed, code) is False


def test_sending_codes_is_limited_per_contact_and_per_address():
    contact = one_time_codes.parse_contact(_contact())
    for _ in range(3):
        one_time_codes.send_code(contact)
    with pytest.raises(forms.ValidationError, match="发送过于频繁"):
        one_time_codes.send_code(contact)
    assert len(one_time_codes.outbox) == 3
    request = RequestFactory().post("/", REMOTE_ADDR=f"10.9.{uuid.uuid4().int % 250}.7")
    for _ in range(one_time_codes.SEND_LIMIT_PER_ADDRESS[0]):
        one_time_codes.send_code(one_time_codes.parse_contact(_contact()), request=request)
    with pytest.raises(forms.ValidationError, match="发送过于频繁"):
        one_time_codes.send_code(one_time_codes.parse_contact(_contact()), request=request)


@pytest.mark.parametrize(
    ("text", "message"),
    [("not-an-address", "有效的电子邮箱或手机号码"), ("a" * 250 + "@x.cn", "过长")],
)
def test_bad_contact_is_explained(text, message):
    with pytest.raises(forms.ValidationError, match=message):
        one_time_codes.parse_contact(text)


def test_mobile_needs_a_sender_that_can_reach_it(settings):
    settings.GONGKAI_CODE_SENDER = "gongkai.core.one_time_codes.MailSender"
    mobile = one_time_codes.parse_contact(f"138 {uuid.uuid4().int % 10**8:08d}")
    assert mobile.kind == "mobile"
    with pytest.raises(forms.ValidationError, match="暂不支持短信"):
        one_time_codes.send_code(mobile)


def test_captcha_can_be_switched_off_for_benchmarks(settings):
    settings.GONGKAI_CAPTCHA_ENABLED = False
    assert "captcha" not in DemoForm().fields


def test_rate_limit_counts_per_address(settings):
    rf = RequestFactory()
    a = rf.post("/", REMOTE_ADDR="10.1.1.1")
    b = rf.post("/", REMOTE_ADDR="10.1.1.2")
    scope = f"test-{uuid.uuid4()}"
    assert [rate_limited(a, scope, 3, 3600) for _ in range(4)] == [False, False, False, True]
    assert rate_limited(b, scope, 3, 3600) is False
    settings.GONGKAI_RATE_LIMIT_ENABLED = False
    assert rate_limited(a, scope, 3, 3600) is False


def test_client_address_from_the_proxy_header_only_when_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.GONGKAI_TRUSTED_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.GONGKAI_TRUSTED_PROXY = True
    # The address the trusted proxy appended, not the one the client wrote itself.
    assert client_ip(request) == "203.0.113.9"
