"""Annual reports (政府信息公开工作年度报告): the report with its versions, the table 二 figures
that come from other systems, earlier reports imported for comparison, and the self-check's
broken-link findings.

Every change goes through gongkai.reports.actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.orgs.models import Organisation


class ReportScope(models.TextChoices):
    OWN = "own", "本机关"
    # A government's annual summary (issue 15 point 13): 本级 — the government and its own
    # departments and units, the default, since each county publishes its own report — or
    # 全域汇总, with the county governments, townships and everything under them.
    SUMMARY = "summary", "本级汇总（本级政府及其部门）"
    REGION = "region", "全域汇总（含所辖县、市、区）"


SUMMARY_SCOPES = (ReportScope.SUMMARY, ReportScope.REGION)
# How a report's title names its scope (an own-scope report names none).
SCOPE_SUFFIXES: dict[str, str] = {
    ReportScope.SUMMARY: "（本级汇总）",
    ReportScope.REGION: "（全域汇总）",
}
SCOPE_STATEMENTS: dict[str, str] = {
    ReportScope.SUMMARY: "本报告为本级汇总：统计范围为本级人民政府及其工作部门、直属单位，"
    "不含所辖县（市、区）人民政府、乡镇（街道）及其部门（各县市区另行发布年度报告）。",
    ReportScope.REGION: "本报告为全域汇总：统计范围为本级人民政府及其工作部门、直属单位，"
    "以及所辖县（市、区）人民政府、乡镇（街道）及其部门。",
}


class ReportStatus(models.TextChoices):
    DRAFTED = "drafted", "已起草"
    CHECKED = "checked", "已校验"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    """One organisation's report for one year (scope own), or a government's summary across its
    organisations (scope summary, organisation = the government)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    scope = models.CharField(
        "范围", max_length=10, choices=ReportScope.choices, default=ReportScope.OWN
    )
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFTED
    )
    # Check codes the officer has explained (code → explanation): an acknowledged carry-over
    # difference stops blocking publication and is printed in the checks list.
    acknowledged = models.JSONField("已说明的校验问题", default=dict, blank=True)
    checked_at = models.DateTimeField("校验时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The version the public sees: set at each publication, kept while a revision is drafted.
    published_version = models.PositiveIntegerField("已发布版本", null=True, blank=True)
    # catalog.Record id of the published report; an integer until the catalog migration is
    # committed (then a ForeignKey).
    record_id = models.PositiveIntegerField("公开目录信息编号", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "organisation__order", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "scope"], name="report_one_per_org_year"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]

    def __str__(self):
        return (
            f"{self.organisation.name}{self.year}年政府信息公开工作年度报告"
            f"{SCOPE_SUFFIXES.get(self.scope, '')}"
        )

    @property
    def title(self) -> str:
        return str(self)

    @property
    def audit_organisation_id(self):
        return self.organisation_id

    @property
    def latest(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class ReportVersion(models.Model):
    """One saved state of the report: the text sections and the tables as they were then.
    Append-only: an edit saves a new version."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="报告", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    sections = models.JSONField("正文各部分", default=dict)
    tables = models.JSONField("表格数据", default=dict)
    checks = models.JSONField("校验结果", default=list, blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("update_fields") == ["checks"]:
            raise ValueError("报告版本只能新增，不能修改")
        super().save(*args, **kwargs)


class FigureKey(models.TextChoices):
    LICENSING = "licensing", "行政许可（本年处理决定数量）"
    PENALTY = "penalty", "行政处罚（本年处理决定数量）"
    ENFORCEMENT = "enforcement", "行政强制（本年处理决定数量）"
    FEES = "fees_wan_yuan", "行政事业性收费（本年收费金额，万元）"


class ProactiveFigure(models.Model):
    """A table 二 figure that comes from another system (审批、执法、收费), entered or imported
    with its source."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField("项目", max_length=20, choices=FigureKey.choices)
    value = models.DecimalField("数值", max_digits=14, decimal_places=4)
    source = models.CharField(
        "数据来源", max_length=200, help_text="如：山东省政务服务平台审批统计（导出日期）"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "主动公开统计数据"
        verbose_name_plural = "主动公开统计数据"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "key"], name="figure_one_per_key"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_not_negative"),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.get_key_display()}"

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class Layout(models.TextChoices):
    Y2021 = "2021", "2021年格式（国办公开办函〔2021〕30号）"
    Y2019 = "2019", "2019年格式（国办公开办函〔2019〕60号）"


class EarlierReport(models.Model):
    """The tables of a report published before the platform (or outside it), imported for
    comparison and the carry-over check."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    scope = models.CharField(
        "范围", max_length=10, choices=ReportScope.choices, default=ReportScope.OWN
    )
    layout = models.CharField("格式", max_length=4, choices=Layout.choices)
    table3 = models.JSONField("表三", default=dict)
    table4 = models.JSONField("表四", default=dict, blank=True)
    table2 = models.JSONField("表二", default=dict, blank=True)
    source = models.CharField("来源（文件名或网址）", max_length=300, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "往年报告"
        verbose_name_plural = "往年报告"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "scope"], name="earlier_report_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation.name}{self.year}年度报告（导入）"

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class LinkProblem(models.Model):
    """A link in a published record that failed the polite broken-link check (自查)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="+"
    )
    record_id = models.PositiveIntegerField("信息编号")
    record_title = models.CharField("信息标题", max_length=300)
    url = models.CharField("链接", max_length=1000)
    status = models.CharField("检查结果", max_length=100)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "失效链接"
        verbose_name_plural = "失效链接"
        ordering = ["organisation", "record_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record_id", "url"], name="link_problem_unique")
        ]

    def __str__(self):
        return f"{self.record_title}: {self.url}"


class ReportReminder(models.Model):
    """A deadline reminder shown on the status board (once per organisation, year and kind)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类型", max_length=20)  # due_soon | overdue
    sent_on = models.DateField("提醒日期")
    text = models.CharField("内容", max_length=300)

    class Meta:
        verbose_name = "年报提醒"
        verbose_name_plural = "年报提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="report_reminder_once"
            )
        ]

    def __str__(self):
        return self.text
