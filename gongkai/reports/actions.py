"""Every state change of the reports app: check permission → write in a transaction →
core.audit.record. Views, the API and the CLI call these; none saves a model directly."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.actions import ActionError, require
from gongkai.reports import checks as checks_mod
from gongkai.reports import compiler, layout, rules
from gongkai.reports.models import (
    AnnualReport,
    EarlierReport,
    FigureKey,
    ProactiveFigure,
    ReportScope,
    ReportStatus,
    ReportVersion,
)

logger = logging.getLogger("gongkai.reports")

NOT_EDITOR = "您没有办理该年度报告的权限。"

FIELDS = ["status", "checked_at", "published_at", "published_version", "record_id", "acknowledged"]


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if not layout.YEAR_MIN <= int(year) <= today.year:
        raise ActionError(f"年度 {year} 无效：应在 {layout.YEAR_MIN} 年至 {today.year} 年之间。")


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=report.pk)
    )


def _new_version(report, actor, sections, tables, note) -> ReportVersion:
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    clean = {key: (sections.get(key) or "").strip() for key in layout.SECTION_KEYS}
    return ReportVersion.objects.create(
        report=report,
        number=last + 1,
        sections=clean,
        tables=tables,
        note=note[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


# --- Drafting and editing -------------------------------------------------------------------------


def draft(actor, organisation, year: int, scope: str = ReportScope.OWN) -> AnnualReport:
    """Create the report with a first version drafted from data; an existing report is returned
    unchanged."""
    _check_year(year)
    if scope in (ReportScope.SUMMARY, ReportScope.REGION) and not organisation.is_tenant:
        raise ActionError("汇总报告只能由政府（公开办）编制。")
    require(rules.can_edit_report(actor, organisation, scope), NOT_EDITOR)
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            organisation=organisation, year=year, scope=scope
        )
        if not created:
            return report
        tables = compiler.compile_tables(organisation, year, scope)
        sections = compiler.draft_sections(organisation, year, scope, tables)
        version = _new_version(report, actor, sections, tables, "根据平台数据起草")
        audit.record(
            actor,
            "reports.draft",
            report,
            after={"version": version.number, "year": year, "scope": scope},
        )
    return report


def save_version(
    actor,
    report: AnnualReport,
    sections: dict[str, str],
    note: str = "",
    refresh_tables: bool = True,
) -> ReportVersion:
    """Save the officer's text as a new version (tables recomputed from current data). A
    checked or published report goes back to drafted until it is checked again."""
    require(rules.can_edit_report(actor, report.organisation, report.scope), NOT_EDITOR)
    missing = [title for key, title in layout.SECTIONS if key not in sections]
    if missing:
        raise ActionError("缺少报告内容：" + "、".join(missing) + "。")
    with transaction.atomic():
        report = _locked(report)
        before = audit.snapshot(report, FIELDS)
        latest = report.latest
        tables = (
            compiler.compile_tables(report.organisation, report.year, report.scope)
            if refresh_tables or latest is None
            else latest.tables
        )
        version = _new_version(report, actor, sections, tables, note or "修改正文")
        if report.status != ReportStatus.DRAFTED:
            report.status = ReportStatus.DRAFTED
            report.checked_at = None
            report.save(update_fields=["status", "checked_at", "updated_at"])
        audit.record(
            actor,
            "reports.save_version",
            report,
            before=before,
            after={**audit.snapshot(report, FIELDS), "version": version.number},
            note=note,
        )
    return version


def acknowledge(actor, report: AnnualReport, code: str, explanation: str) -> AnnualReport:
    """Explain a check that may be explained (a carry-over difference): it stops blocking."""
    require(rules.can_edit_report(actor, report.organisation, report.scope), NOT_EDITOR)
    explanation = explanation.strip()
    if not code.startswith("carry_over:"):
        raise ActionError("只有“上年结转”不一致可以说明原因后发布；其他错误必须改正。")
    if len(explanation) < 5:
        raise ActionError("请写明原因（至少 5 个字），该说明将随报告一并存档。")
    with transaction.atomic():
        report = _locked(report)
        before = audit.snapshot(report, FIELDS)
        report.acknowledged = {**report.acknowledged, code: explanation}
        report.save(update_fields=["acknowledged", "updated_at"])
        audit.record(
            actor,
            "reports.acknowledge",
            report,
            before=before,
            after=audit.snapshot(report, FIELDS),
            note=explanation,
        )
    return report


def check(actor, report: AnnualReport) -> list[checks_mod.Check]:
    """Run the checks on the latest version; no blocking error → status checked."""
    require(rules.can_edit_report(actor, report.organisation, report.scope), NOT_EDITOR)
    with transaction.atomic():
        report = _locked(report)
        version = report.latest
        if version is None:
            raise ActionError("报告还没有内容，请先起草。")
        found = compiler.run_checks(
            report.organisation,
            report.year,
            report.scope,
            version.tables,
            version.sections,
            report.acknowledged,
        )
        version.checks = [c.as_dict() for c in found]
        version.save(update_fields=["checks"])
        before = audit.snapshot(report, FIELDS)
        errors = checks_mod.blocking(found)
        if report.status != ReportStatus.PUBLISHED:
            report.status = ReportStatus.DRAFTED if errors else ReportStatus.CHECKED
            report.checked_at = None if errors else timezone.now()
            report.save(update_fields=["status", "checked_at", "updated_at"])
        audit.record(
            actor,
            "reports.check",
            report,
            before=before,
            after={
                **audit.snapshot(report, FIELDS),
                "errors": len(errors),
                "warnings": len(found) - len(errors),
            },
        )
    return found


def publish(actor, report: AnnualReport) -> AnnualReport:
    """Publish the checked report (the checks are run again first) and put it in the
    政府信息公开年报 column of the disclosure catalogue."""
    require(
        rules.can_publish_report(actor, report.organisation, report.scope),
        "只有本机关负责人或政务公开办公室可以发布年度报告。",
    )
    found = check(actor, report)
    errors = checks_mod.blocking(found)
    if errors:
        raise ActionError(f"校验发现 {len(errors)} 项错误，改正后才能发布：" + errors[0].message)
    with transaction.atomic():
        report = _locked(report)
        before = audit.snapshot(report, FIELDS)
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        latest = report.latest
        if latest is None:
            raise ActionError("年度报告尚未保存任何版本，不能发布。")
        report.published_version = latest.number
        report.record_id = _publish_to_catalog(actor, report)
        report.save(
            update_fields=["status", "published_at", "published_version", "record_id", "updated_at"]
        )
        audit.record(
            actor, "reports.publish", report, before=before, after=audit.snapshot(report, FIELDS)
        )
    logger.info(
        "annual report published report=%s org=%s year=%s",
        report.pk,
        report.organisation_id,
        report.year,
    )
    return report


def _publish_to_catalog(actor, report: AnnualReport) -> int | None:
    """Publish the report as a catalog Record (genre 政府信息公开年报) in the organisation's
    年报 column (ColumnKind.ANNUAL_REPORT), through the catalog's own actions (create → submit
    → approve → publish). A report republished after a revision updates the same record."""
    from gongkai.catalog import actions as catalog_actions
    from gongkai.catalog.models import Column, ColumnKind, Genre, Record, Status
    from gongkai.reports import exports

    document = exports.document_for(report.organisation, report.year, report.scope)
    body = exports.to_html(document)
    column = Column.objects.filter(
        organisation=report.organisation, kind=ColumnKind.ANNUAL_REPORT
    ).first()
    data = {
        "title": report.title,
        "genre": Genre.ANNUAL_REPORT,
        "summary": f"{report.organisation.name}{report.year}年政府信息公开工作年度报告",
        "body": body,
        "made_on": timezone.localdate(),
        "written_on": timezone.localdate(),
        "column": column,
    }
    try:
        record = Record.objects.filter(pk=report.record_id).first() if report.record_id else None
        if record is not None and record.status == Status.PUBLISHED:
            record = catalog_actions.update_record(actor, record, {"body": body})
            return record.pk
        record = catalog_actions.create_record(
            actor, report.organisation, data, source_ref=f"annual-report-{report.pk}"
        )
        catalog_actions.submit_for_review(actor, record)
        catalog_actions.approve(actor, record, "年度报告已通过平台校验")
        catalog_actions.publish(actor, record)
        return record.pk
    except ActionError as exc:
        raise ActionError(f"发布到公开目录失败：{exc.message}", forbidden=exc.forbidden) from exc


# --- Table 二 figures from other systems ------------------------------------------------------


def set_figure(actor, organisation, year: int, key: str, value, source: str) -> ProactiveFigure:
    _check_year(year)
    require(rules.can_edit_report(actor, organisation), NOT_EDITOR)
    if key not in FigureKey.values:
        raise ActionError(f"“{key}”不是表二中需要填写的项目。")
    try:
        value = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionError(f"“{value}”不是有效的数字。") from None
    if value < 0:
        raise ActionError("数值不能为负数。")
    if key != FigureKey.FEES and value != value.to_integral_value():
        raise ActionError("处理决定数量应为整数。")
    source = (source or "").strip()
    if not source:
        raise ActionError("请注明数据来源（如：政务服务平台审批统计）。")
    with transaction.atomic():
        figure = (
            ProactiveFigure.objects.select_for_update()
            .filter(organisation=organisation, year=year, key=key)
            .first()
        )
        before = audit.snapshot(figure, ["value", "source"]) if figure else None
        if figure is None:
            figure = ProactiveFigure(organisation=organisation, year=year, key=key)
        figure.value = value
        figure.source = source[:200]
        figure.entered_by = actor if getattr(actor, "is_authenticated", False) else None
        figure.save()
        audit.record(
            actor,
            "reports.set_figure",
            figure,
            before=before,
            after=audit.snapshot(figure, ["year", "key", "value", "source"]),
        )
    return figure


# --- Earlier reports --------------------------------------------------------------------------


def identity_warnings(table3: dict, table4: dict | None = None) -> list[str]:
    """What does not add up in an imported report's tables 三 and 四 (kept as published)."""
    out = [
        f"导入的表三“{layout.COLUMN_LABELS[p.column]}”列"
        + (f"“{layout.ROW_LABELS[p.row]}”行" if p.row else "")
        + f"不平衡（{p.left} ≠ {p.right}），原报告可能有误，已按原样导入。"
        for p in layout.identity_problems(table3)
    ]
    out += [
        f"导入的表四“{layout.TABLE4_GROUP_LABELS[p.column]}”：结果维持、结果纠正、其他结果、"
        f"尚未审结之和为 {p.left}，但总计为 {p.right}，原报告可能有误，已按原样导入。"
        for p in layout.table4_problems(table4 or {})
    ]
    return out


def import_earlier(
    actor, organisation, year: int, parsed, *, scope: str = ReportScope.OWN, source: str = ""
) -> EarlierReport:
    """Store the tables of a published earlier report (from reports.earlier.parse). A
    published table that does not add up is kept as published (it is what the carry-over is
    compared with); `identity_warnings` says what is wrong with it."""
    _check_year(year)
    if actor is not None:
        require(rules.can_edit_report(actor, organisation, scope), NOT_EDITOR)
    with transaction.atomic():
        earlier, _ = EarlierReport.objects.update_or_create(
            organisation=organisation,
            year=year,
            scope=scope,
            defaults={
                "layout": parsed.layout,
                "table3": parsed.table3,
                "table4": parsed.table4,
                "table2": parsed.table2,
                "source": source[:300],
                "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        audit.record(
            actor or "命令行",
            "reports.import_earlier",
            earlier,
            after={"year": year, "layout": parsed.layout, "source": source},
        )
    return earlier
