"""Who may do what, as small predicates. Read as a policy table:

| predicate                    | who                                                          |
|------------------------------|--------------------------------------------------------------|
| is_staff_user                | anyone holding a membership (or a superuser)                  |
| is_office_admin(gov)         | 公开办 administrator of that tenant government                 |
| can_manage_org(org)          | office admin of org's government, or officer/reviewer/approver of org itself |
| can_view_org(org)            | can_manage_org, or an evaluator of org or of its government   |
| can_approve(org)             | approver of org, or office admin of its government            |
| can_review(org)              | reviewer or approver of org, or office admin                  |
| can_manage_person(person)    | office admin of every government the person holds a role in   |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from gongkai.orgs.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.core.actions import AnyUser

HANDLING_ROLES = (Role.OFFICER, Role.REVIEWER, Role.APPROVER)


def roles_by_organisation(user: AnyUser) -> dict[int, set[str]]:
    """{organisation id: {roles}} for the user, cached on the user object for this request."""
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_gongkai_roles", None)
    if cached is None:
        cached = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cached.setdefault(org_id, set()).add(role)
        # Cached on the user object for this request; no field of the user model.
        user._gongkai_roles = cached  # type: ignore[attr-defined]
    return cached


def roles_in(user: AnyUser, org: Organisation) -> set[str]:
    return set(roles_by_organisation(user).get(org.pk, set()))


def is_staff_user(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False) or roles_by_organisation(user))


def is_office_admin(user: AnyUser, government: Organisation | int | None) -> bool:
    if government is None:
        return False
    gov_id = government if isinstance(government, int) else government.pk
    return getattr(user, "is_superuser", False) or Role.OFFICE_ADMIN in roles_by_organisation(
        user
    ).get(gov_id, set())


def office_governments(user: AnyUser) -> list[int]:
    """Tenant governments where the user is an openness-office administrator."""
    return [
        org_id
        for org_id, roles in roles_by_organisation(user).items()
        if Role.OFFICE_ADMIN in roles
    ]


def can_manage_org(user: AnyUser, org: Organisation) -> bool:
    if is_office_admin(user, org.government_id):
        return True
    return bool(roles_by_organisation(user).get(org.pk, set()) & set(HANDLING_ROLES))


def can_view_org(user: AnyUser, org: Organisation) -> bool:
    if can_manage_org(user, org):
        return True
    roles = roles_by_organisation(user)
    return Role.EVALUATOR in roles.get(org.pk, set()) or (
        org.government_id is not None and Role.EVALUATOR in roles.get(org.government_id, set())
    )


def can_review(user: AnyUser, org: Organisation) -> bool:
    return is_office_admin(user, org.government_id) or bool(
        roles_by_organisation(user).get(org.pk, set()) & {Role.REVIEWER, Role.APPROVER}
    )


def can_approve(user: AnyUser, org: Organisation) -> bool:
    return is_office_admin(user, org.government_id) or Role.APPROVER in roles_by_organisation(
        user
    ).get(org.pk, set())


def member_organisation_ids(user: AnyUser) -> list[int]:
    return list(roles_by_organisation(user).keys())


def can_manage_person(user: AnyUser, person: User) -> bool:
    """May user change person's account (name, phone, active, password)? Only the office of
    every government where person works: one government's office cannot lock out another's
    staff. A superuser account is changed only by a superuser; nobody changes their own account
    here (that is the password page)."""
    if getattr(user, "is_superuser", False):
        return True
    if getattr(person, "is_superuser", False) or person.pk == getattr(user, "pk", None):
        return False
    governments = set(
        Membership.objects.filter(user=person).values_list("organisation__government_id", flat=True)
    )
    return bool(governments) and all(is_office_admin(user, gov) for gov in governments)


def handlers(organisation_id: int | None) -> list[User]:
    """The users who handle an organisation's cases (officer, reviewer, approver): the people
    an alert about one of its items goes to when the item names no officer of its own."""
    if organisation_id is None:
        return []
    members = Membership.objects.filter(
        organisation_id=organisation_id, role__in=HANDLING_ROLES
    ).select_related("user")
    return list({m.user for m in members if m.user.is_active})
