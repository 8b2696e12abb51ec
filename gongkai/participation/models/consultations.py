"""Consultations on drafts (征求意见), their comments with adoption feedback (采纳情况), and
the log of period changes (extension, early closing)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.core.fields import user_link
from gongkai.participation.models.common import PublicationState


class DocumentKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", "重大行政决策"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "政策性文件"
    PLAN = "plan", "规划、计划"
    OTHER = "other", "其他"


class Phase(models.TextChoices):
    """Derived from the state and the dates; never stored."""

    DRAFT = "draft", "未发布"
    UPCOMING = "upcoming", "即将开始"
    OPEN = "open", "征求意见中"
    CLOSED = "closed", "已截止"
    FEEDBACK = "feedback", "已反馈"
    WITHDRAWN = "withdrawn", "已撤回"


class Consultation(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="征集单位",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    decision = models.ForeignKey(
        "participation.Decision",
        verbose_name="关联重大行政决策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    title = models.CharField("征求意见稿名称", max_length=200)
    kind = models.CharField("文件类型", max_length=20, choices=DocumentKind.choices)
    summary = models.TextField("征求意见说明", help_text="起草背景、主要内容和意见反馈方式")
    draft_text = models.TextField("草案正文", blank=True)
    draft_file = models.FileField(
        "草案（附件）", upload_to="participation/consultations/%Y/", blank=True
    )
    explanation_file = models.FileField(
        "起草说明（附件）", upload_to="participation/consultations/%Y/", blank=True
    )
    clauses = models.TextField(
        "可选条款",
        blank=True,
        help_text="每行一个，如「第三条 补助标准」；公众提意见时可选择针对的条款",
    )
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    shortened_reason = models.TextField(
        "期限少于法定天数的理由", blank=True, help_text="重大行政决策征求意见期限一般不少于30日"
    )
    state = models.CharField(
        "状态", max_length=20, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_early_at = models.DateTimeField("提前结束时间", null=True, blank=True)
    feedback_due_on = models.DateField("反馈公开期限", null=True, blank=True)
    feedback_due_on_provisional = models.BooleanField("反馈公开期限暂定", default=False)
    feedback_summary = models.TextField("意见采纳情况总体说明", blank=True)
    feedback = models.JSONField("已公开的反馈（快照）", null=True, blank=True)
    feedback_published_at = models.DateTimeField("反馈公开时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = user_link("创建人")

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(feedback_published_at__isnull=True) | Q(feedback__isnull=False),
                name="consultation_feedback_snapshot_when_published",
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.state == PublicationState.WITHDRAWN:
            return Phase.WITHDRAWN
        if self.state != PublicationState.PUBLISHED:
            return Phase.DRAFT
        if self.feedback_published_at:
            return Phase.FEEDBACK
        if today < self.opens_on:
            return Phase.UPCOMING
        if today <= self.closes_on and self.closed_early_at is None:
            return Phase.OPEN
        return Phase.CLOSED

    @property
    def phase_label(self) -> str:
        return Phase(self.phase()).label

    @property
    def clause_list(self) -> list[str]:
        return [line.strip() for line in self.clauses.splitlines() if line.strip()]

    @property
    def period_days(self) -> int:
        """Calendar days from opening to closing, both days included."""
        return (self.closes_on - self.opens_on).days + 1


class ChangeKind(models.TextChoices):
    EXTENDED = "extended", "延长征求意见期限"
    CLOSED_EARLY = "closed_early", "提前结束征求意见"


class ConsultationChange(models.Model):
    """A change of the closing date after publication, shown on the public page."""

    consultation = models.ForeignKey(
        Consultation, verbose_name="征求意见", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField("类型", max_length=20, choices=ChangeKind.choices)
    old_closes_on = models.DateField("原截止日期")
    new_closes_on = models.DateField("新截止日期")
    reason = models.TextField("理由")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = user_link("操作人", blank=False)

    class Meta:
        verbose_name = "征求意见期限变更"
        verbose_name_plural = "征求意见期限变更"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.consultation} · {self.get_kind_display()}"


class Channel(models.TextChoices):
    PORTAL = "portal", "网站留言"
    LETTER = "letter", "信函"
    EMAIL = "email", "电子邮件"
    MEETING = "meeting", "座谈会"
    PHONE = "phone", "电话"
    OTHER = "other", "其他"


class Moderation(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "不予采用（无效意见）"


class Disposition(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY_ADOPTED = "partly_adopted", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


# Dispositions that must carry a reason.
REASON_REQUIRED = (Disposition.PARTLY_ADOPTED, Disposition.NOT_ADOPTED)


class Comment(models.Model):
    """One opinion on a consultation, from the portal or entered by staff. The author's name
    and contact are personal data: they never reach a public page or the API (the published
    feedback carries the masked name only)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name="征求意见", on_delete=models.CASCADE, related_name="comments"
    )
    channel = models.CharField(
        "来源渠道", max_length=20, choices=Channel.choices, default=Channel.PORTAL
    )
    clause = models.CharField("针对条款", max_length=200, blank=True)
    body = models.TextField("意见内容")
    author_name = models.CharField("提出人", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    topic = models.CharField(
        "意见归类", max_length=100, blank=True, help_text="同类意见归为一组公开反馈"
    )
    moderation = models.CharField(
        "审核状态", max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    flagged_words = models.JSONField("命中敏感词", default=list, blank=True)
    moderation_note = models.CharField("审核说明", max_length=200, blank=True)
    disposition = models.CharField(
        "采纳情况", max_length=20, choices=Disposition.choices, blank=True
    )
    reason = models.TextField("理由（未采纳、部分采纳时必填）", blank=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = user_link("处理人")
    submitted_at = models.DateTimeField("提出时间", default=timezone.now)
    entered_by = user_link("录入人")
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(disposition__in=REASON_REQUIRED) | ~Q(reason=""),
                name="comment_reason_when_not_adopted",
            ),
        ]

    def __str__(self):
        return f"{self.consultation} · 意见{self.pk}"
