"""The organisation-name resolver: the one place that turns a phrase from a document into
organisations, always within one tenant government.

How a phrase is read
--------------------
1. ``normalise``: NFKC, half-width punctuation to full-width, spaces removed.
2. The text splits into segments at ， ； 。 ： and line breaks (never inside brackets, so
   「各县（市、区）政府」 stays whole).
3. In each segment the collective references of ``COLLECTIVE_RULES`` are found first
   (「市政府各部门、单位」, 「各县（市、区）政府」, 「市政府有关部门、单位」 …); the text between
   them splits at 、 into list items. A 「等」 right before a collective joins the named list to
   it (「A、B等市政府有关部门、单位」); an open tail such as 「等部门」 is reported as unresolved.
4. Each list item is resolved by the first method that finds exactly one organisation:

   ``exact``         the full name (济宁市发展和改革委员会)
   ``alias``         the 简称 or an alias (市发展改革委, 市发改委), or the same name with the
                     locality swapped (济宁市X ↔ 市X)
   ``prefix``        the item lacks a prefix an earlier item of the list has:
                     「市发展改革委、自然资源和规划局」 → 市自然资源和规划局
   ``shared_affix``  the item lacks a suffix a later item of the list has:
                     「任城区、兖州区政府」, 「济宁高新区、太白湖新区、济宁经济技术开发区管委会」,
                     「市、县级政府办公室」 (the suffix of the collective 县级政府办公室)
   (conjunction)     「市教育局和财政局」: split at 和/及/与 when every part resolves
   ``fuzzy``         last resort: rapidfuzz ``fuzz.ratio`` ≥ ``FUZZY_MIN_SCORE`` against every
                     name and alias, with a single best organisation; the score is reported.
                     Never across levels: a name and a key that differ in their level or place
                     prefix (「市场监管局」 — a bare name, in a province's document the provincial
                     bureau — vs 「市市场监管局」) do not match.

   An item nothing resolves is reported in ``unresolved``; nothing is dropped or guessed.
5. Collectives: a non-selective one (「各部门」) adds its members to ``organisations`` with method
   ``collective``; a selective one (「有关部门」) only lists its members as candidates. Party
   organs, vertical agencies and public institutions belong to no collective of the government:
   they are included only where named.

A ``Resolver`` loads the government's organisations and aliases once (two queries); reuse it
to resolve many phrases, e.g. every cell of a task table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz, process

from gongkai.orgs.models import DIRECTLY_UNDER_KINDS, Organisation, OrganisationAlias, OrgKind

# fuzz.ratio is 100 · 2·matches / (len(a) + len(b)). At 90 a one-character slip in a ten-character
# name passes (济宁市发展与改革委员会 → 济宁市发展和改革委员会 scores 90.9), while another city's
# department (枣庄市教育局 vs 市教育局: 80) and a different bureau stay out.
FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_LENGTH = 4
# The shortest suffix that may be shared across a list (政府, 管委会 …).
MIN_AFFIX_LENGTH = 2

SEGMENT_SEPARATORS = frozenset("，；。：\n")
LIST_SEPARATOR = "、"
OPENING_BRACKETS = frozenset("（〔【［《")
CLOSING_BRACKETS = frozenset("）〕】］》")

# Characters and words a name or alias may never contain: they would split it or make it a
# collective reference.
NAME_SEPARATORS = ("、", "，", "；", ",", ";")
COLLECTIVE_WORDS = ("各", "有关", "相关", "等")

_HALF_TO_FULL = str.maketrans(
    {",": "，", ";": "；", "(": "（", ")": "）", ":": "：", "\r": "\n", "\t": "\n"}
)
_SPACES = re.compile(r"[ \u3000\xa0]+")
_LEADING_CONNECTOR = re.compile(r"^(?:以及|及|和|与|并)")
_TRAILING_CONNECTOR = re.compile(r"(?:以及|等|及|和|与|并)$")
_CONJUNCTION = re.compile(r"以及|及|和|与")
# Role notes that follow a name in task tables: 「市教育局（牵头）」.
_ROLE_NOTE = re.compile(r"（(?:牵头|配合|按职责分工负责|按职责分工分别负责)）$")
_TRAILING_PARENTHESIS = re.compile(r"(.+?)（[^（）]*）")
_PLACE_PREFIX = re.compile(r"^([省市县区](?!场)|[\u4e00-\u9fff]{1,5}?[省市县区](?!场))")


class Method(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    PREFIX = "prefix"
    SHARED_AFFIX = "shared_affix"
    COLLECTIVE = "collective"
    FUZZY = "fuzzy"


METHOD_LABELS = {
    Method.EXACT: "全称",
    Method.ALIAS: "简称/别名",
    Method.PREFIX: "补全前缀",
    Method.SHARED_AFFIX: "共用后缀",
    Method.COLLECTIVE: "集合称谓",
    Method.FUZZY: "模糊匹配",
}


class CollectiveScope(StrEnum):
    DIRECT = "direct"  # children of the tenant government
    UNDER_COUNTIES = "under_counties"  # children of the tenant's county-level governments
    ANYWHERE = "anywhere"  # anywhere in the tenant's tree


@dataclass(frozen=True)
class CollectiveRule:
    """A collective reference. ``pattern`` is a regular expression over normalised text in
    which ``{level}`` stands for the tenant's own level word (市, or 济宁市, for 济宁市人民政府)."""

    key: str
    pattern: str
    kinds: tuple[str, ...]
    scope: CollectiveScope = CollectiveScope.DIRECT
    selective: bool = False
    name_suffix: str = ""


_UNITS = r"(?:部门(?:[、和及与]单位|（单位）)?|单位)"
_COUNTIES = r"县(?:（市、区）|（市区）|市区|级)"

# Order matters where two rules can match at the same place: the longer phrase comes first.
COLLECTIVE_RULES: tuple[CollectiveRule, ...] = (
    CollectiveRule(
        "county_offices",
        "各?" + _COUNTIES + "(?:人民)?政府办公室",
        (OrgKind.DEPARTMENT,),
        CollectiveScope.UNDER_COUNTIES,
        name_suffix="政府办公室",
    ),
    CollectiveRule(
        "some_county_offices",
        "有关" + _COUNTIES + "(?:人民)?政府办公室",
        (OrgKind.DEPARTMENT,),
        CollectiveScope.UNDER_COUNTIES,
        selective=True,
        name_suffix="政府办公室",
    ),
    CollectiveRule("departments", "{level}(?:政府|直)各" + _UNITS, DIRECTLY_UNDER_KINDS),
    CollectiveRule(
        "some_departments",
        "{level}(?:政府|直)(?:有关|相关)" + _UNITS,
        DIRECTLY_UNDER_KINDS,
        selective=True,
    ),
    CollectiveRule("counties", "各" + _COUNTIES + "(?:人民)?政府", (OrgKind.COUNTY_GOVERNMENT,)),
    CollectiveRule(
        "some_counties",
        "有关" + _COUNTIES + "(?:人民)?政府",
        (OrgKind.COUNTY_GOVERNMENT,),
        selective=True,
    ),
    CollectiveRule("zones", "各(?:开发区|功能区|园区)管委会", (OrgKind.ZONE_COMMITTEE,)),
    CollectiveRule(
        "townships",
        "各(?:乡镇|镇)(?:人民政府|政府)?(?:、街道(?:办事处)?|（街道）)?|各镇街",
        (OrgKind.TOWNSHIP,),
        CollectiveScope.ANYWHERE,
    ),
    CollectiveRule("party_organs", "{level}委各部门", (OrgKind.PARTY_ORGAN,)),
)
# 「A、B等部门」: the list is open-ended and names no class of organisations.
OPEN_TAIL_PATTERN = "等(?:其他|有关|相关)?(?:部门|单位|机构)(?:[、和及与]单位)?"


def normalise(text: str) -> str:
    """NFKC, half-width punctuation to full-width, spaces removed; line breaks kept."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text).translate(_HALF_TO_FULL))


def name_problem(name: str, label: str = "别名") -> str | None:
    """Why name cannot serve as a short name or alias (a Chinese message), or None."""
    for char in NAME_SEPARATORS:
        if char in name:
            return f"{label}“{name}”不能包含“{char}”"
    for word in COLLECTIVE_WORDS:
        if word in name:
            return f"{label}“{name}”不能包含集合称谓用词“{word}”"
    return None


def split_outside_brackets(text: str, separators: Container[str]) -> list[str]:
    """Split text at any of separators, but not inside brackets; empty parts are dropped."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in OPENING_BRACKETS:
            depth += 1
        elif char in CLOSING_BRACKETS and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part]


def _affixes(text: str) -> Iterator[str]:
    """The suffixes of text a list may share, longest first; for 「…管委会（推进办公室）」 also
    the suffixes without the parenthesis."""
    bases = [text]
    bracketed = _TRAILING_PARENTHESIS.fullmatch(text)
    if bracketed:
        bases.append(bracketed.group(1))
    for base in bases:
        for start in range(1, len(base) - MIN_AFFIX_LENGTH + 1):
            yield base[start:]


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationMatch:
    organisation: Organisation
    text: str  # the phrase it came from
    method: Method
    matched: str  # the name or alias it matched
    score: float | None = None  # fuzzy only

    def as_dict(self) -> dict[str, Any]:
        org = self.organisation
        data = {
            "id": org.pk,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "text": self.text,
            "method": str(self.method),
            "matched": self.matched,
        }
        if self.score is not None:
            data["score"] = round(self.score, 1)
        return data


@dataclass(frozen=True)
class CollectiveMatch:
    text: str
    rule: str
    selective: bool
    members: tuple[Organisation, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "rule": self.rule,
            "selective": self.selective,
            "members": [org.pk for org in self.members],
            "member_names": [org.name for org in self.members],
        }


@dataclass
class Resolution:
    text: str
    organisations: list[OrganisationMatch] = field(default_factory=list)
    collectives: list[CollectiveMatch] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.unresolved

    def organisation_list(self) -> list[Organisation]:
        return [match.organisation for match in self.organisations]

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisations": [match.as_dict() for match in self.organisations],
            "collectives": [collective.as_dict() for collective in self.collectives],
            "unresolved": list(self.unresolved),
        }


@dataclass(frozen=True)
class _Hit:
    org_id: int
    method: Method
    matched: str
    score: float | None = None


@dataclass(frozen=True)
class _Entry:
    org_id: int | None  # None: the key names several organisations
    method: Method
    rank: int


@dataclass(frozen=True)
class _Item:
    text: str
    rule: CollectiveRule | None = None


class _Collector:
    """Accumulates one Resolution: named organisations first, then members of non-selective
    collectives not already named."""

    def __init__(self, text: str, orgs: dict[int, Organisation]) -> None:
        self.resolution = Resolution(text)
        self._orgs = orgs
        self._seen: set[int] = set()
        self._rules: set[str] = set()

    def add(self, hit: _Hit, text: str) -> None:
        if hit.org_id not in self._seen:
            self._seen.add(hit.org_id)
            org = self._orgs[hit.org_id]
            self.resolution.organisations.append(
                OrganisationMatch(org, text, hit.method, hit.matched, hit.score)
            )

    def add_collective(
        self, text: str, rule: CollectiveRule, members: Iterable[Organisation]
    ) -> None:
        if rule.key not in self._rules:
            self._rules.add(rule.key)
            self.resolution.collectives.append(
                CollectiveMatch(text, rule.key, rule.selective, tuple(members))
            )

    def add_unresolved(self, text: str) -> None:
        if text and text not in self.resolution.unresolved:
            self.resolution.unresolved.append(text)

    def finish(self) -> Resolution:
        for collective in self.resolution.collectives:
            if collective.selective:
                continue
            for org in collective.members:
                self.add(_Hit(org.pk, Method.COLLECTIVE, collective.text), collective.text)
        return self.resolution


# --- the resolver -----------------------------------------------------------------------------


class Resolver:
    """Resolves phrases within one tenant government; build once, call ``resolve`` many times."""

    def __init__(self, government: Organisation) -> None:
        self.government_id = government.government_id or government.pk
        self._orgs = {
            org.pk: org for org in Organisation.objects.filter(government_id=self.government_id)
        }
        self.government = self._orgs.get(self.government_id, government)
        self._locality, self._level = _locality(self.government.name)
        self._index: dict[str, _Entry] = {}
        self._build_index()
        self._collective_re, self._rule_by_group = self._compile_collectives()
        self._members: dict[str, tuple[Organisation, ...]] = {}

    # index ------------------------------------------------------------------------------------

    def _build_index(self) -> None:
        aliases = OrganisationAlias.objects.filter(government_id=self.government_id)
        for org in self._orgs.values():
            self._add(org.name, org.pk, Method.EXACT, rank=0)
            if org.short_name:
                self._add(org.short_name, org.pk, Method.ALIAS, rank=1)
        for alias, org_id in aliases.values_list("alias", "organisation_id"):
            self._add(alias, org_id, Method.ALIAS, rank=1)
        for key, entry in list(self._index.items()):
            if entry.org_id is not None:
                for variant in self._locality_variants(key):
                    self._add(variant, entry.org_id, Method.ALIAS, rank=2)

    def _add(self, key: str, org_id: int, method: Method, rank: int) -> None:
        key = normalise(key)
        current = self._index.get(key)
        if current is None or rank < current.rank:
            self._index[key] = _Entry(org_id, method, rank)
        elif rank == current.rank and current.org_id != org_id:
            self._index[key] = _Entry(None, method, rank)

    def _locality_variants(self, key: str) -> list[str]:
        """济宁市X ↔ 市X: the same name with and without the locality."""
        if not self._locality:
            return []
        if key.startswith(self._locality):
            return [self._level + key[len(self._locality) :]]
        if key.startswith(self._level):
            return [self._locality + key[len(self._level) :]]
        return []

    @cached_property
    def _keys(self) -> list[str]:
        return [key for key, entry in self._index.items() if entry.org_id is not None]

    def _lookup(self, text: str) -> _Hit | None:
        entry = self._index.get(text)
        if entry is None or entry.org_id is None:
            return None
        return _Hit(entry.org_id, entry.method, text)

    # collectives ------------------------------------------------------------------------------

    def _compile_collectives(self) -> tuple[re.Pattern[str], dict[str, CollectiveRule]]:
        level = "(?:" + re.escape(self._locality[: -len(self._level)]) + ")?" + self._level
        groups: list[str] = []
        rule_by_group: dict[str, CollectiveRule] = {}
        for number, rule in enumerate(COLLECTIVE_RULES):
            group = f"c{number}"
            groups.append(f"(?P<{group}>{rule.pattern.replace('{level}', level)})")
            rule_by_group[group] = rule
        groups.append(f"(?P<open>{OPEN_TAIL_PATTERN})")
        return re.compile("|".join(groups)), rule_by_group

    def members(self, rule: CollectiveRule) -> tuple[Organisation, ...]:
        if rule.key not in self._members:
            self._members[rule.key] = tuple(
                org for org in self._orgs.values() if self._is_member(org, rule)
            )
        return self._members[rule.key]

    def _is_member(self, org: Organisation, rule: CollectiveRule) -> bool:
        if not org.is_active or org.kind not in rule.kinds:
            return False
        if not org.name.endswith(rule.name_suffix):
            return False
        if rule.scope == CollectiveScope.DIRECT:
            return org.parent_id == self.government_id
        if rule.scope == CollectiveScope.UNDER_COUNTIES:
            parent = self._orgs.get(org.parent_id) if org.parent_id is not None else None
            return bool(
                parent
                and parent.is_active
                and parent.kind == OrgKind.COUNTY_GOVERNMENT
                and parent.parent_id == self.government_id
            )
        return org.pk != self.government_id

    # reading a phrase -------------------------------------------------------------------------

    def resolve(self, text: str) -> Resolution:
        collector = _Collector(text, self._orgs)
        for segment in split_outside_brackets(normalise(text), SEGMENT_SEPARATORS):
            items = self._items(segment, collector)
            self._resolve_items(items, collector)
        return collector.finish()

    def _items(self, segment: str, collector: _Collector) -> list[_Item]:
        """List items and collectives of one segment, in order."""
        items: list[_Item] = []
        position = 0
        for match in self._collective_re.finditer(segment):
            before = segment[position : match.start()]
            if position:
                before = _LEADING_CONNECTOR.sub("", before)
            if match.lastgroup == "open":
                items += _list_items(before)
                collector.add_unresolved(match.group())
            else:
                items += _list_items(_TRAILING_CONNECTOR.sub("", before))
                items.append(_Item(match.group(), self._rule_by_group[match.lastgroup or ""]))
            position = match.end()
        rest = segment[position:]
        if position:
            rest = _LEADING_CONNECTOR.sub("", rest)
        if rest.endswith("等"):
            rest = rest[:-1]
            collector.add_unresolved("等")
        return items + _list_items(rest)

    def _resolve_items(self, items: list[_Item], collector: _Collector) -> None:
        direct = [None if item.rule else self._lookup(item.text) for item in items]
        for index, item in enumerate(items):
            if item.rule is not None:
                collector.add_collective(item.text, item.rule, self.members(item.rule))
                continue
            hits = self._resolve_item(items, direct, index)
            for hit in hits:
                collector.add(hit, item.text)
            if not hits:
                collector.add_unresolved(item.text)

    def _resolve_item(
        self, items: Sequence[_Item], direct: Sequence[_Hit | None], index: int
    ) -> list[_Hit]:
        hit = (
            direct[index]
            or self._by_prefix(items, direct, index)
            or self._by_shared_affix(items, direct, index)
        )
        if hit is not None:
            return [hit]
        return self._by_conjunction(items[index].text) or self._by_fuzzy(items[index].text)

    def _by_prefix(
        self, items: Sequence[_Item], direct: Sequence[_Hit | None], index: int
    ) -> _Hit | None:
        """「市发展改革委、自然资源和规划局」: borrow a prefix of an earlier item."""
        text = items[index].text
        if len(text) < 2:
            return None
        for earlier in range(index - 1, -1, -1):
            source = direct[earlier]
            if source is None:
                continue
            source_text = items[earlier].text
            for cut in range(len(source_text) - 1, 0, -1):
                hit = self._lookup(source_text[:cut] + text)
                if hit is not None and hit.org_id != source.org_id:
                    return replace(hit, method=Method.PREFIX)
        return None

    def _by_shared_affix(
        self, items: Sequence[_Item], direct: Sequence[_Hit | None], index: int
    ) -> _Hit | None:
        """「任城区、兖州区政府」: borrow a suffix of a later item (an organisation or a
        collective)."""
        text = items[index].text
        for later in range(index + 1, len(items)):
            source = items[later]
            if source.rule is None and direct[later] is None:
                continue
            source_hit = direct[later]
            source_id = source_hit.org_id if source_hit else None
            for affix in _affixes(source.text):
                hit = self._lookup(text + affix)
                if hit is not None and hit.org_id != source_id:
                    return replace(hit, method=Method.SHARED_AFFIX)
        return None

    def _by_conjunction(self, text: str) -> list[_Hit]:
        """「市教育局和财政局」: every part must resolve, or none is taken."""
        parts = [_Item(part) for part in _CONJUNCTION.split(text) if part]
        if len(parts) < 2:
            return []
        direct = [self._lookup(part.text) for part in parts]
        hits = [direct[i] or self._by_prefix(parts, direct, i) for i in range(len(parts))]
        return [hit for hit in hits if hit is not None] if all(hits) else []

    def _level_prefix(self, text: str) -> str:
        """The level or place a name opens with: the locality (济宁市), a level word
        (省/市/县/区, but not the 市 of 市场…), or another place (枣庄市, 任城区); '' if none."""
        if self._locality and text.startswith(self._locality):
            return self._level
        m = _PLACE_PREFIX.match(text)
        return m.group(1) if m else ""

    def _by_fuzzy(self, text: str) -> list[_Hit]:
        if len(text) < FUZZY_MIN_LENGTH:
            return []
        candidates = process.extract(
            text, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=5
        )
        if not candidates:
            return []
        level = self._level_prefix(text)
        candidates = [c for c in candidates if self._level_prefix(c[0]) == level]
        if not candidates:
            return []
        best = candidates[0][1]
        org_ids = {self._index[key].org_id for key, score, _ in candidates if score == best}
        if len(org_ids) != 1:
            return []
        (org_id,) = org_ids
        if org_id is None:  # not reached: _keys holds only keys naming one organisation
            return []
        return [_Hit(org_id, Method.FUZZY, candidates[0][0], best)]


def _locality(government_name: str) -> tuple[str, str]:
    """(locality, level word): 济宁市人民政府 → ("济宁市", "市"); otherwise ("", "市")."""
    if government_name.endswith("人民政府"):
        locality = government_name.removesuffix("人民政府")
        if len(locality) > 1 and locality[-1] in "省市县区旗":
            return locality, locality[-1]
    return "", "市"


def _list_items(chunk: str) -> list[_Item]:
    items = []
    for part in split_outside_brackets(chunk, LIST_SEPARATOR):
        text = _ROLE_NOTE.sub("", part)
        if text:
            items.append(_Item(text))
    return items


def resolve(text: str, government: Organisation, *, resolver: Resolver | None = None) -> Resolution:
    """Resolve one phrase within government (a tenant). Pass a Resolver to resolve many
    phrases against one load of the government's names."""
    return (resolver or Resolver(government)).resolve(text)
