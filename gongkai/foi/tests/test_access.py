"""Access: an officer of department B cannot see or act on department A's request through any
page or API (the same 404 as a missing request); requester details only for the handling
organisation and the office; ID numbers masked in lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.access import can_see_requester, requests_for
from gongkai.foi.models import InfoRequest, State

from .conftest import VALID_ID

pytestmark = pytest.mark.django_db

MISSING = 999999


def _pages(req, letter_id=1):
    return [
        reverse("foi_staff:detail", args=[req.pk]),
        reverse("foi_staff:id_proof", args=[req.pk]),
        reverse("foi_staff:letter", args=[req.pk, letter_id, "docx"]),
        reverse("foi_staff:correction_file", args=[req.pk, 1]),
        reverse("foi_staff:attachment", args=[req.pk, 1]),
        f"/api/foi/requests/{req.pk}",
        f"/api/foi/requests/{req.pk}/clock",
    ]


def test_officer_b_cannot_see_or_act_on_a_request_of_a(received, officer_a, officer_b, login):
    actions.request_correction(officer_a, received, "请写明学校名称。")
    letter = received.letters.get()
    client = login(officer_b)
    assert not requests_for(officer_b).filter(pk=received.pk).exists()
    for url in _pages(received, letter.pk):
        missing = url.replace(f"/{received.pk}", f"/{MISSING}")
        r1, r2 = client.get(url), client.get(missing)
        assert r1.status_code == r2.status_code == 404, url
    # Every action, by POST, is the same 404.
    from gongkai.foi.views import ACTIONS

    for name in ACTIONS:
        url = reverse("foi_staff:action", args=[received.pk, name])
        assert client.post(url, {"note": "x", "officer": officer_b.pk}).status_code == 404, name
    assert (
        client.post(
            f"/api/foi/requests/{received.pk}/notes", {"note": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    # Not in the list page, the API list or the dashboards.
    page = client.get(reverse("foi_staff:list") + "?tab=all")
    assert page.status_code == 200 and received.ref not in page.content.decode()
    assert client.get("/api/foi/requests").json() == []
    received.refresh_from_db()
    assert received.state == State.AWAITING_CORRECTION
    assert received.events.filter(kind="note").count() == 0


def test_handling_org_office_and_approver_see_it(received, officer_a, approver_a, office, login):
    for user in (officer_a, approver_a, office):
        client = login(user)
        page = client.get(reverse("foi_staff:detail", args=[received.pk]))
        assert page.status_code == 200
        assert "张三" in page.content.decode() and VALID_ID in page.content.decode()
        data = client.get(f"/api/foi/requests/{received.pk}").json()
        assert data["requester_name"] == "张三" and data["requester_id"] == "370***********1248"


def test_consulted_org_sees_the_request_without_requester_details(
    received, officer_a, officer_b, dept_b, login
):
    actions.start_consultation(officer_a, received, dept_b, "是否属于财政局信息")
    req = InfoRequest.objects.get(pk=received.pk)
    assert requests_for(officer_b).filter(pk=req.pk).exists()
    assert not can_see_requester(officer_b, req)
    client = login(officer_b)
    html = client.get(reverse("foi_staff:detail", args=[req.pk])).content.decode()
    assert "张三" not in html and VALID_ID not in html and "仅办理机关" in html
    assert 'id="action-' not in html  # no action offered
    assert client.get(reverse("foi_staff:id_proof", args=[req.pk])).status_code == 404
    assert client.get(f"/api/foi/requests/{req.pk}").json()["requester_name"] is None
    response = client.post(
        reverse("foi_staff:action", args=[req.pk, "consult_end"]),
        {"answer": "agreed", "opinion": "同意"},
    )
    assert response.status_code == 403
    assert InfoRequest.objects.get(pk=req.pk).state == State.AGENCY_CONSULTATION


def test_other_government_office_cannot_see(received, other_government, login):
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    tz_office = member("tz_office", "滕州公开办", other_government, Role.OFFICE_ADMIN)
    client = login(tz_office)
    assert client.get(reverse("foi_staff:detail", args=[received.pk])).status_code == 404


def test_anonymous_and_citizen(received, anonymous, citizen, login):
    response = anonymous.get(reverse("foi_staff:detail", args=[received.pk]))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert anonymous.get(f"/api/foi/requests/{received.pk}").status_code == 401
    assert login(citizen).get(reverse("foi_staff:detail", args=[received.pk])).status_code == 403


def test_list_masks_id_numbers(received, office, login):
    html = login(office).get(reverse("foi_staff:list")).content.decode()
    assert "370***********1248" in html and VALID_ID not in html
