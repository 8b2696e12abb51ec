"""Reasons belong to their outcome (the rows of table 三, 国办公开办函〔2021〕30号; 条例第三十六条):
in the reply form, the API and the database, and the letter's wording follows the saved pair.
Issue: choosing 不予公开 with the reason labelled 「无法提供—1」 saved 「不予公开—1.属于国家秘密」."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.forms import ReplyForm
from gongkai.foi.models import InfoRequest, Reply

pytestmark = pytest.mark.django_db


def _values(form):
    values = []
    for value, label in form.fields["outcome_reason"].choices:
        values += [v for v, _ in label] if isinstance(label, list | tuple) else [value]
    return [v for v in values if v]


def test_reason_options_are_unique_and_grouped_by_outcome():
    values = _values(ReplyForm())
    assert len(values) == len(set(values)) == 8 + 3 + 5 + 3
    assert "不予公开-1" in values and "无法提供-1" in values
    # A saved outcome offers only its own reasons.
    assert _values(ReplyForm(initial={"outcome": "cannot_provide"})) == [
        "无法提供-1",
        "无法提供-2",
        "无法提供-3",
    ]


def test_a_reason_of_another_outcome_is_refused_by_the_form():
    form = ReplyForm({"outcome": "not_disclosed", "outcome_reason": "无法提供-1"})
    assert not form.is_valid()
    assert form.errors["outcome_reason"] == [
        "所选理由「无法提供—1.本机关不掌握相关政府信息」不属于办理结果「不予公开」，请重新选择。"
    ]
    form = ReplyForm({"outcome": "not_disclosed", "outcome_reason": "不予公开-1"})
    assert form.is_valid() and form.cleaned_data["outcome_reason"] == 1


def test_the_page_refuses_the_mismatch_and_keeps_the_input(received, officer_a, login):
    client = login(officer_a)
    url = reverse("foi_staff:action", args=[received.pk, "draft_reply"])
    response = client.post(
        url, {"outcome": "not_disclosed", "outcome_reason": "无法提供-1", "reasons": "保留"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "不属于办理结果「不予公开」" in html and "保留" in html
    assert not Reply.objects.exists()


def test_the_api_refuses_the_mismatch(received, officer_a, login):
    client = login(officer_a)
    url = f"/api/foi/requests/{received.pk}/reply"
    bad = {"outcome": "not_disclosed", "reason": "无法提供-1"}
    response = client.post(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 422 and "不属于办理结果「不予公开」" in response.json()["detail"]
    good = {"outcome": "cannot_provide", "reason": "无法提供-2"}
    response = client.post(url, json.dumps(good), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["reason"] == "无法提供-2" and "另行制作" in response.json()["body"]


def test_the_database_refuses_a_reason_outside_its_outcome(received, officer_a):
    reply = actions.draft_reply(officer_a, received, outcome="not_processed", reason=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(outcome_reason=8)
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoRequest.objects.filter(pk=received.pk).update(outcome="other", outcome_reason=4)


def test_the_wording_follows_the_saved_pair(received, officer_a):
    """The form posts back the stored body; when the outcome changes the text changes with it."""
    first = actions.draft_reply(officer_a, received, outcome="not_disclosed", reason=1)
    assert "国家秘密" in first.body
    second = actions.draft_reply(
        officer_a,
        received,
        outcome="cannot_provide",
        reason=2,
        body=first.body,
        legal_basis=first.legal_basis,
    )
    assert "国家秘密" not in second.body and "另行制作" in second.body
    assert second.legal_basis == "《中华人民共和国政府信息公开条例》第三十八条"
    # A body the officer wrote for the same pair is kept.
    own = second.body + "另附检索说明。"
    assert (
        actions.draft_reply(officer_a, received, outcome="cannot_provide", reason=2, body=own).body
        == own
    )


def test_the_request_page_groups_reasons_by_outcome(received, officer_a, login):
    """The page offers the reasons in one group per outcome and loads the script that shows only
    the chosen outcome's group; a saved outcome gets only its own reasons."""
    client = login(officer_a)
    url = reverse("foi_staff:detail", args=[received.pk])
    html = client.get(url).content.decode()
    assert '<optgroup label="不予公开">' in html and '<optgroup label="无法提供">' in html
    assert 'value="不予公开-1"' in html and "foi/reply_form" in html
    actions.draft_reply(officer_a, received, outcome="not_processed", reason=2)
    html = client.get(url).content.decode()
    assert '<optgroup label="不予处理">' in html and '<optgroup label="不予公开">' not in html
    assert 'value="不予处理-2" selected' in html
