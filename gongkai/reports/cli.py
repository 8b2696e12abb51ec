"""`gongkai report …`: the annual report from the command line.

gongkai report annual --org 市教育局 --year 2025 --json [--docx PATH] [--xlsx PATH] [--pdf PATH]
gongkai report annual --org all --year 2025 --json        (the government's summary)
gongkai report import-earlier FILE --org 市教育局 --year 2020   (a published report's tables)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers) -> None:
    group = subparsers.add_parser("report", help="政府信息公开工作年度报告")
    sub = group.add_subparsers(dest="report_command", required=True, metavar="COMMAND")

    p = sub.add_parser("annual", help="生成年度报告的表格和校验结果")
    p.add_argument(
        "--org", required=True, help="机构名称（全称、简称或别名）；all 表示全市（县）汇总"
    )
    p.add_argument("--year", required=True, type=int, help="报告年度，如 2025")
    p.add_argument("--gov", help="所属政府（站点标识或名称）；默认在所有政府中查找机构")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--docx", type=Path, help="同时写出 Word 文件")
    p.add_argument("--xlsx", type=Path, help="同时写出 Excel 文件")
    p.add_argument("--pdf", type=Path, help="同时写出 PDF 文件（需要 LibreOffice）")
    p.set_defaults(func=cmd_annual)

    p = sub.add_parser("import-earlier", help="导入往年已发布报告的表格（2021 或 2019 格式）")
    p.add_argument("file", type=Path, help=".xlsx 或 .csv 文件")
    p.add_argument("--org", required=True)
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--gov")
    p.set_defaults(func=cmd_import_earlier)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def find_organisation(name: str, gov: str | None = None):
    """(organisation, scope, problem): `all` → the government and scope summary; otherwise the
    one organisation the resolver maps the name to."""
    from django.db.models import Q

    from gongkai.orgs.models import Organisation
    from gongkai.orgs.resolver import resolve
    from gongkai.orgs.sites import default_government

    governments = list(Organisation.objects.governments())
    if gov:
        governments = [g for g in governments if gov in (g.slug, g.name, g.short_name)] or list(
            Organisation.objects.governments().filter(Q(slug=gov) | Q(name=gov))
        )
        if not governments:
            return None, "", f"未找到政府“{gov}”。"
    if not governments:
        return None, "", "尚无任何政府机构，请先导入机构（gongkai orgs import 文件）。"
    if name.strip().lower() in ("all", "全部", "汇总"):
        government = governments[0] if gov or len(governments) == 1 else default_government()
        return government, "summary", ""
    found = {}
    for government in governments:
        resolution = resolve(name, government)
        if resolution.unresolved and not resolution.organisations:
            continue
        for org in resolution.organisation_list():
            found[org.pk] = org
    if not found:
        return None, "", f"未找到机构“{name}”，请使用全称、简称或别名。"
    if len(found) > 1:
        names = "、".join(sorted(o.name for o in found.values()))
        return None, "", f"“{name}”对应多个机构（{names}），请写全称或用 --gov 指定政府。"
    return next(iter(found.values())), "own", ""


def _check_year(year: int) -> str:
    from django.utils import timezone

    from gongkai.reports.layout import YEAR_MIN

    if not YEAR_MIN <= year <= timezone.localdate().year:
        return f"年度 {year} 无效：应在 {YEAR_MIN} 年至今年之间。"
    return ""


def cmd_annual(args: argparse.Namespace) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.reports import compiler, exports

    problem = _check_year(args.year)
    if problem:
        return _fail(problem)
    organisation, scope, problem = find_organisation(args.org, args.gov)
    if organisation is None:
        return _fail(problem)
    data = compiler.report_data(organisation, args.year, scope)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_summary(data)
    if not (args.docx or args.pdf or args.xlsx):
        return 0
    document = exports.document_for(organisation, args.year, scope)
    if args.docx:
        args.docx.write_bytes(exports.to_docx(document))
        print(f"已写出 Word 文件：{args.docx}", file=sys.stderr)
    if args.xlsx:
        args.xlsx.write_bytes(exports.to_xlsx(document))
        print(f"已写出 Excel 文件：{args.xlsx}", file=sys.stderr)
    if args.pdf:
        try:
            args.pdf.write_bytes(exports.to_pdf(document))
        except exports.ExportError as exc:
            return _fail(str(exc))
        print(f"已写出 PDF 文件：{args.pdf}", file=sys.stderr)
    return 0


def _print_summary(data: dict) -> None:
    from gongkai.reports import layout

    t3 = data["table3"]
    print(
        f"{data['org']} {data['year']} 年度报告"
        + ("（汇总）" if data["scope"] == "summary" else "")
    )
    for key in ("new", "carried_over", "outcome_total", "carried_forward"):
        print(f"  {layout.ROW_LABELS[key]}：{t3[key]['total']}")
    errors = [c for c in data["checks"] if c["level"] == "error"]
    warnings = [c for c in data["checks"] if c["level"] == "warning"]
    print(f"校验：错误 {len(errors)} 项，提示 {len(warnings)} 项")
    for c in errors + warnings:
        print(f"  [{'错误' if c['level'] == 'error' else '提示'}] {c['message']}")


def cmd_import_earlier(args: argparse.Namespace) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.reports import actions, earlier

    organisation, scope, problem = find_organisation(args.org, args.gov)
    if organisation is None:
        return _fail(problem)
    if not args.file.exists():
        return _fail(f"文件不存在：{args.file}")
    try:
        parsed = earlier.parse(args.file.read_bytes(), args.file.name, args.year)
        actions.import_earlier(
            None, organisation, args.year, parsed, scope=scope, source=args.file.name
        )
    except (earlier.ParseError, actions.ActionError) as exc:
        return _fail(str(exc))
    print(
        f"已导入 {organisation.name} {args.year} 年度报告表格，"
        f"结转下年度 {parsed.table3['carried_forward']['total']} 件。"
    )
    print(f"格式：{parsed.layout_note}")
    for warning in parsed.warnings + actions.identity_warnings(parsed.table3, parsed.table4):
        print(f"注意：{warning}", file=sys.stderr)
    return 0
