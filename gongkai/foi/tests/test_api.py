"""The staff API: the clock with its steps, notes, the schema."""

from __future__ import annotations

import pytest

from gongkai.core.calendar import add_workdays

pytestmark = pytest.mark.django_db


def test_clock_endpoint_explains_the_due_date(received, officer_a, login):
    client = login(officer_a)
    data = client.get(f"/api/foi/requests/{received.pk}/clock").json()
    assert data["due"] == add_workdays(received.received_on, 20).date.isoformat()
    assert data["steps"][0]["days"] == 20 and data["status"] in {"running", "due_soon"}
    assert data["lines"][-1].startswith("答复期限：")


def test_notes_and_validation(received, officer_a, login):
    client = login(officer_a)
    url = f"/api/foi/requests/{received.pk}/notes"
    response = client.post(url, {"note": " "}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"] == "备注不能为空。"
    response = client.post(url, {"note": "已电话联系申请人"}, content_type="application/json")
    assert response.status_code == 200
    assert received.events.filter(kind="note", note="已电话联系申请人").exists()
    listing = client.get("/api/foi/requests?state=in_progress").json()
    assert [r["id"] for r in listing] == [received.pk]


def test_schema_lists_the_foi_paths(client, government):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/foi/requests/{request_id}/clock" in paths
