"""The office dashboard: what is overdue, what is close to its deadline, and the misses
(the deadlines that were not met). One query per kind of item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from gongkai.participation import access, rules
from gongkai.participation.models import (
    DECISION_OPEN_STATES,
    ComplaintState,
    ConcernRelease,
    ConcernState,
    EnquiryState,
    MessageState,
    Moderation,
    OpenDaySuggestion,
    PublicationState,
)

SOON_DAYS = 3


@dataclass
class DueItem:
    level: str  # "veto" | "overdue" | "missed" | "soon"
    kind: str
    title: str
    url: str
    due: dt.date | dt.datetime | None
    detail: str = ""
    provisional: bool = False  # a working-day date that depends on an unloaded year (暂定)

    @property
    def level_label(self) -> str:
        return {
            "veto": "否决项风险",
            "overdue": "已超期",
            "missed": "未按时完成",
            "soon": "即将到期",
        }[self.level]

    @property
    def due_label(self) -> str:
        if isinstance(self.due, dt.datetime):
            return f"{timezone.localtime(self.due):%Y-%m-%d %H:%M}"
        if not self.due:
            return ""
        return f"{self.due:%Y-%m-%d}" + ("（暂定）" if self.provisional else "")

    @property
    def badge(self) -> str:
        return {
            "veto": "badge-bad",
            "overdue": "badge-bad",
            "missed": "badge-warn",
            "soon": "badge-warn",
        }[self.level]


LEVEL_ORDER = {"veto": 0, "overdue": 1, "missed": 2, "soon": 3}


def _url(name, pk):
    return reverse(f"participation_staff:{name}", args=[pk])


def dashboard_items(user, now: dt.datetime | None = None) -> list[DueItem]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = today + dt.timedelta(days=SOON_DAYS)
    items: list[DueItem] = []

    # Consultations: closing soon; feedback overdue or due soon; comments awaiting moderation.
    consultations = (
        access.consultations_for(user)
        .filter(state=PublicationState.PUBLISHED, feedback_published_at__isnull=True)
        .annotate(pending=Count("comments", filter=Q(comments__moderation=Moderation.PENDING)))
    )
    for c in consultations:
        url = _url("consultation", c.pk)
        if c.pending:
            items.append(
                DueItem("soon", "征求意见", c.title, url, c.closes_on, f"{c.pending}条意见待审核")
            )
        if c.closes_on < today and c.feedback_due_on:
            if c.feedback_due_on < today:
                items.append(
                    DueItem(
                        "overdue",
                        "意见反馈",
                        c.title,
                        url,
                        c.feedback_due_on,
                        "反馈未按期公开",
                        c.feedback_due_on_provisional,
                    )
                )
            elif c.feedback_due_on <= soon:
                items.append(
                    DueItem(
                        "soon",
                        "意见反馈",
                        c.title,
                        url,
                        c.feedback_due_on,
                        "须公开意见采纳情况反馈",
                        c.feedback_due_on_provisional,
                    )
                )
        elif today <= c.closes_on <= soon and not c.closed_early_at:
            items.append(DueItem("soon", "征求意见", c.title, url, c.closes_on, "即将截止"))

    # Messages: the three-month veto line first, then the ordinary answer deadline.
    for m in access.messages_for(user).filter(
        state__in=[MessageState.RECEIVED, MessageState.ROUTED]
    ):
        url = _url("message", m.pk)
        veto_at = rules.message_veto_at(m.received_at)
        if now >= veto_at:
            items.append(
                DueItem(
                    "veto",
                    "留言",
                    m.subject,
                    url,
                    timezone.localdate(veto_at),
                    "超过三个月未答复（网站检查单项否决）",
                )
            )
        elif now >= rules.message_warn_from(m.received_at):
            items.append(
                DueItem(
                    "veto",
                    "留言",
                    m.subject,
                    url,
                    timezone.localdate(veto_at),
                    "即将满三个月未答复",
                )
            )
        elif m.due_on < today:
            items.append(
                DueItem(
                    "overdue",
                    "留言",
                    m.subject,
                    url,
                    m.due_on,
                    "超过答复期限",
                    m.due_on_provisional,
                )
            )
        elif m.due_on <= soon:
            items.append(
                DueItem(
                    "soon", "留言", m.subject, url, m.due_on, "即将到答复期限", m.due_on_provisional
                )
            )

    for e in access.enquiries_for(user).filter(state=EnquiryState.PENDING, due_on__lte=soon):
        level = "overdue" if e.due_on < today else "soon"
        items.append(
            DueItem(
                level,
                "政策咨询",
                e.subject,
                _url("enquiry", e.pk),
                e.due_on,
                provisional=e.due_on_provisional,
            )
        )

    # Concern responses: every deadline missed (answered late or not at all) and open ones.
    concerns = (
        access.concerns_for(user)
        .filter(Q(state=ConcernState.OPEN) | Q(detected_at__gte=now - dt.timedelta(days=365)))
        .prefetch_related(Prefetch("releases", queryset=ConcernRelease.objects.order_by("at")))
    )
    for concern in concerns:
        url = _url("concern", concern.pk)
        for deadline in rules.concern_deadlines(
            concern.kind, concern.detected_at, concern.releases.all()
        ):
            if deadline.missed(now):
                level = (
                    "missed" if deadline.late or concern.state == ConcernState.CLOSED else "overdue"
                )
                items.append(
                    DueItem(level, "舆情回应", concern.title, url, deadline.due_at, deadline.label)
                )
            elif deadline.met_at is None and concern.state == ConcernState.OPEN:
                items.append(
                    DueItem("soon", "舆情回应", concern.title, url, deadline.due_at, deadline.label)
                )

    for p in access.proposals_for(user).filter(replied_on__isnull=True, due_on__lte=soon):
        level = "overdue" if p.due_on < today else "soon"
        items.append(DueItem(level, "建议提案", str(p), _url("proposal", p.pk), p.due_on))

    for complaint in access.complaints_for(user).filter(
        state=ComplaintState.RECEIVED, due_on__lte=soon
    ):
        level = "overdue" if complaint.due_on < today else "soon"
        items.append(
            DueItem(
                level,
                "公共企事业单位申诉",
                str(complaint),
                _url("complaint", complaint.pk),
                complaint.due_on,
                provisional=complaint.due_on_provisional,
            )
        )

    suggestions = OpenDaySuggestion.objects.filter(
        open_day__in=access.open_days_for(user), answered_at__isnull=True, due_on__lte=soon
    ).select_related("open_day")
    for s in suggestions:
        level = "overdue" if s.due_on < today else "soon"
        items.append(
            DueItem(
                level,
                "开放日意见建议",
                s.content[:40],
                _url("open_day", s.open_day_id),
                s.due_on,
                provisional=s.due_on_provisional,
            )
        )

    for d in access.decisions_for(user).filter(
        status__in=DECISION_OPEN_STATES, planned_by__lt=today
    ):
        items.append(
            DueItem(
                "overdue",
                "重大行政决策",
                d.title,
                _url("decision", d.pk),
                d.planned_by,
                "超过计划时间尚未决策",
            )
        )

    def sort_key(item):
        due = item.due
        if isinstance(due, dt.datetime):
            due = timezone.localdate(due)
        return (LEVEL_ORDER[item.level], due or dt.date.max)

    return sorted(items, key=sort_key)


@dataclass
class TimelinessRow:
    label: str
    handled: int
    late: int
    note: str = ""

    @property
    def on_time(self) -> int:
        return self.handled - self.late


def timeliness(user, year: int | None = None) -> list[TimelinessRow]:
    """The year's record: how many items were handled and how many of them late — what the
    office shows an inspector to prove it worked on time. One query per kind."""
    from django.db.models import F

    year = year or timezone.localdate().year

    def counts(qs, late_q):
        agg = qs.aggregate(n=Count("id"), late=Count("id", filter=late_q))
        return agg["n"], agg["late"]

    rows = []
    n, late = counts(
        access.consultations_for(user).filter(feedback_published_at__year=year),
        Q(feedback_published_at__date__gt=F("feedback_due_on")),
    )
    rows.append(TimelinessRow("征求意见反馈公开", n, late))
    n, late = counts(
        access.enquiries_for(user).filter(answered_at__year=year, state=EnquiryState.ANSWERED),
        Q(answered_at__date__gt=F("due_on")),
    )
    rows.append(TimelinessRow("政策咨询答复", n, late))
    answered = list(
        access.messages_for(user)
        .filter(answered_at__year=year, state=MessageState.ANSWERED)
        .values_list("received_at", "answered_at", "due_on")
    )
    # answered_at is set on every answered message (filtered above).
    late = sum(
        1
        for _, answered_at, due in answered
        if answered_at is not None and timezone.localdate(answered_at) > due
    )
    veto = sum(
        1
        for received, answered_at, _ in answered
        if answered_at is not None and answered_at > rules.message_veto_at(received)
    )
    rows.append(
        TimelinessRow(
            "留言答复", len(answered), late, f"其中超过三个月答复 {veto} 件" if veto else ""
        )
    )
    n, late = counts(
        OpenDaySuggestion.objects.filter(
            open_day__in=access.open_days_for(user), answered_at__year=year
        ),
        Q(answered_at__date__gt=F("due_on")),
    )
    rows.append(TimelinessRow("开放日意见建议答复", n, late))
    n, late = counts(
        access.proposals_for(user).filter(replied_on__year=year), Q(replied_on__gt=F("due_on"))
    )
    rows.append(TimelinessRow("建议提案办复", n, late))
    n, late = counts(
        access.complaints_for(user).filter(handled_on__year=year, state=ComplaintState.HANDLED),
        Q(handled_on__gt=F("due_on")),
    )
    rows.append(TimelinessRow("公共企事业单位申诉办结", n, late))
    concerns = (
        access.concerns_for(user)
        .filter(detected_at__year=year)
        .prefetch_related(Prefetch("releases", queryset=ConcernRelease.objects.order_by("at")))
    )
    deadlines = [
        d
        for c in concerns
        for d in rules.concern_deadlines(c.kind, c.detected_at, c.releases.all())
        if d.met_at is not None
    ]
    rows.append(TimelinessRow("舆情回应时限", len(deadlines), sum(1 for d in deadlines if d.late)))
    return rows
