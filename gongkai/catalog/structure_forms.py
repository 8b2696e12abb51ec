"""Staff forms for columns and the standard catalogue (parse and validate only; the functions in
catalog.structure check the rules and save)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms

from gongkai.catalog import querysets
from gongkai.catalog.models import Column, StandardCatalogue
from gongkai.catalog.structure import CATALOGUE_FIELDS, CATALOGUE_MAX_DEPTH
from gongkai.core.formfields import model_choice_field

INDENT = "　"  # a full-width space per level in the parent choices


def _tree_choices(nodes, top_label: str, *, instance, max_depth: int | None) -> list[tuple]:
    """The parents worth offering: not the instance itself or anything below it (a loop), nor
    an entry already at the deepest level; the current parent always stays selectable."""
    choices, skip_below = [("", top_label)], None
    for node in nodes:
        if skip_below is not None:
            if node.depth > skip_below:
                continue
            skip_below = None
        if instance.pk is not None and node.pk == instance.pk:
            skip_below = node.depth
            continue
        too_deep = max_depth is not None and node.depth >= max_depth - 1
        if too_deep and node.pk != instance.parent_id:
            continue
        choices.append((node.pk, INDENT * node.depth + node.name))
    return choices


class _TreeForm(forms.ModelForm):
    """A ModelForm whose parent can only be an entry of the same organisation, offered as an
    indented tree."""

    tree_loader: Callable[..., Sequence[Any]]  # the organisation's entries, as a tree (subclasses)
    top_label = ""
    parent_error = ""
    max_depth: int | None = None

    def __init__(self, *args, organisation, tree=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        parent = model_choice_field(self, "parent")
        parent.queryset = self._meta.model.objects.filter(organisation=organisation)
        parent.error_messages["invalid_choice"] = self.parent_error
        nodes = tree if tree is not None else type(self).tree_loader(organisation)
        # Only the offered choices are pruned; any entry of the organisation still passes the
        # field, so catalog.structure explains why a loop or a fourth level is refused.
        parent.choices = _tree_choices(
            nodes, self.top_label, instance=self.instance, max_depth=self.max_depth
        )

    def structure_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ColumnForm(_TreeForm):
    tree_loader = staticmethod(querysets.column_tree)
    top_label = "（无，作为顶级栏目）"
    parent_error = "上级栏目必须是本机构的栏目。"

    class Meta:
        model = Column
        fields = ["name", "parent", "kind", "order", "is_active"]
        error_messages = {
            "name": {"required": "请填写栏目名称。"},
            "order": {"required": "请填写排序号（数字越小越靠前）。"},
        }
        help_texts = {"order": "数字越小越靠前。", "is_active": "停用的栏目不在门户网站显示。"}


class CatalogueEntryForm(_TreeForm):
    tree_loader = staticmethod(querysets.catalogue_tree)
    top_label = "（无，作为领域）"
    parent_error = "上级事项必须是本机构标准目录中的事项。"
    max_depth = CATALOGUE_MAX_DEPTH

    class Meta:
        model = StandardCatalogue
        fields = CATALOGUE_FIELDS
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "请填写事项名称。"},
            "order": {"required": "请填写排序号（数字越小越靠前）。"},
        }
        help_texts = {
            "parent": "标准目录分三级：领域 → 一级事项 → 二级事项。",
            "order": "数字越小越靠前。",
        }
