"""The cross-channel leak test: nothing that is not public reaches any public channel.

Every URL pattern of the project (pages, feeds, the sitemap, file downloads, the API) and every
OpenAPI operation is enumerated automatically and requested as an anonymous visitor and as a
logged-in citizen, with every id of a non-public object filled into its path parameters and
each marker used as a search query. A unique marker string of each non-public record — a draft,
one under confidentiality review, one approved but not published, an 依申请公开 and a 不予公开
record, a withdrawn one, one scheduled for later — and of a draft interpretation of a public
policy must never appear in any response.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from gongkai.catalog import actions
from gongkai.catalog.models import Attribute, Genre, Record

MARKERS = {
    "draft": "甲草稿标记",
    "in_review": "乙审查标记",
    "approved": "丙待发标记",
    "on_request": "丁依申请标记",
    "withheld": "戊不予公开标记",
    "withdrawn": "己撤回标记",
    "scheduled": "庚定时标记",
    "draft_interp": "辛解读草稿标记",
}
# Doc numbers (searched in every bracket form) and ASCII tokens per state.
DOC_NOS = {state: f"鲁标〔2099〕{i + 1}号" for i, state in enumerate(MARKERS)}
ASCII = {state: f"leakmark{i}x" for i, state in enumerate(MARKERS)}

SKIP_PREFIXES = ("django-admin/", "captcha/", "accounts/")
STATIC_ROUTES = {"api/openapi.json", "api/docs"}


def _fields(state):
    marker = MARKERS[state]
    return {
        "title": f"{marker}的通知",
        "doc_no": DOC_NOS[state],
        "keywords": f"{marker} {ASCII[state]}",
        "summary": f"{marker}内容概述",
        "body": f"<p>{marker}正文，政务公开 {ASCII[state]}</p>",
        "made_on": dt.date(2026, 11, 2),
    }


def _with_attachment(user, record, state):
    actions.add_attachment(
        user, record, f"{MARKERS[state]}.docx", ContentFile(MARKERS[state].encode(), "a.docx")
    )


@pytest.fixture
def world(officer_a, approver_a, office, dept_a, dept_b, citizen):
    made = {}

    def draft(state, **extra):
        record = actions.create_record(approver_a, dept_a, {**_fields(state), **extra})
        _with_attachment(approver_a, record, state)
        actions.create_interpretation(
            approver_a, record, {"title": f"{MARKERS[state]}解读", "body": MARKERS[state]}
        )
        made[state] = record
        return record

    draft("draft")
    actions.submit_for_review(approver_a, draft("in_review"))
    rec = draft("approved")
    actions.submit_for_review(approver_a, rec)
    actions.approve(approver_a, rec)
    for state, attribute in (
        ("on_request", Attribute.ON_REQUEST),
        ("withheld", Attribute.WITHHELD),
    ):
        rec = draft(
            state,
            attribute=attribute,
            attribute_reason="涉及第三方",
            attribute_basis="条例第十五条",
        )
        actions.submit_for_review(approver_a, rec)
        actions.approve(office, rec)
    for state in ("withdrawn", "scheduled"):
        rec = draft(state)
        actions.submit_for_review(approver_a, rec)
        actions.approve(approver_a, rec)
        at = timezone.now() + dt.timedelta(days=3) if state == "scheduled" else None
        actions.publish(approver_a, rec, at)
    actions.withdraw(approver_a, made["withdrawn"], "内容有误")
    # A public normative policy whose extra interpretation is still a draft.
    public = actions.create_record(
        approver_a,
        dept_a,
        {
            "title": "公开的规范性文件",
            "made_on": dt.date(2026, 11, 2),
            "genre": Genre.NORMATIVE,
            "body": "<p>政务公开</p>",
        },
    )
    actions.create_interpretation(approver_a, public, {"title": "公开的解读", "body": "好"})
    actions.submit_for_review(approver_a, public)
    actions.approve(approver_a, public)
    actions.publish(approver_a, public)
    actions.create_interpretation(
        approver_a,
        public,
        {"title": f"{MARKERS['draft_interp']}解读", "body": MARKERS["draft_interp"]},
    )
    # A record changed to 不予公开 after publication is also hidden again.
    made["public"] = public
    return made


def _routes(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill(route, ids):
    """Every URL obtained by putting candidate values into the route's parameters."""
    params = _PARAM.findall(route)
    if not params:
        yield "/" + route
        return
    choices = []
    # Keep the number of combinations bounded for routes with several parameters.
    per_param = len(ids) if len(params) == 1 else max(3, int(150 ** (1 / len(params))))
    for conv, _name in params:
        if conv in ("", "int"):
            choices.append([str(i) for i in ids[:per_param]])
        else:
            choices.append(["x", "docx", "pdf"])
    for combo in itertools.product(*choices):
        values = iter(combo)
        yield "/" + _PARAM.sub(lambda _m, v=values: next(v), route)


def _search_terms(state):
    """What a visitor might type: the marker, the doc number in another bracket form, the ASCII
    token in upper case (search folds case). None of them is itself a needle, so a page that
    echoes the query back does not trip the test."""
    return (
        MARKERS[state],
        DOC_NOS[state].replace("〔", "[").replace("〕", "]"),
        ASCII[state].upper(),
    )


def _needles(state):
    marker = MARKERS[state]
    return (
        f"{marker}的通知",
        f"{marker}正文",
        f"{marker}内容概述",
        f"{marker}.docx",
        f"{marker}解读",
        DOC_NOS[state],
        ASCII[state],
    )


def _queries():
    yield "?page=2"
    for state in MARKERS:
        for q in _search_terms(state):
            yield "?" + "&".join(f"{k}={q}" for k in ("q", "query", "keyword"))


def _assert_clean(response, url):
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    text = content.decode("utf-8", errors="replace")
    for state in MARKERS:
        for needle in _needles(state):
            assert needle not in text, f"{state} marker {needle} leaked at {url}"


def _clients(citizen):
    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    return [anonymous, logged_in]


@pytest.mark.django_db
def test_every_url_pattern_hides_non_public_records(world, citizen, dept_a, dept_b, government):
    from gongkai.catalog.models import Attachment, Interpretation

    hidden = [r for k, r in world.items() if k != "public"]
    ids = sorted(
        {r.pk for r in hidden}
        | set(Interpretation.objects.values_list("pk", flat=True))
        | set(Attachment.objects.values_list("pk", flat=True))
        | {dept_a.pk, dept_b.pk, government.pk}
    )
    routes = [r for r in _routes() if not r.startswith(SKIP_PREFIXES) and "(?P<" not in r]
    assert "disclosure/records/<int:pk>/" in routes and "sitemap.xml" in routes
    checked = 0
    for n, client in enumerate(_clients(citizen)):
        for route in routes:
            for url in _fill(route, ids):
                plain = client.get(url)
                _assert_clean(plain, url)
                checked += 1
                # The anonymous visitor tries every search term on each page that answers;
                # the citizen the plain pages.
                if n or "<" in route or plain.status_code != 200 or route in STATIC_ROUTES:
                    continue
                for query in _queries():
                    _assert_clean(client.get(url + query), url + query)
                    checked += 1
    assert checked > 200


@pytest.mark.django_db
def test_every_openapi_operation_hides_non_public_records(world, citizen):
    from gongkai.catalog.models import Attachment, Interpretation

    client = Client(raise_request_exception=False)
    schema = client.get("/api/openapi.json").json()
    ids = sorted(
        {r.pk for r in world.values()}
        | set(Interpretation.objects.values_list("pk", flat=True))
        | set(Attachment.objects.values_list("pk", flat=True))
    )
    operations = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method != "get":
                continue
            operations += 1
            params = op.get("parameters", [])
            path_params = [p["name"] for p in params if p["in"] == "path"]
            query_names = {p["name"] for p in params if p["in"] == "query"}
            for combo in itertools.product(*[ids for _ in path_params]):
                url = path
                for name, value in zip(path_params, combo, strict=True):
                    url = url.replace("{" + name + "}", str(value))
                queries = [{}]
                text_params = [
                    n for n in query_names if n in ("q", "query", "keyword", "names", "text")
                ]
                for state in MARKERS:
                    for value in _search_terms(state):
                        queries.append({n: value for n in text_params})
                for query in queries if text_params else [{}]:
                    _assert_clean(client.get(url, query), f"{url} {query}")
    assert operations >= 4
    # The catalogue's own operations are among them.
    assert any(p.startswith("/api/catalog/search") for p in schema["paths"])


@pytest.mark.django_db
def test_scheduled_record_appears_when_its_time_comes(world, client):
    record = world["scheduled"]
    url = f"/disclosure/records/{record.pk}/"
    assert client.get(url).status_code == 404
    Record.objects.filter(pk=record.pk).update(
        published_at=timezone.now() - dt.timedelta(minutes=1)
    )
    from gongkai.catalog.indexing import sync_record

    sync_record(Record.objects.get(pk=record.pk))
    assert client.get(url).status_code == 200
    page = client.get("/search/", {"q": MARKERS["scheduled"]}).content.decode()
    assert f"<mark>{MARKERS['scheduled']}</mark>的通知" in page


@pytest.mark.django_db
def test_staff_of_another_organisation_cannot_see_or_edit(world, officer_b, login):
    client = login(officer_b)
    for state, record in world.items():
        assert client.get(f"/manage/catalog/{record.pk}/").status_code == 404, state
        assert client.get(f"/manage/catalog/{record.pk}/edit/").status_code == 404, state
        for action in ("submit", "approve", "publish", "withdraw", "interpretation"):
            response = client.post(
                f"/manage/catalog/{record.pk}/do/{action}/",
                {"reason": "x", "title": "x", "body": "x"},
            )
            assert response.status_code == 404, (state, action)
    listing = client.get("/manage/catalog/").content.decode()
    for marker in MARKERS.values():
        assert marker not in listing
    before = {r.pk: (r.status, r.title) for r in Record.objects.all()}
    assert before == {r.pk: (r.status, r.title) for r in Record.objects.all()}
