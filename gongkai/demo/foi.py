"""Demo requests (依申请公开) for 济宁 departments in several states. Idempotent: the demo
requesters' ID numbers mark what was created; a second run changes nothing."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.calendar import add_workdays
from gongkai.orgs.models import Organisation

MARK = "37080219850101"  # demo requesters' ID numbers start with this


def _id(n: int) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = f"{MARK}{n:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _person(n, name, **kw):
    from gongkai.foi.actions import RequesterData

    return RequesterData(
        kind=kw.pop("kind", "natural_person"),
        name=name,
        id_type=kw.pop("id_type", "resident_id"),
        id_number=kw.pop("id_number", _id(n)),
        phone=f"1380537{n:04d}",
        email=f"demo{n}@example.com",
        address="山东省济宁市任城区共青团路",
        **kw,
    )


def load() -> bool:
    from gongkai.foi import actions
    from gongkai.foi.actions import RequestData
    from gongkai.foi.models import Requester

    if Requester.objects.filter(id_number__startswith=MARK).exists():
        return False
    gov = Organisation.objects.filter(name="济宁市人民政府").first()
    jyj = Organisation.objects.filter(name="济宁市教育局").first()
    fgw = Organisation.objects.filter(name="济宁市发展和改革委员会").first()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["office", "fgw", "fgw_head", "jyj"])
    }
    if not (gov and jyj and fgw) or len(users) < 4:
        return False
    office, fgw_officer, fgw_head, jyj_officer = (
        users["office"],
        users["fgw"],
        users["fgw_head"],
        users["jyj"],
    )
    today = timezone.localdate()

    def reg(officer, org, n, name, text, arrived, channel="in_person", signed_for=False, **kw):
        req = actions.register(
            officer,
            org,
            _person(n, name, **kw),
            RequestData(description=text),
            channel=channel,
            arrived_on=arrived,
            signed_for=signed_for,
            confirmed_on=arrived if channel in ("email", "fax") else None,
        )
        return actions.assign(officer, req, officer)

    with transaction.atomic():
        # 1. Online, awaiting the office's confirmation.
        actions.submit_online(
            gov,
            jyj,
            _person(1, "孙明"),
            RequestData(description="2026年济宁市城区小学学区划分方案及依据"),
            idempotency_key=secrets.token_hex(16),  # nothing to guess
        )
        # 2. In progress, due within 3 working days.
        reg(
            jyj_officer,
            jyj,
            2,
            "周丽",
            "2025年全市中小学校舍安全检查报告",
            add_workdays(today, -18).date,
        )
        # 3. Overdue.
        reg(
            fgw_officer,
            fgw,
            3,
            "济宁某某建设工程有限公司",
            "济宁至某县高速公路项目核准文件",
            add_workdays(today, -25).date,
            channel="post",
            signed_for=True,
            kind="commercial",
            id_type="credit_code",
            id_number="91370800MA3C00DEMO",
        )
        # 4. Awaiting correction.
        r = reg(jyj_officer, jyj, 4, "吴刚", "关于学校的文件", add_workdays(today, -2).date)
        actions.request_correction(jyj_officer, r, "请写明学校名称、文件名称或文号。", days=15)
        # 5. Third-party consultation (paused).
        r = reg(
            fgw_officer,
            fgw,
            5,
            "郑华",
            "某企业固定资产投资项目备案材料",
            add_workdays(today, -6).date,
        )
        actions.start_third_party(
            fgw_officer,
            r,
            name="济宁某某新材料有限公司",
            concerns="该企业项目备案材料中的投资额、工艺流程等可能涉及商业秘密的内容",
        )
        # 6. Extended, in progress.
        r = reg(
            fgw_officer,
            fgw,
            6,
            "王芳",
            "2025年度价格监测分析报告",
            add_workdays(today, -15).date,
            channel="email",
        )
        actions.propose_extension(fgw_officer, r, 15, "需要汇总多个科室资料")
        actions.extend(fgw_head, r)
        # 7. Replied and delivered: 予以公开, through the approval chain.
        r = reg(fgw_officer, fgw, 7, "冯强", "济宁市2025年重点项目名单", today - timedelta(days=40))
        actions.draft_reply(fgw_officer, r, outcome="disclosed")
        actions.submit_reply(fgw_officer, r)
        actions.review_reply(fgw_head, r, approve=True)
        actions.sign_reply(fgw_head, r)
        actions.deliver(fgw_officer, r, "网上送达")
        # 8. 不予公开 (process information) with a pending administrative review.
        r = reg(
            jyj_officer,
            jyj,
            8,
            "陈静",
            "市教育局党组会议关于招生工作的讨论记录",
            today - timedelta(days=50),
        )
        actions.draft_reply(
            jyj_officer,
            r,
            outcome="not_disclosed",
            reason=6,
            reasons="所申请的会议讨论记录属于行政机关内部讨论形成的过程性信息（条例第十六条第二款）。",
        )
        actions.submit_reply(jyj_officer, r)
        actions.review_reply(office, r, approve=True)
        actions.sign_reply(office, r)
        actions.deliver(jyj_officer, r, "邮寄")
        actions.add_review_case(
            jyj_officer,
            r,
            kind="review",
            filed_on=today - timedelta(days=5),
            case_no="济政复〔2026〕12号",
            body="济宁市人民政府",
        )
    return True
