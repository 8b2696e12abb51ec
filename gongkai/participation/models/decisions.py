"""The annual major-decision catalogue (年度重大行政决策事项目录), its decisions, their
required steps with evidence, and the adjustments made after publication."""

from django.db import models
from django.db.models import Q

from gongkai.core.fields import user_link


class DecisionCatalogue(models.Model):
    """One government's catalogue for one year; published after the Party committee agrees
    (国务院令第713号第3条)."""

    government = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="人民政府",
        on_delete=models.PROTECT,
        related_name="decision_catalogues",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("目录名称", max_length=200)
    party_consent_on = models.DateField("同级党委同意日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = "重大行政决策事项目录"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "year"], name="decision_catalogue_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(party_consent_on__isnull=False),
                name="decision_catalogue_published_after_consent",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organisation_id(self):  # for audit events
        return self.government_id

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DECIDED = "decided", "已作出决策"
    COMPLETED = "completed", "已完成"
    WITHDRAWN = "withdrawn", "已调出目录"


DECISION_OPEN_STATES = (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)


class Decision(models.Model):
    """One major administrative decision (重大行政决策事项)."""

    catalogue = models.ForeignKey(
        DecisionCatalogue,
        verbose_name="所属目录",
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    number = models.PositiveIntegerField("序号")
    title = models.CharField("决策事项名称", max_length=200)
    description = models.TextField("事项简介", blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="决策承办单位",
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    planned_time = models.CharField("计划决策时间", max_length=50, help_text="如：2026年6月")
    planned_by = models.DateField("计划完成日期", null=True, blank=True)
    hearing_required = models.BooleanField("是否需要听证", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PLANNED
    )
    decided_on = models.DateField("决策日期", null=True, blank=True)
    result_title = models.CharField("决策结果（文件名称）", max_length=200, blank=True)
    result_url = models.URLField("决策结果链接", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "重大行政决策事项"
        verbose_name_plural = "重大行政决策事项"
        ordering = ["catalogue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "number"], name="decision_unique_number_in_catalogue"
            )
        ]

    def __str__(self):
        return self.title


class StepKind(models.TextChoices):
    PUBLIC_PARTICIPATION = "public_participation", "公众参与"
    EXPERT_REVIEW = "expert_review", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGALITY_REVIEW = "legality_review", "合法性审查"
    COLLECTIVE_DECISION = "collective_decision", "集体讨论决定"
    PUBLICATION = "publication", "决策公布"
    POST_EVALUATION = "post_evaluation", "决策后评估"


STEP_ORDER = [kind for kind, _ in StepKind.choices]


class StepStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    NOT_APPLICABLE = "not_applicable", "不适用"


class DecisionStep(models.Model):
    """One required procedure step of a decision, with the evidence that it was done."""

    decision = models.ForeignKey(
        Decision, verbose_name="决策事项", on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField("程序", max_length=30, choices=StepKind.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    required = models.BooleanField("必经程序", default=True)
    status = models.CharField(
        "状态", max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    started_on = models.DateField("开始日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    consultation = models.ForeignKey(
        "participation.Consultation",
        verbose_name="关联征求意见",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_steps",
    )
    hearing = models.ForeignKey(
        "participation.Hearing",
        verbose_name="关联听证",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_steps",
    )
    evidence_title = models.CharField("佐证材料名称", max_length=200, blank=True)
    evidence_url = models.URLField("佐证材料链接", max_length=500, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "决策程序环节"
        verbose_name_plural = "决策程序环节"
        ordering = ["decision", "order"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="decision_step_unique_kind"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="decision_step_completed_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.decision} · {self.get_kind_display()}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.consultation_id or self.hearing_id or self.evidence_url)


class AdjustmentKind(models.TextChoices):
    ADDED = "added", "新增事项"
    CHANGED = "changed", "调整内容"
    POSTPONED = "postponed", "调整时间"
    WITHDRAWN = "withdrawn", "调出目录"


class DecisionAdjustment(models.Model):
    """An adjustment of a decision in a catalogue (logged, and public once published)."""

    decision = models.ForeignKey(
        Decision, verbose_name="决策事项", on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField("调整类型", max_length=20, choices=AdjustmentKind.choices)
    reason = models.TextField("调整理由")
    changes = models.JSONField("调整内容", default=dict, blank=True)
    at = models.DateTimeField("调整时间", auto_now_add=True)
    actor = user_link("操作人", blank=False)

    class Meta:
        verbose_name = "目录调整记录"
        verbose_name_plural = "目录调整记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.decision} · {self.get_kind_display()}"
