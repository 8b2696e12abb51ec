"""accounts.actions for staff accounts: the caller (orgs.actions) decides who may; these refuse
when not permitted, check names and passwords in Chinese, and audit without the hash."""

import pytest

from gongkai.accounts import actions
from gongkai.accounts.models import User
from gongkai.core.actions import ActionError
from gongkai.core.models import AuditEvent
from gongkai.testing import forbidden

pytestmark = pytest.mark.django_db


def test_create_user_refused_unless_permitted(office):
    with forbidden():
        actions.create_user(
            office, username="x1", display_name="某", password="Jining-2026-x1", permitted=False
        )
    assert not User.objects.filter(username="x1").exists()


def test_create_user_checks_name_and_password(office):
    with pytest.raises(ActionError, match="用户名只能包含") as bad_name:
        actions.create_user(
            office, username="有 空格", display_name="某", password="Jining-2026", permitted=True
        )
    assert bad_name.value.field == "username"
    with pytest.raises(ActionError) as weak:
        actions.create_user(
            office, username="x2", display_name="某", password="12345678", permitted=True
        )
    assert weak.value.field == "password"
    user = actions.create_user(
        office, username="x3", display_name="某", password="Jining-2026-x3", permitted=True
    )
    assert user.check_password("Jining-2026-x3")
    event = AuditEvent.objects.get(action="accounts.create_user")
    assert "password" not in event.after and event.after["username"] == "x3"


def test_update_and_reset_are_audited(office, officer_a):
    assert actions.update_user(office, officer_a, permitted=True, is_active=False)
    assert not actions.update_user(office, officer_a, permitted=True, is_active=False)
    actions.set_password(office, officer_a, "Another-2026-pw", permitted=True)
    officer_a.refresh_from_db()
    assert officer_a.check_password("Another-2026-pw") and not officer_a.is_active
    codes = list(AuditEvent.objects.values_list("action", flat=True))
    assert codes.count("accounts.update_user") == 1 and "accounts.set_password" in codes
