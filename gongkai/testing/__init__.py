"""Pytest fixtures shared by every app's tests (a pytest plugin, see ./conftest.py): the
demo-like world and the personas, built with the factories in gongkai.testing.factories.

The personas: an anonymous visitor, a citizen, an officer of department A, an officer of
department B, the openness office (公开办) and an approver of department A.
"""

from __future__ import annotations

import contextlib

import pytest

PASSWORD = "Test-pass-2026!"


@contextlib.contextmanager
def forbidden(match: str | None = None):
    """Assert that the block raises an ActionError refusing the actor (``forbidden=True``)."""
    from gongkai.core.actions import ActionError

    with pytest.raises(ActionError, match=match) as info:
        yield info
    assert info.value.forbidden, f"refused, but not as forbidden: {info.value.message}"


@pytest.fixture
def government(db):
    from gongkai.testing.factories import GovernmentFactory

    return GovernmentFactory(name="济宁市人民政府", short_name="济宁市政府", slug="jining")


@pytest.fixture
def other_government(db):
    from gongkai.testing.factories import GovernmentFactory

    return GovernmentFactory(
        name="滕州市人民政府", short_name="滕州市政府", slug="tengzhou", order=1
    )


@pytest.fixture
def dept_a(government):
    from gongkai.testing.factories import OrganisationFactory

    return OrganisationFactory(name="济宁市教育局", short_name="市教育局", parent=government)


@pytest.fixture
def dept_b(government):
    from gongkai.testing.factories import OrganisationFactory

    return OrganisationFactory(name="济宁市财政局", short_name="市财政局", parent=government)


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def citizen(db):
    from gongkai.testing.factories import UserFactory

    return UserFactory(username="citizen", display_name="张三")


@pytest.fixture
def officer_a(dept_a):
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    return member("officer_a", "教育局信息员", dept_a, Role.OFFICER)


@pytest.fixture
def officer_b(dept_b):
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    return member("officer_b", "财政局信息员", dept_b, Role.OFFICER)


@pytest.fixture
def approver_a(dept_a):
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    return member("approver_a", "教育局负责人", dept_a, Role.APPROVER)


@pytest.fixture
def office(government):
    from gongkai.orgs.models import Role
    from gongkai.testing.factories import member

    return member("office", "市政务公开办", government, Role.OFFICE_ADMIN)


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as user."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _own_cache():
    """Each test gets a cache namespace of its own, so rate-limit counters, sessions and cached
    pages never carry over from an earlier test (or from the SQLite pass into the PostgreSQL
    pass, which share one Redis). Overriding CACHES resets the cache handlers in every thread,
    so the live server used by the browser tests sees the same namespace. Never cache.clear():
    on Redis that is a FLUSHDB under the other xdist worker."""
    import copy
    import uuid

    from django.conf import settings
    from django.test import override_settings

    caches = copy.deepcopy(settings.CACHES)
    namespace = uuid.uuid4().hex
    default = caches["default"]
    prefix = f"{default.get('KEY_PREFIX') or ''}:{namespace}"
    default["KEY_PREFIX"] = prefix
    redis = str(default["BACKEND"]).endswith("RedisCache")
    if not redis:  # a locmem store is shared per LOCATION within a process
        default["LOCATION"] = namespace
    with override_settings(CACHES=caches):
        yield
        if redis:
            from django.core.cache import caches as cache_handler
            from django.core.cache.backends.redis import RedisCache

            backend = cache_handler["default"]
            if not isinstance(backend, RedisCache):
                raise TypeError(f"{default['BACKEND']} is not a Django RedisCache")
            client = backend._cache.get_client(write=True)
            stale = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if stale:
                client.delete(*stale)


@pytest.fixture(autouse=True)
def _fresh_site_cache():
    """Each test starts without a cached site map (organisation ids differ between tests)."""
    from gongkai.orgs.sites import clear_site_cache

    clear_site_cache()
    yield


def solve_captcha(html: str) -> dict:
    """The POST fields that answer the captcha rendered in html (read from the store, as a
    person would read the image)."""
    import re

    from captcha.models import CaptchaStore

    match = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)
    if match is None:
        return {}
    store = CaptchaStore.objects.get(hashkey=match.group(1))
    return {"captcha_0": store.hashkey, "captcha_1": store.response}


def received_code(contact: str) -> str:
    """The last one-time code sent to `contact` (the test sender's outbox), as the person
    would read it from their e-mail or SMS."""
    import re

    from gongkai.core.one_time_codes import outbox

    for to, message in reversed(outbox):
        if to.value == contact.lower():
            found = re.search(r"\d{6}", message)
            if found is not None:
                return found.group(0)
    raise AssertionError(f"no code was sent to {contact}")


def answer_one_time_code(page, contact: str) -> None:
    """In a browser (Playwright page) on a form in one-time-code mode: have a code sent to
    `contact` and type it in."""
    page.get_by_label("接收验证码的电子邮箱或手机号码").fill(contact)
    page.get_by_role("button", name="发送验证码").click()
    page.wait_for_load_state()
    assert "验证码已发送至" in page.locator("main").inner_text()
    page.get_by_label("收到的 6 位验证码").fill(received_code(contact))


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Tests that load a holiday year must not leak it into other tests' cached calendar."""
    from gongkai.core import calendar

    calendar.clear_cache()
    yield
    calendar.clear_cache()


def run_queued_tasks(worker_id: str = "test-worker") -> int:
    """Run every task ready in the database queue, in this process, the way `gongkai worker`
    does (claim, run, record success or failure); returns how many ran."""
    from django_tasks_db.models import DBTaskResult

    from gongkai.core.worker import make_worker

    worker = make_worker(worker_id, interval=0, batch=True)
    ran = 0
    while True:
        result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if result is None:
            return ran
        result.claim(worker_id)
        worker.run_task(result)
        ran += 1


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Tests build their worlds with the ORM, which no production code path does without an
    audited action: the page cache (gongkai.core.pagecache) is off unless a test turns it on
    with the `page_cache` fixture."""
    settings.GONGKAI_PAGE_CACHE = False


@pytest.fixture
def page_cache(settings):
    settings.GONGKAI_PAGE_CACHE = True
