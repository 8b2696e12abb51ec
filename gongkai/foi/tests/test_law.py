"""The law of the request (issue 15): one function lists what the law allows now
(foi.rules.allowed_actions), every action checks it, and the views and the API offer exactly
those. Each test names the article it enforces."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import add_workdays
from gongkai.foi import actions, rules
from gongkai.foi.action_specs import ACTIONS
from gongkai.foi.actions import ActionError
from gongkai.foi.models import State

from .conftest import asking, person

pytestmark = pytest.mark.django_db


def _register(officer, org, arrived_on, **kw):
    req = actions.register(
        officer, org, person(**kw), asking(), channel="in_person", arrived_on=arrived_on
    )
    return actions.assign(officer, req, officer)


@pytest.fixture
def overdue(officer_a, dept_a):
    """Received in person 60 days ago: the 20-working-day period (第33条) has ended."""
    return _register(officer_a, dept_a, timezone.localdate() - timedelta(days=60))


def _names(req, on=None):
    return {a.name for a in rules.allowed_actions(req, on)}


def test_allowed_actions_while_running_give_their_last_lawful_day(received):
    # 条例第30条 (补正 within 7 wd), 第33条 (reply and extension within the period).
    today = timezone.localdate()
    found = {a.name: a for a in rules.allowed_actions(received, today)}
    assert found["request_correction"].last_day == add_workdays(today, 7).date
    assert "第三十条" in found["request_correction"].basis
    due = add_workdays(today, 20).date
    assert found["extend"].last_day == due and "第三十三条第二款" in found["extend"].basis
    assert found["fee"].last_day == due and found["draft_reply"].last_day == due
    assert {"lapse_correction", "fee_lapsed", "deliver", "review_case"}.isdisjoint(found)


def test_after_the_period_extension_and_fee_are_refused_consultation_pauses_nothing(
    overdue, approver_a, officer_a
):
    # 条例第33条第二款: the extension is approved within the period; 109号: the fee notice is
    # sent within the handling period. A third-party consultation (第32条) is still allowed.
    due = overdue.due_on
    assert due < timezone.localdate()
    names = _names(overdue)
    assert {"extend", "propose_extension", "fee"}.isdisjoint(names)
    assert {"third_party", "draft_reply", "review_case"} <= names
    with pytest.raises(ActionError, match=r"已届满.*第33条第二款"):
        actions.extend(approver_a, overdue, 10, "材料较多")
    with pytest.raises(ActionError, match=r"已届满.*109号"):
        actions.fee_notice(officer_a, overdue, "by_pages", 500)
    assert actions.clock_for(overdue).due == due


def test_request_page_and_api_offer_exactly_the_lawful_actions(overdue, officer_a, login):
    client = login(officer_a)
    html = client.get(reverse("foi_staff:detail", args=[overdue.pk])).content.decode()
    lawful = _names(overdue)
    for name, spec in ACTIONS.items():
        offered = f'id="action-{name}"' in html
        assert offered == (name in lawful and spec.allowed(officer_a, overdue)), name
    data = client.get(f"/api/foi/requests/{overdue.pk}/actions").json()
    assert {a["name"] for a in data} == lawful
    reply = next(a for a in data if a["name"] == "draft_reply")
    assert reply["last_day"] == overdue.due_on.isoformat() and reply["permitted"] is True
    response = client.post(
        reverse("foi_staff:action", args=[overdue.pk, "fee"]), {"scheme": "by_pages", "pages": 99}
    )
    assert response.status_code == 400


def test_a_closed_request_allows_only_what_follows_a_reply(received):
    # 条例第51条: review or litigation follows the reply; nothing reopens the clock.
    actions.withdraw(None, received, "不再需要")
    received.refresh_from_db()
    assert received.state == State.WITHDRAWN
    assert _names(received) == {"review_case", "note"}


def test_require_lawful_names_the_state_when_nothing_else_applies(received):
    with pytest.raises(ActionError, match="依法不能"):
        rules.require_lawful(received, "archive", date.today())
