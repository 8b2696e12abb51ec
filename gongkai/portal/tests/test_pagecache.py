"""The anonymous page cache: served without the view, revalidated by ETag, never shared with
a logged-in visitor, and invalidated by exactly the actions that change what a page shows —
the next anonymous read after each of them shows the change, also when the replica lags."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalog import actions
from gongkai.catalog.models import Genre, Validity
from gongkai.catalog.tests.conftest import publish_record  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def policy(publish_record):  # noqa: F811
    return publish_record(
        title="济宁市公共数据开放管理办法",
        genre=Genre.NORMATIVE,
        doc_no="济政发〔2026〕3号",
        interpretation="《济宁市公共数据开放管理办法》政策解读",
    )


def _get(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response


def test_second_anonymous_read_is_served_from_the_cache_without_a_query(client, policy):
    url = reverse("portal:record", args=[policy.pk])
    first = _get(client, url)
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and len(queries) == 0
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304 and revalidated.content == b""


def test_logged_in_visitors_and_pages_with_cookies_are_never_cached(
    client, policy, approver_a, government
):
    url = reverse("portal:record", args=[policy.pk])
    client.force_login(approver_a, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert "X-Page-Cache" not in response
    client.logout()
    client.cookies.clear()
    form = client.get(reverse("portal:foi_apply"))  # sets the CSRF cookie: personal
    assert form.status_code == 200 and "X-Page-Cache" not in form
    client.cookies.clear()
    again = client.get(reverse("portal:foi_apply"))
    assert again.get("X-Page-Cache") != "hit"


def _warm(client, *urls):
    for url in urls:
        _get(client, url)
        assert _get(client, url)["X-Page-Cache"] == "hit", url


def test_publish_shows_on_the_next_read(
    client,
    policy,
    publish_record,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    listing = reverse("portal:records")
    _warm(client, listing)
    with django_capture_on_commit_callbacks(execute=True):
        publish_record(title="关于2026年秋季学期开学安排的通知")
    assert "关于2026年秋季学期开学安排的通知" in _get(client, listing).content.decode()


def test_withdraw_removes_the_page_on_the_next_read(
    client, policy, approver_a, django_capture_on_commit_callbacks
):
    page, listing = reverse("portal:record", args=[policy.pk]), reverse("portal:policies")
    _warm(client, page, listing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw(approver_a, policy, "内容有误，撤回更正")
    assert _get(client, page).status_code == 404
    assert "济宁市公共数据开放管理办法" not in _get(client, listing).content.decode()


def test_edit_shows_on_the_next_read(
    client, policy, approver_a, django_capture_on_commit_callbacks
):
    page = reverse("portal:record", args=[policy.pk])
    _warm(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_record(approver_a, policy, {"title": "济宁市公共数据开放管理办法（修订）"})
    assert "济宁市公共数据开放管理办法（修订）" in _get(client, page).content.decode()


def test_validity_change_shows_on_the_next_read(
    client, policy, approver_a, django_capture_on_commit_callbacks
):
    page = reverse("portal:record", args=[policy.pk])
    _warm(client, page)
    assert "已失效" not in _get(client, page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_validity(approver_a, policy, Validity.EXPIRED, on=dt.date(2026, 11, 30))
    assert "已失效" in _get(client, page).content.decode()


def test_linked_interpretation_shows_on_the_next_read(
    client, policy, approver_a, django_capture_on_commit_callbacks
):
    page = reverse("portal:record", args=[policy.pk])
    _warm(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        interp = actions.create_interpretation(
            approver_a, policy, {"title": "《公共数据开放管理办法》图解", "body": "解读正文"}
        )
        actions.publish_interpretation(approver_a, interp)
    assert "《公共数据开放管理办法》图解" in _get(client, page).content.decode()


def test_an_action_that_changes_no_public_page_keeps_the_cache(
    client, policy, approver_a, dept_a, django_capture_on_commit_callbacks
):
    page = reverse("portal:record", args=[policy.pk])
    _warm(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        actions.create_record(approver_a, dept_a, {"title": "草稿", "made_on": dt.date(2026, 1, 5)})
    assert _get(client, page)["X-Page-Cache"] == "hit"


def test_a_parameter_the_page_ignores_is_served_but_never_stored(client, policy):
    """Varying a parameter the page does not read (?n=<random>) must not fill the cache with
    copies of the page, or anyone could push the real pages out of it."""
    url = reverse("portal:record", args=[policy.pk])
    for n in range(3):
        response = _get(client, f"{url}?n={n}")
        assert response.status_code == 200 and "X-Page-Cache" not in response
        assert policy.title in response.content.decode()
    again = _get(client, f"{url}?n=0")
    assert "X-Page-Cache" not in again  # not stored the first time either
    # Parameters the page reads are cached as before.
    search = reverse("portal:search")
    assert _get(client, f"{search}?q=数据开放")["X-Page-Cache"] == "miss"
    assert _get(client, f"{search}?q=数据开放")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("page", ["portal:records", "portal:policies", "portal:search"])
def test_a_list_page_never_stores_a_parameter_it_ignores(client, policy, page):
    """List and search pages copy their parameters into pager, sort and facet links; a
    parameter no page reads must not be copied (the page would then depend on it, and each
    value of it would be stored as a new page), while the page's own parameters are kept."""
    url = reverse(page) + "?q=数据开放&year=2026"
    for n in range(2):
        response = _get(client, f"{url}&n={n}")
        assert response.status_code == 200 and "X-Page-Cache" not in response
        assert not re.search(r"[?&](amp;)?n=\d", response.content.decode())
    assert _get(client, url)["X-Page-Cache"] == "miss"
    assert _get(client, url)["X-Page-Cache"] == "hit"


def test_an_organisation_edit_shows_on_the_next_read(
    client, policy, office, dept_a, django_capture_on_commit_callbacks
):
    """List rows show the publisher's short name: editing the organisation invalidates them."""
    from gongkai.orgs import actions as org_actions

    listing = reverse("portal:records")
    _warm(client, listing)
    with django_capture_on_commit_callbacks(execute=True):
        org_actions.update_organisation(office, dept_a, short_name="大数据政务公开局")
    assert "大数据政务公开局" in _get(client, listing).content.decode()
