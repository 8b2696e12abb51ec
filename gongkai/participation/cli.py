"""`gongkai participation …`: the participation deadlines for operators and scripts.

Exit codes: 0 nothing overdue; 1 something is overdue or past the three-month line (so cron
can alert on it); 2 bad input.
"""

from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("participation", help="政民互动：期限与逾期情况")
    sub = parser.add_subparsers(dest="participation_command", required=True, metavar="COMMAND")
    p = sub.add_parser(
        "deadlines",
        help="超期和即将满三个月未答复的留言、超期咨询、超期反馈、未按时回应的舆情",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_deadlines)


def cmd_deadlines(args) -> int:
    from gongkai.core.bootstrap import setup_django

    setup_django()
    from gongkai.participation.periodic import LABELS, deadline_counts

    counts = deadline_counts()
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
    else:
        for key, value in counts.items():
            print(f"{LABELS[key]}：{value} 件")
    overdue = {k: v for k, v in counts.items() if k != "messages_near_three_months"}
    return 1 if any(overdue.values()) else 0
