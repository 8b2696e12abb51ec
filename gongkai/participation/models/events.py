"""Hearings and meeting attendance (听证会 / 列席), and open days (政府开放日)."""

from django.db import models
from django.db.models import Q

from gongkai.core.fields import user_link
from gongkai.participation.models.common import PublicationState


class HearingKind(models.TextChoices):
    HEARING = "hearing", "听证会"
    MEETING = "meeting", "列席政府会议"


class Hearing(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="组织单位",
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    decision = models.ForeignKey(
        "participation.Decision",
        verbose_name="关联重大行政决策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearings",
    )
    kind = models.CharField("类型", max_length=20, choices=HearingKind.choices)
    title = models.CharField("名称", max_length=200)
    subject = models.TextField("听证事项（会议议题）")
    held_at = models.DateTimeField("举行时间")
    place = models.CharField("地点", max_length=200)
    selection_method = models.TextField("参加人遴选办法", blank=True)
    materials_sent_on = models.DateField("材料送达参加人日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    notice_published_at = models.DateTimeField("公告发布时间", null=True, blank=True)
    outcome = models.TextField("意见采纳情况说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "听证与列席"
        verbose_name_plural = "听证与列席"
        ordering = ["-held_at"]

    def __str__(self):
        return self.title


class ParticipantRole(models.TextChoices):
    REPRESENTATIVE = "representative", "听证参加人"
    ATTENDEE = "attendee", "列席人员"
    EXPERT = "expert", "专家"


class HearingParticipant(models.Model):
    """Participants' names and affiliations are published (the list is announced in advance);
    their contact details are not kept here."""

    hearing = models.ForeignKey(
        Hearing, verbose_name="听证与列席", on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField("姓名", max_length=100)
    affiliation = models.CharField("身份或单位", max_length=200, blank=True)
    role = models.CharField("角色", max_length=20, choices=ParticipantRole.choices)
    opinion = models.TextField("发表的意见", blank=True)
    handling = models.TextField("意见处理情况", blank=True)

    class Meta:
        verbose_name = "参加人"
        verbose_name_plural = "参加人"
        ordering = ["id"]

    def __str__(self):
        return self.name


class OpenDay(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="open_days",
    )
    title = models.CharField("活动名称", max_length=200)
    theme = models.CharField("主题", max_length=200)
    description = models.TextField("活动内容", blank=True)
    place = models.CharField("地点", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveIntegerField("名额")
    signup_closes_at = models.DateTimeField("报名截止时间")
    state = models.CharField(
        "状态", max_length=20, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "政府开放日"
        verbose_name_plural = "政府开放日"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="open_day_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signup_closes_at__lte=models.F("starts_at")),
                name="open_day_signup_closes_before_start",
            ),
        ]

    def __str__(self):
        return self.title


class SignupKind(models.TextChoices):
    PUBLIC = "public", "公众报名"
    INVITED = "invited", "特邀"


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", "已确认"
    CANCELLED = "cancelled", "已取消"


class OpenDaySignup(models.Model):
    open_day = models.ForeignKey(
        OpenDay, verbose_name="开放日", on_delete=models.CASCADE, related_name="signups"
    )
    name = models.CharField("姓名", max_length=100)
    phone = models.CharField("联系电话", max_length=30)
    affiliation = models.CharField("单位或身份", max_length=200, blank=True)
    kind = models.CharField("方式", max_length=20, choices=SignupKind.choices)
    status = models.CharField(
        "状态", max_length=20, choices=SignupStatus.choices, default=SignupStatus.CONFIRMED
    )
    created_at = models.DateTimeField("报名时间", auto_now_add=True)
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "开放日报名"
        verbose_name_plural = "开放日报名"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["open_day", "phone"],
                condition=Q(status="confirmed"),
                name="open_day_one_signup_per_phone",
            )
        ]

    def __str__(self):
        return f"{self.open_day} · {self.name}"


class OpenDaySuggestion(models.Model):
    """A suggestion raised on the day: a tracked item with a responsible organisation, a due
    date (working days) and an answer that is published."""

    open_day = models.ForeignKey(
        OpenDay, verbose_name="开放日", on_delete=models.CASCADE, related_name="suggestions"
    )
    raised_by = models.CharField("提出人", max_length=100, blank=True)
    content = models.TextField("意见建议")
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="open_day_suggestions",
    )
    due_on = models.DateField("答复期限")
    due_on_provisional = models.BooleanField("答复期限暂定", default=False)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = user_link("答复人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "开放日意见建议"
        verbose_name_plural = "开放日意见建议"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.content[:30]
