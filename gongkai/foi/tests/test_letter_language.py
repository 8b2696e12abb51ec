"""Letter templates are written in a restricted language: allow-listed fields as plain values,
a short list of tags and filters; reaching a password hash or the settings is refused when the
template is saved, and renders nothing even if such a text were stored (issue 13, point 8)."""

from pathlib import Path

import pytest

from gongkai.core.actions import ActionError
from gongkai.foi import actions, letter_language
from gongkai.foi.models import LETTER_TEMPLATES, LetterTemplate

pytestmark = pytest.mark.django_db

LETTERS = Path(actions.__file__).resolve().parent.parent / "templates" / "foi" / "letters"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ req.officer.password }}", "「req.officer.password」不是可用的字段"),
        ("{{ requester.name }}{{ req.organisation.memberships.all.0.user.password }}", "不可使用"),
        ("{{ settings.SECRET_KEY }}", "「settings.SECRET_KEY」不是可用的字段"),
        ("{% for u in req.government.members.all %}{{ u.password }}{% endfor %}", "不可使用"),
        ("{% with p=req.officer %}{{ p.password }}{% endwith %}", "不是可用的字段"),
        ("{{ req.__class__ }}", "不是可用的字段"),
        ("{% if req.officer.password %}x{% endif %}", "不是可用的字段"),
        ("{{ requester.name|default:req.officer.password }}", "不是可用的字段"),
        ("{% debug %}", "不能使用标签「{% debug %}」"),
        ("{% load static %}", "不能使用标签「{% load %}」"),
        ('{% include "foi/letters/reply_letter.txt" %}', "不能使用标签「{% include %}」"),
        ("{{ requester.name|pprint }}", "不能使用过滤器「pprint」"),
    ],
)
def test_saving_a_template_that_reaches_beyond_the_fields_is_refused(
    government, office, text, message
):
    with pytest.raises(ActionError) as refused:
        actions.save_letter_template(office, government, "correction_notice", text)
    assert message in refused.value.message
    assert not LetterTemplate.objects.exists()


def test_a_stored_template_renders_only_plain_fields(government, received, office, officer_a):
    # Written to the table directly, as an old (pre-check) template could be.
    LetterTemplate.objects.create(
        government=government,
        key="correction_notice",
        text="{{ requester.name }}|{{ req.officer.password }}|{{ req.organisation.pk }}|"
        "{{ req.government.memberships }}|{{ text }}",
    )
    req = actions.request_correction(officer_a, received, "请写明学校名称。")
    body = req.letters.get().body
    assert body == f"张三||{received.organisation.pk}||请写明学校名称。"


def test_allowed_fields_tags_and_filters_are_accepted(government, office):
    text = (
        "{{ requester.name }}：{{ req.received_on|date:'Y年n月j日' }}"
        "{% if req.doc_no %}{{ req.doc_no|truncatechars:20 }}{% endif %}"
        "{% for r in reply.records %}{{ r.title }}{% if not forloop.last %}；{% endif %}{% endfor %}"
        "{{ req.organisation.review_body.name|default:req.government.name }}{{ text }}"
    )
    assert letter_language.check(text) == []
    assert actions.save_letter_template(office, government, "reply_letter", text) is not None


@pytest.mark.parametrize("name", sorted(p.name for p in LETTERS.glob("*.txt")))
def test_default_templates_use_only_allowed_fields(name):
    """Every default wording (the editable ones and the rest) is in the letter language."""
    assert letter_language.check((LETTERS / name).read_text()) == []


def test_every_editable_letter_has_a_default():
    assert {f"{key}.txt" for key in dict(LETTER_TEMPLATES)} <= {
        p.name for p in LETTERS.glob("*.txt")
    }
