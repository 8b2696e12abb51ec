"""Who may do what with work plans, as small predicates. Read as a policy table:

| predicate          | who                                                                     |
|--------------------|-------------------------------------------------------------------------|
| is_office          | 公开办 administrator of the plan's government                             |
| can_import         | the office (a government's plan); staff of an organisation for its own  |
|                    | 实施方案 under a parent plan                                              |
| can_supervise      | the office: dashboard, circulars, reminders, scoring, commitments,      |
|                    | alignment, look-back list                                               |
| can_report         | staff (officer/reviewer/approver) of the assignment's organisation       |
| can_accept         | staff of a lead organisation of the task (not for their own report), or |
|                    | the office                                                              |
| can_note_look_back | staff of the assignment's organisation, or the office                   |

Which plans a user sees (the office or an evaluator of the government; staff of the issuing
organisation, of a lead organisation or of a responsible organisation) is a queryset:
`plans.access.plans_for(user)`.
"""

from __future__ import annotations

from datetime import date

from gongkai.core import calendar
from gongkai.orgs import rules as org_rules
from gongkai.orgs.models import Organisation

#: An assignment not yet done is reminded this many working days before its due date.
REMIND_BEFORE_WORKDAYS = 3


def remind_day(due_on: date | None) -> calendar.WorkdayResult | None:
    """The working day, REMIND_BEFORE_WORKDAYS before due_on, when the responsible organisation
    gets a 即将到期 reminder (None without a due date). Stored as Assignment.remind_on with its
    暂定 flag (plans.workdays)."""
    if due_on is None:
        return None
    return calendar.add_workdays(due_on, -REMIND_BEFORE_WORKDAYS)


def is_office(user, plan) -> bool:
    return org_rules.is_office_admin(user, plan.government_id)


def can_import(user, government: Organisation, organisation: Organisation, parent=None) -> bool:
    if org_rules.is_office_admin(user, government.pk):
        return True
    return parent is not None and org_rules.can_manage_org(user, organisation)


def can_supervise(user, plan) -> bool:
    return is_office(user, plan)


def can_report(user, assignment) -> bool:
    return org_rules.can_manage_org(user, assignment.organisation)


def lead_ids(task) -> set[int]:
    return {org.pk for org in task.lead_orgs.all()}


def can_accept(user, report) -> bool:
    task = report.assignment.task
    if org_rules.is_office_admin(user, task.plan.government_id):
        return True
    if report.created_by_id == getattr(user, "pk", None):
        return False
    roles = org_rules.roles_by_organisation(user)
    handling = {str(r) for r in org_rules.HANDLING_ROLES}
    return any(roles.get(org_id, set()) & handling for org_id in lead_ids(task))


def can_note_look_back(user, item) -> bool:
    return org_rules.can_manage_org(user, item.assignment.organisation)
