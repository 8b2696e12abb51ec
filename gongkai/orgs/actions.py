"""Every change to an organisation goes through these actions: check permission → write in a
transaction → record an audit event. Views, the admin, the importer and commands call them.

The actor is a user, or None / a label such as "cli" for the system (commands, demo loader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from gongkai.core.actions import ActionError, require
from gongkai.core.audit import record, snapshot
from gongkai.orgs import rules
from gongkai.orgs.models import Organisation, OrganisationAlias, OrgKind, Role
from gongkai.orgs.resolver import name_problem

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from gongkai.accounts.models import User
    from gongkai.core.actions import Actor
    from gongkai.orgs.models import Membership

# Contact details (条例第12条), shown in the 公开指南, on the request form and in letters.
CONTACT_FIELDS = ("address", "postcode", "office_hours", "phone", "fax", "email")

# Fields an action may set besides name and parent.
EDITABLE_FIELDS = (
    *CONTACT_FIELDS,
    "short_name",
    "kind",
    "order",
    "is_active",
    "region_code",
    "credit_code",
    "org_code",
    "slug",
    "site_hosts",
)


def _is_system(actor: Actor) -> TypeIs[str | None]:
    return actor is None or isinstance(actor, str)


def ensure_may_manage(actor: Actor, government_id: int | None) -> None:
    """Refuse (ActionError, forbidden) unless actor may maintain the organisations of that tenant.
    Creating a new tenant (government_id None) needs a superuser."""
    if _is_system(actor):
        return
    if government_id is None:
        allowed = getattr(actor, "is_superuser", False)
    else:
        allowed = rules.is_office_admin(actor, government_id)
    require(allowed, "无权维护该政府的机构信息")


PHONE_TEXT = re.compile(r"[\d\s()（）+\-－—、，,;；转]{7,100}")


def _contact_problems(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, Chinese message) for each malformed contact detail among fields."""
    problems: list[tuple[str, str]] = []
    email = fields.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", f"电子邮箱“{email}”格式不正确"))
    postcode = fields.get("postcode") or ""
    if postcode and not re.fullmatch(r"\d{6}", postcode):
        problems.append(("postcode", f"邮政编码“{postcode}”应为6位数字"))
    for name, label in (("phone", "联系电话"), ("fax", "传真")):
        value = fields.get(name) or ""
        if value and not PHONE_TEXT.fullmatch(value):
            problems.append((name, f"{label}“{value}”只能包含数字、空格、括号、“-”和“转”"))
    return problems


def contact_problems(fields: dict[str, Any]) -> list[str]:
    return [message for _, message in _contact_problems(fields)]


def _check_contact(fields: dict[str, Any]) -> None:
    problems = _contact_problems(fields)
    if problems:
        messages = [message for _, message in problems]
        raise ActionError("；".join(messages), field=problems[0][0], details=messages)


def _clean_names(org_name: str, short_name: str, aliases: Iterable[str]) -> list[str]:
    names = [name.strip() for name in aliases if name and name.strip()]
    found = [name_problem(short_name, "简称")] if short_name else []
    found += [name_problem(name) for name in names]
    problems = [problem for problem in found if problem]
    if problems:
        raise ActionError("机构名称有误：" + "；".join(problems), details=problems)
    return [name for name in dict.fromkeys(names) if name != org_name]


def _add_aliases(org: Organisation, aliases: list[str]) -> list[str]:
    existing = set(org.aliases.values_list("alias", flat=True))
    new = [alias for alias in aliases if alias not in existing]
    OrganisationAlias.objects.bulk_create(
        [
            OrganisationAlias(organisation=org, government_id=org.government_id or org.pk, alias=a)
            for a in new
        ]
    )
    return new


def create_organisation(
    actor: Actor,
    *,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    aliases: Iterable[str] = (),
    note: str = "",
    **fields: Any,
) -> Organisation:
    """Create an organisation under parent (a new tenant government when parent is None)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    ensure_may_manage(actor, parent.government_id if parent else None)
    if parent is None and kind != OrgKind.GOVERNMENT:
        raise ActionError("只有人民政府可以作为根机构，其他机构须有上级机构")
    _check_contact(fields)
    alias_list = _clean_names(name, fields.get("short_name", ""), aliases)
    with transaction.atomic():
        org = Organisation(name=name, kind=kind, parent=parent, **fields)
        org.save()
        added = _add_aliases(org, alias_list)
        record(
            actor,
            "orgs.create_organisation",
            org,
            after={**snapshot(org), "aliases": added},
            organisation_id=org.pk,
            note=note,
        )
    return org


_UNCHANGED = object()


def _changes(org: Organisation, parent: Any, fields: dict[str, Any]) -> dict[str, Any]:
    changed = {name: value for name, value in fields.items() if getattr(org, name) != value}
    if parent is not _UNCHANGED and (parent.pk if parent else None) != org.parent_id:
        changed["parent"] = parent
    return changed


def update_organisation(
    actor: Actor,
    org: Organisation,
    *,
    parent: Any = _UNCHANGED,  # an Organisation, None (a root) or _UNCHANGED
    aliases: Iterable[str] = (),
    note: str = "",
    **fields: Any,
) -> bool:
    """Change the given fields (and parent, within the same government) and add the given
    aliases; existing aliases are kept. Returns whether anything changed: an unchanged call
    writes nothing and records nothing. The org passed in is not refreshed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    ensure_may_manage(actor, org.government_id)
    if parent not in (_UNCHANGED, None) and parent.government_id != org.government_id:
        raise ActionError("上级机构须属于同一政府")
    _check_contact(fields)
    alias_list = _clean_names(org.name, fields.get("short_name", ""), aliases)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        changed = _changes(org, parent, fields)
        old_aliases = sorted(org.aliases.values_list("alias", flat=True))
        if not changed and not set(alias_list) - set(old_aliases):
            return False
        before = snapshot(org, list(changed))
        for name, value in changed.items():
            setattr(org, name, value)
        if changed:
            org.save(update_fields=list(changed))
        added = _add_aliases(org, alias_list)
        after = snapshot(org, list(changed))
        if added:
            before["aliases"], after["aliases"] = old_aliases, sorted([*old_aliases, *added])
        record(
            actor,
            "orgs.update_organisation",
            org,
            before=before,
            after=after,
            organisation_id=org.pk,
            note=note,
        )
    return True


@transaction.atomic
def grant_role(
    actor: Actor, user: User, organisation: Organisation, role: str
) -> tuple[Membership, bool]:
    """Give user a role in organisation (idempotent). Returns (membership, created)."""
    from gongkai.orgs.models import Membership

    ensure_may_manage(actor, organisation.government_id)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        record(
            actor,
            "orgs.grant_role",
            membership,
            after={"user": user.get_username(), "role": role},
            organisation_id=organisation.pk,
        )
    return membership, created


@transaction.atomic
def revoke_role(actor: Actor, user: User, organisation: Organisation, role: str) -> bool:
    from gongkai.orgs.models import Membership

    ensure_may_manage(actor, organisation.government_id)
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is None:
        return False
    record(
        actor,
        "orgs.revoke_role",
        membership,
        before={"user": user.get_username(), "role": role},
        organisation_id=organisation.pk,
    )
    membership.delete()
    return True


@transaction.atomic
def remove_alias(actor: Actor, org: Organisation, alias: str) -> bool:
    """Remove one alias of org (the resolver stops recognising it). Returns whether it existed."""
    ensure_may_manage(actor, org.government_id)
    found = OrganisationAlias.objects.filter(organisation=org, alias=alias).first()
    if found is None:
        return False
    record(
        actor,
        "orgs.remove_alias",
        org,
        before={"alias": alias},
        organisation_id=org.pk,
    )
    found.delete()
    return True


def add_person(
    actor: Actor,
    organisation: Organisation,
    *,
    role: str,
    username: str,
    display_name: str,
    password: str,
    phone: str = "",
) -> User:
    """A new staff account holding role in organisation, in one step (the office adds an
    officer). Returns the user."""
    from gongkai.accounts import actions as accounts

    ensure_may_manage(actor, organisation.government_id)
    if role not in Role.values:
        raise ActionError("请选择角色。", field="role")
    with transaction.atomic():
        user = accounts.create_user(
            actor,
            username=username,
            display_name=display_name,
            password=password,
            phone=phone,
            permitted=True,
            organisation_id=organisation.pk,
        )
        grant_role(actor, user, organisation, role)
    return user


def _person_org(person: User) -> int | None:
    membership = person.memberships.order_by("id").first()
    return membership.organisation_id if membership else None


def update_person(actor: Actor, person: User, **fields: Any) -> bool:
    """Change a staff member's name, phone or active flag (accounts.update_user), if the actor
    runs the office of every government the person works for."""
    from gongkai.accounts import actions as accounts

    permitted = _is_system(actor) or rules.can_manage_person(actor, person)
    return accounts.update_user(
        actor, person, permitted=permitted, organisation_id=_person_org(person), **fields
    )


def reset_person_password(actor: Actor, person: User, password: str) -> None:
    from gongkai.accounts import actions as accounts

    permitted = _is_system(actor) or rules.can_manage_person(actor, person)
    accounts.set_password(
        actor, person, password, permitted=permitted, organisation_id=_person_org(person)
    )


def set_review_body(
    actor: Actor,
    org: Organisation,
    *,
    review_body: Organisation | None = None,
    review_body_name: str = "",
    note: str = "",
) -> bool:
    """The office sets who hears challenges to the organisation's acts (RULES.md §11): an
    organisation of the same government, or the full name of one outside the tree; both empty
    goes back to the body derived from kind and parent (orgs.review). Returns whether anything
    changed."""
    ensure_may_manage(actor, org.government_id)
    name = " ".join(review_body_name.split())
    if review_body is not None and name:
        raise ActionError("请在本平台机构和树外机构全称中只选择一项。", field="review_body_name")
    if review_body is not None:
        if review_body.pk == org.pk:
            raise ActionError("行政复议机关不能是本机构自身。", field="review_body")
        if review_body.government_id != org.government_id:
            raise ActionError("请选择本政府的机构，其他机关请填写全称。", field="review_body")
    if len(name) > 200:
        raise ActionError("行政复议机关全称不能超过200字。", field="review_body_name")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        new = {"review_body_id": review_body.pk if review_body else None, "review_body_name": name}
        if all(getattr(org, key) == value for key, value in new.items()):
            return False
        before = snapshot(org, ["review_body", "review_body_name"])
        for key, value in new.items():
            setattr(org, key, value)
        org.save(update_fields=["review_body", "review_body_name"])
        record(
            actor,
            "orgs.set_review_body",
            org,
            before=before,
            after=snapshot(org, ["review_body", "review_body_name"]),
            organisation_id=org.pk,
            note=note,
        )
    return True
