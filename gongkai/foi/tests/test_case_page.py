"""The request's case page: state and clock beside one next step (from foi.rules'
allowed_actions), the other lawful actions on demand, nothing the law does not allow."""

import re

import pytest
from django.urls import reverse

from gongkai.foi import actions

pytestmark = pytest.mark.django_db


def _page(client, req) -> str:
    return client.get(reverse("foi_staff:detail", args=[req.pk])).content.decode()


def _next_step(html: str) -> str:
    block = html.split('id="next-step"', 1)[1].split("</section>", 1)[0]
    return re.search(r'id="action-([a-z_]+)"', block).group(1)


def _on_demand(html: str) -> list[str]:
    return re.findall(r'<details class="action" id="action-([a-z_]+)"', html)


def test_officer_sees_one_next_step_and_the_rest_on_demand(received, officer_a, login):
    client = login(officer_a)
    html = _page(client, received)
    assert _next_step(html) == "draft_reply"
    others = _on_demand(html)
    assert "request_correction" in others and "note" in others and "draft_reply" not in others
    assert "receive" not in others and "sign_reply" not in others  # not lawful / not theirs
    assert html.count('class="primary"') == 1  # one primary button on the page
    actions.draft_reply(officer_a, received, outcome="disclosed")
    assert _next_step(_page(client, received)) == "submit_reply"


def test_reviewer_and_signer_get_their_step_first(received, officer_a, approver_a, login):
    actions.draft_reply(officer_a, received, outcome="disclosed")
    actions.submit_reply(officer_a, received)
    client = login(approver_a)
    assert _next_step(_page(client, received)) == "review_reply"
    actions.review_reply(approver_a, received, approve=True)
    assert _next_step(_page(client, received)) == "sign_reply"


def test_unconfirmed_request_clock_says_it_once(office, dept_a, login):
    from .conftest import asking, person

    req, _ = actions.submit_online(
        dept_a.government, dept_a, person(), asking(), idempotency_key="case-page-1"
    )
    html = _page(login(office), req)
    assert _next_step(html) == "receive"
    assert "尚未确认受理。尚未确认受理" not in html
    assert html.count("尚未确认受理：") == 1


def test_outsider_gets_no_actions(received, officer_b, login):
    response = login(officer_b).get(reverse("foi_staff:detail", args=[received.pk]))
    assert response.status_code == 404
