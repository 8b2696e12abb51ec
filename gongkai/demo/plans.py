"""Demo data for work plans: the sample task table (.docx) imported as the 2021 plan of
济宁市人民政府, published on the portal, with some progress reported and accepted.

Everything goes through the plans actions, as the office and the officers would. `load()` is
idempotent: importing the same file again changes nothing, and progress is only added to a
plan that has none yet.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation
from gongkai.plans import actions, importing
from gongkai.plans.importers import parse_file
from gongkai.plans.models import Assignment, ProgressReport

from .loader import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "jining-2021-task-table.docx"
ISSUED_ON = date(2021, 3, 1)

# (task n, organisation name, reporter, reviewer, percent, reported on, text)
PROGRESS = [
    (
        1,
        "济宁市发展和改革委员会",
        "fgw",
        "fgw_head",
        100,
        date(2021, 6, 30),
        "已在政府门户网站“规划信息”专栏集中公开“十四五”规划纲要和专项规划，历史规划已归集整理并公开。",
    ),
    (
        4,
        "济宁市大数据中心",
        "dsj",
        "office",
        60,
        date(2021, 7, 15),
        "公共数据开放网站已上线数据集 312 个，正在推进第二批数据开放目录编制。",
    ),
    (
        13,
        "济宁市教育局",
        "jyj",
        "office",
        50,
        date(2021, 5, 20),
        "已公开学前教育行动计划推进情况和义务教育阶段招生入学政策。",
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def load() -> bool:
    government = Organisation.objects.filter(slug="jining").first()
    office = _user("office")
    if government is None or office is None or not SAMPLE.is_file():
        return False
    data = importing.rows_for_preview(parse_file(SAMPLE))
    data["issued_on"] = ISSUED_ON.isoformat()
    outcome = actions.import_parsed(
        office,
        data,
        government=government,
        organisation=government,
        source_name=SAMPLE.name,
        source_sha256=actions.file_sha256(SAMPLE),
        # The demo office has picked every candidate of the table's selective collectives.
        narrowing=importing.all_candidates(data, government),
    )
    plan = outcome.plan
    created = outcome.created
    if not plan.is_public:
        actions.set_plan_public(office, plan, True)
        created = True
    if ProgressReport.objects.filter(assignment__task__plan=plan).exists():
        return created
    for n, org_name, reporter, reviewer, percent, on, text in PROGRESS:
        assignment = (
            Assignment.objects.filter(task__plan=plan, task__n=n, organisation__name=org_name)
            .select_related("organisation", "task__plan")
            .first()
        )
        officer, head = _user(reporter), _user(reviewer)
        if assignment is None or officer is None or head is None:
            continue
        report = actions.submit_report(
            officer, assignment, text=text, percent=percent, reported_on=on
        )
        actions.accept_report(head, report, "情况属实。")
        created = True
    return created
