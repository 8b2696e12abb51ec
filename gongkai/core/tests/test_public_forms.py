import uuid

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from gongkai.core.public_forms import HumanCheckMixin, rate_limited, text_challenge
from gongkai.testing import solve_captcha


class DemoForm(HumanCheckMixin, forms.Form):
    text = forms.CharField()


def _render(form):
    return Template("{{ form.as_p }}").render(Context({"form": form}))


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["image", "text"])
def test_captcha_right_and_wrong_answers(mode):
    html = _render(DemoForm(captcha_mode=mode))
    answer = solve_captcha(html)
    if mode == "text":
        assert "等于几" in html and "<img" not in html
    else:
        assert "/captcha/image/" in html and "改用文字验证" in html
    wrong = DemoForm({"text": "x", "captcha_0": answer["captcha_0"], "captcha_1": "nope"})
    assert not wrong.is_valid()
    assert wrong.errors["captcha"] == ["验证码不正确或已过期，请重新输入。"]
    # A captcha is used once: the wrong try consumed it, so a fresh one is needed.
    answer = solve_captcha(_render(DemoForm(captcha_mode=mode)))
    assert DemoForm({"text": "x", **answer}).is_valid()


def test_text_challenge_is_answerable():
    for _ in range(50):
        question, answer = text_challenge()
        assert question.endswith("等于几？") and 2 <= int(answer) <= 18


def test_captcha_can_be_switched_off_for_benchmarks(settings):
    settings.GONGKAI_CAPTCHA_ENABLED = False
    assert "captcha" not in DemoForm().fields


def test_rate_limit_counts_per_address(settings):
    settings.GONGKAI_RATE_LIMIT_ENABLED = True
    rf = RequestFactory()
    a = rf.post("/", REMOTE_ADDR="10.1.1.1")
    b = rf.post("/", REMOTE_ADDR="10.1.1.2")
    scope = f"test-{uuid.uuid4()}"  # Redis outlives a test run: a fresh scope each time
    assert [rate_limited(a, scope, 3, 3600) for _ in range(4)] == [False, False, False, True]
    assert rate_limited(b, scope, 3, 3600) is False
    settings.GONGKAI_RATE_LIMIT_ENABLED = False
    assert rate_limited(a, scope, 3, 3600) is False
