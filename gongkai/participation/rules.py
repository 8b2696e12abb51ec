"""Participation policy in one place: who may do what, and the period rules.

Permission predicates (read as a policy table):

| predicate                      | who                                                        |
|--------------------------------|------------------------------------------------------------|
| can_manage(user, org)          | officer/reviewer/approver of org, or its office admin       |
| can_publish(user, org)         | reviewer/approver of org, or its office admin               |
| can_manage_catalogue(user, gov)| the openness office (公开办) of that government             |
| can_route_messages(user, gov)  | the openness office of that government                      |

Period rules. Working-day periods go through `gongkai.core.calendar` (the one calendar);
calendar-day, calendar-month and clock-hour periods are plain arithmetic here:

| rule                                              | period          | source                    |
|---------------------------------------------------|-----------------|---------------------------|
| consultation on a major decision                  | ≥ 30 days, shorter only with a stated reason | 国务院令第713号第15条 |
| hearing materials to participants                 | ≥ 7 days before | 713号第16–17条            |
| legality review                                   | ≥ 7 working days| 713号第25–28条            |
| major emergency: authoritative information        | ≤ 5 hours       | 国办发〔2016〕80号        |
| major emergency: press conference                 | ≤ 24 hours      | 国办发〔2016〕61号/80号   |
| other public concern: response                    | ≤ 48 hours      | 国办发〔2016〕61号        |
| a valid message unanswered                        | never > 3 months| 国办秘函〔2019〕19号 (veto)|
| publish the consultation feedback after closing   | 20 working days (local practice, configurable) |
| answer a policy enquiry                           | 5 working days (local practice, configurable)  |
| answer a message                                  | 10 working days (local practice, configurable) |
| answer an open-day suggestion                     | 15 working days (local practice, configurable) |
| handle a complaint about a public institution     | 20 working days (local practice, configurable) |
| reply to a deputy's suggestion / member's proposal| 3 months from assignment (local practice)      |

The local-practice periods can be overridden per deployment with the Django setting
GONGKAI_PARTICIPATION_PERIODS = {"enquiry_workdays": 7, ...}.
"""

from __future__ import annotations

import calendar as _std_calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from gongkai.core import calendar
from gongkai.orgs import rules as org_rules

# --- Permissions ------------------------------------------------------------------------------


def can_manage(user, org) -> bool:
    return org_rules.can_manage_org(user, org)


def can_publish(user, org) -> bool:
    return org_rules.can_review(user, org)


def can_manage_catalogue(user, government) -> bool:
    return org_rules.is_office_admin(user, government)


def can_route_messages(user, government) -> bool:
    return org_rules.is_office_admin(user, government)


# --- Statutory periods ------------------------------------------------------------------------

MAJOR_DECISION_MIN_DAYS = 30
HEARING_MATERIALS_DAYS = 7
LEGALITY_REVIEW_MIN_WORKDAYS = 7
MAJOR_EMERGENCY_INFO_HOURS = 5
MAJOR_EMERGENCY_PRESS_HOURS = 24
OTHER_CONCERN_RESPONSE_HOURS = 48
MESSAGE_MAX_MONTHS = 3
# The dashboard warns this many days before a message reaches the three-month line.
MESSAGE_WARN_DAYS = 30

DEFAULT_PERIODS = {
    "feedback_workdays": 20,
    "enquiry_workdays": 5,
    "message_workdays": 10,
    "suggestion_workdays": 15,
    "complaint_workdays": 20,
    "proposal_months": 3,
}


def period(name: str) -> int:
    overrides = getattr(settings, "GONGKAI_PARTICIPATION_PERIODS", None) or {}
    return int(overrides.get(name, DEFAULT_PERIODS[name]))


def workdays_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after start (core.calendar's convention)."""
    return calendar.add_workdays(start, n).date


def workday_due(start: dt.date, name: str) -> calendar.WorkdayResult:
    """A stored deadline: `period(name)` working days after start, with its 暂定 flag (store
    both: `due_on` and `due_on_provisional`; registered in participation.workdays)."""
    return calendar.add_workdays(start, period(name))


def add_months(value, months: int):
    """Same day n calendar months later (the month's last day when it has no such day); works
    for dates and datetimes."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    day = min(value.day, _std_calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


# --- Consultations ----------------------------------------------------------------------------


def consultation_period_errors(
    kind: str, opens_on: dt.date, closes_on: dt.date, shortened_reason: str
) -> dict[str, str]:
    """{field: message} for a consultation period that breaks the rules ({} when fine)."""
    from gongkai.participation.models import DocumentKind

    errors: dict[str, str] = {}
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "截止日期不能早于开始日期。"
        return errors
    days = (closes_on - opens_on).days + 1
    if (
        kind == DocumentKind.MAJOR_DECISION
        and days < MAJOR_DECISION_MIN_DAYS
        and not (shortened_reason or "").strip()
    ):
        errors["shortened_reason"] = (
            f"重大行政决策征求意见期限一般不少于{MAJOR_DECISION_MIN_DAYS}日，"
            f"本次仅{days}日，须说明缩短期限的理由（《重大行政决策程序暂行条例》第十五条）。"
        )
    return errors


def feedback_due_on(closes_on: dt.date) -> dt.date:
    return feedback_due(closes_on).date


def feedback_due(closes_on: dt.date) -> calendar.WorkdayResult:
    return workday_due(closes_on, "feedback_workdays")


def suggestion_start(open_day_starts_at: dt.datetime, registered_on: dt.date) -> dt.date:
    """An open-day suggestion's period runs from the day of the open day, or from the day it
    was registered when that is later."""
    from django.utils import timezone

    return max(timezone.localdate(open_day_starts_at), registered_on)


# --- Decisions --------------------------------------------------------------------------------


def legality_review_error(started_on: dt.date | None, completed_on: dt.date | None) -> str:
    """'' when the legality review lasted at least 7 working days."""
    if not started_on or not completed_on:
        return "合法性审查须填写送审日期和完成日期。"
    days = calendar.workdays_between(started_on, completed_on)
    if days < LEGALITY_REVIEW_MIN_WORKDAYS:
        return (
            f"合法性审查时间不得少于{LEGALITY_REVIEW_MIN_WORKDAYS}个工作日"
            f"（{started_on:%Y-%m-%d} 至 {completed_on:%Y-%m-%d} 仅{days}个工作日）。"
        )
    return ""


# --- Hearings ---------------------------------------------------------------------------------


def hearing_materials_due(held_at: dt.datetime) -> dt.date:
    """The last day the materials may reach the participants (7 days before the hearing)."""
    from django.utils import timezone

    return timezone.localdate(held_at) - dt.timedelta(days=HEARING_MATERIALS_DAYS)


# --- Public-concern responses -----------------------------------------------------------------


@dataclass(frozen=True)
class ConcernDeadline:
    kind: str  # a ReleaseKind value
    label: str
    due_at: dt.datetime
    met_at: dt.datetime | None

    @property
    def met(self) -> bool:
        return self.met_at is not None and self.met_at <= self.due_at

    @property
    def late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due_at

    def missed(self, now: dt.datetime) -> bool:
        """Not met in time: answered late, or still unanswered after the deadline."""
        return self.late or (self.met_at is None and now > self.due_at)


def concern_deadlines(kind: str, detected_at: dt.datetime, releases=()) -> list[ConcernDeadline]:
    """The clock-hour deadlines of a concern and when each was met (first qualifying release).

    Major emergencies: authoritative information within 5 h and a press conference within
    24 h. Other concerns: a response within 48 h (any release counts)."""
    from gongkai.participation.models import ConcernKind, ReleaseKind

    def first(kinds):
        times = [r.at for r in releases if r.kind in kinds]
        return min(times) if times else None

    hours = dt.timedelta(hours=1)
    if kind == ConcernKind.MAJOR_EMERGENCY:
        return [
            ConcernDeadline(
                ReleaseKind.AUTHORITATIVE_INFO,
                f"{MAJOR_EMERGENCY_INFO_HOURS}小时内发布权威信息",
                detected_at + MAJOR_EMERGENCY_INFO_HOURS * hours,
                # A press conference also releases authoritative information.
                first({ReleaseKind.AUTHORITATIVE_INFO, ReleaseKind.PRESS_CONFERENCE}),
            ),
            ConcernDeadline(
                ReleaseKind.PRESS_CONFERENCE,
                f"{MAJOR_EMERGENCY_PRESS_HOURS}小时内召开新闻发布会",
                detected_at + MAJOR_EMERGENCY_PRESS_HOURS * hours,
                first({ReleaseKind.PRESS_CONFERENCE}),
            ),
        ]
    return [
        ConcernDeadline(
            ReleaseKind.RESPONSE,
            f"{OTHER_CONCERN_RESPONSE_HOURS}小时内回应",
            detected_at + OTHER_CONCERN_RESPONSE_HOURS * hours,
            first(set(ReleaseKind.values)),
        )
    ]


# --- Messages ---------------------------------------------------------------------------------


def message_veto_at(received_at: dt.datetime) -> dt.datetime:
    """The moment a valid message becomes a veto item if still unanswered (3 months)."""
    return add_months(received_at, MESSAGE_MAX_MONTHS)


def message_warn_from(received_at: dt.datetime) -> dt.datetime:
    return message_veto_at(received_at) - dt.timedelta(days=MESSAGE_WARN_DAYS)


def proposal_due_on(assigned_on: dt.date) -> dt.date:
    return add_months(assigned_on, period("proposal_months"))
