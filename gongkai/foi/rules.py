"""Who may do what to a request, as small predicates. Read as a policy table:

| predicate       | who                                                                     |
|-----------------|-------------------------------------------------------------------------|
| can_handle      | officer/reviewer/approver of the handling organisation, or the office   |
| can_receive     | can_handle (the office or the handling organisation confirm receipt)     |
| can_route       | the office, or a handler of the current organisation (转办)              |
| can_review      | reviewer or approver of the handling organisation, or the office (审核)  |
| can_approve     | approver of the handling organisation, or the office (签发, 延期)         |
| can_register    | any member who can manage the chosen organisation                       |
| is_office       | 公开办 of the request's government (依申请转主动, imports)               |
"""

from __future__ import annotations

from gongkai.orgs import rules as org_rules


def can_handle(user, req) -> bool:
    return org_rules.can_manage_org(user, req.organisation)


def can_receive(user, req) -> bool:
    return can_handle(user, req)


def can_route(user, req) -> bool:
    return can_handle(user, req)


def can_review(user, req) -> bool:
    return org_rules.can_review(user, req.organisation)


def can_approve(user, req) -> bool:
    return org_rules.can_approve(user, req.organisation)


def can_register(user, organisation) -> bool:
    return org_rules.can_manage_org(user, organisation)


def is_office(user, government_id) -> bool:
    return org_rules.is_office_admin(user, government_id)
