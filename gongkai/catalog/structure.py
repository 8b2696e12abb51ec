"""Every change to an organisation's columns (栏目) and standard catalogue (政务公开事项标准目录):
check permission → write in a transaction → audit.

The staff pages (structure_views) call these; nothing else saves a Column or a
StandardCatalogue entry outside the admin and the demo loader. A refusal is
`gongkai.core.actions.ActionError` (with the form field it concerns, when there is one).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongkai.catalog import rules
from gongkai.catalog.models import Column, ColumnKind, StandardCatalogue
from gongkai.core import audit
from gongkai.core.actions import ActionError, require

COLUMN_FIELDS = ["name", "kind", "order", "parent", "is_active"]
CATALOGUE_FIELDS = [
    "name",
    "parent",
    "domain",
    "content",
    "basis",
    "time_limit",
    "channels",
    "audience",
    "mode",
    "order",
]
# 领域 → 一级事项 → 二级事项
CATALOGUE_MAX_DEPTH = 3


def _apply(obj: Column | StandardCatalogue, data: dict, fields: list[str]) -> list[str]:
    changed = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name == "parent":
            if obj.parent_id != (value.pk if value is not None else None):
                obj.parent = value
                changed.append(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _parents(model, organisation_id: int) -> dict[int, int | None]:
    """{pk: parent pk} of the organisation's whole tree, its rows locked against a concurrent
    move (two moves at once could otherwise close a loop)."""
    return dict(
        model.objects.select_for_update(no_key=True)
        .filter(organisation_id=organisation_id)
        .values_list("pk", "parent_id")
    )


def _ancestors(parents: dict, pk: int | None) -> list[int]:
    chain: list[int] = []
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = parents.get(pk)
    return chain


def _check_parent(node, parents: dict, *, label: str) -> None:
    """The parent belongs to the node's organisation and is not the node or below it."""
    parent = node.parent
    if parent is None:
        return
    if parent.organisation_id != node.organisation_id:
        raise ActionError(f"上级{label}必须是本机构的{label}。", field="parent")
    if node.pk is not None and node.pk in _ancestors(parents, parent.pk):
        raise ActionError(
            f"上级{label}不能是本{label}或它的下级{label}（会形成循环）。", field="parent"
        )


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# --- Columns (栏目) --------------------------------------------------------------------------


def _column_name_taken(column: Column) -> bool:
    # parent=None filters on IS NULL: the database constraint treats NULL parents as distinct,
    # so two top-level columns of one name are refused here.
    return (
        Column.objects.filter(
            organisation_id=column.organisation_id, parent_id=column.parent_id, name=column.name
        )
        .exclude(pk=column.pk)
        .exists()
    )


@transaction.atomic
def save_column(user, org, data: dict, *, column: Column | None = None) -> Column:
    """Create a column of org (column is None) or change one: name, kind, order, parent,
    is_active — the keys present in data."""
    require(rules.can_manage_structure(user, org), "您不能管理该机构的栏目。")
    if column is None:
        column, before = Column(organisation=org), None
    else:
        column = Column.objects.select_for_update().get(pk=column.pk)
        if column.organisation_id != org.pk:
            raise ActionError("该栏目不属于所选机构。")
        before = audit.snapshot(column)
    changed = _apply(column, data, COLUMN_FIELDS)
    if before is not None and not changed:
        return column
    if not column.name:
        raise ActionError("请填写栏目名称。", field="name")
    if column.kind not in ColumnKind.values:
        raise ActionError("栏目类型无效。", field="kind")
    if "parent" in changed:
        _check_parent(column, _parents(Column, org.pk), label="栏目")
    duplicate = ActionError(
        f"同一上级栏目下已有名为“{column.name}”的栏目，请换一个名称。", field="name"
    )
    if _column_name_taken(column):
        raise duplicate
    try:
        with transaction.atomic():
            column.save()
    except IntegrityError as exc:  # the same name saved concurrently (column_unique_*name)
        raise duplicate from exc
    after = audit.snapshot(column)
    if before is None:
        audit.record(user, "catalog.column.create", column, after=after)
    else:
        old, new = _changes(before, after)
        audit.record(user, "catalog.column.update", column, before=old, after=new)
    return column


@transaction.atomic
def set_column_active(user, column: Column, active: bool) -> Column:
    """启用 / 停用 a column: a stopped column leaves the public pages; its records stay."""
    column = (
        Column.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=column.pk)
    )
    require(rules.can_manage_structure(user, column.organisation), "您不能管理该机构的栏目。")
    if column.is_active == active:
        return column
    column.is_active = active
    column.save(update_fields=["is_active"])
    audit.record(
        user,
        "catalog.column.activate" if active else "catalog.column.deactivate",
        column,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return column


# --- Standard catalogue (政务公开事项标准目录) ------------------------------------------------


def _subtree_height(parents: dict, pk: int) -> int:
    """Levels from pk down to its deepest descendant (1 for a leaf)."""
    children: dict = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    height, level, seen = 0, [pk], set()
    while level:
        height += 1
        seen.update(level)
        level = [c for p in level for c in children.get(p, []) if c not in seen]
    return height


@transaction.atomic
def save_catalogue_entry(
    user, org, data: dict, *, entry: StandardCatalogue | None = None
) -> StandardCatalogue:
    """Create an entry of org's standard catalogue (entry is None) or change one; the keys of
    data are those of CATALOGUE_FIELDS. The tree is at most three levels deep."""
    require(rules.can_manage_structure(user, org), "您不能管理该机构的标准目录。")
    if entry is None:
        entry, before = StandardCatalogue(organisation=org), None
    else:
        entry = StandardCatalogue.objects.select_for_update().get(pk=entry.pk)
        if entry.organisation_id != org.pk:
            raise ActionError("该事项不属于所选机构。")
        before = audit.snapshot(entry)
    changed = _apply(entry, data, CATALOGUE_FIELDS)
    if before is not None and not changed:
        return entry
    if not entry.name:
        raise ActionError("请填写事项名称。", field="name")
    if "parent" in changed:
        parents = _parents(StandardCatalogue, org.pk)
        _check_parent(entry, parents, label="事项")
        level = len(_ancestors(parents, entry.parent_id)) + 1
        height = _subtree_height(parents, entry.pk) if entry.pk else 1
        if level + height - 1 > CATALOGUE_MAX_DEPTH:
            raise ActionError(
                "标准目录最多三级（领域 → 一级事项 → 二级事项），放在所选上级事项下会超过三级。",
                field="parent",
            )
    entry.save()
    after = audit.snapshot(entry)
    if before is None:
        audit.record(user, "catalog.catalogue.create", entry, after=after)
    else:
        old, new = _changes(before, after)
        audit.record(user, "catalog.catalogue.update", entry, before=old, after=new)
    return entry


def catalogue_entry_blockers(entry: StandardCatalogue) -> list[str]:
    """Why the entry cannot be deleted (Chinese, for the user); empty when it can.

    Records point to an entry with on_delete=SET_NULL: deleting it would silently strip their
    classification, so an entry in use is refused instead."""
    reasons = []
    children = entry.children.count()
    if children:
        reasons.append(
            f"该事项下还有 {children} 个下级事项，请先删除下级事项或把它们移到其他事项下。"
        )
    records = entry.records.count()
    if records:
        reasons.append(
            f"有 {records} 条政府信息（含草稿和已撤回的信息）归入该事项，删除后这些信息将失去"
            "标准目录分类。请先把这些信息改归其他事项。"
        )
    return reasons


@transaction.atomic
def delete_catalogue_entry(user, entry: StandardCatalogue) -> None:
    """Delete an entry that has no children and no records."""
    # FOR UPDATE also waits for (and then blocks) a record being filed under the entry.
    entry = (
        StandardCatalogue.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=entry.pk)
    )
    require(rules.can_manage_structure(user, entry.organisation), "您不能管理该机构的标准目录。")
    reasons = catalogue_entry_blockers(entry)
    if reasons:
        raise ActionError("不能删除“" + entry.name + "”：" + "".join(reasons))
    audit.record(user, "catalog.catalogue.delete", entry, before=audit.snapshot(entry))
    entry.delete()
