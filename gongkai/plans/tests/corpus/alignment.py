"""Two more alignment answer sets, held out from tuning (issue 16).

The matcher's threshold was tuned on the Tengzhou/Jining sample pair. These pairs are of other
governments and other years, in the relations the issue names:

* `province`: a province's key points of one year (A, prose, like 广东's 2022 分工方案) against
  the same province's task table of the year before (B, like a 2021 全省任务分解表);
* `county`: two years of one county's task table (A 2022 against B 2021, like 集美区's).

Each topic below is written twice, in the different words two documents use for the same piece
of work (a later year's wording moves on: 「公开…规划纲要」 → 「公开…规划纲要中期评估」). The
answer set is the topics the two sides share, written here with the texts and never changed to
fit the matcher's output. A topic with no counterpart is an item nothing covers, or a row no
item asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import Table, docx_bytes, text_bytes, xlsx_bytes


@dataclass
class Topic:
    title_a: str | None  # the item's title in A (None: A does not have it)
    text_a: str | None
    rows_b: list[tuple[str, str]]  # (title, requirement) of the rows of B for it


@dataclass
class Pair:
    name: str
    description: str
    a_file: tuple[str, bytes]
    b_file: tuple[str, bytes]
    truth: set[tuple[int, int]]  # (item n in A, row n in B)
    items: int
    rows: int


PROVINCE_TOPICS = [
    Topic(
        "加大惠企政策公开力度",
        "集中公开减税降费、稳岗就业等惠企政策，在省政府门户网站开设惠企政策专区。",
        [("惠企政策公开", "梳理公开涉企扶持政策清单，在门户网站设置惠企政策专栏，方便企业查询。")],
    ),
    Topic(
        "深化预决算公开",
        "推进省级部门预决算公开，支出细化到功能分类项级科目，推动所属单位预决算公开。",
        [
            ("部门预决算公开", "省级部门预算在批复后20日内向社会公开，说明“三公”经费增减原因。"),
            ("所属单位预决算", "推动部门所属单位预决算及相关报表公开。"),
        ],
    ),
    Topic(
        "做好政府债务信息公开",
        "按季度公开全省政府债务限额、余额和新增债券使用情况。",
        [("债务信息公开", "做好地方政府债务限额、余额和债券发行信息公开。")],
    ),
    Topic(
        "公开权责清单",
        "动态调整并公开省级部门权责清单，变更后及时更新。",
        [("权力和责任清单", "公开省级部门权力清单和责任清单，实行动态更新。")],
    ),
    Topic(
        "做好重大项目信息公开",
        "公开重大建设项目批准和实施情况，按季度更新项目进展。",
        [("项目审批信息", "做好重大建设项目审批、核准、备案结果信息公开。")],
    ),
    Topic(
        "推动解读材料同步发布",
        "省政府文件与政策解读材料同步组织、同步审签、同步部署。",
        [("政策解读三同步", "落实政策解读“三同步”制度，解读材料与政策文件同步发布。")],
    ),
    Topic(
        "及时回应社会关切",
        "对涉及本省的重大舆情在24小时内作出回应，发布权威信息。",
        [("舆情回应", "健全政务舆情收集、研判和回应机制，及时回应社会关切。")],
    ),
    Topic(
        "规范依申请公开办理",
        "规范依申请公开答复文书，加强政府信息公开行政复议案件研判。",
        [("依申请公开制度", "完善依申请公开登记、审核、办理、答复、归档等工作制度。")],
    ),
    Topic(
        "开展政府开放日活动",
        "组织开展政府开放日活动，邀请人大代表、政协委员和公众代表参与。",
        [],
    ),
    Topic(
        "按时发布年度报告",
        "按时发布政府信息公开工作年度报告，如实反映工作情况。",
        [("年度报告", "编制并公布政府信息公开工作年度报告，接受社会监督。")],
    ),
    Topic(
        None, None, [("公共资源配置", "推进公共资源交易、国有产权转让等公共资源配置领域信息公开。")]
    ),
    Topic(None, None, [("食品药品抽检", "按月公开食品药品安全监督抽检结果。")]),
    Topic(None, None, [("网站集约化", "推进政府网站集约化建设，整合各部门网站栏目。")]),
]

COUNTY_TOPICS = [
    Topic(
        "规划评估公开",
        None,
        [("规划公开", "全面公开县“十四五”规划纲要和各专项规划。")],
    ),
    Topic(
        "乡镇预决算公开",
        None,
        [("财政预决算", "推进乡镇财政预决算公开，做到应公开尽公开。")],
    ),
    Topic(
        "涉农补贴公开",
        None,
        [("惠民惠农资金", "做好惠民惠农财政补贴资金“一卡通”发放信息公开。")],
    ),
    Topic(
        "标准目录调整",
        None,
        [("标准目录编制", "编制完善县乡两级基层政务公开事项标准目录。")],
    ),
    Topic("政务公开专区", None, [("线下公开场所", "建设政务公开专区，完善线下查阅场所和平台。")]),
    Topic(
        "规范性文件清理",
        None,
        [("文件集中清理", "开展行政规范性文件集中清理，公布现行有效文件目录。")],
    ),
    Topic("领导解读政策", None, [("政策解读", "加强政策解读，运用图解、视频等形式解读政策。")]),
    Topic("养老服务公开", None, []),
    Topic(
        "重大决策目录",
        None,
        [("决策事项目录", "公开年度重大行政决策事项目录，决策前向社会征求意见。")],
    ),
    Topic("依申请公开办理", None, [("依申请公开", "规范办理政府信息公开申请，按时答复。")]),
    Topic(None, None, [("安全生产", "做好生产安全事故调查报告公开。")]),
    Topic(None, None, [("公共法律服务", "推进公共法律服务事项和办事指南公开。")]),
    Topic(None, None, [("疫情防控", "加强疫情防控信息发布，统一对外口径。")]),
]
COUNTY_TEXTS_A = {
    "规划评估公开": "公开县“十四五”规划纲要实施中期评估情况。",
    "乡镇预决算公开": "乡镇预决算在批复后20日内公开，细化公开“三公”经费。",
    "涉农补贴公开": "公开涉农补贴发放对象、补贴标准和发放金额。",
    "标准目录调整": "对基层政务公开事项标准目录开展评估并动态调整。",
    "政务公开专区": "在政务服务中心设立政务公开专区，提供政府信息查阅服务。",
    "规范性文件清理": "清理县政府现行有效的行政规范性文件并公开目录。",
    "领导解读政策": "政府主要负责同志带头解读重大政策措施。",
    "养老服务公开": "公开养老服务机构名录、收费标准和补贴政策。",
    "重大决策目录": "编制年度重大行政决策事项目录并向社会公开。",
    "依申请公开办理": "依法办理政府信息公开申请，统一答复文书格式。",
}


def _truth(topics: list[Topic]) -> tuple[set[tuple[int, int]], int, int]:
    truth, item, row = set(), 0, 0
    for topic in topics:
        if topic.title_a is not None:
            item += 1
        for _ in topic.rows_b:
            row += 1
            if topic.title_a is not None:
                truth.add((item, row))
    return truth, item, row


def province_pair() -> Pair:
    lines = ["广东省2022年政务公开重点工作", "一、重点工作"]
    n = 0
    for topic in PROVINCE_TOPICS:
        if topic.title_a is not None:
            n += 1
            lines.append(f"{n}.{topic.title_a}。{topic.text_a}")
    grid = Table(["序号", "工作任务", "具体要求", "牵头单位", "完成时限"], [])
    m = 0
    for topic in PROVINCE_TOPICS[::-1]:  # the older table lists its rows in another order
        for title, text in topic.rows_b:
            m += 1
            grid.rows.append([str(m), title, text, "省政府办公厅", "2021年底前"])
    # Number B's rows as laid out, and the truth with them.
    order = [row for topic in PROVINCE_TOPICS[::-1] for row in topic.rows_b]
    position = {id(row): k + 1 for k, row in enumerate(order)}
    truth, item = set(), 0
    for topic in PROVINCE_TOPICS:
        if topic.title_a is not None:
            item += 1
            truth |= {(item, position[id(row)]) for row in topic.rows_b}
    return Pair(
        "province",
        "a province's 2022 key points (A, prose) vs its 2021 task table (B)",
        ("province-2022-key-points.txt", text_bytes(lines)),
        (
            "province-2021-tasks.docx",
            docx_bytes(["广东省2021年政务公开工作任务分解表"], grid),
        ),
        truth,
        item,
        len(order),
    )


def county_pair() -> Pair:
    header = ["序号", "工作任务", "工作要求", "责任单位", "完成时限"]
    a = Table(header, [])
    n = 0
    for topic in COUNTY_TOPICS:
        if topic.title_a is not None:
            n += 1
            a.rows.append(
                [str(n), topic.title_a, COUNTY_TEXTS_A[topic.title_a], "县政府办公室", "年底前"]
            )
    b = Table(header, [])
    m = 0
    for topic in COUNTY_TOPICS:
        for title, text in topic.rows_b:
            m += 1
            b.rows.append([str(m), title, text, "县政府办公室", "年底前"])
    truth, items, rows = _truth(COUNTY_TOPICS)
    return Pair(
        "county",
        "two years of one county's task table (A 2022 vs B 2021)",
        ("county-2022-tasks.xlsx", xlsx_bytes(["集美区2022年政务公开工作任务分解表"], a)),
        ("county-2021-tasks.docx", docx_bytes(["集美区2021年政务公开工作任务分解表"], b)),
        truth,
        items,
        rows,
    )


PAIRS = (province_pair, county_pair)
