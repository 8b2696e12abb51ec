"""The relevance set (gongkai/catalog/tests/relevance.py) through the public search of each
government, on whichever database the run uses (SQLite FTS5 or PostgreSQL).

For every query: every relevant public record of that government is found (recall), nothing
of another government or that is not public is, the expected first result is first where one
is stated, and a typo query's first suggestion is the query the citizen meant.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from gongkai.catalog.indexing import reindex, search_records
from gongkai.catalog.models import Attribute, Record, Status
from gongkai.catalog.tests import relevance
from gongkai.core import search as core_search
from gongkai.core import text
from gongkai.orgs.models import OrganisationAlias
from gongkai.testing.factories import GovernmentFactory, OrganisationFactory

BEIJING = ZoneInfo("Asia/Shanghai")


class World:
    def __init__(self):
        self.governments = {}
        self.orgs = {}
        self.records: dict[str, Record] = {}
        self.specs: dict[str, relevance.Rec] = {}
        self.keys: dict[int, str] = {}

    def public(self, gov: str) -> list[str]:
        return [
            key
            for key, spec in self.specs.items()
            if spec.government == gov and spec.state == "public"
        ]

    def haystack(self, key: str) -> str:
        record = self.records[key]
        org_key = self.specs[key].publisher
        _, name, short, aliases, _ = relevance.ORGANISATIONS[org_key]
        gov = relevance.GOVERNMENTS[relevance.ORGANISATIONS[org_key][0]]
        names = [name or gov["name"], short or gov["short_name"], *aliases]
        return text.normalize("\n".join([record.title, record.search_text(), *names]))

    def expected(self, query: relevance.Query) -> set[str]:
        if query.none:
            return set()
        if query.keys:
            return set(query.keys)
        return {
            key
            for key in self.public(query.gov)
            if all(any(p in self.haystack(key) for p in group) for group in query.expect)
        }


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{line}</p>" for line in body.split("\n") if line)


def build_world() -> World:
    world = World()
    for key, fields in relevance.GOVERNMENTS.items():
        world.governments[key] = GovernmentFactory(**fields)
    for key, (gov, name, short, aliases, _codes) in relevance.ORGANISATIONS.items():
        parent = world.governments[gov]
        org = (
            parent
            if name is None
            else OrganisationFactory(name=name, short_name=short, parent=parent)
        )
        world.orgs[key] = org
        for alias in aliases:
            OrganisationAlias.objects.create(organisation=org, government=parent, alias=alias)
    for n, spec in enumerate(relevance.all_records()):
        at = dt.datetime.combine(spec.published, dt.time(9, 30), tzinfo=BEIJING)
        fields = {
            "government": world.governments[spec.government],
            "publisher": world.orgs[spec.publisher],
            "index_no": f"REL-{n:05d}",
            "title": spec.title,
            "doc_no": spec.doc_no,
            "doc_no_key": text.normalize_doc_no(spec.doc_no),
            "made_on": spec.published,
            "body": _paragraphs(spec.body),
            "genre": spec.genre,
            "topic": spec.topic,
            "validity": spec.validity,
            "attribute": Attribute.PROACTIVE,
            "status": Status.PUBLISHED,
            "published_at": at,
        }
        if spec.state == "withdrawn":
            fields.update(
                status=Status.WITHDRAWN, withdrawn_at=at, withdrawn_reason="内容有误，撤回"
            )
        elif spec.state == "on_request":
            fields.update(attribute=Attribute.ON_REQUEST, attribute_reason="内部事务信息")
        elif spec.state == "draft":
            fields.update(status=Status.DRAFT, published_at=None)
        record = Record.objects.create(**fields)
        world.records[spec.key] = record
        world.specs[spec.key] = spec
        world.keys[record.pk] = spec.key
    reindex()
    core_search.forget_statistics()
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The corpus, built once for the module inside a transaction that is rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def run(world: World, gov: str, q: str):
    """(result of the first page, every found key in result order)."""
    government = world.governments[gov]
    first, found, page = None, [], 1
    while True:
        result, records = search_records(government, q, page=page, per_page=50)
        first = first or result
        assert not result.error, (q, result.error)
        found += [world.keys.get(r.pk, f"?{r.pk}") for r in records]
        if not result.has_next or not records or page >= 20:
            return first, found
        page += 1


def test_the_set_is_large_enough():
    records = relevance.all_records()
    assert len(records) >= 300
    assert {r.government for r in records} == {"A", "B"}
    assert len(relevance.QUERIES) >= 60
    assert len({r.key for r in records}) == len(records)
    kinds = {q.kind for q in relevance.QUERIES}
    assert kinds == {"ordinary", "traditional", "typo", "separator", "doc_no", "alias"}


def _query_id(query: relevance.Query) -> str:
    q = re.sub(r"\s", "_", query.q)
    return f"{query.kind}-{query.gov}-{q}"


@pytest.mark.parametrize("query", relevance.QUERIES, ids=_query_id)
def test_query(world, db, query):
    expected = world.expected(query)
    assert expected or query.none, f"the set has no relevant record for {query.q}"
    if query.meant:
        result, _ = run(world, query.gov, query.q)
        assert result.suggestions[:1] == [query.meant], (query.q, result.suggestions)
        _, found = run(world, query.gov, query.meant)
    else:
        _, found = run(world, query.gov, query.q)
    public = set(world.public(query.gov))
    assert [k for k in found if k not in public] == [], "found what is not this government's public"
    missing = expected - set(found)
    assert not missing, f"{query.q}: missed {sorted(missing)} of {len(expected)}"
    if query.none:
        assert found == []
    if query.first:
        assert found[:1] == [query.first], (query.q, found[:5])
    if query.order:
        assert [k for k in found if k in query.order] == query.order
