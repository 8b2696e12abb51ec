"""Demo disclosure catalogue for 济宁市人民政府: columns, a standard catalogue, the sample notice
济政办字〔2021〕18号 with its task table (.docx) as an attachment, normative documents with their
interpretations and a repeal chain, and everyday notices. Idempotent: `load()` returns False
when the sample notice is already there. Everything goes through catalog.actions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from gongkai.accounts.models import User
from gongkai.catalog import actions
from gongkai.catalog.models import (
    DEFAULT_COLUMNS,
    Column,
    Genre,
    InterpretationPlan,
    Record,
    StandardCatalogue,
    Topic,
    Validity,
)
from gongkai.orgs.models import Organisation

SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_DOC_NO = "济政办字〔2021〕18号"

# (publisher, title, doc_no, genre, topic, written_on, summary, body paragraphs, interpretation)
RECORDS = [
    (
        "济宁市人民政府",
        "济宁市人民政府关于印发济宁市行政规范性文件管理办法的通知",
        "济政发〔2022〕5号",
        Genre.RULE,
        Topic.GENERAL,
        dt.date(2022, 3, 10),
        "规范行政规范性文件的起草、审核、公布、备案和清理工作。",
        [
            "第一条 为加强行政规范性文件管理，推进依法行政，根据有关法律法规，结合本市实际，制定本办法。",
            "第二条 行政规范性文件应当通过政府网站政府信息公开专栏统一公开，未经公布的不得作为行政管理依据。",
            "第三条 行政规范性文件有效期一般不超过5年，制定机关应当每两年开展一次清理。",
        ],
        "《济宁市行政规范性文件管理办法》政策解读",
    ),
    (
        "济宁市教育局",
        "济宁市中小学校课后服务管理办法",
        "济教发〔2023〕12号",
        Genre.NORMATIVE,
        Topic.EDUCATION,
        dt.date(2023, 8, 21),
        "规范全市中小学校课后服务的内容、时间和收费。",
        [
            "第一条 为规范中小学校课后服务，减轻家长负担，制定本办法。",
            "第二条 课后服务坚持学生家长自愿原则，服务内容、时间和收费标准向社会主动公开。",
        ],
        "图解《济宁市中小学校课后服务管理办法》",
    ),
    (
        "济宁市教育局",
        "济宁市中小学校课后服务管理办法（2025年修订）",
        "济教发〔2025〕3号",
        Genre.NORMATIVE,
        Topic.EDUCATION,
        dt.date(2025, 2, 17),
        "修订课后服务收费和监督条款。",
        [
            "第一条 为进一步规范中小学校课后服务，结合近两年实施情况，对原办法进行修订。",
            "第二条 课后服务收费实行政府指导价，收费项目和标准在学校公示栏和政府网站同步公开。",
        ],
        "《济宁市中小学校课后服务管理办法（2025年修订）》政策解读",
    ),
    (
        "济宁市发展和改革委员会",
        "济宁市优化营商环境若干措施",
        "济发改发〔2024〕21号",
        Genre.NORMATIVE,
        Topic.ECONOMY,
        dt.date(2024, 5, 6),
        "推进放管服改革，优化营商环境的20条措施。",
        [
            "一、深化“一网通办”，企业开办时间压缩至1个工作日以内。",
            "二、推行“双随机、一公开”监管，涉企检查结果依法向社会公开。",
            "三、政策文件出台时同步发布政策解读，做到应公开尽公开。",
        ],
        "济宁市优化营商环境若干措施问答",
    ),
    (
        "济宁市财政局",
        "济宁市2025年市级财政预算公开说明",
        "",
        Genre.BUDGET,
        Topic.FINANCE,
        dt.date(2025, 2, 10),
        "市级一般公共预算、政府性基金预算和“三公”经费预算。",
        ["经市十八届人大四次会议批准，现将2025年市级财政预算向社会公开。"],
        None,
    ),
    (
        "济宁市统计局",
        "2025年济宁市国民经济和社会发展统计公报",
        "",
        Genre.STATISTICS,
        Topic.ECONOMY,
        dt.date(2026, 3, 15),
        "全市经济运行总体平稳、稳中有进。",
        ["初步核算，全年全市生产总值比上年增长5.6%。"],
        None,
    ),
    (
        "济宁市人民政府办公室",
        "济宁市人民政府办公室关于开展2026年政府开放日活动的通知",
        "济政办字〔2026〕9号",
        Genre.NOTICE,
        Topic.GENERAL,
        dt.date(2026, 4, 20),
        "邀请市民走进政府机关，了解政务公开和政务服务工作。",
        [
            "各县（市、区）人民政府，市政府各部门、单位：",
            "为深化政务公开，增进社会公众对政府工作的了解，决定开展2026年政府开放日活动。",
        ],
        None,
    ),
    (
        "济宁市人民政府",
        "济宁市人民政府2025年政府信息公开工作年度报告",
        "",
        Genre.ANNUAL_REPORT,
        Topic.GENERAL,
        dt.date(2026, 3, 28),
        "按照国办公开办函〔2021〕30号格式编制。",
        [
            "一、总体情况",
            "2025年，市政府深入贯彻《中华人民共和国政府信息公开条例》，全面推进基层政务公开标准化规范化。",
        ],
        None,
    ),
    (
        "济宁市生态环境局",
        "济宁市2026年环境空气质量状况通报（第一季度）",
        "",
        Genre.NOTICE,
        Topic.URBAN,
        dt.date(2026, 4, 12),
        "一季度全市空气质量优良天数比例同比提高。",
        ["根据全市空气质量自动监测结果，现将2026年第一季度环境空气质量状况通报如下。"],
        None,
    ),
]

CATALOGUE = [
    ("义务教育", ["招生入学", "课后服务", "教育收费"]),
    ("财政预决算", ["财政预算", "财政决算", "“三公”经费"]),
    ("公共资源交易", ["交易公告", "成交公示"]),
    ("社会救助", ["最低生活保障", "特困人员救助供养"]),
]


def _paragraphs(lines):
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line.strip())


def _sample_body() -> str:
    raw = (SAMPLES / "jining-2021-task-table.txt").read_text(encoding="utf-8")
    raw = re.sub(r"\[bookmark: \w+\]", "", raw)
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw.splitlines()]
    return _paragraphs(lines[1:])


def _at(day: dt.date) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=2), dt.time(10, 0), tzinfo=tz)


@transaction.atomic
def load() -> bool:
    gov = Organisation.objects.filter(name="济宁市人民政府", parent__isnull=True).first()
    if gov is None:
        return False
    if Record.objects.filter(government=gov, doc_no=SAMPLE_DOC_NO).exists():
        return False
    office = User.objects.get(username="office")
    orgs = {o.name: o for o in Organisation.objects.in_government(gov)}

    for org in (gov, orgs["济宁市教育局"], orgs["济宁市人民政府办公室"]):
        for order, (kind, name) in enumerate(DEFAULT_COLUMNS):
            Column.objects.get_or_create(
                organisation=org, parent=None, name=name, defaults={"kind": kind, "order": order}
            )
    edu = orgs["济宁市教育局"]
    entries = {}
    for order, (domain, items) in enumerate(CATALOGUE):
        top, _ = StandardCatalogue.objects.get_or_create(
            organisation=edu if domain == "义务教育" else gov,
            parent=None,
            name=domain,
            defaults={"domain": domain, "order": order},
        )
        for i, item in enumerate(items):
            entries[item], _ = StandardCatalogue.objects.get_or_create(
                organisation=top.organisation,
                parent=top,
                name=item,
                defaults={
                    "domain": domain,
                    "order": i,
                    "basis": "《中华人民共和国政府信息公开条例》",
                },
            )

    # The sample notice itself, with its task table as the attachment.
    office_org = orgs["济宁市人民政府办公室"]
    statutory = Column.objects.get(organisation=office_org, name="法定主动公开内容")
    sample = actions.create_record(
        office,
        office_org,
        {
            "title": "济宁市人民政府办公室关于印发2021年济宁市政务公开工作任务分解表的通知",
            "doc_no": SAMPLE_DOC_NO,
            "written_on": dt.date(2021, 4, 28),
            "made_on": dt.date(2021, 4, 28),
            "genre": Genre.POLICY,
            "topic": Topic.GENERAL,
            "keywords": "政务公开 任务分解",
            "column": statutory,
            "summary": "印发2021年济宁市政务公开工作任务分解表，明确牵头部门、责任单位和具体要求。",
            "body": _sample_body(),
        },
    )
    actions.add_attachment(
        office,
        sample,
        "2021年济宁市政务公开工作任务分解表.docx",
        ContentFile(
            (SAMPLES / "jining-2021-task-table.docx").read_bytes(), "jining-2021-task-table.docx"
        ),
    )
    actions.record_past_publication(office, sample, _at(dt.date(2021, 4, 28)), note="演示数据")

    made = {}
    for publisher, title, doc_no, genre, topic, written, summary, body, interp in RECORDS:
        org = orgs[publisher]
        data = {
            "title": title,
            "doc_no": doc_no,
            "genre": genre,
            "topic": topic,
            "written_on": written,
            "made_on": written,
            "summary": summary,
            "body": _paragraphs(body),
        }
        entry = entries["课后服务"] if "课后服务" in title else None
        if entry is not None and entry.organisation_id == org.pk:
            data["catalogue"] = entry
        record = actions.create_record(office, org, data)
        if interp:
            actions.create_interpretation(
                office,
                record,
                {
                    "title": interp,
                    "kind": "qa" if "问答" in interp else "text",
                    "body": _paragraphs(
                        [
                            f"一、起草背景：{summary}",
                            "二、主要内容：见正文。",
                            "三、解读人：起草单位主要负责人。",
                        ]
                    ),
                },
                questions=[("文件适用于哪些对象？", "本市行政区域内的有关单位和个人。")]
                if "问答" in interp
                else None,
            )
        actions.record_past_publication(office, record, _at(written), note="演示数据")
        made[title] = record
    old = made["济宁市中小学校课后服务管理办法"]
    new = made["济宁市中小学校课后服务管理办法（2025年修订）"]
    actions.change_validity(
        office,
        old,
        Validity.REPEALED,
        on=dt.date(2025, 3, 1),
        by_record=new,
        note="被新修订的办法废止",
    )

    # Work in progress for the staff area: a draft past its 20-working-day window, a
    # normative draft awaiting its interpretation, and a proposal not to publish.
    actions.create_record(
        office,
        orgs["济宁市发展和改革委员会"],
        {
            "title": "关于2026年第三季度重点项目建设情况的通报",
            "genre": Genre.NOTICE,
            "topic": Topic.ECONOMY,
            "made_on": timezone.localdate() - dt.timedelta(days=60),
            "body": "<p>全市重点项目建设总体进展顺利。</p>",
        },
    )
    actions.create_record(
        office,
        orgs["济宁市发展和改革委员会"],
        {
            "title": "济宁市政府投资项目管理办法（送审稿）",
            "genre": Genre.NORMATIVE,
            "topic": Topic.ECONOMY,
            "made_on": timezone.localdate(),
            "interpretation_plan": InterpretationPlan.LATER,
            "body": "<p>为规范政府投资行为，制定本办法。</p>",
        },
    )
    withheld = actions.create_record(
        office,
        orgs["济宁市教育局"],
        {
            "title": "关于个别学校招生信访事项的处理意见",
            "genre": Genre.OTHER,
            "made_on": timezone.localdate(),
            "attribute": "withheld",
            "attribute_reason": "涉及个人隐私",
            "attribute_basis": "条例第十五条",
            "body": "<p>内部处理意见。</p>",
        },
    )
    actions.submit_for_review(office, withheld)
    return True
