"""The corpus documents: one generator each, the real document it imitates in its docstring.

Texts are written for the corpus (not copied); what is imitated is the layout and the habits of
wording: column order and names, heading levels (一、 / （一） / 1.), merged cells, blank cells,
how roles are written (「X牵头，Y配合」「（责任单位：…）」「…按职责分工负责」), deadline wording
(「9月底前…，年底前…」「持续推进」「每季度」). Each generator keeps the expected parse beside
the layout it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from . import (
    MERGE_UP,
    Expected,
    Fixture,
    Table,
    docx_bytes,
    excel_tsv_bytes,
    flattened_bytes,
    spaced_bytes,
    text_bytes,
    web_paste_bytes,
    xlsx_bytes,
)

GENERATORS: list[Callable[[], Fixture | list[Fixture]]] = []


def generator(fn):
    GENERATORS.append(fn)
    return fn


def all_fixtures() -> list[Fixture]:
    out: list[Fixture] = []
    for make in GENERATORS:
        made = make()
        out += made if isinstance(made, list) else [made]
    return out


class Points:
    """Key points written as prose: headings and numbered points, with the expectation."""

    def __init__(self, year: int):
        self.year = year
        self.lines: list[str] = []
        self.rows: list[Expected] = []
        self.section = ""
        self.subsection = ""

    def text(self, *lines: str) -> None:
        self.lines += lines

    def heading(self, text: str) -> None:
        self.lines.append(text)
        self.section, self.subsection = text, ""

    def group(self, text: str) -> None:
        self.lines.append(text)
        self.subsection = text

    def point(
        self,
        marker: str,
        title: str,
        body: str,
        note: str = "",
        *,
        lead=(),
        responsible=(),
        due: date | None = None,
        milestones=(),
    ) -> None:
        self.lines.append(f"{marker}{title}。{body}{note}")
        self.rows.append(
            Expected(
                self.section,
                self.subsection,
                marker + title,
                body,
                list(lead),
                list(responsible),
                due,
                list(milestones),
            )
        )


class Grid:
    """A task table and its expectation, row by row."""

    def __init__(self, header: list[str]):
        self.header = header
        self.rows: list[list | str] = []
        self.expected: list[Expected] = []
        self.section = ""
        self.subsection = ""
        self.title = ""

    def heading(self, text: str) -> None:
        self.rows.append(text)
        self.section, self.subsection, self.title = text, "", ""

    def group(self, text: str) -> None:
        self.rows.append(text)
        self.subsection, self.title = text, ""

    def row(
        self,
        cells: dict,
        *,
        requirement: str | None = None,
        lead=(),
        responsible=(),
        due: date | None = None,
        milestones=(),
        blank=(),
        section: str | None = None,
        title: str | None = None,
    ) -> None:
        self.rows.append([cells.get(h, "") for h in self.header])
        if section is not None and section != self.section:
            self.section, self.subsection = section, ""
        if title is not None:
            self.title = title
        self.expected.append(
            Expected(
                self.section,
                self.subsection,
                self.title,
                requirement,
                list(lead),
                list(responsible),
                due,
                list(milestones),
                list(blank),
            )
        )

    @property
    def table(self) -> Table:
        return Table(self.header, self.rows)


# --- 1. a provincial-level key points, .docx --------------------------------------------------


@generator
def beijing_2016() -> Fixture:
    """Imitates 《北京市2016年政务公开工作要点》 (京政办发〔2016〕26号, 北京市人民政府办公厅,
    2016年5月28日): the covering notice, then 一、 sections whose points are （一） items, each a
    title sentence, the measures, and a trailing role note 「（X、Y牵头，Z负责）」."""
    p = Points(2016)
    p.text(
        "北京市人民政府办公厅关于印发《北京市2016年政务公开工作要点》的通知",
        "京政办发〔2016〕26号",
        "各区人民政府，市政府各委、办、局，各市属机构：",
        "《北京市2016年政务公开工作要点》已经市政府同意，现印发给你们，请结合实际认真贯彻落实。",
        "北京市人民政府办公厅",
        "2016年5月28日",
        "北京市2016年政务公开工作要点",
        "今年政务公开工作要围绕改革发展大局，细化任务分工，增强公开实效，保障公众知情权、参与权和监督权。",
    )
    p.heading("一、围绕深化改革推进公开")
    p.point(
        "（一）",
        "推进权力清单和责任清单公开",
        "对市级部门权力清单实行动态调整并公布调整结果，9月底前公布新版清单，年底前完成各区清单的集中展示。",
        "（市编办、市法制办牵头，各区政府负责）",
        lead=["市编办", "市法制办"],
        responsible=["各区政府"],
        due=date(2016, 12, 31),
        milestones=[date(2016, 9, 30)],
    )
    p.point(
        "（二）",
        "做好行政审批改革信息公开",
        "及时公开取消和下放的审批事项目录，同步更新办事指南。",
        "（市审改办负责）",
        lead=["市审改办"],
    )
    p.heading("二、围绕经济发展推进公开")
    p.point(
        "（三）",
        "推进财政预决算公开",
        "市级部门预算在批复后20日内向社会公开，支出细化到功能分类的项级科目。",
        "（市财政局牵头，市政府各部门配合）",
        lead=["市财政局"],
        responsible=["市政府各部门"],
    )
    p.heading("三、加强政策解读和回应关切")
    p.point(
        "（四）",
        "强化政策解读",
        "出台重要政策时同步发布解读材料，上半年完成解读工作规范的修订。",
        "（市政府办公厅牵头，各区政府、市政府各部门负责）",
        lead=["市政府办公厅"],
        responsible=["各区政府", "市政府各部门"],
        due=date(2016, 6, 30),
    )
    p.text("各区、各部门要将本要点的落实情况纳入年度报告，接受社会监督。")
    return Fixture(
        "beijing-2016",
        "北京市2016年政务公开工作要点（京政办发〔2016〕26号）",
        "beijing-2016-key-points.docx",
        docx_bytes(p.lines, None),
        "key_points",
        "北京市2016年政务公开工作要点",
        2016,
        "京政办发〔2016〕26号",
        date(2016, 5, 28),
        "province",
        p.rows,
    )


# --- 2. a city's key points with three levels, pasted text ----------------------------------


@generator
def xinyu_2023() -> Fixture:
    """Imitates 《2023年新余市政务公开工作要点》 (新余市人民政府办公室, 2023年8月7日, 此件主动
    公开): 一、 sections, （一） groups, numbered 1. points, a closing 「（责任单位：…）」 note
    that may hold bracketed names (各县（区）人民政府), indented with full-width spaces."""
    p = Points(2023)
    p.text(
        "各县（区）人民政府、管委会，市政府各部门、市直相关单位：",
        "　　《2023年新余市政务公开工作要点》已经市政府同意，现印发给你们，请结合实际认真贯彻落实。",
        "　　新余市人民政府办公室",
        "　　2023年8月7日",
        "　　（此件主动公开）",
        "2023年新余市政务公开工作要点",
        "　　为进一步深化全市政务公开工作，提升行政透明度，制定本要点。",
    )
    p.heading("一、总体要求")
    p.group("（一）指导思想")
    p.text("　　坚持以人民为中心，推动政务公开工作提质增效。")
    p.group("（二）工作目标")
    p.text("　　到2023年底，市、县（区）两级政务公开工作机制进一步完善。")
    p.heading("二、紧扣经济发展大局深化公开")
    p.group("（一）加强重大战略实施信息公开")
    p.point(
        "1.",
        "聚焦战略部署加强公开",
        "围绕全市重大战略部署发布进展成效，9月底前完成专题栏目改版，年底前持续更新。",
        "（责任单位：市发改委、市工信局，各县（区）人民政府）",
        responsible=["市发改委", "市工信局", "各县（区）人民政府"],
        due=date(2023, 12, 31),
        milestones=[date(2023, 9, 30)],
    )
    p.point(
        "2.",
        "做好财政资金信息公开",
        "推进部门预决算和政府债务信息公开，每季度更新债务限额和余额情况。",
        "（责任单位：市财政局）",
        responsible=["市财政局"],
    )
    p.group("（二）加强营商环境信息公开")
    p.point(
        "3.",
        "公开涉企政策",
        "集中公开涉企扶持政策，10月底前上线惠企政策专区。",
        "（牵头单位：市发改委；责任单位：市政府各部门）",
        lead=["市发改委"],
        responsible=["市政府各部门"],
        due=date(2023, 10, 31),
    )
    p.heading("三、聚焦社会关切回应公开")
    p.group("（一）加强民生领域信息公开")
    p.point(
        "4.",
        "做好就业和社保信息公开",
        "及时发布招聘、技能培训和社保待遇调整信息。",
        "（责任单位：市人社局、市医保局）",
        responsible=["市人社局", "市医保局"],
    )
    return Fixture(
        "xinyu-2023",
        "2023年新余市政务公开工作要点（新余市人民政府办公室，2023年8月7日）",
        "xinyu-2023-key-points.txt",
        text_bytes(p.lines),
        "key_points",
        "2023年新余市政务公开工作要点",
        2023,
        None,
        date(2023, 8, 7),
        "city",
        p.rows,
    )


# --- 3. a department's own task list, .docx with a title cell merged down --------------------


def _chizhou_grid() -> Grid:
    g = Grid(["工作任务", "序号", "具体要求", "责任科室", "时限要求"])
    g.row(
        {
            "工作任务": "强化行政规范性文件集中公开",
            "序号": "1",
            "具体要求": "对本局制发的行政规范性文件开展清理，公布现行有效文件目录。",
            "责任科室": "办公室",
            "时限要求": "年底前",
        },
        requirement="对本局制发的行政规范性文件开展清理，公布现行有效文件目录。",
        responsible=["办公室"],
        due=date(2022, 12, 31),
        title="强化行政规范性文件集中公开",
    )
    g.row(
        {
            "工作任务": "深化政策解读",
            "序号": "2",
            "具体要求": "对涉及群众切身利益的信访政策做好图解、问答式解读。",
            "责任科室": "各科室",
            "时限要求": "持续推进",
        },
        requirement="对涉及群众切身利益的信访政策做好图解、问答式解读。",
        responsible=["各科室"],
        title="深化政策解读",
    )
    g.row(
        {
            "工作任务": "夯实主动公开基础",
            "序号": "3",
            "具体要求": "规范政府信息公开专栏，按时发布法定主动公开内容，落实保密审查。",
            "责任科室": "各科室",
            "时限要求": "持续推进",
        },
        requirement="规范政府信息公开专栏，按时发布法定主动公开内容，落实保密审查。",
        responsible=["各科室"],
        title="夯实主动公开基础",
    )
    g.row(
        {
            "工作任务": MERGE_UP,
            "序号": "4",
            "具体要求": "编制上一年度政府信息公开工作年度报告并上网公开。",
            "责任科室": "办公室",
            "时限要求": "1月31日前",
        },
        requirement="编制上一年度政府信息公开工作年度报告并上网公开。",
        responsible=["办公室"],
        due=date(2022, 1, 31),
    )
    g.row(
        {
            "工作任务": "规范依申请公开办理",
            "序号": "5",
            "具体要求": "依法办理政府信息公开申请，答复文书格式统一、说理充分。",
            "责任科室": "",
            "时限要求": "持续推进",
        },
        requirement="依法办理政府信息公开申请，答复文书格式统一、说理充分。",
        blank=["责任科室"],
        title="规范依申请公开办理",
    )
    return g


CHIZHOU_BEFORE = [
    "池州市信访局关于印发2022年政务公开工作要点的通知",
    "局机关各科室：",
    "现将《池州市信访局2022年政务公开工作要点》印发给你们，请认真抓好落实。",
    "池州市信访局",
    "2022年3月18日",
    "池州市信访局2022年政务公开工作要点",
]


@generator
def chizhou_2022() -> list[Fixture]:
    """Imitates the task list of 池州市信访局's 政务公开工作要点 (2022): columns 工作任务 | 序号 |
    具体要求 | 责任科室 | 时限要求, a 工作任务 cell merged down over two items, 「办公室」「各科室」,
    「年底前」「持续推进」, and one blank 责任科室 cell. Also pasted from the web page with its
    grid lost (one cell a line), which must parse the same."""
    g = _chizhou_grid()
    docx_fixture = Fixture(
        "chizhou-2022",
        "池州市信访局2022年政务公开工作要点（任务表）",
        "chizhou-2022-dept-tasks.docx",
        docx_bytes(CHIZHOU_BEFORE, g.table),
        "task_table",
        "池州市信访局2022年政务公开工作要点",
        2022,
        None,
        date(2022, 3, 18),
        "department",
        g.expected,
    )
    # The flattened paste has no blank cell (a blank cell there cannot be placed).
    flat = _chizhou_grid()
    flat.rows[-1][3] = "办公室"
    flat.expected[-1].responsible, flat.expected[-1].blank = ["办公室"], []
    flat.rows[3][0] = "夯实主动公开基础"
    return [
        docx_fixture,
        Fixture(
            "chizhou-2022-flattened",
            "池州市信访局2022年政务公开工作要点（网页复制，表格线丢失）",
            "chizhou-2022-flattened.txt",
            flattened_bytes(CHIZHOU_BEFORE, flat.table),
            "task_table",
            "池州市信访局2022年政务公开工作要点",
            2022,
            None,
            date(2022, 3, 18),
            "department",
            flat.expected,
        ),
    ]


# --- 4. a district's task table: 一、 and （一） rows across, item titles, .docx and .xlsx -------


@generator
def jimei_2021() -> list[Fixture]:
    """Imitates 《2021年全区政务公开工作主要任务分解表》 (厦门市集美区人民政府办公室, 2021年6月
    29日): columns 工作任务 | 工作要求 | 牵头单位 | 责任单位; 一、 section rows and （一） group rows
    merged across the table, a short item title in 工作任务, deadlines inside the requirement,
    「区直有关部门，各镇（街）」, and one blank 工作要求 cell."""
    g = Grid(["工作任务", "工作要求", "牵头单位", "责任单位"])
    g.heading("一、紧扣“十四五”开好局，进一步深化政务公开")
    g.group("（一）做好规划信息公开")
    g.row(
        {
            "工作任务": "规划公开",
            "工作要求": "全面公开区“十四五”规划纲要和专项规划，9月底前完成历史规划的归集和公开。",
            "牵头单位": "区发改局",
            "责任单位": "区直有关部门，各镇（街）",
        },
        requirement="全面公开区“十四五”规划纲要和专项规划，9月底前完成历史规划的归集和公开。",
        lead=["区发改局"],
        responsible=["区直有关部门", "各镇（街）"],
        due=date(2021, 9, 30),
        title="规划公开",
    )
    g.row(
        {
            "工作任务": "重大项目公开",
            "工作要求": "按季度公开重大建设项目批准和实施情况。",
            "牵头单位": "区发改局、区建设局",
            "责任单位": "各镇（街）",
        },
        requirement="按季度公开重大建设项目批准和实施情况。",
        lead=["区发改局", "区建设局"],
        responsible=["各镇（街）"],
        title="重大项目公开",
    )
    g.group("（二）做好财政信息公开")
    g.row(
        {
            "工作任务": "预决算公开",
            "工作要求": "",
            "牵头单位": "区财政局",
            "责任单位": "区直各部门",
        },
        requirement="预决算公开",
        lead=["区财政局"],
        responsible=["区直各部门"],
        blank=["工作要求"],
        title="预决算公开",
    )
    g.heading("二、紧扣强基础抓基层，进一步深化政务公开")
    g.group("（三）推进基层政务公开标准化规范化")
    g.row(
        {
            "工作任务": "目录动态调整",
            "工作要求": "对试点领域标准目录开展评估，年底前完成调整。",
            "牵头单位": "区政府办",
            "责任单位": "区直有关部门，各镇（街）",
        },
        requirement="对试点领域标准目录开展评估，年底前完成调整。",
        lead=["区政府办"],
        responsible=["区直有关部门", "各镇（街）"],
        due=date(2021, 12, 31),
        title="目录动态调整",
    )
    before = [
        "厦门市集美区人民政府办公室关于印发2021年全区政务公开工作主要任务分解表的通知",
        "厦集政办〔2021〕37号",
        "各镇、街，各管委会，区直各办、局，各有关单位：",
        "现将《2021年全区政务公开工作主要任务分解表》印发给你们，请认真组织实施。",
        "厦门市集美区人民政府办公室",
        "2021年6月29日",
        "（此件主动公开）",
        "2021年全区政务公开工作主要任务分解表",
    ]
    common = dict(
        kind="task_table",
        title="2021年全区政务公开工作主要任务分解表",
        year=2021,
        doc_no="厦集政办〔2021〕37号",
        issued_on=date(2021, 6, 29),
        level="county",
        rows=g.expected,
    )
    return [
        Fixture(
            name="jimei-2021",
            source="厦门市集美区2021年全区政务公开工作主要任务分解表",
            filename="jimei-2021-task-table.docx",
            data=docx_bytes(before, g.table),
            **common,
        ),
        Fixture(
            name="jimei-2021-xlsx",
            source="厦门市集美区2021年全区政务公开工作主要任务分解表（Excel 版）",
            filename="jimei-2021-task-table.xlsx",
            data=xlsx_bytes(before, g.table),
            **{**common, "doc_no": "厦集政办〔2021〕37号", "issued_on": date(2021, 6, 29)},
        ),
    ]


# --- 5. a department's table with 一、 headings in a merged first column, .xlsx ---------------


@generator
def jiangmen_2022() -> Fixture:
    """Imitates the 政务公开工作任务分解 of a 江门 public institution (a 土地储备 centre): columns
    工作任务 | 具体要求 | 责任部门, the 一、 headings written in the first column and merged down
    over their items, items numbered 「1.」 inside 具体要求, and 「办公室牵头，各科室配合」."""
    g = Grid(["工作任务", "具体要求", "责任部门"])
    g.row(
        {
            "工作任务": "一、做好财政信息公开。",
            "具体要求": "1.按时公开本中心预算、决算及相关说明。",
            "责任部门": "财务科",
        },
        requirement="1.按时公开本中心预算、决算及相关说明。",
        responsible=["财务科"],
        section="一、做好财政信息公开",
    )
    g.row(
        {
            "工作任务": "二、做好网站专栏信息公开。",
            "具体要求": "2.及时更新网站栏目的机构概况信息。",
            "责任部门": "办公室",
        },
        requirement="2.及时更新网站栏目的机构概况信息。",
        responsible=["办公室"],
        section="二、做好网站专栏信息公开",
    )
    g.row(
        {"工作任务": MERGE_UP, "具体要求": "3.及时答复网民留言和意见征集。", "责任部门": "各科室"},
        requirement="3.及时答复网民留言和意见征集。",
        responsible=["各科室"],
    )
    g.row(
        {
            "工作任务": MERGE_UP,
            "具体要求": "4.每月更新微信公众号信息。",
            "责任部门": "办公室牵头，各科室配合",
        },
        requirement="4.每月更新微信公众号信息。",
        lead=["办公室"],
        responsible=["各科室"],
    )
    g.row(
        {
            "工作任务": "三、加强政策发布解读。",
            "具体要求": "5.围绕土地储备政策做好解读，6月底前完成政策问答汇编，年底前上网发布。",
            "责任部门": "各科室",
        },
        requirement="5.围绕土地储备政策做好解读，6月底前完成政策问答汇编，年底前上网发布。",
        responsible=["各科室"],
        due=date(2022, 12, 31),
        milestones=[date(2022, 6, 30)],
        section="三、加强政策发布解读",
    )
    return Fixture(
        "jiangmen-2022",
        "江门市土地储备中心政务公开工作任务分解（工作任务 | 具体要求 | 责任部门）",
        "jiangmen-2022-tasks.xlsx",
        xlsx_bytes(["江门市土地储备中心2022年政务公开工作任务分解表"], g.table),
        "task_table",
        "江门市土地储备中心2022年政务公开工作任务分解表",
        2022,
        None,
        None,
        "department",
        g.expected,
    )


# --- 6. a province's division plan: elided prefixes, .docx ------------------------------------


@generator
def guangdong_2022() -> Fixture:
    """Imitates 《广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案》 (粤府办〔2022〕17号,
    广东省人民政府办公厅, 2022年5月20日): 一、 sections, （一） groups, numbered points ending in
    a role note where later names drop the 「省」 of the first (「省发展改革委、工业和信息化厅、
    商务厅按职责分工负责」)."""
    p = Points(2022)
    p.text(
        "广东省人民政府办公厅关于印发广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案的通知",
        "粤府办〔2022〕17号",
        "各地级以上市人民政府，省政府各部门、各直属机构：",
        "《广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案》已经省人民政府同意，现印发给你们，请认真贯彻执行。",
        "广东省人民政府办公厅",
        "2022年5月20日",
        "广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案",
    )
    p.heading("一、着力助力经济平稳健康发展")
    p.group("（一）做好稳市场主体信息公开")
    p.point(
        "1.",
        "加大惠企政策公开力度",
        "集中公开减税降费、稳岗就业等惠企政策，8月底前在省政府门户网站开设政策专区，年底前实现政策清单全覆盖。",
        "（省发展改革委、工业和信息化厅、商务厅按职责分工负责）",
        responsible=["省发展改革委", "省工业和信息化厅", "省商务厅"],
        due=date(2022, 12, 31),
        milestones=[date(2022, 8, 31)],
    )
    p.point(
        "2.",
        "做好涉企收费信息公开",
        "动态更新涉企收费目录清单并集中公开。",
        "（省发展改革委牵头，省财政厅、市场监管局配合）",
        lead=["省发展改革委"],
        responsible=["省财政厅", "省市场监管局"],
    )
    p.group("（二）做好保民生信息公开")
    p.point(
        "3.",
        "强化就业政策公开",
        "每季度汇编发布重点群体就业扶持政策。",
        "（人力资源社会保障厅负责）",
        lead=["人力资源社会保障厅"],
    )
    p.heading("二、着力提高政策公开质量")
    p.group("（三）加强政策解读")
    p.point(
        "4.",
        "推动解读材料同步发布",
        "省政府文件与解读材料同步审签、同步发布。",
        "（省政府办公厅牵头，省直各有关单位配合）",
        lead=["省政府办公厅"],
        responsible=["省直各有关单位"],
    )
    return Fixture(
        "guangdong-2022",
        "广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案（粤府办〔2022〕17号）",
        "guangdong-2022-division.docx",
        docx_bytes(p.lines, None),
        "key_points",
        "广东省贯彻落实国务院办公厅2022年政务公开工作要点分工方案",
        2022,
        "粤府办〔2022〕17号",
        date(2022, 5, 20),
        "province",
        p.rows,
    )


# --- 7. a provincial department's key points, pasted text in GB18030 --------------------------


@generator
def guizhou_fgw_2021() -> Fixture:
    """Imitates 《贵州省发展和改革委员会2021年政务公开工作要点》 (2021年5月31日): addressed to
    「机关各处室、所属各单位」, 一、 / （一） / 1. levels, role notes naming 处室
    (「（牵头处室：…；配合处室：…）」「（责任处室：…）」「（X负责）」)."""
    p = Points(2021)
    p.text(
        "机关各处室、所属各单位：",
        "《贵州省发展和改革委员会2021年政务公开工作要点》已经委领导审定同意，现印发你们，请按季度报送推进情况。",
        "附件：贵州省发展和改革委员会2021年政务公开工作要点",
        "贵州省发展和改革委员会",
        "2021年5月31日",
        "附件",
        "贵州省发展和改革委员会2021年政务公开工作要点",
        "为贯彻落实国务院和省政府2021年政务公开工作要点，结合委工作实际，制定本要点。",
    )
    p.heading("一、工作目标")
    p.text("修订完善政务公开标准规范清单，动态调整门户网站栏目，提升公众体验。")
    p.heading("二、主要任务")
    p.group("（一）坚持规划引领，紧扣高质量发展深化政务公开")
    p.point(
        "1.",
        "聚焦规划计划推进公开",
        "按要求发布本省“十四五”规划纲要和年度计划执行情况报告，3月底前完成年度计划报告公开。",
        "（责任处室：规划处、综合处）",
        responsible=["规划处", "综合处"],
        due=date(2021, 3, 31),
    )
    p.point(
        "2.",
        "做好重大项目信息公开",
        "每季度更新省重大工程项目库信息。",
        "（牵头处室：重点项目处；配合处室：投资处）",
        lead=["重点项目处"],
        responsible=["投资处"],
    )
    p.group("（二）深化“放管服”改革信息公开")
    p.point(
        "3.",
        "公开权责清单",
        "动态调整委机关权责清单，11月底前完成年度复核。",
        "（法规处负责）",
        lead=["法规处"],
        due=date(2021, 11, 30),
    )
    return Fixture(
        "guizhou-fgw-2021",
        "贵州省发展和改革委员会2021年政务公开工作要点（2021年5月31日）",
        "guizhou-fgw-2021-key-points.txt",
        text_bytes(p.lines, "gb18030"),
        "key_points",
        "贵州省发展和改革委员会2021年政务公开工作要点",
        2021,
        None,
        date(2021, 5, 31),
        "department",
        p.rows,
    )


# --- 8. a province's task table saved as Excel's tab-separated text ---------------------------


@generator
def heilongjiang_2018() -> Fixture:
    """Imitates a provincial 重点任务分工表 for the 2018 全省政务公开工作要点 of 黑龙江
    (黑政办发〔2018〕35号, as cited by the counties that implement it), saved from Excel as
    文本文件(制表符分隔): columns 序号 | 工作任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限,
    一、 and （一） heading rows, an item title per row, a cell of two paragraphs (quoted), names
    that drop the 「省」 of the first, a compound deadline and a blank 完成时限 cell."""
    g = Grid(["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"])
    g.heading("一、推进重点领域信息公开")
    g.group("（一）财政信息公开")
    g.row(
        {
            "序号": "1",
            "工作任务": "预决算公开",
            "具体措施": "省级部门预决算在批复后20日内公开。\n推动部门所属单位预决算公开。",
            "牵头单位": "省财政厅",
            "配合单位": "省直各部门",
            "完成时限": "2018年10月底前编制完成，年底前全部公开",
        },
        requirement="省级部门预决算在批复后20日内公开。\n推动部门所属单位预决算公开。",
        lead=["省财政厅"],
        responsible=["省直各部门"],
        due=date(2018, 12, 31),
        milestones=[date(2018, 10, 31)],
        title="预决算公开",
    )
    g.row(
        {
            "序号": "2",
            "工作任务": "政府债务公开",
            "具体措施": "按季度公开政府债务限额和余额。",
            "牵头单位": "省财政厅",
            "配合单位": "省发展改革委、审计厅",
            "完成时限": "每季度",
        },
        requirement="按季度公开政府债务限额和余额。",
        lead=["省财政厅"],
        responsible=["省发展改革委", "省审计厅"],
        title="政府债务公开",
    )
    g.group("（二）重大建设项目信息公开")
    g.row(
        {
            "序号": "3",
            "工作任务": "项目审批公开",
            "具体措施": "公开重大项目审批、核准、备案结果。",
            "牵头单位": "省发展改革委、自然资源厅、生态环境厅",
            "配合单位": "",
            "完成时限": "长期坚持",
        },
        requirement="公开重大项目审批、核准、备案结果。",
        lead=["省发展改革委", "省自然资源厅", "省生态环境厅"],
        title="项目审批公开",
    )
    g.heading("二、加强政策解读")
    g.group("（三）解读机制")
    g.row(
        {
            "序号": "4",
            "工作任务": "三同步",
            "具体措施": "省政府文件与解读材料同步组织、同步审签、同步部署。",
            "牵头单位": "省政府办公厅",
            "配合单位": "省直各部门",
            "完成时限": "",
        },
        requirement="省政府文件与解读材料同步组织、同步审签、同步部署。",
        lead=["省政府办公厅"],
        responsible=["省直各部门"],
        blank=["完成时限"],
        title="三同步",
    )
    return Fixture(
        "heilongjiang-2018",
        "黑龙江省2018年全省政务公开工作要点重点任务分工（黑政办发〔2018〕35号）",
        "heilongjiang-2018-tasks.txt",
        excel_tsv_bytes(["附件", "2018年全省政务公开工作重点任务分工表"], g.table),
        "task_table",
        "2018年全省政务公开工作重点任务分工表",
        2018,
        None,
        None,
        "province",
        g.expected,
    )


# --- 9. a county's key points, .docx ------------------------------------------------------------


@generator
def suileng_2018() -> Fixture:
    """Imitates 《绥棱县2018年政务公开工作要点实施方案》: 一、工作目标 in prose, 二、工作任务
    with （一） groups 「围绕…，全面推进政务公开」 and numbered points, notes
    「（责任单位：…）」「（牵头单位：…；责任单位：…）」「（X负责，Y、Z配合）」."""
    p = Points(2018)
    p.text(
        "绥棱县人民政府办公室关于印发绥棱县2018年政务公开工作要点实施方案的通知",
        "绥政办发〔2018〕12号",
        "各乡镇人民政府，县政府各有关部门：",
        "现将《绥棱县2018年政务公开工作要点实施方案》印发给你们，请认真贯彻执行。",
        "绥棱县人民政府办公室",
        "2018年5月10日",
        "绥棱县2018年政务公开工作要点实施方案",
    )
    p.heading("一、工作目标")
    p.text("围绕县委县政府重点工作，拓宽公开渠道，加强解读回应，助力营商环境优化。")
    p.heading("二、工作任务")
    p.group("（一）围绕建设法治政府，全面推进政务公开")
    p.point(
        "1.",
        "坚持以公开为常态",
        "县政府全体会议审议通过的政策文件，除依法保密的外在印发后20个工作日内公开。",
        "（责任单位：县政府办公室、县司法局）",
        responsible=["县政府办公室", "县司法局"],
    )
    p.point(
        "2.",
        "推进权责清单公开",
        "6月底前完成县直部门权责清单调整，9月底前在县政府网站集中公开。",
        "（牵头单位：县编办；责任单位：县直各部门）",
        lead=["县编办"],
        responsible=["县直各部门"],
        due=date(2018, 9, 30),
        milestones=[date(2018, 6, 30)],
    )
    p.group("（二）围绕优化营商环境，推进政务公开")
    p.point(
        "3.",
        "公开涉企优惠政策",
        "每半年梳理一次涉企优惠政策并集中公开。",
        "（县发改局负责，县财政局、县税务局配合）",
        lead=["县发改局"],
        responsible=["县财政局", "县税务局"],
    )
    return Fixture(
        "suileng-2018",
        "绥棱县2018年政务公开工作要点实施方案",
        "suileng-2018-plan.docx",
        docx_bytes(p.lines, None),
        "key_points",
        "绥棱县2018年政务公开工作要点实施方案",
        2018,
        "绥政办发〔2018〕12号",
        date(2018, 5, 10),
        "county",
        p.rows,
    )


# --- 10. a city's task division pasted from its web page (tabs, one row a line) ---------------


@generator
def baicheng_2019() -> Fixture:
    """Imitates 《2019年全市政务公开重点工作任务分工》 (白城市人民政府办公室, 2019年5月): columns
    序号 | 重点任务 | 工作内容 | 牵头单位 | 责任单位 | 完成时限, 一、 heading rows, a role phrase
    inside the 牵头单位 cell, copied from the web page into a text file (tabs between cells,
    trailing empty cells dropped)."""
    g = Grid(["序号", "重点任务", "工作内容", "牵头单位", "责任单位", "完成时限"])
    g.heading("一、深化重点领域信息公开")
    g.row(
        {
            "序号": "1",
            "重点任务": "公开减税降费政策",
            "工作内容": "集中公开减税降费政策措施及落实情况。",
            "牵头单位": "市财政局、市税务局",
            "责任单位": "各县（市、区）人民政府",
            "完成时限": "2019年12月底前",
        },
        requirement="集中公开减税降费政策措施及落实情况。",
        lead=["市财政局", "市税务局"],
        responsible=["各县（市、区）人民政府"],
        due=date(2019, 12, 31),
        title="公开减税降费政策",
    )
    g.row(
        {
            "序号": "2",
            "重点任务": "公开“放管服”改革事项",
            "工作内容": "及时公开市级权责清单调整结果。",
            "牵头单位": "市编办",
            "责任单位": "市政府各部门",
            "完成时限": "2019年6月底前完成调整，年底前完成评估",
        },
        requirement="及时公开市级权责清单调整结果。",
        lead=["市编办"],
        responsible=["市政府各部门"],
        due=date(2019, 12, 31),
        milestones=[date(2019, 6, 30)],
        title="公开“放管服”改革事项",
    )
    g.heading("二、加强政策解读回应")
    g.row(
        {
            "序号": "3",
            "重点任务": "政策解读",
            "工作内容": "主要负责同志带头解读重大政策。",
            "牵头单位": "市政府办公室牵头，市政府各部门负责",
            "责任单位": "",
            "完成时限": "长期坚持",
        },
        requirement="主要负责同志带头解读重大政策。",
        lead=["市政府办公室"],
        responsible=["市政府各部门"],
        title="政策解读",
    )
    g.row(
        {
            "序号": "4",
            "重点任务": "回应关切",
            "工作内容": "对涉及本地的重大舆情在24小时内作出回应。",
            "牵头单位": "市政府各部门",
            "责任单位": "",
            "完成时限": "长期坚持",
        },
        requirement="对涉及本地的重大舆情在24小时内作出回应。",
        lead=["市政府各部门"],
        title="回应关切",
    )
    before = [
        "关于印发2019年全市政务公开重点工作任务分工的通知",
        "2019年全市政务公开重点工作任务分工",
    ]
    return Fixture(
        "baicheng-2019",
        "白城市2019年全市政务公开重点工作任务分工（白城市人民政府办公室）",
        "baicheng-2019-web-paste.txt",
        web_paste_bytes(before, g.table),
        "task_table",
        "2019年全市政务公开重点工作任务分工",
        2019,
        None,
        None,
        "city",
        g.expected,
    )


# --- 11. a county's task table as fixed-width text (runs of spaces) ---------------------------


@generator
def zhangwu_2020() -> Fixture:
    """Imitates the 进度安排 of 彰武县's 《全面推进基层政务公开标准化规范化工作实施方案》 (彰武县
    人民政府办公室, 2020年9月): staged deadlines (「2021年3月底前完成编制，2022年底前完成验收」),
    laid out as a table of runs of spaces, as a table retyped into a plain-text e-mail."""
    g = Grid(["序号", "工作任务", "具体要求", "责任单位", "完成时限"])
    g.row(
        {
            "序号": "1",
            "工作任务": "编制标准目录",
            "具体要求": "县乡两级政府编制试点领域基层政务公开标准目录。",
            "责任单位": "县政府办公室",
            "完成时限": "2020年11月底前",
        },
        requirement="县乡两级政府编制试点领域基层政务公开标准目录。",
        responsible=["县政府办公室"],
        due=date(2020, 11, 30),
        title="编制标准目录",
    )
    g.row(
        {
            "序号": "2",
            "工作任务": "建立共性目录",
            "具体要求": "建立全县统一的共性公开事项目录及内容标准。",
            "责任单位": "县政府办公室、县司法局",
            "完成时限": "2020年12月底前",
        },
        requirement="建立全县统一的共性公开事项目录及内容标准。",
        responsible=["县政府办公室", "县司法局"],
        due=date(2020, 12, 31),
        title="建立共性目录",
    )
    g.row(
        {
            "序号": "3",
            "工作任务": "其他领域标准",
            "具体要求": "做好其他领域信息公开标准规范工作。",
            "责任单位": "县直有关部门",
            "完成时限": "2021年3月底前完成编制，2022年底前完成验收",
        },
        requirement="做好其他领域信息公开标准规范工作。",
        responsible=["县直有关部门"],
        due=date(2022, 12, 31),
        milestones=[date(2021, 3, 31)],
        title="其他领域标准",
    )
    before = [
        "彰武县人民政府办公室",
        "2020年9月28日",
        "彰武县基层政务公开标准化规范化工作任务表",
    ]
    return Fixture(
        "zhangwu-2020",
        "彰武县全面推进基层政务公开标准化规范化工作实施方案（2020年）",
        "zhangwu-2020-spaced.txt",
        spaced_bytes(before, g.table),
        "task_table",
        "彰武县基层政务公开标准化规范化工作任务表",
        2020,
        None,
        date(2020, 9, 28),
        "county",
        g.expected,
    )
