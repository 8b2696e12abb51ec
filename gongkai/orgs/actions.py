"""Every change to an organisation goes through these actions: check permission → write in a
transaction → record an audit event. Views, the admin, the importer and commands call them.

The actor is a user, or None / a label such as "cli" for the system (commands, demo loader).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from gongkai.core.actions import ActionError, require
from gongkai.core.audit import record, snapshot
from gongkai.orgs import rules
from gongkai.orgs.models import Organisation, OrganisationAlias, OrgKind
from gongkai.orgs.resolver import name_problem

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from gongkai.accounts.models import User
    from gongkai.core.actions import Actor
    from gongkai.orgs.models import Membership

# Contact details (条例第12条), shown in the guide, on the request form and in letters.
CONTACT_FIELDS = ("address", "postcode", "office_hours", "phone", "fax", "email")
# Fields an action may set besides name and parent.
EDITABLE_FIELDS = (
    "short_name",
    "kind",
    "order",
    "is_active",
    "region_code",
    "credit_code",
    "org_code",
    "slug",
    "site_hosts",
    *CONTACT_FIELDS,
)


def check_contact(fields: dict[str, Any]) -> None:
    email = fields.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ActionError(f"电子邮箱“{email}”格式不正确", field="email") from None
    postcode = fields.get("postcode")
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        raise ActionError(f"邮政编码“{postcode}”应为6位数字", field="postcode")


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
    check_contact(fields)
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
    check_contact(fields)
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
