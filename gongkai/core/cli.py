"""`gongkai calendar …`: deadlines in working days and the yearly holiday notices.

Exit codes: 0 ok; 1 the database is not ready; 2 bad input (a date, a number, a notice file).
add-workdays and is-workday print only the answer on stdout; notes go to stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _InputError(Exception):
    """Bad command-line input; the message is shown to the operator (exit code 2)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "calendar", help="工作日历：按工作日计算期限，载入国务院节假日安排"
    )
    sub = parser.add_subparsers(dest="calendar_command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "add-workdays",
        help="DATE 之后第 N 个工作日（自次日起算；N 可为 0 或负数）",
        description="输出 DATE 之后第 N 个工作日（YYYY-MM-DD）。期限自次日起算，结果总是工作日；"
        "N=0 取当日或其后第一个工作日；N 为负数时向前倒数。",
    )
    p.add_argument("date", metavar="DATE", help="起算日，YYYY-MM-DD")
    p.add_argument("n", metavar="N", help="工作日数（整数）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（含是否暂定）")
    p.set_defaults(func=cmd_add_workdays)

    p = sub.add_parser("is-workday", help="DATE 是否工作日（输出 true 或 false）")
    p.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（含节日名称、是否暂定）")
    p.set_defaults(func=cmd_is_workday)

    p = sub.add_parser("explain", help="逐日说明期限是怎样算出来的")
    p.add_argument("date", metavar="DATE", help="起算日，YYYY-MM-DD")
    p.add_argument("n", metavar="N", help="工作日数（整数）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser(
        "load-year",
        help="载入某年的国务院节假日安排（YAML 或 CSV 文件）",
        description="校验并载入一年的节假日安排；文件有误时不载入任何数据。格式见 docs/calendar.md。",
    )
    p.add_argument("file", metavar="FILE", help=".yaml/.yml 或 .csv 文件")
    p.add_argument("--dry-run", action="store_true", help="只校验并显示结果，不写入")
    p.add_argument(
        "--allow-example", action="store_true", help="允许载入标为「示例」的文件（仅限演示、测试）"
    )
    p.set_defaults(func=cmd_load_year)

    p = sub.add_parser(
        "recompute-dates",
        help="按现行节假日安排重新计算各模块保存的工作日期限（升级后或修复时使用）",
    )
    p.set_defaults(func=cmd_recompute_dates)

    p = sub.add_parser("years", help="列出已知节假日安排的年份及来源")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_years)


# --- helpers ----------------------------------------------------------------------------------


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _parse_date(text: str) -> date:
    if _ISO_DATE.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise _InputError(f"日期无效：「{text}」（应为 YYYY-MM-DD 格式的有效日期，如 2026-02-10）")


def _parse_n(text: str) -> int:
    from gongkai.core.calendar import MAX_WORKDAYS

    try:
        n = int(text.strip())
    except ValueError:
        raise _InputError(f"工作日数无效：「{text}」（应为整数，可为 0 或负数）") from None
    if abs(n) > MAX_WORKDAYS:
        raise _InputError(f"工作日数超出范围：{n}（绝对值不得超过 {MAX_WORKDAYS}）")
    return n


def _run(body: Callable[[], int]) -> int:
    """Run a handler body with Django set up; map bad input and an unready DB to exit codes."""
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from django.db import DatabaseError

    try:
        return body()
    except _InputError as exc:
        _err(str(exc))
        return 2
    except OverflowError:
        _err("日期超出可计算的范围")
        return 2
    except DatabaseError as exc:
        _err(f"无法读取数据库（{exc}）。如尚未初始化，请先运行：gongkai manage migrate")
        return 1


def _cli_actor() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = ""
    return f"命令行（{user}）" if user else "命令行"


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- handlers ---------------------------------------------------------------------------------


def cmd_add_workdays(args: argparse.Namespace) -> int:
    def body() -> int:
        from gongkai.core.calendar import add_workdays

        result = add_workdays(_parse_date(args.date), _parse_n(args.n))
        if args.json:
            _dump(
                {
                    "date": result.date.isoformat(),
                    "provisional": result.provisional,
                    "provisional_years": list(result.provisional_years),
                }
            )
        else:
            print(result.date.isoformat())
        if result.provisional:
            _err(result.note)
        return 0

    return _run(body)


def cmd_is_workday(args: argparse.Namespace) -> int:
    def body() -> int:
        from gongkai.core.calendar import day_info, provisional_note

        info = day_info(_parse_date(args.date))
        if args.json:
            _dump(
                {
                    "date": info.date.isoformat(),
                    "is_workday": info.is_workday,
                    "provisional": info.provisional,
                    "kind": info.kind,
                    "name": info.name,
                    "label": info.label,
                }
            )
        else:
            print("true" if info.is_workday else "false")
        if info.provisional:
            _err(provisional_note([info.date.year]))
        return 0

    return _run(body)


def cmd_explain(args: argparse.Namespace) -> int:
    def body() -> int:
        from gongkai.core.calendar import explain

        exp = explain(_parse_date(args.date), _parse_n(args.n))
        if args.json:
            _dump(
                {
                    "start": exp.start.isoformat(),
                    "n": exp.n,
                    "date": exp.result.date.isoformat(),
                    "provisional": exp.result.provisional,
                    "provisional_years": list(exp.result.provisional_years),
                    "steps": [
                        {
                            "date": s.day.date.isoformat(),
                            "is_workday": s.day.is_workday,
                            "label": s.day.label,
                            "ordinal": s.ordinal,
                        }
                        for s in exp.steps
                    ],
                }
            )
        else:
            print("\n".join(exp.lines()))
        return 0

    return _run(body)


def cmd_load_year(args: argparse.Namespace) -> int:
    def body() -> int:
        from gongkai.core.calendar import (
            NoticeError,
            default_calendar,
            load_notice,
            read_notice,
            year_summary,
        )

        try:
            notice = read_notice(args.file)
        except NoticeError as exc:
            _err(f"节假日安排文件 {args.file} 有误，未载入任何数据：")
            for line in exc.errors:
                _err(f"  {line}")
            return 2
        if notice.is_example and not args.allow_example:
            _err(
                f"{args.file} 标为「示例」，并非国务院办公厅的正式通知，未载入。"
                "仅在演示或测试时可加 --allow-example 载入。"
            )
            return 2
        current = default_calendar()
        previous = current.years.get(notice.year)
        if args.dry_run:
            summary = year_summary(notice.year, calendar=current.with_notice(notice))
            verb = "校验通过（未写入）"
        else:
            outcome = load_notice(notice, actor=_cli_actor())
            summary = outcome.summary
            verb = "已载入" if outcome.created else "已重新载入（取代此前载入的数据）"
        print(
            f"{verb}：{notice.year}年节假日安排《{notice.title}》，"
            f"放假 {len(summary.days_off)} 天，调休上班 {len(summary.make_up_days)} 天，"
            f"全年工作日 {summary.workdays} 天。"
        )
        if not args.dry_run:
            _print_changes(outcome.changes)
        if previous is not None and previous.kind == "package":
            print(f"注意：{previous.title} 已包含{notice.year}年，今后以载入的数据为准。")
        if notice.is_example:
            print("注意：这是示例数据，不是正式安排。")
        return 0

    return _run(body)


def _print_changes(changes: Sequence[Any]) -> None:
    """What a load or a recompute changed among the stored working-day dates."""
    moved = [c for c in changes if c.moved_earlier]
    print(f"重新计算的期限：{len(changes)} 项有变化，其中 {len(moved)} 项提前。")
    for c in moved:
        print(f"  提前：{c.obj}：{c.text}")
    if moved:
        print("提前的期限已通知承办人，并列在工作台「工作日历」页。")


def cmd_recompute_dates(args: argparse.Namespace) -> int:
    def body() -> int:
        from gongkai.core.workday_dates import recompute_everything

        _print_changes(recompute_everything(_cli_actor()))
        return 0

    return _run(body)


def cmd_years(args: argparse.Namespace) -> int:
    def body() -> int:
        from django.utils import timezone

        from gongkai.core.calendar import (
            calendar_warning,
            default_calendar,
            unloaded_years_ahead,
            year_summary,
        )

        cal = default_calendar()
        summaries = [year_summary(y, calendar=cal) for y in cal.years]
        today = timezone.localdate()
        missing = unloaded_years_ahead(today, calendar=cal)
        if args.json:
            _dump(
                {
                    "years": [
                        {
                            k: v
                            for k, v in s.as_dict().items()
                            if k not in ("days_off", "make_up_days")
                        }
                        for s in summaries
                    ],
                    "unloaded_years_ahead": missing,
                }
            )
            return 0
        print("年份  工作日  来源")
        for s in summaries:
            src = s.source
            if src is None:
                print(f"{s.year}  {s.workdays:>6}")
                continue
            line = f"{s.year}  {s.workdays:>6}  {src.label}"
            if src.kind == "loaded":
                extra = [x for x in (src.source_file,) if x]
                if src.loaded_at:
                    extra.append(f"{timezone.localtime(src.loaded_at):%Y-%m-%d %H:%M}")
                line += f"（{'，'.join(extra)}）" if extra else ""
            print(line)
        warning = calendar_warning(today, calendar=cal)
        if warning:
            print("提醒：" + warning)
        return 0

    return _run(body)
