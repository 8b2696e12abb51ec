"""Demo data of the annual reports: last year's requests of three 济宁 departments imported from a
ledger (through the foi importer, as an office would), their table 二 figures, the 教育局's
earlier report imported for the carry-over check, and a drafted report. Idempotent: the ledger
refs mark what was created."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

MARK = "DEMO-RPT-"
DEPARTMENTS = ("济宁市教育局", "济宁市发展和改革委员会", "济宁市大数据中心")
KINDS = (
    "自然人",
    "自然人",
    "自然人",
    "商业企业",
    "自然人",
    "法律服务机构",
    "自然人",
    "科研机构",
    "社会公益组织",
    "其他",
)
OUTCOMES = (
    ("予以公开", ""),
    ("部分公开", ""),
    ("无法提供", "1"),
    ("予以公开", ""),
    ("不予公开", "4"),
    ("不予处理", "2"),
    ("其他处理", "3"),
    ("无法提供", "2"),
    ("区分处理", ""),
    ("其他处理", "1"),
)


def _ledger(year: int) -> bytes:
    lines = ["登记编号,办理机关,收到日期,申请渠道,申请人类型,办结日期,办理结果,理由序号"]
    n = 0
    for d_index, org in enumerate(DEPARTMENTS):
        for i in range(12 - 3 * d_index):
            n += 1
            received = dt.date(year, 1 + (i * 11 + d_index) % 12, 3 + (i * 7) % 24)
            kind = KINDS[(i + d_index) % len(KINDS)]
            outcome, reason = OUTCOMES[(i * 3 + d_index) % len(OUTCOMES)]
            if received.month == 12 and received.day > 20:
                finished, outcome, reason = "", "", ""  # carried forward
            else:
                finished = (received + dt.timedelta(days=9 + i % 15)).isoformat()
            lines.append(
                f"{MARK}{year}-{n:03d},{org},{received.isoformat()},网上申请,{kind},"
                f"{finished},{outcome},{reason}"
            )
    # One received late in the year before, answered in January.
    lines.append(
        f"{MARK}{year - 1}-001,济宁市教育局,{year - 1}-12-28,信函,自然人,{year}-01-15,予以公开,"
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


def load() -> bool:
    from gongkai.accounts.models import User
    from gongkai.foi.importer import import_bytes
    from gongkai.foi.models import InfoRequest
    from gongkai.orgs.models import Organisation
    from gongkai.reports import actions, earlier

    year = timezone.localdate().year - 1
    if InfoRequest.objects.filter(ref__startswith=f"{MARK}{year}-").exists():
        return False
    government = Organisation.objects.filter(name="济宁市人民政府").first()
    office = User.objects.filter(username="office").first()
    if government is None or office is None:
        return False
    result = import_bytes(_ledger(year), "演示台账.csv", government, actor=office)
    if not result.ok:
        raise RuntimeError("年度报告演示台账导入失败：" + "；".join(result.errors))
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=DEPARTMENTS)}
    figures = {"licensing": "1260", "penalty": "37", "enforcement": "4", "fees_wan_yuan": "0"}
    for name in DEPARTMENTS[:2]:
        for key, value in figures.items():
            actions.set_figure(office, orgs[name], year, key, value, "演示：业务系统年度统计")
    jyj = orgs["济宁市教育局"]
    earlier_csv = "\n".join(
        [
            "一、本年新收政府信息公开申请数量,9,1,0,0,0,0,10",
            "二、上年结转政府信息公开申请数量,0,0,0,0,0,0,0",
            "（一）予以公开,8,1,0,0,0,0,9",
            "（七）总计,8,1,0,0,0,0,9",
            "四、结转下年度继续办理,1,0,0,0,0,0,1",
        ]
    ).encode("utf-8")
    actions.import_earlier(
        office,
        jyj,
        year - 1,
        earlier.parse(earlier_csv, "演示往年报告.csv", year - 1),
        source="演示往年报告.csv",
    )
    actions.draft(office, orgs["济宁市发展和改革委员会"], year)
    return True
