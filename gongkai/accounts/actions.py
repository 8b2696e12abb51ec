"""State changes of accounts: check → write → audit, like every app's actions."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction

from gongkai.core import audit
from gongkai.core.actions import require


def change_password(actor, form: PasswordChangeForm):
    """Save a validated password-change form for its own user (the old password was checked by
    the form). The audit event names the change, never the hash."""
    require(actor.is_authenticated and form.user.pk == actor.pk, "只能修改自己的密码。")
    with transaction.atomic():
        user = form.save()
        audit.record(actor, "accounts.password_change", user, note="修改登录密码")
    return user
