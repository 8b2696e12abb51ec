"""`gongkai plans …`: work-plan commands.

- `plans parse FILE` reads a file without touching the database;
- `plans import FILE --gov SLUG` imports it as a plan of that government (atomic; the same file
  again changes nothing; unresolved names or missing fields: a Chinese message per row, exit 1);
- `plans align A_FILE B_FILE --json` matches the items of A to the rows of B (no database).
"""

from __future__ import annotations

import argparse
import sys

from gongkai.plans.importers import KEY_POINTS, ParsedPlan, ParseError, parse_file
from gongkai.plans.importers.duedates import HALF_YEARLY, MONTHLY, ONGOING, QUARTERLY, YEARLY

KIND_LABELS = {KEY_POINTS: "工作要点", "task_table": "任务分解表"}
CYCLE_LABELS = {
    MONTHLY: "每月",
    QUARTERLY: "每季度",
    HALF_YEARLY: "每半年",
    YEARLY: "每年",
    ONGOING: "长期",
}
REQUIREMENT_WIDTH = 60


def register(subparsers) -> None:
    group = subparsers.add_parser("plans", help="工作计划：工作要点、任务分解表")
    sub = group.add_subparsers(dest="plans_command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "parse",
        help="解析工作要点或任务分解表并显示结果（不写入数据库）",
        description="解析 .docx/.doc/.wps/.xlsx/.xls/.txt 格式的任务分解表或工作要点。",
    )
    p.add_argument("file", help="要解析的文件")
    p.add_argument("--year", type=int, help="文件标题和文号中都没有年份时使用的年度")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser(
        "import",
        help="导入任务分解表或工作要点为工作计划（同一文件重复导入不作改动）",
        description="解析文件并导入为工作计划；有未识别的机构名称或缺少必填内容时不导入。",
    )
    p.add_argument("file", help="要导入的文件")
    p.add_argument("--gov", required=True, help="所属政府的站点标识或名称，如 jining")
    p.add_argument("--org", help="印发机关名称（默认为该政府）")
    p.add_argument("--year", type=int, help="文件中没有年份时使用的年度")
    p.add_argument("--issued-on", help="印发日期 YYYY-MM-DD（序时进度的起点）")
    p.add_argument(
        "--selective",
        choices=["all", "none"],
        default="none",
        help="「有关部门、单位」等选择性集合称谓：none 保留原文、待选定成员（默认），all 全部候选单位",
    )
    p.add_argument(
        "--scope",
        choices=["same", "other"],
        help="确认文件层级：same 本级文件（识别机构名称），other 其他政府或上级文件（保留原文）",
    )
    p.add_argument(
        "--allow-duplicate", action="store_true", help="确认不是已导入计划的重复，仍然导入"
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "align",
        help="对照两份计划：A 的每一项匹配 B 的任务",
        description="A 的每一项与 B 的各行计算相似度，给出匹配行、覆盖情况和未被覆盖的行（不写入数据库）。",
    )
    p.add_argument("a_file", help="计划 A（如县级工作要点）")
    p.add_argument("b_file", help="计划 B（如市级任务分解表）")
    p.add_argument("--no-titles", action="store_true", help="只比较具体要求，不含标题")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_align)


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        plan = parse_file(args.file, year=args.year)
    except ParseError as exc:
        print(f"解析失败：{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(plan.to_json())
    else:
        print(summary(plan, args.file))
    return 0


def _short(text: str, width: int = REQUIREMENT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width] + "……"


def summary(plan: ParsedPlan, name: str = "") -> str:
    """A readable Chinese overview: counts, then each task under its section and group."""
    is_points = plan.kind == KEY_POINTS
    unit, group_unit = ("项要点", "条") if is_points else ("项任务", "个任务组")
    dated = sum(1 for r in plan.rows if r.due)
    cyclic = sum(1 for r in plan.rows if r.cycle)
    lines = [
        f"文件：{name}" if name else None,
        f"类型：{KIND_LABELS.get(plan.kind, plan.kind)}",
        f"标题：{plan.title or '（未识别）'}",
        f"年度：{plan.year or '（未识别）'}",
        f"文号：{plan.doc_no or '（无）'}",
        f"印发日期：{plan.issued_on.isoformat() if plan.issued_on else '（未识别）'}",
        (
            f"共 {len(plan.rows)} {unit}，分属 {len(plan.sections)} 个部分"
            + ("" if is_points else f"、{len(plan.groups)} {group_unit}")
            + f"；{dated} 项有完成时限，{cyclic} 项为周期性或长期任务。"
        ),
    ]
    out = [line for line in lines if line is not None]
    section = subsection = None
    for row in plan.rows:
        if row.section != section:
            section, subsection = row.section, None
            out.append("")
            out.append(row.section or "（未分部分）")
        if row.subsection != subsection:
            subsection = row.subsection
            if row.subsection or not is_points:
                out.append(f"  {row.subsection or '（未分组）'}")
        if is_points:
            out.append(f"  {row.title}")
        else:
            title = f"【{row.title}】" if row.title else ""
            out.append(f"    {row.n}. {title}{_short(row.requirement)}")
        if row.lead:
            out.append(f"       牵头：{'、'.join(row.lead)}")
        if row.responsible:
            out.append(f"       责任：{'；'.join(row.responsible)}")
        due = []
        if row.due:
            due.append(row.due.isoformat())
        if row.cycle:
            due.append(CYCLE_LABELS.get(row.cycle, row.cycle))
        if due:
            out.append(f"       时限：{'，'.join(due)}（{row.due_text}）")
        for m in row.milestones:
            out.append(f"       阶段时限：{m.date.isoformat()}（{m.text}）")
        for w in row.warnings:
            out.append(f"       ⚠ {w.column}：{w.message}")
    if plan.all_warnings:
        out += ["", f"提示（{len(plan.all_warnings)} 处未能完整读取，请核对）："]
        out += [f"  {w}" for w in plan.all_warnings]
    return "\n".join(out)


def cmd_import(args: argparse.Namespace) -> int:
    import json
    from datetime import date
    from pathlib import Path

    from gongkai.core.bootstrap import setup_django

    setup_django()
    from django.db.models import Count, Q

    from gongkai.core.actions import ActionError
    from gongkai.orgs.models import Organisation
    from gongkai.plans import actions, importing

    gov = Organisation.objects.governments().filter(Q(slug=args.gov) | Q(name=args.gov)).first()
    if gov is None:
        print(f"导入失败：找不到政府「{args.gov}」。", file=sys.stderr)
        return 1
    org = gov
    if args.org:
        found = (
            Organisation.objects.filter(government=gov)
            .filter(Q(name=args.org) | Q(short_name=args.org))
            .first()
        )
        if found is None:
            print(f"导入失败：{gov.name}下找不到机构「{args.org}」。", file=sys.stderr)
            return 1
        org = found
    try:
        parsed = parse_file(args.file, year=args.year)
    except ParseError as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    if parsed.year is None:
        print("导入失败：文件中没有年份，请用 --year 指定。", file=sys.stderr)
        return 1
    data = importing.rows_for_preview(parsed)
    if args.issued_on:
        try:
            data["issued_on"] = date.fromisoformat(args.issued_on).isoformat()
        except ValueError:
            print(f"导入失败：印发日期「{args.issued_on}」应为 YYYY-MM-DD。", file=sys.stderr)
            return 1
    if args.scope:
        data["scope_confirmed"] = args.scope
    data["duplicate_ok"] = args.allow_duplicate
    preview = importing.build_preview(data, gov)
    narrowing = None
    if args.selective == "all":
        narrowing = importing.all_candidates(data, gov)
        preview = importing.build_preview(data, gov, narrowing)
    report = {
        "scope": preview.scope.as_dict(),
        "foreign": preview.foreign,
        "problems": preview.problems,
        "warnings": preview.warnings,
    }
    try:
        outcome = actions.import_parsed(
            "命令行",
            data,
            government=gov,
            organisation=org,
            source_name=Path(args.file).name,
            source_sha256=actions.file_sha256(args.file),
            narrowing=narrowing,
        )
    except ActionError as exc:
        if args.json:
            print(json.dumps({"created": False, **report}, ensure_ascii=False, indent=2))
        print("导入失败，未写入任何数据：", file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    plan = outcome.plan
    summary = {
        "plan": plan.pk,
        "created": outcome.created,
        "title": plan.title,
        "year": plan.year,
        "kind": plan.kind,
        "tasks": plan.tasks.count(),
        "assignments": plan.tasks.aggregate(n=Count("assignments"))["n"],
        "issued_on": plan.issued_on.isoformat(),
        **report,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    elif outcome.created:
        print(
            f"已导入《{plan.title}》（编号 {plan.pk}）：{summary['tasks']} 项任务，"
            f"{summary['assignments']} 项任务分工。文件所属：{preview.scope.label}。"
        )
        for warning in preview.warnings:
            print(f"  提示：{warning}")
    else:
        print(f"该文件已导入过（《{plan.title}》，编号 {plan.pk}），未作任何改动。")
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    import json

    from gongkai.plans.alignment import align, plan_row_text

    try:
        a = parse_file(args.a_file)
        b = parse_file(args.b_file)
    except ParseError as exc:
        print(f"解析失败：{exc}", file=sys.stderr)
        return 1
    titles = not args.no_titles
    result = align(
        [plan_row_text(r.to_dict(), titles=titles) for r in a.rows],
        [plan_row_text(r.to_dict(), titles=titles) for r in b.rows],
    )
    data = result.to_dict([r.n for r in a.rows], [r.n for r in b.rows])
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    labels = {"covered": "已覆盖", "partly": "部分覆盖", "none": "未覆盖"}
    for item, row in zip(data["items"], a.rows, strict=True):
        found = "、".join(f"第{m['row']}行({m['score']:.2f})" for m in item["matches"]) or "无"
        print(
            f"{item['item']}. {_short(row.subsection or row.requirement, 30)}　{labels[item['coverage']]}：{found}"
        )
    print(f"B 中未被覆盖的行：{'、'.join(map(str, data['uncovered'])) or '无'}")
    return 0
