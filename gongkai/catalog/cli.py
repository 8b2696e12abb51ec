"""`gongkai search …` and `gongkai catalog …` commands.

`catalog import` exit codes: 0 ok; 1 errors in the file (nothing imported); 2 bad input (file,
government, publisher).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cmd_reindex(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.catalog.indexing import RECORD_INDEX, reindex

    if args.background:
        from gongkai.catalog.tasks import reindex_search

        reindex_search.enqueue()
        print("已加入后台任务队列：重建检索索引。")
        return 0
    count = reindex()
    total = RECORD_INDEX.count()
    if args.json:
        print(json.dumps({"indexed": count, "entries": total}, ensure_ascii=False))
    else:
        print(f"已重建检索索引：{count} 条政府信息。")
    return 0


def cmd_search(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.catalog.indexing import search_records
    from gongkai.orgs.sites import government_named

    gov = government_named(args.gov)
    result, rows = search_records(gov, args.query, sort=args.sort)
    if result.error:
        print(result.error)
        return 2
    if args.json:
        print(
            json.dumps(
                {
                    "count": result.total,
                    "capped": result.capped,
                    "results": [{"id": r.pk, "title": r.title, "doc_no": r.doc_no} for r in rows],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"找到 {result.total_label} 条结果")
        for r in rows:
            print(f"  {r.pk:>8}  {r.title}  {r.doc_no}")
    return 0


def cmd_overdue(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.catalog.querysets import overdue
    from gongkai.orgs.models import Organisation

    rows = list(overdue(Organisation.objects.values_list("pk", flat=True)))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.pk,
                        "index_no": r.index_no,
                        "title": r.title,
                        "publisher": r.publisher.name,
                        "due": r.publish_due_on.isoformat() if r.publish_due_on else None,
                        "due_provisional": r.publish_due_on_provisional,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
    else:
        print(f"超过20个工作日未公开：{len(rows)} 条")
        for r in rows:
            mark = "（暂定）" if r.publish_due_on_provisional else ""
            print(f"  {r.publish_due_on}{mark}  {r.publisher.name}  {r.title}")
    return 0


def register(subparsers) -> None:
    search = subparsers.add_parser("search", help="全文检索索引")
    sub = search.add_subparsers(dest="search_command", required=True, metavar="COMMAND")
    p = sub.add_parser("reindex", help="重建全部政府信息的检索索引")
    p.add_argument("--background", action="store_true", help="交给后台任务进程运行")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reindex)
    p = sub.add_parser("query", help="按门户网站的方式检索")
    p.add_argument("query")
    p.add_argument("--gov", help="政府站点标识")
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    catalog = subparsers.add_parser("catalog", help="政府信息公开目录")
    sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="COMMAND")
    p = sub.add_parser("overdue", help="列出超过20个工作日未公开的信息")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_overdue)
    p = sub.add_parser(
        "import",
        help="从旧网站系统导出的 Excel 表格导入政府信息",
        description=(
            "逐行校验后导入；任何一行有错误时不导入任何数据。公开属性为依申请公开或不予公开的行"
            "导入为不公开的草稿，不会发布；同一索引号再次导入时跳过。"
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--gov", help="政府站点标识或名称（默认：第一个政府）")
    p.add_argument("--publisher", help="发布机构名称（表中没有“发布机构”列时使用）")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)


CLI_ACTOR = "命令行"


def cmd_import(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.catalog import importer
    from gongkai.core.actions import ActionError as CoreActionError
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.resolver import Resolver
    from gongkai.orgs.sites import default_government, government_by_slug

    path = Path(args.file)
    if not path.is_file():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    government = government_by_slug(args.gov) if args.gov else default_government()
    if government is None:
        print(f"未找到政府：{args.gov or '（尚未建立任何政府）'}", file=sys.stderr)
        return 2
    publisher = None
    if args.publisher:
        resolution = Resolver(government).resolve(args.publisher)
        orgs = {m.organisation.pk: m.organisation for m in resolution.organisations}
        if len(orgs) != 1 or resolution.unresolved:
            print(f"{government.name}下找不到唯一的机构“{args.publisher}”", file=sys.stderr)
            return 2
        publisher = Organisation.objects.get(pk=next(iter(orgs)))
    preview = importer.preview(
        path.read_bytes(), government, publisher=publisher, actor=CLI_ACTOR, name=path.name
    )
    data = preview.as_dict()
    if preview.ok and not args.dry_run:
        try:
            data["imported"] = importer.commit(CLI_ACTOR, preview)
        except (importer.actions.ActionError, CoreActionError) as exc:
            data["ok"] = False
            data["errors"].append(str(exc))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif data["ok"]:
        for warning in preview.warnings:
            print(f"提示：{warning}")
        if args.dry_run:
            print(f"{government.name}：校验通过，将导入 {len(preview.new_rows)} 条信息。")
        else:
            print(f"{government.name}：{importer.summary(data['imported'])}")
    else:
        problems = list(data["errors"]) + [
            f"第{r.number}行：{'；'.join(r.errors)}" for r in preview.bad_rows
        ]
        print(f"发现 {len(problems)} 处错误，未导入任何数据：", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    return 0 if data["ok"] else 1
