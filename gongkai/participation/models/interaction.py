"""政民互动: policy enquiries, public messages, proposals handling, public-concern responses and
complaints about public institutions' disclosure."""

from django.db import models
from django.db.models import Q

from gongkai.core.fields import user_link


class EnquiryState(models.TextChoices):
    PENDING = "pending", "待答复"
    ANSWERED = "answered", "已答复"
    REJECTED = "rejected", "不予受理"


class Enquiry(models.Model):
    """政策咨询: a question about a policy; answered questions may be published to the
    knowledge base (question and answer only, never the asker's data)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="答复单位",
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    subject = models.CharField("咨询标题", max_length=200)
    question = models.TextField("咨询内容")
    policy_title = models.CharField("所咨询的政策", max_length=200, blank=True)
    policy_url = models.URLField("政策链接", max_length=500, blank=True)
    asker_name = models.CharField("咨询人", max_length=100)
    contact = models.CharField("联系方式", max_length=200)
    submitted_at = models.DateTimeField("提交时间")
    due_on = models.DateField("答复期限")
    due_on_provisional = models.BooleanField("答复期限暂定", default=False)
    state = models.CharField(
        "状态", max_length=20, choices=EnquiryState.choices, default=EnquiryState.PENDING
    )
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = user_link("答复人")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True)
    # Given to the asker to follow the enquiry up (core.tracking); empty on rows from before.
    tracking_code = models.CharField("查询码", max_length=16, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "政策咨询"
        verbose_name_plural = "政策咨询"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(state="answered"),
                name="enquiry_published_only_when_answered",
            )
        ]

    def __str__(self):
        return self.subject


class Mailbox(models.TextChoices):
    LEADER = "leader", "领导信箱"
    WEBSITE = "website", "网站留言"


class MessageState(models.TextChoices):
    RECEIVED = "received", "待分办"
    ROUTED = "routed", "办理中"
    ANSWERED = "answered", "已答复"
    INVALID = "invalid", "无效留言"


class Message(models.Model):
    """领导信箱 / 政府网站留言. Nothing valid may stay unanswered for three months."""

    government = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属政府",
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="办理单位",
        on_delete=models.PROTECT,
        related_name="messages",
    )
    mailbox = models.CharField("渠道", max_length=20, choices=Mailbox.choices)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("留言内容")
    writer_name = models.CharField("姓名", max_length=100)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    consent_to_publish = models.BooleanField("同意公开", default=False)
    received_at = models.DateTimeField("收到时间")
    due_on = models.DateField("答复期限")
    due_on_provisional = models.BooleanField("答复期限暂定", default=False)
    state = models.CharField(
        "状态", max_length=20, choices=MessageState.choices, default=MessageState.RECEIVED
    )
    routed_at = models.DateTimeField("分办时间", null=True, blank=True)
    invalid_reason = models.CharField("无效原因", max_length=200, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = user_link("答复人")
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True)
    tracking_code = models.CharField("查询码", max_length=16, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(state="answered", consent_to_publish=True),
                name="message_published_only_answered_with_consent",
            )
        ]

    def __str__(self):
        return self.subject


class ProposalKind(models.TextChoices):
    NPC_SUGGESTION = "npc_suggestion", "人大代表建议"
    CPPCC_PROPOSAL = "cppcc_proposal", "政协委员提案"


class ProposalResult(models.TextChoices):
    SOLVED = "solved", "A类（所提问题已经解决或基本解决）"
    PLANNED = "planned", "B类（所提问题正在解决或列入计划逐步解决）"
    REFERENCE = "reference", "C类（因条件限制或其他原因需要以后解决，留作参考）"


class Proposal(models.Model):
    """建议提案办理: the handling result of a deputy's suggestion or a member's proposal."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    kind = models.CharField("类别", max_length=20, choices=ProposalKind.choices)
    session = models.CharField("届次", max_length=100, help_text="如：市十八届人大二次会议")
    number = models.CharField("编号", max_length=30)
    title = models.CharField("标题", max_length=200)
    proposer = models.CharField("领衔代表（委员）", max_length=100)
    co_organisers = models.CharField("协办单位", max_length=300, blank=True)
    assigned_on = models.DateField("交办日期")
    due_on = models.DateField("办复期限")
    replied_on = models.DateField("办复日期", null=True, blank=True)
    result = models.CharField("办理结果", max_length=20, choices=ProposalResult.choices, blank=True)
    reply_summary = models.TextField("答复摘要", blank=True)
    publish_full_reply = models.BooleanField("全文公开", default=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "建议提案办理"
        verbose_name_plural = "建议提案办理"
        ordering = ["-assigned_on", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "session", "number"],
                name="proposal_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(replied_on__isnull=False),
                name="proposal_published_only_when_replied",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}第{self.number}号 {self.title}"


class ConcernKind(models.TextChoices):
    MAJOR_EMERGENCY = "major_emergency", "特别重大、重大突发事件"
    OTHER = "other", "其他政务舆情"


class ConcernState(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已办结"


class ConcernResponse(models.Model):
    """舆情回应台账: one public concern with its clock-hour deadlines (rules.concern_deadlines)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="涉事责任部门",
        on_delete=models.PROTECT,
        related_name="concern_responses",
    )
    title = models.CharField("舆情事项", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=ConcernKind.choices)
    source = models.CharField("舆情来源", max_length=200, blank=True)
    summary = models.TextField("舆情概要", blank=True)
    detected_at = models.DateTimeField("发现时间")
    state = models.CharField(
        "状态", max_length=20, choices=ConcernState.choices, default=ConcernState.OPEN
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "舆情回应"
        verbose_name_plural = "舆情回应"
        ordering = ["-detected_at", "-id"]

    def __str__(self):
        return self.title


class ReleaseKind(models.TextChoices):
    AUTHORITATIVE_INFO = "authoritative_info", "发布权威信息"
    PRESS_CONFERENCE = "press_conference", "召开新闻发布会"
    RESPONSE = "response", "回应"
    FOLLOW_UP = "follow_up", "持续发布"


class ConcernRelease(models.Model):
    """A response given to a concern, and when."""

    concern = models.ForeignKey(
        ConcernResponse, verbose_name="舆情事项", on_delete=models.CASCADE, related_name="releases"
    )
    kind = models.CharField("回应方式", max_length=30, choices=ReleaseKind.choices)
    at = models.DateTimeField("回应时间")
    channel = models.CharField("发布渠道", max_length=200, blank=True)
    content = models.TextField("回应内容", blank=True)
    url = models.URLField("链接", max_length=500, blank=True)

    class Meta:
        verbose_name = "舆情回应记录"
        verbose_name_plural = "舆情回应记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.concern} · {self.get_kind_display()}"


class InstitutionSector(models.TextChoices):
    EDUCATION = "education", "教育"
    HEALTH = "health", "卫生健康"
    WATER = "water", "供水"
    POWER = "power", "供电"
    GAS = "gas", "供气"
    HEATING = "heating", "供热"
    TRANSPORT = "transport", "公共交通"
    ENVIRONMENT = "environment", "环境保护"
    OTHER = "other", "其他"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", "办理中"
    HANDLED = "handled", "已办结"


class Complaint(models.Model):
    """公共企事业单位信息公开申诉, handled by the competent department (`organisation`)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="主管部门",
        on_delete=models.PROTECT,
        related_name="institution_complaints",
    )
    institution = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="被申诉单位（已登记）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_name = models.CharField("被申诉单位", max_length=200)
    sector = models.CharField("领域", max_length=20, choices=InstitutionSector.choices)
    complainant_name = models.CharField("申诉人", max_length=100)
    contact = models.CharField("联系方式", max_length=200)
    content = models.TextField("申诉内容")
    received_on = models.DateField("收到日期")
    due_on = models.DateField("办理期限")
    due_on_provisional = models.BooleanField("办理期限暂定", default=False)
    state = models.CharField(
        "状态", max_length=20, choices=ComplaintState.choices, default=ComplaintState.RECEIVED
    )
    result = models.TextField("处理结果", blank=True)
    handled_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    idempotency_key = models.UUIDField("提交标识", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "公共企事业单位信息公开申诉"
        verbose_name_plural = "公共企事业单位信息公开申诉"
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.institution_name} · {self.received_on:%Y-%m-%d}"
