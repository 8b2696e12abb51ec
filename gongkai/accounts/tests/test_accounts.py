"""Login, logout and password change: Chinese pages and messages, the password change audited,
the outsider cases beside the happy paths."""

from __future__ import annotations

from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.testing import PASSWORD

NEW_PASSWORD = "Xin-mima-2026-ok!"


def test_login_page_is_chinese_and_a_wrong_password_says_so(client, officer_a):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "用户名" in page.content.decode() and "密码" in page.content.decode()
    wrong = client.post(reverse("accounts:login"), {"username": "officer_a", "password": "not-it"})
    assert wrong.status_code == 200
    assert "用户名或密码不正确" in wrong.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_goes_to_the_page_asked_for(client, officer_a):
    target = reverse("staff:home")
    response = client.post(
        f"{reverse('accounts:login')}?next={target}",
        {"username": "officer_a", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == target
    assert int(client.session["_auth_user_id"]) == officer_a.pk


def test_login_never_redirects_off_site(client, officer_a):
    response = client.post(
        reverse("accounts:login"),
        {"username": "officer_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_logout_is_a_post(client, login, officer_a):
    login(officer_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_password_change_checks_the_old_password_in_chinese(client, login, officer_a):
    login(officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password_change").exists()


def test_password_change_refuses_a_weak_password(client, login, officer_a):
    login(officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "密码" in html and "常见" in html
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_password_change_is_audited_and_keeps_the_session(client, login, officer_a):
    login(officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.actor_id == officer_a.pk and event.object_id == str(officer_a.pk)
    assert PASSWORD not in str(event.after) and "pbkdf2" not in str(event.after)
    # still logged in with the new session hash
    assert client.get(reverse("staff:home")).status_code == 200
