"""Who may do what with annual reports, as small predicates:

| predicate              | who                                                              |
|------------------------|------------------------------------------------------------------|
| can_view_report(org)   | can_view_org: the organisation's staff, evaluators, the office    |
| can_edit_report(org)   | can_manage_org: officer/reviewer/approver of org, or the office   |
| can_publish_report(org)| can_approve: approver of org, or the office                       |
| can_see_board(gov)     | office admin or evaluator of the government                       |
| summary reports        | the government's office only (org = the government, scope summary)|
"""

from __future__ import annotations

from gongkai.orgs import rules as org_rules
from gongkai.orgs.models import Role


def can_view_report(user, org) -> bool:
    return org_rules.can_view_org(user, org)


def can_edit_report(user, org, scope: str = "own") -> bool:
    if scope in ("summary", "region"):
        return org_rules.is_office_admin(user, org.government_id or org.pk)
    return org_rules.can_manage_org(user, org)


def can_publish_report(user, org, scope: str = "own") -> bool:
    if scope in ("summary", "region"):
        return org_rules.is_office_admin(user, org.government_id or org.pk)
    return org_rules.can_approve(user, org)


def can_see_board(user, government) -> bool:
    if org_rules.is_office_admin(user, government.pk):
        return True
    return Role.EVALUATOR in org_rules.roles_in(user, government)
