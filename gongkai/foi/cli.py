"""`gongkai foi …`: import past requests from a ledger, recompute due dates, list deadlines.

Exit codes: 0 ok; 1 errors in the file (nothing imported); 2 bad input (file, government).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("foi", help="依申请公开：导入历史台账、重算期限、查看到期申请")
    sub = parser.add_subparsers(dest="foi_command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="导入依申请公开登记台账（.xlsx 或 .csv）",
        description="逐行校验后导入；任何一行有错误时不导入任何数据。列说明见 docs/foi-import.md。",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--government", help="政府站点标识或名称（默认：第一个政府）")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("recompute", help="按当前工作日历重算办理中申请的答复期限")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_recompute)

    p = sub.add_parser("due", help="列出 3 个工作日内到期和已超期的申请")
    p.add_argument("--government", help="政府站点标识或名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_due)


def cmd_import(args: Any) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.foi.importer import import_bytes
    from gongkai.orgs.sites import government_named

    path = Path(args.file)
    if not path.is_file():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    government = government_named(args.government)
    if government is None:
        print(f"未找到政府：{args.government or '（尚未建立任何政府）'}", file=sys.stderr)
        return 2
    result = import_bytes(path.read_bytes(), path.name, government, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif result.ok:
        verb = "校验通过，将导入" if args.dry_run else "已导入"
        print(
            f"{government.name}：{verb} {result.rows if args.dry_run else result.created} 件申请。"
        )
    else:
        print(f"发现 {len(result.errors)} 处错误，未导入任何数据：", file=sys.stderr)
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
    return 0 if result.ok else 1


def cmd_recompute(args: Any) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.foi.actions import recompute_open

    changed = recompute_open()
    print(
        json.dumps({"changed": changed}) if args.json else f"已重算，{changed} 件申请的期限有变化。"
    )
    return 0


def cmd_due(args: Any) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.foi.periodic import due_requests
    from gongkai.orgs.sites import government_named

    government = government_named(args.government) if args.government else None
    rows = [
        {
            "id": r.pk,
            "ref": r.ref,
            "organisation": r.organisation.name,
            "due_on": r.due_on.isoformat(),  # type: ignore[union-attr]  # due ones have a date
            "provisional": r.due_provisional,
            "status": status,
        }
        for r, status in due_requests(government=government)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            label = "已超期" if row["status"] == "overdue" else "即将到期"
            print(f"{row['ref']}\t{row['organisation']}\t{row['due_on']}\t{label}")
        if not rows:
            print("没有即将到期或超期的申请。")
    return 0
