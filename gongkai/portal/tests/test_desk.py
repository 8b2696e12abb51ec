"""The staff home as a daily desk: due today / this week / overdue across requests and
publication windows, by unit, one click from each item; the reviewer's and signer's inboxes;
trends; query counts that do not grow with the data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.catalog import actions as catalog_actions
from gongkai.foi import actions
from gongkai.foi.models import InfoRequest
from gongkai.foi.tests.conftest import asking, person, received  # noqa: F401  (fixture)
from gongkai.portal.desk import week_end

pytestmark = pytest.mark.django_db


def _request(org, actor, due):
    req = actions.register(
        actor, org, person(), asking(), channel="in_person", arrived_on=timezone.localdate()
    )
    InfoRequest.objects.filter(pk=req.pk).update(due_on=due)
    return req


def test_office_desk_lines_by_unit_and_pinned_queries(
    login, office, officer_a, officer_b, dept_a, dept_b, django_assert_max_num_queries
):
    today = timezone.localdate()
    overdue = _request(dept_a, officer_a, today - dt.timedelta(days=2))
    due_today = _request(dept_b, officer_b, today)
    later = _request(dept_a, officer_a, today + dt.timedelta(days=40))  # not this week
    record = catalog_actions.create_record(
        officer_a,
        dept_a,
        {
            "title": "超期未公开的通知",
            "made_on": today - dt.timedelta(days=60),
            "body": "<p>正文</p>",
        },
    )
    client = login(office)
    with django_assert_max_num_queries(40) as first:
        html = client.get(reverse("staff:home")).content.decode()
    for req in (overdue, due_today):
        assert reverse("foi_staff:detail", args=[req.pk]) in html
    assert reverse("foi_staff:detail", args=[later.pk]) not in html
    assert reverse("catalog_staff:record", args=[record.pk]) in html
    assert 'data-count="overdue">2<' in html and 'data-count="today">1<' in html
    unit_a = html.split('id="by-unit"', 1)[1].split("济宁市教育局", 1)[1].split("</tr>", 1)[0]
    assert 'badge-bad">2</span>' in unit_a  # dept A: one request, one record overdue
    # More data, same number of queries.
    for _ in range(5):
        _request(dept_a, officer_a, today)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("staff:home"))


def test_week_end_is_sunday():
    assert week_end(dt.date(2026, 12, 7)) == dt.date(2026, 12, 13)  # a Monday
    assert week_end(dt.date(2026, 12, 13)) == dt.date(2026, 12, 13)


def test_reviewer_and_signer_find_the_reply_in_their_inbox(
    received,  # noqa: F811
    officer_a,
    approver_a,
    officer_b,
    login,
):
    actions.draft_reply(officer_a, received, outcome="disclosed")
    actions.submit_reply(officer_a, received)
    boss = login(approver_a)
    assert (
        '待我审核 <span class="badge badge-warn">1</span>'
        in boss.get(reverse("staff:home")).content.decode()
    )
    listed = boss.get(reverse("foi_staff:list") + "?tab=to_review").content.decode()
    assert reverse("foi_staff:detail", args=[received.pk]) in listed and "答复待审核" in listed
    empty = boss.get(reverse("foi_staff:list") + "?tab=to_sign").content.decode()
    assert reverse("foi_staff:detail", args=[received.pk]) not in empty
    actions.review_reply(approver_a, received, approve=True)
    listed = boss.get(reverse("foi_staff:list") + "?tab=to_sign").content.decode()
    assert reverse("foi_staff:detail", args=[received.pk]) in listed and "答复待签发" in listed
    # The officer of another department has nothing waiting.
    other = login(officer_b).get(reverse("foi_staff:list") + "?tab=to_sign").content.decode()
    assert reverse("foi_staff:detail", args=[received.pk]) not in other


def test_trend_chart_counts_this_months_requests(received, login, office):  # noqa: F811
    html = login(office).get(reverse("staff:home")).content.decode()
    chart = html.split("依申请公开：每月收到申请", 1)[1].split("</svg>", 1)[0]
    assert f"{timezone.localdate():%Y年%m月}：1" in chart
