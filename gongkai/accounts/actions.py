"""State changes of accounts: check → write → audit, like every app's actions.

Accounts sit below orgs, so who may create or change a staff account is decided by the caller
(`orgs.actions.add_person` / `update_person`, from `orgs.rules`) and passed in as
``permitted``; these functions refuse when it is false."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.models import User
from gongkai.core import audit
from gongkai.core.actions import ActionError, require

USER_FIELDS = ("display_name", "phone", "is_active")
_FIELDS = ["username", *USER_FIELDS]


def change_password(actor, form: PasswordChangeForm):
    """Save a validated password-change form for its own user (the old password was checked by
    the form). The audit event names the change, never the hash."""
    require(actor.is_authenticated and form.user.pk == actor.pk, "只能修改自己的密码。")
    with transaction.atomic():
        user = form.save()
        audit.record(actor, "accounts.password_change", user, note="修改登录密码")
    return user


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError("；".join(exc.messages), field="password") from exc


def create_user(
    actor,
    *,
    username: str,
    display_name: str,
    password: str,
    phone: str = "",
    permitted: bool,
    organisation_id: int | None = None,
) -> User:
    """A new login. ``organisation_id`` names where the event is filed in the audit log."""
    require(permitted, "无权新建账号。")
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise ActionError("用户名只能包含字母、数字和 @ . + - _。", field="username") from exc
    if not username or len(username) > 150:
        raise ActionError("请填写用户名（不超过150个字符）。", field="username")
    if not display_name:
        raise ActionError("请填写姓名。", field="display_name")
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(f"用户名“{username}”已被使用，请换一个。", field="username")
    _check_password(password, User(username=username, display_name=display_name))
    with transaction.atomic():
        user = User(username=username, display_name=display_name, phone=(phone or "").strip())
        user.set_password(password)
        user.save()
        audit.record(
            actor,
            "accounts.create_user",
            user,
            after=audit.snapshot(user, _FIELDS),
            organisation_id=organisation_id,
        )
    return user


def update_user(
    actor, user: User, *, permitted: bool, organisation_id: int | None = None, **fields
) -> bool:
    """Change the name, phone or active flag; returns whether anything changed."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    require(permitted, "无权修改该账号。")
    if "display_name" in fields and not (fields["display_name"] or "").strip():
        raise ActionError("请填写姓名。", field="display_name")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = {k: v for k, v in fields.items() if getattr(user, k) != v}
        if not changed:
            return False
        before = audit.snapshot(user, list(changed))
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
        audit.record(
            actor,
            "accounts.update_user",
            user,
            before=before,
            after=audit.snapshot(user, list(changed)),
            organisation_id=organisation_id,
        )
    return True


def set_password(
    actor, user: User, password: str, *, permitted: bool, organisation_id: int | None = None
) -> None:
    """Reset another person's password (the office, for a colleague who forgot it)."""
    require(permitted, "无权重置该账号的密码。")
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(
            actor,
            "accounts.set_password",
            user,
            note="重置登录密码",
            organisation_id=organisation_id,
        )
