"""The openness self-check (自查) of one organisation, following the national website checks
(国办秘函〔2019〕19号, RULES.md §7): stale and empty columns, records past the 20-working-day
publication window, policies without their interpretation, broken links in published records,
and public messages or enquiries left unanswered. Each finding says what to fix.

Reads only (one query per item); the broken links come from the periodic link checker
(reports.periodic.check_links)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from gongkai.catalog.models import (
    INTERPRETED_GENRES,
    Attribute,
    Column,
    InterpretationPlan,
    InterpretationStatus,
    Record,
    Status,
)
from gongkai.catalog.querysets import overdue_q
from gongkai.catalog.visibility import public_q
from gongkai.participation import rules as participation_rules
from gongkai.participation.models import Enquiry, EnquiryState, Message, MessageState

NEWS_WINDOW_DAYS = 14  # 动态、要闻类栏目: 2 weeks
NOTICE_WINDOW_DAYS = 183  # 通知公告、政策文件类栏目: 6 months
NEWS_WORDS = ("动态", "要闻", "新闻", "工作信息", "政务信息")
NOTICE_WORDS = ("通知", "公告", "政策", "文件", "规章", "公示")


@dataclass
class Finding:
    severity: str  # "veto" 单项否决风险 | "problem" 问题 | "hint" 提示
    text: str
    fix: str
    link: str = ""


@dataclass
class CheckItem:
    key: str
    title: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def column_class(name: str) -> tuple[str, int] | None:
    """(class label, window in days) of a column by its name; None when no window applies."""
    if any(w in name for w in NEWS_WORDS):
        return "动态类", NEWS_WINDOW_DAYS
    if any(w in name for w in NOTICE_WORDS):
        return "通知公告、政策文件类", NOTICE_WINDOW_DAYS
    return None


def _columns(org, today: dt.date) -> tuple[CheckItem, CheckItem]:
    public = public_q("records__")
    columns = (
        Column.objects.filter(organisation=org, is_active=True)
        .annotate(
            last=Max("records__published_at", filter=public), n=Count("records", filter=public)
        )
        .order_by("order", "id")
    )
    stale = CheckItem("stale_columns", "栏目更新")
    empty = CheckItem("empty_columns", "空白栏目")
    stale_windowed = 0
    for column in columns:
        if not column.n:
            empty.findings.append(
                Finding(
                    "problem",
                    f"栏目“{column.name}”没有任何已发布信息。",
                    "发布应公开的信息，或停用不再使用的栏目（空白栏目达 5 个即单项否决）。",
                )
            )
            continue
        kind = column_class(column.name)
        if kind is None:
            continue
        label, window = kind
        last = timezone.localtime(column.last).date()
        age = (today - last).days
        if age > window:
            stale_windowed += 1
            stale.findings.append(
                Finding(
                    "problem",
                    f"栏目“{column.name}”（{label}，应在 {window} 天内更新）最近一次发布是 "
                    f"{last:%Y-%m-%d}，已 {age} 天未更新。",
                    "及时发布本栏目信息；确实没有新内容的栏目应调整或合并。",
                )
            )
    if stale_windowed >= 5:
        stale.findings.insert(
            0,
            Finding(
                "veto",
                f"共 {stale_windowed} 个栏目超期未更新，已达单项否决标准（5 个）。",
                "优先更新上述栏目。",
            ),
        )
    if len(empty.findings) >= 5:
        empty.findings.insert(
            0,
            Finding(
                "veto",
                f"共 {len(empty.findings)} 个空白栏目，已达单项否决标准（5 个）。",
                "发布内容或停用空白栏目。",
            ),
        )
    return stale, empty


def _late_records(org, today: dt.date) -> CheckItem:
    item = CheckItem("late_records", "20个工作日内公开（条例第26条）")
    rows = (
        Record.objects.filter(publisher=org, publish_due_on__isnull=False)
        .filter(
            overdue_q(today)
            | Q(
                attribute=Attribute.PROACTIVE,
                status=Status.PUBLISHED,
                published_at__date__gt=F("publish_due_on"),
                published_at__year=today.year,
            )
        )
        .only("id", "title", "status", "publish_due_on", "published_at")
        .order_by("publish_due_on", "id")[:200]
    )
    for record in rows:
        if record.status == Status.PUBLISHED:
            item.findings.append(
                Finding(
                    "hint",
                    f"“{record.title}”应于 {record.publish_due_on:%Y-%m-%d} 前公开，实际于 "
                    f"{timezone.localtime(record.published_at):%Y-%m-%d} 发布。",
                    "今后在信息形成后 20 个工作日内公开。",
                )
            )
        else:
            item.findings.append(
                Finding(
                    "problem",
                    f"“{record.title}”应于 {record.publish_due_on:%Y-%m-%d} 前公开，至今尚未发布。",
                    "尽快完成审核并发布。",
                )
            )
    return item


def _interpretations(org) -> CheckItem:
    item = CheckItem("interpretations", "政策解读（三同步）")
    rows = (
        Record.objects.filter(publisher=org, status=Status.PUBLISHED)
        .filter(Q(genre__in=INTERPRETED_GENRES) | Q(is_important_policy=True))
        .exclude(interpretation_plan=InterpretationPlan.EXEMPT)
        .exclude(interpretations__status=InterpretationStatus.PUBLISHED)
        .only("id", "title")
        .order_by("-published_at")[:200]
    )
    for record in rows:
        item.findings.append(
            Finding(
                "problem",
                f"政策文件“{record.title}”没有已发布的解读。",
                "发布解读（文字、图解或问答），或经审核说明免于解读的理由。",
            )
        )
    return item


def _links(org) -> CheckItem:
    from gongkai.reports.models import LinkProblem

    item = CheckItem("links", "链接可用性")
    for problem in LinkProblem.objects.filter(organisation=org).order_by("record_id", "id")[:200]:
        item.findings.append(
            Finding(
                "problem",
                f"“{problem.record_title}”中的链接 {problem.url} 无法打开（{problem.status}）。",
                "修改或删除失效链接。",
            )
        )
    return item


def _interaction(org, now) -> CheckItem:
    """Messages and enquiries past their reply date; a message past the three-month line
    (participation.rules.message_veto_at) is a veto item."""
    item = CheckItem("interaction", "互动回应（留言、咨询）")
    today = timezone.localdate()
    messages = (
        Message.objects.filter(organisation=org)
        .exclude(state__in=(MessageState.ANSWERED, MessageState.INVALID))
        .filter(due_on__lt=today)
        .only("id", "subject", "received_at", "due_on")
        .order_by("received_at")[:200]
    )
    for message in messages:
        old = now > participation_rules.message_veto_at(message.received_at)
        item.findings.append(
            Finding(
                "veto" if old else "problem",
                f"留言“{message.subject}”（{timezone.localtime(message.received_at):%Y-%m-%d} 收到，"
                f"应于 {message.due_on:%Y-%m-%d} 前答复）尚未答复"
                + ("，已超过 3 个月（单项否决）。" if old else "。"),
                "尽快答复并按留言人意愿公开答复内容。",
            )
        )
    enquiries = (
        Enquiry.objects.filter(organisation=org, state=EnquiryState.PENDING, due_on__lt=today)
        .only("id", "subject", "due_on")
        .order_by("due_on")[:200]
    )
    for enquiry in enquiries:
        item.findings.append(
            Finding(
                "problem",
                f"政策咨询“{enquiry.subject}”应于 {enquiry.due_on:%Y-%m-%d} 前答复，尚未答复。",
                "尽快答复。",
            )
        )
    return item


def self_check(org, today: dt.date | None = None) -> list[CheckItem]:
    today = today or timezone.localdate()
    stale, empty = _columns(org, today)
    return [
        stale,
        empty,
        _late_records(org, today),
        _interpretations(org),
        _links(org),
        _interaction(org, timezone.now()),
    ]
