"""Who may do what with records, as small predicates (built on orgs.rules).

| predicate                 | who                                                             |
|---------------------------|-----------------------------------------------------------------|
| can_view_record           | anyone who may view the publisher's staff pages                 |
| can_edit_record           | handling staff of the publisher (or its office), while a draft; |
|                           | after publication, an approver of the publisher or the office   |
| can_submit_record         | handling staff of the publisher                                  |
| can_review_record         | reviewer/approver of the publisher, or the office                |
| can_confirm_attribute     | the openness office of the publisher's government               |
| can_publish_record        | approver of the publisher, or the office                         |
| can_manage_library        | the openness office (validity, clean-up)                         |
| can_manage_structure      | handling staff of the organisation, or its office (columns and   |
|                           | the standard catalogue)                                          |
"""

from __future__ import annotations

from gongkai.catalog.models import EDITABLE_STATUSES, Record
from gongkai.orgs import rules as org_rules


def can_view_record(user, record: Record) -> bool:
    return org_rules.can_view_org(user, record.publisher)


def can_create_in(user, org) -> bool:
    return org_rules.can_manage_org(user, org)


def can_edit_record(user, record: Record) -> bool:
    if record.status in EDITABLE_STATUSES:
        return org_rules.can_manage_org(user, record.publisher)
    return org_rules.can_approve(user, record.publisher)


def can_submit_record(user, record: Record) -> bool:
    return org_rules.can_manage_org(user, record.publisher)


def can_review_record(user, record: Record) -> bool:
    return org_rules.can_review(user, record.publisher)


def can_confirm_attribute(user, record: Record) -> bool:
    return org_rules.is_office_admin(user, record.government_id)


def can_publish_record(user, record: Record) -> bool:
    return org_rules.can_approve(user, record.publisher)


def can_manage_library(user, government_id: int) -> bool:
    return org_rules.is_office_admin(user, government_id)


def can_change_validity(user, record: Record) -> bool:
    return org_rules.can_approve(user, record.publisher)


def can_manage_structure(user, org) -> bool:
    """Columns (栏目) and the standard catalogue (标准目录) of org."""
    return org_rules.can_manage_org(user, org)
