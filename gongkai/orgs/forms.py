"""Forms of the office's organisation and people pages. They parse; orgs.actions and
accounts.actions decide and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q

from gongkai.core.formfields import choice_field
from gongkai.orgs.actions import CONTACT_FIELDS
from gongkai.orgs.models import Organisation, OrgKind, Role

ALIAS_SEPARATORS = re.compile(r"[\n\r,，;；]+")
KIND_CHOICES = [(k, label) for k, label in OrgKind.choices if k != OrgKind.GOVERNMENT]


def find_organisation(government: Organisation | int | None, text: str) -> Organisation | None:
    """An organisation of government named exactly by text (full name, short name or alias)."""
    text = (text or "").strip()
    if not text:
        return None
    return (
        Organisation.objects.in_government(government)
        .filter(Q(name=text) | Q(short_name=text) | Q(aliases__alias=text))
        .order_by("pk")
        .first()
    )


class OrgNameField(forms.CharField):
    """An organisation typed by name (a province has ~10,000: no drop-down), resolved within
    the form's government."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "填写本政府机构的全称、简称或别名。")
        super().__init__(*args, **kwargs)


class _GovernmentForm(forms.Form):
    def __init__(self, *args: Any, government: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government

    def _org(self, name: str, label: str) -> Organisation | None:
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        org = find_organisation(self.government, text)
        if org is None:
            raise forms.ValidationError(f"本政府没有名为“{text}”的机构，请核对{label}。")
        return org


def split_aliases(text: str) -> list[str]:
    return [part.strip() for part in ALIAS_SEPARATORS.split(text or "") if part.strip()]


class OrgCreateForm(_GovernmentForm):
    name = forms.CharField(label="全称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=100, required=False)
    kind = forms.ChoiceField(label="类型", choices=KIND_CHOICES)
    parent = OrgNameField(label="上级机构")
    aliases = forms.CharField(
        label="别名",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="文件中使用的其他名称，每行一个。",
    )

    def clean_parent(self) -> Organisation | None:
        return self._org("parent", "上级机构")

    def clean_aliases(self) -> list[str]:
        return split_aliases(self.cleaned_data["aliases"])


class OrgEditForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["short_name", "kind", "order", "is_active", *CONTACT_FIELDS]
        widgets = {"email": forms.TextInput(attrs={"type": "email"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_tenant:
            del self.fields["kind"]  # a tenant government stays one
        else:
            choice_field(self, "kind").choices = KIND_CHOICES

    def _post_clean(self) -> None:
        # Only parse: orgs.actions.update_organisation checks and writes (the model's own
        # validation would touch the instance the template still shows).
        pass


class AliasForm(forms.Form):
    alias = forms.CharField(label="新增别名", max_length=200)


class ReviewBodyForm(_GovernmentForm):
    review_body = OrgNameField(
        label="行政复议机关（本平台机构）",
        required=False,
        help_text="留空则按机构类型和上级机构推定。",
    )
    review_body_name = forms.CharField(
        label="行政复议机关（不在本平台时填写全称）", max_length=200, required=False
    )

    def clean_review_body(self) -> Organisation | None:
        return self._org("review_body", "行政复议机关")


ROLE_CHOICES = [("", "请选择"), *Role.choices]


class PersonCreateForm(forms.Form):
    display_name = forms.CharField(label="姓名", max_length=100)
    username = forms.CharField(
        label="登录用户名", max_length=150, help_text="字母、数字或 @ . + - _"
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="至少8位，不能全是数字；请当面或电话告知本人，并提醒登录后修改。",
    )


class GrantRoleForm(forms.Form):
    username = forms.CharField(label="已有账号的用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)


class PersonEditForm(forms.Form):
    display_name = forms.CharField(label="姓名", max_length=100)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_active = forms.BooleanField(label="账号启用（停用后不能登录）", required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
