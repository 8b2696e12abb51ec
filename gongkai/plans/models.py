"""Work plans (工作要点 / 任务分解表), their tasks, the ledger (工作台账) and supervision.

    WorkPlan ─┬─ Task ── Assignment (one per responsible organisation and period)
              │            ├─ ProgressReport (落实情况, accepted or returned by the lead)
              │            ├─ TaskReminder (sent by the periodic job when behind or overdue)
              │            └─ LookBackItem (回头看 of last year's unfinished work)
              ├─ Circular (督查通报第N期, a frozen snapshot rendered as .docx)
              ├─ Indicator ── Assessment (考核: score per organisation and period)
              ├─ Alignment (item of this plan ↔ task of another plan)
              └─ children: 实施方案 filed by addressed organisations (parent = this plan)

Statuses are computed, never stored: see `status.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.orgs.models import Organisation


class PlanKind(models.TextChoices):
    KEY_POINTS = "key_points", "工作要点"
    TASK_TABLE = "task_table", "任务分解表"
    IMPLEMENTATION = "implementation", "实施方案"


class Cycle(models.TextChoices):
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALF_YEARLY = "half_yearly", "每半年"
    YEARLY = "yearly", "每年"
    ONGOING = "ongoing", "长期"


class WorkPlanQuerySet(models.QuerySet["WorkPlan"]):
    def in_government(self, government):
        gov_id = government if isinstance(government, int) else government.pk
        return self.filter(government_id=gov_id)

    def for_list(self):
        return self.select_related("organisation", "parent").annotate(
            task_count=models.Count("tasks", distinct=True)
        )


class WorkPlan(models.Model):
    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="印发机关", on_delete=models.PROTECT, related_name="work_plans"
    )
    kind = models.CharField("类型", max_length=20, choices=PlanKind.choices)
    title = models.CharField("标题", max_length=300)
    year = models.PositiveIntegerField("年度")
    doc_no = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", help_text="序时进度从这一天算起。")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级要点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_public = models.BooleanField("在门户公开承诺事项进展", default=False)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("来源文件摘要", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    objects = WorkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "工作计划"
        verbose_name_plural = "工作计划"
        ordering = ["-year", "-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_sha256"],
                condition=~Q(source_sha256=""),
                name="plan_unique_source_per_organisation",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class Task(models.Model):
    plan = models.ForeignKey(
        WorkPlan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="tasks"
    )
    n = models.PositiveIntegerField("序号")
    section = models.CharField("部分", max_length=300, blank=True)
    subsection = models.CharField("工作任务", max_length=500, blank=True)
    title = models.CharField("事项标题", max_length=300, blank=True)
    requirement = models.TextField("具体要求")
    lead_text = models.TextField("牵头部门（原文）", blank=True)
    responsible_text = models.TextField("责任单位（原文）", blank=True)
    lead_orgs = models.ManyToManyField(
        Organisation, verbose_name="牵头部门", related_name="led_tasks", blank=True
    )
    responsible_orgs = models.ManyToManyField(
        Organisation, verbose_name="责任单位", related_name="responsible_tasks", blank=True
    )
    due_on = models.DateField("完成时限", null=True, blank=True)
    due_text = models.CharField("时限原文", max_length=200, blank=True)
    milestones = models.JSONField(
        "阶段时限", default=list, blank=True, help_text="同一任务中较早的时限：[{date, text}]"
    )
    open_collectives = models.JSONField(
        "待选定成员的集合称谓",
        default=list,
        blank=True,
        help_text="如「市政府有关部门、单位」：公开办选定成员之前按原文显示。",
    )
    cycle = models.CharField("周期", max_length=20, choices=Cycle.choices, blank=True)
    is_public_commitment = models.BooleanField("公开承诺事项", default=False)
    source = models.JSONField("来源位置", default=dict, blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "n"]
        constraints = [models.UniqueConstraint(fields=["plan", "n"], name="task_unique_n_in_plan")]

    def __str__(self):
        return f"{self.n}. {self.requirement[:40]}"

    @property
    def audit_organisation_id(self):
        return self.plan.organisation_id


class Assignment(models.Model):
    """One responsible organisation's share of a task, for one period of a recurring task.
    `progress` and `completed_on` follow the latest accepted report (set by actions only)."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="plan_assignments",
    )
    period = models.CharField(
        "周期", max_length=20, blank=True, help_text="如 2021-Q1；非周期任务为空"
    )
    period_start = models.DateField("周期开始", null=True, blank=True)
    due_on = models.DateField("完成时限", null=True, blank=True)
    # The working day on which the responsible organisation is reminded that the due date is
    # near (plans.rules.REMIND_BEFORE_WORKDAYS before it), with its 暂定 flag.
    remind_on = models.DateField("到期提醒日", null=True, blank=True)
    remind_on_provisional = models.BooleanField("到期提醒日暂定", default=False)
    progress = models.PositiveSmallIntegerField("已确认进度（%）", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    last_reported_on = models.DateField("最近报送", null=True, blank=True)
    pending_reports = models.PositiveSmallIntegerField("待确认报送", default=0)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["task__n", "organisation__order", "organisation_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organisation", "period"], name="assignment_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="assignment_progress_at_most_100"
            ),
        ]

    def __str__(self):
        suffix = f"（{self.period}）" if self.period else ""
        return f"{self.task} · {self.organisation}{suffix}"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    ACCEPTED = "accepted", "已确认"
    RETURNED = "returned", "已退回"


class ProgressReport(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField("落实情况")
    reported_on = models.DateField("报送日期")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    evidence_links = models.JSONField("佐证链接", default=list, blank=True)
    attachment = models.FileField("附件", upload_to="plans/evidence/%Y/%m/", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "落实情况"
        verbose_name_plural = "落实情况"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100")
        ]

    def __str__(self):
        return f"{self.assignment.organisation} {self.reported_on} {self.percent}%"

    @property
    def audit_organisation_id(self):
        return self.assignment.organisation_id


class TaskReminder(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name="任务分工", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField("提醒日期")
    status = models.CharField("当时状态", max_length=20)
    message = models.CharField("提醒内容", max_length=500)
    seen = models.BooleanField("已读", default=False)

    class Meta:
        verbose_name = "催办提醒"
        verbose_name_plural = "催办提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.sent_on} {self.message[:40]}"

    @property
    def audit_organisation_id(self):
        return self.assignment.organisation_id


class Circular(models.Model):
    """督查通报第N期: the numbers are frozen in `data` when it is generated."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="circulars"
    )
    number = models.PositiveIntegerField("期数")
    period_start = models.DateField("通报期开始")
    period_end = models.DateField("通报期截止")
    data = models.JSONField("通报内容", default=dict)
    record_id = models.PositiveIntegerField("发布为政府信息（记录编号）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="circular_unique_number")
        ]

    def __str__(self):
        return f"督查通报第{self.number}期"

    @property
    def audit_organisation_id(self):
        return self.plan.organisation_id


class IndicatorMethod(models.TextChoices):
    COMPLETION = "completion", "按完成率计分"
    DEDUCTION = "deduction", "逾期、滞后扣分"
    MANUAL = "manual", "人工评分"


class Indicator(models.Model):
    plan = models.ForeignKey(
        WorkPlan, verbose_name="工作计划", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指标", max_length=200)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2)
    method = models.CharField("计分方式", max_length=20, choices=IndicatorMethod.choices)
    deduction = models.DecimalField(
        "每项扣分", max_digits=6, decimal_places=2, default=0, help_text="逾期每项扣分；滞后扣一半"
    )
    cap = models.DecimalField(
        "扣分上限", max_digits=6, decimal_places=2, null=True, blank=True, help_text="留空为分值"
    )
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="indicator_unique_name"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organisation_id(self):
        return self.plan.organisation_id


class Assessment(models.Model):
    """Score of one organisation on one indicator for a half-year (YYYY-H1) or a year (YYYY)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("考核期", max_length=10)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    note = models.CharField("说明", max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period"], name="assessment_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.period} {self.indicator}: {self.score}"

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class Coverage(models.TextChoices):
    COVERED = "covered", "已覆盖"
    PARTLY = "partly", "部分覆盖"
    NONE = "none", "未覆盖"


class AlignmentState(models.TextChoices):
    SUGGESTED = "suggested", "系统建议"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已否定"


class Alignment(models.Model):
    """A match between an item of one plan and a task of another (对照)."""

    item = models.ForeignKey(
        Task, verbose_name="本计划条目", on_delete=models.CASCADE, related_name="alignments"
    )
    target = models.ForeignKey(
        Task, verbose_name="对照任务", on_delete=models.CASCADE, related_name="aligned_from"
    )
    score = models.FloatField("相似度")
    coverage = models.CharField(
        "条目覆盖情况", max_length=10, choices=Coverage.choices, default=Coverage.COVERED
    )
    state = models.CharField(
        "状态", max_length=20, choices=AlignmentState.choices, default=AlignmentState.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "对照"
        verbose_name_plural = "对照"
        ordering = ["item__n", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["item", "target"], name="alignment_unique_pair")
        ]

    def __str__(self):
        return f"{self.item.n} ↔ {self.target.n} ({self.score:.2f})"

    @property
    def audit_organisation_id(self):
        return self.item.plan.organisation_id


class LookBackItem(models.Model):
    """回头看: an unfinished assignment of last year's plan, reviewed under this year's plan."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="本年度计划", on_delete=models.CASCADE, related_name="look_back"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name="上年度任务分工", on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField("核查说明", blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    noted_at = models.DateTimeField("说明时间", null=True, blank=True)

    class Meta:
        verbose_name = "回头看"
        verbose_name_plural = "回头看"
        ordering = ["assignment__task__n", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "assignment"], name="lookback_unique")
        ]

    def __str__(self):
        return f"回头看：{self.assignment}"

    @property
    def audit_organisation_id(self):
        return self.assignment.organisation_id


class PlanImport(models.Model):
    """A parsed file waiting in the preview: rows as JSON, with the officer's fixes."""

    government = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name="印发机关", on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        WorkPlan,
        verbose_name="上级要点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    parsed = models.JSONField(default=dict)
    narrowing = models.JSONField("集合称谓的选择", default=dict, blank=True)
    plan = models.ForeignKey(
        WorkPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "导入预览"
        verbose_name_plural = "导入预览"

    def __str__(self):
        return f"导入预览：{self.source_name}"
