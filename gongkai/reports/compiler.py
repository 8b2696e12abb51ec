"""Compile a report: the tables from reports.counters, the text sections drafted from data for
the officer to edit, and the checks. Reads; never writes (writing is reports.actions)."""

from __future__ import annotations

from gongkai.reports import checks as checks_mod
from gongkai.reports import counters, layout
from gongkai.reports.checks import PLACEHOLDER
from gongkai.reports.models import SCOPE_STATEMENTS


def target_for(organisation, scope: str) -> counters.Target:
    if scope == "summary":
        return counters.Target.summary(organisation)
    if scope == "region":
        return counters.Target.summary(organisation, region=True)
    return counters.Target.of(organisation)


def compile_tables(organisation, year: int, scope: str = "own") -> dict:
    return counters.all_tables(target_for(organisation, scope), year)


def _n(value) -> str:
    return str(int(value or 0))


def draft_sections(organisation, year: int, scope: str, tables: dict) -> dict[str, str]:
    """Text sections drafted from the data; 【请补充…】 marks what only the officer can write
    (the checks block publication until it is filled in)."""
    target = target_for(organisation, scope)
    who = organisation.name + {
        "summary": "（本级：含本级政府工作部门、直属单位）",
        "region": "（全域：含所辖县市区）",
    }.get(scope, "")
    facts = counters.proactive_facts(target, year)
    t2, t3, t4 = tables["table2"], tables["table3"], tables["table4"]

    def total(row):
        return t3[row]["total"]

    def group(outcome):
        return sum(total(r.key) for r in layout.OUTCOME_ROWS if r.outcome == outcome)

    overview = (
        f"{year}年，{who}深入贯彻落实《中华人民共和国政府信息公开条例》，"
        "扎实推进主动公开、依申请公开、政府信息管理、政府信息公开平台建设和监督保障各项工作。"
        f"{PLACEHOLDER}：本年度政务公开工作总体情况、主要做法和成效】"
    )
    if scope in SCOPE_STATEMENTS:
        overview = SCOPE_STATEMENTS[scope] + overview
    proactive = (
        f"本年度通过政府信息公开平台主动公开政府信息{_n(facts['records'])}条，"
        f"其中政策文件{_n(facts['policies'])}份，发布政策解读{_n(facts['interpretations'])}篇。"
        f"制发规章{_n(t2['rule']['issued'])}份、行政规范性文件{_n(t2['normative']['issued'])}份，"
        f"废止（失效）规章{_n(t2['rule']['repealed'])}份、行政规范性文件"
        f"{_n(t2['normative']['repealed'])}份；年末现行有效规章{_n(t2['rule']['in_force'])}份、"
        f"行政规范性文件{_n(t2['normative']['in_force'])}份。"
    )
    participation = counters.participation_facts(target, year)
    if participation:
        proactive += (
            f"围绕重大决策公开征求意见{_n(participation['consultations'])}次，"
            f"收到意见建议{_n(participation['comments'])}条。"
        )
    handling = counters.handling_days(target, year)
    requests = (
        f"本年度新收政府信息公开申请{_n(total('new'))}件，上年结转{_n(total('carried_over'))}件。"
        f"本年度办结申请{_n(total('outcome_total'))}件，其中：予以公开{_n(group('disclosed'))}件，"
        f"部分公开{_n(group('partly_disclosed'))}件，不予公开{_n(group('not_disclosed'))}件，"
        f"无法提供{_n(group('cannot_provide'))}件，不予处理{_n(group('not_processed'))}件，"
        f"其他处理{_n(group('other'))}件。结转下年度继续办理{_n(total('carried_forward'))}件。"
    )
    if handling["count"]:
        requests += (
            f"办结申请平均用时{handling['average']}个工作日，最长{handling['worst']}个工作日。"
        )
    lit = t4["litigation_direct"]["total"] + t4["litigation_after_review"]["total"]
    review = (
        f"本年度涉及政府信息公开的行政复议{_n(t4['review']['total'])}件，"
        f"其中结果维持{_n(t4['review']['upheld'])}件，结果纠正{_n(t4['review']['corrected'])}件，"
        f"其他结果{_n(t4['review']['other'])}件，尚未审结{_n(t4['review']['pending'])}件；"
        f"行政诉讼{_n(lit)}件。"
    )
    problems = f"{PLACEHOLDER}：本年度政府信息公开工作存在的主要问题及改进情况】"
    fee = counters.fee_facts(target, year)
    other = (
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        f"本年度收取信息处理费{fee:.2f}元。"
    )
    plans = counters.plan_facts(target, year)
    if plans and plans.get("tasks"):
        other += (
            f"本年度政务公开工作要点分解到本机关的{_n(plans['tasks'])}项任务中，"
            f"已完成{_n(plans['done'])}项。"
        )
    other += (
        f"{PLACEHOLDER}：人大代表建议和政协提案办理结果公开情况、创新做法等（没有的请删除本句）】"
    )
    return {
        "overview": overview,
        "proactive": proactive,
        "requests": requests,
        "review": review,
        "problems": problems,
        "other": other,
    }


def run_checks(
    organisation,
    year: int,
    scope: str,
    tables: dict,
    sections: dict,
    acknowledged: dict | None = None,
) -> list[checks_mod.Check]:
    previous = checks_mod.previous_tables(organisation, year, scope)
    return checks_mod.check_report(tables, sections, previous, acknowledged)


def report_data(organisation, year: int, scope: str = "own") -> dict:
    """The CLI/API JSON: {"org", "year", "table2", "table3", "table4", "checks"} (+ "scope").
    The text is the saved report's latest version when there is one, else the draft."""
    from gongkai.reports.models import AnnualReport

    tables = compile_tables(organisation, year, scope)
    report = AnnualReport.objects.filter(organisation=organisation, year=year, scope=scope).first()
    version = report.latest if report is not None else None
    sections = (
        version.sections
        if version is not None
        else draft_sections(organisation, year, scope, tables)
    )
    acknowledged = report.acknowledged if report is not None else {}
    found = run_checks(organisation, year, scope, tables, sections, acknowledged)
    return {
        "org": organisation.name,
        "year": year,
        "scope": scope,
        **tables,
        "checks": [c.as_dict() for c in found],
    }
