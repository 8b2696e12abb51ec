"""`gongkai orgs …`: import organisations, list the tree, resolve a phrase to organisations."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.resolver import Resolution

CLI_ACTOR = "命令行"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = subparsers.add_parser("orgs", help="机构：导入、列表、名称解析")
    sub = group.add_subparsers(dest="orgs_command", required=True, metavar="SUBCOMMAND")

    p = sub.add_parser("import", help="从 CSV 或 YAML 文件导入机构（可重复导入）")
    p.add_argument("file", help="CSV 或 YAML 文件，列说明见 gongkai/orgs/importer.py")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="列出机构树")
    p.add_argument("--gov", help="政府的站点标识或名称；省略时列出所有政府")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("resolve", help="把文中的机构名称解析为机构")
    p.add_argument("text", help="要解析的文字，如“市发展改革委、自然资源和规划局”")
    p.add_argument("--gov", help="政府的站点标识或名称；默认为默认站点的政府")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_resolve)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _find_government(value: str | None) -> Organisation | None:
    """The tenant named by slug, name or short name; the default government when value is None.
    Prints the problem and returns None when there is none."""
    from django.db.models import Q

    from gongkai.orgs.models import Organisation
    from gongkai.orgs.sites import default_government

    if value is None:
        government = default_government()
        if government is None:
            print("尚无任何政府机构，请先导入机构（gongkai orgs import 文件）", file=sys.stderr)
        return government
    government = (
        Organisation.objects.governments()
        .filter(Q(slug=value) | Q(name=value) | Q(short_name=value))
        .first()
    )
    if government is None:
        print(f"未找到政府“{value}”", file=sys.stderr)
    return government


# --- import -----------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.orgs.importer import OrganisationImportError, import_organisations

    try:
        result = import_organisations(args.file, actor=CLI_ACTOR)
    except OrganisationImportError as exc:
        print(f"导入失败，共 {len(exc.messages)} 个问题，数据库未作任何改动：", file=sys.stderr)
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 1
    counts = result.counts()
    if args.json:
        _print_json({**counts, "created_names": result.created, "updated_names": result.updated})
    else:
        print(
            f"导入完成：新增 {counts['created']} 个，更新 {counts['updated']} 个，"
            f"未变 {counts['unchanged']} 个。"
        )
    return 0


# --- list -------------------------------------------------------------------------------------


def _tree(government: Organisation) -> dict[str, Any]:
    from gongkai.orgs.models import Organisation, OrganisationAlias

    orgs = list(Organisation.objects.in_government(government))
    aliases: dict[int, list[str]] = {}
    for org_id, alias in OrganisationAlias.objects.filter(government=government).values_list(
        "organisation_id", "alias"
    ):
        aliases.setdefault(org_id, []).append(alias)
    nodes: dict[int | None, dict[str, Any]] = {
        org.pk: {
            "id": org.pk,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.kind,
            "is_active": org.is_active,
            "aliases": sorted(aliases.get(org.pk, [])),
            "children": [],
        }
        for org in orgs
    }
    for org in orgs:
        if org.parent_id in nodes and org.pk != government.pk:
            nodes[org.parent_id]["children"].append(nodes[org.pk])
    return nodes[government.pk]


def _print_tree(node: dict[str, Any], depth: int = 0) -> None:
    from gongkai.orgs.models import OrgKind

    short = f"（{node['short_name']}）" if node["short_name"] else ""
    inactive = " [停用]" if not node["is_active"] else ""
    print(f"{'  ' * depth}{node['name']}{short}〔{OrgKind(node['kind']).label}〕{inactive}")
    for child in node["children"]:
        _print_tree(child, depth + 1)


def cmd_list(args: argparse.Namespace) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.orgs.models import Organisation

    if args.gov:
        government = _find_government(args.gov)
        if government is None:
            return 1
        governments = [government]
    else:
        governments = list(Organisation.objects.governments().order_by("order", "id"))
    trees = [_tree(government) for government in governments]
    if args.json:
        _print_json(trees)
    else:
        for tree in trees:
            _print_tree(tree)
    return 0


# --- resolve ----------------------------------------------------------------------------------


def _print_resolution(resolution: Resolution, government: Organisation) -> None:
    from gongkai.orgs.resolver import METHOD_LABELS

    print(f"在“{government.name}”范围内解析：")
    print(f"机构 {len(resolution.organisations)} 个：")
    for match in resolution.organisations:
        how = METHOD_LABELS[match.method]
        if match.score is not None:
            how += f"，相似度 {match.score:.1f}"
        print(f"  {match.organisation.name}  ← “{match.text}”（{how}）")
    if resolution.collectives:
        print("集合称谓：")
    for collective in resolution.collectives:
        kind = "选择性，仅列出候选" if collective.selective else "全部纳入"
        print(f"  “{collective.text}”：{len(collective.members)} 个（{kind}）")
    if resolution.unresolved:
        print("未能识别：")
        for text in resolution.unresolved:
            print(f"  {text}")
    else:
        print("全部识别。")


def cmd_resolve(args: argparse.Namespace) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.orgs.resolver import resolve

    government = _find_government(args.gov)
    if government is None:
        return 1
    resolution = resolve(args.text, government)
    if args.json:
        _print_json(
            {"government": {"id": government.pk, "name": government.name}, **resolution.as_dict()}
        )
    else:
        _print_resolution(resolution, government)
    return 0
