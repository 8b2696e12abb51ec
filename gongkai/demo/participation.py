"""Demo data for 政民互动 on 济宁市人民政府's site: the year's major-decision catalogue with
progress, consultations (one open, one with published feedback), a hearing, open days,
enquiries, messages, proposals, concern responses and a complaint.

Everything is created through the participation actions, as the office would; items that
must look historical are then back-dated (demo only). `load()` is idempotent: it does
nothing once the year's catalogue exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core import workday_dates
from gongkai.orgs.models import Organisation
from gongkai.participation import actions, rules
from gongkai.participation.models import (
    Channel,
    Comment,
    ConcernKind,
    Consultation,
    DecisionCatalogue,
    Disposition,
    DocumentKind,
    Enquiry,
    HearingKind,
    InstitutionSector,
    Mailbox,
    Message,
    OpenDay,
    ParticipantRole,
    ProposalKind,
    ProposalResult,
    ReleaseKind,
    StepKind,
    StepStatus,
)

GOVERNMENT = "济宁市人民政府"


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _step(decision, kind):
    return decision.steps.get(kind=kind)


@transaction.atomic
def load() -> bool:
    government = Organisation.objects.filter(name=GOVERNMENT, parent__isnull=True).first()
    office = User.objects.filter(username="office").first()
    if government is None or office is None:
        return False
    today = timezone.localdate()
    now = timezone.now()
    year = today.year
    if DecisionCatalogue.objects.filter(government=government, year=year).exists():
        return False

    edu = _org("济宁市教育局")
    transport = _org("济宁市交通运输局")
    planning = _org("济宁市自然资源和规划局")
    civil = _org("济宁市民政局")
    urban = _org("济宁市城市管理局")
    health = _org("济宁市卫生健康委员会")
    energy = _org("济宁市能源局")

    # --- The year's catalogue -----------------------------------------------------------------
    catalogue = actions.create_catalogue(office, government, year=year)
    d_renewal = actions.add_decision(
        office,
        catalogue,
        title=f"济宁市城市更新专项规划（{year}—2035年）",
        organisation=planning,
        planned_time=f"{year}年6月",
        hearing_required=False,
        description="明确中心城区城市更新的目标、重点片区和实施时序。",
    )
    d_fares = actions.add_decision(
        office,
        catalogue,
        title="济宁市中心城区公共交通票价调整方案",
        organisation=transport,
        planned_time=f"{year}年12月",
        hearing_required=True,
        description="优化公交票制票价，完善换乘优惠和老年人、学生优待政策。",
    )
    actions.add_decision(
        office,
        catalogue,
        title=f"济宁市中小学校布局专项规划（{year}—2035年）",
        organisation=edu,
        planned_time=f"{year}年10月",
        hearing_required=False,
    )
    actions.add_decision(
        office,
        catalogue,
        title="济宁市养老服务体系建设三年行动方案",
        organisation=civil,
        planned_time=f"{year}年9月",
        hearing_required=False,
    )
    actions.add_decision(
        office,
        catalogue,
        title="济宁市生活垃圾分类管理办法",
        organisation=urban,
        planned_time=f"{year}年11月",
        hearing_required=False,
    )
    actions.publish_catalogue(office, catalogue, party_consent_on=dt.date(year, 2, 26))
    DecisionCatalogue.objects.filter(pk=catalogue.pk).update(
        published_at=dt.datetime(year, 3, 2, 10, 0, tzinfo=timezone.get_current_timezone())
    )

    # --- A consultation with published feedback (the renewal plan) ------------------------------
    renewal = actions.create_consultation(
        office,
        planning,
        decision=d_renewal,
        kind=DocumentKind.MAJOR_DECISION,
        title=f"《济宁市城市更新专项规划（{year}—2035年）》（征求意见稿）",
        summary="为推进城市更新，市自然资源和规划局起草了本规划，现向社会公开征求意见。请于截止日期前通过本页面提出意见，或来信寄至济宁市自然资源和规划局规划编制科。",
        draft_text="第一章 总则\n第二章 更新目标与策略\n第三章 重点更新片区\n第四章 实施保障",
        clauses="第一章 总则\n第二章 更新目标与策略\n第三章 重点更新片区\n第四章 实施保障",
        opens_on=today,
        closes_on=today + dt.timedelta(days=29),
    )
    actions.publish_consultation(office, renewal)
    comments = [
        (
            "第三章 重点更新片区",
            "建议将古槐路片区纳入首批更新范围，该片区老旧小区集中。",
            "王建国",
            Disposition.ADOPTED,
            "",
            "更新范围",
        ),
        (
            "第三章 重点更新片区",
            "建议一次性完成全部老旧小区改造。",
            "刘秀英",
            Disposition.NOT_ADOPTED,
            "全市老旧小区改造按年度计划分批实施，受资金和施工组织条件限制，无法一次性完成。",
            "更新范围",
        ),
        (
            "第四章 实施保障",
            "建议明确居民意见征询的程序和比例。",
            "李明",
            Disposition.PARTLY_ADOPTED,
            "已在第四章增加居民意见征询程序；具体比例由各片区实施方案确定。",
            "居民参与",
        ),
    ]
    for clause, body, name, *_ in comments:
        actions.submit_comment(renewal, body=body, author_name=name, contact="", clause=clause)
    actions.enter_comment(
        office,
        renewal,
        channel=Channel.LETTER,
        body="建议加强历史文化街区保护，避免大拆大建。",
        author_name="孔繁荣",
        clause="第二章 更新目标与策略",
    )
    # History: the consultation ran from 75 to 46 days ago (back-dated; demo only).
    opened = today - dt.timedelta(days=75)
    Consultation.objects.filter(pk=renewal.pk).update(
        opens_on=opened,
        closes_on=opened + dt.timedelta(days=29),
        published_at=now - dt.timedelta(days=76),
        **workday_dates.fields(
            "feedback_due_on", rules.feedback_due(opened + dt.timedelta(days=29))
        ),
    )
    Comment.objects.filter(consultation=renewal).update(submitted_at=now - dt.timedelta(days=60))
    renewal.refresh_from_db()
    handling = {
        body: (disposition, reason, topic) for _, body, _, disposition, reason, topic in comments
    }
    handling["建议加强历史文化街区保护，避免大拆大建。"] = (Disposition.ADOPTED, "", "历史文化保护")
    for comment in Comment.objects.filter(consultation=renewal).order_by("id"):
        disposition, reason, topic = handling[comment.body]
        actions.dispose_comment(
            office, comment, disposition=disposition, reason=reason, topic=topic
        )
    actions.publish_feedback(
        office,
        renewal,
        "本次征求意见共收到意见建议4条，经认真研究，采纳2条、部分采纳1条，未采纳1条。感谢社会各界的关心和支持。",
    )
    Consultation.objects.filter(pk=renewal.pk).update(
        feedback_published_at=now - dt.timedelta(days=30)
    )
    renewal.refresh_from_db()
    actions.update_step(
        office,
        _step(d_renewal, StepKind.PUBLIC_PARTICIPATION),
        status=StepStatus.DONE,
        started_on=renewal.opens_on,
        completed_on=renewal.closes_on,
        consultation=renewal,
    )
    actions.update_step(
        office,
        _step(d_renewal, StepKind.EXPERT_REVIEW),
        status=StepStatus.DONE,
        completed_on=today - dt.timedelta(days=40),
        evidence_title="专家论证会纪要",
        evidence_url="https://www.jining.gov.cn/demo/renewal-experts.html",
    )
    actions.update_step(
        office,
        _step(d_renewal, StepKind.RISK_ASSESSMENT),
        status=StepStatus.IN_PROGRESS,
        started_on=today - dt.timedelta(days=20),
    )

    # --- An open consultation on the fares (a major decision with a hearing) --------------------
    fares = actions.create_consultation(
        office,
        transport,
        decision=d_fares,
        kind=DocumentKind.MAJOR_DECISION,
        title="《济宁市中心城区公共交通票价调整方案》（征求意见稿）",
        summary="为促进公共交通可持续发展，市交通运输局起草了票价调整方案，现公开征求意见。",
        draft_text="一、调整原则\n二、票价方案：普通线路票价1元不变，空调线路票价2元；60分钟内换乘免费。\n三、优待政策：65周岁以上老年人免费乘车，中小学生半价。",
        clauses="一、调整原则\n二、票价方案\n三、优待政策",
        opens_on=today,
        closes_on=today + dt.timedelta(days=29),
    )
    actions.publish_consultation(office, fares)
    actions.submit_comment(
        fares,
        body="支持60分钟内换乘免费，建议延长到90分钟。",
        author_name="赵磊",
        clause="二、票价方案",
    )
    actions.submit_comment(
        fares, body="建议学生优待覆盖到高中阶段。", author_name="", clause="三、优待政策"
    )
    actions.update_step(
        office,
        _step(d_fares, StepKind.PUBLIC_PARTICIPATION),
        status=StepStatus.IN_PROGRESS,
        started_on=today,
        consultation=fares,
    )
    hearing = actions.create_hearing(
        office,
        transport,
        kind=HearingKind.HEARING,
        decision=d_fares,
        title="济宁市中心城区公共交通票价调整听证会",
        subject="就《济宁市中心城区公共交通票价调整方案》听取社会各方面意见。",
        held_at=now + dt.timedelta(days=20),
        place="济宁市政务服务中心三楼听证室",
        selection_method="听证参加人由消费者代表、经营者代表、专家学者等组成，消费者代表通过自愿报名、随机抽取产生。",
    )
    for name, role, affiliation in [
        ("孙立平", ParticipantRole.REPRESENTATIVE, "消费者代表（退休职工）"),
        ("周晓燕", ParticipantRole.REPRESENTATIVE, "消费者代表（学生家长）"),
        ("济宁公交集团代表", ParticipantRole.REPRESENTATIVE, "经营者代表"),
        ("陈教授", ParticipantRole.EXPERT, "山东理工职业学院交通运输系"),
    ]:
        actions.add_participant(office, hearing, name=name, role=role, affiliation=affiliation)
    actions.record_materials_sent(office, hearing, today + dt.timedelta(days=5))
    actions.publish_hearing(office, hearing)
    actions.update_step(
        office,
        _step(d_fares, StepKind.PUBLIC_PARTICIPATION),
        status=StepStatus.IN_PROGRESS,
        started_on=today,
        consultation=fares,
        hearing=hearing,
    )

    # --- A normative-document consultation --------------------------------------------------------
    training = actions.create_consultation(
        office,
        edu,
        kind=DocumentKind.NORMATIVE,
        title="《济宁市校外培训机构监督管理办法》（征求意见稿）",
        summary="为规范校外培训行为，市教育局起草了本办法，现公开征求意见。",
        draft_text="第一条 为规范校外培训机构办学行为，制定本办法。\n第二条 本办法适用于本市行政区域内面向中小学生的校外培训机构。",
        clauses="第一条\n第二条",
        opens_on=today,
        closes_on=today + dt.timedelta(days=29),
    )
    actions.publish_consultation(office, training)

    # --- Open days ----------------------------------------------------------------------------
    upcoming = actions.create_open_day(
        office,
        health,
        title="走进12345政务服务便民热线",
        theme="倾听民声 服务民生",
        description="参观热线受理大厅，与话务员交流，了解诉求办理流程。",
        place="济宁市12345政务服务便民热线中心",
        starts_at=now + dt.timedelta(days=14),
        ends_at=now + dt.timedelta(days=14, hours=2),
        capacity=30,
        signup_closes_at=now + dt.timedelta(days=11),
    )
    actions.publish_open_day(office, upcoming)
    actions.sign_up(upcoming, name="郑秀兰", phone="13905370001")
    past = actions.create_open_day(
        office,
        energy,
        title="走进能源保供一线",
        theme="冬季供暖与能源保供",
        place="济宁市能源局",
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=3),
        capacity=20,
        signup_closes_at=now + dt.timedelta(days=1),
    )
    actions.publish_open_day(office, past)
    OpenDay.objects.filter(pk=past.pk).update(
        starts_at=now - dt.timedelta(days=20),
        ends_at=now - dt.timedelta(days=20) + dt.timedelta(hours=3),
        signup_closes_at=now - dt.timedelta(days=22),
        published_at=now - dt.timedelta(days=35),
    )
    past.refresh_from_db()
    suggestion = actions.add_suggestion(
        office,
        past,
        content="建议公开各供热片区的供暖温度监测数据。",
        organisation=energy,
        raised_by="韩卫东",
    )
    actions.answer_suggestion(
        office, suggestion, "已在市能源局网站开设供热温度公开专栏，每日更新。"
    )

    # --- Enquiries ----------------------------------------------------------------------------
    for subject, question, answer, org in [
        (
            "随迁子女如何办理小学入学？",
            "外地户籍孩子在济宁上小学需要什么条件？",
            "持父母一方在我市的居住证及就业或经营证明，向居住地所在学区学校提出申请。",
            edu,
        ),
        (
            "60周岁老人乘坐公交有优惠吗？",
            "我今年62岁，乘坐市区公交车有什么优惠？",
            "60至64周岁老年人凭老年卡享受半价优惠，65周岁以上免费乘车。",
            transport,
        ),
        (
            "养老服务补贴如何申请？",
            "经济困难的失能老人可以申请哪些补贴？",
            "可向户籍所在地乡镇（街道）提出申请，经评估后享受护理补贴。",
            civil,
        ),
    ]:
        enquiry, _ = actions.submit_enquiry(
            org, subject=subject, question=question, asker_name="群众", contact="13800000000"
        )
        actions.answer_enquiry(office, enquiry, answer=answer, publish=True)
    pending, _ = actions.submit_enquiry(
        edu,
        subject="课后服务是否收费？",
        question="学校课后服务收费标准是多少？",
        asker_name="冯丽",
        contact="13800000001",
    )
    Enquiry.objects.filter(pk=pending.pk).update(submitted_at=now - dt.timedelta(days=3))

    # --- Messages -----------------------------------------------------------------------------
    answered = [
        (
            "关于古槐路夜间施工噪音的反映",
            "古槐路某工地夜间施工噪音很大，影响休息。",
            "已责成施工单位停止夜间施工，并加强巡查。",
            urban,
        ),
        (
            "建议增开城东新区公交线路",
            "城东新区居民出行不便，建议增开公交线路。",
            "已规划新开通K15路，预计下月开通。",
            transport,
        ),
    ]
    for subject, body, answer, org in answered:
        message, _ = actions.submit_message(
            government,
            government,
            mailbox=Mailbox.LEADER,
            subject=subject,
            body=body,
            writer_name="市民",
            phone="13800000002",
            consent_to_publish=True,
        )
        actions.route_message(office, message, org)
        actions.answer_message(office, message, answer=answer, publish=True)
    waiting, _ = actions.submit_message(
        government,
        edu,
        mailbox=Mailbox.WEBSITE,
        subject="孩子入学学区划分咨询",
        body="请问今年学区划分有变化吗？",
        writer_name="魏强",
        phone="13800000003",
        consent_to_publish=False,
    )
    old, _ = actions.submit_message(
        government,
        government,
        mailbox=Mailbox.LEADER,
        subject="关于小区物业服务问题",
        body="小区物业长期不作为。",
        writer_name="蒋华",
        phone="13800000004",
        consent_to_publish=True,
    )
    Message.objects.filter(pk=old.pk).update(received_at=now - dt.timedelta(days=70))
    Message.objects.filter(pk=waiting.pk).update(received_at=now - dt.timedelta(days=2))

    # --- Proposals ----------------------------------------------------------------------------
    for kind, number, title, proposer, org, result, summary in [
        (
            ProposalKind.NPC_SUGGESTION,
            "0056",
            "关于加快中心城区停车场建设的建议",
            "李代表",
            urban,
            ProposalResult.PLANNED,
            "已将新建12处公共停车场列入年度城建计划。",
        ),
        (
            ProposalKind.CPPCC_PROPOSAL,
            "0123",
            "关于加强中小学心理健康教育的提案",
            "王委员",
            edu,
            ProposalResult.SOLVED,
            "全市中小学已配备专兼职心理健康教师，实现全覆盖。",
        ),
    ]:
        proposal = actions.register_proposal(
            office,
            org,
            kind=kind,
            session="市十八届人大四次会议"
            if kind == ProposalKind.NPC_SUGGESTION
            else "市政协十三届四次会议",
            number=number,
            title=title,
            proposer=proposer,
            assigned_on=dt.date(year, 3, 15),
        )
        actions.record_proposal_reply(
            office, proposal, replied_on=dt.date(year, 6, 10), result=result, reply_summary=summary
        )
        actions.publish_proposal(office, proposal)
    actions.register_proposal(
        office,
        transport,
        kind=ProposalKind.NPC_SUGGESTION,
        session="市十八届人大四次会议",
        number="0078",
        title="关于优化农村客运班线的建议",
        proposer="张代表",
        assigned_on=today - dt.timedelta(days=20),
    )

    # --- Concern responses --------------------------------------------------------------------
    quick = actions.register_concern(
        office,
        health,
        title="某医院门诊系统故障导致排队",
        kind=ConcernKind.OTHER,
        source="本地论坛",
        detected_at=now - dt.timedelta(days=10),
    )
    actions.add_release(
        office,
        quick,
        kind=ReleaseKind.RESPONSE,
        at=now - dt.timedelta(days=10) + dt.timedelta(hours=6),
        channel="市卫生健康委官方微信",
        content="系统已恢复，就诊秩序正常。",
    )
    actions.close_concern(office, quick)
    late = actions.register_concern(
        office,
        urban,
        title="城区部分路段积水问题",
        kind=ConcernKind.OTHER,
        source="短视频平台",
        detected_at=now - dt.timedelta(days=5),
    )
    actions.add_release(
        office,
        late,
        kind=ReleaseKind.RESPONSE,
        at=now - dt.timedelta(days=2),
        channel="市城市管理局网站",
        content="已完成排水管网疏通。",
    )
    # Left open: the 48-hour miss shows on the office dashboard.

    # --- A complaint about a public institution ---------------------------------------------------
    power = Organisation.objects.filter(name="国网山东省电力公司济宁供电公司").first()
    complaint = actions.register_complaint(
        office,
        energy,
        institution=power,
        institution_name=power.name if power else "国网济宁供电公司",
        sector=InstitutionSector.POWER,
        complainant_name="沈涛",
        contact="13800000005",
        content="计划停电信息未提前在网站公布。",
        received_on=today - dt.timedelta(days=15),
    )
    actions.record_complaint_result(
        office,
        complaint,
        result="已督促供电公司在网站和营业厅提前7日公布计划停电信息。",
        handled_on=today - dt.timedelta(days=3),
    )
    return True
