"""Import organisations from a CSV or YAML file.

Columns (CSV header / YAML keys)
--------------------------------
=============  ========  ========================================================================
column         required  meaning
=============  ========  ========================================================================
name           yes       全称, unique within its government (the upsert key with government)
kind           yes       a kind code (``department``) or its Chinese label (``政府工作部门``)
short_name               简称
parent                   name, short name or alias of the parent: a row of the file or an
                         organisation already in the database (file rows are looked up first)
government               the tenant government (name, short name or slug); optional for the
                         roots (kind ``government``) and when ``parent`` identifies one
                         organisation; a new row with a government but no parent is placed
                         directly under the government
aliases                  further names, separated by ``|`` or ``;`` (a YAML list also works)
order                    a non-negative integer
is_active                是/否, true/false, 1/0
region_code              行政区划代码
credit_code              统一社会信用代码 (18 digits or capital letters)
org_code                 机构代码 (索引号前缀)
slug                     站点标识 of a tenant government
site_hosts               站点域名, comma-separated
=============  ========  ========================================================================

YAML may also nest rows under ``children:`` (then parent and government are implied); the file
is either a list or a mapping with the list under ``organisations:``. See gongkai/demo/orgs.yaml.

Rules
-----
* Everything is validated before anything is written; any problem raises
  ``OrganisationImportError`` whose ``messages`` name the line (「第5行：上级机构“市不存在局”不存在」)
  and the database is left unchanged.
* Upsert by (government, name): an existing organisation gets the given values; an empty cell or
  a missing key leaves a value unchanged; aliases are only added, never removed; an existing
  organisation only moves when its row gives a parent. Re-importing a file changes nothing.
* Every created or changed organisation is written through ``gongkai.orgs.actions`` and so is
  audited.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from gongkai.core.files import FileRefused, check_content, decode_text, limits
from gongkai.orgs import actions
from gongkai.orgs.actions import contact_problems
from gongkai.orgs.models import Organisation, OrganisationAlias, OrgKind
from gongkai.orgs.resolver import NAME_SEPARATORS, name_problem
from gongkai.orgs.sites import clear_site_cache

if TYPE_CHECKING:
    from gongkai.core.actions import Actor

COLUMNS = ("name", "parent", "government", "aliases", *actions.EDITABLE_FIELDS)
REQUIRED_COLUMNS = ("name", "kind")
TEXT_FIELDS = tuple(f for f in actions.EDITABLE_FIELDS if f not in ("kind", "order", "is_active"))
KINDS = {
    **{kind.value: kind.value for kind in OrgKind},
    **{kind.label: kind.value for kind in OrgKind},
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "启用", "有效"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "停用", "禁用", "无效"}
ALIAS_SEPARATORS = re.compile(r"[|;｜；]")
CREDIT_CODE = re.compile(r"[0-9A-Z]{18}")
_LINE_KEY = "__line__"


class OrganisationImportError(Exception):
    """The file cannot be imported; ``messages`` are Chinese, one per problem."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


def import_organisations(
    path_or_file: str | os.PathLike[str] | IO[str] | IO[bytes],
    actor: Actor = None,
    *,
    format: str | None = None,
) -> ImportResult:
    """Import a CSV or YAML file (a path or an open file) of organisations; see the module
    docstring for the columns. Raises OrganisationImportError and writes nothing on any error."""
    text, source = _read_source(path_or_file)
    rows = _read_rows(text, format or _guess_format(source, text))
    plan = _Planner([_clean(row) for row in rows]).plan()
    for government_id in plan.governments_written():
        actions.ensure_may_manage(actor, government_id)
    with transaction.atomic():
        result = _apply(plan, actor, note=f"导入机构：{source}" if source else "导入机构")
    clear_site_cache()
    return result


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    parent_index: int | None = None  # the enclosing row in a nested YAML file
    errors: list[str] = field(default_factory=list)


def _read_source(path_or_file: str | os.PathLike[str] | IO[str] | IO[bytes]) -> tuple[str, str]:
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OrganisationImportError([f"无法读取文件“{path}”：{exc.strerror}"]) from exc
        return _decode(data, path.name), path.name
    content = path_or_file.read()
    name = Path(str(getattr(path_or_file, "name", ""))).name
    return (_decode(content, name) if isinstance(content, bytes) else content), name


def _decode(data: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), else GB18030 as saved by Chinese Excel (core.files); a
    binary file (an executable named .csv) is refused by its bytes."""
    try:
        if Path(name).suffix.lower() in (".csv", ".yaml", ".yml", ".txt"):
            check_content(data, name)
        return decode_text(data, name or "文件")
    except FileRefused as exc:
        raise OrganisationImportError([str(exc)]) from exc


def _guess_format(source: str, text: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    if suffix == ".csv":
        return "csv"
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    first = lines[0].lstrip() if lines else ""
    return "yaml" if first.startswith(("organisations:", "- ")) else "csv"


def _read_rows(text: str, format: str) -> list[_Row]:
    if format == "yaml":
        return _read_yaml(text)
    if format == "csv":
        return _read_csv(text)
    raise OrganisationImportError([f"不支持的文件格式“{format}”（应为 csv 或 yaml）"])


def _read_csv(text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(reader, [])]
    errors = [f"第1行：未知列“{column}”" for column in header if column not in COLUMNS]
    errors += [f"第1行：缺少必填列 {column}" for column in REQUIRED_COLUMNS if column not in header]
    if errors:
        raise OrganisationImportError(errors)
    rows, previous = [], reader.line_num
    for cells in reader:
        line, previous = previous + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = _Row(line, dict(zip(header, cells, strict=False)))
        if len(cells) > len(header):
            row.errors.append(f"第{line}行：单元格数多于表头列数")
        rows.append(row)
    return rows


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE_KEY] = node.start_mark.line + 1
        return mapping


def _read_yaml(text: str) -> list[_Row]:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行：" if mark else ""
        raise OrganisationImportError([f"{where}YAML 格式错误：{exc}"]) from exc
    if isinstance(data, dict):
        data = data.get("organisations")
    if not isinstance(data, list):
        raise OrganisationImportError(["文件格式错误：应为机构列表（organisations:）"])
    rows: list[_Row] = []
    _flatten_yaml(data, None, rows)
    return rows


def _flatten_yaml(entries: list[Any], parent_index: int | None, rows: list[_Row]) -> None:
    limit = limits()["rows"]
    for entry in entries:
        if len(rows) >= limit:  # YAML aliases can repeat a subtree without end (billion laughs)
            raise OrganisationImportError([f"文件中的机构超过 {limit} 个上限。"])
        if not isinstance(entry, dict):
            raise OrganisationImportError([f"文件格式错误：“{entry}”不是机构条目"])
        values = dict(entry)
        line = values.pop(_LINE_KEY)
        children = values.pop("children", None) or []
        row = _Row(line, values, parent_index)
        row.errors += [f"第{line}行：未知列“{key}”" for key in values if key not in COLUMNS]
        if parent_index is not None and values.get("parent"):
            row.errors.append(f"第{line}行：嵌套在上级机构下的条目不能再填写 parent")
        rows.append(row)
        if not isinstance(children, list):
            raise OrganisationImportError([f"第{line}行：children 应为机构列表"])
        _flatten_yaml(children, len(rows) - 1, rows)


# --- cleaning one row -------------------------------------------------------------------------


@dataclass
class _Spec:
    line: int
    name: str
    kind: str
    fields: dict[str, Any]  # the optional model fields the row gives
    aliases: list[str]
    parent_text: str
    government_text: str
    parent_index: int | None
    errors: list[str]

    @property
    def is_root(self) -> bool:
        return (
            self.kind == OrgKind.GOVERNMENT
            and not self.parent_text
            and self.parent_index is None
            and self.government_text in ("", self.name)
        )

    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, self.fields.get("short_name", ""), *self.aliases]))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _clean(row: _Row) -> _Spec:
    line, values, errors = row.line, row.values, list(row.errors)
    for column in REQUIRED_COLUMNS:
        if not _text(values.get(column)):
            errors.append(f"第{line}行：缺少必填列 {column}")
    name, kind_text = _text(values.get("name")), _text(values.get("kind"))
    kind = KINDS.get(kind_text, "")
    if kind_text and not kind:
        errors.append(f"第{line}行：机构类型“{kind_text}”无效（可用：{'、'.join(OrgKind.values)}）")
    fields: dict[str, Any] = {}
    for column in TEXT_FIELDS:
        if _text(values.get(column)):
            fields[column] = _text(values.get(column))
    for column, cleaner in (("order", _clean_order), ("is_active", _clean_bool)):
        if _text(values.get(column)):
            fields[column] = cleaner(_text(values.get(column)), line, errors)
    aliases = _split_aliases(values.get("aliases"))
    errors += _check_values(line, name, fields, aliases)
    return _Spec(
        line,
        name,
        kind,
        fields,
        aliases,
        _text(values.get("parent")),
        _text(values.get("government")),
        row.parent_index,
        errors,
    )


def _clean_order(text: str, line: int, errors: list[str]) -> int:
    if not text.isdigit():
        errors.append(f"第{line}行：排序“{text}”应为非负整数")
        return 0
    return int(text)


def _clean_bool(text: str, line: int, errors: list[str]) -> bool:
    word = text.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        errors.append(f"第{line}行：启用“{text}”无效（应为 是/否、true/false 或 1/0）")
    return word in TRUE_WORDS


def _split_aliases(value: object) -> list[str]:
    parts = value if isinstance(value, list) else ALIAS_SEPARATORS.split(_text(value))
    return list(dict.fromkeys(_text(part) for part in parts if _text(part)))


def _check_values(line: int, name: str, fields: dict[str, Any], aliases: list[str]) -> list[str]:
    errors = [
        f"第{line}行：机构名称“{name}”不能包含“{char}”" for char in NAME_SEPARATORS if char in name
    ]
    for column, value in [("name", name), *fields.items()]:
        limit = getattr(Organisation._meta.get_field(column), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errors.append(f"第{line}行：{column}“{value}”超过{limit}个字符")
    errors += [f"第{line}行：{problem}" for problem in contact_problems(fields)]
    problems = [name_problem(fields["short_name"], "简称")] if "short_name" in fields else []
    problems += [name_problem(alias) for alias in aliases]
    errors += [f"第{line}行：{problem}" for problem in problems if problem]
    if "credit_code" in fields and not CREDIT_CODE.fullmatch(fields["credit_code"]):
        errors.append(
            f"第{line}行：统一社会信用代码“{fields['credit_code']}”应为18位数字或大写字母"
        )
    if "slug" in fields:
        try:
            validate_slug(fields["slug"])
        except ValidationError:
            errors.append(
                f"第{line}行：站点标识“{fields['slug']}”只能包含字母、数字、连字符和下划线"
            )
    return errors


# --- planning: governments, parents and conflicts ---------------------------------------------

# An organisation is identified as ("db", pk) when it exists, else ("row", index in the file).
Ident = tuple[str, int]


class _Cycle(Exception):
    pass


@dataclass
class _Plan:
    specs: list[_Spec]
    governments: list[Ident | None]
    idents: list[Ident]
    parents: list[Ident | None]  # None: roots, and existing organisations whose row gives none

    def governments_written(self) -> set[int | None]:
        return {gov[1] if gov and gov[0] == "db" else None for gov in self.governments}


class _Planner:
    def __init__(self, specs: list[_Spec]) -> None:
        self.specs = specs
        self.errors: list[tuple[int, str]] = [(s.line, e) for s in specs for e in s.errors]
        self._load_database()
        self._row_keys: dict[str, list[int]] = defaultdict(list)
        for index, spec in enumerate(specs):
            for key in spec.names():
                if key:
                    self._row_keys[key].append(index)
        self._government: dict[int, Ident | None] = {}
        self._visiting: set[int] = set()

    def _load_database(self) -> None:
        self.db = {
            o["id"]: o
            for o in Organisation.objects.values(
                "id", "name", "short_name", "kind", "parent_id", "government_id", "slug"
            )
        }
        self.db_keys: dict[str, set[int]] = defaultdict(set)
        self.db_by_name: dict[tuple[int, str], int] = {}
        for org in self.db.values():
            self.db_by_name[(org["government_id"], org["name"])] = org["id"]
            for key in (org["name"], org["short_name"]):
                if key:
                    self.db_keys[key].add(org["id"])
        for org_id, alias in OrganisationAlias.objects.values_list("organisation_id", "alias"):
            self.db_keys[alias].add(org_id)
        self.db_tenants = {
            org["id"]
            for org in self.db.values()
            if org["parent_id"] is None and org["kind"] == OrgKind.GOVERNMENT
        }

    def error(self, index: int, message: str) -> None:
        self.errors.append((self.specs[index].line, f"第{self.specs[index].line}行：{message}"))

    def plan(self) -> _Plan:
        count = len(self.specs)
        governments = [self.government_of(i) for i in range(count)]
        idents = [self.ident_of(i) for i in range(count)]
        parents = [self.parent_of(i) for i in range(count)]
        plan = _Plan(self.specs, governments, idents, parents)
        self._check_duplicates(plan)
        self._check_name_conflicts(plan)
        self._check_slugs(plan)
        self._check_cycles(plan)
        if self.errors:
            ordered = sorted(dict.fromkeys(self.errors), key=lambda item: item[0])
            raise OrganisationImportError([message for _, message in ordered])
        return plan

    # governments --------------------------------------------------------------------------

    def government_of(self, index: int) -> Ident | None:
        if index not in self._government:
            if index in self._visiting:
                raise _Cycle
            self._visiting.add(index)
            try:
                self._government[index] = self._find_government(index)
            except _Cycle:
                self._government[index] = None
                self.error(index, "上级机构关系形成循环")
            finally:
                self._visiting.discard(index)
        return self._government[index]

    def _find_government(self, index: int) -> Ident | None:
        spec = self.specs[index]
        if not spec.kind or not spec.name:
            return None
        if spec.is_root:
            tenant = next((t for t in self.db_tenants if self.db[t]["name"] == spec.name), None)
            return ("db", tenant) if tenant else ("row", index)
        if spec.kind == OrgKind.GOVERNMENT:
            self.error(index, "人民政府（government）类型只用于根机构，不能有上级机构或所属政府")
            return None
        if spec.government_text:
            return self._find_tenant(index, spec.government_text)
        if spec.parent_index is not None:
            return self.government_of(spec.parent_index)
        if spec.parent_text:
            parent = self._find_parent_anywhere(index)
            return self._government_of_ident(parent) if parent else None
        self.error(index, "缺少上级机构（parent）或所属政府（government）")
        return None

    def _government_of_ident(self, ident: Ident) -> Ident | None:
        if ident[0] == "row":
            return self.government_of(ident[1])
        return ("db", self.db[ident[1]]["government_id"])

    def _find_tenant(self, index: int, text: str) -> Ident | None:
        rows = [
            i
            for i in range(len(self.specs))
            if self.specs[i].is_root
            and (text in self.specs[i].names() or text == self.specs[i].fields.get("slug"))
        ]
        if len(rows) == 1:
            return self.government_of(rows[0])
        tenants = [
            t
            for t in self.db_tenants
            if text in (self.db[t]["name"], self.db[t]["short_name"], self.db[t]["slug"])
        ]
        if not rows and len(tenants) == 1:
            return ("db", tenants[0])
        self.error(index, f"所属政府“{text}”{'不唯一' if rows or tenants else '不存在'}")
        return None

    # identities and parents ---------------------------------------------------------------

    def ident_of(self, index: int) -> Ident:
        government = self.government_of(index)
        if government and government[0] == "db":
            if self.specs[index].is_root:
                return government
            existing = self.db_by_name.get((government[1], self.specs[index].name))
            if existing:
                return ("db", existing)
        return ("row", index)

    def parent_of(self, index: int) -> Ident | None:
        spec = self.specs[index]
        government = self.government_of(index)
        if spec.is_root or government is None:
            return None
        if spec.parent_index is not None:
            return self.ident_of(spec.parent_index)
        if spec.parent_text:
            return self._find_parent_in(index, government)
        return government if self.ident_of(index)[0] == "row" else None

    def _find_parent_anywhere(self, index: int) -> Ident | None:
        text = self.specs[index].parent_text
        rows = sorted({i for i in self._row_keys.get(text, []) if i != index})
        if len(rows) == 1:
            return self.ident_of(rows[0])
        ids = self.db_keys.get(text, set())
        if not rows and len(ids) == 1:
            return ("db", next(iter(ids)))
        if rows or ids:
            self.error(index, f"上级机构“{text}”不唯一，请填写所属政府（government）")
        else:
            self.error(index, f"上级机构“{text}”不存在")
        return None

    def _find_parent_in(self, index: int, government: Ident) -> Ident | None:
        text = self.specs[index].parent_text
        rows = {
            self.ident_of(i)
            for i in self._row_keys.get(text, [])
            if i != index and self.government_of(i) == government
        }
        if not rows and government[0] == "db":
            rows = {
                ("db", org_id)
                for org_id in self.db_keys.get(text, set())
                if self.db[org_id]["government_id"] == government[1]
            }
        if len(rows) == 1:
            return rows.pop()
        self.error(index, f"上级机构“{text}”{'不唯一' if rows else '不存在'}")
        return None

    # checks --------------------------------------------------------------------------------

    def _check_duplicates(self, plan: _Plan) -> None:
        first: dict[tuple[Ident | None, str], int] = {}
        for index, spec in enumerate(plan.specs):
            if plan.governments[index] is None or not spec.name:
                continue
            key = (plan.governments[index], spec.name)
            if key in first:
                line = plan.specs[first[key]].line
                self.error(index, f"机构名称“{spec.name}”重复（第{line}行已有）")
            else:
                first[key] = index

    def _check_name_conflicts(self, plan: _Plan) -> None:
        """No name, short name or alias may mean two organisations of one government."""
        owners: dict[tuple[Ident | None, str], tuple[Ident, str]] = {}
        for key, org_ids in self.db_keys.items():
            for org_id in org_ids:
                db_gov: Ident = ("db", self.db[org_id]["government_id"])
                owners.setdefault((db_gov, key), (("db", org_id), self.db[org_id]["name"]))
        for index, spec in enumerate(plan.specs):
            gov = plan.governments[index]
            for key in [key for key in spec.names() if key] if gov else []:
                owner = owners.setdefault((gov, key), (plan.idents[index], spec.name))
                if owner[0] != plan.idents[index] and owner[1] != spec.name:
                    self.error(index, f"名称或别名“{key}”已属于“{owner[1]}”")

    def _check_slugs(self, plan: _Plan) -> None:
        owners = {
            org["slug"]: (("db", org["id"]), org["name"]) for org in self.db.values() if org["slug"]
        }
        for index, spec in enumerate(plan.specs):
            slug = spec.fields.get("slug")
            if slug:
                owner = owners.setdefault(slug, (plan.idents[index], spec.name))
                if owner[0] != plan.idents[index] and owner[1] != spec.name:
                    self.error(index, f"站点标识“{slug}”已被“{owner[1]}”使用")

    def _check_cycles(self, plan: _Plan) -> None:
        parent_of = {
            ("db", pk): ("db", org["parent_id"]) if org["parent_id"] else None
            for pk, org in self.db.items()
        }
        for index, ident in enumerate(plan.idents):
            if plan.parents[index] is not None:
                parent_of[ident] = plan.parents[index]
        for index, ident in enumerate(plan.idents):
            node, seen = plan.parents[index], set()
            while node is not None and node not in seen:
                if node == ident:
                    self.error(index, "上级机构关系形成循环")
                    break
                seen.add(node)
                node = parent_of.get(node)


# --- writing ----------------------------------------------------------------------------------


def _write_order(plan: _Plan) -> list[int]:
    """Row indices with every new parent before its children."""
    ordered, done = [], set()

    def visit(index: int) -> None:
        if index in done:
            return
        done.add(index)
        parent = plan.parents[index]
        if parent and parent[0] == "row" and parent[1] != index:
            visit(parent[1])
        ordered.append(index)

    for index in range(len(plan.specs)):
        visit(index)
    return ordered


def _apply(plan: _Plan, actor: Actor, note: str) -> ImportResult:
    db_ids = [ident[1] for ident in [*plan.idents, *plan.parents] if ident and ident[0] == "db"]
    objects: dict[Ident, Organisation] = {
        ("db", pk): org for pk, org in Organisation.objects.in_bulk(db_ids).items()
    }
    result = ImportResult()
    for index in _write_order(plan):
        spec, ident, parent = plan.specs[index], plan.idents[index], plan.parents[index]
        parent_obj = objects[parent] if parent else None
        if ident[0] == "db":
            move = {"parent": parent_obj} if parent is not None else {}
            changed = actions.update_organisation(
                actor,
                objects[ident],
                kind=spec.kind,
                aliases=spec.aliases,
                note=note,
                **move,
                **spec.fields,
            )
            (result.updated if changed else result.unchanged).append(spec.name)
        else:
            objects[ident] = actions.create_organisation(
                actor,
                name=spec.name,
                kind=spec.kind,
                parent=parent_obj,
                aliases=spec.aliases,
                note=note,
                **spec.fields,
            )
            result.created.append(spec.name)
    return result
