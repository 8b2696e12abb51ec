"""Information requests (依申请公开): the request, its requester, its append-only event history,
replies with the annual report's outcome rows, letters, fees, reviews and litigation.

Every change goes through gongkai.foi.actions; the due date is derived from the events by
gongkai.foi.clock and only cached here (`due_on`) for dashboards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.storage import private_storage
from gongkai.orgs.models import Organisation


class RequesterKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


class Requester(models.Model):
    """申请人: a natural person or an organisation of one of the five kinds (条例第29条)."""

    kind = models.CharField("申请人类型", max_length=20, choices=RequesterKind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=64)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    contact_name = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    id_proof = models.FileField(
        "身份证明", upload_to="foi/id_proofs/%Y/%m/", blank=True, storage=private_storage
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        indexes = [models.Index(fields=["id_number"], name="foi_requester_id_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


def mask_id(number: str) -> str:
    """370***********1234: the first 3 and last 4 characters of an ID number."""
    number = number or ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", "政府信息公开申请"
    RECORD_CORRECTION = "record_correction", "更正本人信息申请（条例第41条）"


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "信函"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"


class InfoForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子数据"
    VIEWING = "viewing", "现场查阅"
    OTHER = "other", "其他"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    COLLECT = "collect", "当面领取"
    ONLINE = "online", "网上获取（本平台）"


class State(models.TextChoices):
    SUBMITTED = "submitted", "待确认受理"
    RECEIVED = "received", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    THIRD_PARTY = "third_party", "征求第三方意见"
    AGENCY_CONSULTATION = "agency_consultation", "征求其他机关意见"
    AWAITING_PAYMENT = "awaiting_payment", "待缴费"
    REPLIED = "replied", "已答复"
    DELIVERED = "delivered", "已送达"
    ARCHIVED = "archived", "已归档"
    WITHDRAWN = "withdrawn", "已撤回"
    LAPSED = "lapsed", "视为放弃，不再处理"


PAUSED_STATES = (
    State.AWAITING_CORRECTION,
    State.THIRD_PARTY,
    State.AGENCY_CONSULTATION,
    State.AWAITING_PAYMENT,
)
# States in which the request is being handled and the clock matters.
OPEN_STATES = (State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS, *PAUSED_STATES)
RUNNING_STATES = (State.RECEIVED, State.IN_PROGRESS)  # the reply clock is counting
CLOCK_STATES = (State.RECEIVED, State.IN_PROGRESS, *PAUSED_STATES)
CLOSED_STATES = (State.REPLIED, State.DELIVERED, State.ARCHIVED, State.WITHDRAWN, State.LAPSED)


class Outcome(models.TextChoices):
    """办理结果: exactly the rows of table 三 of the annual report (国办公开办函〔2021〕30号)."""

    DISCLOSED = "disclosed", "予以公开"
    PARTLY_DISCLOSED = "partly_disclosed", "部分公开"
    NOT_DISCLOSED = "not_disclosed", "不予公开"
    CANNOT_PROVIDE = "cannot_provide", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


# Sub-rows in the report's order; the number is the sub-row number (1-based).
OUTCOME_REASONS: dict[str, tuple[str, ...]] = {
    Outcome.NOT_DISCLOSED: (
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及“三安全一稳定”",
        "保护第三方合法权益",
        "属于三类内部事务信息",
        "属于四类过程性信息",
        "属于行政执法案卷",
        "属于行政查询事项",
    ),
    Outcome.CANNOT_PROVIDE: (
        "本机关不掌握相关政府信息",
        "没有现成信息需要另行制作",
        "补正后申请内容仍不明确",
    ),
    Outcome.NOT_PROCESSED: (
        "信访举报投诉类申请",
        "重复申请",
        "要求提供公开出版物",
        "无正当理由大量反复申请",
        "要求行政机关确认或重新出具已获取信息",
    ),
    Outcome.OTHER: (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "其他",
    ),
}

# The legal basis a reply states by default (RULES.md §2 mapping; editable per reply).
DEFAULT_BASIS: dict[tuple[str, int | None], str] = {
    (Outcome.DISCLOSED, None): "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    (Outcome.PARTLY_DISCLOSED, None): "《中华人民共和国政府信息公开条例》第三十七条",
    (Outcome.NOT_DISCLOSED, 1): "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    (Outcome.NOT_DISCLOSED, 2): "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    (Outcome.NOT_DISCLOSED, 3): "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    (Outcome.NOT_DISCLOSED, 4): "《中华人民共和国政府信息公开条例》第十五条、第三十二条",
    (Outcome.NOT_DISCLOSED, 5): "《中华人民共和国政府信息公开条例》第十六条第一款",
    (Outcome.NOT_DISCLOSED, 6): "《中华人民共和国政府信息公开条例》第十六条第二款",
    (Outcome.NOT_DISCLOSED, 7): "《中华人民共和国政府信息公开条例》第十六条第二款",
    (Outcome.NOT_DISCLOSED, 8): "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    (
        Outcome.CANNOT_PROVIDE,
        1,
    ): "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    (Outcome.CANNOT_PROVIDE, 2): "《中华人民共和国政府信息公开条例》第三十八条",
    (Outcome.CANNOT_PROVIDE, 3): "《中华人民共和国政府信息公开条例》第三十条",
    (Outcome.NOT_PROCESSED, 1): "《中华人民共和国政府信息公开条例》第三十九条第一款",
    (Outcome.NOT_PROCESSED, 2): "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    (Outcome.NOT_PROCESSED, 3): "《中华人民共和国政府信息公开条例》第三十九条第二款",
    (Outcome.NOT_PROCESSED, 4): "《中华人民共和国政府信息公开条例》第三十五条",
    # 不予处理-5: RULES.md maps no article to this row, so the letter cites none.
    (Outcome.NOT_PROCESSED, 5): "",
    (Outcome.OTHER, 1): "《中华人民共和国政府信息公开条例》第三十条",
    (Outcome.OTHER, 2): "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    (Outcome.OTHER, 3): "《中华人民共和国政府信息公开条例》",
}


class ReplyPath(models.TextChoices):
    """Which provision of 条例第36条 a reply follows where one report row covers several: an
    already published item is answered under 36(一) and counted as 予以公开; 无法提供-1 is either
    36(四) (the information does not exist) or 36(五) (another agency is responsible)."""

    PUBLISHED = "published", "已主动公开，告知获取方式和途径（条例第三十六条第（一）项）"
    NOT_EXIST = "not_exist", "政府信息不存在（条例第三十六条第（四）项）"
    NOT_OURS = "not_ours", "不属于本机关负责公开（条例第三十六条第（五）项）"


# The pair (outcome, reason) each path belongs to.
PATH_PAIRS: dict[str, tuple[str, int | None]] = {
    ReplyPath.PUBLISHED: (Outcome.DISCLOSED, None),
    ReplyPath.NOT_EXIST: (Outcome.CANNOT_PROVIDE, 1),
    ReplyPath.NOT_OURS: (Outcome.CANNOT_PROVIDE, 1),
}
PATH_BASIS: dict[str, str] = {
    ReplyPath.PUBLISHED: "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    ReplyPath.NOT_EXIST: "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    ReplyPath.NOT_OURS: "《中华人民共和国政府信息公开条例》第三十六条第（五）项",
}
# Outcomes whose letter must state reasons for what is withheld (条例第36条第（三）项、第37条).
REASONS_REQUIRED = (Outcome.PARTLY_DISCLOSED, Outcome.NOT_DISCLOSED)


def reason_range_q(prefix: str = "") -> Q:
    """A reason number belongs to its outcome: the check constraint of InfoRequest and Reply."""
    q = Q(**{f"{prefix}outcome_reason__isnull": True})
    for outcome, reasons in OUTCOME_REASONS.items():
        q |= Q(
            **{
                f"{prefix}outcome": str(outcome),
                f"{prefix}outcome_reason__gte": 1,
                f"{prefix}outcome_reason__lte": len(reasons),
            }
        )
    return q


def reason_value(outcome: str, reason: int) -> str:
    """The form's option value of a reason: unique across outcomes, e.g. 「不予公开-1」."""
    return f"{Outcome(outcome).label}-{reason}"


def parse_reason_value(value: str) -> tuple[str, int] | None:
    """(outcome, reason) from an option value such as 「不予公开-1」 or 「not_disclosed-1」."""
    head, sep, tail = (value or "").strip().rpartition("-")
    if not sep or not tail.isdigit():
        return None
    for outcome in Outcome:
        reasons = OUTCOME_REASONS.get(outcome, ())
        if head in (outcome.value, outcome.label) and 1 <= int(tail) <= len(reasons):
            return str(outcome), int(tail)
    return None


def resolve_reason(outcome: str, value: object) -> tuple[str, int | None]:
    """The (outcome, reason) pair from a chosen outcome and a reason given as its unique value
    (「不予公开-1」, as the form and the API send it): a reason of another outcome is refused
    with ValueError carrying the Chinese message; the outcome may be left to the reason."""
    if value in (None, ""):
        return outcome, None
    pair = parse_reason_value(str(value))
    if pair is None:
        raise ValueError(f"具体理由「{value}」无效，应为「不予公开-1」这样的办理结果和序号。")
    if outcome and outcome != pair[0]:
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        raise ValueError(
            f"所选理由「{outcome_label(*pair)}」不属于办理结果「{label}」，请重新选择。"
        )
    return pair


def outcome_label(outcome: str | None, reason: int | None) -> str:
    if not outcome:
        return ""
    label = Outcome(outcome).label
    reasons = OUTCOME_REASONS.get(outcome)
    if reasons and reason:
        label += f"—{reason}.{reasons[reason - 1]}"
    return label


def valid_outcome(outcome: str | None, reason: int | None) -> str | None:
    """None when (outcome, reason) is one report row; else the Chinese problem."""
    if not outcome:
        return "请选择办理结果。"
    if outcome not in Outcome.values:
        return f"办理结果「{outcome}」不是年度报告中的类别。"
    reasons = OUTCOME_REASONS.get(outcome)
    if reasons is None:
        if reason:
            return f"办理结果「{Outcome(outcome).label}」没有细分理由，请不要填写理由序号。"
        return None
    if not reason:
        return f"办理结果「{Outcome(outcome).label}」须选择具体理由（1–{len(reasons)}）。"
    if not 1 <= reason <= len(reasons):
        return (
            f"办理结果「{Outcome(outcome).label}」的理由序号应为 1–{len(reasons)}，收到 {reason}。"
        )
    return None


class CorrectionResult(models.TextChoices):
    """The reply to a 条例第41条 request to correct records about the requester."""

    CORRECTED = "corrected", "予以更正"
    REFERRED = "referred", "转送有权更正的机关处理"
    NOT_CORRECTED = "not_corrected", "经核实信息准确，不予更正"
    NOT_COMPETENT = "not_competent", "本机关无权更正"


class FeeScheme(models.TextChoices):
    BY_COUNT = "by_count", "按件计收"
    BY_PAGES = "by_pages", "按量计收"


def overdue_q(today: date) -> Q:
    """THE definition of overdue: the clock runs (or a pause begun after the due date, which
    pauses nothing, 条例第33条) and the due date has passed. It stays overdue whatever is done
    next, until the reply is signed."""
    return Q(state__in=CLOCK_STATES, clock_paused=False, due_on__lt=today)


def due_soon_q(today: date, soon: date) -> Q:
    return Q(state__in=CLOCK_STATES, clock_paused=False, due_on__gte=today, due_on__lte=soon)


def paused_q() -> Q:
    """Paused: awaiting correction, or a pause that counts is running."""
    return Q(state=State.AWAITING_CORRECTION) | Q(state__in=CLOCK_STATES, clock_paused=True)


def unconfirmed_q() -> Q:
    """Applications that arrived but await confirmation (条例第31条(二)(三))."""
    return Q(state=State.SUBMITTED)


class InfoRequestQuerySet(models.QuerySet["InfoRequest"]):
    def open(self) -> InfoRequestQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def for_list(self) -> InfoRequestQuerySet:
        return self.select_related("organisation", "requester", "officer")

    def deadline_counts(self, today: date, soon: date) -> dict[str, int]:
        """One query: open, due by `soon` (a working-day horizon), overdue and paused requests."""
        return self.aggregate(
            open=models.Count("id", filter=Q(state__in=OPEN_STATES)),
            due_soon=models.Count("id", filter=due_soon_q(today, soon)),
            overdue=models.Count("id", filter=overdue_q(today)),
            paused=models.Count("id", filter=paused_q()),
        )


class InfoRequest(models.Model):
    """政府信息公开申请."""

    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="办理机关",
        on_delete=models.PROTECT,
        related_name="info_requests",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requester = models.ForeignKey(
        Requester, verbose_name="申请人", on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(
        "申请类型", max_length=20, choices=RequestKind.choices, default=RequestKind.DISCLOSURE
    )
    ref = models.CharField("登记编号", max_length=40, blank=True)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    idempotency_key = models.CharField(
        "提交标识", max_length=64, null=True, blank=True, unique=True
    )
    description = models.TextField("所需信息的名称或内容描述")
    doc_no = models.CharField("文号", max_length=200, blank=True)
    info_form = models.CharField(
        "信息形式", max_length=20, choices=InfoForm.choices, default=InfoForm.ELECTRONIC
    )
    delivery = models.CharField(
        "获取方式", max_length=20, choices=Delivery.choices, default=Delivery.ONLINE
    )
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    signed_for = models.BooleanField("信函需签收（挂号/快递）", default=False)
    arrived_at = models.DateTimeField("送达/提交时间")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    received_on = models.DateField("法定收到日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=24, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    outcome = models.CharField(
        "办理结果", max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    outcome_reason = models.PositiveSmallIntegerField("理由序号", null=True, blank=True)
    correction_result = models.CharField(
        "更正结果", max_length=20, choices=CorrectionResult.choices, blank=True, default=""
    )
    finished_on = models.DateField("办结日期", null=True, blank=True)
    # Cached from the clock (gongkai.foi.clock), recomputed by every action.
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    # True while a pause that counts (started within the period) is running: such a request is
    # not overdue. A pause begun after the due date pauses nothing (条例第33条).
    clock_paused = models.BooleanField("计时暂停中", default=False)
    extended = models.BooleanField("已延期", default=False)
    converted_to_proactive = models.BooleanField("已转主动公开", default=False)
    imported = models.BooleanField("历史导入", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = InfoRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "ref"], condition=~Q(ref=""), name="foi_unique_ref"
            ),
            models.CheckConstraint(
                condition=Q(outcome_reason__isnull=True)
                | Q(outcome__in=["not_disclosed", "cannot_provide", "not_processed", "other"]),
                name="foi_reason_only_with_outcome",
            ),
            models.CheckConstraint(condition=reason_range_q(), name="foi_reason_of_outcome"),
            models.CheckConstraint(
                condition=~Q(state__in=["replied", "delivered", "archived"])
                | ~Q(outcome="")
                | ~Q(correction_result=""),
                name="foi_reply_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="foi_org_state_idx")]

    def __str__(self) -> str:
        return self.ref or f"申请 {self.tracking_code}"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.organisation_id

    @property
    def is_paused(self) -> bool:
        return self.state in PAUSED_STATES

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def outcome_display(self) -> str:
        if self.correction_result:
            return self.get_correction_result_display()
        return outcome_label(self.outcome, self.outcome_reason)

    @property
    def confirmed_late(self) -> bool:
        """An ordinary letter (or an online/fax application) confirmed after the day it arrived:
        条例第31条(二) asks the office to confirm on the day of arrival."""
        from django.utils import timezone

        if self.confirmed_at is None or self.arrived_at is None:
            return False
        if self.channel == Channel.IN_PERSON or (self.channel == Channel.POST and self.signed_for):
            return False
        return timezone.localdate(self.confirmed_at) > timezone.localdate(self.arrived_at)


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "网上提交申请"
    REGISTERED = "registered", "登记申请"
    RECEIVED = "received", "确认受理"
    ASSIGNED = "assigned", "指定承办人"
    TRANSFERRED = "transferred", "转办"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CORRECTION_LAPSED = "correction_lapsed", "逾期未补正"
    THIRD_PARTY_STARTED = "third_party_started", "征求第三方意见"
    THIRD_PARTY_ENDED = "third_party_ended", "第三方意见结束"
    CONSULTATION_STARTED = "consultation_started", "征求其他机关意见（会商）"
    CONSULTATION_ENDED = "consultation_ended", "会商结束"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "已缴费"
    FEE_LAPSED = "fee_lapsed", "逾期未缴费"
    FEE_NOTICE_RECEIVED = "fee_notice_received", "申请人收到收费通知"
    LETTER_DELIVERY = "letter_delivery", "登记文书送达"
    EXTENSION_PROPOSED = "extension_proposed", "申请延期"
    EXTENDED = "extended", "批准延期"
    REASONS_REQUESTED = "reasons_requested", "要求申请人说明理由（条例第35条）"
    REASONS_REJECTED = "reasons_rejected", "申请理由不合理（条例第35条）"
    DEADLINE_SET = "deadline_set", "确定延迟答复的合理期限（条例第35条）"
    THIRD_PARTY_DECISION = "third_party_decision", "决定公开并书面告知第三方（条例第32条）"
    REPLY_DRAFTED = "reply_drafted", "拟写答复（承办）"
    REPLY_REVIEWED = "reply_reviewed", "审核答复"
    REPLY_RETURNED = "reply_returned", "退回答复"
    REPLY_SIGNED = "reply_signed", "签发答复"
    DELIVERED = "delivered", "送达"
    ARCHIVED = "archived", "归档"
    WITHDRAWN = "withdrawn", "申请人撤回"
    NOTE = "note", "备注"
    CONVERTED = "converted", "依申请转主动"
    IMPORTED = "imported", "历史导入"


class RequestEvent(models.Model):
    """One event in a request's history. Append-only: the clock is derived from these."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=32, choices=EventKind.choices)
    on = models.DateField("法定日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    public = models.BooleanField("申请人可见", default=True)

    class Meta:
        verbose_name = "申请事件"
        verbose_name_plural = "申请事件"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(kind="extended"), name="foi_one_extension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("申请事件只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("申请事件只能新增，不能删除")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", "承办拟稿"
    REVIEW = "review", "待审核"
    SIGN = "sign", "待签发"
    SIGNED = "signed", "已签发"


class Reply(models.Model):
    """The reply being prepared: 承办 → 审核 → 签发. Signing issues the letter."""

    request = models.OneToOneField(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="reply"
    )
    outcome = models.CharField("办理结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.PositiveSmallIntegerField("理由序号", null=True, blank=True)
    correction_result = models.CharField(
        "更正结果", max_length=20, choices=CorrectionResult.choices, blank=True
    )
    path = models.CharField(
        "答复情形", max_length=20, choices=ReplyPath.choices, blank=True, default=""
    )
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    body = models.TextField("答复正文")
    reasons = models.TextField("不予公开的内容及理由", blank=True, default="")
    published_where = models.CharField("已公开的位置", max_length=300, blank=True, default="")
    published_url = models.URLField("已公开信息的链接", max_length=500, blank=True, default="")
    responsible_name = models.CharField("负责公开的机关", max_length=200, blank=True, default="")
    responsible_contact = models.CharField(
        "负责公开机关的联系方式", max_length=300, blank=True, default=""
    )
    status = models.CharField(
        "审批状态", max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    records = models.JSONField("关联政府信息", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        constraints = [
            models.CheckConstraint(condition=reason_range_q(), name="foi_reply_reason_of_outcome"),
            models.CheckConstraint(
                condition=Q(path="")
                | Q(path="published", outcome="disclosed")
                | Q(path__in=["not_exist", "not_ours"], outcome="cannot_provide", outcome_reason=1),
                name="foi_reply_path_of_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} 的答复"

    @property
    def outcome_display(self) -> str:
        if self.correction_result:
            return self.get_correction_result_display()
        return outcome_label(self.outcome, self.outcome_reason)


class LetterKind(models.TextChoices):
    REPLY = "reply", "政府信息公开申请答复书"
    CORRECTION_NOTICE = "correction_notice", "补正申请告知书"
    EXTENSION_NOTICE = "extension_notice", "延期答复告知书"
    FEE_NOTICE = "fee_notice", "收费通知书"
    RECEIPT = "receipt", "受理回执"
    THIRD_PARTY = "third_party", "第三方意见征询函"
    CONSULTATION = "consultation", "会商函"
    THIRD_PARTY_DECISION = "third_party_decision", "公开决定告知书"
    REASONS_REQUEST = "reasons_request", "说明理由通知书"
    DEADLINE_NOTICE = "deadline_notice", "延迟答复告知书"


class Recipient(models.TextChoices):
    REQUESTER = "requester", "申请人"
    THIRD_PARTY = "third_party", "第三方"
    AGENCY = "agency", "其他机关"


class DeliveryChannel(models.TextChoices):
    POST = "post", "邮寄（挂号/快递）"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上（本平台）"
    IN_PERSON = "in_person", "当面领取"
    FAX = "fax", "传真"


class LetterQuerySet(models.QuerySet["Letter"]):
    def to_requester(self) -> LetterQuerySet:
        """The letters addressed to the applicant: never a third party's or another agency's
        (they name the third party and the information concerned)."""
        return self.filter(recipient=Recipient.REQUESTER)


class Letter(models.Model):
    """A numbered letter issued to the requester; rendered to .docx/PDF from its stored text."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="letters"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="出具机关", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文书类型", max_length=20, choices=LetterKind.choices)
    recipient = models.CharField(
        "收件人类型", max_length=20, choices=Recipient.choices, default=Recipient.REQUESTER
    )
    recipient_name = models.CharField("收件人", max_length=200, blank=True, default="")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    number = models.CharField("文书编号", max_length=80)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    issued_on = models.DateField("出具日期")
    # Delivery (issue 15 point 11): periods that run from receipt (the fee period, remedies)
    # run from `delivered_on`, the day the requester received the letter.
    delivery_channel = models.CharField(
        "送达渠道", max_length=20, choices=DeliveryChannel.choices, blank=True
    )
    sent_on = models.DateField("寄发日期", null=True, blank=True)
    tracking_no = models.CharField("邮件单号", max_length=60, blank=True)
    delivered_on = models.DateField("申请人收到日期", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "serial"], name="foi_letter_unique_no"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class Correction(models.Model):
    """A correction (补正) the requester uploaded through the requester's view or staff entered."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="corrections"
    )
    text = models.TextField("补正内容")
    file = models.FileField(
        "附件", upload_to="foi/corrections/%Y/%m/", blank=True, storage=private_storage
    )
    received_on = models.DateField("收到日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "补正材料"
        verbose_name_plural = "补正材料"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request} 补正（{self.received_on}）"


class Fee(models.Model):
    """信息处理费 for one request (国办函〔2020〕109号): one scheme per request."""

    request = models.OneToOneField(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="fee"
    )
    scheme = models.CharField("计收方式", max_length=10, choices=FeeScheme.choices)
    quantity = models.PositiveIntegerField("件数序号或页数")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    noticed_on = models.DateField("通知出具日期")
    # 109号: 20 working days from the day after the requester receives the notice; unknown
    # (None) until the receipt is recorded.
    notice_received_on = models.DateField("申请人收到通知日期", null=True, blank=True)
    pay_by = models.DateField("缴费期限", null=True, blank=True)
    pay_by_provisional = models.BooleanField(default=False)
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    lapsed = models.BooleanField("逾期未缴", default=False)

    class Meta:
        verbose_name = "信息处理费"
        verbose_name_plural = "信息处理费"

    def __str__(self) -> str:
        return f"{self.request} 信息处理费 {self.amount} 元"


class ReviewKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", "维持"
    CORRECTED = "corrected", "纠正"
    OTHER = "other", "其他"
    PENDING = "pending", "尚未审结"


class ReviewCase(models.Model):
    """行政复议 / 行政诉讼 arising from a request (report table 四)."""

    request = models.ForeignKey(
        InfoRequest,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="review_cases",
        null=True,
        blank=True,
    )
    # The respondent organisation and its government: set from the request, or entered for a
    # case not tied to one request (table 四 counts both).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="被申请人/被告机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.PROTECT, related_name="+"
    )
    inaction = models.BooleanField("不作为（逾期未答复）", default=False)
    subject = models.CharField("案由", max_length=300, blank=True)
    kind = models.CharField("类型", max_length=30, choices=ReviewKind.choices)
    case_no = models.CharField("案号", max_length=100, blank=True)
    body = models.CharField("复议机关或法院", max_length=200, blank=True)
    filed_on = models.DateField("立案日期")
    result = models.CharField(
        "结果", max_length=10, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "复议诉讼"
        verbose_name_plural = "复议诉讼"
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="pending", decided_on__isnull=True)
                | (~Q(result="pending") & Q(decided_on__isnull=False)),
                name="foi_review_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_no}"


class ThirdPartyAnswer(models.TextChoices):
    CONSENT = "consent", "同意公开"
    OBJECTION = "objection", "不同意公开"
    SILENT = "silent", "逾期未提出意见，由本机关依法决定"


class ThirdParty(models.Model):
    """第三方意见征询 (条例第32条): a written consultation with a third party whose lawful rights
    disclosure may harm; the answer within 15 working days, what silence means, and the
    public-interest override with its written notice."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="third_parties"
    )
    name = models.CharField("第三方名称或姓名", max_length=200)
    address = models.CharField("通信地址", max_length=300, blank=True, default="")
    contact = models.CharField("联系方式", max_length=100, blank=True, default="")
    concerns = models.TextField("涉及第三方的信息")
    asked_on = models.DateField("发函日期")
    reply_by = models.DateField("答复期限")
    reply_by_provisional = models.BooleanField("期限暂定", default=False)
    answered_on = models.DateField("意见日期", null=True, blank=True)
    answer = models.CharField(
        "第三方意见", max_length=20, choices=ThirdPartyAnswer.choices, blank=True, default=""
    )
    opinion = models.TextField("意见及理由", blank=True, default="")
    public_interest = models.BooleanField("因公共利益决定公开", default=False)
    decision_reasons = models.TextField("决定公开的理由", blank=True, default="")
    letter = models.ForeignKey(
        "Letter", verbose_name="征询函", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_letter = models.ForeignKey(
        "Letter",
        verbose_name="公开决定告知书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "第三方意见征询"
        verbose_name_plural = "第三方意见征询"
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.request} 征求{self.name}意见"


class ConsultationAnswer(models.TextChoices):
    AGREED = "agreed", "同意公开"
    OBJECTED = "objected", "不同意公开"
    SILENT = "silent", "逾期未提出意见，视为同意"


class InterAgencyConsultation(models.Model):
    """会商 (条例第34条): another organisation asked for its opinion; it may see the request (not
    the requester's details) while the consultation is recorded. Silence within 15 working days
    counts as consent."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="consultations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="征求意见机关", on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField("发函日期")
    answered_on = models.DateField("回复日期", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)
    reply_by = models.DateField("答复期限", null=True, blank=True)
    reply_by_provisional = models.BooleanField("期限暂定", default=False)
    answer = models.CharField(
        "会商意见", max_length=20, choices=ConsultationAnswer.choices, blank=True, default=""
    )
    letter = models.ForeignKey(
        "Letter",
        verbose_name="会商函",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "会商"
        verbose_name_plural = "会商"

    def __str__(self) -> str:
        return f"{self.request} 征求{self.organisation}意见"


class RequestReminder(models.Model):
    """A reminder in the staff area (and by e-mail) from the periodic job."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="foi_reminders"
    )
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # due_soon | overdue | correction | payment
    on = models.DateField()
    text = models.CharField(max_length=300)
    seen = models.BooleanField(default=False)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "request", "kind", "on"], name="foi_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return self.text


# The letter wordings a government may edit (templates/foi/letters/<key>.txt are the defaults).
LETTER_TEMPLATES = {
    "reply_letter": "答复书（框架：抬头、申请事项、正文、依据、救济途径）",
    "reply_disclosed": "答复正文：予以公开",
    "reply_partly_disclosed": "答复正文：部分公开",
    "reply_not_disclosed": "答复正文：不予公开",
    "reply_cannot_provide": "答复正文：无法提供",
    "reply_not_processed": "答复正文：不予处理",
    "reply_other": "答复正文：其他处理",
    "correction_notice": "补正申请告知书",
    "extension_notice": "延期答复告知书",
    "fee_notice": "收费通知书",
    "third_party_letter": "第三方意见征询函（条例第32条）",
    "third_party_decision": "公开决定告知书（告知第三方，条例第32条）",
    "consultation_letter": "会商函（条例第34条）",
    "reasons_request": "说明理由通知书（条例第35条）",
    "deadline_notice": "延迟答复告知书（条例第35条）",
    "correction_corrected": "更正申请：予以更正",
    "correction_referred": "更正申请：转送有权机关",
    "correction_not_corrected": "更正申请：不予更正",
    "correction_not_competent": "更正申请：无权更正",
}


class LetterTemplate(models.Model):
    """A government's own wording of one letter (Django template language); without one the
    default file templates/foi/letters/<key>.txt is used."""

    government = models.ForeignKey(
        Organisation, verbose_name="所属政府", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(
        "文书模板", max_length=40, choices=[(k, v) for k, v in LETTER_TEMPLATES.items()]
    )
    text = models.TextField("模板内容")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(fields=["government", "key"], name="foi_template_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.government} · {self.get_key_display()}"


class ReplyAttachment(models.Model):
    """A file provided with the reply (the disclosed information). The requester sees it once
    the reply is signed."""

    request = models.ForeignKey(
        InfoRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="foi/replies/%Y/%m/", storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复附件"
        verbose_name_plural = "答复附件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
