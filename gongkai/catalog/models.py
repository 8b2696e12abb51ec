"""The disclosure catalogue: Record (政府信息), Interpretation (政策解读), Column (栏目),
StandardCatalogue (政务公开事项标准目录), and the validity and clean-up history.

Workflow changes happen only in catalog.actions; what the public may see only in
catalog.visibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.orgs.models import Organisation


class Attribute(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "保密审查中"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# Groups of states, defined once.
EDITABLE_STATUSES = (Status.DRAFT,)
PRE_PUBLICATION_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class Genre(models.TextChoices):
    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "政策性文件"
    NOTICE = "notice", "通知公告"
    PLAN = "plan", "规划计划"
    REPORT = "report", "工作报告与总结"
    STATISTICS = "statistics", "统计信息"
    BUDGET = "budget", "财政预决算"
    PERSONNEL = "personnel", "人事信息"
    GUIDE = "guide", "公开指南与制度"
    ANNUAL_REPORT = "annual_report", "政府信息公开年报"
    OTHER = "other", "其他"


# Genres whose validity is tracked and that need an interpretation (三同步).
LIBRARY_GENRES = (Genre.RULE, Genre.NORMATIVE, Genre.POLICY)
INTERPRETED_GENRES = (Genre.RULE, Genre.NORMATIVE)
# What the annual report counts as 政策文件 among the year's records.
POLICY_GENRES = (Genre.RULE, Genre.NORMATIVE, Genre.POLICY)


class Topic(models.TextChoices):
    """主题分类 (the State Council's first-level topic classes most used locally)."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND = "land", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY = "industry", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    URBAN = "urban", "城乡建设、环境保护"
    EDUCATION = "education", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH = "health", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    PUBLIC_SECURITY = "public_security", "公安、安全、司法"
    CIVIL_AFFAIRS = "civil_affairs", "民政、扶贫、救灾"
    OTHER = "other", "其他"


class InterpretationPlan(models.TextChoices):
    WITH = "with", "与文件同步发布解读"
    LATER = "later", "文件发布后3个工作日内发布解读"
    EXEMPT = "exempt", "免于解读（须说明理由）"


class ColumnKind(models.TextChoices):
    GUIDE = "guide", "政府信息公开指南"
    SYSTEM = "system", "政府信息公开制度"
    STATUTORY = "statutory", "法定主动公开内容"
    ANNUAL_REPORT = "annual_report", "政府信息公开年报"
    OTHER = "other", "其他栏目"


DEFAULT_COLUMNS = [
    (ColumnKind.GUIDE, "政府信息公开指南"),
    (ColumnKind.SYSTEM, "政府信息公开制度"),
    (ColumnKind.STATUTORY, "法定主动公开内容"),
    (ColumnKind.ANNUAL_REPORT, "政府信息公开年报"),
]


class Column(models.Model):
    """A section of an organisation's disclosure page."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="columns"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级栏目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField("栏目名称", max_length=100)
    kind = models.CharField(
        "栏目类型", max_length=20, choices=ColumnKind.choices, default=ColumnKind.OTHER
    )
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="column_unique_name"
            ),
            # NULL parents never collide above, so top-level names need their own rule.
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=Q(parent__isnull=True),
                name="column_unique_top_name",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class StandardCatalogue(models.Model):
    """One entry of an organisation's 政务公开事项标准目录 (domain → 一级事项 → 二级事项)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="catalogue_entries",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级事项",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField("事项名称", max_length=200)
    domain = models.CharField("领域", max_length=50, blank=True)
    content = models.TextField("公开内容（要素）", blank=True)
    basis = models.TextField("公开依据", blank=True)
    time_limit = models.CharField(
        "公开时限", max_length=200, blank=True, default="自信息形成或者变更之日起20个工作日内"
    )
    channels = models.CharField("公开渠道和载体", max_length=300, blank=True, default="政府网站")
    audience = models.CharField("公开对象", max_length=50, blank=True, default="全社会")
    mode = models.CharField("公开方式", max_length=20, blank=True, default="主动公开")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "标准目录事项"
        verbose_name_plural = "标准目录事项"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def audit_organisation_id(self):
        return self.organisation_id


class IndexCounter(models.Model):
    """The last serial number used for an index-number prefix and year."""

    prefix = models.CharField(max_length=64)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="index_counter_unique")
        ]

    def __str__(self):
        return f"{self.prefix}/{self.year}: {self.last}"


class RecordQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("publisher", "column", "catalogue").only(
            "id",
            "index_no",
            "title",
            "doc_no",
            "written_on",
            "published_at",
            "genre",
            "topic",
            "validity",
            "status",
            "attribute",
            "publisher__name",
            "publisher__short_name",
            "publisher__government_id",
            "column__name",
            "catalogue__name",
            "made_on",
            "publish_due_on",
            "publish_due_on_provisional",
            "scheduled_at",
            "government_id",
            "interpretation_plan",
            "interpretation_due_on",
            "interpretation_due_on_provisional",
        )

    def library(self):
        return self.filter(genre__in=LIBRARY_GENRES)


class Record(models.Model):
    """政府信息: one item of government information."""

    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.PROTECT, related_name="+"
    )
    publisher = models.ForeignKey(
        Organisation, verbose_name="发布机构", on_delete=models.PROTECT, related_name="records"
    )
    index_no = models.CharField("索引号", max_length=64, unique=True, editable=False)
    title = models.CharField("标题", max_length=300)
    doc_no = models.CharField("文号", max_length=100, blank=True)
    doc_no_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    written_on = models.DateField("成文日期", null=True, blank=True)
    made_on = models.DateField(
        "信息形成（变更）日期", help_text="20个工作日的公开时限从此日起算（条例第26条）。"
    )
    publish_due_on = models.DateField("应公开期限", null=True, blank=True, editable=False)
    publish_due_on_provisional = models.BooleanField(
        "应公开期限暂定", default=False, editable=False
    )
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    topic = models.CharField(
        "主题分类", max_length=20, choices=Topic.choices, default=Topic.GENERAL
    )
    genre = models.CharField("体裁分类", max_length=20, choices=Genre.choices, default=Genre.OTHER)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    attribute = models.CharField(
        "公开属性", max_length=20, choices=Attribute.choices, default=Attribute.PROACTIVE
    )
    attribute_reason = models.TextField("不公开理由", blank=True)
    attribute_basis = models.CharField("法律依据", max_length=200, blank=True)
    attribute_confirmed = models.BooleanField("公开办已确认公开属性", default=False)
    validity = models.CharField(
        "有效性", max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField("有效性变更日期", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="修改或废止文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    effective_on = models.DateField("施行日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    is_important_policy = models.BooleanField("重要政策（须解读）", default=False)
    interpretation_plan = models.CharField(
        "解读安排", max_length=10, blank=True, choices=InterpretationPlan.choices
    )
    interpretation_exempt_reason = models.TextField("免于解读理由", blank=True)
    interpretation_due_on = models.DateField("解读应发布期限", null=True, blank=True)
    interpretation_due_on_provisional = models.BooleanField("解读应发布期限暂定", default=False)
    column = models.ForeignKey(
        Column,
        verbose_name="栏目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    catalogue = models.ForeignKey(
        StandardCatalogue,
        verbose_name="标准目录事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField("退回意见", blank=True)
    withdrawn_reason = models.TextField("撤回理由", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    source_ref = models.CharField("原系统编号", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "publish_due_on"], name="record_due"),
            # What the public gate selects, newest first (the lists' order, with the id as
            # tie-breaker). The trailing columns make the index covering for the gate and the
            # browse filters, so a capped count never reads a table row: SQLite (before 3.42)
            # cannot tell that the partial index's condition already holds and would read
            # every row to re-check it (26 ms → 0.6 ms for a 2,000 count at 1,000,000 records;
            # 273 ms → 7 ms filtered by genre and year).
            models.Index(
                fields=[
                    "government",
                    "-published_at",
                    "-id",
                    "genre",
                    "topic",
                    "validity",
                    "publisher",
                    "status",
                    "attribute",
                    "withdrawn_at",
                ],
                condition=Q(status="published", attribute="proactive", withdrawn_at__isnull=True),
                name="record_public_covering",
            ),
            models.Index(
                fields=[
                    "publisher",
                    "-published_at",
                    "-id",
                    "government",
                    "status",
                    "attribute",
                    "withdrawn_at",
                ],
                condition=Q(status="published", attribute="proactive", withdrawn_at__isnull=True),
                name="record_public_by_pub_cov",
            ),
            # The browse list and the policy library filtered by 体裁: the genre's public
            # records of a year, or its first 2,001 for the capped count, are one range of this
            # index (without it a count walks the government's records in time order to find
            # the genre's: 3 ms at 20,000 records for the policy library's three genres).
            models.Index(
                fields=[
                    "government",
                    "genre",
                    "-published_at",
                    "-id",
                    "topic",
                    "validity",
                    "publisher",
                    "status",
                    "attribute",
                    "withdrawn_at",
                ],
                condition=Q(status="published", attribute="proactive", withdrawn_at__isnull=True),
                name="record_public_by_genre_cov",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attribute="proactive") | ~Q(attribute_reason="") | Q(status="draft"),
                name="record_reason_when_not_proactive",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                name="record_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(interpretation_plan="exempt")
                | ~Q(interpretation_exempt_reason="")
                | Q(status="draft"),
                name="record_exemption_has_reason",
            ),
            models.UniqueConstraint(
                fields=["publisher", "source_ref"],
                condition=~Q(source_ref=""),
                name="record_unique_source_ref",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_organisation_id(self):
        return self.publisher_id

    @property
    def in_library(self) -> bool:
        return self.genre in LIBRARY_GENRES

    @property
    def needs_interpretation(self) -> bool:
        return self.genre in INTERPRETED_GENRES or self.is_important_policy

    def search_text(self) -> str:
        return "\n".join(
            part
            for part in (
                self.doc_no,
                self.index_no,
                self.keywords,
                self.summary,
                _strip_tags(self.body),
            )
            if part
        )


def _strip_tags(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html or "")


def attachment_path(instance, filename):
    return f"catalog/{instance.record_id}/{filename}"


class Attachment(models.Model):
    record = models.ForeignKey(
        Record, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图片解读"
    VIDEO = "video", "视频解读"
    QA = "qa", "问答解读"


class InterpretationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Interpretation(models.Model):
    """政策解读, linked to the policy it explains. Drafted beside the policy and published with
    it (三同步), or on its own within 3 working days of the policy."""

    policy = models.ForeignKey(
        Record,
        verbose_name="所解读的文件",
        on_delete=models.CASCADE,
        related_name="interpretations",
    )
    kind = models.CharField(
        "解读形式",
        max_length=10,
        choices=InterpretationKind.choices,
        default=InterpretationKind.TEXT,
    )
    title = models.CharField("解读标题", max_length=300)
    body = models.TextField("解读内容", blank=True)
    image = models.FileField("图片", upload_to="catalog/interpretations/", blank=True)
    video_url = models.URLField("视频链接", blank=True)
    interpreter = models.CharField("解读人", max_length=100, blank=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=InterpretationStatus.choices,
        default=InterpretationStatus.DRAFT,
    )
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def audit_organisation_id(self):
        return self.policy.publisher_id


class QA(models.Model):
    interpretation = models.ForeignKey(
        Interpretation, on_delete=models.CASCADE, related_name="questions"
    )
    question = models.TextField("问")
    answer = models.TextField("答")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.question[:50]


class ValidityChange(models.Model):
    """The validity history of a rule or normative document (the annual report counts
    repeals per year from here)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="validity_changes")
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices)
    changed_on = models.DateField("变更日期")
    by_record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self):
        return f"{self.get_validity_display()} {self.changed_on}"


class CleanupStatus(models.TextChoices):
    OPEN = "open", "清理中"
    CLOSED = "closed", "已完成"


class CleanupDecision(models.TextChoices):
    KEEP = "keep", "继续有效"
    AMEND = "amend", "拟修改"
    REPEAL = "repeal", "拟废止"


class Cleanup(models.Model):
    """A clean-up of the rules and normative documents in force (规章和规范性文件清理)."""

    government = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("清理名称", max_length=200)
    started_on = models.DateField("开始日期")
    status = models.CharField(
        "状态", max_length=10, choices=CleanupStatus.choices, default=CleanupStatus.OPEN
    )
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "文件清理"
        verbose_name_plural = "文件清理"
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return self.name

    @property
    def audit_organisation_id(self):
        return self.government_id


class CleanupItem(models.Model):
    cleanup = models.ForeignKey(Cleanup, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(
        "清理意见", max_length=10, choices=CleanupDecision.choices, blank=True
    )
    note = models.TextField("说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cleanup", "record"], name="cleanup_item_unique")
        ]

    def __str__(self):
        return f"{self.cleanup_id}:{self.record_id}"
