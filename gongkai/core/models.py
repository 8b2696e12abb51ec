from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

from gongkai.core.fields import user_link
from gongkai.core.storage import private_storage


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One state change: who, when, what, before and after. Append-only."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = user_link()
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    organisation_id = models.BigIntegerField("所属机构", null=True, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("审计事件只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("审计事件只能新增，不能删除")

    @property
    def action_label(self) -> str:
        from gongkai.core.audit_labels import event_label

        return event_label(self.action)


# --- Working-day calendar (logic in gongkai/core/calendar.py) --------------------------------


class CalendarYear(models.Model):
    """One year's holiday arrangement, loaded from the State Council notice.

    A loaded year overrides the chinese-calendar package for that year. Written only by
    `gongkai.core.calendar.load_notice` (audited); re-loading a year replaces its days.
    """

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    title = models.CharField("通知标题", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    source_url = models.URLField("来源链接", max_length=500, blank=True)
    source_file = models.CharField("载入文件", max_length=255, blank=True)
    is_example = models.BooleanField("示例数据", default=False)
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        verbose_name = "节假日安排（年度）"
        verbose_name_plural = "节假日安排（年度）"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949, year__lte=2200),
                name="calendar_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """A day the notice changes: a day off (放假) or a weekend make-up working day (调休上班).

    Days not listed follow the weekday rule. A notice may also rearrange late December of the
    previous year (e.g. the 2019 notice moved 2018-12-29), hence the December allowance.
    """

    year = models.ForeignKey(
        CalendarYear, verbose_name="所属年度", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期")
    is_workday = models.BooleanField("上班")
    name = models.CharField("节日", max_length=100)

    class Meta:
        verbose_name = "节假日安排（日）"
        verbose_name_plural = "节假日安排（日）"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["year", "date"], name="calendar_day_unique_date"),
            models.CheckConstraint(
                condition=models.Q(date__year=models.F("year"))
                | models.Q(date__year=models.F("year") - 1, date__month=12),
                name="calendar_day_in_notice_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'调休上班' if self.is_workday else '放假'}（{self.name}）"


class OutboundMail(models.Model):
    """One e-mail to send, written in the same transaction as the action that caused it (the
    outbox): a rolled-back action sends nothing, a committed one is sent by a worker, once."""

    key = models.CharField("去重键", max_length=200, unique=True)
    recipients = models.JSONField("收件人", default=list)
    subject = models.CharField("主题", max_length=300)
    body = models.TextField("正文")
    message_id = models.CharField("Message-ID", max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发邮件"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.subject


class GeneratedDocument(models.Model):
    """A letter, report or circular rendered once per version and stored (private storage);
    a download serves the stored file."""

    kind = models.CharField("文书种类", max_length=40)
    key = models.CharField("对象", max_length=100)
    version = models.CharField("版本", max_length=64)
    fmt = models.CharField("格式", max_length=8)
    file = models.FileField("文件", storage=private_storage, max_length=300)
    size = models.PositiveIntegerField("大小", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "已生成文书"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "version", "fmt"], name="core_generated_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}@{self.version}.{self.fmt}"


class WorkerHeartbeat(models.Model):
    """A running `gongkai worker` writes its id here every few seconds; a task whose worker has
    stopped beating is given to another worker (gongkai.core.worker)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200, blank=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id
