"""`gongkai search …` and `gongkai catalog …` commands."""

from __future__ import annotations

import json


def cmd_reindex(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.catalog.indexing import RECORD_INDEX, reindex

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
                        "due": r.publish_due_on.isoformat(),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
    else:
        print(f"超过20个工作日未公开：{len(rows)} 条")
        for r in rows:
            print(f"  {r.publish_due_on}  {r.publisher.name}  {r.title}")
    return 0


def register(subparsers) -> None:
    search = subparsers.add_parser("search", help="全文检索索引")
    sub = search.add_subparsers(dest="search_command", required=True, metavar="COMMAND")
    p = sub.add_parser("reindex", help="重建全部政府信息的检索索引")
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
