"""The search relevance set: a fixed corpus of records of two governments and the queries
citizens type against it (issue 18).

The records imitate the layouts of real municipal documents (title, 文号, addressees, body,
signature, 此件公开发布) but their texts are written for this set. Two kinds:

- TARGETS: hand-written records that the queries below are about (document numbers, the
  typo targets, traditional-character targets, aliases, separators);
- generated records: ``generated_records()`` builds ordinary notices, plans and reports of
  every department from fixed subject lists with a fixed seed, so the set is the same in
  every run and large enough for ranking to matter.

Each query names its government, what a relevant record contains (``expect``: groups of
phrases, every group matched by one of its phrases, in the title, text or publisher names —
or records named by key), optionally the key of the expected first result, and the query
class it belongs to. Typo queries name the query the citizen meant (``meant``): the first
suggestion must be it, and running it finds the relevant records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

GOVERNMENTS = {
    "A": {"name": "济宁市人民政府", "short_name": "济宁市政府", "slug": "jining"},
    "B": {"name": "滕州市人民政府", "short_name": "滕州市政府", "slug": "tengzhou"},
}

# key: (government, name, short name, aliases, document-number issuer codes)
ORGANISATIONS = {
    "a_gov": ("A", None, None, [], ["济政发", "济政字"]),
    "a_office": (
        "A",
        "济宁市人民政府办公室",
        "市政府办公室",
        ["市政府办"],
        ["济政办字", "济政办发"],
    ),
    "a_fgw": ("A", "济宁市发展和改革委员会", "市发展改革委", ["市发改委", "发改委"], ["济发改"]),
    "a_rsj": ("A", "济宁市人力资源和社会保障局", "市人社局", ["人社局"], ["济人社字"]),
    "a_jyj": ("A", "济宁市教育局", "市教育局", [], ["济教发"]),
    "a_czj": ("A", "济宁市财政局", "市财政局", [], ["济财预"]),
    "a_sthj": ("A", "济宁市生态环境局", "市生态环境局", [], ["济环发"]),
    "a_nync": ("A", "济宁市农业农村局", "市农业农村局", [], ["济农字"]),
    "a_wjw": ("A", "济宁市卫生健康委员会", "市卫生健康委", ["卫健委", "市卫健委"], ["济卫发"]),
    "a_scjg": ("A", "济宁市市场监督管理局", "市市场监管局", ["市场监管局"], ["济市监发"]),
    "a_zwfw": ("A", "济宁市行政审批服务局", "市行政审批服务局", ["审批局"], ["济审批发"]),
    "b_gov": ("B", None, None, [], ["滕政发"]),
    "b_office": ("B", "滕州市人民政府办公室", "市政府办公室", [], ["滕政办发", "滕政办字"]),
    "b_fgj": ("B", "滕州市发展和改革局", "市发展改革局", ["发改局"], ["滕发改"]),
    "b_rsj": ("B", "滕州市人力资源和社会保障局", "市人社局", ["人社局"], ["滕人社字"]),
    "b_jtj": ("B", "滕州市教育和体育局", "市教体局", ["教体局"], ["滕教体发"]),
    "b_yjj": ("B", "滕州市应急管理局", "市应急局", ["应急局"], ["滕应急发"]),
    "b_nyj": ("B", "滕州市农业农村局", "市农业农村局", [], ["滕农发"]),
}

ADDRESSEES = {
    "A": (
        "各县（市、区）人民政府，济宁高新区、太白湖新区、济宁经济技术开发区管委会，"
        "市政府各部门，各大企业，各高等院校："
    ),
    "B": "各镇人民政府、街道办事处，市政府各部门，各企事业单位：",
}


@dataclass
class Rec:
    key: str
    publisher: str
    title: str
    published: dt.date
    body: str
    doc_no: str = ""
    genre: str = "notice"
    topic: str = "general"
    validity: str = "in_force"
    # "public" (主动公开, published), "withdrawn", "on_request", "draft", "future"
    state: str = "public"

    @property
    def government(self) -> str:
        return ORGANISATIONS[self.publisher][0]


@dataclass
class Query:
    q: str
    gov: str
    kind: str
    expect: list[list[str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    first: str | None = None
    order: list[str] = field(default_factory=list)  # these keys in this relative order
    meant: str | None = None  # typo queries: the query the citizen meant
    none: bool = False  # nothing public matches


def _notice(gov: str, lead: str, *paragraphs: str, sign: str, day: dt.date) -> str:
    body = [ADDRESSEES[gov], "　　" + lead]
    body += ["　　" + p for p in paragraphs]
    body += [sign, f"{day.year}年{day.month}月{day.day}日", "（此件公开发布）"]
    return "\n".join(body)


D = dt.date

TARGETS: list[Rec] = [
    # --- document numbers ------------------------------------------------------------------
    Rec(
        "dn_2021_118",
        "a_office",
        "济宁市人民政府办公室关于印发济宁市2021年政务公开工作要点的通知",
        D(2021, 4, 20),
        _notice(
            "A",
            "《济宁市2021年政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。",
            "各级各部门要坚持以公开为常态、不公开为例外，围绕稳就业、保市场主体等重点领域"
            "加大信息公开力度，持续推进基层政务公开标准化规范化建设。",
            "要严格落实政策解读与政策文件同步组织、同步审签、同步部署，"
            "运用图解、短视频等形式提高解读质量。",
            sign="济宁市人民政府办公室",
            day=D(2021, 4, 20),
        ),
        doc_no="济政办字〔2021〕118号",
        genre="normative",
    ),
    Rec(
        "dn_2019_118",
        "a_office",
        "济宁市人民政府办公室关于进一步加强政府网站和政务新媒体管理工作的通知",
        D(2019, 6, 11),
        _notice(
            "A",
            "为进一步提升政府网站和政务新媒体规范化管理水平，现就有关事项通知如下。",
            "各单位要落实主办单位责任，建立健全内容发布审核制度，"
            "确保发布信息准确权威，严禁出现“僵尸”“睡眠”账号。",
            sign="济宁市人民政府办公室",
            day=D(2019, 6, 11),
        ),
        doc_no="济政办字〔2019〕118号",
    ),
    Rec(
        "dn_2023_118",
        "a_office",
        "济宁市人民政府办公室关于印发济宁市持续优化营商环境若干措施的通知",
        D(2023, 7, 3),
        _notice(
            "A",
            "《济宁市持续优化营商环境若干措施》已经市政府同意，现印发给你们，请结合实际认真贯彻执行。",
            "聚焦市场主体全生命周期，深化“一网通办”“一次办好”改革，"
            "打造市场化法治化国际化一流营商环境。",
            sign="济宁市人民政府办公室",
            day=D(2023, 7, 3),
        ),
        doc_no="济政办字〔2023〕118号",
        genre="normative",
        topic="economy",
    ),
    Rec(
        "dn_2021_18",
        "a_office",
        "济宁市人民政府办公室关于印发2021年政务公开工作任务分解表的通知",
        D(2021, 2, 8),
        _notice(
            "A",
            "现将《2021年政务公开工作任务分解表》印发给你们，请各牵头部门、责任单位抓好落实。",
            sign="济宁市人民政府办公室",
            day=D(2021, 2, 8),
        ),
        doc_no="济政办字〔2021〕18号",
    ),
    Rec(
        "dn_2020_1234",
        "a_gov",
        "济宁市人民政府关于公布市级行政权力事项清单的决定",
        D(2020, 9, 15),
        _notice(
            "A",
            "为深化“放管服”改革，市政府对市级行政权力事项进行了全面梳理，"
            "现将调整后的清单予以公布。",
            "各部门要按照清单依法履职，不得擅自增加行政权力事项。",
            sign="济宁市人民政府",
            day=D(2020, 9, 15),
        ),
        doc_no="济政发〔2020〕1234号",
        genre="policy",
    ),
    Rec(
        "dn_2020_234",
        "a_office",
        "济宁市人民政府办公室关于做好2020年度秋冬季大气污染防治工作的通知",
        D(2020, 10, 9),
        _notice(
            "A",
            "为切实做好秋冬季大气污染防治工作，持续改善全市环境空气质量，现将有关事项通知如下。",
            "各县（市、区）要严格落实重污染天气应急减排措施，加强扬尘和移动源污染管控。",
            sign="济宁市人民政府办公室",
            day=D(2020, 10, 9),
        ),
        doc_no="济政办字〔2020〕234号",
        topic="urban",
    ),
    Rec(
        "dn_b_2021_118",
        "b_office",
        "滕州市人民政府办公室关于印发滕州市2021年政务公开工作实施方案的通知",
        D(2021, 5, 6),
        _notice(
            "B",
            "《滕州市2021年政务公开工作实施方案》已经市政府同意，现印发给你们，请认真组织实施。",
            "各镇街要建好用好政务公开专区，推动基层政务公开向村（居）延伸。",
            sign="滕州市人民政府办公室",
            day=D(2021, 5, 6),
        ),
        doc_no="滕政办发〔2021〕118号",
    ),
    Rec(
        "dn_b_2024_118",
        "b_office",
        "滕州市人民政府办公室关于加强城乡居民基本医疗保险征缴工作的通知",
        D(2024, 9, 2),
        _notice(
            "B",
            "为做好2025年度城乡居民基本医疗保险征缴工作，现就有关事项通知如下。",
            sign="滕州市人民政府办公室",
            day=D(2024, 9, 2),
        ),
        doc_no="滕政办发〔2024〕118号",
        topic="health",
    ),
    # --- 营商环境 (typo target) -----------------------------------------------------------
    Rec(
        "ys_fgw_2024",
        "a_fgw",
        "济宁市发展和改革委员会关于2024年优化营商环境工作情况的报告",
        D(2024, 12, 20),
        "2024年，市发改委牵头推进营商环境创新提升行动，全市新增市场主体4.2万户，"
        "企业开办实现一日办结。下一步将继续深化营商环境评价结果运用。",
        genre="report",
        topic="economy",
    ),
    Rec(
        "ys_zwfw_2022",
        "a_zwfw",
        "济宁市行政审批服务局关于推行“一件事一次办”打造最优营商环境的实施意见",
        D(2022, 3, 14),
        "为进一步优化营商环境，推动政务服务从“能办”向“好办”转变，制定本实施意见。"
        "到2022年底，实现企业和群众高频事项“一件事一次办”全覆盖。",
        doc_no="济审批发〔2022〕9号",
        genre="normative",
        topic="economy",
    ),
    Rec(
        "ys_b_2023",
        "b_fgj",
        "滕州市优化营商环境三年行动计划（2023—2025年）",
        D(2023, 2, 27),
        "为持续优化营商环境，激发市场主体活力，结合我市实际，制定本行动计划。"
        "到2025年，全市营商环境主要指标进入全省前列。",
        genre="plan",
        topic="economy",
    ),
    # --- 依申请公开 / 政策解读 (typo and separator targets) ---------------------------------
    Rec(
        "ysq_guide",
        "a_office",
        "济宁市人民政府办公室政府信息公开指南",
        D(2024, 1, 10),
        "一、主动公开\n市政府办公室主动公开的政府信息可通过济宁市人民政府门户网站查询。\n"
        "二、依申请公开\n公民、法人或者其他组织可以通过在线平台、信函、当面等方式提出"
        "依申请公开申请。行政机关收到申请后，能够当场答复的当场答复；不能当场答复的，"
        "自收到申请之日起20个工作日内予以答复。\n三、政策解读\n市政府重要政策文件发布时同步发布政策解读。",
        genre="guide",
    ),
    Rec(
        "ysq_report_2023",
        "a_office",
        "济宁市人民政府办公室2023年政府信息公开工作年度报告",
        D(2024, 1, 25),
        "本报告依据《中华人民共和国政府信息公开条例》编制。2023年，本机关共收到依申请公开"
        "申请86件，均在法定期限内答复；全年发布政策解读材料42篇，"
        "因政府信息公开工作被申请行政复议3件。",
        genre="annual_report",
    ),
    Rec(
        "ysq_b_guide",
        "b_office",
        "滕州市人民政府办公室政府信息公开指南（2024年修订）",
        D(2024, 3, 5),
        "申请人可以通过滕州市人民政府门户网站“依申请公开”栏目在线提交申请，也可以到"
        "市政府办公室政务公开科当面提交。本机关对依申请公开的政府信息不收取费用。",
        genre="guide",
    ),
    Rec(
        "zcjd_interp",
        "a_rsj",
        "《济宁市就业创业补贴资金管理办法》政策解读",
        D(2023, 5, 18),
        "一、出台背景\n为规范就业创业补贴资金管理，提高资金使用效益，市人社局会同市财政局制定了"
        "《办法》。\n二、主要内容\n明确了一次性创业补贴、创业担保贷款贴息等补贴的申领条件。"
        "三、依申请公开\n申请人可依申请公开补贴发放情况。",
        genre="policy",
        topic="labour",
    ),
    # --- 疫情 / 防控 (separator target) ---------------------------------------------------
    Rec(
        "yq_wjw_2022",
        "a_wjw",
        "济宁市卫生健康委员会关于进一步做好秋冬季疫情防控工作的通知",
        D(2022, 10, 20),
        "各县（市、区）卫生健康局：\n　　当前秋冬季疫情防控形势依然复杂严峻，"
        "各地要严格落实预检分诊制度，加强发热门诊管理，做好重点人群防控。",
        topic="health",
    ),
    Rec(
        "yq_b_2021",
        "b_yjj",
        "滕州市应急管理局关于落实疫情常态化防控措施做好安全生产工作的通知",
        D(2021, 1, 8),
        "各镇街、各企业：\n　　在疫情常态化防控期间，各企业要统筹做好防控和安全生产工作，"
        "严禁带病组织生产。",
        topic="market",
    ),
    Rec(
        "yq_jyj_2020",
        "a_jyj",
        "济宁市教育局关于做好春季学期开学疫情防控工作的通知",
        D(2020, 4, 10),
        "各县（市、区）教育和体育局：\n　　为确保春季学期安全有序开学，现就做好疫情防控有关工作通知如下。",
        topic="education",
    ),
    # --- 乡村振兴 (extra-word target: no record says 乡村振兴战略) ---------------------------
    Rec(
        "xc_nync_2023",
        "a_nync",
        "济宁市农业农村局关于印发2023年全面推进乡村振兴重点工作任务的通知",
        D(2023, 3, 21),
        "各县（市、区）农业农村局：\n　　现将《2023年全面推进乡村振兴重点工作任务》印发给你们，"
        "请抓好落实。要扎实推进乡村发展、乡村建设、乡村治理等重点工作。",
        topic="agriculture",
    ),
    Rec(
        "xc_rsj_2022",
        "a_rsj",
        "关于实施乡村振兴人才支持计划的通知",
        D(2022, 6, 7),
        "为引导各类人才投身乡村振兴，市人社局、市农业农村局决定实施乡村振兴人才支持计划，"
        "每年选派100名专业技术人才到基层服务。",
        doc_no="济人社字〔2022〕56号",
        topic="labour",
    ),
    Rec(
        "xc_b_2024",
        "b_nyj",
        "滕州市2024年乡村振兴示范片区建设方案",
        D(2024, 4, 16),
        "按照全市乡村振兴工作部署，2024年在西岗镇、界河镇建设乡村振兴示范片区，"
        "统筹推进产业、人才、文化、生态、组织振兴。",
        genre="plan",
        topic="agriculture",
    ),
    # --- 行政复议 (homophone typo target) -------------------------------------------------
    Rec(
        "fy_gov_2024",
        "a_gov",
        "济宁市人民政府行政复议决定书（济政复决字〔2024〕31号）",
        D(2024, 8, 30),
        "申请人不服被申请人作出的政府信息公开答复，向本机关申请行政复议，本机关依法已予受理。"
        "经审理，维持被申请人作出的答复。",
        doc_no="济政复决字〔2024〕31号",
        genre="other",
        topic="public_security",
    ),
    Rec(
        "fy_guide_2022",
        "a_gov",
        "济宁市行政复议体制改革实施方案",
        D(2022, 1, 12),
        "按照上级部署，市政府统一行使行政复议职责，整合行政复议资源，"
        "设立行政复议服务窗口，方便群众就近申请。",
        genre="policy",
        topic="public_security",
    ),
    # --- 财政预决算 (homophone typo target) -----------------------------------------------
    Rec(
        "cz_2023",
        "a_czj",
        "济宁市2023年市级财政预决算公开情况说明",
        D(2023, 9, 1),
        "按照预算法和财政预决算公开有关规定，市财政局组织市级部门公开2022年部门决算和2023年部门预算，"
        "公开率100%。",
        genre="budget",
        topic="finance",
    ),
    # --- aliases ----------------------------------------------------------------------------
    Rec(
        "al_fgw_price",
        "a_fgw",
        "关于调整市区居民生活用水价格的通知",
        D(2024, 5, 8),
        "经市政府同意，现将市区居民生活用水价格调整事项通知如下：居民生活用水实行阶梯水价。",
        doc_no="济发改〔2024〕43号",
        topic="economy",
    ),
    Rec(
        "al_text_fgw",
        "a_office",
        "济宁市人民政府办公室关于做好2024年重点项目建设工作的通知",
        D(2024, 2, 19),
        _notice(
            "A",
            "为加快推进全市重点项目建设，现将有关事项通知如下。",
            "由市发改委牵头建立重点项目调度机制，每月通报项目进展。",
            sign="济宁市人民政府办公室",
            day=D(2024, 2, 19),
        ),
        doc_no="济政办发〔2024〕5号",
        topic="economy",
    ),
    Rec(
        "al_text_fgw_full",
        "a_czj",
        "济宁市财政局关于下达2023年中央预算内投资计划的通知",
        D(2023, 6, 30),
        "根据济宁市发展和改革委员会下达的投资计划，现将2023年中央预算内投资资金下达给你们，"
        "请严格按照规定用途使用。",
        genre="budget",
        topic="finance",
    ),
    Rec(
        "al_rsj_ss",
        "a_rsj",
        "关于2024年度企业职工基本养老保险缴费基数的通知",
        D(2024, 7, 1),
        "各用人单位：\n　　现将2024年度企业职工基本养老保险缴费基数上下限公布如下，"
        "请各单位按时足额申报缴纳。",
        doc_no="济人社字〔2024〕21号",
        topic="labour",
    ),
    Rec(
        "al_text_rsj",
        "a_jyj",
        "济宁市教育局关于公开招聘中小学教师的公告",
        D(2024, 4, 2),
        "经市人力资源和社会保障局同意，市教育局面向社会公开招聘中小学教师120名。",
        genre="personnel",
        topic="education",
    ),
    Rec(
        "al_b_rsj",
        "b_rsj",
        "滕州市人力资源和社会保障局关于开展2024年根治欠薪冬季专项行动的通知",
        D(2024, 11, 15),
        "各镇街人社所：\n　　为切实保障农民工工资支付，市人社局决定开展根治欠薪冬季专项行动。",
        topic="labour",
    ),
    # --- traditional-character and HK/TW spelling targets -----------------------------------
    Rec(
        "tw_taibao",
        "a_office",
        "济宁市关于促进台胞台企融合发展的若干措施",
        D(2023, 11, 6),
        "为深化鲁台经贸文化交流合作，支持台湾同胞来济投资兴业，制定以下措施。"
        "台胞台企在我市投资享受与本地企业同等待遇。",
        genre="policy",
        topic="commerce",
    ),
    Rec(
        "tw_xinli",
        "a_office",
        "把好事实事办到群众心里——济宁市2024年民生实事办理情况",
        D(2024, 12, 30),
        "2024年，全市20项民生实事全部完成，一件件实事办到了群众心里。"
        "城区新增停车泊位1.2万个，新改建城市道路45公里。",
        genre="report",
    ),
    Rec(
        "tw_xianshang",
        "a_zwfw",
        "济宁市企业开办全流程线上办理操作指引",
        D(2022, 8, 8),
        "申请人登录山东省政务服务网，即可全流程线上办理企业设立登记、印章刻制、"
        "发票申领和社保登记。",
        genre="guide",
        topic="economy",
    ),
    Rec(
        "tw_xxgk_b",
        "b_office",
        "滕州市2023年政府信息公开工作年度报告",
        D(2024, 1, 30),
        "2023年，全市各级行政机关主动公开政府信息1.3万条，受理依申请公开申请152件。"
        "本报告电子版可在滕州市人民政府门户网站下载。",
        genre="annual_report",
    ),
    # --- ordinary targets -------------------------------------------------------------------
    Rec(
        "or_slfh",
        "a_gov",
        "济宁市人民政府关于做好2024年森林防火工作的通告",
        D(2024, 2, 1),
        "为切实做好森林防火工作，保护森林资源和人民群众生命财产安全，特通告如下："
        "森林防火期内，严禁在林区野外吸烟、烧纸、燃放烟花爆竹。",
        doc_no="济政字〔2024〕3号",
        topic="agriculture",
    ),
    Rec(
        "or_gkzn_b",
        "b_office",
        "滕州市政府开放日活动公告",
        D(2024, 5, 10),
        "为增进公众对政府工作的了解，市政府办公室定于5月15日举办“政府开放日”活动，"
        "欢迎市民报名参加。",
    ),
    Rec(
        "or_gb_2024",
        "a_office",
        "济宁市人民政府公报2024年第6期",
        D(2024, 6, 28),
        "本期公报刊登市政府规章1件、行政规范性文件5件及政策解读材料。",
        genre="other",
    ),
    Rec(
        "or_12345",
        "a_office",
        "济宁市12345政务服务便民热线工作规范",
        D(2022, 12, 5),
        "12345热线实行7×24小时人工服务，对群众诉求实行“接诉即办”，一般诉求3个工作日内办结。",
        genre="normative",
    ),
    Rec(
        "or_repealed",
        "a_office",
        "济宁市人民政府办公室关于印发济宁市城市道路挖掘管理办法的通知",
        D(2016, 3, 2),
        _notice(
            "A",
            "《济宁市城市道路挖掘管理办法》已经市政府同意，现印发给你们，请遵照执行。",
            sign="济宁市人民政府办公室",
            day=D(2016, 3, 2),
        ),
        doc_no="济政办发〔2016〕11号",
        genre="normative",
        topic="urban",
        validity="repealed",
    ),
    # --- not public: their words must never surface -----------------------------------------
    Rec(
        "np_withdrawn",
        "a_fgw",
        "关于调整城区出租汽车运价的通知（已撤回）",
        D(2024, 3, 1),
        "经研究，城区出租汽车起步价调整为8元，燃油附加费取消。",
        doc_no="济发改〔2024〕19号",
        state="withdrawn",
    ),
    Rec(
        "np_on_request",
        "a_czj",
        "关于拨付专项债券偿债备付金的函",
        D(2024, 4, 1),
        "请于月底前拨付专项债券偿债备付金，确保按期还本付息。",
        state="on_request",
    ),
    Rec(
        "np_draft",
        "a_office",
        "关于筹办国际孔子文化节组委会会议的方案（草稿）",
        D(2024, 8, 1),
        "组委会会议拟于九月上旬召开，请各成员单位做好准备。",
        state="draft",
    ),
    Rec(
        "np_future",
        "a_office",
        "济宁市人民政府关于第二批历史文化街区名录的公告",
        D(2099, 1, 1),
        "现公布第二批历史文化街区名录，共计六处街区。",
        state="future",
    ),
]

# --- generated records --------------------------------------------------------------------------

# (subject, genre, topic, a sentence of the body) per department kind; the subjects avoid the
# words of the typo, alias and traditional-character targets, so that those targets are known.
SUBJECTS = {
    "office": [
        (
            "印发{y}年全市重点民生实事",
            "plan",
            "general",
            "全年安排民生实事20项，逐项明确责任单位和完成时限。",
        ),
        (
            "做好{y}年度行政规范性文件清理工作",
            "notice",
            "general",
            "对不符合上位法规定的行政规范性文件，及时修改或者废止。",
        ),
        (
            "做好{y}年度统计执法检查工作",
            "notice",
            "economy",
            "重点检查统计数据弄虚作假等违法行为。",
        ),
        (
            "做好{y}年度防汛抗旱工作",
            "notice",
            "agriculture",
            "各地要落实防汛责任制，汛前完成河道清障和隐患排查。",
        ),
        (
            "印发{y}年全市安全生产工作要点",
            "plan",
            "market",
            "坚持人民至上、生命至上，深入开展安全生产治本攻坚行动。",
        ),
        (
            "加强政务公开标准化规范化建设",
            "normative",
            "general",
            "各单位要对照标准目录，逐项明确公开内容、公开时限和公开渠道。",
        ),
        (
            "开展{y}年度政府网站和政务新媒体检查",
            "notice",
            "general",
            "检查结果将在政府门户网站通报，并纳入年度考核。",
        ),
        (
            "印发全市城市更新行动实施方案",
            "plan",
            "urban",
            "有序推进老旧小区改造、城中村改造和背街小巷整治。",
        ),
        (
            "做好{y}年元旦春节期间有关工作",
            "notice",
            "general",
            "各地要做好困难群众走访慰问和节日市场保供稳价。",
        ),
        (
            "加快推进新型城镇化建设",
            "policy",
            "urban",
            "推进以人为核心的新型城镇化，提高农业转移人口市民化质量。",
        ),
        (
            "建立重大行政决策公众参与制度",
            "normative",
            "general",
            "重大行政决策事项应当向社会公开征求意见，期限一般不少于30日。",
        ),
        (
            "开展公共资源交易领域专项整治",
            "notice",
            "market",
            "严厉打击围标串标、弄虚作假等违法违规行为。",
        ),
        (
            "印发黄河流域生态保护和高质量发展实施方案",
            "plan",
            "urban",
            "坚持生态优先、绿色发展，推动黄河流域高质量发展。",
        ),
    ],
    "fgw": [
        ("下达{y}年市级重点项目计划", "plan", "economy", "本批重点项目共计120个，总投资860亿元。"),
        (
            "做好{y}年粮食价格监测工作",
            "notice",
            "economy",
            "各监测点要按周报送粮油价格，及时反映异常波动。",
        ),
        (
            "公布{y}年度节能目标责任评价考核结果",
            "notice",
            "land",
            "考核结果作为对各县（市、区）综合考核的重要依据。",
        ),
        (
            "推进新旧动能转换重大工程",
            "policy",
            "economy",
            "聚焦高端装备、新能源新材料等产业，培育新的增长点。",
        ),
    ],
    "rsj": [
        ("开展{y}年度职称评审工作", "notice", "labour", "评审工作坚持以品德、能力、业绩为导向。"),
        (
            "做好{y}年高校毕业生就业创业工作",
            "notice",
            "labour",
            "开展“百日千万”招聘专项行动，提供就业岗位2万个。",
        ),
        (
            "公布{y}年度技能人才评价机构名单",
            "notice",
            "labour",
            "经审核，现将符合条件的职业技能等级认定机构名单予以公布。",
        ),
        ("调整最低工资标准", "policy", "labour", "全市最低工资标准调整为月最低工资2100元。"),
    ],
    "jyj": [
        ("公布{y}年度市级文明校园名单", "notice", "education", "经评选，共认定市级文明校园58所。"),
        (
            "做好{y}年义务教育招生入学工作",
            "notice",
            "education",
            "严格落实免试就近入学，规范民办义务教育学校招生。",
        ),
        (
            "公布{y}年度市级优秀教学成果奖",
            "notice",
            "education",
            "经评审，共评出市级优秀教学成果奖86项。",
        ),
        (
            "加强中小学生课后服务工作",
            "normative",
            "education",
            "课后服务结束时间原则上不早于当地正常下班时间。",
        ),
    ],
    "czj": [
        (
            "{y}年市级部门预算公开",
            "budget",
            "finance",
            "市级部门预算按照功能分类和经济分类分别公开到项级科目。",
        ),
        (
            "下达{y}年衔接推进专项资金",
            "budget",
            "finance",
            "请各地严格按照资金管理办法使用专项资金，不得挤占挪用。",
        ),
        (
            "做好{y}年政府采购意向公开工作",
            "notice",
            "finance",
            "采购意向应当在采购活动开始前30日公开。",
        ),
    ],
    "sthj": [
        (
            "做好{y}年度排污许可证执行报告提交工作",
            "notice",
            "urban",
            "排污单位应当按时在全国排污许可证管理信息平台提交执行报告。",
        ),
        (
            "{y}年第三季度全市环境空气质量状况",
            "statistics",
            "urban",
            "全市细颗粒物平均浓度同比下降6.2%。",
        ),
        (
            "开展{y}年度入河排污口排查整治",
            "notice",
            "urban",
            "对排查发现的问题实行清单化管理，逐一整改销号。",
        ),
        ("公布{y}年重点排污单位名录", "notice", "urban", "名录内单位应当依法公开污染物排放信息。"),
    ],
    "nync": [
        (
            "开展{y}年农村人居环境整治提升行动",
            "notice",
            "agriculture",
            "重点推进农村厕所革命、生活垃圾和污水治理。",
        ),
        (
            "做好{y}年小麦“一喷三防”工作",
            "notice",
            "agriculture",
            "各地要抓住关键时期，开展统防统治。",
        ),
        (
            "公布{y}年市级农业产业化龙头企业名单",
            "notice",
            "agriculture",
            "经企业申报、县级推荐、专家评审，认定市级龙头企业32家。",
        ),
        (
            "加强高标准农田建设管护",
            "normative",
            "agriculture",
            "建立健全高标准农田管护责任制度，确保长久发挥效益。",
        ),
    ],
    "wjw": [
        (
            "开展{y}年“服务百姓健康行动”义诊活动周",
            "notice",
            "health",
            "组织二级以上医院专家深入基层开展义诊。",
        ),
        (
            "做好{y}年冬春季传染病防治工作",
            "notice",
            "health",
            "重点做好流感、诺如病毒感染等传染病防治。",
        ),
        (
            "公布{y}年度基本公共卫生服务项目绩效评价结果",
            "notice",
            "health",
            "评价结果与项目资金分配挂钩。",
        ),
    ],
    "scjg": [
        (
            "开展{y}年度特种设备安全隐患排查",
            "notice",
            "market",
            "对电梯、锅炉、压力容器等特种设备开展全面排查。",
        ),
        ("开展{y}年食品安全抽检监测", "notice", "market", "全年计划完成食品安全抽检1.5万批次。"),
        (
            "公布{y}年第二批产品质量监督抽查结果",
            "notice",
            "market",
            "对抽查不合格的企业依法进行处理。",
        ),
        (
            "开展“双随机、一公开”联合抽查",
            "notice",
            "market",
            "抽查结果通过国家企业信用信息公示系统向社会公示。",
        ),
    ],
    "zwfw": [
        ("公布{y}年政务服务事项目录", "notice", "general", "本目录共收录政务服务事项1386项。"),
        (
            "推进政务服务“跨省通办”",
            "normative",
            "general",
            "与京津冀、长三角等地区开展政务服务跨省通办合作。",
        ),
    ],
    "jtj": [
        ("做好{y}年普通高中招生工作", "notice", "education", "普通高中招生实行网上志愿填报。"),
        (
            "做好{y}年全民健身运动会组织工作",
            "notice",
            "health",
            "运动会设足球、篮球、乒乓球等12个大项。",
        ),
        (
            "公布{y}年度中小学校责任督学名单",
            "notice",
            "education",
            "责任督学每月到校督导不少于1次。",
        ),
    ],
    "yjj": [
        (
            "开展{y}年度危险化学品安全专项检查",
            "notice",
            "market",
            "重点检查重大危险源企业安全风险分级管控情况。",
        ),
        (
            "开展{y}年度安全生产月活动",
            "notice",
            "market",
            "围绕“人人讲安全、个个会应急”主题开展宣传咨询日活动。",
        ),
        ("做好{y}年汛期地质灾害防范应对工作", "notice", "land", "对地质灾害隐患点实行群测群防。"),
        (
            "印发生产安全事故应急预案",
            "plan",
            "market",
            "预案适用于本市行政区域内发生的生产安全事故应对工作。",
        ),
    ],
    "fgj": [
        ("做好{y}年度重要民生商品价格监测", "notice", "economy", "重点监测粮油肉蛋菜等价格变化。"),
        ("下达{y}年市级重点项目计划", "plan", "economy", "本批重点项目共计46个，总投资210亿元。"),
        (
            "开展{y}年度价格监督检查",
            "notice",
            "economy",
            "重点检查教育、医疗、物业等民生领域收费行为。",
        ),
    ],
    "nyj": [
        ("做好{y}年秋种工作", "notice", "agriculture", "推广小麦宽幅精播技术，确保适期播种。"),
        (
            "公布{y}年农机购置补贴机具投档情况",
            "notice",
            "agriculture",
            "补贴资金按照先购后补、县级结算的方式兑付。",
        ),
    ],
}

YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025]


def _org_kind(key: str) -> str:
    return key.split("_", 1)[1]


def generated_records() -> list[Rec]:
    """Ordinary records of every department of both governments, the same in every run."""
    rng = random.Random(18)
    records: list[Rec] = []
    serials: dict[tuple[str, int], int] = {}
    for key, (gov, name, _short, _aliases, codes) in ORGANISATIONS.items():
        kind = _org_kind(key)
        if kind not in SUBJECTS:
            continue
        years = YEARS if gov == "A" else YEARS[2:]
        for subject, genre, topic, sentence in SUBJECTS[kind]:
            count = (5 if gov == "A" else 4) if "{y}" in subject else 1
            for year in rng.sample(years, count):
                day = D(year, rng.randint(1, 12), rng.randint(1, 28))
                title = f"{name}关于{subject.format(y=year)}的通知"
                if genre in ("budget", "statistics"):
                    title = f"{name}{subject.format(y=year)}"
                code = codes[0]
                serial = serials[(code, year)] = serials.get((code, year), 300) + rng.randint(1, 9)
                doc_no = f"{code}〔{year}〕{serial}号" if genre != "statistics" else ""
                body = _notice(
                    gov,
                    f"为{subject.format(y=year)}，现将有关事项通知如下。",
                    sentence,
                    "请各单位结合实际抓好落实，工作中遇到的问题及时报告。",
                    sign=name,
                    day=day,
                )
                records.append(
                    Rec(
                        f"g_{key}_{len(records)}",
                        key,
                        title,
                        day,
                        body,
                        doc_no=doc_no,
                        genre=genre,
                        topic=topic,
                        validity="in_force"
                        if year >= 2021
                        else rng.choice(["in_force", "expired"]),
                    )
                )
    return records


def all_records() -> list[Rec]:
    return TARGETS + generated_records()


# --- queries ------------------------------------------------------------------------------------

Q = Query
QUERIES: list[Query] = [
    # ordinary
    Q("政务公开", "A", "ordinary", [["政务公开"]]),
    Q("营商环境", "A", "ordinary", [["营商环境"]]),
    Q("森林防火", "A", "ordinary", [["森林防火"]], first="or_slfh"),
    Q("依申请公开", "A", "ordinary", [["依申请公开"]]),
    Q("政策解读", "A", "ordinary", [["政策解读"]]),
    Q("乡村振兴", "B", "ordinary", [["乡村振兴"]], first="xc_b_2024"),
    Q("年度报告", "B", "ordinary", [["年度报告"]], first="tw_xxgk_b"),
    Q("政府开放日", "B", "ordinary", [["政府开放日"]], first="or_gkzn_b"),
    Q("12345热线", "A", "ordinary", [["12345热线"]], first="or_12345"),
    Q("城市道路挖掘", "A", "ordinary", [["城市道路挖掘"]], first="or_repealed"),
    Q("安全生产", "B", "ordinary", [["安全生产"]]),
    Q("专项资金", "A", "ordinary", [["专项资金"]]),
    Q("高标准农田", "A", "ordinary", [["高标准农田"]]),
    Q("公报", "A", "ordinary", [["公报"]], first="or_gb_2024"),
    Q("出租汽车运价", "A", "ordinary", none=True),
    Q("偿债备付金", "A", "ordinary", none=True),
    Q("孔子文化节", "A", "ordinary", none=True),
    Q("历史文化街区", "A", "ordinary", none=True),
    Q("森林防火", "B", "ordinary", none=True),
    # traditional characters and HK/TW spellings
    Q("公開", "A", "traditional", [["公开"]]),
    Q("政務公開", "A", "traditional", [["政务公开"]]),
    Q("濟政辦字〔2021〕118號", "A", "traditional", keys=["dn_2021_118"], first="dn_2021_118"),
    Q("營商環境", "A", "traditional", [["营商环境"]]),
    Q("依申請公開", "B", "traditional", [["依申请公开"]]),
    Q("鄉村振興", "A", "traditional", [["乡村振兴"]]),
    Q("臺胞臺企", "A", "traditional", keys=["tw_taibao"], first="tw_taibao"),
    Q("臺灣同胞", "A", "traditional", keys=["tw_taibao"], first="tw_taibao"),
    Q("群眾心裡", "A", "traditional", keys=["tw_xinli"], first="tw_xinli"),
    Q("群眾心裏", "A", "traditional", keys=["tw_xinli"], first="tw_xinli"),
    Q("政府資訊公開", "B", "traditional", [["政府信息公开"]]),
    Q("綫上辦理", "A", "traditional", keys=["tw_xianshang"], first="tw_xianshang"),
    Q("財政預決算", "A", "traditional", [["财政预决算"]], first="cz_2023"),
    # typos: suggest the meant query
    Q("营商环竟", "A", "typo", [["营商环境"]], meant="营商环境"),
    Q("依申情公开", "A", "typo", [["依申请公开"]], meant="依申请公开"),
    Q("商营环境", "A", "typo", [["营商环境"]], meant="营商环境"),
    Q("乡村振兴战略", "A", "typo", [["乡村振兴"]], meant="乡村振兴"),
    Q("行政复意", "A", "typo", [["行政复议"]], meant="行政复议"),
    Q("财政预绝算", "A", "typo", [["财政预决算"]], meant="财政预决算"),
    Q("森林防伙", "A", "typo", [["森林防火"]], meant="森林防火"),
    # separators
    Q("依申请公开、政策解读", "A", "separator", [["依申请公开"], ["政策解读"]]),
    Q("疫情；防控", "A", "separator", [["疫情"], ["防控"]]),
    Q("疫情；防控", "B", "separator", [["疫情"], ["防控"]], first="yq_b_2021"),
    Q("营商环境，一网通办", "A", "separator", [["营商环境"], ["一网通办"]]),
    Q("乡村振兴：人才", "A", "separator", [["乡村振兴"], ["人才"]], first="xc_rsj_2022"),
    Q("政务公开。基层", "A", "separator", [["政务公开"], ["基层"]]),
    Q("年度报告！依申请公开？", "B", "separator", [["年度报告"], ["依申请公开"]]),
    Q("政务·公开", "A", "separator", [["政务"], ["公开"]]),
    Q("生产安全事故/应急预案", "B", "separator", [["生产安全事故"], ["应急预案"]]),
    Q("防汛|抗旱", "A", "separator", [["防汛"], ["抗旱"]]),
    Q("森林防火　通告", "A", "separator", [["森林防火"], ["通告"]], first="or_slfh"),
    # document numbers
    Q("济政办字〔2021〕118号", "A", "doc_no", keys=["dn_2021_118"], first="dn_2021_118"),
    Q("济政办字2021118号", "A", "doc_no", keys=["dn_2021_118"], first="dn_2021_118"),
    Q("济政办字[2021]118号", "A", "doc_no", keys=["dn_2021_118"], first="dn_2021_118"),
    Q("济政办字（2021）第118号", "A", "doc_no", keys=["dn_2021_118"], first="dn_2021_118"),
    Q(
        "济政办字第118号",
        "A",
        "doc_no",
        keys=["dn_2023_118", "dn_2021_118", "dn_2019_118"],
        first="dn_2023_118",
        order=["dn_2023_118", "dn_2021_118", "dn_2019_118"],
    ),
    Q(
        "济政办字118号",
        "A",
        "doc_no",
        keys=["dn_2023_118", "dn_2021_118", "dn_2019_118"],
        first="dn_2023_118",
        order=["dn_2023_118", "dn_2021_118", "dn_2019_118"],
    ),
    Q(
        "滕政办发第118号",
        "B",
        "doc_no",
        keys=["dn_b_2024_118", "dn_b_2021_118"],
        first="dn_b_2024_118",
        order=["dn_b_2024_118", "dn_b_2021_118"],
    ),
    Q("234号", "A", "doc_no", keys=["dn_2020_234", "dn_2020_1234"]),
    Q("020〕1234", "A", "doc_no", keys=["dn_2020_1234"], first="dn_2020_1234"),
    Q("济政发2020年1234号", "A", "doc_no", keys=["dn_2020_1234"], first="dn_2020_1234"),
    Q("济人社字〔2024〕21号", "A", "doc_no", keys=["al_rsj_ss"], first="al_rsj_ss"),
    # abbreviations and full names (organisation aliases)
    Q("发改委", "A", "alias", [["发改委", "发展和改革委员会", "发展改革委"]]),
    Q("发展和改革委员会", "A", "alias", [["发改委", "发展和改革委员会", "发展改革委"]]),
    Q("人社局", "A", "alias", [["人社局", "人力资源和社会保障局"]]),
    Q("人力资源和社会保障局", "A", "alias", [["人社局", "人力资源和社会保障局"]]),
    Q("人社局", "B", "alias", [["人社局", "人力资源和社会保障局"]]),
    Q("发改委 水价", "A", "alias", keys=["al_fgw_price"], first="al_fgw_price"),
    Q("卫健委 疫情防控", "A", "alias", keys=["yq_wjw_2022"], first="yq_wjw_2022"),
]
