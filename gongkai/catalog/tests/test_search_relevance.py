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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- variants give the same results ----------------------------------------------------------

SEPARATORS = ["、", "，", "；", "：", "。", "！", "？", " · ", "/", "|", "　", "  ", ",", ";"]
_CONVERTERS = {}


def _converted(config: str, q: str) -> str:
    import opencc

    if config not in _CONVERTERS:
        _CONVERTERS[config] = opencc.OpenCC(config)
    return _CONVERTERS[config].convert(q)


def _doc_no_forms(q: str) -> list[str]:
    """Every way of typing the document number that is the whole query, or []."""
    number = text.parse_doc_no(text.query_parts(q).terms[0]) if " " not in q else None
    if number is None or len(text.query_parts(q).terms) > 2:
        return []
    i, y, s = number.issuer, number.year, number.serial
    if y is None:
        return [f"{i}第{s}号", f"{i}{s}号", f"{i} 第{s}号"]
    return [
        f"{i}〔{y}〕{s}号",
        f"{i}[{y}]{s}号",
        f"{i}（{y}）{s}号",
        f"{i}({y})第{s}号",
        f"{i}【{y}】{s}号",
        f"{i}{y}{s}号",
        f"{i}{y}年{s}号",
        f"{i}（{y}）第{s}号",
    ]


@st.composite
def variants(draw, query: relevance.Query) -> str:
    q = query.q
    terms = list(text.query_parts(q).terms)
    kind = draw(st.sampled_from(["traditional", "separators", "doc_no"]))
    if kind == "doc_no" and _doc_no_forms(q):
        q = draw(st.sampled_from(_doc_no_forms(q)))
    elif kind == "separators" or kind == "doc_no":
        if len(terms) > 1 and not text.query_parts(q).by_date:
            q = draw(st.sampled_from(SEPARATORS)).join(terms)
        q = (
            draw(st.sampled_from(["", " ", "　", "。"]))
            + q
            + draw(st.sampled_from(["", "？", "　"]))
        )
    config = draw(st.sampled_from([None, "s2t", "s2hk", "s2tw", "s2twp"]))
    return _converted(config, q) if config else q


PLAIN = [q for q in relevance.QUERIES if not q.meant and not q.none]


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_traditional_separator_and_doc_number_variants_give_the_same_results(world, db, data):
    query = data.draw(st.sampled_from(PLAIN))
    variant = data.draw(variants(query))
    assert run(world, query.gov, variant)[1] == run(world, query.gov, query.q)[1], variant


@pytest.mark.parametrize(
    ("regional", "plain"),
    [
        ("臺胞臺企", "台胞台企"),
        ("群眾心裡", "群众心里"),
        ("政府資訊公開", "政府信息公开"),
        ("濟政辦字〔2021〕118號", "济政办字〔2021〕118号"),
        ("綫上辦理", "线上办理"),
        ("衞健委 疫情防控", "卫健委 疫情防控"),
    ],
)
def test_hong_kong_and_taiwan_spellings_give_the_plain_results(world, db, regional, plain):
    """Spellings that a simplified → traditional round trip would not produce."""
    found = run(world, "A", regional)[1]
    assert found and found == run(world, "A", plain)[1]


def test_recall_and_top3_precision_per_class(world, db, capsys):
    """Recall is 1 in every class (the per-query test says which record is missed); top-3
    precision is printed for BENCHMARKS.md (run with -s)."""
    per_class: dict[str, list[tuple[float, float]]] = {}
    for query in relevance.QUERIES:
        if query.none:
            continue
        expected = world.expected(query)
        q = query.meant or query.q
        found = run(world, query.gov, q)[1]
        recall = len(expected & set(found)) / len(expected)
        top = found[:3]
        precision = sum(k in expected for k in top) / len(top) if top else 0.0
        per_class.setdefault(query.kind, []).append((recall, precision))
    with capsys.disabled():
        for kind, values in sorted(per_class.items()):
            recall = sum(r for r, _ in values) / len(values)
            precision = sum(p for _, p in values) / len(values)
            print(f"\n{kind}: {len(values)} queries, recall {recall:.3f}, top-3 {precision:.3f}")
    assert all(r == 1.0 for values in per_class.values() for r, _ in values)
